//! Cabinets of contact persons under the administrator flag (SPEC §3): opening and
//! closing one, blocking and unblocking it, and handing the flag over. Each change to
//! who may sign in or administer has the organisation's sessions checked afresh.

use actix_web::{delete, post, web, HttpResponse};
use domain::role::Role;
use persistence::accounts::User;
use persistence::employer;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::contacts::ContactView;
use crate::auth::{passwords, Bearer};
use crate::extract::ValidJson;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::auth::hash_password;
use crate::state::{now, AppState};
use crate::validation;

/// A cabinet for a contact.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "kuznetsov.hr"}))]
pub struct CabinetBody {
    #[validate(custom(function = "validation::login"))]
    pub login: String,
    /// When absent a password is generated and returned once.
    #[validate(custom(function = "validation::password_policy"))]
    pub password: Option<String>,
}

/// Open a cabinet for a contact
#[utoipa::path(
    tag = "employer",
    operation_id = "open_cabinet",
    description = "The administrator creates a cabinet (an ordinary employer account) for a contact person. Without a password one is generated and returned once.",
    params(("id" = String, Path, description = "The contact's id")),
    request_body = CabinetBody,
    responses(
        (status = 201, description = "Opened", body = ContactView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::HasCabinet, ProblemCode::LoginTaken]))),
    security(("bearer" = [])),
)]
#[post("/employer/contacts/{id}/account")]
pub async fn open_cabinet(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<CabinetBody>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let (id, b) = (id.into_inner(), body.0);
    let generated = b.password.is_none().then(passwords::generate);
    let hash = hash_password(
        &state,
        b.password.or_else(|| generated.clone()).unwrap_or_default(),
    )
    .await?;
    let login = b.login;
    let contact = state
        .as_actor(&bearer, move |conn, actor| {
            let card = employer::contact(conn, actor, &id)?;
            let name = format!("{} {}", card.row.last_name, card.row.first_name);
            let user = User::new(
                Role::Employer,
                &login,
                Some(hash),
                card.row.email.clone(),
                name,
                actor.centre_id.clone(),
                now(),
            );
            employer::open_cabinet(conn, actor, &audit.0, &id, &user, now())
        })
        .await?;
    let mut view = ContactView::from(contact);
    view.initial_password = generated;
    Ok(HttpResponse::Created().json(view))
}

/// Close a contact's cabinet: the account can no longer sign in and its sessions end; its appeals stay with the organisation. The administrator cannot close its own (409).
#[utoipa::path(
    tag = "employer",
    operation_id = "close_cabinet",
    description = "Close a contact's cabinet: the account can no longer sign in and its sessions end; its appeals stay with the organisation. The administrator cannot close its own (409).",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 204, description = "Done"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::NoCabinet, ProblemCode::AdminSelfAction]))),
    security(("bearer" = [])),
)]
#[delete("/employer/contacts/{id}/account")]
pub async fn close_cabinet(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::close_cabinet(conn, actor, &audit.0, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Block a contact's cabinet: it cannot sign in, and its live tokens stop at once (the refusal names the organisation's administrator). The administrator cannot block itself (409).
#[utoipa::path(
    tag = "employer",
    operation_id = "block_contact",
    description = "Block a contact's cabinet: it cannot sign in, and its live tokens stop at once (the refusal names the organisation's administrator). The administrator cannot block itself (409).",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Done", body = ContactView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::AdminSelfAction, ProblemCode::NoCabinet]))),
    security(("bearer" = [])),
)]
#[post("/employer/contacts/{id}/block")]
pub async fn block_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ContactView>, ApiError> {
    set_blocked(&state, &bearer, audit, id.into_inner(), true).await
}

/// Unblock a contact's cabinet.
#[utoipa::path(
    tag = "employer",
    operation_id = "unblock_contact",
    description = "Unblock a contact's cabinet.",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Done", body = ContactView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::NoCabinet]))),
    security(("bearer" = [])),
)]
#[post("/employer/contacts/{id}/unblock")]
pub async fn unblock_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ContactView>, ApiError> {
    set_blocked(&state, &bearer, audit, id.into_inner(), false).await
}

/// Blocks or unblocks the cabinet of contact `id` (SPEC §5: the refusal at sign-in
/// names who blocked it).
async fn set_blocked(
    state: &AppState,
    bearer: &Bearer,
    audit: crate::audit::Audit,
    id: String,
    blocked: bool,
) -> Result<web::Json<ContactView>, ApiError> {
    bearer.require(Role::Employer)?;
    let contact = state
        .as_actor(bearer, move |conn, actor| {
            employer::set_blocked(conn, actor, &audit.0, &id, blocked, now())
        })
        .await?;
    Ok(web::Json(contact.into()))
}

/// Transfer the administrator flag to this contact's cabinet, atomically: afterwards it is the organisation's only administrator and the caller an ordinary account. A blocked cabinet cannot take it (409).
#[utoipa::path(
    tag = "employer",
    operation_id = "transfer_admin",
    description = "Transfer the administrator flag to this contact's cabinet, atomically: afterwards it is the organisation's only administrator and the caller an ordinary account. A blocked cabinet cannot take it (409).",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Done", body = ContactView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::AdminSelfAction, ProblemCode::TargetBlocked, ProblemCode::AlreadyAdmin, ProblemCode::NoCabinet]))),
    security(("bearer" = [])),
)]
#[post("/employer/contacts/{id}/admin")]
pub async fn transfer_admin(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ContactView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let contact = state
        .as_actor(&bearer, move |conn, actor| {
            employer::transfer_admin(conn, actor, &audit.0, &id, now())
        })
        .await?;
    Ok(web::Json(contact.into()))
}
