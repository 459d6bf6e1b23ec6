//! Storage for the cabinet: Diesel over SQLite or PostgreSQL. Each public function
//! here is one use case run in one transaction; the rules it applies come from
//! `domain`, and rows are turned into domain values at this edge.

/// Runs `$body` with `$c` bound to the concrete connection inside a `DbConnection`,
/// so the statement is compiled once for each backend. Diesel's `MultiConnection`
/// renders a statement's whole SQL text twice on every execution (to ask whether it
/// may be cached, and again to bind it), even when the prepared statement is cached:
/// on the hottest reads that rendering is a large share of the server's work. Worth it
/// for the statements every request runs; elsewhere the plain `DbConnection` is fine.
/// With a second name, `$body` also gets `$sqlite: bool`, for SQL that each backend
/// runs best in its own way.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        per_backend!($conn, |$c, _sqlite| $body)
    };
    ($conn:expr, |$c:ident, $sqlite:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => {
                let $sqlite = false;
                $body
            }
            $crate::db::DbConnection::Sqlite($c) => {
                let $sqlite = true;
                $body
            }
        }
    };
}

/// Runs `$query` for a write that claims the rows it reads: on PostgreSQL with
/// `FOR UPDATE SKIP LOCKED`, so that rows another process holds are passed over and
/// two processes never take the same ones; on SQLite as it is, its write lock (taken
/// at the write's start) serialising the writers. `$finish` runs the query `$q` on the
/// backend's connection `$c` (`first`, `load`).
macro_rules! skip_locked {
    ($conn:expr, $query:expr, |$q:ident, $c:ident| $finish:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => {
                let $q = $query.for_update().skip_locked();
                $finish
            }
            $crate::db::DbConnection::Sqlite($c) => {
                let $q = $query;
                $finish
            }
        }
    };
}

pub mod accounts;
pub mod appeals;
pub mod audit;
pub mod centres;
pub mod citizens;
pub mod counting;
pub mod db;
pub mod drafts;
pub mod employer;
pub mod error;
pub mod esia;
pub mod event_stream;
pub mod feed;
mod group_commit;
pub mod idempotency;
pub mod instance;
pub mod interviews;
pub mod job_runs;
pub mod job_search;
pub mod news;
pub mod notifications;
pub mod offers;
pub mod organizations;
pub mod outbox;
pub mod paging;
pub mod password_resets;
mod prepared;
pub mod profile;
mod quota;
pub mod reports;
pub mod resumes;
pub mod retention;
pub mod saved_searches;
pub mod schema;
pub mod search_index;
pub mod slots;
pub mod suggestions;
pub mod throttle;
pub mod vacancies;
pub mod vacancy_bulk;
mod vacancy_entries;
pub mod vacancy_facets;
pub mod vacancy_fanout;
pub mod vacancy_full_text;
pub mod vacancy_lifecycle;
pub mod vacancy_order;
pub mod vacancy_search;
mod vacancy_statistics;
pub mod vacancy_totals;
pub mod vacancy_window;
pub mod visits;
pub mod webhooks;

pub mod attachments;
pub mod benefits;
pub mod certificates;
pub mod documents;
pub mod files;
pub mod payments;
pub mod payout_details;
pub mod training;

pub use db::{Backend, Database, DbConfig, DbConnection, SQLITE_MAP_MAX_BYTES};
pub use error::StoreError;

/// A new random identifier. Version 7 UUIDs are time-ordered, which keeps primary-key
/// indexes append-mostly.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
