//! An employer's vacancy after publication: confirm it is still open (the answer to
//! the 30-day reminder) or close it (issue 14).

use actix_web::{post, web};
use domain::role::Role;
use persistence::vacancy_lifecycle;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::routes::vacancies::VacancyView;
use crate::state::{now, AppState};

/// Close a vacancy
///
/// Closes a published vacancy of the employer's organisation: it leaves the vacancy
/// search and job-search matching at once (the search forgets what it remembered of
/// the vacancy's region). Another organisation's vacancy answers 404; a closed one 409
/// `vacancy_closed`.
#[utoipa::path(
    operation_id = "close_vacancy",
    tag = "employer",
    params(("id" = String, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "Closed", body = VacancyView),
        (status = 409, response = crate::docs::Conflict),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/vacancies/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<VacancyView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let vacancy = state
        .as_actor(&bearer, move |conn, actor| {
            vacancy_lifecycle::close(conn, actor, &id, now())
        })
        .await?;
    state.search_totals.published(&vacancy.region_code);
    Ok(web::Json(vacancy.into()))
}

/// Confirm a vacancy is still open
///
/// The answer to the reminder «подтвердите актуальность вакансии»: the vacancy is
/// published anew as of now and the 30-day reminder starts over. Another
/// organisation's vacancy answers 404; a closed one 409 `vacancy_closed`.
#[utoipa::path(
    operation_id = "confirm_vacancy",
    tag = "employer",
    params(("id" = String, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "Confirmed", body = VacancyView),
        (status = 409, response = crate::docs::Conflict),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/vacancies/{id}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<VacancyView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let vacancy = state
        .as_actor(&bearer, move |conn, actor| {
            vacancy_lifecycle::confirm(conn, actor, &id, now())
        })
        .await?;
    state.search_totals.published(&vacancy.region_code);
    Ok(web::Json(vacancy.into()))
}
