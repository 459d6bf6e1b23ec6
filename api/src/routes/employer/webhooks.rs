//! Webhooks for the organisation's integrators (issue 18): its admin subscribes https
//! URLs to events of the organisation and reads how each delivery went. What a
//! delivery looks like and how it is signed is the document's `webhooks` section
//! (`crate::webhooks::spec`).

use actix_web::{delete, get, http::header, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use domain::webhook::{EventType, UrlRefusal};
use domain::Coded;
use persistence::webhooks::{self, Change, Delivery, NewSubscription, Subscription};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::views::{utc, Labelled, PageQuery, PageView};

/// A subscription to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "url": "https://crm.romashka.example.ru/hooks/portal",
    "events": ["response.created", "appeal.status_changed"],
    "description": "CRM отдела кадров"
}))]
pub struct NewWebhookBody {
    /// Where deliveries go: an `https` URL of a host on the public Internet (not a
    /// private, loopback or link-local address), without a user name or password.
    #[validate(length(min = 1, max = 2000))]
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "https://crm.romashka.example.ru/hooks/portal"
    )]
    pub url: String,
    /// The events to deliver.
    #[validate(length(min = 1, max = 3, message = "Выберите от 1 до 3 событий"))]
    #[schema(value_type = Vec<crate::docs::WebhookEventCode>, min_items = 1, max_items = 3)]
    pub events: Vec<EventType>,
    /// A note for the organisation's own people.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
}

/// A change to a subscription; what is left out stays as it is.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"active": false}))]
pub struct WebhookChangeBody {
    /// A new URL, checked as when subscribing.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: Option<String>,
    #[validate(length(min = 1, max = 3, message = "Выберите от 1 до 3 событий"))]
    #[schema(value_type = Option<Vec<crate::docs::WebhookEventCode>>, min_items = 1, max_items = 3)]
    pub events: Option<Vec<EventType>>,
    /// An empty text clears it.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// `false` pauses the subscription: no new events are queued for it and its
    /// pending deliveries wait; `true` resumes it.
    pub active: Option<bool>,
}

/// A subscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5e4-3f40-7b51-8c62-7d8e9f0a1b2c",
    "url": "https://crm.romashka.example.ru/hooks/portal",
    "events": ["response.created", "appeal.status_changed"],
    "description": "CRM отдела кадров",
    "active": true,
    "created_at": "2026-12-18T09:30:00Z",
    "updated_at": "2026-12-18T09:30:00Z"
}))]
pub struct WebhookView {
    #[schema(format = Uuid)]
    pub id: String,
    pub url: String,
    #[schema(value_type = Vec<crate::docs::WebhookEventCode>)]
    pub events: Vec<&'static str>,
    #[schema(required)]
    pub description: Option<String>,
    /// Whether events are delivered (`false`: paused).
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Subscription> for WebhookView {
    fn from(s: Subscription) -> WebhookView {
        WebhookView {
            id: s.id,
            url: s.url,
            events: s.events.into_iter().map(EventType::code).collect(),
            description: s.description,
            active: s.active,
            created_at: utc(s.created_at),
            updated_at: utc(s.updated_at),
        }
    }
}

/// A subscription just made, with its signing secret: shown this once, keep it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5e4-3f40-7b51-8c62-7d8e9f0a1b2c",
    "url": "https://crm.romashka.example.ru/hooks/portal",
    "events": ["response.created", "appeal.status_changed"],
    "description": "CRM отдела кадров",
    "active": true,
    "created_at": "2026-12-18T09:30:00Z",
    "updated_at": "2026-12-18T09:30:00Z",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAbCdEfGhIjK="
}))]
pub struct CreatedWebhookView {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// The key that signs every delivery (`whsec_` and the base64 of 32 random bytes):
    /// answered only here, never again.
    pub secret: String,
}

/// One event sent, or to be sent, to a subscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f5-4a51-7c62-9d73-8e9f0a1b2c3d",
    "event_id": "6f1c2a9e-4b7d-4e21-9a3c-2d8e5f6a7b10",
    "event_type": "response.created",
    "status": {"code": "pending", "title": "Ожидает доставки"},
    "attempts": 1,
    "last_status": 500,
    "last_error": "answered 500 Internal Server Error",
    "created_at": "2026-12-18T09:30:00Z",
    "delivered_at": null,
    "next_attempt_at": "2026-12-18T09:31:00Z"
}))]
pub struct DeliveryView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The event's id (`webhook-id`), the same for every attempt.
    #[schema(format = Uuid)]
    pub event_id: String,
    #[schema(value_type = crate::docs::WebhookEventCode)]
    pub event_type: &'static str,
    /// `pending`, `delivered` or `dead` (given up after the last attempt).
    pub status: Labelled<crate::codes::DeliveryStatusCode>,
    /// Attempts made so far.
    pub attempts: i32,
    /// The HTTP status of the receiver's last answer, if it answered.
    #[schema(required)]
    pub last_status: Option<i32>,
    /// Why the last attempt failed, if it did.
    #[schema(required)]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[schema(required)]
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the next attempt is due, while pending.
    #[schema(required)]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> DeliveryView {
        DeliveryView {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type.code(),
            status: Labelled::of(d.status),
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: utc(d.created_at),
            delivered_at: d.delivered_at.map(utc),
            next_attempt_at: d.next_attempt_at.map(utc),
        }
    }
}

/// A URL refused for deliveries, as the field error it is.
fn refused(refusal: UrlRefusal) -> ApiError {
    ApiError::field("url", refusal.code(), refusal.message())
}

/// Subscriptions
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhooks",
    description = "The organisation's webhook subscriptions, oldest first (at most 10). Only the organisation's administrator reads them (403 `not_admin` for its other accounts).",
    responses(
        (status = 200, description = "The subscriptions", body = Vec<WebhookView>),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
    security(("bearer" = [])),
)]
#[get("/employer/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<WebhookView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let found = state.as_actor(&bearer, webhooks::list).await?;
    Ok(web::Json(
        found.into_iter().map(WebhookView::from).collect(),
    ))
}

/// Subscribe a URL
#[utoipa::path(
    tag = "webhooks",
    operation_id = "create_webhook",
    description = "The organisation's administrator subscribes a URL to events of the organisation: `response.created` (a citizen responded to one of its vacancies), `report.accepted` (a report it sent was accepted), `appeal.status_changed` (an appeal one of its accounts filed changed status). The URL must be `https` and its host must resolve only to public addresses (422 `webhook_url_not_https`, `webhook_url_not_public`, `webhook_url_unresolved`, `webhook_url_invalid` on `url`). The answer carries the signing `secret` once; the deliveries and their signature are described under `webhooks` in this document. An organisation keeps at most 10 subscriptions (409 `limit_reached`).",
    request_body = NewWebhookBody,
    params(crate::docs::IdempotencyKey),
    responses(
        (status = 201, description = "Subscribed; keep the secret", body = CreatedWebhookView, headers(("Location" = String))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[post("/employer/webhooks", wrap = "crate::idempotency::Idempotent::json()")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewWebhookBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    // Only the admin gets as far as making the server resolve a name.
    state
        .read_as_actor(&bearer, |_, actor| webhooks::ensure_admin(actor))
        .await?;
    let body = body.0;
    let url = crate::webhooks::check_url(&body.url, state.webhooks)
        .await
        .map_err(refused)?;
    let new = NewSubscription {
        url,
        events: body.events,
        description: body
            .description
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty()),
        secret: crate::webhooks::new_secret(),
    };
    let secret = new.secret.clone();
    let made = state
        .as_actor(&bearer, move |conn, actor| {
            webhooks::create(conn, actor, new, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/employer/webhooks/{}", made.id),
        ))
        .json(CreatedWebhookView {
            webhook: made.into(),
            secret,
        }))
}

/// A subscription
#[utoipa::path(
    tag = "webhooks",
    operation_id = "get_webhook",
    description = "One subscription of the organisation, for its administrator. The secret is not shown again.",
    params(("id" = String, Path, format = Uuid, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription", body = WebhookView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
    security(("bearer" = [])),
)]
#[get("/employer/webhooks/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<WebhookView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| webhooks::get(conn, actor, &id))
        .await?;
    Ok(web::Json(found.into()))
}

/// Change or pause a subscription
#[utoipa::path(
    tag = "webhooks",
    operation_id = "update_webhook",
    description = "The administrator changes a subscription's URL (checked as when subscribing), events or description, or pauses (`active: false`) and resumes it. While paused no events are queued for it and its pending deliveries wait.",
    params(("id" = String, Path, format = Uuid, description = "The subscription's id")),
    request_body = WebhookChangeBody,
    responses(
        (status = 200, description = "Changed", body = WebhookView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
    security(("bearer" = [])),
)]
#[patch("/employer/webhooks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<WebhookChangeBody>,
) -> Result<web::Json<WebhookView>, ApiError> {
    bearer.require(Role::Employer)?;
    state
        .read_as_actor(&bearer, |_, actor| webhooks::ensure_admin(actor))
        .await?;
    let (id, body) = (id.into_inner(), body.0);
    let url = match &body.url {
        Some(url) => Some(
            crate::webhooks::check_url(url, state.webhooks)
                .await
                .map_err(refused)?,
        ),
        None => None,
    };
    let change = Change {
        url,
        events: body.events,
        description: body.description.map(|d| {
            let d = d.trim().to_owned();
            (!d.is_empty()).then_some(d)
        }),
        active: body.active,
    };
    let changed = state
        .as_actor(&bearer, move |conn, actor| {
            webhooks::update(conn, actor, &id, change, now())
        })
        .await?;
    Ok(web::Json(changed.into()))
}

/// Unsubscribe
#[utoipa::path(
    tag = "webhooks",
    operation_id = "delete_webhook",
    description = "The administrator deletes a subscription with its deliveries; pending ones are not sent.",
    params(("id" = String, Path, format = Uuid, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
    security(("bearer" = [])),
)]
#[delete("/employer/webhooks/{id}")]
pub async fn delete_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            webhooks::delete(conn, actor, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deliveries of a subscription
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhook_deliveries",
    description = "What was sent to a subscription, newest first: each event's delivery with its status (`pending`, `delivered`, `dead`), the attempts made, the receiver's last HTTP status and the next attempt's time. Delivered ones are kept 30 days.",
    params(("id" = String, Path, format = Uuid, description = "The subscription's id"), PageQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = PageView<DeliveryView>),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
    security(("bearer" = [])),
)]
#[get("/employer/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<PageView<DeliveryView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let (id, page) = (id.into_inner(), query.0.request());
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            webhooks::deliveries_of(conn, actor, &id, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, DeliveryView::from)))
}
