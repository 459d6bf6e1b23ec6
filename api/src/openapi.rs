//! The OpenAPI 3.1 document: its frame (info, tags, security scheme, shared error
//! responses) lives here; the paths come from the handlers' `#[utoipa::path]`s as
//! `startup::routes` registers them.

use std::borrow::Cow;

use domain::Coded;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema, ToResponse, ToSchema};

use crate::problem::{FieldError, Problem, Reason};

/// Declares a schema-only type listing the codes of a domain enumeration, so request
/// fields typed with the domain enum are documented as a named string enum.
macro_rules! code_schema {
    ($($(#[$doc:meta])* $name:ident => $ty:ty;)+) => {$(
        $(#[$doc])*
        pub struct $name;
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(<$ty as Coded>::ALL.iter().map(|v| v.code())))
                    .into()
            }
        }
        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    )+};
}

code_schema! {
    /// An appeal status code (SPEC §2).
    AppealStatusCode => domain::appeal::AppealStatus;
    /// An appeal type code.
    AppealTypeCode => domain::appeal_type::AppealType;
    /// A personal case goal code.
    GoalCode => domain::personal_case::Goal;
    /// A personal case status code.
    CaseStatusCode => domain::personal_case::CaseStatus;
    /// A citizen service code (SPEC §1).
    ServiceCode => domain::eligibility::Service;
    /// An employment type (dictionary `employment_types`).
    EmploymentTypeCode => domain::vacancy::EmploymentType;
    /// A work schedule (dictionary `schedules`).
    ScheduleCode => domain::vacancy::Schedule;
    /// Required experience (dictionary `experience`).
    ExperienceCode => domain::vacancy::Experience;
    /// An education level (dictionary `education_levels`).
    EducationLevelCode => domain::vacancy::EducationLevel;
    /// A social guarantee (dictionary `benefits`).
    BenefitCode => domain::vacancy::Benefit;
    /// A publication period (dictionary `publication_periods`).
    PublishedWithinCode => domain::vacancy::PublishedWithin;
    /// A vacancy sort order (dictionary `vacancy_sorts`).
    VacancySortCode => domain::vacancy::VacancySort;
    /// A kind of draft (dictionary `draft_kinds`).
    DraftKindCode => domain::draft::DraftKind;
    /// A notification category (dictionary `notification_categories`).
    NotificationCategoryCode => domain::notification::Category;
    /// A notification channel (dictionary `notification_channels`).
    NotificationChannelCode => domain::notification::Channel;
    /// A kind of employer report (dictionary `report_kinds`).
    ReportKindCode => domain::report::ReportKind;
}

/// Declares a reusable problem+json response for the components section.
macro_rules! problem_response {
    ($($name:ident = $description:literal, $example:expr;)+) => {$(
        pub struct $name;
        impl<'s> ToResponse<'s> for $name {
            fn response() -> (&'s str, RefOr<Response>) {
                let content = ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                    .example(Some($example))
                    .build();
                let response = ResponseBuilder::new()
                    .description($description)
                    .content("application/problem+json", content)
                    .build();
                (stringify!($name), response.into())
            }
        }
    )+};
}

fn example(status: u16, code: &str, title: &str, detail: &str) -> serde_json::Value {
    serde_json::json!({
        "type": format!("/problems/{}", code.replace('_', "-")),
        "title": title, "status": status, "detail": detail, "code": code
    })
}

problem_response! {
    BadRequest = "The body is not valid JSON",
        example(400, "bad_request", "Некорректный запрос", "The body is not valid JSON: EOF while parsing an object");
    ValidationFailed = "The request is well-formed but some fields are invalid; each is listed in `errors`",
        serde_json::json!({
            "type": "/problems/validation-failed", "title": "Запрос содержит ошибки", "status": 422,
            "detail": "Исправьте отмеченные поля", "code": "validation_failed",
            "errors": [{"field": "per_page", "code": "range", "message": "На странице — от 1 до 100 записей"}]
        });
    Unauthorized = "The access token is missing, malformed, expired, or its session has ended",
        example(401, "unauthorized", "Требуется вход", "The access token is invalid or expired");
    Forbidden = "The account's role may not do this, or the account is blocked (`reason` says by whom)",
        example(403, "forbidden", "Доступ запрещён", "This endpoint is for staff accounts");
    NotFound = "No such resource, or it belongs to someone else",
        example(404, "not_found", "Не найдено", "The resource does not exist or is not yours");
    Conflict = "The request conflicts with the resource's current state",
        example(409, "conflict", "Конфликт", "A record with these values already exists");
    PreconditionFailed = "The `If-Match` version is no longer current: reload and retry",
        example(412, "precondition_failed", "Данные изменились", "The record changed since it was read (If-Match); reload it and try again");
    PayloadTooLarge = "The body is over 64 KiB",
        example(413, "payload_too_large", "Слишком большой запрос", "The request body is over the limit");
    UnsupportedMediaType = "The body is not sent as application/json",
        example(415, "unsupported_media_type", "Неподдерживаемый формат", "Send the body as application/json");
    TooManyRequests = "Too many sign-in attempts for the account or from the address; retry after `Retry-After` seconds",
        example(429, "too_many_requests", "Слишком много попыток", "Too many sign-in attempts; retry in 42 s");
    ServiceUnavailable = "The database is not answering; retry after the `Retry-After` seconds",
        example(503, "service_unavailable", "Сервис временно недоступен", "The database is not answering; try again shortly");
}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/login` (lifetime `expires_in` seconds); renew it with `POST /api/v1/auth/refresh`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Личный кабинет службы занятости — API",
        version = "1.0.0",
        description = "The JSON API behind the personal cabinets of citizens, employers and employment-centre staff.\n\n\
Conventions: everything under `/api/v1`; `snake_case` fields; RFC 3339 UTC timestamps; enumerations as stable codes with a Russian `title`; \
errors as RFC 9457 `application/problem+json`; lists paged with `page` and `per_page` (at most 100); every response carries `X-Request-Id`. \
A resource that belongs to someone else answers 404, never 403.",
        license(name = "MIT"),
    ),
    modifiers(&SecurityAddon),
    tags(
        (name = "auth", description = "Registration, sign-in and sessions"),
        (name = "me", description = "The signed-in account"),
        (name = "citizen", description = "The citizen's cabinet"),
        (name = "appeals", description = "Appeals (обращения) and their status machine, scoped to the viewer"),
        (name = "staff", description = "Employment-centre staff: citizens, personal cases, work lists"),
        (name = "vacancies", description = "The vacancy bank and saved searches"),
        (name = "resumes", description = "Resumes and the candidate bank"),
        (name = "employer", description = "The employer's cabinet"),
        (name = "drafts", description = "Drafts of unsent forms, kept three months"),
        (name = "notifications", description = "Notifications and subscriptions"),
        (name = "centres", description = "Employment centres"),
        (name = "dictionaries", description = "Reference data for forms and filters"),
        (name = "health", description = "Liveness and readiness probes"),
        (name = "job_search", description = "Job-search applications on «Работа в России» (seed 004)"),
        (name = "calendar", description = "Centres' calendars: slots, appointments and personal visits"),
    ),
    components(
        schemas(Problem, FieldError, Reason, AppealStatusCode, AppealTypeCode, GoalCode, CaseStatusCode, ServiceCode,
            EmploymentTypeCode, ScheduleCode, ExperienceCode, EducationLevelCode, BenefitCode, PublishedWithinCode,
            VacancySortCode, DraftKindCode, NotificationCategoryCode, NotificationChannelCode, ReportKindCode,
            crate::routes::reports::VacanciesReport, crate::routes::reports::LayoffsReport, crate::routes::reports::StaffingReport,
            crate::routes::reports::QuotaReport, crate::routes::reports::ForeignWorkersReport, crate::routes::reports::TimeSheetReport,
            crate::routes::reports::InformalEmploymentReport, crate::routes::notifications::ReadFilter),
        responses(BadRequest, ValidationFailed, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, TooManyRequests, ServiceUnavailable),
    ),
)]
pub struct ApiDoc;

/// The whole document, as `portal openapi` prints it and the server serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    crate::startup::api_routes_document()
}

/// The document as YAML, exactly as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    document().to_yaml().map_err(|e| e.to_string())
}
