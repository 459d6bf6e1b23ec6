//! Each operation's error answers, built from the problem codes it can answer: the
//! codes its shape implies (a bearer token, a body, path parameters, …) and those
//! its handler names in its `x-problem-codes` extension. Every error status of an
//! operation gets a response of its own, listing its codes (`x-problem-codes`) with
//! one example each.

use std::collections::BTreeMap;

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Ref, RefOr, Response, ResponseBuilder};

use crate::docs::NOT_ANSWERED;
use crate::problem::ProblemCode;

/// The extension on an operation (as its handler declares it) and on each of its
/// error responses (as the document gives it) listing problem codes.
pub const PROBLEM_CODES: &str = "x-problem-codes";

/// Gives `operation` one response per error status it can answer (see the module).
pub fn add_error_responses(operation: &mut Operation) {
    let not_answered = take_extension(operation, NOT_ANSWERED);
    let declared = take_extension(operation, PROBLEM_CODES);
    let mut codes: Vec<ProblemCode> = implied_codes(operation)
        .into_iter()
        .filter(|code| !not_answered.contains(&serde_json::json!(code.status())))
        .collect();
    codes.extend(declared.iter().filter_map(|v| code_named(v.as_str()?)));
    let mut by_status: BTreeMap<u16, Vec<ProblemCode>> = BTreeMap::new();
    for code in codes {
        let listed = by_status.entry(code.status()).or_default();
        if !listed.contains(&code) {
            listed.push(code);
        }
    }
    let responses = &mut operation.responses.responses;
    for (status, codes) in by_status {
        let key = status.to_string();
        let description = match responses.get(&key) {
            Some(RefOr::T(own)) => own.description.clone(),
            _ => describe(&codes),
        };
        responses.insert(key, RefOr::T(problem_response(description, &codes)));
    }
}

/// The codes an operation of this shape answers, whatever its handler does.
fn implied_codes(operation: &Operation) -> Vec<ProblemCode> {
    use ProblemCode::*;
    let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
    let signed_in = operation
        .security
        .as_ref()
        .is_some_and(|requirements| requirements.contains(&bearer));
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| parameters.iter().any(|p| p.parameter_in == place);
    let header = |name: &str| {
        parameters
            .iter()
            .any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case(name))
    };
    let mut codes = Vec::new();
    if signed_in {
        // The bearer extractor and the session check; the role check; a blocked account.
        codes.extend([TokenExpired, TokenInvalid, Forbidden, AccountBlocked]);
    }
    if operation.request_body.is_some() {
        codes.extend([
            BadRequest,
            PayloadTooLarge,
            UnsupportedMediaType,
            ValidationFailed,
        ]);
    }
    if has(ParameterIn::Query) {
        codes.push(ValidationFailed);
    }
    if has(ParameterIn::Path) {
        codes.push(NotFound);
    }
    if header("If-Match") {
        codes.push(PreconditionFailed);
    }
    if header("Idempotency-Key") {
        codes.extend([
            IdempotencyInProgress,
            IdempotencyKeyInvalid,
            IdempotencyKeyReused,
        ]);
    }
    codes.push(ServiceUnavailable);
    codes
}

fn code_named(name: &str) -> Option<ProblemCode> {
    ProblemCode::ALL.iter().copied().find(|c| c.code() == name)
}

/// A response's description made of its codes' meanings.
fn describe(codes: &[ProblemCode]) -> String {
    codes
        .iter()
        .map(|c| format!("`{}`: {}", c.code(), c.meaning()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn problem_response(description: String, codes: &[ProblemCode]) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .examples_from_iter(codes.iter().map(|&code| {
            let example = ExampleBuilder::new()
                .summary(code.meaning())
                .value(Some(example(code)))
                .build();
            (code.code(), example)
        }))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", content)
        .extensions(Some(
            ExtensionsBuilder::new()
                .add(PROBLEM_CODES, serde_json::json!(codes))
                .build(),
        ))
        .build();
    if codes.contains(&ProblemCode::TokenInvalid) || codes.contains(&ProblemCode::TokenExpired) {
        response.headers.insert(
            "WWW-Authenticate".into(),
            crate::docs::cache_control_header("`Bearer`."),
        );
    }
    if codes.iter().any(|c| matches!(c.status(), 429 | 503)) {
        response.headers.insert(
            "Retry-After".into(),
            crate::docs::cache_control_header("Seconds to wait before retrying."),
        );
    }
    response
}

/// An answer with `code`, as the server sends it.
pub fn example(code: ProblemCode) -> serde_json::Value {
    use ProblemCode::*;
    let mut problem = serde_json::json!({
        "type": format!("/problems/{}", code.code().replace('_', "-")),
        "title": code.title(),
        "status": code.status(),
        "detail": code.meaning(),
        "code": code,
    });
    let extra = match code {
        ValidationFailed => serde_json::json!({"errors": [
            {"field": "birth_date", "code": "date", "message": "Дата рождения — в формате ГГГГ-ММ-ДД"}
        ]}),
        LimitReached => serde_json::json!({"reason": {"code": "resumes", "title": "Резюме"}}),
        AccountBlocked => serde_json::json!({"reason": {
            "code": "centre_staff", "title": "Доступ заблокирован сотрудником центра занятости"
        }}),
        ServiceNotAvailable => serde_json::json!({"reason": {
            "code": "no_unemployed_case", "title": "Нужно личное дело в статусе «Безработный»"
        }}),
        OpenApplicationExists | AlreadyResponded => {
            serde_json::json!({"existing_id": "0190c2f4-7d1e-7c3a-9b1e-3f2a1b4c5d6e"})
        }
        _ => serde_json::json!({}),
    };
    if let (Some(problem), serde_json::Value::Object(extra)) = (problem.as_object_mut(), extra) {
        problem.extend(extra);
    }
    problem
}

/// The values of the operation's extension `name`, removing it: it instructs this
/// assembly; the document says the same in its responses.
fn take_extension(operation: &mut Operation, name: &str) -> Vec<serde_json::Value> {
    let Some(extensions) = operation.extensions.as_mut() else {
        return Vec::new();
    };
    let listed = extensions.remove(name);
    if extensions.is_empty() {
        operation.extensions = None;
    }
    match listed {
        Some(serde_json::Value::Array(values)) => values,
        _ => Vec::new(),
    }
}
