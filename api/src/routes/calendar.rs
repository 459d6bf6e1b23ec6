//! The centre's calendar (SPEC §7): staff publish slots from opening hours; anyone
//! sees a centre's free slots; citizens («Запись на приём», «Просмотр взаимодействий
//! и назначенных посещений») and employers («Запись на приём к руководителю») book
//! and cancel.

use actix_web::{delete, get, http::header, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use domain::calendar::OpeningHours;
use domain::role::Role;
use persistence::slots::{self, Appointment, Slot, SlotError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::views::{utc, Labelled};

/// A booking as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-5555-7000-8000-000000000006",
    "slot_id": "01935f3e-6666-7000-8000-000000000007",
    "purpose": {"code": "job_search_visit", "title": "Личная явка по заявлению на поиск работы"},
    "application_id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "centre": {"id": "01935f3e-0000-7000-8000-000000000001", "name": "ГКУ ЦЗН «Центральный»", "address": "г. Москва, ул. Ленина, д. 1"},
    "starts_at": "2026-12-03T09:00:00Z",
    "ends_at": "2026-12-03T09:30:00Z",
    "created_at": "2026-12-01T09:00:00Z",
    "cancelled_at": null
}))]
pub struct AppointmentView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub slot_id: String,
    /// `job_search_visit`, `consultation` or `manager_meeting`.
    pub purpose: Labelled<crate::codes::PurposeCode>,
    /// The job-search application a visit belongs to.
    #[schema(required, format = Uuid)]
    pub application_id: Option<String>,
    pub centre: CentrePlace,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Set once the booking is cancelled; the slot is then free again.
    #[schema(required)]
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// Where a visit takes place.
#[derive(Debug, Serialize, ToSchema)]
pub struct CentrePlace {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub address: String,
}

impl From<Appointment> for AppointmentView {
    fn from(a: Appointment) -> Self {
        AppointmentView {
            id: a.id,
            slot_id: a.slot_id,
            purpose: Labelled::of(a.purpose),
            application_id: a.application_id,
            centre: CentrePlace {
                id: a.centre_id,
                name: a.centre_name,
                address: a.centre_address,
            },
            starts_at: utc(a.starts_at),
            ends_at: utc(a.ends_at),
            created_at: utc(a.created_at),
            cancelled_at: a.cancelled_at.map(utc),
        }
    }
}

/// A free slot.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "01935f3e-6666-7000-8000-000000000007",
    "starts_at": "2026-12-03T09:00:00Z", "ends_at": "2026-12-03T09:30:00Z"}))]
pub struct SlotView {
    #[schema(format = Uuid)]
    pub id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl From<Slot> for SlotView {
    fn from(s: Slot) -> Self {
        SlotView {
            id: s.id,
            starts_at: utc(s.starts_at),
            ends_at: utc(s.ends_at),
        }
    }
}

/// Opening hours to cut into slots for a period.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "date_from": "2026-12-01", "date_to": "2026-12-31", "weekdays": [1, 2, 3, 4, 5],
    "opens": "09:00:00", "closes": "17:00:00", "break_from": "13:00:00", "break_to": "14:00:00",
    "slot_minutes": 30
}))]
pub struct PublishSlotsBody {
    /// First day (UTC), today or later.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_from: NaiveDate,
    /// Last day, inclusive; at most 92 days from the first.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_to: NaiveDate,
    /// Receiving days, ISO numbers: 1 = Monday … 7 = Sunday.
    #[validate(length(min = 1, max = 7))]
    pub weekdays: Vec<u8>,
    /// `HH:MM:SS`, UTC.
    #[schema(value_type = String, example = "09:00:00")]
    pub opens: NaiveTime,
    #[schema(value_type = String, example = "17:00:00")]
    pub closes: NaiveTime,
    #[schema(value_type = Option<String>, example = "13:00:00")]
    pub break_from: Option<NaiveTime>,
    #[schema(value_type = Option<String>, example = "14:00:00")]
    pub break_to: Option<NaiveTime>,
    /// One visit's length, 5 to 240 minutes.
    pub slot_minutes: u32,
}

/// How many slots a publication added.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"created": 120}))]
pub struct Published {
    /// Slots that already existed (same start) are kept and not counted.
    pub created: usize,
}

fn weekday(n: u8) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// Publish slots
///
/// Staff publish their centre's calendar in bulk: every receiving day of the period
/// is cut into `slot_minutes` visits from opening to closing, around the break. Slots
/// already published (same start) are kept. These are the slots citizens and
/// employers book and the personal visit of an accepted job-search application takes.
#[utoipa::path(
    operation_id = "publish_slots",
    tag = "calendar",
    request_body = PublishSlotsBody,
    responses(
        (status = 201, description = "Published", body = Published),
    ),
    security(("bearer" = [])),
)]
#[post("/staff/slots")]
pub async fn publish(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<PublishSlotsBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let b = body.0;
    let mut weekdays = Vec::new();
    for (i, n) in b.weekdays.iter().enumerate() {
        weekdays.push(weekday(*n).ok_or_else(|| {
            ApiError::field(
                &format!("weekdays[{i}]"),
                "range",
                "День недели — от 1 (понедельник) до 7 (воскресенье)",
            )
        })?);
    }
    let hours = OpeningHours {
        weekdays,
        opens: b.opens,
        closes: b.closes,
        break_from: b.break_from,
        break_to: b.break_to,
        slot_minutes: b.slot_minutes,
    };
    let spans = hours
        .slots(b.date_from, b.date_to, now().date())
        .map_err(|e| ApiError::field(e.field(), "invalid", e.message()))?;
    let created = state
        .as_actor(&bearer, move |conn, actor| {
            slots::publish(conn, actor, &spans, now())
        })
        .await?;
    Ok(HttpResponse::Created().json(Published { created }))
}

/// The days to list free slots of.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotQuery {
    /// First day (UTC); today by default.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_from: Option<NaiveDate>,
    /// Last day, inclusive; 30 days on by default, at most 92 days after the first.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_to: Option<NaiveDate>,
}

/// A centre's free slots
///
/// Slots of the centre's calendar not booked and not yet started, earliest first (at
/// most 500).
#[utoipa::path(
    operation_id = "list_free_slots",
    tag = "calendar",
    params(("id" = String, Path, description = "The centre's id"), SlotQuery),
    responses(
        (status = 200, description = "Free slots", body = Vec<SlotView>),
    ),
    security(()),
)]
#[get("/centres/{id}/slots")]
pub async fn free(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: ValidQuery<SlotQuery>,
) -> Result<web::Json<Vec<SlotView>>, ApiError> {
    let at = now();
    let from = query.0.date_from.unwrap_or(at.date());
    let to = query.0.date_to.unwrap_or(from + TimeDelta::days(30));
    if to < from || (to - from).num_days() > domain::calendar::MAX_PERIOD_DAYS {
        return Err(ApiError::field(
            "date_to",
            "range",
            "Период — не более 92 дней, окончание не раньше начала",
        ));
    }
    let id = id.into_inner();
    let found = state
        .run(move |conn| slots::free(conn, &id, from, to, at, 500))
        .await?;
    Ok(web::Json(found.into_iter().map(SlotView::from).collect()))
}

/// A booking request.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"slot_id": "01935f3e-6666-7000-8000-000000000007"}))]
pub struct BookBody {
    /// A free slot of any centre (`GET /centres/{id}/slots`).
    #[validate(length(min = 1, max = 64))]
    pub slot_id: String,
}

async fn book_as(
    state: &AppState,
    bearer: &Bearer,
    body: BookBody,
    base: &str,
) -> Result<HttpResponse, ApiError> {
    let slot_id = body.slot_id;
    let booked = state
        .as_actor(bearer, move |conn, actor| {
            slots::book(conn, actor, &slot_id, now()).map_err(|e| match e {
                // The slot named in the body does not exist: a field of the request.
                SlotError::NotFound => {
                    ApiError::field("slot_id", "unknown", "Время приёма не найдено")
                }
                other => other.into(),
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1{base}/{}", booked.id)))
        .json(AppointmentView::from(booked)))
}

async fn list_as(
    state: &AppState,
    bearer: &Bearer,
) -> Result<web::Json<Vec<AppointmentView>>, ApiError> {
    let found = state.as_actor(bearer, slots::of_user).await?;
    Ok(web::Json(
        found.into_iter().map(AppointmentView::from).collect(),
    ))
}

async fn cancel_as(
    state: &AppState,
    bearer: &Bearer,
    id: String,
) -> Result<web::Json<AppointmentView>, ApiError> {
    let cancelled = state
        .as_actor(bearer, move |conn, actor| {
            slots::cancel(conn, actor, &id, now())
        })
        .await?;
    Ok(web::Json(cancelled.into()))
}

/// The citizen's appointments
///
/// «Просмотр взаимодействий и назначенных посещений»: every booking, soonest first,
/// the personal visits of job-search applications among them; cancelled ones stay
/// listed with `cancelled_at`.
#[utoipa::path(
    operation_id = "list_my_appointments",
    tag = "calendar",
    responses(
        (status = 200, description = "The bookings", body = Vec<AppointmentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/appointments")]
pub async fn citizen_list(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<AppointmentView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    list_as(&state, &bearer).await
}

/// Book an appointment
///
/// «Запись на приём в службу занятости»: books a free slot. A slot is booked once:
/// whoever comes second gets 409 `slot_taken`, however close together the requests
/// are (the database refuses a second live booking); a slot already started, 409
/// `slot_started`.
#[utoipa::path(
    operation_id = "book_appointment",
    tag = "calendar",
    request_body = BookBody,
    responses(
        (status = 201, description = "Booked", body = AppointmentView,
            headers(("Location" = String, description = "`/api/v1/citizen/appointments/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::SlotTaken, ProblemCode::SlotStarted]))),
    security(("bearer" = [])),
)]
#[post("/citizen/appointments")]
pub async fn citizen_book(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<BookBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    book_as(&state, &bearer, body.0, "/citizen/appointments").await
}

/// One of the citizen's appointments
///
/// Another account's booking answers 404.
#[utoipa::path(
    operation_id = "get_my_appointment",
    tag = "calendar",
    params(("id" = String, Path, description = "The booking's id")),
    responses(
        (status = 200, description = "The booking", body = AppointmentView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/appointments/{id}")]
pub async fn citizen_get(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<AppointmentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| slots::get_own(conn, actor, &id))
        .await?;
    Ok(web::Json(found.into()))
}

/// Cancel an appointment
///
/// Cancels one of the citizen's bookings before its slot starts (409 `slot_started`
/// after); the slot is free again. The booking stays listed with `cancelled_at`.
/// Another account's booking answers 404.
#[utoipa::path(
    operation_id = "cancel_my_appointment",
    tag = "calendar",
    params(("id" = String, Path, description = "The booking's id")),
    responses(
        (status = 200, description = "Cancelled", body = AppointmentView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::AlreadyCancelled, ProblemCode::SlotStarted]))),
    security(("bearer" = [])),
)]
#[delete("/citizen/appointments/{id}")]
pub async fn citizen_cancel(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<AppointmentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    cancel_as(&state, &bearer, id.into_inner()).await
}

/// The employer account's appointments
///
/// Bookings of «Запись на приём к руководителю» made by this account, soonest first.
#[utoipa::path(
    operation_id = "list_employer_appointments",
    tag = "calendar",
    responses(
        (status = 200, description = "The bookings", body = Vec<AppointmentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/appointments")]
pub async fn employer_list(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<AppointmentView>>, ApiError> {
    bearer.require(Role::Employer)?;
    list_as(&state, &bearer).await
}

/// Book a meeting with the centre's manager
///
/// «Запись на приём к руководителю»: books a free slot as `citizen_book` does, for an
/// employer account.
#[utoipa::path(
    operation_id = "book_employer_appointment",
    tag = "calendar",
    request_body = BookBody,
    responses(
        (status = 201, description = "Booked", body = AppointmentView,
            headers(("Location" = String, description = "`/api/v1/employer/appointments/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::SlotTaken, ProblemCode::SlotStarted]))),
    security(("bearer" = [])),
)]
#[post("/employer/appointments")]
pub async fn employer_book(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<BookBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    book_as(&state, &bearer, body.0, "/employer/appointments").await
}

/// Cancel an employer's appointment
///
/// As `cancel_my_appointment`, for the employer account's own bookings.
#[utoipa::path(
    operation_id = "cancel_employer_appointment",
    tag = "calendar",
    params(("id" = String, Path, description = "The booking's id")),
    responses(
        (status = 200, description = "Cancelled", body = AppointmentView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::AlreadyCancelled, ProblemCode::SlotStarted]))),
    security(("bearer" = [])),
)]
#[delete("/employer/appointments/{id}")]
pub async fn employer_cancel(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<AppointmentView>, ApiError> {
    bearer.require(Role::Employer)?;
    cancel_as(&state, &bearer, id.into_inner()).await
}
