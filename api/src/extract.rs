//! Request extractors that turn every malformed input into a problem+json answer:
//! JSON bodies with the path of the bad field, validated queries, bearer tokens.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::contract::{self, serde_error, tidy, Fault, StandIn};
use crate::problem::{ApiError, FieldError};

/// Request bodies larger than this are refused before parsing.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON body, deserialised and validated. Syntax errors answer 400; a body that is
/// JSON but of the wrong shape, or breaks a `validator` rule, answers 422 with each
/// field named.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let contract = Checked::of(req);
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared_len.is_some_and(|n| n > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| unreadable_body())?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            let value = read_json::<T>(&body, |value| contract.body(value))?;
            Ok(ValidJson(value))
        })
    }
}

/// The body broke off or could not be read.
pub fn unreadable_body() -> ApiError {
    ApiError::BadRequest("Тело запроса не удалось прочитать до конца".into())
}

/// The contract of the operation a request was routed to, if the document has one.
struct Checked {
    method: actix_web::http::Method,
    pattern: Option<String>,
}

impl Checked {
    fn of(req: &HttpRequest) -> Checked {
        Checked {
            method: req.method().clone(),
            pattern: req.match_pattern(),
        }
    }

    fn body(&self, value: &serde_json::Value) -> Vec<Fault> {
        match &self.pattern {
            Some(pattern) => contract::served().check_body(&self.method, pattern, value),
            None => Vec::new(),
        }
    }

    fn query(&self, query: &str) -> Vec<FieldError> {
        match &self.pattern {
            Some(pattern) => contract::served().check_query(&self.method, pattern, query),
            None => Vec::new(),
        }
    }
}

/// Parses and validates a JSON body in steps, so that the answer says which kind of
/// mistake it was: text that is not JSON is a 400; JSON of the wrong shape, or breaking
/// a `validator` rule, is a 422 naming each field.
pub fn parse_json<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    read_json(body, |_| Vec::new())
}

/// [`parse_json`], with `check` listing every way the value breaks its schema before
/// serde reads it (serde would name only the first, in English). When it finds any,
/// the `validator` rules still run over the other fields, the faulty ones stood in for
/// by values that pass, so the answer names every bad field at once.
fn read_json<T: DeserializeOwned + Validate>(
    body: &[u8],
    check: impl FnOnce(&serde_json::Value) -> Vec<Fault>,
) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "Тело запроса — не JSON: ошибка в строке {}, позиция {}",
            e.line(),
            e.column()
        ))
    })?;
    if let Some(path) = nul_inside(&value, String::new()) {
        return Err(ApiError::Validation(vec![FieldError::new(
            path,
            "control_character",
            "Текст не может содержать символ NUL",
        )]));
    }
    let faults = check(&value);
    if faults.is_empty() {
        let value: T = deserialize(value)?;
        value.validate().map_err(validation_errors)?;
        return Ok(value);
    }
    let others = rules_beside::<T>(value, &faults);
    let mut errors: Vec<FieldError> = faults.into_iter().map(|f| f.error).collect();
    errors.extend(others);
    Err(ApiError::Validation(tidy(errors)))
}

fn deserialize<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        ApiError::Validation(vec![serde_error(path, &e.into_inner().to_string())])
    })
}

/// What the `validator` rules say about the fields the schema did not fault. Nothing
/// when a faulty value has no plain stand-in (an object, a value no branch of a union
/// fits) or the value with its stand-ins still does not read.
fn rules_beside<T: DeserializeOwned + Validate>(
    mut value: serde_json::Value,
    faults: &[Fault],
) -> Vec<FieldError> {
    for fault in faults {
        let Some(stand_in) = &fault.stand_in else {
            return Vec::new();
        };
        let replaced = match stand_in {
            StandIn::Value(v) => put_at(&mut value, &fault.at, v.clone()),
            StandIn::Absent => remove_at(&mut value, &fault.at),
        };
        if replaced.is_none() {
            return Vec::new();
        }
    }
    let Ok(read) = serde_json::from_value::<T>(value) else {
        return Vec::new();
    };
    let Err(ApiError::Validation(rows)) = read.validate().map_err(validation_errors) else {
        return Vec::new();
    };
    // A row about a stood-in value, about a container holding one (a list now with a
    // repeated stand-in), or from a rule across the fields of an object holding one
    // (`__all__`: a date range whose end was stood in) would be about the stand-in,
    // not the request: such rules wait until the faults are fixed.
    let stood_in = |row: &str| {
        let (object, cross) = match row.strip_suffix("__all__") {
            Some(prefix) => (prefix.trim_end_matches('.'), true),
            None => (row, false),
        };
        faults.iter().any(|f| {
            let at = f.error.field.as_str();
            within(at, row) || within(row, at) || (cross && within(object, at))
        })
    };
    rows.into_iter()
        .filter(|row| !stood_in(&row.field))
        .collect()
}

/// Whether the field `inner` is `outer` or inside it (`goals[1]` in `goals`; every
/// field in the top level, `""`).
fn within(outer: &str, inner: &str) -> bool {
    outer.is_empty()
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Puts `new` at a JSON pointer, in place of what is there or as a new member.
fn put_at(value: &mut serde_json::Value, pointer: &str, new: serde_json::Value) -> Option<()> {
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
        return Some(());
    }
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = key.replace("~1", "/").replace("~0", "~");
    value.pointer_mut(parent)?.as_object_mut()?.insert(key, new);
    Some(())
}

/// Removes the member at a JSON pointer; `None` when there is none.
fn remove_at(value: &mut serde_json::Value, pointer: &str) -> Option<()> {
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = key.replace("~1", "/").replace("~0", "~");
    value
        .pointer_mut(parent)?
        .as_object_mut()?
        .remove(&key)
        .map(|_| ())
}

/// The path of the first string (or key) holding a NUL character: no text column of
/// either database can store one, and PostgreSQL refuses it outright.
fn nul_inside(value: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_inside(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(k))
            } else {
                nul_inside(v, join(k))
            }
        }),
        _ => None,
    }
}

/// Flattens `validator`'s nested errors into `field.path` rows.
pub fn validation_errors(errors: ValidationErrors) -> ApiError {
    let mut out = Vec::new();
    collect(&errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    ApiError::Validation(out)
}

/// Fields that request types `#[serde(flatten)]`: on the wire their members sit at
/// the parent's level, so their name is no part of an error's path.
const FLATTENED: &[&str] = &["details"];

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if FLATTENED.contains(&field.as_ref()) {
            prefix.to_owned()
        } else if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("Поле не прошло проверку «{}»", e.code));
                    out.push(FieldError::new(path.clone(), e.code.to_string(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

/// Query parameters, deserialised and validated like bodies.
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let contract = Checked::of(req);
        std::future::ready(parse_query(req.query_string(), &contract))
    }
}

fn parse_query<T: DeserializeOwned + Validate>(
    query: &str,
    contract: &Checked,
) -> Result<ValidQuery<T>, ApiError> {
    if let Some((key, _)) =
        form_urlencoded::parse(query.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(ApiError::Validation(vec![FieldError::new(
            key.replace('\0', ""),
            "control_character",
            "Параметр не может содержать символ NUL",
        )]));
    }
    let errors = contract.query(query);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { String::new() } else { field };
        ApiError::Validation(vec![serde_error(field, &e.into_inner().to_string())])
    })?;
    value.validate().map_err(validation_errors)?;
    Ok(ValidQuery(value))
}

/// For `#[serde(default, deserialize_with = "present_or_null")]` on `Option<Option<T>>`:
/// tells an absent field (leave it as it is) from `null` (clear it).
pub fn present_or_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// The version an update was read at, from `If-Match: "v3"`. Absent or `*` means the
/// client does not ask for the check; anything unreadable never matches.
pub struct IfMatch(pub Option<i32>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let version = req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| v.to_str().ok().and_then(parse_etag).unwrap_or(Some(-1)))
            .unwrap_or(None);
        std::future::ready(Ok(IfMatch(version)))
    }
}

fn parse_etag(value: &str) -> Option<Option<i32>> {
    let value = value.trim();
    if value == "*" {
        return Some(None);
    }
    let tag = value.strip_prefix("W/").unwrap_or(value);
    let version = tag.strip_prefix("\"v")?.strip_suffix('"')?.parse().ok()?;
    Some(Some(version))
}

/// The `ETag` of a record at `version`.
pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// A bearer token that may be absent: anonymous when there is no `Authorization`
/// header, but a header that is present and wrong is still a 401, so that a client
/// with an expired token learns to refresh it.
pub struct MaybeBearer(pub Option<crate::auth::Bearer>);

impl FromRequest for MaybeBearer {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            let bearer = crate::auth::Bearer::from_request(req, payload).into_inner();
            std::future::ready(bearer.map(|b| MaybeBearer(Some(b))))
        } else {
            std::future::ready(Ok(MaybeBearer(None)))
        }
    }
}
