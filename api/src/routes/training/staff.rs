//! Staff manage their centre's courses: publish, edit (with `If-Match`), withdraw.

use actix_web::{http::header, post, put, web, HttpResponse};
use chrono::NaiveDate;
use domain::payment::Kopecks;
use domain::role::Role;
use domain::training::{CourseFormat, CourseLevel, CourseTheme};
use persistence::training::{self, CourseDetails};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{with_etag, CourseFormatCode, CourseLevelCode, CourseThemeCode, CourseView};
use crate::auth::Bearer;
use crate::extract::{IfMatch, ValidJson};
use crate::problem::ApiError;
use crate::routes::vacancies::known_region;
use crate::state::{now, AppState};

/// A course as staff write it, whole: creation and edits send every field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "title": "Оператор ЭВМ", "description": "Офисные программы, электронный документооборот.",
    "provider": "Колледж информатики № 1", "theme": "it", "level": "basic", "format": "blended",
    "region": "77", "address": "г. Москва, ул. Ленина, д. 1",
    "starts_on": "2027-01-15", "ends_on": "2027-03-15", "hours": 144,
    "cost_kopecks": 0, "capacity": 20
}))]
pub struct CourseBody {
    #[validate(length(min = 3, max = 200, message = "Название — от 3 до 200 символов"))]
    pub title: String,
    #[validate(length(max = 5000, message = "Не более 5000 символов"))]
    pub description: String,
    #[validate(length(
        min = 2,
        max = 300,
        message = "Укажите организацию, от 2 до 300 символов"
    ))]
    pub provider: String,
    #[schema(inline, value_type = CourseThemeCode)]
    pub theme: CourseTheme,
    #[schema(inline, value_type = CourseLevelCode)]
    pub level: CourseLevel,
    #[schema(inline, value_type = CourseFormatCode)]
    pub format: CourseFormat,
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: String,
    #[validate(length(max = 300, message = "Не более 300 символов"))]
    pub address: Option<String>,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub starts_on: NaiveDate,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub ends_on: NaiveDate,
    /// Academic hours.
    #[validate(range(min = 1, max = 10_000, message = "От 1 до 10000 часов"))]
    pub hours: i32,
    /// Whole kopecks; 0 for a free course.
    #[validate(range(min = 0, max = 100_000_000_000_i64, message = "Стоимость — от 0"))]
    pub cost_kopecks: i64,
    #[validate(range(min = 1, max = 10_000, message = "Мест — от 1 до 10000"))]
    pub capacity: i32,
}

impl CourseBody {
    fn details(self) -> CourseDetails {
        CourseDetails {
            title: self.title.trim().to_owned(),
            description: self.description.trim().to_owned(),
            provider: self.provider.trim().to_owned(),
            theme: self.theme,
            level: self.level,
            format: self.format,
            region_code: self.region,
            address: self.address.filter(|a| !a.trim().is_empty()),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            hours: self.hours,
            cost: Kopecks(self.cost_kopecks),
            capacity: self.capacity,
        }
    }
}

/// Publish a course
#[utoipa::path(
    tag = "training",
    operation_id = "create_training_course",
    description = "Publishes a course of the caller's centre in the catalogue (staff only).",
    request_body = CourseBody,
    responses(
        (status = 201, description = "Published", body = CourseView,
            headers(("Location" = String, description = "`/api/v1/training-courses/{id}`"), ("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[post("/staff/training-courses")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<CourseBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let details = body.0.details();
    let course = state
        .as_actor(&bearer, move |conn, actor| {
            training::create(conn, actor, &details, now())
        })
        .await?;
    let location = format!("/api/v1/training-courses/{}", course.id);
    let mut response = with_etag(actix_web::http::StatusCode::CREATED, course);
    if let Ok(value) = header::HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Edit a course
#[utoipa::path(
    tag = "training",
    operation_id = "update_training_course",
    description = "Replaces the details of a course of the caller's centre. Send `If-Match` with the `ETag` it was \
read with: a stale one gets 412. The capacity cannot go below the places taken (422 on `capacity`).",
    params(
        ("id" = String, Path, description = "The course's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the course was read with"),
    ),
    request_body = CourseBody,
    responses(
        (status = 200, description = "Updated", body = CourseView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[put("/staff/training-courses/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<CourseBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let details = body.0.details();
    let course = state
        .as_actor(&bearer, move |conn, actor| {
            training::update(conn, actor, &id, if_match.0, &details, now())
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, course))
}

/// Withdraw a course
#[utoipa::path(
    tag = "training",
    operation_id = "withdraw_training_course",
    description = "Takes a course of the caller's centre out of the catalogue. Its active enrolments end \
(`course_withdrawn`) and the citizens are notified. Withdrawing again changes nothing.",
    params(("id" = String, Path, description = "The course's id")),
    responses(
        (status = 200, description = "Withdrawn", body = CourseView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[post("/staff/training-courses/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let course = state
        .as_actor(&bearer, move |conn, actor| {
            training::withdraw(conn, actor, &id, now())
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, course))
}
