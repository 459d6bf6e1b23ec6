//! The pieces of the OpenAPI document that handlers name: shared parameters and
//! headers, the 304 answer, and the schemas of domain codes. Handlers import these;
//! the document's assembly (`openapi`) imports the handlers; nothing here imports
//! either. A handler names the problem codes of its own refusals in its
//! `x-problem-codes` extension; the assembly builds the error responses from them.

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Response, ResponseBuilder};
use utoipa::ToResponse;

/// The operation extension naming standard error statuses an operation never answers
/// although its shape would suggest them (a removal that is idempotent never answers
/// 404; reference data held in memory never answers 503). Written on a handler as
/// `extensions(("x-not-answered" = json!([404])))`; the document's assembly reads it
/// when it adds the standard responses, and drops it.
pub const NOT_ANSWERED: &str = "x-not-answered";

/// The schemas of domain codes, where handlers have always named them.
pub use crate::codes::*;

/// The `Idempotency-Key` header of the creating requests (filing an appeal or a
/// service request, sending a report, responding to a vacancy, uploading a file).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKey {
    /// Optional. A key of the client's making (a UUID is a good one), 1–255 visible
    /// ASCII characters, new for each new request. A retry with the same key and the
    /// same request (method, path and body) within 24 hours is answered with the first
    /// answer (status, body, `Location`; with `Idempotent-Replayed: true`) and creates
    /// nothing more. The same key with another request answers 422
    /// `idempotency_key_reused`; while the first request is still running, 409
    /// `idempotency_in_progress` (retry in a moment). Keys are the account's own. A
    /// request that failed created nothing and frees its key. A multipart form is
    /// compared without its boundary.
    #[param(
        rename = "Idempotency-Key",
        required = false,
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        example = "0190c2f4-7d1e-7c3a-9b1e-3f2a1b4c5d6e"
    )]
    pub idempotency_key: String,
}

/// The answer to a GET whose `If-None-Match` names the current `ETag`
/// ([`crate::conditional`] gives it; the document's assembly adds it to every such
/// operation).
pub struct NotModified;

impl<'s> ToResponse<'s> for NotModified {
    fn response() -> (&'s str, RefOr<Response>) {
        let response = ResponseBuilder::new()
            .description(
                "Not modified: `If-None-Match` names the current `ETag`, so the copy the client keeps is \
                 current. No body; `ETag` and `Cache-Control` as on the 200.",
            )
            .header("ETag", etag_header())
            .header("Cache-Control", cache_control_header("As on the 200 answer."))
            .build();
        ("NotModified", response.into())
    }
}

/// The `ETag` header of an answer that may be revalidated with `If-None-Match`.
pub fn etag_header() -> utoipa::openapi::header::Header {
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(
            "A weak tag of the body, e.g. `W/\"6f1c0a9e3b7d2c4e8a5f1b2c3d4e5f60\"`: send it back in \
             `If-None-Match` to get 304 while nothing changed.",
        ))
        .build()
}

/// A `Cache-Control` header saying `description`.
pub fn cache_control_header(description: &str) -> utoipa::openapi::header::Header {
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

/// The `If-None-Match` request header of a GET answered with a body `ETag`.
pub fn if_none_match() -> utoipa::openapi::path::Parameter {
    utoipa::openapi::path::ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(utoipa::openapi::path::ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(
            "Optional. The `ETag` of the copy the client keeps (or several, comma-separated): \
             when one is current the answer is 304 without a body.",
        ))
        .example(Some(serde_json::json!(
            "W/\"6f1c0a9e3b7d2c4e8a5f1b2c3d4e5f60\""
        )))
        .build()
}
