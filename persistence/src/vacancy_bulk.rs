//! Seeding a vacancy bank at once (`portal seed --vacancies 1000000`, issue 19).
//!
//! Inserted a chunk at a time, a million vacancies cost SQLite most of an hour: every
//! row goes to a random place in each of the table's indexes and, through its trigger,
//! into the full-text index, whose segments merge as they pile up, and once the indexes
//! outgrow the page cache each insert rereads pages. An index built from rows already
//! written is one sort instead. So on SQLite the load sets the table's secondary
//! indexes and its full-text trigger aside, writes the rows, puts the new ones into the
//! full-text index as the trigger would have, and builds the rest anew from the
//! definitions it set aside, and merges the full-text index into one segment
//! (`crate::search_index`), all in one transaction: if anything fails, nothing
//! changes, the schema included. PostgreSQL takes the chunks as they come.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::vacancies::{by_date, insert_quietly, NewVacancy};
use crate::{db, DbConnection, StoreError};

/// Vacancies written per statement batch: the rows of a chunk are held in memory.
const CHUNK: usize = 20_000;

/// The trigger that keeps SQLite's full-text index (`vacancy_fts`) in step with
/// inserted vacancies.
const FTS_INSERT_TRIGGER: &str = "vacancy_fts_insert";
/// The same for the index of words by region (migration 2026-12-30-000001).
const REGIONAL_INSERT_TRIGGER: &str = "vacancy_regional_fts_insert";

/// The index publication numbers are handed out from (`crate::vacancy_order`): kept,
/// and cheap to keep, since the numbers only grow.
const NUMBERS_INDEX: &str = "vacancies_search_seq";

/// What the full-text trigger does, for every row numbered above the bound at once.
const INDEX_NEW_ROWS: &str =
    "INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags) \
     SELECT search_seq, search_text, search_body, search_tags FROM vacancies \
     WHERE status = 'published' AND search_seq > ?";
/// The same for the index of words by region.
const INDEX_NEW_ROWS_BY_REGION: &str =
    "INSERT INTO vacancy_regional_fts (rowid, search_regional_title, search_regional_body) \
     SELECT search_regional_key, search_regional_title, search_regional_body FROM vacancies \
     WHERE status = 'published' AND search_seq > ?";

/// An index or trigger set aside for the load, and how to make it again.
#[derive(QueryableByName)]
struct SetAside {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Publishes `bank` without notifying anyone, in the order of the publication dates
/// (as [`crate::vacancies::publish_quietly`] does), in one transaction.
pub fn publish_quietly(
    conn: &mut DbConnection,
    bank: &[(NewVacancy, NaiveDateTime)],
) -> Result<(), StoreError> {
    let order = by_date(bank);
    db::write(conn, |conn| {
        if !matches!(conn, DbConnection::Sqlite(_)) {
            return order
                .chunks(CHUNK)
                .try_for_each(|chunk| insert_quietly(conn, chunk));
        }
        let set_aside = set_aside(conn)?;
        let before = diesel::sql_query("SELECT coalesce(max(search_seq), 0) AS n FROM vacancies")
            .get_result::<Number>(conn)?
            .n;
        order
            .chunks(CHUNK)
            .try_for_each(|chunk| insert_quietly(conn, chunk))?;
        for index_new_rows in [INDEX_NEW_ROWS, INDEX_NEW_ROWS_BY_REGION] {
            diesel::sql_query(index_new_rows)
                .bind::<BigInt, _>(before)
                .execute(conn)?;
        }
        for made in &set_aside {
            conn.batch_execute(&made.sql)?;
        }
        // The new entries went in as a few large segments: one reads faster.
        crate::search_index::merge_now(conn)
    })
}

/// Drops the vacancies' secondary indexes (but the numbers') and the full-text insert
/// triggers (SQLite); answers their definitions.
fn set_aside(conn: &mut DbConnection) -> Result<Vec<SetAside>, StoreError> {
    let found: Vec<SetAside> = diesel::sql_query(
        "SELECT type AS kind, name, sql FROM sqlite_schema \
         WHERE tbl_name = 'vacancies' AND sql IS NOT NULL \
         AND ((type = 'index' AND name <> ?) OR (type = 'trigger' AND name IN (?, ?)))",
    )
    .bind::<Text, _>(NUMBERS_INDEX)
    .bind::<Text, _>(FTS_INSERT_TRIGGER)
    .bind::<Text, _>(REGIONAL_INSERT_TRIGGER)
    .load(conn)?;
    for made in &found {
        let kind = if made.kind == "trigger" {
            "TRIGGER"
        } else {
            "INDEX"
        };
        conn.batch_execute(&format!("DROP {kind} \"{}\"", made.name))?;
    }
    Ok(found)
}
