//! The citizen's cabinet: services and personal cases.

use actix_web::{get, web};
use domain::eligibility::{self, ServiceAvailability};
use domain::role::Role;
use domain::Coded;
use persistence::citizens;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::views::CaseView;

/// One service of the cabinet and whether this citizen may request it now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "vocational_training",
    "title": "Профессиональное обучение и дополнительное профобразование",
    "available": false,
    "reason": "no_unemployed_case",
    "reason_text": "Нужно личное дело в статусе «Безработный»"
}))]
pub struct ServiceView {
    pub code: String,
    pub title: String,
    pub available: bool,
    /// Which condition failed, when unavailable: `no_open_case_with_employment_goal`,
    /// `no_unemployed_case` or `no_personal_account`.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
}

impl From<ServiceAvailability> for ServiceView {
    fn from(a: ServiceAvailability) -> ServiceView {
        ServiceView {
            code: a.service.code().to_owned(),
            title: a.service.title().to_owned(),
            available: a.available(),
            reason: a.refusal.map(|r| r.code().to_owned()),
            reason_text: a.refusal.map(|r| r.title().to_owned()),
        }
    }
}

/// The citizen's services
///
/// All thirteen services of the cabinet in its order, each with `available` worked out
/// from the citizen's personal cases (SPEC §1) and, when unavailable, the reason.
#[utoipa::path(
    operation_id = "list_citizen_services",
    tag = "citizen",
    responses(
        (status = 200, description = "Every service with its availability", body = Vec<ServiceView>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/services")]
pub async fn services(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<ServiceView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let cases = state
        .as_actor(&bearer, |conn, actor| {
            citizens::cases_of(conn, &actor.user_id)
        })
        .await?;
    let facts: Vec<_> = cases.iter().map(|c| c.facts()).collect();
    Ok(web::Json(
        eligibility::evaluate(&facts)
            .into_iter()
            .map(ServiceView::from)
            .collect(),
    ))
}

/// The citizen's personal cases
///
/// The personal cases (личные дела) centre staff keep for this citizen, newest first.
/// Read-only: staff open and change them.
#[utoipa::path(
    operation_id = "list_my_personal_cases",
    tag = "citizen",
    responses(
        (status = 200, description = "The citizen's cases", body = Vec<CaseView>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/personal-cases")]
pub async fn personal_cases(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<CaseView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let cases = state
        .as_actor(&bearer, |conn, actor| {
            citizens::cases_of(conn, &actor.user_id)
        })
        .await?;
    Ok(web::Json(cases.into_iter().map(CaseView::from).collect()))
}
