//! The citizen's side: a response to an agreed vacancy, the interviews, and the moves
//! of seed 004 «Отклик…», шаги 2–5 («Принять», отказ, перенос, отмена).

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use persistence::interviews::{self, CitizenMove, NewResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{stored, CommentBody, InterviewQuery, InterviewView, ResponseView};
use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::PageView;

/// A response to an agreed vacancy.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "vacancy_id": "01935f3e-4444-7000-8000-000000000005",
    "cover_letter": "Работаю поваром шесть лет, готов выйти через неделю."
}))]
pub struct NewResponseBody {
    /// One of the application's agreed vacancies («Список вакансий»).
    #[validate(length(min = 1, max = 64))]
    pub vacancy_id: String,
    /// The resume named in the application; it is taken when left out.
    #[validate(length(min = 1, max = 64))]
    pub resume_id: Option<String>,
    /// «Сопроводительное письмо».
    #[validate(
        length(min = 1, max = 5000),
        custom(function = "validation::not_blank")
    )]
    pub cover_letter: String,
}

/// Respond to an agreed vacancy
///
/// Seed 004 «Отклик на вакансию», шаги 1–3: while the application is in negotiations,
/// the citizen responds to one of its agreed vacancies with the application's resume
/// and a cover letter; the employer's accounts are told (category `interviews`). A
/// vacancy not agreed answers 422 (`vacancy_id`), another resume 422 (`resume_id`); a
/// second response to the vacancy 409 `already_responded` with its id in
/// `existing_id`; an application not in negotiations 409 `negotiations_closed`; a
/// closed vacancy 409 `vacancy_closed`. The response then shows in the application.
#[utoipa::path(
    operation_id = "respond_to_vacancy",
    tag = "job_search",
    params(
        ("id" = String, Path, description = "The application's id"),
        crate::docs::IdempotencyKey,
    ),
    request_body = NewResponseBody,
    responses(
        (status = 201, description = "Sent to the employer", body = ResponseView,
            headers(("Location" = String, description = "`/api/v1/citizen/job-search-applications/{id}`, where the response shows"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::AlreadyResponded, ProblemCode::VacancyClosed, ProblemCode::NegotiationsClosed]))),
    security(("bearer" = [])),
)]
#[post(
    "/citizen/job-search-applications/{id}/responses",
    wrap = "crate::idempotency::Idempotent::json()"
)]
pub async fn respond(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<NewResponseBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let b = body.0;
    let new = NewResponse {
        vacancy_id: b.vacancy_id,
        resume_id: b.resume_id,
        cover_letter: b.cover_letter,
    };
    let app_id = id.clone();
    let response = state
        .as_actor(&bearer, move |conn, actor| {
            interviews::respond(conn, actor, &app_id, new, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/job-search-applications/{id}"),
        ))
        .json(ResponseView::from(response)))
}

/// The citizen's interviews
///
/// Seed 004 «Отклики и приглашения», вкладка «Собеседования»: every interview the
/// citizen was invited to, latest time first, filtered by status or vacancy.
#[utoipa::path(
    operation_id = "list_my_interviews",
    tag = "job_search",
    params(InterviewQuery),
    responses((status = 200, description = "A page of interviews", body = PageView<InterviewView>)),
    security(("bearer" = [])),
)]
#[get("/citizen/interviews")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<InterviewQuery>,
) -> Result<web::Json<PageView<InterviewView>>, ApiError> {
    bearer.require(Role::Citizen)?;
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
    mv: CitizenMove,
) -> Result<web::Json<InterviewView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let interview = state
        .as_actor(bearer, move |conn, actor| {
            interviews::citizen_move(conn, actor, &id, mv, now())
        })
        .await?;
    Ok(web::Json(interview.into()))
}

/// Accept an invitation
///
/// Seed 004 «Отклик…», шаг 5: «Принять» — the interview becomes `confirmed`
/// («Подтверждено») and the employer is told. From `invited` or `rescheduled`; a
/// second accept answers 409 `invalid_interview_move` with the machine `reason`;
/// once the application has left negotiations, 409 `negotiations_closed`.
#[utoipa::path(
    operation_id = "accept_interview",
    tag = "job_search",
    params(("id" = String, Path, description = "The interview's id")),
    responses(
        (status = 200, description = "Confirmed", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/interviews/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<InterviewView>, ApiError> {
    act(&state, &bearer, id.into_inner(), CitizenMove::Accept).await
}

/// Decline an invitation
///
/// «Отказать работодателю во взаимодействии»: from `invited` or `rescheduled`, the
/// interview becomes `declined`, with an optional reason; the employer is told. Once
/// the application has left negotiations, 409 `negotiations_closed`.
#[utoipa::path(
    operation_id = "decline_interview",
    tag = "job_search",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = CommentBody,
    responses(
        (status = 200, description = "Declined", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/interviews/{id}/decline")]
pub async fn decline(
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
        CitizenMove::Decline { comment },
    )
    .await
}

/// A reschedule request.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"proposed_at": "2026-12-11T14:00:00Z", "comment": "В четверг у меня экзамен"}))]
pub struct RescheduleRequestBody {
    /// The time the citizen proposes; must be in the future.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    pub proposed_at: DateTime<Utc>,
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Ask to reschedule an interview
///
/// «Перенести собеседование»: from `invited`, `rescheduled` or `confirmed`, the
/// interview becomes `reschedule_requested` with the proposed time (422
/// `proposed_at` unless it lies ahead); the employer answers with a new time. Once
/// the application has left negotiations, 409 `negotiations_closed`.
#[utoipa::path(
    operation_id = "request_interview_reschedule",
    tag = "job_search",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = RescheduleRequestBody,
    responses(
        (status = 200, description = "Requested", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/interviews/{id}/reschedule")]
pub async fn reschedule(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<RescheduleRequestBody>,
) -> Result<web::Json<InterviewView>, ApiError> {
    let b = body.0;
    let mv = CitizenMove::Reschedule {
        proposed_at: stored(b.proposed_at),
        comment: b.comment,
    };
    act(&state, &bearer, id.into_inner(), mv).await
}

/// Cancel an interview
///
/// «Отменить»: any interview not yet over becomes `cancelled`, with an optional
/// reason; the employer is told. This works after the application has left
/// negotiations too (withdrawn, refused), so no one waits for a meeting in vain.
#[utoipa::path(
    operation_id = "cancel_my_interview",
    tag = "job_search",
    params(("id" = String, Path, description = "The interview's id")),
    request_body = CommentBody,
    responses(
        (status = 200, description = "Cancelled", body = InterviewView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidInterviewMove, ProblemCode::NegotiationsClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/interviews/{id}/cancel")]
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
        CitizenMove::Cancel { comment },
    )
    .await
}
