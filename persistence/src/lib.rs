//! Storage for the cabinet: Diesel over SQLite or PostgreSQL. Each public function
//! here is one use case run in one transaction; the rules it applies come from
//! `domain`, and rows are turned into domain values at this edge.

pub mod accounts;
pub mod appeals;
pub mod centres;
pub mod citizens;
pub mod db;
pub mod drafts;
pub mod employer;
pub mod error;
pub mod notifications;
pub mod organizations;
pub mod outbox;
pub mod paging;
pub mod profile;
pub mod reports;
pub mod resumes;
pub mod saved_searches;
pub mod schema;
pub mod vacancies;

pub use db::{Backend, Database, DbConfig, DbConnection};
pub use error::StoreError;

/// A new random identifier. Version 7 UUIDs are time-ordered, which keeps primary-key
/// indexes append-mostly.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
