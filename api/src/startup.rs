//! Builds the application: binds the listener (port 0 in tests), wires middleware,
//! routes, the OpenAPI document and Swagger UI.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpRequest, HttpServer};
use chrono::TimeDelta;
use persistence::Database;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::jwt::Keys;
use crate::config::ServeSettings;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::{request_id, routes};

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    /// The background threads, which end with the server.
    jobs: crate::jobs::Jobs,
    /// The change feed's listener on PostgreSQL, which ends with the server.
    listener: Option<crate::feed::listen::Listener>,
}

impl Application {
    /// Binds `settings.bind` and prepares the server over an already opened database.
    pub fn build(
        settings: &ServeSettings,
        db: Database,
        secret: &[u8],
    ) -> std::io::Result<Application> {
        let mailer = crate::mail::Mailer::new(&settings.mail, settings.demo)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let hooks = crate::webhooks::sender::Sender::new(
            settings.webhooks.policy(),
            std::time::Duration::from_millis(settings.webhooks.webhooks_retry_ms),
        )
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let jobs = crate::jobs::start(
            db.clone(),
            mailer,
            hooks,
            crate::jobs::Plan {
                mail_every: std::time::Duration::from_millis(
                    settings.mail.mail_interval_ms.max(50),
                ),
                jobs_every: std::time::Duration::from_millis(
                    settings.jobs.jobs_interval_ms.max(20),
                ),
                webhooks_every: std::time::Duration::from_millis(
                    settings.webhooks.webhooks_interval_ms.max(20),
                ),
                retention: settings.retention.retention(),
            },
        )?;
        let files = web::Data::new(
            crate::storage::FileStore::open(&settings.files)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
        );
        let esia = crate::esia::Esia::from_settings(&settings.esia)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(&settings.bind)?;
        let port = listener.local_addr()?.port();
        let changes = crate::remembered::Changes::new();
        let sessions = crate::auth::sessions::SessionCache::new(std::time::Duration::from_secs(
            settings.session_cache_seconds,
        ));
        // Every change this process commits, and on PostgreSQL every other process's,
        // goes through the feed: the one place what is remembered is invalidated.
        let feed = crate::feed::Feed::new(changes.clone(), sessions.clone());
        db.hub().subscribe(feed.clone());
        let feed_listener = match db.backend() {
            persistence::Backend::Postgres => {
                // Nothing is trusted from memory until the listener is on.
                feed.lost();
                Some(crate::feed::listen::start(
                    &settings.database.database_url,
                    feed.clone(),
                )?)
            }
            persistence::Backend::Sqlite => None,
        };
        let keys = web::Data::new(Keys::new(secret, settings.access_token_ttl.max(1)));
        let journal = crate::journal::ReadJournal::start(db.clone())?;
        let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
        let limits = crate::throttle::Limits {
            sign_in_per_account: settings.login_attempts_per_account,
            sign_in_per_address: settings.login_attempts_per_address,
            registrations_per_address: settings.registrations_per_address,
            refreshes_per_address: settings.refreshes_per_address,
        };
        // Several processes share a PostgreSQL database, and so share the budgets there;
        // SQLite's one process keeps them in memory.
        let throttle = match db.backend() {
            persistence::Backend::Postgres => crate::throttle::Throttle::shared(limits),
            persistence::Backend::Sqlite => crate::throttle::Throttle::local(limits),
        };
        let state = web::Data::new(AppState {
            journal,
            db_slots: tokio::sync::Semaphore::new(
                (db.max_size() as usize).saturating_sub(1).max(1),
            ),
            vacancy_searches: crate::remembered::VacancySearches::new(
                std::time::Duration::from_secs(settings.vacancy_search_seconds),
                changes.clone(),
            ),
            appeal_totals: crate::remembered::AppealTotals::new(
                std::time::Duration::from_secs(settings.cabinet_cache_seconds),
                changes.clone(),
            ),
            changes,
            sessions,
            feed,
            events: settings.events.clone(),
            db,
            keys: keys.clone(),
            session_terms: persistence::accounts::SessionTerms {
                refresh_ttl: TimeDelta::seconds(settings.refresh_token_ttl.max(1)),
                idle_ttl: TimeDelta::seconds(settings.session_idle_timeout.max(1)),
            },
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            esia,
            throttle: std::sync::Arc::new(throttle),
            hashing: crate::auth::passwords::Hashing::start(),
            webhooks: settings.webhooks.policy(),
        });
        let metrics = web::Data::new(
            crate::metrics::Metrics::new(settings.metrics_token.clone())
                .map_err(|e| std::io::Error::other(e.to_string()))?,
        );
        let origins = settings.cors_origins.clone();
        let document = crate::openapi::document();
        let methods = web::Data::new(MethodTable::from_document(&document));
        // Compiled before the first request rather than during it.
        crate::contract::served();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(keys.clone())
                .app_data(trusted_proxies.clone())
                .app_data(methods.clone())
                .app_data(files.clone())
                .app_data(metrics.clone())
                .app_data(web::PathConfig::default().error_handler(|_, _| {
                    ApiError::BadRequest("Неверный параметр в пути запроса".into()).into()
                }))
                .wrap(cors(&origins))
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Cache-Control", "no-store")),
                )
                .wrap(from_fn(request_id::middleware))
                .wrap(from_fn(crate::metrics::middleware))
                .configure(|cfg| {
                    let mut cfg = utoipa_actix_web::service_config::ServiceConfig::new(cfg);
                    routes::health(&mut cfg);
                })
                .service(
                    web::scope("/api/v1")
                        .wrap(from_fn(crate::conditional::middleware))
                        .configure(|cfg| {
                            let mut cfg = utoipa_actix_web::service_config::ServiceConfig::new(cfg);
                            routes::v1(&mut cfg);
                        }),
                )
                .service(
                    SwaggerUi::new("/swagger-ui/{_:.*}")
                        .url("/api-docs/openapi.json", document.clone()),
                )
                // Beside the API, not in its document (`metrics.rs`).
                .route("/metrics", web::get().to(crate::metrics::scrape))
                .default_service(web::to(not_found))
        })
        .listen(listener)?;
        // A client that does not finish sending its headers in time is dropped, so
        // slow clients cannot hold connections open.
        server = server
            .client_request_timeout(std::time::Duration::from_secs(10))
            .client_disconnect_timeout(std::time::Duration::from_secs(5))
            .keep_alive(std::time::Duration::from_secs(30));
        if let Some(workers) = settings.workers {
            server = server.workers(workers.max(1));
        }
        Ok(Application {
            port,
            server: server.run(),
            jobs,
            listener: feed_listener,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _jobs = self.jobs;
        let _listener = self.listener;
        self.server.await
    }
}

/// The methods each documented path answers, so that a known path asked with another
/// method gets 405 and `Allow` rather than 404.
pub struct MethodTable(Vec<(Vec<String>, Vec<&'static str>)>);

impl MethodTable {
    fn from_document(doc: &utoipa::openapi::OpenApi) -> MethodTable {
        let rows = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (segments, methods)
            })
            .collect();
        MethodTable(rows)
    }

    /// The methods of the documented path `path` matches, if any.
    fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let asked: Vec<&str> = path.split('/').collect();
        let mut methods: Vec<&'static str> = self
            .0
            .iter()
            .filter(|(template, _)| {
                template.len() == asked.len()
                    && template
                        .iter()
                        .zip(&asked)
                        .all(|(t, a)| t == a || (t.starts_with('{') && !a.is_empty()))
            })
            .flat_map(|(_, m)| m.iter().copied())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

async fn not_found(
    req: HttpRequest,
    table: web::Data<MethodTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    match table.allowed(req.path()) {
        Some(methods) => {
            let error = ApiError::MethodNotAllowed {
                allow: methods.join(", "),
            };
            Err(error)
        }
        None => {
            tracing::debug!(path = %req.path(), "no route");
            Err(ApiError::NotFound)
        }
    }
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::IF_MATCH,
            actix_web::http::header::IF_NONE_MATCH,
            request_id::HEADER,
            crate::idempotency::HEADER,
        ])
        .expose_headers([
            actix_web::http::header::LOCATION,
            actix_web::http::header::ETAG,
            actix_web::http::header::RETRY_AFTER,
            request_id::HEADER,
            crate::idempotency::REPLAYED,
        ])
        .max_age(3600);
    for origin in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        cors = cors.allowed_origin(origin);
    }
    cors
}
