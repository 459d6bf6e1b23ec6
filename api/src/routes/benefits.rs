//! The unemployment benefit application (seed 002 «Оформление пособия»): the citizen
//! applies citing their documents and naming where to pay, follows it, and resubmits
//! it after «требуется доработка»; staff of the centre decide, and an approval
//! schedules the payments.

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::appeal::AppealStatus;
use domain::benefit::status_title;
use domain::payment::Kopecks;
use domain::payout::{BankAccount, CardNumber, Payout};
use domain::role::Role;
use persistence::benefits::{self, Application, Decision, Submission};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ProblemCode;
use crate::problem::{ApiError, Problem};
use crate::state::{now, AppState};
use crate::views::{utc, Labelled, PageQuery, PageView};

/// Where the benefit is paid.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PayoutMethod {
    BankAccount,
    Card,
}

/// An application, first or corrected. Without `payout_method` the payout details
/// kept in the profile (`PUT /citizen/payout-details`) are used.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "payout_method": "card", "card_number": "2200 0000 0000 0004",
    "document_ids": ["01938f4e-0000-7000-8000-000000000001", "01938f4e-0000-7000-8000-000000000003"]
}))]
pub struct ApplicationBody {
    /// Where to pay; absent: the details kept in the profile (422 on `payout_method`
    /// when there are none). On resubmission, absent keeps the profile's details, or
    /// else the application's.
    pub payout_method: Option<PayoutMethod>,
    /// For `bank_account`: the bank's BIK (9 digits).
    pub bik: Option<String>,
    /// For `bank_account`: the 20-digit account, checked against the BIK's control key.
    pub account: Option<String>,
    /// For `card`: the card number, checked by Luhn.
    pub card_number: Option<String>,
    /// The citizen's own documents cited: a passport and an employment record at least.
    #[validate(length(min = 1, max = 20, message = "Укажите от 1 до 20 документов"))]
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub document_ids: Vec<String>,
}

/// Payout details as sent, checked: a bank account by the BIK's control key, a card
/// by Luhn; each refusal names its field.
pub fn parse_payout(
    method: PayoutMethod,
    bik: Option<&str>,
    account: Option<&str>,
    card_number: Option<&str>,
) -> Result<Payout, ApiError> {
    let field = |e: domain::payout::PayoutError| {
        let (f, m) = e.field_and_message();
        ApiError::field(f, "invalid", m)
    };
    let required = |f: &str| ApiError::field(f, "required", "Поле обязательно");
    Ok(match method {
        PayoutMethod::BankAccount => Payout::BankAccount(
            BankAccount::parse(
                bik.ok_or_else(|| required("bik"))?,
                account.ok_or_else(|| required("account"))?,
            )
            .map_err(field)?,
        ),
        PayoutMethod::Card => Payout::Card(
            CardNumber::parse(card_number.ok_or_else(|| required("card_number"))?)
                .map_err(field)?,
        ),
    })
}

impl ApplicationBody {
    fn submission(self) -> Result<Submission, ApiError> {
        let payout = self
            .payout_method
            .map(|m| {
                parse_payout(
                    m,
                    self.bik.as_deref(),
                    self.account.as_deref(),
                    self.card_number.as_deref(),
                )
            })
            .transpose()?;
        Ok(Submission {
            payout,
            document_ids: self.document_ids,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutView {
    pub method: PayoutMethod,
    #[schema(required)]
    pub bik: Option<String>,
    /// The citizen sees only its last four digits (`•••• 4726`), as on their payout
    /// details; centre staff, who arrange the payout, see all 20.
    #[schema(required)]
    pub account: Option<String>,
    /// Only its last four digits, for everyone.
    #[schema(required)]
    pub card: Option<String>,
}

/// Who reads an application: what of the payout they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Citizen,
    Staff,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    #[schema(required)]
    pub from: Option<Labelled<crate::codes::AppealStatusCode>>,
    pub to: Labelled<crate::codes::AppealStatusCode>,
    #[schema(required)]
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// A benefit application and its history. Named `BenefitApplicationView` in the
/// document, apart from the job-search `ApplicationView`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BenefitApplicationView, example = json!({
    "id": "01938f4e-2222-7000-8000-000000000041",
    "status": {"code": "in_progress", "title": "В работе"},
    "payout": {"method": "bank_account", "bik": "044525225", "account": "•••• 4312", "card": null},
    "document_ids": ["01938f4e-0000-7000-8000-000000000001", "01938f4e-0000-7000-8000-000000000003"],
    "history": [
        {"from": null, "to": {"code": "registered", "title": "Принято"}, "comment": null,
         "at": "2026-12-02T07:45:00Z"},
        {"from": {"code": "registered", "title": "Принято"}, "to": {"code": "in_progress", "title": "В работе"},
         "comment": null, "at": "2026-12-02T11:20:00Z"}
    ],
    "created_at": "2026-12-02T07:45:00Z",
    "updated_at": "2026-12-02T11:20:00Z"
}))]
pub struct ApplicationView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The appeal statuses in the benefit's words: «Принято», «В работе»,
    /// «Требуется доработка», «Одобрено», «Отклонено».
    pub status: Labelled<crate::codes::AppealStatusCode>,
    pub payout: PayoutView,
    /// The citizen's documents the application cites.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub document_ids: Vec<String>,
    pub history: Vec<StepView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn label(s: AppealStatus) -> Labelled<crate::codes::AppealStatusCode> {
    Labelled::titled(s, status_title(s))
}

impl ApplicationView {
    fn for_citizen(a: Application) -> ApplicationView {
        ApplicationView::new(a, Reader::Citizen)
    }

    fn for_staff(a: Application) -> ApplicationView {
        ApplicationView::new(a, Reader::Staff)
    }

    fn new(a: Application, reader: Reader) -> ApplicationView {
        let payout = match &a.payout {
            Payout::BankAccount(b) => PayoutView {
                method: PayoutMethod::BankAccount,
                bik: Some(b.bik().as_str().into()),
                account: Some(match reader {
                    Reader::Citizen => b.masked(),
                    Reader::Staff => b.account().into(),
                }),
                card: None,
            },
            Payout::Card(c) => PayoutView {
                method: PayoutMethod::Card,
                bik: None,
                account: None,
                card: Some(c.masked()),
            },
        };
        ApplicationView {
            id: a.id,
            status: label(a.status),
            payout,
            document_ids: a.document_ids,
            history: a
                .history
                .into_iter()
                .map(|s| StepView {
                    from: s.from.map(label),
                    to: label(s.to),
                    comment: s.comment,
                    at: utc(s.at),
                })
                .collect(),
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }
    }
}

/// My benefit applications
#[utoipa::path(
    tag = "benefits",
    operation_id = "list_benefit_applications",
    description = "The citizen's unemployment benefit applications, newest first, each with its history.",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of applications", body = PageView<ApplicationView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/benefit-applications")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<PageView<ApplicationView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let page = query.0.request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            benefits::list(conn, &actor.user_id, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(
        found,
        ApplicationView::for_citizen,
    )))
}

/// Apply for the unemployment benefit
#[utoipa::path(
    tag = "benefits",
    operation_id = "apply_for_benefit",
    description = "Files an unemployment benefit application. Allowed with an open personal case in status «Безработный» (otherwise 409 with the `reason`) and no other application under consideration; it cites the citizen's own documents (a passport and an employment record at least, none rejected) and names the payout: a bank account (BIK and account, checked by the Bank of Russia control key) or a card (Luhn) — or, without `payout_method`, uses the details kept in the profile (`GET/PUT /citizen/payout-details`).",
    request_body = ApplicationBody,
    responses(
        (status = 201, description = "Filed («Принято»)", body = ApplicationView,
            headers(("Location" = String, description = "`/api/v1/citizen/benefit-applications/{id}`"))),
        (status = 409, description = "Not available now (`service_not_available` with `reason`), or an application is open (`application_open`)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ServiceNotAvailable, ProblemCode::ApplicationOpen]))),
    security(("bearer" = [])),
)]
#[post("/citizen/benefit-applications")]
pub async fn apply(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<ApplicationBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let submission = body.0.submission()?;
    let application = state
        .as_actor(&bearer, move |conn, actor| {
            benefits::apply(conn, &actor.user_id, &submission, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/benefit-applications/{}", application.id),
        ))
        .json(ApplicationView::for_citizen(application)))
}

/// A benefit application
#[utoipa::path(
    tag = "benefits",
    operation_id = "get_benefit_application",
    description = "One of the citizen's applications with its history.",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/benefit-applications/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let application = state
        .as_actor(&bearer, move |conn, actor| benefits::get(conn, actor, &id))
        .await?;
    Ok(web::Json(ApplicationView::for_citizen(application)))
}

/// Resubmit a corrected application
#[utoipa::path(
    tag = "benefits",
    operation_id = "resubmit_benefit_application",
    description = "After «Требуется доработка» (`clarification_required`) the citizen sends the corrected application: it returns to work (`in_progress`), in its history.",
    params(("id" = String, Path, description = "The application's id")),
    request_body = ApplicationBody,
    responses(
        (status = 200, description = "Resubmitted", body = ApplicationView),
        (status = 409, description = "The application is not awaiting changes (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidTransition, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/citizen/benefit-applications/{id}/resubmission")]
pub async fn resubmit(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ApplicationBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let submission = body.0.submission()?;
    let application = state
        .as_actor(&bearer, move |conn, actor| {
            benefits::resubmit(conn, actor, &id, &submission, now())
        })
        .await?;
    Ok(web::Json(ApplicationView::for_citizen(application)))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffQuery {
    /// Only applications in this status.
    #[param(value_type = Option<crate::docs::AppealStatusCode>)]
    pub status: Option<AppealStatus>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// Benefit applications of the centre
#[utoipa::path(
    tag = "staff",
    operation_id = "staff_list_benefit_applications",
    description = "The benefit applications addressed to the caller's centre, oldest first. Each applicant on the page finds the viewing in their journal (`benefit_applications_listed`).",
    params(StaffQuery),
    responses(
        (status = 200, description = "A page of applications", body = PageView<ApplicationView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/benefit-applications")]
pub async fn staff_list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<StaffQuery>,
    audit: crate::audit::Audit,
) -> Result<web::Json<PageView<ApplicationView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let read = state
        .as_actor(&bearer, move |conn, actor| {
            benefits::for_centre(conn, actor, &audit.0, q.status, page, now())
        })
        .await?;
    let found = state.journal.serve(read).await?;
    Ok(web::Json(PageView::from_page(
        found,
        ApplicationView::for_staff,
    )))
}

/// A staff decision on a benefit application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to": "completed", "monthly_amount_kopecks": 1500000, "months": 6}))]
pub struct DecisionBody {
    /// The status to move to, by the appeal's status machine.
    #[schema(value_type = crate::docs::AppealStatusCode)]
    pub to: AppealStatus,
    /// Required to reject or to ask for changes.
    #[validate(length(max = 2000, message = "Не более 2000 символов"))]
    pub comment: Option<String>,
    /// For an approval (`completed`): the monthly amount in kopecks.
    #[validate(range(min = 1, max = 100_000_000, message = "Сумма — от 1 копейки"))]
    pub monthly_amount_kopecks: Option<i64>,
    /// For an approval: the number of monthly payments, 1 to 12.
    #[validate(range(min = 1, max = 12, message = "От 1 до 12 месяцев"))]
    pub months: Option<u32>,
}

/// Decide on a benefit application
#[utoipa::path(
    tag = "staff",
    operation_id = "decide_benefit_application",
    description = "Moves an application of the caller's centre by the appeal machine: to work, back for changes (with a comment), rejected (with a comment) or approved (`completed`, with the monthly amount and the number of months: the payments are scheduled, «Ожидает перечисления»). The citizen is notified.",
    params(("id" = String, Path, description = "The application's id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "Decided", body = ApplicationView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidTransition, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/staff/benefit-applications/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<DecisionBody>,
) -> Result<web::Json<ApplicationView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let b = body.0;
    let decision = Decision {
        to: b.to,
        comment: b.comment,
        schedule: match (b.monthly_amount_kopecks, b.months) {
            (Some(a), Some(m)) => Some((Kopecks(a), m)),
            _ => None,
        },
    };
    let application = state
        .as_actor(&bearer, move |conn, actor| {
            benefits::decide(conn, actor, &id, &decision, now())
        })
        .await?;
    Ok(web::Json(ApplicationView::for_staff(application)))
}
