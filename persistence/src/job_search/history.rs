//! The immutable history of a job-search application's statuses.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::job_search::ApplicationStatus;
use domain::role::Role;
use domain::Coded;

use super::{visible_row, JobSearchError};
use crate::schema::{job_search_history as history, users};
use crate::{new_id, DbConnection, StoreError};
use domain::actor::Actor;

/// One immutable line of an application's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub comment: Option<String>,
    pub actor_role: Option<Role>,
    pub at: NaiveDateTime,
}

/// The application's history, oldest first.
pub fn history_of(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<HistoryEntry>, JobSearchError> {
    visible_row(conn, actor, id)?;
    type Line = (
        Option<String>,
        String,
        Option<String>,
        NaiveDateTime,
        Option<String>,
    );
    let rows: Vec<Line> = history::table
        .left_join(users::table.on(users::id.nullable().eq(history::actor_id)))
        .filter(history::application_id.eq(id))
        .order((history::created_at.asc(), history::id.asc()))
        .select((
            history::from_status,
            history::to_status,
            history::comment,
            history::created_at,
            users::role.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(from, to, comment, at, role)| {
            Ok(HistoryEntry {
                from: from
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(StoreError::from)?,
                to: to.parse().map_err(StoreError::from)?,
                actor_role: role
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(StoreError::from)?,
                comment,
                at,
            })
        })
        .collect()
}

pub(crate) fn add_history(
    conn: &mut DbConnection,
    application_id: &str,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    comment: Option<&str>,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(history::table)
        .values((
            history::id.eq(new_id()),
            history::application_id.eq(application_id),
            history::from_status.eq(from.map(|s| s.code())),
            history::to_status.eq(to.code()),
            history::comment.eq(comment),
            history::actor_id.eq(actor_id),
            history::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
