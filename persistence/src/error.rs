//! Storage failures, separated from business refusals so that the API can answer 503
//! for an unreachable database and 500 for a broken query without guessing.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule of the schema refused the write (login taken, two admins…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// An update named a version (`If-Match`) that is no longer current.
    #[error("the record changed since it was read")]
    Stale,
    /// The database could not be reached or did not answer in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A stored value the code cannot read back (an unknown status code, say).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The holder keeps as many records of the kind as it may (`domain::quota`).
    #[error(transparent)]
    LimitReached(domain::quota::LimitReached),
    #[error(transparent)]
    Query(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Conflict(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if info.message().contains("database is locked") =>
            {
                StoreError::Unavailable(info.message().to_owned())
            }
            other => StoreError::Query(other),
        }
    }
}

impl From<domain::UnknownCode> for StoreError {
    fn from(e: domain::UnknownCode) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
