//! Upkeep of SQLite's full-text index of the vacancies (`vacancy_fts`, issue 19).
//!
//! FTS5 writes each transaction's entries as a new segment and merges segments only
//! when several of a size pile up, so a live index holds a dozen or more. A search
//! reads every segment that holds its words, from the newest entry of each down, and
//! its cost grows with their number (bench/RESULTS.md, «Statements kept prepared; one
//! segment; columns only»). So the index is merged into one segment after a bulk load
//! ([`merge_now`]) and by a periodic job ([`merge`]).
//!
//! PostgreSQL needs none of this: its GIN indexes' pending entries are merged by
//! autovacuum.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};

use crate::{db, DbConnection, StoreError};

/// Pages of merged index written per step of [`merge`]: each step is one short write
/// transaction, so that the publications waiting behind it wait little.
pub const PAGES_PER_STEP: i32 = 500;

/// Merges the whole index, and the index of words by region, into one segment each
/// inside the caller's transaction (a bulk load, which holds the write lock anyway).
pub(crate) fn merge_now(conn: &mut DbConnection) -> Result<(), StoreError> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        conn.batch_execute(
            "INSERT INTO vacancy_fts (vacancy_fts) VALUES ('optimize'); \
             INSERT INTO vacancy_regional_fts (vacancy_regional_fts) VALUES ('optimize');",
        )?;
    }
    Ok(())
}

/// Merges the index's segments into one, [`PAGES_PER_STEP`] pages per transaction
/// (FTS5's incremental `merge`); answers how many steps wrote anything. On
/// PostgreSQL, nothing.
pub fn merge(conn: &mut DbConnection) -> Result<u32, StoreError> {
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(0);
    }
    // The first step starts an incremental optimize (a negative budget: every segment
    // goes to one level); the next ones carry it on, even while new entries arrive.
    let mut steps = 0;
    let mut budget = -PAGES_PER_STEP;
    while db::write(conn, |c| merge_step(c, budget))? {
        steps += 1;
        budget = PAGES_PER_STEP;
    }
    Ok(steps)
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn total_changes(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(diesel::sql_query("SELECT total_changes() AS n")
        .get_result::<Number>(conn)?
        .n)
}

/// One `merge` command; whether it wrote anything (FTS5 tells by the connection's
/// total of changes: two or more when it merged).
fn merge_step(conn: &mut DbConnection, budget: i32) -> Result<bool, StoreError> {
    let before = total_changes(conn)?;
    diesel::sql_query("INSERT INTO vacancy_fts (vacancy_fts, rank) VALUES ('merge', ?)")
        .bind::<Integer, _>(budget)
        .execute(conn)?;
    Ok(total_changes(conn)? - before >= 2)
}

/// How many segments the index has now (SQLite; zero on PostgreSQL).
pub fn segments(conn: &mut DbConnection) -> Result<i64, StoreError> {
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(0);
    }
    Ok(
        diesel::sql_query("SELECT count(DISTINCT segid) AS n FROM vacancy_fts_idx")
            .get_result::<Number>(conn)?
            .n,
    )
}
