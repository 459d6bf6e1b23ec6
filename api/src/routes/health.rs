//! Probes for orchestrators and load balancers.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    pub status: String,
}

/// Liveness
///
/// The process is up and serving HTTP. Touches nothing else.
#[utoipa::path(
    operation_id = "health_live",
    tag = "health",
    responses((status = 200, description = "Alive", body = Health)),
    security(()),
    // Touches nothing but the process.
    extensions(("x-not-answered" = json!([503]))),
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// Readiness
///
/// The database answers a query and, where several instances share it, this one hears
/// of the others' changes (its change feed has connected since it started): the
/// instance can take traffic. A 503 (`service_unavailable`) means not yet, or no
/// longer.
#[utoipa::path(
    operation_id = "health_ready",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Health),
    ),
    security(()),
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.run(persistence::db::ping).await?;
    // SQLite serves one process, whose own writes are all there is to hear.
    let hears = state.db.backend() == persistence::Backend::Sqlite || state.feed.has_listened();
    if !hears {
        return Err(ApiError::Unavailable(
            "the change feed's listener has not connected yet".into(),
        ));
    }
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
    }))
}
