//! The OpenAPI 3.1 document: its frame (info, tags, security scheme, the shared
//! components), the paths the handlers' `#[utoipa::path]`s give as `routes` registers
//! them, and the standard error responses added to each operation by rule
//! ([`StandardResponses`]).

use std::collections::BTreeMap;

use actix_web::App;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ArrayItems, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi, ToResponse};
use utoipa_actix_web::{scope, AppExt};

use crate::conditional::Keeping;
use crate::docs::*;
use crate::problem::{FieldError, Problem, ProblemCode, Reason};
use crate::routes;

#[cfg(test)]
mod completeness;
mod errors;

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
## Getting started\n\n\
1. Sign in: `POST /api/v1/auth/login` with a login and password (or through Госуслуги, `GET /api/v1/auth/esia/authorize`). \
A server started with demo data (`make run`) has the accounts `demo.citizen`, `demo.employer` (the administrator of a demo organisation), \
`demo.employer2` (an ordinary account of it) and `demo.staff` (a centre's staff member), all with the password `Demo-password-1`.\n\
2. Press **Authorize** and paste the `access_token` of the answer; every call then carries it as `Authorization: Bearer …`. \
It lives `expires_in` seconds: renew it with `POST /api/v1/auth/refresh` and the `refresh_token` (each refresh token works once).\n\
3. Try `GET /api/v1/me`: who you are, your role and what you may do.\n\n\
## Conventions\n\n\
- Everything under `/api/v1`; JSON in and out, `snake_case` fields, RFC 3339 UTC timestamps; ids are UUIDs.\n\
- Enumerations are stable codes; in answers, a `{code, title}` pair with the Russian title to show.\n\
- Lists are paged with `page` (from 1) and `per_page` (1–100, 10 by default) and answer `items`, `page`, `per_page`, `total` and `total_pages`; \
lists that apps poll also take `updated_since` (send the newest `updated_at` seen minus 15 seconds and drop repeats by `id`), and every cabinet GET answers an `ETag` (send it back in `If-None-Match` for a 304).\n\
- A creating POST that a client may retry takes an `Idempotency-Key`: the same key and body within 24 hours answer the first result.\n\
- Errors are RFC 9457 `application/problem+json` with a stable `code` (the `ProblemCode` schema lists every one); each operation lists \
the codes it answers per status (`x-problem-codes`); `validation_failed` (422) names every bad field at once in `errors`: its path (`goals[1]`, `payload.period`), a code (`required`, `type`, `format`, `enum`, `range`, `length`, …) and a message in Russian.\n\
- A resource that belongs to someone else answers 404, never 403. Every response carries `X-Request-Id`: quote it when you report a problem.\n\
- Live updates: `GET /api/v1/events` (Server-Sent Events); integrators may subscribe to webhooks (`/api/v1/employer/webhooks`).",
        contact(name = "The portal's API team"),
        license(name = "MIT"),
    ),
    servers((url = "/", description = "The server this document is served from")),
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
        (name = "job_search", description = "Job-search applications on «Работа в России»"),
        (name = "calendar", description = "Centres' calendars: slots, appointments and personal visits"),
        (name = "training", description = "The vocational-training catalogue and enrolments"),
        (name = "webhooks", description = "Events of an organisation delivered to its integrators' URLs, signed (Standard Webhooks); subscriptions under `/employer/webhooks`, deliveries under `webhooks`"),
    ),
    components(
        schemas(Problem, ProblemCode, FieldError, Reason, AppealStatusCode, AppealTypeCode, GoalCode, CaseStatusCode, ServiceCode,
            EmploymentTypeCode, ScheduleCode, ExperienceCode, EducationLevelCode, BenefitCode, PublishedWithinCode,
            VacancySortCode, SalaryBandCode, DraftKindCode, NotificationCategoryCode, NotificationChannelCode, ReportKindCode,
            crate::routes::reports::VacanciesReport, crate::routes::reports::LayoffsReport, crate::routes::reports::StaffingReport,
            crate::routes::reports::QuotaReport, crate::routes::reports::ForeignWorkersReport, crate::routes::reports::TimeSheetReport,
            crate::routes::reports::InformalEmploymentReport, crate::routes::notifications::ReadFilter, ApplicationStatusCode, AttentionCode,
            InterviewStatusCode, ResponseStatusCode, OutcomeCode, FinishCode, AuditKindCode, WebhookEventCode,
            crate::webhooks::spec::ResponseCreatedEvent, crate::webhooks::spec::ReportAcceptedEvent, crate::webhooks::spec::AppealStatusChangedEvent),
        responses(NotModified),
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

/// Adds the error responses ([`errors`]), the conditional answers of GETs and the
/// examples of bare lists to every operation.
pub struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let examples = schema_examples(openapi);
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
                errors::add_error_responses(operation);
                with_list_examples(operation, &examples);
            }
        }
    }
}

/// The example of each component schema that has one, by name.
fn schema_examples(openapi: &utoipa::openapi::OpenApi) -> BTreeMap<String, serde_json::Value> {
    let Some(components) = openapi.components.as_ref() else {
        return BTreeMap::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| {
            let schema = serde_json::to_value(schema).ok()?;
            let example = schema
                .get("example")
                .or_else(|| schema.get("examples").and_then(|e| e.get(0)))?;
            Some((name.clone(), example.clone()))
        })
        .collect()
}

/// A success answered as a bare JSON array of a component (`body = Vec<T>`) gets, unless
/// its handler wrote one, the example of a list of one: `T`'s own example.
fn with_list_examples(operation: &mut Operation, examples: &BTreeMap<String, serde_json::Value>) {
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if !status.starts_with('2') {
            continue;
        }
        for content in response.content.values_mut() {
            if content.example.is_some() || !content.examples.is_empty() {
                continue;
            }
            let Some(RefOr::T(Schema::Array(list))) = content.schema.as_ref() else {
                continue;
            };
            let ArrayItems::RefOrSchema(items) = &list.items else {
                continue;
            };
            let RefOr::Ref(item) = items.as_ref() else {
                continue;
            };
            let name = item.ref_location.rsplit('/').next().unwrap_or_default();
            if let Some(example) = examples.get(name) {
                content.example = Some(serde_json::json!([example]));
            }
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
        assert!(!text.contains(crate::docs::NOT_ANSWERED));
    }

    #[test]
    fn every_error_answer_lists_its_codes_with_an_example_each() {
        let document = serde_json::to_value(document()).unwrap();
        let (mut checked, mut missing) = (0, Vec::new());
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let Ok(status) = status.parse::<u16>() else {
                        continue;
                    };
                    if status < 400 {
                        continue;
                    }
                    let Some(codes) = response[errors::PROBLEM_CODES].as_array() else {
                        missing.push(format!("{method} {path} {status}"));
                        continue;
                    };
                    assert!(!codes.is_empty(), "{method} {path} {status}");
                    let examples = &response["content"]["application/problem+json"]["examples"];
                    for code in codes {
                        let code = code.as_str().unwrap();
                        assert_eq!(examples[code]["value"]["code"], code, "{method} {path}");
                        assert_eq!(examples[code]["value"]["status"], status, "{method} {path}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(missing.is_empty(), "answers naming no code: {missing:#?}");
        assert!(checked > 100, "{checked}");
    }
}
