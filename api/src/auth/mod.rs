//! Authentication: password hashing, access tokens (JWT) and rotating refresh tokens,
//! and the extractor that admits a request. The extractor takes the signing keys from
//! the app data, where startup registers them beside `AppState`: this module does not
//! know the state that uses it.

pub mod jwt;
pub mod passwords;
pub mod refresh;
pub mod sessions;

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use domain::role::Role;

use crate::problem::ApiError;
use jwt::Keys;

/// A request whose bearer token is genuine and unexpired. Whether its session and
/// account are still good is checked in the same call that does the request's work
/// (`AppState::as_actor`): from the cache of recent checks, or against the database on
/// the request's own connection, so that it costs no second round trip.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub user_id: String,
    pub session_id: String,
    pub role: Role,
}

impl Bearer {
    /// Refuses, before touching the database, a token of the wrong role.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role == role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "This endpoint is for {} accounts",
                role
            )))
        }
    }
}

impl FromRequest for Bearer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer(req))
    }
}

fn bearer(req: &HttpRequest) -> Result<Bearer, ApiError> {
    let keys = req
        .app_data::<web::Data<Keys>>()
        .ok_or_else(|| ApiError::Internal("the signing keys are missing".into()))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::token_invalid(
            "The Authorization header is missing",
        ))?
        .to_str()
        .map_err(|_| ApiError::token_invalid("The Authorization header is not text"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(ApiError::token_invalid("Use the Bearer scheme"))?
        .trim();
    let claims = keys.verify(token).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => ApiError::token_expired(),
        _ => ApiError::token_invalid("The access token is not genuine"),
    })?;
    let role = claims
        .role
        .parse()
        .map_err(|_| ApiError::token_invalid("The access token is not genuine"))?;
    tracing::Span::current().record("user_id", claims.sub.as_str());
    actix_web::HttpMessage::extensions_mut(req)
        .insert(crate::request_id::ActingAccount(claims.sub.clone()));
    Ok(Bearer {
        user_id: claims.sub,
        session_id: claims.sid,
        role,
    })
}
