//! Sign-in through Госуслуги (ESIA, OpenID Connect): the authorization URL, and the
//! callback that turns the provider's code into the portal's tokens.

use actix_web::{get, post, web};
use domain::esia::VerifiedPerson;
use persistence::esia::{self, Pending};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::refresh;
use crate::esia::{Esia, STATE_TTL_MINUTES};
use crate::extract::ValidJson;
use crate::problem::{ApiError, ProblemCode};
use crate::routes::auth::{journaled_session, TokenResponse};
use crate::state::{now, AppState};
use crate::throttle::{Bucket, Hits};

/// Where to send the person to sign in.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "authorization_url": "https://esia.gosuslugi.ru/auth?response_type=code&client_id=PORTAL&state=Yz…&nonce=Tm…&code_challenge=E9…&code_challenge_method=S256&redirect_uri=https%3A%2F%2Fcabinet.example%2Fesia%2Fcallback&scope=openid+profile+email+phone+snils+organization",
    "state": "YzRhZTk2ZjItYjM0Yy00",
    "expires_in": 600
}))]
pub struct Authorization {
    /// The provider's page; it sends the person back to the configured redirect URI
    /// with `code` and `state`.
    pub authorization_url: String,
    /// The same `state` as in the URL, for the cabinet to compare with the one that
    /// comes back.
    pub state: String,
    /// Seconds within which the callback must come.
    pub expires_in: i64,
}

/// What the provider sent back to the redirect URI.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "SplxlOBeZQQYbYS6WxSbIA", "state": "YzRhZTk2ZjItYjM0Yy00"}))]
pub struct Callback {
    #[validate(length(min = 1, max = 2048))]
    pub code: String,
    #[validate(length(min = 1, max = 512))]
    pub state: String,
}

fn provider(state: &AppState) -> Result<&Esia, ApiError> {
    state.esia.as_ref().ok_or(ApiError::NotFound)
}

/// Start signing in through Госуслуги
///
/// Answers the provider's authorization URL with a fresh one-time `state`, a `nonce`
/// and a PKCE challenge (S256); the portal keeps the state for 10 minutes, shared by
/// all its server processes. The cabinet sends the person there; Госуслуги sends them
/// back to the configured redirect URI with `code` and `state`, which the cabinet posts
/// to `POST /auth/esia/callback`. Answers 404 when this server is not set up to sign in
/// through Госуслуги, and 503 with `Retry-After` when Госуслуги does not answer.
/// Starts count against the client address's sign-in budget (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "esia_authorize",
    tag = "auth",
    responses(
        (status = 200, description = "The provider's URL", body = Authorization),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::EsiaUnavailable, ProblemCode::NotFound, ProblemCode::TooManyRequests]))),
    security(()),
)]
#[get("/auth/esia/authorize")]
pub async fn authorize(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> Result<web::Json<Authorization>, ApiError> {
    Ok(web::Json(begin(&state, &req, None).await?))
}

/// Starts an ESIA authorization: a fresh state, nonce and PKCE verifier kept for 10
/// minutes, counted against the client address's sign-in budget. `account_id` names
/// the admin confirming their organisation, who alone may finish it.
pub(crate) async fn begin(
    state: &AppState,
    req: &actix_web::HttpRequest,
    account_id: Option<String>,
) -> Result<Authorization, ApiError> {
    let esia = provider(state)?;
    // Each start stores a state and asks the provider: counted as a sign-in attempt.
    state
        .check_budgets(Hits::address(
            Bucket::SignInAddress,
            crate::client_addr::of(req),
        ))
        .await?;
    let started = esia.start().await?;
    let digest = refresh::digest(&started.state);
    let pending = Pending {
        nonce: started.nonce,
        pkce_verifier: started.pkce_verifier,
        account_id,
    };
    let ttl = chrono::TimeDelta::minutes(STATE_TTL_MINUTES);
    state
        .run(move |conn| esia::begin(conn, &digest, &pending, ttl, now()))
        .await?;
    Ok(Authorization {
        authorization_url: started.url,
        state: started.state,
        expires_in: ttl.num_seconds(),
    })
}

/// Finishes an ESIA authorization begun for `account_id` (`None`: a sign-in): takes its
/// one-time state, exchanges the code and answers the verified person. A state begun
/// for someone else is as unknown as a used one.
pub(crate) async fn finish(
    state: &AppState,
    back: Callback,
    account_id: Option<String>,
) -> Result<VerifiedPerson, ApiError> {
    let esia = provider(state)?;
    let Callback { code, state: token } = back;
    let digest = refresh::digest(&token);
    let pending = state
        .run(move |conn| esia::take(conn, &digest, now()))
        .await?
        .filter(|p| p.account_id == account_id)
        .ok_or_else(|| ApiError::SignInRefused {
            code: ProblemCode::EsiaStateInvalid,
            detail: "The sign-in is unknown, expired or already finished; start again".into(),
        })?;
    let claims = esia
        .finish(code, pending.nonce, pending.pkce_verifier)
        .await?;
    Ok(VerifiedPerson::from_claims(claims)?)
}

/// Finish signing in through Госуслуги
///
/// Takes the `code` and `state` Госуслуги sent back. The state works once and for 10
/// minutes; the code is exchanged with the PKCE verifier, and the ID token's signature,
/// issuer, audience, expiry and nonce are checked. The person must have a confirmed
/// ESIA account (with SNILS). Their first sign-in links the citizen account whose
/// SNILS is verified (entered by centre staff), or creates one; a SNILS that another
/// account only typed in is taken from it, and that account is told. When ESIA names
/// the organisation the person acts for (OGRN, role), they sign in as its employee
/// instead: they join the organisation verified under that OGRN, or one is created
/// verified, and its head becomes its admin if it has none. An organisation registered
/// by hand under the OGRN is never joined (anyone may have registered it); its admin
/// confirms it with `POST /employer/organization/esia-verification`. Answers the same
/// tokens as `POST /auth/login`; the session's `auth_method` is `esia`. A state begun
/// for that confirmation is refused here. 404 when ESIA is not configured; 503 with
/// `Retry-After` when Госуслуги does not answer.
#[utoipa::path(
    operation_id = "esia_callback",
    tag = "auth",
    request_body = Callback,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::EsiaStateInvalid, ProblemCode::EsiaCodeRefused, ProblemCode::EsiaTokenInvalid, ProblemCode::EsiaAccountUnconfirmed, ProblemCode::EsiaIdentityConflict, ProblemCode::EsiaUnavailable, ProblemCode::TokenExpired, ProblemCode::TokenInvalid, ProblemCode::Forbidden, ProblemCode::AccountBlocked, ProblemCode::NotFound]))),
    security(()),
)]
#[post("/auth/esia/callback")]
pub async fn callback(
    state: web::Data<AppState>,
    audit: crate::audit::Audit,
    body: ValidJson<Callback>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let person = finish(&state, body.0, None).await?;
    let ctx = audit.0.clone();
    let user = state
        .run(move |conn| match &person.organization {
            Some(claim) => esia::sign_in_employer(conn, &person, claim, now()),
            None => esia::sign_in_citizen(conn, &person, &ctx, now()),
        })
        .await?;
    Ok(web::Json(
        journaled_session(&state, user, "esia", audit.0).await?,
    ))
}
