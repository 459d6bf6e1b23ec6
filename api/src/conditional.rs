//! Conditional GETs (issues 17 and 18), as one middleware around `/api/v1`: a
//! successful JSON answer to a GET gets an `ETag` digested from its body and a
//! `Cache-Control` saying who may keep it; a request whose `If-None-Match` names that
//! tag is answered `304 Not Modified` without the body. Apps that poll (the cabinet's
//! lists, a notification badge) then pay one round trip and no transfer while nothing
//! changed.
//!
//! - Reference data in [`PUBLIC`] (dictionaries, centres) is the same for everyone:
//!   `public, max-age=3600`, so browsers and proxies keep it for an hour.
//! - Anything read with an `Authorization` header is the caller's own:
//!   `private, no-cache` (kept by the client only, revalidated before each use).
//! - Other anonymous reads (the vacancy search): `no-cache`.
//!
//! Left as the handler made it: any other method, an error or any other status, a body
//! that is not JSON (file downloads), an answer that already carries an `ETag` (the
//! version tags `If-Match` checks: an organisation, a resume, a course), and the
//! sign-in paths under `/auth`, whose answers keep `no-store`.
//!
//! The tag is weak (`W/"…"`): the compression around the API changes the bytes sent,
//! not what they say.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use sha2::{Digest, Sha256};

/// Where the API is mounted.
const PREFIX: &str = "/api/v1";

/// The paths (under `/api/v1`) of reference data every caller reads alike, with how
/// long, in seconds, a client or a shared cache may keep an answer.
pub const PUBLIC: &[(&str, u32)] = &[
    ("/dictionaries", 3600),
    ("/dictionaries/{name}", 3600),
    ("/centres", 3600),
];

/// Paths (under `/api/v1`) whose answers are never kept: tokens and sign-in state.
const NEVER_KEPT: &str = "/auth/";

/// Who may keep an answer, as its `Cache-Control` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// Reference data: anyone, for that many seconds.
    Public(u32),
    /// The signed-in caller's own data: the caller, revalidated before each use.
    Private,
    /// An anonymous read that changes often: anyone, revalidated before each use.
    Revalidated,
}

impl Keeping {
    /// The `Cache-Control` value.
    pub fn header(self) -> String {
        match self {
            Keeping::Public(seconds) => format!("public, max-age={seconds}"),
            Keeping::Private => "private, no-cache".to_owned(),
            Keeping::Revalidated => "no-cache".to_owned(),
        }
    }
}

/// How an answer to the GET of `path` (a route template under `/api/v1`) is kept, or
/// `None` when it gets no `ETag` at all.
pub fn keeping(path: &str, signed_in: bool) -> Option<Keeping> {
    if path.starts_with(NEVER_KEPT) {
        return None;
    }
    if let Some((_, seconds)) = PUBLIC.iter().find(|(public, _)| *public == path) {
        return Some(Keeping::Public(*seconds));
    }
    Some(if signed_in {
        Keeping::Private
    } else {
        Keeping::Revalidated
    })
}

/// The weak `ETag` of a body.
pub fn tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", hex::encode(&digest[..16]))
}

/// Whether `If-None-Match` names `tag` (weak comparison, RFC 9110 §13.1.2) or is `*`.
fn matches(headers: &HeaderMap, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(tag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() != Method::GET {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let signed_in = req.headers().contains_key(header::AUTHORIZATION);
    let res = next.call(req).await?;
    let keeping = res
        .request()
        .match_pattern()
        .and_then(|p| p.strip_prefix(PREFIX).map(|p| keeping(p, signed_in)))
        .flatten();
    let eligible = res.status() == StatusCode::OK
        && !res.headers().contains_key(header::ETAG)
        && is_json(res.headers());
    let Some(keeping) = keeping.filter(|_| eligible) else {
        return Ok(res.map_into_boxed_body());
    };
    let (req, response) = res.map_into_boxed_body().into_parts();
    let (mut head, payload) = response.into_parts();
    let bytes = match body::to_bytes(payload).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let error = crate::problem::ApiError::Internal(format!("reading an answer: {e}"));
            return Ok(ServiceResponse::new(req, HttpResponse::from_error(error)));
        }
    };
    let etag = tag(&bytes);
    let cache_control = keeping.header();
    let unchanged = matches(req.headers(), &etag);
    let headers = head.headers_mut();
    for (name, value) in [(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    if unchanged {
        let mut not_modified = HttpResponse::NotModified().finish();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = head.headers().get(&name) {
                not_modified.headers_mut().insert(name, value.clone());
            }
        }
        return Ok(ServiceResponse::new(req, not_modified));
    }
    Ok(ServiceResponse::new(
        req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_is_public_and_the_rest_private_or_revalidated() {
        assert_eq!(
            keeping("/dictionaries/{name}", true),
            Some(Keeping::Public(3600))
        );
        assert_eq!(keeping("/appeals", true), Some(Keeping::Private));
        assert_eq!(keeping("/vacancies", false), Some(Keeping::Revalidated));
        assert_eq!(keeping("/auth/esia/authorize", false), None);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_stars() {
        let ours = tag(b"{}");
        let opaque = ours.trim_start_matches("W/").to_owned();
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            h
        };
        assert!(matches(&with(&ours), &ours));
        assert!(matches(&with(&opaque), &ours));
        assert!(matches(&with(&format!("\"x\", {ours}")), &ours));
        assert!(matches(&with("*"), &ours));
        assert!(!matches(&with("\"x\""), &ours));
        assert!(!matches(&HeaderMap::new(), &ours));
        assert_ne!(tag(b"{}"), tag(b"[]"));
    }
}
