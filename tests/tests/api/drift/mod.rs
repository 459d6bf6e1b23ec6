//! Drift guards: tests that fail loudly when two things that must agree part ways.
//! `schema.rs` against the tables the migrations create, the JSON of the main
//! responses against their committed snapshots, and the Rust vacancy filter against
//! the SQL search.

mod schema;
mod search;
mod snapshots;
