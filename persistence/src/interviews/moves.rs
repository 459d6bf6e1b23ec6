//! The moves of an interview by the citizen and by the employer, and the lists each
//! side reads. A move checks `domain::interview`'s machine, then writes only if the
//! status is still the one read (compare-and-set), so two racing moves from one state
//! cannot both pass; the other side is told.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::interview::{
    check_proposed, move_notice, moves_while, InterviewStatus, Outcome, Party,
};
use domain::Coded;

use super::responses_use::application_status;
use super::{interview_of_row, tell, Interview, InterviewRow, InterviewUseError, Owner};
use crate::paging::{self, Page, PageRequest};
use crate::schema::interviews;
use crate::{db, DbConnection, StoreError};

/// What the citizen does with an invitation (seed 004 «Отклик…», шаги 4–5).
#[derive(Debug, Clone)]
pub enum CitizenMove {
    Accept,
    Decline {
        comment: Option<String>,
    },
    Reschedule {
        proposed_at: NaiveDateTime,
        comment: Option<String>,
    },
    Cancel {
        comment: Option<String>,
    },
}

/// What the employer does with an interview.
#[derive(Debug, Clone)]
pub enum EmployerMove {
    /// Answers a reschedule request with a new time: the one given, or the citizen's
    /// proposal; the place and link may change with it.
    Reschedule {
        scheduled_at: Option<NaiveDateTime>,
        place: Option<String>,
        link: Option<String>,
        comment: Option<String>,
    },
    Cancel {
        comment: Option<String>,
    },
    /// The result of a confirmed interview whose time has come.
    Result {
        outcome: Outcome,
        comment: Option<String>,
    },
}

/// The columns a move sets besides the status; `None` leaves one as it is.
#[derive(AsChangeset, Default)]
#[diesel(table_name = interviews)]
struct Change {
    scheduled_at: Option<NaiveDateTime>,
    place: Option<Option<String>>,
    link: Option<Option<String>>,
    proposed_at: Option<Option<NaiveDateTime>>,
    comment: Option<Option<String>>,
    outcome: Option<String>,
    result_comment: Option<Option<String>>,
    result_at: Option<NaiveDateTime>,
}

fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn row_for(
    conn: &mut DbConnection,
    owner: &Owner,
    id: &str,
) -> Result<InterviewRow, InterviewUseError> {
    let row: InterviewRow = interviews::table
        .find(id)
        .select(InterviewRow::as_select())
        .first(conn)?;
    if !owner.reaches(&row.citizen_id, row.organization_id.as_deref()) {
        return Err(InterviewUseError::NotFound);
    }
    Ok(row)
}

/// Checks and stores one move, then tells the other side.
fn apply(
    conn: &mut DbConnection,
    row: InterviewRow,
    to: InterviewStatus,
    party: Party,
    change: Change,
    now: NaiveDateTime,
) -> Result<Interview, InterviewUseError> {
    let from: InterviewStatus = row.status.parse().map_err(StoreError::from)?;
    from.transition(to, party, row.scheduled_at, now)?;
    let application = application_status(conn, &row.application_id)?;
    if !moves_while(application, to) {
        return Err(InterviewUseError::ApplicationClosed(application));
    }
    let changed = diesel::update(
        interviews::table
            .filter(interviews::id.eq(&row.id))
            .filter(interviews::status.eq(from.code())),
    )
    .set((
        interviews::status.eq(to.code()),
        interviews::updated_at.eq(now),
        &change,
    ))
    .execute(conn)?;
    if changed != 1 {
        // Another move committed first: refused by the machine from where it left the
        // interview, as a later request would be.
        let current: String = interviews::table
            .find(&row.id)
            .select(interviews::status)
            .first(conn)?;
        let current: InterviewStatus = current.parse().map_err(StoreError::from)?;
        current.transition(to, party, row.scheduled_at, now)?;
        return Err(InterviewUseError::Concurrent);
    }
    let stored: InterviewRow = interviews::table
        .find(&row.id)
        .select(InterviewRow::as_select())
        .first(conn)?;
    let interview = interview_of_row(conn, stored)?;
    let (to_citizen, link) = match party {
        Party::Employer => (true, "/api/v1/citizen/interviews"),
        Party::Citizen => (false, "/api/v1/employer/interviews"),
    };
    tell(
        conn,
        to_citizen,
        &interview.citizen_id,
        row.organization_id.as_deref(),
        move_notice(
            to,
            &interview.vacancy_title,
            interview.scheduled_at,
            interview.proposed_at,
            interview.outcome,
            interview.comment.as_deref(),
        ),
        link,
        now,
    )?;
    Ok(interview)
}

/// The citizen accepts, declines, asks to reschedule or cancels their interview.
pub fn citizen_move(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    mv: CitizenMove,
    now: NaiveDateTime,
) -> Result<Interview, InterviewUseError> {
    let owner = Owner::of(actor)?;
    if !matches!(owner, Owner::Citizen(_)) {
        return Err(InterviewUseError::NotFound);
    }
    db::write::<_, InterviewUseError>(conn, |conn| {
        let row = row_for(conn, &owner, id)?;
        let (to, change) = match mv {
            CitizenMove::Accept => (
                InterviewStatus::Confirmed,
                Change {
                    comment: Some(None),
                    ..Change::default()
                },
            ),
            CitizenMove::Decline { comment } => (
                InterviewStatus::Declined,
                Change {
                    comment: Some(text(comment)),
                    ..Change::default()
                },
            ),
            CitizenMove::Cancel { comment } => (
                InterviewStatus::Cancelled,
                Change {
                    comment: Some(text(comment)),
                    ..Change::default()
                },
            ),
            CitizenMove::Reschedule {
                proposed_at,
                comment,
            } => {
                let from: InterviewStatus = row.status.parse().map_err(StoreError::from)?;
                from.transition(
                    InterviewStatus::RescheduleRequested,
                    Party::Citizen,
                    row.scheduled_at,
                    now,
                )?;
                check_proposed(proposed_at, now)
                    .map_err(|_| InterviewUseError::TimeInPast("proposed_at"))?;
                (
                    InterviewStatus::RescheduleRequested,
                    Change {
                        proposed_at: Some(Some(proposed_at)),
                        comment: Some(text(comment)),
                        ..Change::default()
                    },
                )
            }
        };
        apply(conn, row, to, Party::Citizen, change, now)
    })
}

/// The employer answers a reschedule request, cancels, or records the result.
pub fn employer_move(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    mv: EmployerMove,
    now: NaiveDateTime,
) -> Result<Interview, InterviewUseError> {
    let owner = Owner::of(actor)?;
    if !matches!(owner, Owner::Organization(_)) {
        return Err(InterviewUseError::NotFound);
    }
    db::write::<_, InterviewUseError>(conn, |conn| {
        let row = row_for(conn, &owner, id)?;
        let (to, change) = match mv {
            EmployerMove::Reschedule {
                scheduled_at,
                place,
                link,
                comment,
            } => {
                let from: InterviewStatus = row.status.parse().map_err(StoreError::from)?;
                from.transition(
                    InterviewStatus::Rescheduled,
                    Party::Employer,
                    row.scheduled_at,
                    now,
                )?;
                let at = scheduled_at
                    .or(row.proposed_at)
                    .ok_or(InterviewUseError::TimeRequired)?;
                check_proposed(at, now)
                    .map_err(|_| InterviewUseError::TimeInPast("scheduled_at"))?;
                (
                    InterviewStatus::Rescheduled,
                    Change {
                        scheduled_at: Some(at),
                        place: text(place).map(Some),
                        link: text(link).map(Some),
                        proposed_at: Some(None),
                        comment: Some(text(comment)),
                        ..Change::default()
                    },
                )
            }
            EmployerMove::Cancel { comment } => (
                InterviewStatus::Cancelled,
                Change {
                    comment: Some(text(comment)),
                    ..Change::default()
                },
            ),
            EmployerMove::Result { outcome, comment } => (
                InterviewStatus::Held,
                Change {
                    outcome: Some(outcome.code().to_owned()),
                    result_comment: Some(text(comment)),
                    result_at: Some(now),
                    ..Change::default()
                },
            ),
        };
        apply(conn, row, to, Party::Employer, change, now)
    })
}

/// Filters of interview lists.
#[derive(Debug, Clone, Default)]
pub struct InterviewFilter {
    pub status: Option<InterviewStatus>,
    pub vacancy_id: Option<String>,
}

/// A page of the actor's interviews (a citizen's own, an employer's organisation's),
/// latest time first.
pub fn interviews_of(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &InterviewFilter,
    page: PageRequest,
) -> Result<Page<Interview>, InterviewUseError> {
    let owner = Owner::of(actor)?;
    let query = || {
        let mut q = interviews::table.into_boxed();
        q = match &owner {
            Owner::Citizen(id) => q.filter(interviews::citizen_id.eq(id.clone())),
            Owner::Organization(org) => q.filter(interviews::organization_id.eq(org.clone())),
        };
        if let Some(s) = filter.status {
            q = q.filter(interviews::status.eq(s.code()));
        }
        if let Some(v) = &filter.vacancy_id {
            q = q.filter(interviews::vacancy_id.eq(v.clone()));
        }
        q
    };
    let rows: Page<InterviewRow> = paging::count_and_load(conn, page, query, |q| {
        q.order((interviews::scheduled_at.desc(), interviews::id.desc()))
            .select(InterviewRow::as_select())
    })?;
    Ok(rows.try_map(|r| interview_of_row(conn, r))?)
}
