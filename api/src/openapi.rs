//! The OpenAPI 3.1 document: its frame (info, tags, security scheme, the shared
//! components) and the paths the handlers' `#[utoipa::path]`s give as `routes`
//! registers them.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, AppExt};

use crate::docs::*;
use crate::problem::{FieldError, Problem, Reason};
use crate::routes;

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

/// The whole document, as `portal openapi` prints it and the server serves it: the
/// frame, then the routes (without state, so what is printed is exactly what is
/// served).
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::health)
        .service(scope("/api/v1").configure(routes::v1))
        .split_for_parts();
    api
}

/// The document as YAML, exactly as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    document().to_yaml().map_err(|e| e.to_string())
}
