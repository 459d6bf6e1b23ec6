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
//! on either engine, whatever their text. A write whose text is such a constant, on a
//! busy path, is wrapped in [`kept_everywhere`]: kept prepared on PostgreSQL too, where
//! it was parsed and planned at every call — inside a write that may hold a lock others
//! wait for (the filing's counter row, `feed`'s notification before the commit).

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use diesel::pg::{Pg, PgQueryBuilder};
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

/// `query`, a write whose text is a constant, kept prepared on both engines.
pub fn kept_everywhere<Q>(query: Q) -> Kept<Q, true> {
    Kept(query)
}

/// See [`kept`]; with `ON_PG`, [`kept_everywhere`].
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q, const ON_PG: bool = false>(Q);

impl<Q: Query, const ON_PG: bool> Query for Kept<Q, ON_PG> {
    type SqlType = Q::SqlType;
}

/// Not static: the cache keys such a statement by its text.
impl<Q, const ON_PG: bool> QueryId for Kept<Q, ON_PG> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, Conn, const ON_PG: bool> diesel::RunQueryDsl<Conn> for Kept<Q, ON_PG> {}

impl<Q: QueryFragment<Sqlite>, const ON_PG: bool> QueryFragment<Sqlite> for Kept<Q, ON_PG> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, backend: &Sqlite) -> QueryResult<bool> {
        let mut sql = SqliteQueryBuilder::new();
        self.0.to_sql(&mut sql, backend)?;
        Ok(admitted(&sql.finish()))
    }
}

impl<Q: QueryFragment<Pg>, const ON_PG: bool> QueryFragment<Pg> for Kept<Q, ON_PG> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, backend: &Pg) -> QueryResult<bool> {
        if !ON_PG {
            return self.0.is_safe_to_cache_prepared(backend);
        }
        let mut sql = PgQueryBuilder::new();
        self.0.to_sql(&mut sql, backend)?;
        Ok(admitted(&sql.finish()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;

    use super::*;
    use crate::schema::appeal_reads;

    #[test]
    fn a_write_is_kept_on_postgresql_only_when_asked() {
        let update = || {
            diesel::update(appeal_reads::table.filter(appeal_reads::user_id.eq("u")))
                .set(appeal_reads::read_at.eq(NaiveDateTime::default()))
        };
        assert!(!update().is_safe_to_cache_prepared(&Pg).unwrap());
        assert!(!kept(update()).is_safe_to_cache_prepared(&Pg).unwrap());
        // Kept when the process has room for its text (a test below fills it).
        let text = diesel::debug_query::<Pg, _>(&update()).to_string();
        let text = text.split(" -- binds").next().unwrap_or_default();
        let room = admitted(text);
        assert_eq!(
            kept_everywhere(update())
                .is_safe_to_cache_prepared(&Pg)
                .unwrap(),
            room
        );
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
