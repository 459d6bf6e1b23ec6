//! The audit journal as people read it (SPEC §7): each person's own «Журнал
//! действий» and a centre's journal for its supervisors.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::{sentence, short_name, AuditKind};
use domain::role::Role;
use persistence::audit::{self, AuditFilter, Event};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::ValidQuery;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::AppState;
use crate::views::{utc, Labelled, PageQuery, PageView};

/// The period, kind and page of a journal.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "ordered_period", skip_on_field_errors = true))]
pub struct AuditQuery {
    /// Entries from this day on (UTC), e.g. `2026-12-01`.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    #[param(value_type = Option<String>, format = Date, example = "2026-12-01")]
    pub from: Option<NaiveDate>,
    /// Entries up to and including this day (UTC), not before `from`.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    pub to: Option<NaiveDate>,
    /// Only entries of this kind: `read`, `change` or `sign_in`.
    #[param(value_type = Option<crate::docs::AuditKindCode>)]
    pub kind: Option<AuditKind>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

fn ordered_period(q: &AuditQuery) -> Result<(), ValidationError> {
    match (q.from, q.to) {
        (Some(from), Some(to)) if from > to => {
            Err(ValidationError::new("period")
                .with_message("Начало периода позже его конца".into()))
        }
        _ => Ok(()),
    }
}

impl AuditQuery {
    fn split(self) -> (AuditFilter, persistence::paging::PageRequest) {
        let filter = AuditFilter {
            from: self.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
            to: self
                .to
                .and_then(|d| d.and_hms_micro_opt(23, 59, 59, 999_999)),
            kind: self.kind,
        };
        let page = PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
        .request();
        (filter, page)
    }
}

/// Who did it, as recorded at the time.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActorView {
    /// `citizen`, `employer` or `staff`.
    #[schema(example = "staff", value_type = crate::codes::RoleCode)]
    pub role: String,
    /// Surname and initials.
    #[schema(example = "Смирнова О. В.")]
    pub name: String,
    /// Their centre's or organisation's name.
    #[schema(example = "ЦЗН г. Москвы", required)]
    pub unit: Option<String>,
}

/// One entry of a person's journal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0f8b2c1e-0000-4000-8000-000000000001",
    "occurred_at": "2026-12-03T09:15:00Z",
    "kind": {"code": "read", "title": "Просмотр"},
    "action": {"code": "cases_read", "title": "Просмотр личного дела"},
    "text": "Просмотр личного дела: сотрудник ЦЗН Смирнова О. В. (ЦЗН г. Москвы)",
    "actor": {"role": "staff", "name": "Смирнова О. В.", "unit": "ЦЗН г. Москвы"},
    "by_self": false,
    "record_type": "personal_cases",
    "record_id": "5d1c7a8e-0000-4000-8000-000000000002",
    "client_addr": null
}))]
pub struct AuditEntryView {
    #[schema(format = Uuid)]
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    /// `read`, `change` or `sign_in`.
    pub kind: Labelled<crate::codes::AuditKindCode>,
    /// What was done, e.g. `cases_read`.
    pub action: Labelled<crate::codes::AuditActionCode>,
    /// The line the person reads.
    #[schema(example = "Просмотр личного дела: сотрудник ЦЗН Смирнова О. В. (ЦЗН г. Москвы)")]
    pub text: String,
    /// Who did it; absent when nobody was signed in (a failed sign-in).
    #[schema(required)]
    pub actor: Option<AuditActorView>,
    /// Whether the person did it themselves.
    pub by_self: bool,
    /// The kind of record: `citizen`, `personal_case(s)`, `document`, `resume`, `account`.
    pub record_type: String,
    #[schema(format = Uuid)]
    pub record_id: String,
    /// Where a sign-in or an attempt came from; shown only on sign-in entries.
    #[schema(required)]
    pub client_addr: Option<String>,
}

impl AuditEntryView {
    fn new(e: Event, reader: &str) -> AuditEntryView {
        let by_self = e.actor_id.as_deref() == Some(reader);
        let client_addr = (e.kind == AuditKind::SignIn)
            .then_some(e.client_addr)
            .flatten();
        AuditEntryView {
            text: sentence(e.action, e.actor.as_ref(), by_self),
            actor: e.actor.map(actor_view),
            id: e.id,
            occurred_at: utc(e.occurred_at),
            kind: Labelled::of(e.kind),
            action: Labelled::of(e.action),
            by_self,
            record_type: e.record_type,
            record_id: e.record_id,
            client_addr,
        }
    }
}

fn actor_view(a: domain::audit::AuditActor) -> AuditActorView {
    AuditActorView {
        role: a.role.to_string(),
        name: short_name(&a.name),
        unit: a.unit,
    }
}

/// One entry of a centre's journal: everything recorded.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0f8b2c1e-0000-4000-8000-000000000001",
    "occurred_at": "2026-12-03T09:15:00Z",
    "kind": {"code": "read", "title": "Просмотр"},
    "action": {"code": "cases_read", "title": "Просмотр личного дела"},
    "actor_id": "01935f3e-0000-7000-8000-000000000005",
    "actor": {"role": "staff", "name": "Смирнова О. В.", "unit": "ЦЗН г. Москвы"},
    "subject_id": "01935f3e-0000-7000-8000-000000000002",
    "record_type": "personal_cases",
    "record_id": "5d1c7a8e-0000-4000-8000-000000000002",
    "request_id": "6b0e8c1f-3a52-4d7e-9b1c-2f4e5a6d7c8b",
    "client_addr": "10.12.4.17"
}))]
pub struct CentreAuditEntryView {
    #[schema(format = Uuid)]
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    pub kind: Labelled<crate::codes::AuditKindCode>,
    pub action: Labelled<crate::codes::AuditActionCode>,
    /// The acting account; absent when nobody was signed in.
    #[schema(required, format = Uuid)]
    pub actor_id: Option<String>,
    #[schema(required)]
    pub actor: Option<AuditActorView>,
    /// Whose data it was.
    #[schema(required, format = Uuid)]
    pub subject_id: Option<String>,
    pub record_type: String,
    #[schema(format = Uuid)]
    pub record_id: String,
    /// The request's `X-Request-Id`: its log lines carry the same id. A UUID the server
    /// made, or the client's own id when it sent one (1–128 visible ASCII characters).
    #[schema(required, max_length = 128, pattern = "^[!-~]+$")]
    pub request_id: Option<String>,
    #[schema(required)]
    pub client_addr: Option<String>,
}

impl From<Event> for CentreAuditEntryView {
    fn from(e: Event) -> Self {
        CentreAuditEntryView {
            id: e.id,
            occurred_at: utc(e.occurred_at),
            kind: Labelled::of(e.kind),
            action: Labelled::of(e.action),
            actor_id: e.actor_id,
            actor: e.actor.map(actor_view),
            subject_id: e.subject_id,
            record_type: e.record_type,
            record_id: e.record_id,
            request_id: e.request_id,
            client_addr: e.client_addr,
        }
    }
}

/// My journal («Журнал действий»)
///
/// Everything recorded about the signed-in person's data, newest first: who read their
/// card, personal cases, documents or resume (staff of a centre, employers), every
/// change to their account, cases and documents, and every sign-in and failed
/// attempt, whether by others or by themselves. Each entry comes with the Russian line
/// the cabinet shows, e.g. «Просмотр личного дела: сотрудник ЦЗН Смирнова О. В. (ЦЗН
/// г. Москвы)». Filtered by period (`from`, `to`, days in UTC) and `kind`; a period
/// that ends before it starts, or a day outside 1900–2100, is refused (422).
#[utoipa::path(
    operation_id = "my_audit_journal",
    tag = "me",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of the journal, newest first", body = PageView<AuditEntryView>),
        (status = 422, description = "A day outside 1900–2100, a period that ends before it starts, or an unknown `kind`",
            body = crate::problem::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/validation-failed", "title": "Запрос содержит ошибки", "status": 422,
                "detail": "Исправьте отмеченные поля", "code": "validation_failed",
                "errors": [{"field": "from", "code": "date_range", "message": "Дата — с 1900 по 2100 год"}]})),
    ),
    security(("bearer" = [])),
)]
#[get("/me/audit")]
pub async fn mine(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<AuditQuery>,
) -> Result<web::Json<PageView<AuditEntryView>>, ApiError> {
    let (filter, page) = query.0.split();
    let reader = bearer.user_id.clone();
    let found = state
        .read_as_actor(&bearer, move |conn, actor| {
            audit::of_person(conn, actor, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, |e| {
        AuditEntryView::new(e, &reader)
    })))
}

/// The centre's journal
///
/// For a centre's supervisors (a flag on their staff account, set with `portal user
/// supervisor --login …`): every entry whose actor
/// worked at the supervisor's centre or whose subject is served there, newest first,
/// with the request id and client address. Same filters as `GET /me/audit`. Staff
/// without the flag are refused (403, code `not_supervisor`).
#[utoipa::path(
    operation_id = "centre_audit_journal",
    tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of the centre's journal, newest first", body = PageView<CentreAuditEntryView>),
        (status = 422, description = "A day outside 1900–2100, a period that ends before it starts, or an unknown `kind`",
            body = crate::problem::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/validation-failed", "title": "Запрос содержит ошибки", "status": 422,
                "detail": "Исправьте отмеченные поля", "code": "validation_failed",
                "errors": [{"field": "from", "code": "date_range", "message": "Дата — с 1900 по 2100 год"}]})),
        (status = 403, description = "Not a staff account, or staff without the supervisor flag (`not_supervisor`)",
            body = crate::problem::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/not-supervisor", "title": "Доступ запрещён", "status": 403,
                "detail": "Only a centre's supervisors read its audit journal", "code": "not_supervisor"})),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotSupervisor]))),
    security(("bearer" = [])),
)]
#[get("/staff/audit")]
pub async fn centre(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<AuditQuery>,
) -> Result<web::Json<PageView<CentreAuditEntryView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let (filter, page) = query.0.split();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            audit::of_centre(conn, actor, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(
        found,
        CentreAuditEntryView::from,
    )))
}
