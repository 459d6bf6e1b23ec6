//! Citizens enrol in courses under the vocational-training rule (SPEC §1), list their
//! enrolments and cancel them; a place is never given twice.

use actix_web::{delete, get, http::header, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use domain::training::EnrolmentStatus;
use persistence::training::{self, Enrolment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::{CourseView, EnrolmentStatusCode};
use crate::auth::Bearer;
use crate::extract::ValidQuery;
use crate::problem::ProblemCode;
use crate::problem::{ApiError, Problem};
use crate::state::{now, AppState};
use crate::views::{utc, Labelled, PageQuery, PageView};

/// An enrolment with its course.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = enrolment_example)]
pub struct EnrolmentView {
    #[schema(format = Uuid)]
    pub id: String,
    /// `active` «Вы записаны», `cancelled`, or `course_withdrawn`.
    pub status: Labelled<crate::codes::EnrolmentStatusCode>,
    pub course: CourseView,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn enrolment_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01938f4e-5555-7000-8000-000000000061",
        "status": {"code": "active", "title": "Вы записаны"},
        "course": crate::views::example_of::<CourseView>(),
        "created_at": "2026-12-02T10:00:00Z",
        "updated_at": "2026-12-02T10:00:00Z"
    })
}

impl EnrolmentView {
    fn new(e: Enrolment) -> EnrolmentView {
        EnrolmentView {
            id: e.id,
            status: Labelled::of(e.status),
            course: CourseView::new(e.course),
            created_at: utc(e.created_at),
            updated_at: utc(e.updated_at),
        }
    }
}

/// Enrol in a course
#[utoipa::path(
    tag = "training",
    operation_id = "enrol_in_course",
    description = "Enrols the citizen. Allowed with a personal case in status «Безработный» (the \
vocational-training service; otherwise 409 `service_not_available` with the `reason`), in a course that is open \
(`course_withdrawn`) and has not started (`course_started`), while a place is free (`course_full`: places are \
taken atomically, never more than the capacity), once per course (`already_enrolled`).",
    params(("id" = String, Path, description = "The course's id")),
    responses(
        (status = 201, description = "Enrolled", body = EnrolmentView,
            headers(("Location" = String, description = "`/api/v1/citizen/enrolments/{id}`"))),
        (status = 409, description = "Not eligible, withdrawn, started, full, or already enrolled", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ServiceNotAvailable, ProblemCode::CourseWithdrawn, ProblemCode::CourseStarted, ProblemCode::CourseFull, ProblemCode::AlreadyEnrolled]))),
    security(("bearer" = [])),
)]
#[post("/training-courses/{id}/enrolments")]
pub async fn enrol(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let enrolment = state
        .as_actor(&bearer, move |conn, actor| {
            training::enrol(conn, actor, &id, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/enrolments/{}", enrolment.id),
        ))
        .json(EnrolmentView::new(enrolment)))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrolmentQuery {
    /// Only enrolments in this status; all of them when absent.
    #[param(inline, value_type = Option<EnrolmentStatusCode>)]
    pub status: Option<EnrolmentStatus>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// My enrolments
#[utoipa::path(
    tag = "training",
    operation_id = "list_my_enrolments",
    description = "The citizen's enrolments, newest first, each with its course; filtered by status.",
    params(EnrolmentQuery),
    responses(
        (status = 200, description = "A page of enrolments", body = PageView<EnrolmentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/enrolments")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<EnrolmentQuery>,
) -> Result<web::Json<PageView<EnrolmentView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let status = q.status;
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            training::my_enrolments(conn, actor, status, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, EnrolmentView::new)))
}

/// An enrolment
#[utoipa::path(
    tag = "training",
    operation_id = "get_my_enrolment",
    description = "One of the citizen's enrolments; another person's answers 404.",
    params(("id" = String, Path, description = "The enrolment's id")),
    responses(
        (status = 200, description = "The enrolment", body = EnrolmentView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/enrolments/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<EnrolmentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            training::own_enrolment(conn, actor, &id)
        })
        .await?;
    Ok(web::Json(EnrolmentView::new(found)))
}

/// Cancel an enrolment
#[utoipa::path(
    tag = "training",
    operation_id = "cancel_my_enrolment",
    description = "Cancels one of the citizen's active enrolments before the course starts (409 `course_started` \
after, `enrolment_not_active` when already ended); the place is free again. The enrolment stays listed as \
`cancelled`.",
    params(("id" = String, Path, description = "The enrolment's id")),
    responses(
        (status = 200, description = "Cancelled", body = EnrolmentView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::EnrolmentNotActive]))),
    security(("bearer" = [])),
)]
#[delete("/citizen/enrolments/{id}")]
pub async fn cancel(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<EnrolmentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            training::cancel(conn, actor, &id, now())
        })
        .await?;
    Ok(web::Json(EnrolmentView::new(found)))
}
