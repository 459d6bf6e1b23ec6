//! Responses to agreed vacancies and the interviews they lead to (seed 004 «Отклик на
//! вакансию. Собеседование»). The citizen responds (`responses`), the employer of the
//! vacancy's organisation invites or refuses, and both move the interview (`moves`) by
//! the rules of `domain::interview`. Every move is a compare-and-set on the status read,
//! in one transaction, and tells the other side (category «Собеседования»).
//!
//! This module reads the applications table itself rather than through
//! `crate::job_search`, which imports it to show an application's responses.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::interview::{FinishError, InterviewError, InterviewStatus, Outcome};
use domain::job_response::{InvitationError, ResponseError, ResponseStatus};
use domain::job_search::ApplicationStatus;
use domain::notification::Category;
use domain::role::Role;

use crate::notifications::{notify, Event};
use crate::schema::{employer_accounts, interviews, job_search_responses as responses, users};
use crate::{DbConnection, StoreError};

mod moves;
mod responses_use;

pub use moves::{
    citizen_move, employer_move, interviews_of, CitizenMove, EmployerMove, InterviewFilter,
};
pub use responses_use::{
    invite, refuse, respond, responses_of, Invitation, NewResponse, ResponseFilter,
};

/// A response to a vacancy, with its interview once invited.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: String,
    pub application_id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub employer_name: String,
    pub citizen_id: String,
    pub citizen_name: String,
    pub resume_id: String,
    pub cover_letter: String,
    pub status: ResponseStatus,
    pub refusal_reason: Option<String>,
    pub interview: Option<Interview>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An interview with what both sides see of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    pub id: String,
    pub response_id: String,
    pub application_id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub employer_name: String,
    pub citizen_id: String,
    pub citizen_name: String,
    pub status: InterviewStatus,
    pub scheduled_at: NaiveDateTime,
    pub place: Option<String>,
    pub link: Option<String>,
    pub contact_person: String,
    /// The citizen's proposed time of a reschedule request.
    pub proposed_at: Option<NaiveDateTime>,
    /// What the last mover wrote (a reason to decline or cancel, say).
    pub comment: Option<String>,
    pub outcome: Option<Outcome>,
    pub result_comment: Option<String>,
    pub result_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Why a request about responses or interviews was refused.
#[derive(Debug, thiserror::Error)]
pub enum InterviewUseError {
    #[error("not found")]
    NotFound,
    /// Responses are made, and answered, while the application is in negotiations.
    #[error("the application is {0}: no responses now")]
    ApplicationClosed(ApplicationStatus),
    #[error("the vacancy is not among the application's agreed ones")]
    NotAgreed,
    #[error("the vacancy is closed")]
    VacancyClosed,
    #[error("the resume is not the application's")]
    WrongResume,
    #[error("a response to this vacancy exists: {0}")]
    AlreadyResponded(String),
    #[error(transparent)]
    Response(#[from] ResponseError),
    #[error(transparent)]
    Invitation(#[from] InvitationError),
    #[error(transparent)]
    Interview(#[from] InterviewError),
    /// A time that must lie ahead does not; the field that named it.
    #[error("{0} must be in the future")]
    TimeInPast(&'static str),
    /// An employer's reschedule names no time and the citizen proposed none.
    #[error("a new time is required")]
    TimeRequired,
    #[error(transparent)]
    Finish(#[from] FinishError),
    #[error("the record changed meanwhile; reload it and try again")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for InterviewUseError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => InterviewUseError::NotFound,
            other => InterviewUseError::Store(other),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = responses, treat_none_as_default_value = false)]
pub(crate) struct ResponseRow {
    pub(crate) id: String,
    pub(crate) application_id: String,
    pub(crate) vacancy_id: String,
    pub(crate) organization_id: Option<String>,
    pub(crate) citizen_id: String,
    pub(crate) resume_id: String,
    pub(crate) cover_letter: String,
    pub(crate) status: String,
    pub(crate) refusal_reason: Option<String>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = interviews, treat_none_as_default_value = false)]
pub(crate) struct InterviewRow {
    pub(crate) id: String,
    pub(crate) response_id: String,
    pub(crate) application_id: String,
    pub(crate) vacancy_id: String,
    pub(crate) organization_id: Option<String>,
    pub(crate) citizen_id: String,
    pub(crate) status: String,
    pub(crate) scheduled_at: NaiveDateTime,
    pub(crate) place: Option<String>,
    pub(crate) link: Option<String>,
    pub(crate) contact_person: String,
    pub(crate) proposed_at: Option<NaiveDateTime>,
    pub(crate) comment: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) result_comment: Option<String>,
    pub(crate) result_at: Option<NaiveDateTime>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
}

/// Whose records an actor reaches: a citizen their own, an employer their
/// organisation's. Staff reach responses only through an application.
#[derive(Debug, Clone)]
pub(crate) enum Owner {
    Citizen(String),
    Organization(String),
}

impl Owner {
    pub(crate) fn of(actor: &Actor) -> Result<Owner, InterviewUseError> {
        match (actor.role, &actor.organization_id) {
            (Role::Citizen, _) => Ok(Owner::Citizen(actor.user_id.clone())),
            (Role::Employer, Some(org)) => Ok(Owner::Organization(org.clone())),
            _ => Err(InterviewUseError::NotFound),
        }
    }

    fn reaches(&self, citizen_id: &str, organization_id: Option<&str>) -> bool {
        match self {
            Owner::Citizen(id) => id == citizen_id,
            Owner::Organization(org) => organization_id == Some(org.as_str()),
        }
    }
}

/// The vacancy's title and employer name.
fn vacancy_names(
    conn: &mut DbConnection,
    vacancy_id: &str,
) -> Result<(String, String), StoreError> {
    use crate::schema::vacancies;
    Ok(vacancies::table
        .find(vacancy_id)
        .select((vacancies::title, vacancies::employer_name))
        .first(conn)?)
}

fn citizen_name(conn: &mut DbConnection, citizen_id: &str) -> Result<String, StoreError> {
    match crate::citizens::get(conn, citizen_id) {
        Ok(c) => Ok(c.full_name()),
        Err(StoreError::NotFound) => Ok(String::new()),
        Err(e) => Err(e),
    }
}

pub(crate) fn interview_of_row(
    conn: &mut DbConnection,
    r: InterviewRow,
) -> Result<Interview, StoreError> {
    let (vacancy_title, employer_name) = vacancy_names(conn, &r.vacancy_id)?;
    let citizen_name = citizen_name(conn, &r.citizen_id)?;
    Ok(Interview {
        status: r.status.parse()?,
        outcome: r.outcome.as_deref().map(str::parse).transpose()?,
        id: r.id,
        response_id: r.response_id,
        application_id: r.application_id,
        vacancy_id: r.vacancy_id,
        vacancy_title,
        employer_name,
        citizen_id: r.citizen_id,
        citizen_name,
        scheduled_at: r.scheduled_at,
        place: r.place,
        link: r.link,
        contact_person: r.contact_person,
        proposed_at: r.proposed_at,
        comment: r.comment,
        result_comment: r.result_comment,
        result_at: r.result_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

pub(crate) fn response_of_row(
    conn: &mut DbConnection,
    r: ResponseRow,
) -> Result<Response, StoreError> {
    let (vacancy_title, employer_name) = vacancy_names(conn, &r.vacancy_id)?;
    let citizen_name = citizen_name(conn, &r.citizen_id)?;
    let interview: Option<InterviewRow> = interviews::table
        .filter(interviews::response_id.eq(&r.id))
        .select(InterviewRow::as_select())
        .first(conn)
        .optional()?;
    let interview = interview.map(|i| interview_of_row(conn, i)).transpose()?;
    Ok(Response {
        status: r.status.parse()?,
        id: r.id,
        application_id: r.application_id,
        vacancy_id: r.vacancy_id,
        vacancy_title,
        employer_name,
        citizen_id: r.citizen_id,
        citizen_name,
        resume_id: r.resume_id,
        cover_letter: r.cover_letter,
        refusal_reason: r.refusal_reason,
        interview,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Every live account of an organisation.
fn accounts_of(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(employer_accounts::table
        .inner_join(users::table)
        .filter(employer_accounts::organization_id.eq(organization_id))
        .filter(users::blocked_at.is_null())
        .select(employer_accounts::user_id)
        .load(conn)?)
}

/// Tells the other side of a response or interview (category «Собеседования»):
/// `to_citizen` picks the citizen, else every live account of the organisation.
pub(crate) fn tell(
    conn: &mut DbConnection,
    to_citizen: bool,
    citizen_id: &str,
    organization_id: Option<&str>,
    (title, body): (String, String),
    link: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let event = Event {
        category: Category::Interviews,
        title: &title,
        body: &body,
        link: Some(link),
    };
    if to_citizen {
        return notify(conn, citizen_id, &event, now);
    }
    if let Some(org) = organization_id {
        for account in accounts_of(conn, org)? {
            notify(conn, &account, &event, now)?;
        }
    }
    Ok(())
}

/// The responses of an application, oldest first, with their interviews (the
/// application's view for the citizen and the centre).
pub fn of_application(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<Response>, StoreError> {
    let rows: Vec<ResponseRow> = responses::table
        .filter(responses::application_id.eq(application_id))
        .order((responses::created_at.asc(), responses::id.asc()))
        .select(ResponseRow::as_select())
        .load(conn)?;
    rows.into_iter().map(|r| response_of_row(conn, r)).collect()
}

/// The statuses of an application's interviews (for the finishing rule).
pub fn statuses_of(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Vec<InterviewStatus>, StoreError> {
    let codes: Vec<String> = interviews::table
        .filter(interviews::application_id.eq(application_id))
        .select(interviews::status)
        .load(conn)?;
    codes
        .iter()
        .map(|c| c.parse().map_err(StoreError::from))
        .collect()
}
