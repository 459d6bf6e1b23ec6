//! `GET /metrics` in the Prometheus text format, beside the API rather than in it (not
//! under `/api/v1`, not in the OpenAPI document), and only to a scraper that bears
//! `PORTAL_METRICS_TOKEN`; without that setting it answers 404 like any unknown path.
//!
//! Each process counts its own requests (a scraper scrapes each instance): by method,
//! route template (`/api/v1/appeals/{id}`, never the raw path, so no ids end up in
//! labels) and status class, with their latencies. At each scrape it also reads the
//! pool's connections, the backlog of the mail and webhook outboxes, and the reads
//! waiting for the journal's writer.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use persistence::{outbox, webhooks, StoreError};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::problem::ApiError;
use crate::state::AppState;

/// The label of a request that matched no route.
const UNMATCHED: &str = "unmatched";

/// One process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    backlog: IntGaugeVec,
    journal: IntGauge,
    writes: IntGaugeVec,
    /// What a scraper must bear; `None`: no scraping.
    token: Option<String>,
}

impl Metrics {
    pub fn new(token: Option<String>) -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("portal_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "portal_http_request_duration_seconds",
                "Time from a request's arrival to its answer's head",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "portal_db_pool_connections",
                "Database pool connections: open, idle (of the open), and the most it holds",
            ),
            &["state"],
        )?;
        let backlog = IntGaugeVec::new(
            Opts::new(
                "portal_outbox_backlog",
                "Rows of an outbox not delivered: pending (due or waiting to retry) or dead (given up)",
            ),
            &["queue", "state"],
        )?;
        let journal = IntGauge::new(
            "portal_journal_queue",
            "Reads waiting for the journal's writer to take their entries",
        )?;
        let writes = IntGaugeVec::new(
            Opts::new(
                "portal_db_grouped_writes",
                "SQLite's writes since start and the groups they were committed in \
                 (writes / groups: how many share a commit); zero on PostgreSQL",
            ),
            &["count"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(backlog.clone()))?;
        registry.register(Box::new(journal.clone()))?;
        registry.register(Box::new(writes.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool,
            backlog,
            journal,
            writes,
            token: token.filter(|t| !t.is_empty()),
        })
    }

    fn observe(&self, method: &Method, route: &str, status: StatusCode, took: Duration) {
        let method = match *method {
            Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE => {
                method.as_str()
            }
            Method::HEAD | Method::OPTIONS => method.as_str(),
            _ => "OTHER",
        };
        let class = match status.as_u16() / 100 {
            1 => "1xx",
            2 => "2xx",
            3 => "3xx",
            4 => "4xx",
            _ => "5xx",
        };
        let labels = [method, route, class];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(took.as_secs_f64());
    }

    /// Whether the request bears the scraper's token (compared in constant time).
    fn admits(&self, req: &HttpRequest) -> Result<(), ApiError> {
        let Some(token) = &self.token else {
            return Err(ApiError::NotFound);
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let same = given.len() == token.len()
            && given
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(ApiError::token_invalid(
                "GET /metrics needs the metrics token as a bearer token",
            ))
        }
    }
}

/// Counts and times every request by its route template.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    // The request cannot be kept (routing needs it alone); the route map answers for
    // the path as well, should no response come back.
    let planned = req.match_pattern();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let answered = next.call(req).await;
    if let Some(metrics) = metrics {
        let (status, route) = match &answered {
            Ok(res) => (res.status(), res.request().match_pattern()),
            Err(e) => (e.as_response_error().status_code(), planned),
        };
        metrics.observe(
            &method,
            route.as_deref().unwrap_or(UNMATCHED),
            status,
            started.elapsed(),
        );
    }
    answered
}

/// `GET /metrics`: the Prometheus text format.
pub async fn scrape(
    req: HttpRequest,
    metrics: web::Data<Metrics>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    metrics.admits(&req)?;
    let (open, idle) = state.db.pool_state();
    metrics
        .pool
        .with_label_values(&["open"])
        .set(i64::from(open));
    metrics
        .pool
        .with_label_values(&["idle"])
        .set(i64::from(idle));
    metrics
        .pool
        .with_label_values(&["max"])
        .set(i64::from(state.db.max_size()));
    metrics.journal.set(state.journal.queued() as i64);
    let (writes, groups) = state.db.write_groups();
    for (count, value) in [("writes", writes), ("groups", groups)] {
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        metrics.writes.with_label_values(&[count]).set(value);
    }
    let backlog = state
        .run(|conn| -> Result<_, StoreError> {
            Ok((outbox::backlog(conn)?, webhooks::backlog(conn)?))
        })
        .await;
    match backlog {
        Ok(((mail_pending, mail_dead), hooks)) => {
            let gauge = |queue: &str, state: &str, value: i64| {
                metrics
                    .backlog
                    .with_label_values(&[queue, state])
                    .set(value)
            };
            gauge("mail", "pending", mail_pending);
            gauge("mail", "dead", mail_dead);
            gauge("webhooks", "pending", hooks.pending);
            gauge("webhooks", "dead", hooks.dead);
        }
        // The rest still tells something; the backlog keeps its last values.
        Err(e) => tracing::warn!(error = %e, "outbox backlog not read for the metrics"),
    }
    let mut text = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut text)
        .map_err(|e| ApiError::Internal(format!("metrics not encoded: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(text))
}
