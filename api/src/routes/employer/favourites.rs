//! Favourite candidates (SPEC §3): published resumes an employer account starred in
//! the candidate bank.

use actix_web::{delete, get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use persistence::employer;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::{ApiError, ProblemCode};
use crate::routes::resumes::ResumeSummary;
use crate::state::{now, AppState};
use crate::views::utc;

/// A starred resume, summarised as the candidate bank lists it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = favourite_example)]
pub struct FavouriteResume {
    pub resume: ResumeSummary,
    pub added_at: DateTime<Utc>,
}

fn favourite_example() -> serde_json::Value {
    serde_json::json!({
        "resume": crate::views::example_of::<ResumeSummary>(),
        "added_at": "2026-12-02T12:40:00Z"
    })
}

/// Favourite candidates
#[utoipa::path(
    tag = "employer",
    operation_id = "list_favourite_resumes",
    description = "Resumes this account starred in the candidate bank, sorted by profession alphabetically, summarised as the bank lists them (open one with `GET /resumes/{id}` for its skills and text). Resumes no longer published drop out.",
    responses(
        (status = 200, description = "The favourites", body = Vec<FavouriteResume>),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/favourite-resumes")]
pub async fn favourite_resumes(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<FavouriteResume>>, ApiError> {
    bearer.require(Role::Employer)?;
    let list = state.as_actor(&bearer, employer::favourite_resumes).await?;
    Ok(web::Json(
        list.into_iter()
            .map(|(r, at)| FavouriteResume {
                resume: r.into(),
                added_at: utc(at),
            })
            .collect(),
    ))
}

/// Star a candidate
#[utoipa::path(
    tag = "employer",
    operation_id = "add_favourite_resume",
    description = "Stars a published resume. Idempotent. An employer account keeps at most 500 favourites (409 `limit_reached`).",
    params(("resume_id" = String, Path, description = "The resume's id")),
    responses(
        (status = 204, description = "In favourites"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[put("/employer/favourite-resumes/{resume_id}")]
pub async fn add_favourite_resume(
    state: web::Data<AppState>,
    bearer: Bearer,
    resume_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = resume_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::add_favourite_resume(conn, actor, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Un-star a candidate
#[utoipa::path(
    tag = "employer",
    operation_id = "remove_favourite_resume",
    description = "Removes a resume from favourites. Idempotent.",
    params(("resume_id" = String, Path, description = "The resume's id")),
    responses(
        (status = 204, description = "Not in favourites"),
    ),
    security(("bearer" = [])),
    // Idempotent: removing what is not there is no error.
    extensions(("x-not-answered" = json!([404]))),
)]
#[delete("/employer/favourite-resumes/{resume_id}")]
pub async fn remove_favourite_resume(
    state: web::Data<AppState>,
    bearer: Bearer,
    resume_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = resume_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::remove_favourite_resume(conn, actor, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
