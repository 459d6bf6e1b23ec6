//! What the server remembers between requests, and what each remembered thing depends
//! on: the one read layer. A handler asks it for a value and says how to compute one;
//! it never builds a key, reads a generation or forgets anything itself.
//!
//! - [`VacancySearches`]: the public vacancy search's totals and rendered pages.
//! - [`AppealTotals`]: totals of the appeal lists many readers share.
//! - [`Changes`]: the generations their keys carry, moved only by the change feed
//!   (`feed/`), so that a committed change, made through any process, retires what
//!   depended on it.
//!
//! Every key is a type that names what its value depends on (a region's generation and
//! a normalised filter, a scope's generation and a filter), never a string put together
//! by hand. Checked sessions are remembered by `auth::sessions`, and dropped by the same
//! feed.

mod appeal_totals;
mod changes;
mod pages;
mod vacancy_search;

use std::sync::Arc;

pub use appeal_totals::AppealTotals;
pub use changes::Changes;
pub use pages::{json, ok};
pub use vacancy_search::{Asked, Counted, SearchQuery, Total, VacancySearches};

use crate::problem::ApiError;

/// The error of a computation several waiting requests shared (moka hands each an
/// `Arc` of it), as one request's own.
fn unshared(e: Arc<ApiError>) -> ApiError {
    Arc::unwrap_or_clone(e)
}
