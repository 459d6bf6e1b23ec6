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
//!
//! Diesel never caches an `UPDATE`, an upsert's `DO UPDATE` or a `sql_query` either,
//! on either engine, whatever their text. A write on a busy path whose text is one
//! constant of the code (not a search's combination of filters) and which returns rows
//! is wrapped in [`kept_everywhere`]: kept prepared on both engines, outside the bound
//! (PostgreSQL parsed and planned the filing's counter upsert at every call). Only a
//! statement that is loaded (`get_result`, `load`) can be kept so: Diesel runs
//! `execute` on a reference, and `&T`'s `QueryFragment` does not pass
//! `is_safe_to_cache_prepared` on, so an executed wrapper is prepared anew each time.

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

/// `query`, whose text is one constant of the code (never built from values or
/// filters) and which returns rows, kept prepared on both engines when it is loaded,
/// and not counted against [`KEPT_TEXTS`].
pub fn kept_everywhere<Q: Query>(query: Q) -> Kept<Q, true> {
    Kept(query)
}

/// See [`kept`]; with `CONSTANT`, [`kept_everywhere`].
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q, const CONSTANT: bool = false>(Q);

impl<Q: Query, const CONSTANT: bool> Query for Kept<Q, CONSTANT> {
    type SqlType = Q::SqlType;
}

/// Not static: the cache keys such a statement by its text.
impl<Q, const CONSTANT: bool> QueryId for Kept<Q, CONSTANT> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, Conn, const CONSTANT: bool> diesel::RunQueryDsl<Conn> for Kept<Q, CONSTANT> {}

impl<Q: QueryFragment<Sqlite>, const CONSTANT: bool> QueryFragment<Sqlite> for Kept<Q, CONSTANT> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, backend: &Sqlite) -> QueryResult<bool> {
        if CONSTANT {
            return Ok(true);
        }
        let mut sql = SqliteQueryBuilder::new();
        self.0.to_sql(&mut sql, backend)?;
        Ok(admitted(&sql.finish()))
    }
}

impl<Q: QueryFragment<Pg>, const CONSTANT: bool> QueryFragment<Pg> for Kept<Q, CONSTANT> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, backend: &Pg) -> QueryResult<bool> {
        if CONSTANT {
            return Ok(true);
        }
        self.0.is_safe_to_cache_prepared(backend)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;

    use super::*;
    use crate::schema::appeal_reads;

    #[test]
    fn a_constant_write_is_kept_on_both_engines_whatever_the_bound() {
        let update = || {
            diesel::update(appeal_reads::table.filter(appeal_reads::user_id.eq("u")))
                .set(appeal_reads::read_at.eq(NaiveDateTime::default()))
                .returning(appeal_reads::read_at)
        };
        assert!(!update().is_safe_to_cache_prepared(&Pg).unwrap());
        assert!(!kept(update()).is_safe_to_cache_prepared(&Pg).unwrap());
        // Whether or not the test below has filled the bound by now.
        let kept = kept_everywhere(update());
        assert!(kept.is_safe_to_cache_prepared(&Pg).unwrap());
        assert!(kept.is_safe_to_cache_prepared(&Sqlite).unwrap());
        // What `execute` passes on: a reference, which loses the wrapper's answer.
        // Should Diesel forward it one day, executed writes may be kept too.
        let by_reference: &dyn QueryFragment<Pg> = &&kept;
        assert!(!by_reference.is_safe_to_cache_prepared(&Pg).unwrap());
    }

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
