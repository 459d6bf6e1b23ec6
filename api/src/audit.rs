//! What a handler hands persistence so that a journal entry names the request that
//! caused it: [`Audit`] extracts the request id (set by `request_id`) and the client
//! address (as the sign-in throttle sees it: `client_addr`, which reads
//! `X-Forwarded-For` only from a trusted proxy).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use domain::audit::AuditContext;

use crate::problem::ApiError;

/// The id the `request_id` middleware gave the request, kept in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The request's [`AuditContext`], for use cases that write the journal.
#[derive(Debug, Clone)]
pub struct Audit(pub AuditContext);

impl FromRequest for Audit {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        let client_addr = crate::client_addr::of(req).map(|a| a.to_string());
        std::future::ready(Ok(Audit(AuditContext {
            request_id,
            client_addr,
        })))
    }
}
