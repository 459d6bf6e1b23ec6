//! The publication order of vacancies (issue 19): `vacancies.search_seq` numbers each
//! publication, and the search's "newest first" is that number descending. A vacancy
//! takes a number when it is published and a new one when its employer confirms it (it
//! is then published anew). SQLite's full-text index is keyed by the number, so a page
//! of the newest matches of a word is read in index order and stops after its rows.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::{DbConnection, StoreError};

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `count` new publication numbers, ascending, each above every number given before.
/// Call it inside the writing transaction: on SQLite the numbers follow the highest one
/// written, which the transaction's write lock keeps; PostgreSQL draws them from the
/// sequence `vacancy_publications`.
pub fn next(conn: &mut DbConnection, count: usize) -> Result<Vec<i64>, StoreError> {
    let wanted = i64::try_from(count).unwrap_or(i64::MAX);
    let numbers = match conn {
        DbConnection::Sqlite(c) => {
            let top = diesel::sql_query("SELECT coalesce(max(search_seq), 0) AS n FROM vacancies")
                .get_result::<Number>(c)?
                .n;
            (1..=wanted).map(|i| top + i).collect()
        }
        DbConnection::Postgresql(c) => {
            let mut drawn: Vec<i64> = diesel::sql_query(
                "SELECT nextval('vacancy_publications') AS n FROM generate_series(1, $1)",
            )
            .bind::<BigInt, _>(wanted)
            .load::<Number>(c)?
            .into_iter()
            .map(|r| r.n)
            .collect();
            drawn.sort_unstable();
            drawn
        }
    };
    Ok(numbers)
}

/// Numbers every vacancy anew in the order of its publication date (then id), above
/// every number given so far: for dates written by hand (an import, a test).
pub fn renumber_by_dates(conn: &mut DbConnection) -> Result<(), StoreError> {
    const RENUMBER: &str = "UPDATE vacancies SET search_seq = numbered.n + numbered.top \
         FROM (SELECT id, row_number() OVER (ORDER BY published_at, id) AS n, \
               (SELECT coalesce(max(search_seq), 0) FROM vacancies) AS top FROM vacancies) \
               AS numbered \
         WHERE vacancies.id = numbered.id";
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query(RENUMBER).execute(c)?;
        }
        DbConnection::Postgresql(c) => {
            diesel::sql_query(RENUMBER).execute(c)?;
            diesel::sql_query(
                "SELECT setval('vacancy_publications', \
                 (SELECT coalesce(max(search_seq), 0) + 1 FROM vacancies), false)",
            )
            .execute(c)?;
        }
    }
    Ok(())
}
