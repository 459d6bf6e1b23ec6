//! Centre staff confirm an organisation registered by hand, so that it may publish
//! vacancies and send reports (one confirmed through Госуслуги needs nothing).

use actix_web::{post, web};
use domain::role::Role;
use persistence::organizations;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};

/// An organisation's verification.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "01935f3e-0000-7000-8000-000000000010", "verification": "verified"}))]
pub struct VerificationView {
    #[schema(format = Uuid)]
    pub id: String,
    /// `pending` (registered by hand: may prepare, not publish or send) or `verified`.
    #[schema(value_type = crate::codes::VerificationCode)]
    pub verification: String,
}

/// Verify an organisation
///
/// Confirms an organisation registered by hand after checking its documents: from now
/// on it may publish vacancies and send reports (a pending one is refused with 409
/// `organization_not_verified`). Staff verify organisations addressed to their centre
/// (or to none); another centre's answers 404. Verifying again changes nothing. An
/// OGRN belongs to one verified organisation: when another organisation with it is
/// verified already (by its head through Госуслуги, or by staff), the answer is 409
/// `ogrn_taken`.
#[utoipa::path(
    operation_id = "verify_organization",
    tag = "staff",
    params(("id" = String, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "Verified", body = VerificationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::OgrnTaken]))),
    security(("bearer" = [])),
)]
#[post("/staff/organizations/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<VerificationView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let org = id.clone();
    let verification = state
        .as_actor(&bearer, move |conn, actor| {
            organizations::verify_by_staff(conn, actor, &org, now())
        })
        .await?;
    Ok(web::Json(VerificationView {
        id,
        verification: verification.code().to_owned(),
    }))
}
