//! The citizen's response to an agreed vacancy, the employer's list of responses, and
//! its answer: an invitation (which opens the interview) or a refusal.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::interview::InterviewStatus;
use domain::job_response::{
    check_invitation, invitation_notice, refusal_notice, response_notice, ResponseStatus,
};
use domain::job_search::ApplicationStatus;
use domain::role::Role;
use domain::Coded;

use super::{response_of_row, tell, InterviewRow, InterviewUseError, Owner, Response, ResponseRow};
use crate::paging::{self, Page, PageRequest};
use crate::schema::{
    interviews, job_search_applications as apps, job_search_offers as offers,
    job_search_responses as responses, vacancies,
};
use crate::{db, new_id, DbConnection, StoreError};

/// What the citizen sends (seed 004 «Отклик…», шаг 3).
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub vacancy_id: String,
    /// Must be the application's resume when given.
    pub resume_id: Option<String>,
    pub cover_letter: String,
}

/// The employer's invitation (seed 004 «Отклик…», шаг 4).
#[derive(Debug, Clone)]
pub struct Invitation {
    pub scheduled_at: NaiveDateTime,
    pub place: Option<String>,
    pub link: Option<String>,
    pub contact_person: String,
}

pub(super) fn application_status(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<ApplicationStatus, InterviewUseError> {
    let code: String = apps::table
        .find(application_id)
        .select(apps::status)
        .first(conn)?;
    Ok(code.parse().map_err(StoreError::from)?)
}

/// Responds to a vacancy agreed for the citizen's application in negotiations, with
/// the application's resume and a cover letter; one response per vacancy. The
/// employer's accounts are told.
pub fn respond(
    conn: &mut DbConnection,
    actor: &Actor,
    application_id: &str,
    new: NewResponse,
    now: NaiveDateTime,
) -> Result<Response, InterviewUseError> {
    if actor.role != Role::Citizen {
        return Err(InterviewUseError::NotFound);
    }
    let written = db::write::<_, InterviewUseError>(conn, |conn| {
        let (citizen, resume): (String, String) = apps::table
            .find(application_id)
            .select((apps::citizen_id, apps::resume_id))
            .first(conn)?;
        if citizen != actor.user_id {
            return Err(InterviewUseError::NotFound);
        }
        let status = application_status(conn, application_id)?;
        if status != ApplicationStatus::Negotiations {
            return Err(InterviewUseError::ApplicationClosed(status));
        }
        if new.resume_id.as_deref().is_some_and(|r| r != resume) {
            return Err(InterviewUseError::WrongResume);
        }
        let agreed: bool = diesel::select(diesel::dsl::exists(
            offers::table
                .filter(offers::application_id.eq(application_id))
                .filter(offers::vacancy_id.eq(&new.vacancy_id))
                .filter(offers::agreed.eq(true)),
        ))
        .get_result(conn)?;
        if !agreed {
            return Err(InterviewUseError::NotAgreed);
        }
        let (vacancy_status, organization_id, title): (String, Option<String>, String) =
            vacancies::table
                .find(&new.vacancy_id)
                .select((
                    vacancies::status,
                    vacancies::organization_id,
                    vacancies::title,
                ))
                .first(conn)?;
        if vacancy_status != crate::vacancies::PUBLISHED {
            return Err(InterviewUseError::VacancyClosed);
        }
        if let Some(id) = existing(conn, application_id, &new.vacancy_id)? {
            return Err(InterviewUseError::AlreadyResponded(id));
        }
        let row = ResponseRow {
            id: new_id(),
            application_id: application_id.to_owned(),
            vacancy_id: new.vacancy_id.clone(),
            organization_id: organization_id.clone(),
            citizen_id: actor.user_id.clone(),
            resume_id: resume,
            cover_letter: new.cover_letter.trim().to_owned(),
            status: ResponseStatus::Sent.code().to_owned(),
            refusal_reason: None,
            created_at: now,
            updated_at: now,
        };
        diesel::insert_into(responses::table)
            .values(&row)
            .execute(conn)?;
        if let Some(org) = organization_id.as_deref() {
            let event = domain::webhook::EventData::ResponseCreated {
                response_id: row.id.clone(),
                vacancy_id: row.vacancy_id.clone(),
                vacancy_title: title.clone(),
            };
            crate::webhooks::enqueue(conn, org, &event, now)?;
        }
        let response = response_of_row(conn, row)?;
        tell(
            conn,
            false,
            &actor.user_id,
            organization_id.as_deref(),
            response_notice(&title, &response.citizen_name),
            "/api/v1/employer/responses",
            now,
        )?;
        Ok(response)
    });
    match written {
        // Two responses raced past the check: the unique index refused the second.
        Err(InterviewUseError::Store(StoreError::Conflict(_))) => {
            match existing(conn, application_id, &new.vacancy_id)? {
                Some(id) => Err(InterviewUseError::AlreadyResponded(id)),
                None => Err(InterviewUseError::Concurrent),
            }
        }
        other => other,
    }
}

fn existing(
    conn: &mut DbConnection,
    application_id: &str,
    vacancy_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(responses::table
        .filter(responses::application_id.eq(application_id))
        .filter(responses::vacancy_id.eq(vacancy_id))
        .select(responses::id)
        .first(conn)
        .optional()?)
}

/// Filters of the employer's responses.
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    pub vacancy_id: Option<String>,
    pub status: Option<ResponseStatus>,
    /// Only responses sent or changed strictly after this moment (UTC).
    pub updated_since: Option<NaiveDateTime>,
}

/// A page of the responses to the employer's organisation's vacancies, newest first.
pub fn responses_of(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &ResponseFilter,
    page: PageRequest,
) -> Result<Page<Response>, InterviewUseError> {
    let Owner::Organization(org) = Owner::of(actor)? else {
        return Err(InterviewUseError::NotFound);
    };
    let query = || {
        let mut q = responses::table
            .filter(responses::organization_id.eq(org.clone()))
            .into_boxed();
        if let Some(v) = &filter.vacancy_id {
            q = q.filter(responses::vacancy_id.eq(v.clone()));
        }
        if let Some(s) = filter.status {
            q = q.filter(responses::status.eq(s.code()));
        }
        if let Some(since) = filter.updated_since {
            q = q.filter(responses::updated_at.gt(since));
        }
        q
    };
    let rows: Page<ResponseRow> = paging::count_and_load(conn, page, query, |q| {
        q.order((responses::created_at.desc(), responses::id.desc()))
            .select(ResponseRow::as_select())
    })?;
    Ok(rows.try_map(|r| response_of_row(conn, r))?)
}

/// The response if it answers a vacancy of the employer's organisation.
fn employer_row(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<ResponseRow, InterviewUseError> {
    let owner = Owner::of(actor)?;
    let row: ResponseRow = responses::table
        .find(id)
        .select(ResponseRow::as_select())
        .first(conn)?;
    if !matches!(owner, Owner::Organization(_))
        || !owner.reaches(&row.citizen_id, row.organization_id.as_deref())
    {
        return Err(InterviewUseError::NotFound);
    }
    Ok(row)
}

/// Moves a response from `sent`, conditional on the status read.
fn answer(
    conn: &mut DbConnection,
    row: &ResponseRow,
    to: ResponseStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), InterviewUseError> {
    let from: ResponseStatus = row.status.parse().map_err(StoreError::from)?;
    from.transition(to)?;
    let status = application_status(conn, &row.application_id)?;
    if status != ApplicationStatus::Negotiations {
        return Err(InterviewUseError::ApplicationClosed(status));
    }
    let changed = diesel::update(
        responses::table
            .filter(responses::id.eq(&row.id))
            .filter(responses::status.eq(from.code())),
    )
    .set((
        responses::status.eq(to.code()),
        responses::refusal_reason.eq(reason),
        responses::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed != 1 {
        // Answered meanwhile: refused as a later request would be.
        let current: String = responses::table
            .find(&row.id)
            .select(responses::status)
            .first(conn)?;
        let current: ResponseStatus = current.parse().map_err(StoreError::from)?;
        current.transition(to)?;
        return Err(InterviewUseError::Concurrent);
    }
    Ok(())
}

/// Invites the citizen to an interview: the response becomes `invited` and an
/// interview opens `invited`; the citizen is told.
pub fn invite(
    conn: &mut DbConnection,
    actor: &Actor,
    response_id: &str,
    invitation: Invitation,
    now: NaiveDateTime,
) -> Result<Response, InterviewUseError> {
    db::write::<_, InterviewUseError>(conn, |conn| {
        let row = employer_row(conn, actor, response_id)?;
        let from: ResponseStatus = row.status.parse().map_err(StoreError::from)?;
        from.transition(ResponseStatus::Invited)?;
        let trimmed = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let (place, link) = (trimmed(&invitation.place), trimmed(&invitation.link));
        check_invitation(
            invitation.scheduled_at,
            place.as_deref(),
            link.as_deref(),
            &invitation.contact_person,
            now,
        )?;
        answer(conn, &row, ResponseStatus::Invited, None, now)?;
        let interview = InterviewRow {
            id: new_id(),
            response_id: row.id.clone(),
            application_id: row.application_id.clone(),
            vacancy_id: row.vacancy_id.clone(),
            organization_id: row.organization_id.clone(),
            citizen_id: row.citizen_id.clone(),
            status: InterviewStatus::Invited.code().to_owned(),
            scheduled_at: invitation.scheduled_at,
            place,
            link,
            contact_person: invitation.contact_person.trim().to_owned(),
            proposed_at: None,
            comment: None,
            outcome: None,
            result_comment: None,
            result_at: None,
            created_at: now,
            updated_at: now,
        };
        diesel::insert_into(interviews::table)
            .values(&interview)
            .execute(conn)?;
        let response = reload(conn, &row.id)?;
        tell(
            conn,
            true,
            &row.citizen_id,
            None,
            invitation_notice(
                &response.vacancy_title,
                &response.employer_name,
                interview.scheduled_at,
                interview.place.as_deref(),
                interview.link.as_deref(),
                &interview.contact_person,
            ),
            "/api/v1/citizen/interviews",
            now,
        )?;
        Ok(response)
    })
}

/// Refuses an interview with a reason; the citizen is told.
pub fn refuse(
    conn: &mut DbConnection,
    actor: &Actor,
    response_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Response, InterviewUseError> {
    db::write::<_, InterviewUseError>(conn, |conn| {
        let row = employer_row(conn, actor, response_id)?;
        let reason = reason.trim();
        answer(conn, &row, ResponseStatus::Refused, Some(reason), now)?;
        let response = reload(conn, &row.id)?;
        tell(
            conn,
            true,
            &row.citizen_id,
            None,
            refusal_notice(&response.vacancy_title, &response.employer_name, reason),
            &format!(
                "/api/v1/citizen/job-search-applications/{}",
                row.application_id
            ),
            now,
        )?;
        Ok(response)
    })
}

fn reload(conn: &mut DbConnection, id: &str) -> Result<Response, InterviewUseError> {
    let row: ResponseRow = responses::table
        .find(id)
        .select(ResponseRow::as_select())
        .first(conn)?;
    Ok(response_of_row(conn, row)?)
}
