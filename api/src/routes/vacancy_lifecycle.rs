//! An employer's vacancy after publication: edit it, confirm it is still open (the
//! answer to the 30-day reminder) or close it (issue 14). Vacancies carry no version,
//! so an edit takes no `If-Match`: the last edit wins, as with publication.

use actix_web::{patch, post, web};
use domain::role::Role;
use domain::vacancy::{Benefit, EducationLevel, EmploymentType, Experience, Schedule};
use persistence::vacancy_lifecycle::{self, VacancyChanges};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::ValidJson;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::vacancies::{known_category, known_profession, known_region, VacancyView};
use crate::state::{now, AppState};
use crate::validation;

/// Changes to a vacancy; absent fields stay, `null` clears a field that may be empty.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Повар горячего цеха", "salary_from": 80000, "salary_to": 95000, "schedule": "flexible"}))]
pub struct VacancyPatch {
    #[validate(length(min = 2, max = 200), custom(function = "validation::not_blank"))]
    pub title: Option<String>,
    /// ОКПДТР code (dictionary `professions`).
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "known_profession"))]
    pub profession_code: Option<Option<String>>,
    #[validate(custom(function = "known_category"))]
    pub category: Option<String>,
    #[validate(custom(function = "known_region"))]
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 500))]
    pub address: Option<Option<String>>,
    #[schema(value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<EmploymentType>,
    #[schema(value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<Schedule>,
    #[schema(value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<Experience>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<crate::docs::EducationLevelCode>)]
    pub education: Option<Option<EducationLevel>>,
    /// Roubles a month; the range after the edit must have «от» not above «до».
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<i64>)]
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<i64>)]
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<Option<i64>>,
    #[schema(value_type = Option<Vec<crate::docs::BenefitCode>>)]
    #[validate(length(max = 20), custom(function = "crate::validation::distinct"))]
    pub benefits: Option<Vec<Benefit>>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "validation::not_blank")
    )]
    pub description: Option<String>,
}

/// Edit a vacancy
///
/// Changes a published vacancy of the employer's organisation: title, profession,
/// category, region, address, employment type, schedule, experience, education, salary,
/// benefits, description. Absent fields stay, `null` clears one that may be empty; the
/// salary range is checked as it stands after the edit (422 `salary_from`). The vacancy
/// search and job-search matching see the edit at once. Another organisation's vacancy
/// answers 404; a closed one 409 `vacancy_closed`.
#[utoipa::path(
    operation_id = "edit_vacancy",
    tag = "employer",
    params(("id" = String, Path, description = "The vacancy's id")),
    request_body = VacancyPatch,
    responses(
        (status = 200, description = "Edited", body = VacancyView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::VacancyClosed]))),
    security(("bearer" = [])),
)]
#[patch("/employer/vacancies/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<VacancyPatch>,
) -> Result<web::Json<VacancyView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let b = body.0;
    let changes = VacancyChanges {
        title: b.title.map(|t| t.trim().to_owned()),
        profession_code: b.profession_code,
        category: b.category,
        region_code: b.region_code,
        address: b.address,
        employment_type: b.employment_type,
        schedule: b.schedule,
        experience: b.experience,
        education: b.education,
        salary_from: b.salary_from,
        salary_to: b.salary_to,
        benefits: b.benefits,
        description: b.description.map(|d| d.trim().to_owned()),
    };
    let vacancy = state
        .as_actor(&bearer, move |conn, actor| {
            vacancy_lifecycle::edit(conn, actor, &id, changes, now())
        })
        .await?;
    Ok(web::Json(vacancy.1.into()))
}

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
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::VacancyClosed]))),
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
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::VacancyClosed, ProblemCode::OrganizationNotVerified]))),
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
    Ok(web::Json(vacancy.into()))
}
