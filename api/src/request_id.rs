//! Every response carries `X-Request-Id`: the client's own when it sent a sane one,
//! otherwise a fresh UUID. The id is on the request's log span, so one grep finds
//! everything a request did; so is the acting account's id once the access token is
//! checked. Logs at `info` name people by account id only: no e-mail addresses,
//! tokens, query strings or bodies.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;
use tracing::Instrument;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The account a request acts for, left in the request's extensions by the access
/// token check ([`crate::auth::Bearer`]) for the request's log line.
#[derive(Debug, Clone)]
pub struct ActingAccount(pub String);

fn acceptable(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic())
}

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    // A NUL in the path can reach no resource, and PostgreSQL would refuse it as text.
    if req.uri().path().to_ascii_lowercase().contains("%00") {
        let response = actix_web::HttpResponse::from_error(crate::problem::ApiError::NotFound);
        let mut res = req.into_response(response).map_into_right_body();
        if let Ok(value) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(HEADER, value);
        }
        return Ok(res);
    }
    actix_web::HttpMessage::extensions_mut(&req).insert(crate::audit::RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        user_id = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let mut res = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_left_body();
    let status = res.status().as_u16();
    let acting = actix_web::HttpMessage::extensions(res.request())
        .get::<ActingAccount>()
        .cloned();
    if let Some(ActingAccount(user_id)) = acting {
        span.record("user_id", user_id.as_str());
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "served"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HEADER, value);
    }
    Ok(res)
}
