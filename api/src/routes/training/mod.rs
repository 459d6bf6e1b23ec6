//! Vocational training (seeds 002, 003; SPEC §7): the public catalogue here, staff
//! managing their centre's courses in `staff`, citizens' enrolments in `enrolments`.

pub mod enrolments;
pub mod staff;

use actix_web::{get, http::header, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::payment::Kopecks;
use domain::training::{CourseFormat, CourseLevel, CourseSort, CourseTheme};
use persistence::training::{self, Course, CourseFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::extract::{etag, MaybeBearer, ValidQuery};
use crate::problem::ApiError;
use crate::routes::documents::views::codes;
use crate::routes::vacancies::{known_region, region_label};
use crate::state::AppState;
use crate::views::{utc, Labelled, PageQuery, PageView};

macro_rules! inline_codes {
    ($($(#[$doc:meta])* $name:ident => $ty:ty;)+) => {$(
        $(#[$doc])*
        pub struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                codes::<$ty>()
            }
        }
        impl ToSchema for $name {}
    )+};
}

inline_codes! {
    /// How a course is taught: `in_person` «Очно», `online` «Онлайн», `blended` «Смешанный».
    CourseFormatCode => CourseFormat;
    /// A course's level.
    CourseLevelCode => CourseLevel;
    /// A course's theme.
    CourseThemeCode => CourseTheme;
    /// The catalogue's order.
    CourseSortCode => CourseSort;
    /// An enrolment's status.
    EnrolmentStatusCode => domain::training::EnrolmentStatus;
}

/// A course of the catalogue. Money is whole kopecks and a decimal string, never a float.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-0000-7000-8000-000000000020",
    "title": "Оператор ЭВМ", "description": "Офисные программы, электронный документооборот.",
    "provider": "Колледж информатики № 1",
    "theme": {"code": "it", "title": "Информационные технологии"},
    "level": {"code": "basic", "title": "Профессиональное обучение"},
    "format": {"code": "blended", "title": "Смешанный"},
    "region": {"code": "77", "title": "Москва"}, "address": "г. Москва, ул. Ленина, д. 1",
    "starts_on": "2027-01-15", "ends_on": "2027-03-15", "hours": 144,
    "cost_kopecks": 0, "cost": "0,00", "free": true,
    "capacity": 20, "places_left": 7,
    "status": {"code": "open", "title": "Идёт набор"}, "centre_id": "01938f4e-0000-7000-8000-000000000002",
    "updated_at": "2026-12-01T09:00:00Z"
}))]
pub struct CourseView {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    pub description: String,
    /// Who teaches it.
    pub provider: String,
    pub theme: Labelled<crate::codes::CourseThemeCode>,
    pub level: Labelled<crate::codes::CourseLevelCode>,
    pub format: Labelled<crate::codes::CourseFormatCode>,
    pub region: Labelled,
    #[schema(required)]
    pub address: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Academic hours.
    pub hours: i32,
    pub cost_kopecks: i64,
    /// Rubles as people read them: «15 000,00».
    pub cost: String,
    pub free: bool,
    pub capacity: i32,
    pub places_left: i32,
    pub status: Labelled<crate::codes::CourseStatusCode>,
    /// The centre that offers it.
    #[schema(format = Uuid)]
    pub centre_id: String,
    pub updated_at: DateTime<Utc>,
}

impl CourseView {
    pub fn new(c: Course) -> CourseView {
        let d = c.details;
        CourseView {
            id: c.id,
            title: d.title,
            description: d.description,
            provider: d.provider,
            theme: Labelled::of(d.theme),
            level: Labelled::of(d.level),
            format: Labelled::of(d.format),
            region: region_label(&d.region_code),
            address: d.address,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            hours: d.hours,
            cost_kopecks: d.cost.0,
            cost: d.cost.rubles(),
            free: d.cost.0 == 0,
            capacity: d.capacity,
            places_left: (d.capacity - c.taken).max(0),
            status: Labelled::of(c.status),
            centre_id: c.centre_id,
            updated_at: utc(c.updated_at),
        }
    }
}

/// Catalogue filters, sort and paging.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "ranges", skip_on_field_errors = false))]
pub struct CourseQuery {
    /// Courses starting on or after this date.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub starts_from: Option<NaiveDate>,
    /// Courses starting on or before this date.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub starts_to: Option<NaiveDate>,
    /// At least this many academic hours.
    #[validate(range(min = 1, max = 10_000))]
    pub hours_min: Option<i32>,
    /// At most this many academic hours.
    #[validate(range(min = 1, max = 10_000))]
    pub hours_max: Option<i32>,
    /// Only courses taught this way (in person, online, blended).
    #[param(inline, value_type = Option<CourseFormatCode>)]
    pub format: Option<CourseFormat>,
    /// Only courses of this theme.
    #[param(inline, value_type = Option<CourseThemeCode>)]
    pub theme: Option<CourseTheme>,
    /// Only courses of this level.
    #[param(inline, value_type = Option<CourseLevelCode>)]
    pub level: Option<CourseLevel>,
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: Option<String>,
    /// `true`: free courses only.
    pub free: Option<bool>,
    /// Courses costing at most this many whole rubles.
    #[validate(range(min = 0, max = 100_000_000))]
    pub cost_max: Option<i64>,
    /// `start_date` (default, soonest first), `cost` (cheapest first), `duration`
    /// (shortest first) or `newest`.
    #[param(inline, value_type = Option<CourseSortCode>)]
    pub sort: Option<CourseSort>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

fn ranges(q: &CourseQuery) -> Result<(), ValidationError> {
    if let (Some(from), Some(to)) = (q.starts_from, q.starts_to) {
        if from > to {
            return Err(ValidationError::new("starts_range")
                .with_message("Дата начала «с» позже даты «по»".into()));
        }
    }
    if let (Some(min), Some(max)) = (q.hours_min, q.hours_max) {
        if min > max {
            return Err(ValidationError::new("hours_range")
                .with_message("Часов «от» больше, чем «до»".into()));
        }
    }
    Ok(())
}

/// Search the training catalogue
#[utoipa::path(
    tag = "training",
    operation_id = "list_training_courses",
    description = "Open courses of vocational training, filtered by start date range, duration in academic hours, \
format (очно / онлайн / смешанный), cost (free, or up to N rubles), theme, level and region; sorted by start date \
(default), cost, duration or newest; paged. Public: the catalogue is open to everyone.",
    params(CourseQuery),
    responses(
        (status = 200, description = "A page of courses", body = PageView<CourseView>),
    ),
    security(()),
)]
#[get("/training-courses")]
pub async fn list(
    state: web::Data<AppState>,
    query: ValidQuery<CourseQuery>,
) -> Result<web::Json<PageView<CourseView>>, ApiError> {
    let q = query.0;
    let filter = CourseFilter {
        starts_from: q.starts_from,
        starts_to: q.starts_to,
        hours_min: q.hours_min,
        hours_max: q.hours_max,
        format: q.format,
        theme: q.theme,
        level: q.level,
        region_code: q.region,
        free: q.free.unwrap_or(false),
        cost_max: q.cost_max.map(|r| Kopecks(r.saturating_mul(100))),
    };
    let sort = q.sort.unwrap_or_default();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let found = state
        .read(move |conn| training::list(conn, &filter, sort, page))
        .await?;
    Ok(web::Json(PageView::from_page(found, CourseView::new)))
}

/// A course
#[utoipa::path(
    tag = "training",
    operation_id = "get_training_course",
    description = "One course of the catalogue with its places left and its `ETag` (for staff edits). A withdrawn \
course is shown only to staff of its centre (404 to others).",
    params(("id" = String, Path, description = "The course's id")),
    responses(
        (status = 200, description = "The course", body = CourseView, headers(("ETag" = String))),
    ),
    security((), ("bearer" = [])),
)]
#[get("/training-courses/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: MaybeBearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let course = match bearer.0 {
        Some(bearer) => {
            state
                .as_actor(&bearer, move |conn, actor| {
                    training::get(conn, Some(actor), &id)
                })
                .await?
        }
        None => {
            state
                .read(move |conn| training::get(conn, None, &id))
                .await?
        }
    };
    Ok(with_etag(actix_web::http::StatusCode::OK, course))
}

/// The course as JSON with its `ETag`.
pub fn with_etag(status: actix_web::http::StatusCode, course: Course) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(course.version)))
        .json(CourseView::new(course))
}
