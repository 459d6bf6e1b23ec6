//! «Забыли пароль?»: a one-time link by e-mail, and the new password set through it.

use actix_web::{post, web, HttpRequest, HttpResponse};
use persistence::password_resets::{self, Link};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::refresh;
use crate::extract::ValidJson;
use crate::problem::{ApiError, ProblemCode};
use crate::state::{now, AppState};
use crate::throttle::{Bucket, Hits};

/// Who forgot their password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "demo.citizen"}))]
pub struct ResetRequest {
    /// The account's login, or the e-mail address it has.
    #[validate(length(min = 1, max = 254))]
    pub login: String,
}

/// The same answer whether or not such an account exists.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"message": SENT}))]
pub struct ResetRequested {
    /// What to tell the person, in Russian.
    pub message: &'static str,
}

const SENT: &str = "Если такая учётная запись есть и у неё указан адрес электронной \
                    почты, на него отправлена ссылка для смены пароля. Ссылка действует \
                    30 минут.";

/// Send a password reset link
///
/// «Забыли пароль?»: sends a one-time link to the e-mail of the account named by its
/// login or e-mail address. The answer is the same whether or not the account exists,
/// has an e-mail or was sent too many links lately (three an hour), so the form does
/// not tell who is registered. The link leads to the web cabinet's
/// `/password-reset?token=…` page and works once, for 30 minutes. Requests are
/// limited per named account and per client address (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "request_password_reset",
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted; a link is sent if the account exists", body = ResetRequested),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/password-reset")]
pub async fn request(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let login = body.0.login;
    state
        .check_budgets(Hits::sign_in(&login, crate::client_addr::of(&req)))
        .await?;
    let token = refresh::generate();
    let digest = refresh::digest(&token);
    let url = format!("{}/password-reset?token={token}", state.public_url);
    state
        .run(move |conn| {
            let link = Link {
                token_hash: &digest,
                url: &url,
            };
            password_resets::request(conn, &login, link, now())
        })
        .await?;
    Ok(HttpResponse::Accepted().json(ResetRequested { message: SENT }))
}

/// A new password, set through a link.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"token": "kY3q0u7bE0S2qg1rXc9hQyH5mZ2wT8vN4pL6aD1fJ0s", "new_password": "Novyi-parol-2026"}))]
pub struct ResetConfirm {
    /// The `token` of the link's address.
    #[validate(length(min = 1, max = 256))]
    pub token: String,
    /// 8 to 128 characters with upper- and lower-case letters and a digit.
    #[validate(custom(function = "crate::validation::password_policy"))]
    pub new_password: String,
}

/// Set a new password through a reset link
///
/// Sets the password through the link's `token`. The link then stops working, as do
/// the account's other links, and every session of the account ends: whoever knew the
/// old password is signed out everywhere. A link unknown, used or older than 30
/// minutes is refused with one answer (422, field `token`, code
/// `reset_link_invalid`). Attempts are limited per client address (429).
#[utoipa::path(
    operation_id = "confirm_password_reset",
    tag = "auth",
    request_body = ResetConfirm,
    responses(
        (status = 204, description = "The password is set; every session of the account has ended"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<ResetConfirm>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    let ResetConfirm {
        token,
        new_password,
    } = body.0;
    state
        .check_budgets(Hits::address(
            Bucket::SignInAddress,
            crate::client_addr::of(&req),
        ))
        .await?;
    let digest = refresh::digest(&token);
    let checked = digest.clone();
    // Made-up links are turned away before any hashing.
    state
        .run(move |conn| password_resets::check(conn, &checked, now()))
        .await?;
    let hash = crate::routes::auth::hash_password(&state, new_password).await?;
    state
        .run(move |conn| password_resets::confirm(conn, &audit.0, &digest, &hash, now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
