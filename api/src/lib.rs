//! The HTTP API of the employment-service cabinet and the `portal` command.
//!
//! A request goes through `startup` (middleware, routes), the extractors of `extract`
//! and `auth`, and a handler in `routes` (one module per area of API.md's resource
//! map, `routes/employer/` one per resource), which parses, authorises, makes one
//! call into `persistence` through `state`, and maps the result to the wire types of
//! `views` and its own module; business decisions stay in `domain`. Every failure
//! becomes problem+json in `problem`. The OpenAPI document is assembled in `openapi`
//! from the handlers' attributes and the shared components of `docs`.
//!
//! Between requests the server remembers sessions (`auth::sessions`), totals of lists
//! (`totals`) and rendered pages (`pages`), each keyed by the generations of
//! `changes`, all invalidated by the change feed alone (`feed`). Beside the server: the background jobs (`jobs`, `mail`), settings
//! (`config`), logs (`telemetry`, `request_id`), metrics (`metrics`), webhook deliveries
//! (`webhooks`), sign-in throttling (`throttle`) by the client
//! address (`client_addr`, which believes `X-Forwarded-For` only from trusted proxies), and
//! the command's own work (`cli`, `demo`, `seed`).

pub mod audit;
pub mod auth;
pub mod cli;
pub mod client_addr;
pub mod codes;
pub mod conditional;
pub mod config;
pub mod contract;
pub mod demo;
pub mod docs;
pub mod esia;
pub mod extract;
pub mod feed;
pub mod idempotency;
pub mod jobs;
pub mod journal;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod remembered;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod throttle;
pub mod upload_form;
pub mod validation;
pub mod views;
pub mod webhooks;

pub mod import;
pub mod pdf;
pub mod storage;
