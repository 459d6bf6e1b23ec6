//! The one mapping from failures to RFC 9457 `application/problem+json` responses.
//! Every error a client can see is built here, so all of them share one shape and one
//! documented schema: [`ApiError`] and its rendering here, and in [`conversions`] every
//! conversion of a domain or persistence error into it. The conversions match every
//! variant by name, so a new refusal does not compile until someone decides how it
//! answers.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
// Documents and money (issue 15).
use utoipa::ToSchema;

mod codes;
mod conversions;
mod esia;
mod job_search;

pub use codes::ProblemCode;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `birth_date` or `goals[1]`.
    #[schema(example = "password")]
    pub field: String,
    /// Machine code of the broken rule.
    #[schema(example = "too_short")]
    pub code: String,
    /// What a person should fix, in Russian.
    #[schema(example = "Пароль должен содержать не менее 8 символов")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A machine-readable reason next to a refusal (why a service is unavailable, who
/// blocked an account).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Reason {
    #[schema(example = "no_unemployed_case")]
    pub code: String,
    #[schema(example = "Нужно личное дело в статусе «Безработный»")]
    pub title: String,
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation-failed",
    "title": "Запрос содержит ошибки",
    "status": 422,
    "detail": "Исправьте отмеченные поля",
    "code": "validation_failed",
    "errors": [{"field": "password", "code": "too_short", "message": "Пароль должен содержать не менее 8 символов"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem: `/problems/{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind, in Russian.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened in this occurrence.
    pub detail: String,
    /// Stable machine code of the kind (the last segment of `type`, with underscores).
    #[schema(value_type = ProblemCode)]
    pub code: String,
    /// Invalid fields, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Why a rule refused the request, where one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<Reason>,
    /// The id of the existing resource the request conflicts with (the citizen's open
    /// job-search application, say), where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Uuid)]
    pub existing_id: Option<String>,
}

/// Everything a handler can fail with. `Clone` so that requests that waited on one
/// shared computation each answer with its error.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// No genuine, live credentials: `code` says which case (`token_expired`,
    /// `token_invalid`, `bad_credentials`, `refresh_reused`), so that a client knows
    /// whether to refresh its token or to sign in again.
    #[error("unauthenticated ({code}): {detail}")]
    Unauthorized {
        code: ProblemCode,
        detail: &'static str,
    },
    #[error("forbidden: {detail}")]
    Forbidden {
        code: ProblemCode,
        detail: String,
        reason: Option<Reason>,
    },
    #[error("not found")]
    NotFound,
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {detail}")]
    Conflict {
        code: ProblemCode,
        detail: String,
        reason: Option<Reason>,
    },
    #[error("precondition failed")]
    PreconditionFailed,
    /// A conflict with one existing resource, named by its id in the problem.
    #[error("conflict with {existing_id}: {detail}")]
    ConflictWith {
        code: ProblemCode,
        detail: String,
        existing_id: String,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    /// A well-formed request refused as a whole rather than field by field (an
    /// `Idempotency-Key` that is malformed or came with another request): 422 with
    /// its own code.
    #[error("unprocessable ({code}): {detail}")]
    Unprocessable { code: ProblemCode, detail: String },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests; retry in {retry_after}s")]
    TooManyRequests { retry_after: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Work that must wait its turn (password hashing) has a full queue: the client
    /// retries after a moment instead of waiting without end.
    #[error("busy; retry in {retry_after}s")]
    Busy { retry_after: u64 },
    /// Госуслуги (the ESIA identity provider) did not answer.
    #[error("identity provider unavailable: {0}")]
    ProviderUnavailable(String),
    /// An ESIA sign-in that cannot be finished (a used state, a refused code, an ID
    /// token that fails its checks): 401 with its own code.
    #[error("sign-in refused: {detail}")]
    SignInRefused { code: ProblemCode, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
    /// An uploaded file refused for what it is (too large, not PDF/JPEG/PNG), or an
    /// upload form that is not multipart: the status and a detail the citizen reads.
    #[error("file refused: {detail}")]
    File {
        status: StatusCode,
        code: ProblemCode,
        detail: String,
    },
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// An access token, refresh token or session that is not (or no longer) genuine.
    pub fn token_invalid(detail: &'static str) -> ApiError {
        ApiError::Unauthorized {
            code: ProblemCode::TokenInvalid,
            detail,
        }
    }

    /// An access token past its expiry: the client refreshes it.
    pub fn token_expired() -> ApiError {
        ApiError::Unauthorized {
            code: ProblemCode::TokenExpired,
            detail: "The access token has expired; refresh it",
        }
    }

    /// A sign-in with a wrong login or password.
    pub fn bad_credentials() -> ApiError {
        ApiError::Unauthorized {
            code: ProblemCode::BadCredentials,
            detail: "The login or password is wrong",
        }
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: detail.into(),
            reason: None,
        }
    }

    /// The code and the detail of this occurrence (the title is the code's).
    fn parts(&self) -> (ProblemCode, String) {
        match self {
            ApiError::BadRequest(d) => (ProblemCode::BadRequest, d.clone()),
            ApiError::Validation(_) => (
                ProblemCode::ValidationFailed,
                "Исправьте отмеченные поля".into(),
            ),
            ApiError::Unauthorized { code, detail } => (*code, (*detail).into()),
            ApiError::Forbidden { code, detail, .. }
            | ApiError::Conflict { code, detail, .. }
            | ApiError::ConflictWith { code, detail, .. }
            | ApiError::Unprocessable { code, detail }
            | ApiError::SignInRefused { code, detail }
            | ApiError::File { code, detail, .. } => (*code, detail.clone()),
            ApiError::NotFound => (
                ProblemCode::NotFound,
                "The resource does not exist or is not yours".into(),
            ),
            ApiError::MethodNotAllowed { allow } => (
                ProblemCode::MethodNotAllowed,
                format!("This path answers {allow}"),
            ),
            ApiError::PreconditionFailed => (
                ProblemCode::PreconditionFailed,
                "The record changed since it was read (If-Match); reload it and try again".into(),
            ),
            ApiError::PayloadTooLarge => (
                ProblemCode::PayloadTooLarge,
                "The request body is over the limit".into(),
            ),
            ApiError::UnsupportedMediaType => (
                ProblemCode::UnsupportedMediaType,
                "Send the body as application/json".into(),
            ),
            ApiError::TooManyRequests { retry_after } => (
                ProblemCode::TooManyRequests,
                format!("Too many attempts; retry in {retry_after} s"),
            ),
            ApiError::Busy { retry_after } => (
                ProblemCode::ServerBusy,
                format!(
                    "Too many requests of this kind are being handled; retry in {retry_after} s"
                ),
            ),
            ApiError::Unavailable(_) => (
                ProblemCode::ServiceUnavailable,
                "The database is not answering; try again shortly".into(),
            ),
            ApiError::ProviderUnavailable(_) => (
                ProblemCode::EsiaUnavailable,
                "The identity provider is not answering; try again shortly".into(),
            ),
            ApiError::Internal(_) => (
                ProblemCode::InternalError,
                "Something went wrong on our side; it has been logged".into(),
            ),
        }
    }

    pub fn problem(&self) -> Problem {
        let (code, detail) = self.parts();
        debug_assert_eq!(
            code.status(),
            self.status_code().as_u16(),
            "{code} is listed with another status"
        );
        let (errors, reason) = match self {
            ApiError::Validation(errors) => (errors.clone(), None),
            ApiError::Forbidden { reason, .. } | ApiError::Conflict { reason, .. } => {
                (Vec::new(), reason.clone())
            }
            _ => (Vec::new(), None),
        };
        Problem {
            kind: format!("/problems/{}", code.code().replace('_', "-")),
            title: code.title().into(),
            status: self.status_code().as_u16(),
            detail,
            code: code.code().into(),
            errors,
            reason,
            existing_id: match self {
                ApiError::ConflictWith { existing_id, .. } => Some(existing_id.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::ConflictWith { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::ProviderUnavailable(_) | ApiError::Busy { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::SignInRefused { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::File { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            ApiError::ProviderUnavailable(cause) => {
                tracing::warn!(%cause, "identity provider unavailable")
            }
            ApiError::SignInRefused { code, detail } => {
                tracing::info!(%code, %detail, "ESIA sign-in refused")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized { .. } => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::ProviderUnavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "30"));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::TooManyRequests { retry_after } | ApiError::Busy { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl ApiError {
    /// A refusal naming who blocked the account (SPEC §5): `organization_admin` or
    /// `centre_staff`.
    pub fn blocked(by: &str) -> ApiError {
        // `by` is a stored code: anything but the organisation's administrator is the
        // centre, which may block every account.
        let title = match by {
            "organization_admin" => "Доступ заблокирован администратором организации",
            _ => "Доступ заблокирован сотрудником центра занятости",
        };
        ApiError::Forbidden {
            code: ProblemCode::AccountBlocked,
            detail: "The account is blocked".into(),
            reason: Some(Reason {
                code: by.to_owned(),
                title: title.to_owned(),
            }),
        }
    }
}
