//! Sends the webhook outbox: each pass claims what is due (`webhooks::claim`, a lease,
//! so processes sharing the database never send one delivery twice), posts the bodies
//! at once, and records each answer: 2xx is delivered, anything else (a redirect
//! included: none is followed) fails and backs off.
//!
//! The connection never reaches the portal's own network: the client resolves names
//! through [`CheckedResolver`], which refuses a name if any address it gives is not
//! public, and connects only to the addresses it checked (no second lookup for a
//! rebinding attacker to answer differently); a URL with an address for a host is
//! checked before sending. No proxy from the environment is used.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use domain::backoff::{Backoff, Retry};
use domain::webhook::{self, UrlRefusal};
use futures_util::future::join_all;
use persistence::webhooks::{self, Claimed};
use persistence::{Database, StoreError};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::Policy;

/// How many deliveries one pass claims (and sends at once) at most.
const BATCH: i64 = 20;

/// How long one attempt may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves names for the webhook client and refuses any that gives an address
/// deliveries may not go to.
struct CheckedResolver {
    policy: Policy,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.policy.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let addresses: Vec<_> = found.iter().map(SocketAddr::ip).collect();
            webhook::check_resolved(&addresses, allow_private)?;
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// Posts due deliveries.
pub struct Sender {
    client: reqwest::Client,
    policy: Policy,
    backoff: Backoff,
}

/// How one attempt ended.
enum Outcome {
    Delivered(i32),
    Failed(Option<i32>, String),
}

impl Sender {
    /// A sender whose first retry comes `first_retry` after a failure.
    pub fn new(policy: Policy, first_retry: Duration) -> Result<Sender, String> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(CheckedResolver { policy }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .https_only(!policy.allow_private)
            .user_agent("portal-webhooks/1")
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        let first = TimeDelta::from_std(first_retry).unwrap_or(TimeDelta::minutes(1));
        Ok(Sender {
            client,
            policy,
            backoff: webhook::backoff(first.max(TimeDelta::milliseconds(10))),
        })
    }

    /// Claims what is due at `now`, sends it, and records each outcome. Returns how
    /// many were delivered.
    pub async fn deliver_due(
        &self,
        db: &Database,
        now: NaiveDateTime,
    ) -> Result<usize, StoreError> {
        // No connection is held while the receivers answer.
        let claimed = webhooks::claim(&mut *db.conn()?, now, BATCH)?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let outcomes = join_all(claimed.iter().map(|c| self.attempt(c))).await;
        let finished = crate::state::now();
        let mut conn = db.conn()?;
        let mut delivered = 0;
        for (claim, outcome) in claimed.iter().zip(outcomes) {
            match outcome {
                Outcome::Delivered(status) => {
                    webhooks::mark_delivered(&mut conn, &claim.id, status, finished)?;
                    delivered += 1;
                }
                Outcome::Failed(status, error) => {
                    match webhooks::mark_failed(
                        &mut conn,
                        claim,
                        status,
                        &error,
                        &self.backoff,
                        finished,
                    )? {
                        Retry::At(at) => {
                            tracing::info!(id = %claim.id, %error, retry_at = %at, "webhook not delivered; will retry")
                        }
                        Retry::GiveUp => {
                            tracing::warn!(id = %claim.id, %error, attempts = claim.attempts + 1, "webhook not delivered; given up")
                        }
                    }
                }
            }
        }
        Ok(delivered)
    }

    /// One attempt to post a delivery.
    async fn attempt(&self, claim: &Claimed) -> Outcome {
        if let Err(refusal) = self.check_literal(&claim.url) {
            return Outcome::Failed(None, refusal.to_string());
        }
        let timestamp = chrono::Utc::now().timestamp();
        let Some(signature) = super::sign(&claim.secret, &claim.event_id, timestamp, &claim.body)
        else {
            return Outcome::Failed(None, "the subscription's secret is unusable".into());
        };
        let sent = self
            .client
            .post(&claim.url)
            .header("content-type", "application/json")
            .header("webhook-id", &claim.event_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(claim.body.clone())
            .send()
            .await;
        // The answer's body is never read: only its status counts.
        match sent {
            Ok(answer) if answer.status().is_success() => {
                Outcome::Delivered(i32::from(answer.status().as_u16()))
            }
            Ok(answer) => {
                let status = answer.status();
                Outcome::Failed(
                    Some(i32::from(status.as_u16())),
                    format!("answered {status}"),
                )
            }
            Err(e) => Outcome::Failed(None, describe(&e)),
        }
    }

    /// A URL whose host is an address is checked here: the resolver never sees it.
    fn check_literal(&self, url: &str) -> Result<(), UrlRefusal> {
        let parsed = url::Url::parse(url).map_err(|_| UrlRefusal::NoHost)?;
        webhook::check_target(
            &super::target(&parsed, url.len()),
            self.policy.allow_private,
        )
    }
}

/// What went wrong, with its causes (reqwest's own text names only the outermost).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
