//! Statements SQLite keeps prepared although their text holds SQL literals.
//!
//! Diesel prepares a statement anew on every run when its text holds a literal
//! (`dsl::sql`, `sql_query`): a literal may have been built from values, and a cache
//! keyed by such texts would grow without end. The search's literals are constants
//! whose values are bound, so its texts are as few as its code paths; parsing and
//! planning them on every request cost SQLite more than some of its queries. Wrapped in
//! [`kept`], such a statement is prepared once per pooled connection and its text.
//!
//! PostgreSQL is left as it was: its statements with literals stay unnamed and are
//! planned for each request's values (see `db::planned_for_values`).
//!
//! Only texts without values may be wrapped. Even so a search's text depends on which
//! of its dozen filters it has, and a client trying every combination would add a
//! statement to every connection's cache with each: a process keeps at most
//! [`KEPT_TEXTS`] texts (the first it meets: the commonest searches are met first) and
//! prepares any other afresh each time, as Diesel would.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryBuilder, QueryFragment, QueryId};
use diesel::sqlite::{Sqlite, SqliteQueryBuilder};
use diesel::QueryResult;

/// How many statement texts a process keeps prepared through [`kept`].
pub const KEPT_TEXTS: usize = 256;

/// Whether the statement `sql` may be kept: it is, or there is room for it, among the
/// process's kept texts (by their hashes).
fn admitted(sql: &str) -> bool {
    static TEXTS: OnceLock<Mutex<HashSet<u64>>> = OnceLock::new();
    let mut hasher = DefaultHasher::new();
    sql.hash(&mut hasher);
    let text = hasher.finish();
    let mut texts = TEXTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    texts.contains(&text) || (texts.len() < KEPT_TEXTS && texts.insert(text))
}

/// `query`, kept prepared on SQLite.
pub fn kept<Q>(query: Q) -> Kept<Q> {
    Kept(query)
}

/// See [`kept`].
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q>(Q);

impl<Q: Query> Query for Kept<Q> {
    type SqlType = Q::SqlType;
}

/// Not static: the cache keys such a statement by its text.
impl<Q> QueryId for Kept<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for Kept<Q> {}

impl<Q: QueryFragment<Sqlite>> QueryFragment<Sqlite> for Kept<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, backend: &Sqlite) -> QueryResult<bool> {
        let mut sql = SqliteQueryBuilder::new();
        self.0.to_sql(&mut sql, backend)?;
        Ok(admitted(&sql.finish()))
    }
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Kept<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_past_the_bound_are_prepared_each_time() {
        // Other tests of this process may have kept texts already; fill what is left.
        let mut last_kept = None;
        for n in 0..=KEPT_TEXTS {
            let text = format!("SELECT {n} -- filling");
            if !admitted(&text) {
                break;
            }
            last_kept = Some(text);
        }
        assert!(
            !admitted("SELECT 'one more'"),
            "more texts kept than the bound"
        );
        if let Some(text) = last_kept {
            assert!(admitted(&text), "a kept text stays kept");
        }
    }
}
