//! The centre's side of job-search applications: its work list, and acceptance,
//! refusal and closing (seed 004).

use actix_web::{get, post, web};
use domain::job_search::{ApplicationStatus, Attention};
use domain::role::Role;
use persistence::audit::Journaled;
use persistence::job_search::{self, ApplicationFilter, JobSearchError};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use super::{ApplicationTransitionBody, ApplicationView};
use crate::audit::Audit;
use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::views::{PageQuery, PageView};

/// Filters and paging of the centre's applications.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffApplicationQuery {
    /// A status code.
    #[param(value_type = Option<crate::docs::ApplicationStatusCode>)]
    pub status: Option<ApplicationStatus>,
    /// Only applications waiting for staff for this reason (`no_slot_by_deadline`).
    #[param(value_type = Option<crate::docs::AttentionCode>)]
    pub attention: Option<Attention>,
    /// Only applications filed or changed strictly after this moment, RFC 3339: for
    /// polling, send the newest `updated_at` seen minus 15 seconds and drop repeats by `id`:
    /// a change still being saved as you polled carries a moment slightly before its
    /// neighbours'.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// The centre's job-search applications
///
/// Applications addressed to the staff member's centre, newest first, filtered by
/// status and by the reason they wait for staff (`attention=no_slot_by_deadline`: no
/// free slot existed for the personal visit by its deadline).
#[utoipa::path(
    operation_id = "list_centre_job_search_applications",
    tag = "job_search",
    params(StaffApplicationQuery),
    responses(
        (status = 200, description = "A page of applications", body = PageView<ApplicationView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/job-search-applications")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<StaffApplicationQuery>,
    audit: Audit,
) -> Result<web::Json<PageView<ApplicationView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let q = query.0;
    let filter = ApplicationFilter {
        status: q.status,
        attention: q.attention,
        updated_since: q.updated_since.map(|at| at.naive_utc()),
    };
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let read = state
        .as_actor(&bearer, move |conn, actor| {
            let found = job_search::list(conn, actor, &filter, page)?;
            let entries = job_search::journal::listed(actor, &audit.0, &found.items, now());
            Ok::<_, JobSearchError>(Journaled::many(found, entries))
        })
        .await?;
    let found = state.journal.serve(read).await?;
    Ok(web::Json(PageView::from_page(found, |a| {
        ApplicationView::new(a, Vec::new())
    })))
}

/// Open one of the centre's job-search applications
///
/// The application with its history. An application of another centre answers 404.
#[utoipa::path(
    operation_id = "get_centre_job_search_application",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/job-search-applications/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: Audit,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Staff)?;
    read_one(&state, &bearer, id.into_inner(), audit).await
}

/// An application with its history, as the bearer may see it; staff opening it is
/// journaled for the applicant.
pub async fn read_one(
    state: &AppState,
    bearer: &Bearer,
    id: String,
    audit: Audit,
) -> Result<web::Json<ApplicationView>, ApiError> {
    let read = state
        .as_actor(bearer, move |conn, actor| {
            let app = job_search::get(conn, actor, &id)?;
            let history = job_search::history_of(conn, actor, &id)?;
            let entries = job_search::journal::opened(actor, &audit.0, &app, now());
            Ok::<_, JobSearchError>(Journaled::many((app, history), entries))
        })
        .await?;
    let (app, history) = state.journal.serve(read).await?;
    Ok(web::Json(ApplicationView::new(app, history)))
}

/// A move by the bearer; the answer is the application as it now stands.
pub async fn move_one(
    state: &AppState,
    bearer: &Bearer,
    id: String,
    body: ApplicationTransitionBody,
) -> Result<web::Json<ApplicationView>, ApiError> {
    let ApplicationTransitionBody {
        to,
        comment,
        agreed_vacancy_ids,
    } = body;
    let (app, history) = state
        .as_actor(bearer, move |conn, actor| {
            let app = job_search::transition(
                conn,
                actor,
                &id,
                to,
                comment.as_deref(),
                &agreed_vacancy_ids,
                now(),
            )?;
            let history = job_search::history_of(conn, actor, &id)?;
            Ok::<_, JobSearchError>((app, history))
        })
        .await?;
    Ok(web::Json(ApplicationView::new(app, history)))
}

/// Move a job-search application
///
/// Staff of the application's centre accept it (`accepted`), refuse it (`refused`,
/// reason required; from `submitted`, or from `accepted` when the citizen missed the
/// visit), move it to negotiations once they agreed the candidacy with employers
/// (`negotiations`, naming the offered vacancies agreed in `agreed_vacancy_ids`), and
/// close it once the results are sent (`results_sent` → `closed`). Accepting makes the staff member the citizen's personal consultant, sets the visit
/// deadline (11 days when the citizen claims unemployed status, 5 otherwise) and books
/// the first free slot of the centre's calendar by it; when there is none the
/// application is marked `attention: no_slot_by_deadline`. The citizen is told of
/// every move and of the visit (date, address, documents, consultant). Accepting also
/// selects published vacancies that fit the resume and wishes (region and profession
/// or its category required; salary, employment type, schedule and experience scored),
/// offers the best 20 with their reasons, tells their employers, and moves the
/// application on to `vacancies_selected` when there is at least one.
#[utoipa::path(
    operation_id = "transition_centre_job_search_application",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    request_body = ApplicationTransitionBody,
    responses(
        (status = 200, description = "Moved; the application as it now stands", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidTransition, ProblemCode::TransitionNotPermitted, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/staff/job-search-applications/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ApplicationTransitionBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Staff)?;
    move_one(&state, &bearer, id.into_inner(), body.0).await
}

/// Vacancies to add to and remove from the offers.
#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[schema(example = json!({"add": ["01935f3e-4444-7000-8000-000000000005"], "remove": []}))]
pub struct EditOffersBody {
    /// Published vacancies to offer.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub add: Vec<String>,
    /// Offered vacancies to withdraw.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub remove: Vec<String>,
}

/// Edit the vacancies offered
///
/// Staff add published vacancies to the application's offers (each scored as the
/// matching would, with its reasons; its employer is told) and remove offered ones,
/// while the application is `accepted` or `vacancies_selected` (else 409
/// `offers_closed`). A change clears the citizen's priorities. The first offers of an
/// `accepted` application move it to `vacancies_selected` and tell the citizen.
#[utoipa::path(
    operation_id = "edit_job_search_offers",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    request_body = EditOffersBody,
    responses(
        (status = 200, description = "The application as it now stands", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::OffersClosed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/staff/job-search-applications/{id}/vacancies")]
pub async fn edit_offers(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<EditOffersBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let EditOffersBody { add, remove } = body.0;
    let (app, history) = state
        .as_actor(&bearer, move |conn, actor| {
            let app = persistence::offers::edit(conn, actor, &id, &add, &remove, now())?;
            let history = job_search::history_of(conn, actor, &id)?;
            Ok::<_, JobSearchError>((app, history))
        })
        .await?;
    Ok(web::Json(ApplicationView::new(app, history)))
}

/// A vacancy the matching would select now.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "vacancy": {"id": "01935f3e-4444-7000-8000-000000000005", "title": "Повар", "employer_name": "ООО «Ромашка»"},
    "score": 90,
    "matched": [{"code": "region", "title": "Регион"}, {"code": "profession", "title": "Профессия"}],
    "relaxed": [{"code": "schedule", "title": "График работы"}]
}))]
pub struct MatchView {
    pub vacancy: super::VacancyRefView,
    /// 0–100, as in the offers.
    pub score: u32,
    pub matched: Vec<crate::views::Labelled<crate::codes::CriterionCode>>,
    pub relaxed: Vec<crate::views::Labelled<crate::codes::CriterionCode>>,
}

/// Preview the matching
///
/// Runs the portal's matching for the application over the published vacancies now
/// (region and profession or its category required; salary, employment type, schedule
/// and experience scored) and answers its best 20, best first, without storing them or
/// telling anyone: staff compare it with the offers before adding vacancies by hand.
/// Staff of the application's centre only; another centre's application answers 404.
#[utoipa::path(
    operation_id = "preview_job_search_matching",
    tag = "job_search",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "What the matching selects now", body = Vec<MatchView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/job-search-applications/{id}/matching")]
pub async fn matching(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<Vec<MatchView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::offers::preview(conn, actor, &id)
        })
        .await?;
    Ok(web::Json(
        found
            .into_iter()
            .map(|c| MatchView {
                vacancy: super::VacancyRefView {
                    id: c.vacancy_id,
                    title: c.title,
                    employer_name: c.employer_name,
                },
                score: c.fit.score,
                matched: c
                    .fit
                    .matched
                    .into_iter()
                    .map(crate::views::Labelled::of)
                    .collect(),
                relaxed: c
                    .fit
                    .relaxed
                    .into_iter()
                    .map(crate::views::Labelled::of)
                    .collect(),
            })
            .collect(),
    ))
}
