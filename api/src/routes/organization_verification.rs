//! Confirming an organisation registered by hand, so that it may publish vacancies and
//! send reports: by centre staff, or by its head through Госуслуги (one registered
//! through Госуслуги needs neither).

use actix_web::{post, web};
use domain::organization::Verification;
use domain::role::Role;
use persistence::organizations;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::extract::ValidJson;
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

/// Confirm my organisation through Госуслуги
///
/// For the admin of an organisation registered by hand (pending): starts a Госуслуги
/// authorization as `GET /auth/esia/authorize` does and answers the provider's URL.
/// The cabinet sends the admin there to sign in **as the organisation's head**;
/// Госуслуги sends them back to the configured redirect URI with `code` and `state`,
/// which the cabinet posts to `POST /employer/organization/esia-verification/callback`
/// with the same bearer token (a state begun here finishes nowhere else). 409
/// `already_verified` for a verified organisation, `ogrn_taken` when another
/// organisation with its OGRN is verified already; 404 when this server is not set up
/// for Госуслуги; 503 with `Retry-After` when Госуслуги does not answer. Starts count
/// against the client address's sign-in budget (429).
#[utoipa::path(
    operation_id = "start_esia_organization_verification",
    tag = "employer",
    responses(
        (status = 200, description = "The provider's URL", body = crate::routes::esia::Authorization),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::AlreadyVerified, ProblemCode::OgrnTaken, ProblemCode::EsiaUnavailable, ProblemCode::NotFound, ProblemCode::TooManyRequests]))),
    security(("bearer" = [])),
)]
#[post("/employer/organization/esia-verification")]
pub async fn start_esia(
    state: web::Data<AppState>,
    bearer: Bearer,
    req: actix_web::HttpRequest,
) -> Result<web::Json<crate::routes::esia::Authorization>, ApiError> {
    let admin = Some(confirming_admin(&state, &bearer).await?);
    Ok(web::Json(
        crate::routes::esia::begin(&state, &req, admin).await?,
    ))
}

/// Finish confirming my organisation through Госуслуги
///
/// Takes the `code` and `state` Госуслуги sent back to an authorization begun by this
/// account with `POST /employer/organization/esia-verification` (one use, 10 minutes;
/// the ID token checked as at sign-in). When Госуслуги names the person the head of an
/// organisation with this very OGRN, the organisation becomes verified (it may publish
/// vacancies and send reports at once), and this account is linked to the person: their
/// next sign-in through Госуслуги for the organisation reaches it. The admins of other
/// registrations of the OGRN by hand are told. Refusals change nothing: 403
/// `esia_organization_unconfirmed` when the authorization failed (a state unknown, used,
/// expired or begun by another account; a code or an ID token Госуслуги or the checks
/// refused: start again) or when Госуслуги names another organisation (by OGRN or INN),
/// none, or the person as an employee only (ask the employment centre to verify it
/// instead); 409 `ogrn_taken` when another organisation with the OGRN is verified
/// already; 409 `esia_identity_conflict` when the person is linked to another account.
/// Never 401 for a failed authorization: the caller's own session is fine.
#[utoipa::path(
    operation_id = "finish_esia_organization_verification",
    tag = "employer",
    request_body = crate::routes::esia::Callback,
    responses(
        (status = 200, description = "Verified", body = VerificationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::AlreadyVerified, ProblemCode::EsiaOrganizationUnconfirmed, ProblemCode::OgrnTaken, ProblemCode::EsiaIdentityConflict, ProblemCode::EsiaAccountUnconfirmed, ProblemCode::EsiaUnavailable, ProblemCode::NotFound]))),
    security(("bearer" = [])),
)]
#[post("/employer/organization/esia-verification/callback")]
pub async fn finish_esia(
    state: web::Data<AppState>,
    bearer: Bearer,
    audit: crate::audit::Audit,
    body: ValidJson<crate::routes::esia::Callback>,
) -> Result<web::Json<VerificationView>, ApiError> {
    let admin = Some(confirming_admin(&state, &bearer).await?);
    // The caller is signed in: a failed authorization is not theirs to sign in again.
    let person = crate::routes::esia::finish(&state, body.0, admin)
        .await
        .map_err(|e| match e {
            ApiError::SignInRefused { detail, .. } => ApiError::Forbidden {
                code: ProblemCode::EsiaOrganizationUnconfirmed,
                detail,
                reason: None,
            },
            other => other,
        })?;
    let id = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::esia::confirm_organization(conn, actor, &audit.0, &person, now())?;
            Ok::<_, ApiError>(actor.organization_id.clone().unwrap_or_default())
        })
        .await?;
    Ok(web::Json(VerificationView {
        id,
        verification: Verification::Verified.code().to_owned(),
    }))
}

/// The caller's account id when it may start or finish confirming its organisation:
/// an employer admin of a pending one (`esia::may_confirm`). Without Госуслуги
/// settings the confirmation does not exist (404).
async fn confirming_admin(state: &AppState, bearer: &Bearer) -> Result<String, ApiError> {
    bearer.require(Role::Employer)?;
    if state.esia.is_none() {
        return Err(ApiError::NotFound);
    }
    state
        .as_actor(bearer, |conn, actor| {
            persistence::esia::may_confirm(conn, actor)
        })
        .await?;
    Ok(bearer.user_id.clone())
}
