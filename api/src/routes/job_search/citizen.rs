//! The citizen's job-search applications (seed 004 «Заявления»).

use actix_web::{get, http::header, post, put, web, HttpResponse};
use domain::job_search::WishesInput;
use domain::role::Role;
use domain::vacancy::{EmploymentType, Schedule};
use persistence::job_search::{self, ApplicationFilter, NewApplication};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{ApplicationTransitionBody, ApplicationView};
use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{PageView, PolledPageQuery};

/// A new application. Wishes left out are taken from the resume.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "resume_id": "01935f3e-3333-7000-8000-000000000004",
    "claims_unemployed": true,
    "salary_from": 60000,
    "employment_types": ["full_time", "part_time"],
    "found_vacancy_ids": ["01935f3e-4444-7000-8000-000000000005"]
}))]
pub struct NewApplicationBody {
    /// One of the citizen's own resumes.
    #[validate(length(min = 1, max = 64))]
    pub resume_id: String,
    /// «Претендую на признание безработным»: the visit is then due within 11 days of
    /// acceptance, otherwise within 5.
    pub claims_unemployed: bool,
    /// The centre to address; defaults to the citizen's own.
    #[validate(length(min = 1, max = 64))]
    pub centre_id: Option<String>,
    /// ОКПДТР code (dictionary `professions`).
    #[validate(custom(function = "profession"))]
    pub profession_code: Option<String>,
    #[validate(length(min = 1, max = 64), custom(function = "validation::not_blank"))]
    pub category: Option<String>,
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "region"))]
    pub region_code: Option<String>,
    /// The lowest acceptable salary, roubles a month.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<i64>,
    #[schema(value_type = Option<Vec<crate::docs::EmploymentTypeCode>>)]
    #[validate(length(max = 6))]
    pub employment_types: Option<Vec<EmploymentType>>,
    #[schema(value_type = Option<Vec<crate::docs::ScheduleCode>>)]
    #[validate(length(max = 6))]
    pub schedules: Option<Vec<Schedule>>,
    /// «Самостоятельно найденные вакансии»: ids from the citizen's favourites.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub found_vacancy_ids: Vec<String>,
    /// The draft (kind `job_search_application`) this form was filled in; it is
    /// deleted when the application is filed.
    pub draft_id: Option<String>,
}

fn profession(code: &str) -> Result<(), validator::ValidationError> {
    match domain::reference::profession(code) {
        Some(_) => Ok(()),
        None => Err(validator::ValidationError::new("unknown")
            .with_message("Нет такой профессии в справочнике".into())),
    }
}

fn region(code: &str) -> Result<(), validator::ValidationError> {
    match domain::reference::region_title(code) {
        Some(_) => Ok(()),
        None => Err(validator::ValidationError::new("unknown")
            .with_message("Нет такого региона в справочнике".into())),
    }
}

/// File a job-search application
///
/// Files «Заявление-анкета на поиск подходящей работы» with one of the
/// citizen's resumes to their centre (or the one named). Wishes left out are taken from
/// the resume; `found_vacancy_ids` cite vacancies from the citizen's favourites. A
/// citizen has one open application at a time: a second is refused with 409
/// `open_application_exists` and the open one's id in `existing_id`. The application
/// starts `submitted` («Подано»); staff of the centre accept it.
#[utoipa::path(
    operation_id = "file_job_search_application",
    tag = "job_search",
    request_body = NewApplicationBody,
    responses(
        (status = 201, description = "Filed", body = ApplicationView,
            headers(("Location" = String, description = "`/api/v1/citizen/job-search-applications/{id}`"))),
        (status = 409, description = "An open application exists (`existing_id`)", body = crate::problem::Problem,
            example = json!({"type": "/problems/open-application-exists", "title": "Конфликт", "status": 409,
                "detail": "The citizen already has an open job-search application; its id is in `existing_id`",
                "code": "open_application_exists", "existing_id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b"})),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::OpenApplicationExists]))),
    security(("bearer" = [])),
)]
#[post("/citizen/job-search-applications")]
pub async fn file(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewApplicationBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let b = body.0;
    let new = NewApplication {
        resume_id: b.resume_id,
        claims_unemployed: b.claims_unemployed,
        centre_id: b.centre_id,
        wishes: WishesInput {
            profession_code: b.profession_code,
            category: b.category.map(|c| c.trim().to_owned()),
            region_code: b.region_code,
            salary_from: b.salary_from,
            employment_types: b.employment_types,
            schedules: b.schedules,
        },
        found_vacancy_ids: b.found_vacancy_ids,
        draft_id: b.draft_id,
    };
    let (app, history) = state
        .as_actor(&bearer, move |conn, actor| {
            let app = job_search::file(conn, actor, new, now())?;
            let history = job_search::history_of(conn, actor, &app.id)?;
            Ok::<_, job_search::JobSearchError>((app, history))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/job-search-applications/{}", app.id),
        ))
        .json(ApplicationView::new(app, history)))
}

/// The citizen's job-search applications
///
/// Every application the citizen filed, newest first, without histories (open one
/// for its history). With `updated_since`, only those filed or changed (a status, an
/// accepted visit) after it.
#[utoipa::path(
    operation_id = "list_my_job_search_applications",
    tag = "job_search",
    params(PolledPageQuery),
    responses(
        (status = 200, description = "A page of applications", body = PageView<ApplicationView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/job-search-applications")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<PolledPageQuery>,
) -> Result<web::Json<PageView<ApplicationView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let (updated_since, page) = query.0.split();
    let filter = ApplicationFilter {
        updated_since,
        ..ApplicationFilter::default()
    };
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            job_search::list(conn, actor, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, |a| {
        ApplicationView::new(a, Vec::new())
    })))
}

/// Open a job-search application
///
/// The application with its status history, the booked personal visit, the visit
/// deadline and the personal consultant. Another citizen's application answers 404.
#[utoipa::path(
    operation_id = "get_my_job_search_application",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/job-search-applications/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    super::staff::read_one(&state, &bearer, id.into_inner(), audit).await
}

/// Withdraw a job-search application
///
/// The citizen withdraws the application (`{"to": "withdrawn", "comment": "…"}`, the
/// reason required) until the results are sent to the centre. A booked visit still
/// ahead is cancelled. Any other move is the centre's: 403 `transition_not_permitted`.
#[utoipa::path(
    operation_id = "transition_my_job_search_application",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    request_body = ApplicationTransitionBody,
    responses(
        (status = 200, description = "Moved; the application as it now stands", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidTransition, ProblemCode::TransitionNotPermitted, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/job-search-applications/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ApplicationTransitionBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    super::staff::move_one(&state, &bearer, id.into_inner(), body.0).await
}

/// The citizen's order of the offered vacancies.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"vacancy_ids": ["01935f3e-4444-7000-8000-000000000005", "01935f3e-4444-7000-8000-000000000006"]}))]
pub struct PrioritiesBody {
    /// Every offered vacancy once, most wanted first.
    #[validate(length(max = 100))]
    pub vacancy_ids: Vec<String>,
}

/// Order the offered vacancies
///
/// Seed 004 «Расстановка приоритетов»: the citizen orders every offered vacancy, most
/// wanted first, and sends the order to the centre, which agrees the candidacy with
/// employers. The list must be a permutation of the offers (422 naming
/// `vacancy_ids[i]` or `vacancy_ids` otherwise); only while the application is
/// `vacancies_selected` (409 `offers_closed`).
#[utoipa::path(
    operation_id = "prioritise_job_search_offers",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    request_body = PrioritiesBody,
    responses(
        (status = 200, description = "The application with its offers in the new order", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::OffersClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[put("/citizen/job-search-applications/{id}/priorities")]
pub async fn prioritise(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<PrioritiesBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let order = body.0.vacancy_ids;
    let (app, history) = state
        .as_actor(&bearer, move |conn, actor| {
            let app = persistence::offers::prioritise(conn, actor, &id, &order)?;
            let history = job_search::history_of(conn, actor, &id)?;
            Ok::<_, job_search::JobSearchError>((app, history))
        })
        .await?;
    Ok(web::Json(ApplicationView::new(app, history)))
}

/// How the citizen finishes the negotiations.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"choice": "finish_negotiations"}))]
pub struct FinishBody {
    /// `refuse_all` («Отказаться от всех вакансий и отправить в центр занятости») or
    /// `finish_negotiations` («Завершить переговоры с работодателями и отправить
    /// результаты в центр занятости»).
    #[schema(value_type = crate::docs::FinishCode)]
    pub choice: domain::interview::Finish,
}

/// Finish the negotiations
///
/// Seed 004 «Отклик…», шаг 6: once every interview is settled (declined, cancelled or
/// held with a result; else 409 `interviews_unsettled`), the citizen closes the
/// negotiations with one of the two choices. The application moves from
/// `negotiations` to `results_sent` («Результаты направлены в ЦЗН»; else 409
/// `invalid_transition`) and waits in the centre's work list
/// (`GET /staff/job-search-applications?status=results_sent`) with its responses,
/// interviews and their results.
#[utoipa::path(
    operation_id = "finish_job_search_negotiations",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    request_body = FinishBody,
    responses(
        (status = 200, description = "The results are sent to the centre", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InterviewsUnsettled, ProblemCode::InvalidTransition, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/job-search-applications/{id}/finish")]
pub async fn finish(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<FinishBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let choice = body.0.choice;
    let (app, history) = state
        .as_actor(&bearer, move |conn, actor| {
            let app = job_search::finish(conn, actor, &id, choice, now())?;
            let history = job_search::history_of(conn, actor, &id)?;
            Ok::<_, job_search::JobSearchError>((app, history))
        })
        .await?;
    Ok(web::Json(ApplicationView::new(app, history)))
}
