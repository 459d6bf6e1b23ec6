//! Registration, sign-in, token refresh and sign-out.

use actix_web::{http::header, post, web, HttpResponse};
use chrono::NaiveDate;
use domain::identifiers::Snils;
use domain::role::Role;
use persistence::accounts::{self, User};
use persistence::citizens::{self, NewCitizen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::Audit;
use crate::auth::{passwords, refresh, Bearer};
use crate::extract::ValidJson;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::throttle::{Bucket, Hits};
use crate::validation::{self, Parsed};

/// A citizen's main data, as the citizen or centre staff enter it at registration.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CitizenDetails {
    #[validate(length(min = 1, max = 100), custom(function = "validation::not_blank"))]
    pub last_name: String,
    #[validate(length(min = 1, max = 100), custom(function = "validation::not_blank"))]
    pub first_name: String,
    #[validate(length(max = 100))]
    pub middle_name: Option<String>,
    #[validate(custom(function = "validation::birth_date"))]
    pub birth_date: Option<NaiveDate>,
    /// 11 digits, with or without the usual `123-456-789 01` spacing.
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "validation::parsed"))]
    pub snils: Option<Parsed<Snils>>,
    #[validate(custom(function = "validation::phone"))]
    pub phone: Option<String>,
    #[validate(length(max = 500))]
    pub registration_address: Option<String>,
    /// Two-digit code of the region (subject of the Russian Federation).
    #[validate(length(min = 2, max = 3))]
    pub region_code: Option<String>,
}

impl CitizenDetails {
    /// The account and the citizen's record for a new citizen.
    pub fn into_rows(
        self,
        login_name: &str,
        password_hash: String,
        email: Option<String>,
        centre_id: Option<String>,
    ) -> Result<(User, NewCitizen), ApiError> {
        let citizen = NewCitizen {
            last_name: self.last_name.trim().to_owned(),
            first_name: self.first_name.trim().to_owned(),
            middle_name: self
                .middle_name
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty()),
            birth_date: self.birth_date,
            snils: self.snils.map(|s| s.value("snils")).transpose()?,
            phone: self.phone,
            registration_address: self.registration_address,
            region_code: self.region_code,
        };
        let user = User::new(
            Role::Citizen,
            login_name,
            Some(password_hash),
            email.map(|e| e.trim().to_owned()),
            citizen.full_name(),
            centre_id,
            now(),
        );
        Ok((user, citizen))
    }
}

/// A citizen's self-registration.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "login": "ivanov.ivan",
    "password": "Rabota-2026",
    "email": "ivanov@example.ru",
    "centre_id": "01935f3e-0000-7000-8000-000000000001",
    "last_name": "Иванов",
    "first_name": "Иван",
    "middle_name": "Иванович",
    "birth_date": "1990-05-17",
    "snils": "112-233-445 95",
    "phone": "+7 (495) 123-45-67",
    "registration_address": "г. Москва, ул. Тверская, д. 1, кв. 1",
    "region_code": "77"
}))]
pub struct RegisterCitizen {
    #[validate(custom(function = "validation::login"))]
    pub login: String,
    #[validate(custom(function = "validation::password_policy"))]
    pub password: String,
    #[validate(
        email(message = "Адрес электронной почты указан неверно"),
        length(max = 254)
    )]
    pub email: String,
    /// The employment centre appeals go to by default.
    pub centre_id: Option<String>,
    #[serde(flatten)]
    #[validate(nested)]
    pub details: CitizenDetails,
}

/// Credentials for `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "demo.citizen", "password": "Demo-password-1"}))]
pub struct Credentials {
    #[validate(length(min = 1, max = 64))]
    pub login: String,
    #[validate(length(min = 1, max = 128))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"refresh_token": "q3V0aGVudGljYXRlZC1yZWZyZXNoLXRva2VuLWV4YW1wbGU"}))]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 256))]
    pub refresh_token: String,
}

/// A pair of tokens. The access token goes in `Authorization: Bearer …`; the refresh
/// token is used once, in `POST /auth/refresh`, which returns a new pair.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl",
    "refresh_token": "q3V0aGVudGljYXRlZC1yZWZyZXNoLXRva2VuLWV4YW1wbGU",
    "token_type": "Bearer",
    "expires_in": 900
}))]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A new account with its first session.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "user_id": "01938f4e-7777-7000-8000-000000000081",
    "role": "citizen",
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl",
    "refresh_token": "q3V0aGVudGljYXRlZC1yZWZyZXNoLXRva2VuLWV4YW1wbGU",
    "token_type": "Bearer",
    "expires_in": 900
}))]
pub struct Registered {
    #[schema(format = Uuid)]
    pub user_id: String,
    #[schema(value_type = crate::codes::RoleCode, example = "citizen")]
    pub role: String,
    #[serde(flatten)]
    pub tokens: TokenResponse,
}

/// Hashes off the async workers: Argon2 takes tens of milliseconds by design.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, ApiError> {
    state
        .hashing
        .run(passwords::Lane::NewPassword, move || {
            passwords::hash(&password)
        })
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The checks before a registration spends a password hash: the client address's
/// budget, and a login already taken (answered now rather than after the hash).
pub async fn before_registration(
    state: &AppState,
    req: &actix_web::HttpRequest,
    login: &str,
) -> Result<(), ApiError> {
    let address = crate::client_addr::of(req);
    state
        .check_budgets(Hits::address(Bucket::Registration, address))
        .await?;
    let login = login.to_owned();
    let refused = state
        .run(move |conn| persistence::citizens::refusal_before_hashing(conn, &login, None))
        .await?;
    match refused {
        Some(refusal) => Err(refusal.into()),
        None => Ok(()),
    }
}

/// Opens a session for `user` and mints its first pair of tokens.
pub async fn start_session(
    state: &AppState,
    user: User,
    auth_method: &'static str,
) -> Result<TokenResponse, ApiError> {
    let refresh_token = refresh::generate();
    let digest = refresh::digest(&refresh_token);
    let terms = state.session_terms;
    let session = state
        .run(move |conn| accounts::open_session(conn, &user, auth_method, &digest, terms, now()))
        .await?;
    tokens(state, &session, refresh_token)
}

fn tokens(
    state: &AppState,
    session: &accounts::NewSession,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    let access_token = state
        .keys
        .issue(
            &session.user_id,
            &session.session_id,
            &session.role.to_string(),
            chrono::Utc::now().timestamp(),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.keys.access_ttl_seconds,
    })
}

/// Register a citizen
///
/// Creates a citizen account with a password and signs it in. Main data (name,
/// SNILS, birth date) is read-only afterwards: only centre staff change it. A taken
/// login is 409 `login_taken`. A SNILS given here is kept unconfirmed
/// (`snils_verified: false`): it is never refused as taken, and it gives way when its
/// owner confirms it through Госуслуги or at the centre (the account is then told). Registrations are limited per client address (429
/// with `Retry-After`); when too many are being handled at once the answer is 503
/// `server_busy` with `Retry-After`.
#[utoipa::path(
    operation_id = "register_citizen",
    tag = "auth",
    request_body = RegisterCitizen,
    responses(
        (status = 201, description = "Registered and signed in", body = Registered,
            headers(("Location" = String, description = "`/api/v1/me`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LoginTaken, ProblemCode::ServerBusy, ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<RegisterCitizen>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    before_registration(&state, &req, &b.login).await?;
    let hash = hash_password(&state, b.password).await?;
    let (user, citizen) = b
        .details
        .into_rows(&b.login, hash, Some(b.email), b.centre_id)?;
    let stored = user.clone();
    state
        .run(move |conn| citizens::register(conn, &stored, &citizen))
        .await?;
    signed_up(&state, user, "/api/v1/me").await
}

/// The answer to a registration: the new account signed in, 201 with `Location`.
pub async fn signed_up(
    state: &AppState,
    user: User,
    location: &str,
) -> Result<HttpResponse, ApiError> {
    let (user_id, role) = (user.id.clone(), user.role.clone());
    let tokens = start_session(state, user, "password").await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location.to_owned()))
        .json(Registered {
            user_id,
            role,
            tokens,
        }))
}

/// Sign in with a password
///
/// Checks the login and password and opens a session. A wrong login and a wrong
/// password get the same answer. A blocked account is told so (403, `reason` names
/// who blocked it) only after the password is right. Attempts are limited per account
/// and per client address (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "login",
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ServerBusy, ProblemCode::AccountBlocked, ProblemCode::BadCredentials, ProblemCode::Forbidden, ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/login")]
pub async fn sign_in(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<Credentials>,
    audit: Audit,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let Credentials { login, password } = body.0;
    state
        .check_budgets(Hits::sign_in(&login, crate::client_addr::of(&req)))
        .await?;
    let user = state
        .run(move |conn| accounts::find_by_login(conn, &login))
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = state
        .hashing
        .run(passwords::Lane::SignIn, move || {
            passwords::verify(&password, stored.as_deref())
        })
        .await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        (false, Some(user)) => {
            // The account's owner reads the attempt in their journal; the client is
            // answered exactly as for an unknown login.
            let ctx = audit.0;
            state
                .run(move |conn| accounts::sign_in_failed(conn, &user.id, &ctx, now()))
                .await?;
            return Err(ApiError::bad_credentials());
        }
        _ => return Err(ApiError::bad_credentials()),
    };
    Ok(web::Json(
        journaled_session(&state, user, "password", audit.0).await?,
    ))
}

/// Opens a session for a person who has just proved who they are (a password, a
/// Госуслуги sign-in), writing the sign-in into their journal in the same transaction.
pub async fn journaled_session(
    state: &AppState,
    user: User,
    auth_method: &'static str,
    ctx: domain::audit::AuditContext,
) -> Result<TokenResponse, ApiError> {
    let refresh_token = refresh::generate();
    let digest = refresh::digest(&refresh_token);
    let terms = state.session_terms;
    let session = state
        .run(move |conn| accounts::sign_in(conn, &user, auth_method, &digest, terms, now(), &ctx))
        .await?;
    tokens(state, &session, refresh_token)
}

/// Renew the tokens
///
/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting
/// a used one again revokes its session at once, since someone else holds a copy; the
/// account's other sessions go on.
/// Refreshes are limited per client address (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "refresh_tokens",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair of tokens", body = TokenResponse),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TokenInvalid, ProblemCode::RefreshReused, ProblemCode::Forbidden, ProblemCode::AccountBlocked, ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/refresh")]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    state
        .check_budgets(Hits::address(Bucket::Refresh, crate::client_addr::of(&req)))
        .await?;
    let old = refresh::digest(&body.0.refresh_token);
    let refresh_token = refresh::generate();
    let new = refresh::digest(&refresh_token);
    let terms = state.session_terms;
    // A reused token revokes its session (the feed stops its access tokens on every
    // process); the account's other sessions go on.
    let session = state
        .run(move |conn| accounts::rotate_refresh(conn, &old, &new, terms, now()))
        .await?;
    Ok(web::Json(tokens(&state, &session, refresh_token)?))
}

/// Sign out
///
/// Ends the session of the presented access token: its refresh token stops working,
/// and so does the access token itself, at once.
#[utoipa::path(
    operation_id = "logout",
    tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
    ),
    security(("bearer" = [])),
)]
#[post("/auth/logout")]
pub async fn sign_out(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<HttpResponse, ApiError> {
    state
        .as_actor(&bearer, move |conn, actor| {
            accounts::revoke(conn, &actor.session_id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
