//! Telling the owners of matching saved searches of a new vacancy (SPEC §5), apart
//! from the publication: publishing records the vacancy as pending in its own
//! transaction ([`record`]), and a background job ([`step`]) sends the notifications
//! later, a step at a time. So a publication does not wait on every saved search, and
//! however many server processes run the job, each owner hears of a vacancy once.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::messages;
use domain::notification::Category;
use domain::saved_search::{self, Watch};

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

/// Takes one step of the oldest pending announcement, in one transaction: tells the
/// next owners (about `per_step` saved searches of the vacancy's region and as many of
/// any region) and records the last one told, or, when none are left, forgets the
/// vacancy. So a notification is never sent twice, nor for a vacancy still pending; a
/// popular vacancy takes many short steps rather than one long transaction; and a step
/// reads about `2 × per_step` searches, not every search of the country. On
/// PostgreSQL the pending row is locked with `SKIP LOCKED`, so processes running at
/// once take different vacancies; SQLite's write lock, taken up front, serialises the
/// steps. A vacancy closed meanwhile is forgotten with the rest of its announcement.
/// Returns whether there was a step to take.
pub fn step(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    per_step: i64,
) -> Result<bool, StoreError> {
    // Mostly there is nothing: a read says so without taking SQLite's write lock.
    if pending(conn)? == 0 {
        return Ok(false);
    }
    db::write(conn, |conn| {
        let oldest = vacancy_fanouts::table
            .order((
                vacancy_fanouts::created_at.asc(),
                vacancy_fanouts::vacancy_id.asc(),
            ))
            .select((vacancy_fanouts::vacancy_id, vacancy_fanouts::told_through));
        let taken: Option<(String, Option<String>)> =
            skip_locked!(conn, oldest, |q, c| q.first(c).optional())?;
        let Some((id, told_through)) = taken else {
            return Ok(false);
        };
        let vacancy = match vacancies::get(conn, &id, None) {
            Ok(vacancy) => vacancy,
            Err(StoreError::NotFound) => return forget(conn, &id),
            Err(e) => return Err(e),
        };
        let watchers = saved_searches::watching_after(
            conn,
            &vacancy.region_code,
            told_through.as_deref(),
            per_step,
        )?;
        announce(conn, &vacancy, &watchers.searches, now)?;
        match watchers.through {
            Some(last) => {
                diesel::update(vacancy_fanouts::table.find(&id))
                    .set(vacancy_fanouts::told_through.eq(last))
                    .execute(conn)?;
                Ok(true)
            }
            None => forget(conn, &id),
        }
    })
}

/// Forgets a vacancy whose announcement is over.
fn forget(conn: &mut DbConnection, vacancy_id: &str) -> Result<bool, StoreError> {
    diesel::delete(vacancy_fanouts::table.find(vacancy_id)).execute(conn)?;
    Ok(true)
}

/// How many vacancies are still to be announced (for tests and support).
pub fn pending(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(vacancy_fanouts::table.count().get_result(conn)?)
}

/// Tells the owners of `searches` that `vacancy` matches (`domain::saved_search`).
fn announce(
    conn: &mut DbConnection,
    vacancy: &Vacancy,
    searches: &[SavedSearch],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let watches = searches.iter().map(|s| Watch {
        owner: &s.user_id,
        name: &s.name,
        filter: &s.filter,
    });
    let link = format!("/api/v1/vacancies/{}", vacancy.id);
    for (user_id, name) in saved_search::owners_to_tell(watches, &vacancy.facts(now)) {
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
