//! The OpenAPI 3.1 document: its frame (info, tags, security scheme, the shared
//! components), the paths the handlers' `#[utoipa::path]`s give as `routes` registers
//! them, and the standard error responses added to each operation by rule
//! ([`StandardResponses`]).

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi, ToResponse};
use utoipa_actix_web::{scope, AppExt};

use crate::conditional::Keeping;
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
        components.add_security_scheme(
            "ticket",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Query(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "ticket",
                    "A single-use stream ticket from `POST /api/v1/events/ticket`, valid 60 s: opens `GET /api/v1/events` where `Authorization` cannot be sent (a browser's `EventSource`).",
                ),
            )),
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
        (name = "documents", description = "The citizen's documents and their review"),
        (name = "benefits", description = "The unemployment benefit and payments"),
        (name = "job_search", description = "Job-search applications on «Работа в России» (seed 004)"),
        (name = "calendar", description = "Centres' calendars: slots, appointments and personal visits"),
        (name = "training", description = "The vocational-training catalogue and enrolments"),
        (name = "webhooks", description = "Events of an organisation delivered to its integrators' URLs, signed (Standard Webhooks); subscriptions under `/employer/webhooks`, deliveries under `webhooks`"),
    ),
    components(
        schemas(Problem, FieldError, Reason, AppealStatusCode, AppealTypeCode, GoalCode, CaseStatusCode, ServiceCode,
            EmploymentTypeCode, ScheduleCode, ExperienceCode, EducationLevelCode, BenefitCode, PublishedWithinCode,
            VacancySortCode, SalaryBandCode, DraftKindCode, NotificationCategoryCode, NotificationChannelCode, ReportKindCode,
            crate::routes::reports::VacanciesReport, crate::routes::reports::LayoffsReport, crate::routes::reports::StaffingReport,
            crate::routes::reports::QuotaReport, crate::routes::reports::ForeignWorkersReport, crate::routes::reports::TimeSheetReport,
            crate::routes::reports::InformalEmploymentReport, crate::routes::notifications::ReadFilter, ApplicationStatusCode, AttentionCode,
            InterviewStatusCode, ResponseStatusCode, OutcomeCode, FinishCode, AuditKindCode, WebhookEventCode,
            crate::webhooks::spec::ResponseCreatedEvent, crate::webhooks::spec::ReportAcceptedEvent, crate::webhooks::spec::AppealStatusChangedEvent),
        responses(NotModified, BadRequest, ValidationFailed, Unauthorized, BadCredentials, RefreshRefused, Forbidden, NotFound, Conflict, LimitReached, IdempotentConflict, IdempotentValidationFailed, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, TooManyRequests, ServiceUnavailable),
    ),
)]
pub struct ApiDoc;

/// The whole document, as `portal openapi` prints it and the server serves it: the
/// frame, then the routes (without state, so what is printed is exactly what is
/// served), then the standard responses.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::health)
        .service(scope("/api/v1").configure(routes::v1))
        .split_for_parts();
    StandardResponses.modify(&mut api);
    crate::webhooks::spec::add(&mut api);
    api
}

/// The document as YAML, exactly as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    document().to_yaml().map_err(|e| e.to_string())
}

/// Adds to every operation the error responses its shape makes possible, so that a
/// handler's `responses(...)` lists only what is its own (a 409, a 412 of its own,
/// a 429). Each rule follows from what answers that status for every handler alike:
///
/// - a bearer token (`security(("bearer" = []))`): 401 from the [`crate::auth::Bearer`]
///   extractor and the session check, 403 from the role check or a blocked account;
/// - a request body: 400, 413, 415 and 422 from [`crate::extract::ValidJson`];
/// - query parameters: 422 from [`crate::extract::ValidQuery`];
/// - path parameters: 404 (API.md: a resource that does not exist or is someone
///   else's);
/// - an `If-Match` header: 412 from [`crate::extract::IfMatch`];
/// - always: 503 when the database does not answer.
///
/// A response the operation declares itself is kept (issue 18 gives operations their
/// own examples and codes that way); statuses listed in its [`NOT_ANSWERED`]
/// extension are not added.
pub struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if let Some(get) = item.get.as_mut() {
                with_conditional_answers(path, get);
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                add_standard_responses(operation);
            }
        }
    }
}

fn add_standard_responses(operation: &mut Operation) {
    let not_answered = take_not_answered(operation);
    let idempotent = operation.parameters.iter().flatten().any(|p| {
        p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("Idempotency-Key")
    });
    if idempotent {
        with_idempotency_answers(operation);
    }
    let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
    let signed_in = operation
        .security
        .as_ref()
        .is_some_and(|requirements| requirements.contains(&bearer));
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| parameters.iter().any(|p| p.parameter_in == place);
    let if_match = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("If-Match"));
    let mut standard = Vec::new();
    if signed_in {
        standard.extend([(401, name::<Unauthorized>()), (403, name::<Forbidden>())]);
    }
    if operation.request_body.is_some() {
        standard.extend([
            (400, name::<BadRequest>()),
            (413, name::<PayloadTooLarge>()),
            (415, name::<UnsupportedMediaType>()),
            (422, name::<ValidationFailed>()),
        ]);
    }
    if has(ParameterIn::Query) {
        standard.push((422, name::<ValidationFailed>()));
    }
    if has(ParameterIn::Path) {
        standard.push((404, name::<NotFound>()));
    }
    if if_match {
        standard.push((412, name::<PreconditionFailed>()));
    }
    standard.push((503, name::<ServiceUnavailable>()));
    for (status, component) in standard {
        if !not_answered.contains(&status) {
            operation
                .responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(component)));
        }
    }
}

/// A GET whose success is JSON without a version `ETag` of its own answers the body's
/// `ETag`, a `Cache-Control` and, to a matching `If-None-Match`, 304
/// ([`crate::conditional`]); the document says so on each.
fn with_conditional_answers(path: &str, operation: &mut Operation) {
    let Some(route) = path.strip_prefix("/api/v1") else {
        return;
    };
    let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
    let requirements = operation.security.as_deref().unwrap_or_default();
    let signed_in = requirements.contains(&bearer);
    let anonymous = requirements
        .iter()
        .any(|r| *r == SecurityRequirement::default());
    let Some(keeping) = crate::conditional::keeping(route, signed_in && !anonymous) else {
        return;
    };
    let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") else {
        return;
    };
    if !ok.content.contains_key("application/json") || ok.headers.contains_key("ETag") {
        return;
    }
    let cache_control = match keeping {
        Keeping::Public(_) => format!(
            "`{}`: the same for every caller; browsers and proxies may keep it that long.",
            keeping.header()
        ),
        Keeping::Private => "`private, no-cache`: the caller's own data; the client may keep it \
            but revalidates it (`If-None-Match`) before each use."
            .to_owned(),
        Keeping::Revalidated => {
            "`no-cache` (`private, no-cache` when the request carries a bearer token): \
            kept copies are revalidated (`If-None-Match`) before each use."
                .to_owned()
        }
    };
    ok.headers.insert("ETag".into(), etag_header());
    ok.headers
        .insert("Cache-Control".into(), cache_control_header(&cache_control));
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(if_none_match());
    operation.responses.responses.insert(
        "304".into(),
        RefOr::Ref(Ref::from_response_name(name::<NotModified>())),
    );
}

/// An operation taking `Idempotency-Key` also answers 409 `idempotency_in_progress`
/// and 422 `idempotency_key_invalid` / `idempotency_key_reused`: the shared 409 and
/// 422 become the ones that say so, and an answer of the operation's own gets the
/// codes added to its description.
fn with_idempotency_answers(operation: &mut Operation) {
    let answers = [
        ("409", name::<Conflict>(), name::<IdempotentConflict>(), "; or a request with the same `Idempotency-Key` is still running (`idempotency_in_progress`)"),
        ("422", name::<ValidationFailed>(), name::<IdempotentValidationFailed>(), "; or the `Idempotency-Key` is malformed (`idempotency_key_invalid`) or came with another request (`idempotency_key_reused`)"),
    ];
    let responses = &mut operation.responses.responses;
    for (status, shared, idempotent, addition) in answers {
        match responses.get_mut(status) {
            Some(RefOr::T(own)) => own.description.push_str(addition),
            Some(RefOr::Ref(r))
                if r.ref_location != Ref::from_response_name(shared).ref_location => {}
            _ => {
                responses.insert(
                    status.into(),
                    RefOr::Ref(Ref::from_response_name(idempotent)),
                );
            }
        }
    }
}

/// The statuses the operation's [`NOT_ANSWERED`] extension lists, removing it: it
/// instructs this assembly and means nothing to a client.
fn take_not_answered(operation: &mut Operation) -> Vec<u64> {
    let Some(extensions) = operation.extensions.as_mut() else {
        return Vec::new();
    };
    let listed = extensions.remove(NOT_ANSWERED);
    if extensions.is_empty() {
        operation.extensions = None;
    }
    listed
        .as_ref()
        .and_then(serde_json::Value::as_array)
        .map(|statuses| {
            statuses
                .iter()
                .filter_map(serde_json::Value::as_u64)
                .collect()
        })
        .unwrap_or_default()
}

/// The name a shared response is registered under in `components.responses`.
fn name<R: ToResponse<'static>>() -> &'static str {
    R::response().0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_to_the_assembly_do_not_reach_clients() {
        let text = serde_json::to_string(&document()).unwrap_or_default();
        assert!(text.contains("\"paths\""));
        assert!(!text.contains(NOT_ANSWERED));
    }

    #[test]
    fn a_response_an_operation_declares_is_kept() {
        let special = RefOr::Ref(Ref::from_response_name("Special"));
        let mut operation = utoipa::openapi::path::OperationBuilder::new().build();
        operation
            .responses
            .responses
            .insert("503".into(), special.clone());
        add_standard_responses(&mut operation);
        assert!(operation.responses.responses.get("503") == Some(&special));
        assert_eq!(operation.responses.responses.len(), 1);
    }
}
