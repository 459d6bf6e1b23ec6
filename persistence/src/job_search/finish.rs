//! The citizen finishes the negotiations (seed 004 «Отклик на вакансию.
//! Собеседование», шаг 6): «отказаться от всех вакансий» or «завершить переговоры с
//! работодателями», once every interview is settled. The application moves to
//! `results_sent` and its results (each interview's outcome) wait in the centre's work
//! list.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::interview::{check_finish, Finish};
use domain::job_search::{ApplicationStatus, Mover};
use domain::role::Role;
use domain::Coded;

use super::{move_status, reload, visible_row, Application, JobSearchError};
use crate::schema::job_search_applications as apps;
use crate::{db, StoreError};

/// Finishes the negotiations of the citizen's application with `choice`. The choice's
/// words are the history line's comment.
pub fn finish(
    conn: &mut crate::DbConnection,
    actor: &Actor,
    id: &str,
    choice: Finish,
    now: NaiveDateTime,
) -> Result<Application, JobSearchError> {
    if actor.role != Role::Citizen {
        return Err(JobSearchError::NotCitizen);
    }
    db::write::<_, JobSearchError>(conn, |conn| {
        let row = visible_row(conn, actor, id)?;
        let from: ApplicationStatus = row.status.parse().map_err(StoreError::from)?;
        let step = from.transition(
            ApplicationStatus::ResultsSent,
            Some(choice.title()),
            Mover::Citizen,
        )?;
        let statuses = crate::interviews::statuses_of(conn, id)?;
        check_finish(choice, &statuses)?;
        diesel::update(apps::table.find(id))
            .set(apps::finish_choice.eq(choice.code()))
            .execute(conn)?;
        move_status(
            conn,
            &row,
            step.from,
            step.to,
            step.reason.as_deref(),
            Some(&actor.user_id),
            now,
        )?;
        reload(conn, id)
    })
}
