//! Staff news to the employers of their centre («новости для работодателей,
//! размещённые Центром занятости», seed 001): recorded when sent ([`send`]) and
//! delivered by a background job a step of accounts per transaction ([`step`]), so
//! that news to a centre of thousands of employer accounts holds no lock for long and,
//! however many server processes run the job, reaches each account once.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::notification::Category;

use crate::db::MultiBackend;
use crate::notifications::{self, Event};
use crate::schema::{employer_accounts, news_broadcasts, organizations, users};
use crate::{db, new_id, DbConnection, StoreError};

/// Records news from `actor`'s centre to the employer accounts of one of its
/// organisations, or of all of them, for delivery; returns how many accounts it is
/// for (unblocked ones, now). An organisation of another centre is `NotFound`.
pub fn send(
    conn: &mut DbConnection,
    actor: &Actor,
    organization_id: Option<&str>,
    title: &str,
    body: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let centre = actor.centre_id.as_deref().ok_or(StoreError::NotFound)?;
    db::write(conn, |conn| {
        if let Some(org) = organization_id {
            let of_centre = organizations::table
                .filter(organizations::id.eq(org))
                .filter(organizations::centre_id.eq(centre))
                .count()
                .get_result::<i64>(conn)?;
            if of_centre == 0 {
                return Err(StoreError::NotFound);
            }
        }
        let recipients: i64 = recipients(centre, organization_id)
            .count()
            .get_result(conn)?;
        diesel::insert_into(news_broadcasts::table)
            .values((
                news_broadcasts::id.eq(new_id()),
                news_broadcasts::centre_id.eq(centre),
                news_broadcasts::organization_id.eq(organization_id),
                news_broadcasts::title.eq(title),
                news_broadcasts::body.eq(body),
                news_broadcasts::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(usize::try_from(recipients).unwrap_or(0))
    })
}

/// The unblocked employer accounts of the centre's organisations (of one of them).
fn recipients<'a>(
    centre: &'a str,
    organization_id: Option<&'a str>,
) -> employer_accounts::BoxedQuery<
    'a,
    MultiBackend,
    (
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Bool,
    ),
> {
    let accounts = employer_accounts::table
        .filter(
            employer_accounts::organization_id.eq_any(
                organizations::table
                    .filter(organizations::centre_id.eq(centre))
                    .select(organizations::id),
            ),
        )
        .filter(
            employer_accounts::user_id.eq_any(
                users::table
                    .filter(users::blocked_at.is_null())
                    .select(users::id),
            ),
        )
        .into_boxed();
    match organization_id {
        Some(org) => accounts.filter(employer_accounts::organization_id.eq(org)),
        None => accounts,
    }
}

/// Delivers the next step of the oldest news still going out, in one transaction: to
/// at most `per_step` accounts after the last one told (in the database's order of
/// account ids), recording the last one told, or, when none are left, forgetting the
/// news. So nobody is told twice, whichever process takes the next step; an account
/// blocked meanwhile is skipped, one opened meanwhile after the last one told is
/// reached. On PostgreSQL the news's row is locked with `SKIP LOCKED`, so processes
/// running at once take different news; SQLite's write lock serialises the steps.
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
        let oldest = news_broadcasts::table
            .order((news_broadcasts::created_at.asc(), news_broadcasts::id.asc()))
            .select((
                news_broadcasts::id,
                news_broadcasts::centre_id,
                news_broadcasts::organization_id,
                news_broadcasts::title,
                news_broadcasts::body,
                news_broadcasts::told_through,
            ));
        type News = (
            String,
            String,
            Option<String>,
            String,
            String,
            Option<String>,
        );
        let taken: Option<News> = skip_locked!(conn, oldest, |q, c| q.first(c).optional())?;
        let Some((id, centre, organization, title, body, told_through)) = taken else {
            return Ok(false);
        };
        let per_step = per_step.max(1);
        let mut next = recipients(&centre, organization.as_deref())
            .order(employer_accounts::user_id.asc())
            .limit(per_step)
            .select(employer_accounts::user_id);
        if let Some(after) = told_through.as_deref() {
            next = next.filter(employer_accounts::user_id.gt(after));
        }
        let accounts: Vec<String> = next.load(conn)?;
        let event = Event {
            category: Category::News,
            title: &title,
            body: &body,
            link: None,
        };
        for account in &accounts {
            notifications::notify(conn, account, &event, now)?;
        }
        match accounts.last() {
            Some(last) if accounts.len() as i64 == per_step => {
                diesel::update(news_broadcasts::table.find(&id))
                    .set(news_broadcasts::told_through.eq(last))
                    .execute(conn)?;
            }
            _ => {
                diesel::delete(news_broadcasts::table.find(&id)).execute(conn)?;
            }
        }
        Ok(true)
    })
}

/// How many news are still going out (for tests and support).
pub fn pending(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(news_broadcasts::table.count().get_result(conn)?)
}
