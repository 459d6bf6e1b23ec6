//! Payments (SPEC §7): the citizen's list and card with the history of operations;
//! staff record payments and their operations.

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::payment::{Kopecks, Operation, PaymentKind, PaymentStatus};
use domain::role::Role;
use persistence::payments::{self, NewPayment, Payment, PaymentFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::documents::views::codes;
use crate::state::{now, AppState};
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
    /// A kind of payment (dictionary `payment_kinds`).
    PaymentKindCode => PaymentKind;
    /// A payment status.
    PaymentStatusCode => PaymentStatus;
    /// An operation on a payment.
    OperationCode => Operation;
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OperationView {
    pub operation: Labelled<crate::codes::PaymentOperationCode>,
    #[schema(required)]
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// A payment: the amount in whole kopecks and as a decimal string, never a float.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-0000-7000-8000-000000000009",
    "kind": {"code": "unemployment_benefit", "title": "Пособие по безработице"},
    "amount_kopecks": 1500050, "amount": "15 000,50",
    "period_from": "2026-11-01", "period_to": "2026-11-30", "pay_date": "2026-12-15",
    "status": {"code": "pending", "title": "Ожидает перечисления"},
    "comment": null, "application_id": null, "history": []
}))]
pub struct PaymentView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: Labelled<crate::codes::PaymentKindCode>,
    pub amount_kopecks: i64,
    /// Rubles as people read them: «15 000,50».
    pub amount: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub pay_date: NaiveDate,
    /// «Ожидает перечисления», «В процессе», «Перечислено» (or cancelled, refunded).
    pub status: Labelled<crate::codes::PaymentStatusCode>,
    #[schema(required)]
    pub comment: Option<String>,
    /// The benefit application that scheduled it.
    #[schema(required, format = Uuid)]
    pub application_id: Option<String>,
    /// Every operation, oldest first (only on a payment's card).
    pub history: Vec<OperationView>,
}

impl PaymentView {
    fn new(p: Payment) -> PaymentView {
        PaymentView {
            id: p.id,
            kind: Labelled::of(p.kind),
            amount_kopecks: p.amount.0,
            amount: p.amount.rubles(),
            period_from: p.period_from,
            period_to: p.period_to,
            pay_date: p.pay_date,
            status: Labelled::of(p.status),
            comment: p.comment,
            application_id: p.application_id,
            history: p
                .history
                .into_iter()
                .map(|h| OperationView {
                    operation: Labelled::of(h.operation),
                    comment: h.comment,
                    at: utc(h.at),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentQuery {
    /// Only payments in this status.
    #[param(inline, value_type = Option<PaymentStatusCode>)]
    pub status: Option<PaymentStatus>,
    /// Only payments of this kind.
    #[param(inline, value_type = Option<PaymentKindCode>)]
    pub kind: Option<PaymentKind>,
    /// Payment dates from (inclusive).
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub from: Option<NaiveDate>,
    /// Payment dates to (inclusive).
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub to: Option<NaiveDate>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// My payments
#[utoipa::path(
    tag = "benefits",
    operation_id = "list_payments",
    description = "The citizen's payments, latest payment date first, filtered by status, kind and a period of payment dates.",
    params(PaymentQuery),
    responses(
        (status = 200, description = "A page of payments", body = PageView<PaymentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/payments")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<PaymentQuery>,
) -> Result<web::Json<PageView<PaymentView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let filter = PaymentFilter {
        status: q.status,
        kind: q.kind,
        from: q.from,
        to: q.to,
    };
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            payments::list(conn, &actor.user_id, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, PaymentView::new)))
}

/// A payment
#[utoipa::path(
    tag = "benefits",
    operation_id = "get_payment",
    description = "One of the citizen's payments with the history of its operations, cancellations and refunds included.",
    params(("id" = String, Path, description = "The payment's id")),
    responses(
        (status = 200, description = "The payment", body = PaymentView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/payments/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<PaymentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let payment = state
        .as_actor(&bearer, move |conn, actor| {
            payments::get(conn, &actor.user_id, &id)
        })
        .await?;
    Ok(web::Json(PaymentView::new(payment)))
}

/// A payment staff record.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "citizen_id": "01938f4e-0000-7000-8000-000000000010", "kind": "material_aid",
    "amount": "5000.00", "period_from": "2026-11-01", "period_to": "2026-11-30",
    "pay_date": "2026-12-05", "comment": "По заявлению от 20.11.2026"
}))]
pub struct NewPaymentBody {
    pub citizen_id: String,
    #[schema(inline, value_type = PaymentKindCode)]
    pub kind: PaymentKind,
    /// Rubles as a decimal string, at most two decimals («5000.00»).
    pub amount: String,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub period_from: NaiveDate,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub period_to: NaiveDate,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub pay_date: NaiveDate,
    /// The status it enters with (default `pending`).
    #[schema(inline, value_type = Option<PaymentStatusCode>)]
    pub status: Option<PaymentStatus>,
    #[validate(length(max = 1000, message = "Не более 1000 символов"))]
    pub comment: Option<String>,
}

/// Record a payment
#[utoipa::path(
    tag = "staff",
    operation_id = "create_payment",
    description = "Records a payment to a citizen of the caller's centre; its history starts with the operations that lead to the status it enters with.",
    request_body = NewPaymentBody,
    responses(
        (status = 201, description = "Recorded", body = PaymentView),
    ),
    security(("bearer" = [])),
)]
#[post("/staff/payments")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewPaymentBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let b = body.0;
    let amount = Kopecks::parse_rubles(&b.amount).map_err(|_| {
        ApiError::field(
            "amount",
            "invalid",
            "Сумма в рублях, больше нуля, не более двух знаков после запятой",
        )
    })?;
    if b.period_to < b.period_from {
        return Err(ApiError::field(
            "period_to",
            "invalid",
            "Конец периода раньше начала",
        ));
    }
    let new = NewPayment {
        citizen_id: b.citizen_id,
        application_id: None,
        kind: b.kind,
        amount,
        period_from: b.period_from,
        period_to: b.period_to,
        pay_date: b.pay_date,
        status: b.status.unwrap_or(PaymentStatus::INITIAL),
        comment: b.comment.filter(|c| !c.trim().is_empty()),
    };
    let payment = state
        .as_actor(&bearer, move |conn, actor| {
            payments::create(conn, actor, &new, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/payments/{}", payment.id),
        ))
        .json(PaymentView::new(payment)))
}

/// An operation on a payment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"operation": "cancelled", "comment": "Ошибка в реквизитах"}))]
pub struct OperationBody {
    #[schema(inline, value_type = OperationCode)]
    pub operation: Operation,
    #[validate(length(max = 1000, message = "Не более 1000 символов"))]
    pub comment: Option<String>,
}

/// Record an operation on a payment
#[utoipa::path(
    tag = "staff",
    operation_id = "operate_payment",
    description = "Sends, credits, cancels or refunds a payment of a citizen of the caller's centre; the operation joins its history.",
    params(("id" = String, Path, description = "The payment's id")),
    request_body = OperationBody,
    responses(
        (status = 200, description = "Recorded", body = PaymentView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::InvalidOperation, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/staff/payments/{id}/operations")]
pub async fn operate(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<OperationBody>,
) -> Result<web::Json<PaymentView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let b = body.0;
    let payment = state
        .as_actor(&bearer, move |conn, actor| {
            payments::operate(conn, actor, &id, b.operation, b.comment.as_deref(), now())
        })
        .await?;
    Ok(web::Json(PaymentView::new(payment)))
}
