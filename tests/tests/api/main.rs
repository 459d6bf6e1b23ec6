//! The black-box suite: every test starts the real server on a free port against its
//! own fresh database and talks to it over HTTP.

mod appeals;
mod auth;
mod errors;
mod health;
mod openapi;
mod staff;
