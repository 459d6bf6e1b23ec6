//! The employer's side: responses to its organisation's vacancies, the invitation or
//! refusal, and the interviews — the answer to a reschedule request, a cancellation,
//! the result («Когда собеседование будет проведено, работодатель сможет внести
//! результаты собеседования», seed 004).

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use domain::interview::Outcome;
use domain::role::Role;
use persistence::interviews::{self, EmployerMove, Invitation, ResponseFilter};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{stored, CommentBody, InterviewQuery, InterviewView, ResponseQuery, ResponseView};
use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{PageQuery, PageView};

/// Responses to the organisation's vacancies
///
/// Every response to a vacancy of the employer's organisation, newest first, filtered
/// by vacancy and status; responses to other organisations' vacancies never show.
#[utoipa::path(
    operation_id = "list_employer_responses",
    tag = "employer",
    params(ResponseQuery),
    responses((status = 200, description = "A page of responses", body = PageView<ResponseView>)),
    security(("bearer" = [])),
)]
#[get("/employer/responses")]
pub async fn responses(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<ResponseQuery>,
) -> Result<web::Json<PageView<ResponseView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let q = query.0;
    let filter = ResponseFilter {
        vacancy_id: q.vacancy_id,
        status: q.status,
        updated_since: q.updated_since.map(|at| at.naive_utc()),
    };
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            interviews::responses_of(conn, actor, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, ResponseView::from)))
}

/// An invitation to an interview.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "scheduled_at": "2026-12-10T10:00:00Z",
    "place": "г. Москва, ул. Арбат, д. 10, каб. 5",
    "contact_person": "Петров Пётр, +7 495 000-00-00"
}))]
pub struct InvitationBody {
    /// Date and time of the interview; must be in the future.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    pub scheduled_at: DateTime<Utc>,
    /// The address; a place or a link is required.
    #[validate(length(max = 500))]
    pub place: Option<String>,
    /// A video meeting's address.
    #[validate(length(max = 500), url)]
    pub link: Option<String>,
    /// Who to ask for, with a phone or e-mail.
    #[validate(length(min = 1, max = 300), custom(function = "validation::not_blank"))]
    pub contact_person: String,
}

/// Invite to an interview
///
/// Seed 004 «Отклик…», шаг 4: the employer invites the candidate who responded (date
/// and time, place or link, contact person). The response becomes `invited`, an
/// interview opens `invited`, and the citizen is told (category `interviews`). A
/// response already answered gives 409 `response_answered`; another organisation's
/// 404.
#[utoipa::path(
    operation_id = "invite_to_interview",
    tag = "employer",
    params(("id" = String, Path, description = "The response's id")),
    request_body = InvitationBody,
    responses(
        (status = 200, description = "Invited; the response with its interview", body = ResponseView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ResponseAnswered, ProblemCode::NegotiationsClosed, ProblemCode::VacancyClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/employer/responses/{id}/invite")]
pub async fn invite(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<InvitationBody>,
) -> Result<web::Json<ResponseView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let b = body.0;
    let invitation = Invitation {
        scheduled_at: stored(b.scheduled_at),
        place: b.place,
        link: b.link,
        contact_person: b.contact_person,
    };
    let response = state
        .as_actor(&bearer, move |conn, actor| {
            interviews::invite(conn, actor, &id, invitation, now())
        })
        .await?;
    Ok(web::Json(response.into()))
}

/// A refusal of an interview.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"reason": "Вакансия уже закрыта другим кандидатом"}))]
pub struct RefusalBody {
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "validation::not_blank")
    )]
    pub reason: String,
}

/// Refuse an interview
///
/// Seed 004 «Отклик…», шаг 4: the employer refuses to hold an interview, with a
/// reason; the response becomes `refused` and the citizen is told.
#[utoipa::path(
    operation_id = "refuse_response",
    tag = "employer",
    params(("id" = String, Path, description = "The response's id")),
    request_body = RefusalBody,
    responses(
        (status = 200, description = "Refused", body = ResponseView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ResponseAnswered, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/employer/responses/{id}/refuse")]
pub async fn refuse(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<RefusalBody>,
) -> Result<web::Json<ResponseView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let reason = body.0.reason;
    let response = state
        .as_actor(&bearer, move |conn, actor| {
            interviews::refuse(conn, actor, &id, &reason, now())
        })
        .await?;
    Ok(web::Json(response.into()))
}

/// The organisation's interviews
///
/// Every interview for a vacancy of the employer's organisation, latest time first,
/// filtered by status or vacancy.
#[utoipa::path(
    operation_id = "list_employer_interviews",
    tag = "employer",
    params(InterviewQuery),
    responses((status = 200, description = "A page of interviews", body = PageView<InterviewView>)),
    security(("bearer" = [])),
)]
#[get("/employer/interviews")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<InterviewQuery>,
) -> Result<web::Json<PageView<InterviewView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let (filter, page) = query.0.split();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            interviews::interviews_of(conn, actor, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, InterviewView::from)))
}

async fn act(
    state: &AppState,
    bearer: &Bearer,
    id: String,
    mv: EmployerMove,
) -> Result<web::Json<InterviewView>, ApiError> {
    bearer.require(Role::Employer)?;
    let interview = state
        .as_actor(bearer, move |conn, actor| {
            interviews::employer_move(conn, actor, &id, mv, now())
        })
        .await?;
    Ok(web::Json(interview.into()))
}

/// The employer's answer to a reschedule request.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"scheduled_at": "2026-12-11T14:00:00Z"}))]
pub struct RescheduleBody {
    /// The new time; the citizen's proposal when left out. Must be in the future.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    pub scheduled_at: Option<DateTime<Utc>>,
    /// A new place, if it changes.
    #[validate(length(min = 1, max = 500))]
    pub place: Option<String>,
    /// A new link, if it changes.
    #[validate(length(max = 500), url)]
    pub link: Option<String>,
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Reschedule an interview
///
/// The employer answers the citizen's reschedule request: the interview moves to the
/// new time (the one given, or the citizen's `proposed_at` when left out) and becomes
/// `rescheduled`; the citizen is told and accepts it again. Only from
/// `reschedule_requested` (else 409 `invalid_interview_move`); once the citizen's
/// application has left negotiations, 409 `negotiations_closed`.
#[utoipa::path(
    operation_id = "reschedule_interview",
    tag = "employer",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = RescheduleBody,
    responses(
        (status = 200, description = "Rescheduled", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/employer/interviews/{id}/reschedule")]
pub async fn reschedule(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<RescheduleBody>,
) -> Result<web::Json<InterviewView>, ApiError> {
    let b = body.0;
    let mv = EmployerMove::Reschedule {
        scheduled_at: b.scheduled_at.map(stored),
        place: b.place,
        link: b.link,
        comment: b.comment,
    };
    act(&state, &bearer, id.into_inner(), mv).await
}

/// Cancel an interview
///
/// The employer cancels an interview not yet over, with an optional reason; the
/// citizen is told. This works after the citizen's application has left negotiations
/// too (withdrawn, refused).
#[utoipa::path(
    operation_id = "cancel_employer_interview",
    tag = "employer",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = CommentBody,
    responses(
        (status = 200, description = "Cancelled", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/employer/interviews/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<CommentBody>,
) -> Result<web::Json<InterviewView>, ApiError> {
    let comment = body.0.comment;
    act(
        &state,
        &bearer,
        id.into_inner(),
        EmployerMove::Cancel { comment },
    )
    .await
}

/// The result of an interview.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"outcome": "hired", "comment": "Выходит на работу 15 декабря"}))]
pub struct ResultBody {
    #[schema(value_type = crate::docs::OutcomeCode)]
    pub outcome: Outcome,
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Record an interview's result
///
/// Once a confirmed interview's time has come, the employer records the result
/// (`hired` or `not_hired`, with a comment); the interview becomes `held` and the
/// citizen is told. Before the time: 409 `invalid_interview_move`, reason
/// `interview_not_held_yet`; an interview not confirmed: reason `not_allowed_now`;
/// once the citizen's application has left negotiations, 409 `negotiations_closed`.
#[utoipa::path(
    operation_id = "record_interview_result",
    tag = "employer",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = ResultBody,
    responses(
        (status = 200, description = "Recorded", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/employer/interviews/{id}/result")]
pub async fn result(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ResultBody>,
) -> Result<web::Json<InterviewView>, ApiError> {
    let b = body.0;
    let mv = EmployerMove::Result {
        outcome: b.outcome,
        comment: b.comment,
    };
    act(&state, &bearer, id.into_inner(), mv).await
}
