//! Telling the owners of matching saved searches of a new vacancy (SPEC §5), apart
//! from the publication: publishing records the vacancy as pending in its own
//! transaction ([`record`]), and a background job ([`run`]) sends the notifications
//! later. So a publication does not wait on every saved search, and however many
//! server processes run the job, each vacancy is announced once.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::messages;
use domain::notification::Category;

use crate::notifications::{self, Event};
use crate::saved_searches::{self, SavedSearch};
use crate::schema::vacancy_fanouts;
use crate::vacancies::{self, Vacancy};
use crate::{db, DbConnection, StoreError};

/// Marks a vacancy as still to be announced; call inside the publishing transaction.
pub fn record(
    conn: &mut DbConnection,
    vacancy_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(vacancy_fanouts::table)
        .values((
            vacancy_fanouts::vacancy_id.eq(vacancy_id),
            vacancy_fanouts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Announces up to `limit` pending vacancies, oldest first, and forgets them, in one
/// transaction: a notification is never sent for a vacancy still pending, nor twice.
/// On PostgreSQL the pending rows are locked with `SKIP LOCKED`, so processes running
/// at once take different vacancies; SQLite's write lock, taken up front, serialises
/// the runs. A vacancy closed meanwhile is forgotten unannounced. Returns how many
/// vacancies were taken.
pub fn run(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> Result<usize, StoreError> {
    // Mostly there is nothing: a read says so without taking SQLite's write lock.
    if pending(conn)? == 0 {
        return Ok(0);
    }
    db::write(conn, |conn| {
        let pending = || {
            vacancy_fanouts::table
                .order((
                    vacancy_fanouts::created_at.asc(),
                    vacancy_fanouts::vacancy_id.asc(),
                ))
                .limit(limit)
                .select(vacancy_fanouts::vacancy_id)
        };
        let ids: Vec<String> = match conn {
            DbConnection::Postgresql(c) => pending().for_update().skip_locked().load(c)?,
            DbConnection::Sqlite(c) => pending().load(c)?,
        };
        if ids.is_empty() {
            return Ok(0);
        }
        let searches = saved_searches::all(conn)?;
        for id in &ids {
            match vacancies::get(conn, id, None) {
                Ok(vacancy) => announce(conn, &vacancy, &searches, now)?,
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        diesel::delete(vacancy_fanouts::table.filter(vacancy_fanouts::vacancy_id.eq_any(&ids)))
            .execute(conn)?;
        Ok(ids.len())
    })
}

/// How many vacancies are still to be announced (for tests and support).
pub fn pending(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(vacancy_fanouts::table.count().get_result(conn)?)
}

/// Tells every owner of a search that `vacancy` matches, once each however many of
/// their searches match.
fn announce(
    conn: &mut DbConnection,
    vacancy: &Vacancy,
    searches: &[SavedSearch],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let facts = vacancy.facts(now);
    let owners: BTreeSet<(&str, &str)> = searches
        .iter()
        .filter(|s| s.filter.matches(&facts))
        .map(|s| (s.user_id.as_str(), s.name.as_str()))
        .collect();
    let link = format!("/api/v1/vacancies/{}", vacancy.id);
    let mut told = BTreeSet::new();
    for (user_id, name) in owners {
        if !told.insert(user_id) {
            continue;
        }
        let text = messages::vacancy_found(name, &vacancy.title, &vacancy.employer_name);
        let event = Event {
            category: Category::NewVacancies,
            title: &text.title,
            body: &text.body,
            link: Some(&link),
        };
        notifications::notify(conn, user_id, &event, now)?;
    }
    Ok(())
}
