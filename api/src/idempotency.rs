//! `Idempotency-Key` on creating requests (issue 18), as one middleware a route takes
//! with `#[post("/path", wrap = "Idempotent::json()")]`. A request without the header
//! passes untouched. With it, the body is read whole and digested with the method and
//! path; the key is reserved for the caller's account in the database (one
//! transaction, so of two identical requests racing only one does the work); the
//! handler runs; a success is kept and answered again to a retry within 24 hours.
//!
//! - The same key with another request: 422 `idempotency_key_reused`.
//! - The same request while the first still runs: 409 `idempotency_in_progress` at
//!   once (no waiting held on the server); the client retries in a moment.
//! - A key that is not 1–255 visible ASCII characters: 422 `idempotency_key_invalid`.
//! - A failed request (any status but 2xx) created nothing: its key is freed.
//!
//! The handler runs in a task of its own, so that a client that gives up waiting
//! (the case a retry is for) does not cancel the work between its commit and the
//! keeping of its answer. A server that stops in that gap leaves the reservation
//! unfinished; after [`domain::idempotency::abandoned_after`] a retry runs afresh.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderName};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpMessage, HttpResponse};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use persistence::idempotency::{self, Answer, Reservation};
use sha2::{Digest, Sha256};

use crate::auth::Bearer;
use crate::problem::{ApiError, ProblemCode};
use crate::state::{now, AppState};

/// The request header.
pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");

/// The response header that marks a replayed answer.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The largest answer kept for replay; a larger success is answered but not kept.
const ANSWER_LIMIT: usize = 256 * 1024;

/// Room an upload form takes besides its file: the other fields and the part headers.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The middleware, with the largest body it reads into memory for the digest.
#[derive(Debug, Clone, Copy)]
pub struct Idempotent {
    limit: usize,
}

impl Idempotent {
    /// For a JSON body, bounded as [`crate::extract::ValidJson`] bounds it.
    pub fn json() -> Idempotent {
        Idempotent {
            limit: crate::extract::JSON_LIMIT,
        }
    }

    /// For an upload form: one file at its largest and the form around it.
    pub fn upload() -> Idempotent {
        let file = usize::try_from(domain::file::MAX_FILE_SIZE).unwrap_or(usize::MAX);
        Idempotent {
            limit: file.saturating_add(FORM_OVERHEAD),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Idempotent
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Transform = IdempotentService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(IdempotentService {
            service: Rc::new(service),
            limit: self.limit,
        }))
    }
}

pub struct IdempotentService<S> {
    service: Rc<S>,
    limit: usize,
}

type Answered = Result<ServiceResponse<BoxBody>, actix_web::Error>;

impl<S, B> Service<ServiceRequest> for IdempotentService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Answered>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let limit = self.limit;
        Box::pin(guarded(service, req, limit))
    }
}

/// Who asks, with which key, for which request.
struct Claim {
    user_id: String,
    key: String,
    request_hash: String,
}

async fn guarded<S, B>(service: Rc<S>, mut req: ServiceRequest, limit: usize) -> Answered
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    let Some(raw) = req.headers().get(&HEADER) else {
        return pass(&service, req).await;
    };
    let key = match domain::idempotency::parse_key(raw.as_bytes()) {
        Ok(key) => key,
        Err(e) => {
            let detail = format!("The Idempotency-Key is not 1–255 visible ASCII characters: {e}");
            return Ok(req.error_response(ApiError::Unprocessable {
                code: ProblemCode::IdempotencyKeyInvalid,
                detail,
            }));
        }
    };
    // Without a genuine token the handler refuses the request on its own.
    let Ok(bearer) = Bearer::from_request(req.request(), &mut Payload::None).into_inner() else {
        return pass(&service, req).await;
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req.error_response(ApiError::Internal("the app state is missing".into())));
    };
    let body = match read_body(&mut req, limit).await {
        Ok(body) => body,
        Err(e) => return Ok(req.error_response(e)),
    };
    let request_hash = fingerprint(&req, &body);
    req.set_payload(Payload::from(body));
    let reserved = {
        let (key, request_hash) = (key.clone(), request_hash.clone());
        state
            .as_actor(&bearer, move |conn, actor| {
                idempotency::reserve(conn, &actor.user_id, &key, &request_hash, now())
                    .map(|r| (actor.user_id.clone(), r))
            })
            .await
    };
    let (user_id, reservation) = match reserved {
        Ok(found) => found,
        Err(e) => return Ok(req.error_response(e)),
    };
    match reservation {
        Reservation::Replay(answer) => Ok(req.into_response(replay(answer))),
        Reservation::InProgress => Ok(req.error_response(ApiError::Conflict {
            code: ProblemCode::IdempotencyInProgress,
            detail: "A request with this Idempotency-Key is still running; retry in a moment"
                .into(),
            reason: None,
        })),
        Reservation::Reused => Ok(req.error_response(ApiError::Unprocessable {
            code: ProblemCode::IdempotencyKeyReused,
            detail: "This Idempotency-Key was used with another request; use a new key for a \
                     new request"
                .into(),
        })),
        Reservation::Reserved => {
            let claim = Claim {
                user_id,
                key,
                request_hash,
            };
            // Its own task: see the module's doc.
            let work = actix_web::rt::spawn(async move {
                let answered = service.call(req).await;
                settle(&state, claim, answered).await
            });
            work.await
                .map_err(|e| ApiError::Internal(format!("the request's task failed: {e}")))?
        }
    }
}

async fn pass<S, B>(service: &Rc<S>, req: ServiceRequest) -> Answered
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody + 'static,
{
    service.call(req).await.map(|r| r.map_into_boxed_body())
}

/// The whole body, refused over `limit`.
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, ApiError> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| crate::extract::unreadable_body())?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// SHA-256 of the method, the path with its query, and the body. A multipart body is
/// digested without its boundary: a client may draw a new one for each retry.
fn fingerprint(req: &ServiceRequest, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(
        req.uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("")
            .as_bytes(),
    );
    hasher.update(b"\n");
    match boundary(req) {
        Some(boundary) => digest_without(&mut hasher, body, boundary.as_bytes()),
        None => hasher.update(body),
    }
    hex::encode(hasher.finalize())
}

/// The boundary of a `multipart/*` body.
fn boundary(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let mime = parts.next()?.trim();
    if !mime.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    parts
        .filter_map(|p| p.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, b)| b.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
}

/// Feeds `body` to `hasher` with every delimiter line (`--` and the boundary at the
/// start of a line) cut down to `--`.
fn digest_without(hasher: &mut Sha256, body: &[u8], boundary: &[u8]) {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let (mut start, mut i) = (0, 0);
    while i + delimiter.len() <= body.len() {
        let line_start = i == 0 || (i >= 2 && &body[i - 2..i] == b"\r\n");
        if line_start && body[i..].starts_with(&delimiter) {
            hasher.update(&body[start..i]);
            hasher.update(b"--");
            i += delimiter.len();
            start = i;
        } else {
            i += 1;
        }
    }
    hasher.update(&body[start..]);
}

/// Keeps a success for replay, or frees the key of a failure; answers as the handler
/// did either way.
async fn settle<B>(
    state: &AppState,
    claim: Claim,
    answered: Result<ServiceResponse<B>, actix_web::Error>,
) -> Answered
where
    B: MessageBody + 'static,
{
    let response = match answered {
        Ok(response) if response.status().is_success() => response,
        other => {
            let Claim {
                user_id,
                key,
                request_hash,
            } = claim;
            let freed = state
                .run(move |conn| idempotency::release(conn, &user_id, &key, &request_hash))
                .await;
            if let Err(e) = freed {
                tracing::warn!(error = %e, "an idempotency key was not freed");
            }
            return other.map(|r| r.map_into_boxed_body());
        }
    };
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = match actix_web::body::to_bytes_limited(body, ANSWER_LIMIT).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            let e: Box<dyn std::error::Error> = e.into();
            return Err(ApiError::Internal(format!("the answer could not be read: {e}")).into());
        }
        Err(_) => {
            return Err(ApiError::Internal("the answer is too large to keep".into()).into());
        }
    };
    let text = |name: header::HeaderName| {
        head.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let answer = Answer {
        status: head.status().as_u16(),
        location: text(header::LOCATION),
        content_type: text(header::CONTENT_TYPE),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    let Claim {
        user_id,
        key,
        request_hash,
    } = claim;
    let kept = state
        .run(move |conn| idempotency::finish(conn, &user_id, &key, &request_hash, &answer))
        .await;
    if let Err(e) = kept {
        tracing::warn!(error = %e, "an idempotent answer was not kept");
    }
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response))
}

/// The kept answer, marked as a replay.
fn replay(answer: Answer) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((REPLAYED, "true"));
    if let Some(location) = answer.location {
        response.insert_header((header::LOCATION, location));
    }
    if let Some(content_type) = answer.content_type {
        response.insert_header((header::CONTENT_TYPE, content_type));
    }
    response.body(answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(body: &[u8], boundary: &[u8]) -> String {
        let mut hasher = Sha256::new();
        digest_without(&mut hasher, body, boundary);
        hex::encode(hasher.finalize())
    }

    #[test]
    fn a_multipart_body_is_digested_without_its_boundary() {
        let form = |b: &str| {
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n--{b}--\r\n"
            )
        };
        assert_eq!(
            digest(form("AAA").as_bytes(), b"AAA"),
            digest(form("BBBBBB").as_bytes(), b"BBBBBB")
        );
        assert_ne!(
            digest(form("AAA").as_bytes(), b"AAA"),
            digest(form("AAA").replace("passport", "snils").as_bytes(), b"AAA")
        );
    }

    #[test]
    fn a_boundary_inside_a_line_is_content() {
        assert_ne!(digest(b"x--AAAy", b"AAA"), digest(b"x--y", b"AAA"));
    }
}
