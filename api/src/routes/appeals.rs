//! Appeals for every role, each seeing only its own (SPEC §2).

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use domain::actor::Actor;
use domain::appeal::AppealStatus;
use domain::appeal_scope;
use domain::appeal_type::AppealType;
use domain::role::Role;
use persistence::appeals::{self, AppealError, AppealFilter, NewAppeal};
use persistence::paging::{Page, PageRequest};
use persistence::{Backend, DbConnection};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::remembered::AppealTotals;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{AppealView, HistoryView, PageQuery, PageView};

/// Filters and paging of appeal lists. Without dates (or `updated_since`), the last 30
/// days are listed.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "date_range", skip_on_field_errors = false))]
pub struct AppealQuery {
    /// Part of the appeal's number, e.g. `00019/26`.
    #[validate(length(min = 1, max = 32))]
    pub number: Option<String>,
    /// An appeal type code.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<crate::docs::AppealTypeCode>)]
    pub appeal_type: Option<AppealType>,
    /// A status code.
    #[param(value_type = Option<crate::docs::AppealStatusCode>)]
    pub status: Option<AppealStatus>,
    /// First day (inclusive, UTC) of the filing dates to list.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_from: Option<NaiveDate>,
    /// Last day (inclusive, UTC).
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_to: Option<NaiveDate>,
    /// Only appeals filed or changed (status, removal from a work list) strictly after this
    /// moment, RFC 3339: for polling, send the newest `updated_at` seen minus 15 seconds and
    /// drop repeats by `id`: a change still being saved as you polled carries a moment
    /// slightly before its neighbours'. Without dates it lifts the 30-day default, so an
    /// old appeal that moved is listed too.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

fn date_range(q: &AppealQuery) -> Result<(), ValidationError> {
    match (q.date_from, q.date_to) {
        (Some(from), Some(to)) if from > to => Err(ValidationError::new("date_range")
            .with_message("Дата начала периода позже даты окончания".into())),
        _ => Ok(()),
    }
}

/// How far back a list reaches when the client names no dates (SPEC §2).
const DEFAULT_DAYS: i64 = 30;

impl AppealQuery {
    pub fn split(self, work_list: bool) -> (AppealFilter, PageQuery) {
        let (date_from, date_to) = match (self.date_from, self.date_to) {
            (None, None) if self.updated_since.is_none() => {
                let today = Utc::now().date_naive();
                (Some(today - TimeDelta::days(DEFAULT_DAYS)), None)
            }
            dates => dates,
        };
        let filter = AppealFilter {
            number: self
                .number
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            appeal_type: self.appeal_type,
            status: self.status,
            date_from,
            date_to,
            updated_since: self.updated_since.map(|at| at.naive_utc()),
            work_list,
            applicant: None,
        };
        let page = PageQuery {
            page: self.page,
            per_page: self.per_page,
        };
        (filter, page)
    }
}

/// A new appeal.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "type": "general_inquiry",
    "subject": "Вопрос о постановке на учёт",
    "body": "Какие документы нужны для постановки на учёт в качестве безработного?"
}))]
pub struct NewAppealBody {
    /// A type the caller may file: a citizen service code or `general_inquiry` for
    /// citizens, `general_inquiry` for employers.
    #[serde(rename = "type")]
    #[schema(value_type = crate::docs::AppealTypeCode)]
    pub appeal_type: AppealType,
    /// Defaults to the type's title.
    #[validate(length(min = 1, max = 300), custom(function = "validation::not_blank"))]
    pub subject: Option<String>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "validation::not_blank")
    )]
    pub body: String,
    /// The centre to address. Without it: the organisation's centre for an employer;
    /// the citizen's own centre; else the only centre of the citizen's region. When
    /// none of these names one (the region has several centres), it is required and
    /// its absence is a 422 on `centre_id`.
    pub centre_id: Option<String>,
    /// The draft this form was filled in; it is deleted when the appeal is filed.
    pub draft_id: Option<String>,
}

/// A status change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to": "clarification_required", "comment": "Приложите копию диплома"}))]
pub struct TransitionBody {
    #[schema(value_type = crate::docs::AppealStatusCode)]
    pub to: AppealStatus,
    /// Required for `rejected` and `clarification_required`.
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Appeals the caller may see
///
/// Citizens see their own appeals; an employer's administrator sees every appeal of
/// the organisation, other employer accounts their own; staff see their centre's,
/// including those removed from the work list (marked). Newest first; without dates,
/// the last 30 days. `updated_since` lists only what was filed or changed after a
/// moment, for apps that poll.
///
/// Read afresh on every request. The `total` of a centre's or an organisation's list
/// is counted once for all its readers and kept until an appeal in it changes: at once
/// for a change through the server answering, within moments (the change feed) or at
/// most a few seconds (5 by default) for one through another server.
#[utoipa::path(
    operation_id = "list_appeals",
    tag = "appeals",
    params(AppealQuery),
    responses(
        (status = 200, description = "A page of appeals", body = PageView<AppealView>),
    ),
    security(("bearer" = [])),
)]
#[get("/appeals")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<AppealQuery>,
) -> Result<HttpResponse, ApiError> {
    list_appeals(&state, bearer, query.0, false).await
}

/// Shared by `/appeals` and the staff work list.
pub async fn list_appeals(
    state: &AppState,
    bearer: Bearer,
    query: AppealQuery,
    work_list: bool,
) -> Result<HttpResponse, ApiError> {
    let (filter, page) = query.split(work_list);
    let role = bearer.role;
    let found = read_page(state, bearer, filter, page.request()).await?;
    Ok(HttpResponse::Ok().json(PageView::from_page(found, |a| AppealView::new(a, role))))
}

/// A page of the appeals the bearer may see.
async fn read_page(
    state: &AppState,
    bearer: Bearer,
    filter: AppealFilter,
    page: PageRequest,
) -> Result<Page<appeals::Appeal>, ApiError> {
    let role = bearer.role;
    let totals = state.appeal_totals.clone();
    // Counting may visit every appeal in sight. A citizen's own are few, so counting
    // them is a short read; a centre's or an organisation's may be tens of thousands,
    // so a short page of theirs is read inline (SQLite) only when its total is
    // remembered. On PostgreSQL both ways are the blocking pool: one trip, not two.
    let inline = state.db.backend() == Backend::Sqlite && appeals::page_is_short(&filter, page);
    if role == Role::Citizen || inline {
        let (totals, filter) = (totals.clone(), filter.clone());
        let known = state
            .read_as_actor(&bearer, move |conn, actor| match role {
                Role::Citizen => counted_page(&totals, conn, actor, &filter, page).map(Some),
                _ => remembered_page(&totals, conn, actor, &filter, page),
            })
            .await?;
        if let Some(found) = known {
            return Ok(found);
        }
    }
    state
        .as_actor(&bearer, move |conn, actor| {
            counted_page(&totals, conn, actor, &filter, page)
        })
        .await
}

/// A page of the appeals `actor` may see, with the total counted only when
/// `totals` does not remember it.
pub fn counted_page(
    totals: &AppealTotals,
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AppealFilter,
    page: PageRequest,
) -> Result<Page<appeals::Appeal>, AppealError> {
    let total = totals.get_or_count(appeal_scope::scope(actor), filter, || {
        appeals::count(conn, actor, filter)
    })?;
    appeals::list(conn, actor, filter, page, total)
}

/// A page of the appeals `actor` may see if `totals` remembers the total; `None`
/// when it would have to be counted.
fn remembered_page(
    totals: &AppealTotals,
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AppealFilter,
    page: PageRequest,
) -> Result<Option<Page<appeals::Appeal>>, AppealError> {
    totals
        .get(appeal_scope::scope(actor), filter)
        .map(|total| appeals::list(conn, actor, filter, page, total))
        .transpose()
}

/// File an appeal
///
/// Files an appeal to a centre. A service request (type = a service code) is checked
/// against the citizen's personal cases first and refused with the reason when the
/// service is unavailable. The appeal is registered with a new number and a first
/// history entry.
#[utoipa::path(
    operation_id = "create_appeal",
    tag = "appeals",
    params(crate::docs::IdempotencyKey),
    request_body = NewAppealBody,
    responses(
        (status = 201, description = "Filed", body = AppealView,
            headers(("Location" = String, description = "`/api/v1/appeals/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ServiceNotAvailable, ProblemCode::OrganizationNotVerified]))),
    security(("bearer" = [])),
)]
#[post("/appeals", wrap = "crate::idempotency::Idempotent::json()")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewAppealBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let new = NewAppeal {
        appeal_type: b.appeal_type,
        subject: b.subject.map(|s| s.trim().to_owned()),
        body: b.body.trim().to_owned(),
        centre_id: b.centre_id,
        draft_id: b.draft_id,
    };
    let role = bearer.role;
    let appeal = state
        .as_actor(&bearer, move |conn, actor| {
            appeals::file(conn, actor, new, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/appeals/{}", appeal.id)))
        .json(AppealView::new(appeal, role)))
}

/// Open an appeal
///
/// The appeal with its current status. Opening it clears its unread flag for the
/// caller only, and marks read the caller's notifications about it (those linking to
/// `/api/v1/appeals/{id}`); the response shows it as read.
#[utoipa::path(
    operation_id = "get_appeal",
    tag = "appeals",
    params(("id" = String, Path, description = "The appeal's id")),
    responses(
        (status = 200, description = "The appeal", body = AppealView),
    ),
    security(("bearer" = [])),
)]
#[get("/appeals/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let role = bearer.role;
    let appeal = open(&state, bearer, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(AppealView::new(appeal, role)))
}

/// The appeal as the bearer sees it, its unread flag cleared for them.
async fn open(state: &AppState, bearer: Bearer, id: String) -> Result<appeals::Appeal, ApiError> {
    let mut appeal = state
        .read_as_actor(&bearer, move |conn, actor| appeals::get(conn, actor, &id))
        .await?;
    if appeal.unread {
        let id = appeal.id.clone();
        state
            .as_actor(&bearer, move |conn, actor| {
                appeals::mark_opened(conn, actor, &id, now())
            })
            .await?;
        appeal.unread = false;
    }
    Ok(appeal)
}

/// An appeal's history
///
/// Every status change from registration on, oldest first, with staff comments. The
/// history is immutable.
#[utoipa::path(
    operation_id = "get_appeal_history",
    tag = "appeals",
    params(("id" = String, Path, description = "The appeal's id")),
    responses(
        (status = 200, description = "The history", body = Vec<HistoryView>),
    ),
    security(("bearer" = [])),
)]
#[get("/appeals/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<Vec<HistoryView>>, ApiError> {
    let id = id.into_inner();
    let role = bearer.role;
    let entries = state
        .as_actor(&bearer, move |conn, actor| {
            appeals::history(conn, actor, &id)
        })
        .await?;
    Ok(web::Json(
        entries
            .into_iter()
            .map(|e| HistoryView::new(e, role))
            .collect(),
    ))
}

/// Change an appeal's status
///
/// Staff of the appeal's centre move it along the status machine: registered →
/// in_progress | completed | rejected; in_progress → clarification_required |
/// completed | rejected; clarification_required → in_progress. `completed` and
/// `rejected` are final. Rejection and clarification need a comment. The applicant
/// may only answer a clarification request (clarification_required → in_progress).
/// Answers the appeal as it now stands; the move is added to its history.
#[utoipa::path(
    operation_id = "transition_appeal",
    tag = "appeals",
    params(("id" = String, Path, description = "The appeal's id")),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "Moved; the appeal as it now stands", body = AppealView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidTransition, ProblemCode::TransitionNotPermitted, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/appeals/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<TransitionBody>,
) -> Result<web::Json<AppealView>, ApiError> {
    let id = id.into_inner();
    let TransitionBody { to, comment } = body.0;
    let role = bearer.role;
    let appeal = state
        .as_actor(&bearer, move |conn, actor| {
            appeals::transition(conn, actor, &id, to, comment.as_deref(), now())
        })
        .await?;
    Ok(web::Json(AppealView::new(appeal, role)))
}
