//! The HTTP API of the employment-service cabinet and the `portal` command. Handlers
//! parse, authorise, make one call into `persistence` on the blocking pool, and map
//! the result to JSON; business decisions stay in `domain`.

pub mod auth;
pub mod changes;
pub mod cli;
pub mod config;
pub mod demo;
pub mod docs;
pub mod extract;
pub mod jobs;
pub mod mail;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod throttle;
pub mod totals;
pub mod validation;
pub mod views;
