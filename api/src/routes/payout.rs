//! The citizen's payout details kept in the profile (seed 002: the benefit is paid to
//! «банковскую карту, привязанную к профилю»): a bank account with its BIK or a card.
//! A benefit application without its own details uses these.

use actix_web::{get, http::header, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::payout::Payout;
use domain::role::Role;
use persistence::payout_details::{self, Kept};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{etag, IfMatch, ValidJson};
use crate::problem::{ApiError, ProblemCode};
use crate::routes::benefits::{parse_payout, PayoutMethod};
use crate::state::{now, AppState};
use crate::views::utc;

/// Payout details as sent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"method": "bank_account", "bik": "044525225", "account": "40702810438000034726"}))]
pub struct PayoutDetailsBody {
    pub method: PayoutMethod,
    /// For `bank_account`: the bank's BIK (9 digits, from 04).
    pub bik: Option<String>,
    /// For `bank_account`: the 20-digit account, checked against the BIK's control key.
    pub account: Option<String>,
    /// For `card`: 16 to 19 digits, checked by Luhn.
    pub card_number: Option<String>,
}

/// Payout details as shown back: the account and the card masked to their last four
/// digits; the BIK, a bank's public code, in full.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"method": "bank_account", "bik": "044525225", "account": "•••• 4726", "card": null,
    "updated_at": "2026-12-03T09:00:00Z"}))]
pub struct PayoutDetailsView {
    pub method: PayoutMethod,
    #[schema(required)]
    pub bik: Option<String>,
    /// Only its last four digits.
    #[schema(required)]
    pub account: Option<String>,
    /// Only its last four digits.
    #[schema(required)]
    pub card: Option<String>,
    pub updated_at: DateTime<Utc>,
}

fn respond(kept: Kept) -> HttpResponse {
    let (method, bik, account, card) = match &kept.payout {
        Payout::BankAccount(a) => (
            PayoutMethod::BankAccount,
            Some(a.bik().as_str().to_owned()),
            Some(a.masked()),
            None,
        ),
        Payout::Card(c) => (PayoutMethod::Card, None, None, Some(c.masked())),
    };
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(kept.version)))
        .json(PayoutDetailsView {
            method,
            bik,
            account,
            card,
            updated_at: utc(kept.updated_at),
        })
}

/// My payout details
#[utoipa::path(
    tag = "benefits",
    operation_id = "get_payout_details",
    description = "The payout details kept in the citizen's profile, masked, with their `ETag`; 404 while none are saved.",
    responses(
        (status = 200, description = "The details", body = PayoutDetailsView, headers(("ETag" = String))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotFound]))),
    security(("bearer" = [])),
)]
#[get("/citizen/payout-details")]
pub async fn get_details(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let kept = state
        .as_actor(&bearer, |conn, actor| {
            payout_details::get(conn, &actor.user_id)
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(respond(kept))
}

/// Save my payout details
#[utoipa::path(
    tag = "benefits",
    operation_id = "set_payout_details",
    description = "Saves where the citizen's benefit is paid: a bank account (BIK and account, checked by the Bank of \
Russia control key) or a card (Luhn); a bad one is a 422 naming its field. Replaces what was saved; with `If-Match`, \
a stale version gets 412. Benefit applications filed without their own details use these.",
    params(("If-Match" = Option<String>, Header, description = "The `ETag` the details were read with")),
    request_body = PayoutDetailsBody,
    responses(
        (status = 200, description = "Saved", body = PayoutDetailsView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[put("/citizen/payout-details")]
pub async fn set_details(
    state: web::Data<AppState>,
    bearer: Bearer,
    if_match: IfMatch,
    body: ValidJson<PayoutDetailsBody>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let b = body.0;
    let payout = parse_payout(
        b.method,
        b.bik.as_deref(),
        b.account.as_deref(),
        b.card_number.as_deref(),
    )?;
    let kept = state
        .as_actor(&bearer, move |conn, actor| {
            payout_details::set(conn, &actor.user_id, &audit.0, &payout, if_match.0, now())
        })
        .await?;
    Ok(respond(kept))
}
