//! Notifications and subscriptions (SPEC §7; the employer's «Уведомления» tab, §3).

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::notification::{Category, Channel};
use persistence::notifications::{self, Notification, ReadState, Subscription};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::state::{now, AppState};
use crate::views::{utc, Labelled, PageQuery, PageView};

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f60-bbbb-7000-8000-000000000001",
    "category": {"code": "application_status", "title": "Статус заявлений и обращений"},
    "title": "Обращение № 22800019/26СЗН: В работе",
    "body": "Постановка на учёт",
    "link": "/api/v1/appeals/01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "status": "new",
    "created_at": "2026-11-24T10:00:00Z",
    "read_at": null,
    "updated_at": "2026-11-24T10:00:00Z"
}))]
pub struct NotificationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub category: Labelled<crate::codes::NotificationCategoryCode>,
    pub title: String,
    pub body: String,
    /// API path of what it is about.
    #[schema(required)]
    pub link: Option<String>,
    /// `new` until read, then `read`.
    #[schema(value_type = ReadFilter)]
    pub status: String,
    pub created_at: DateTime<Utc>,
    #[schema(required)]
    pub read_at: Option<DateTime<Utc>>,
    /// When it was delivered or last changed (read): the newest, less 15 seconds, is
    /// the value to send as `updated_since` next time.
    pub updated_at: DateTime<Utc>,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> NotificationView {
        let category = n
            .category
            .parse::<Category>()
            .map(Labelled::of)
            .unwrap_or_else(|_| Labelled::raw(n.category.clone(), n.category.clone()));
        NotificationView {
            category,
            status: if n.read_at.is_some() { "read" } else { "new" }.into(),
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: utc(n.created_at),
            read_at: n.read_at.map(utc),
            updated_at: utc(n.updated_at),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum ReadFilter {
    New,
    Read,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `new` or `read`; both when absent.
    pub status: Option<ReadFilter>,
    /// Only notifications delivered or changed (read) strictly after this moment, RFC 3339:
    /// for polling, send the newest `updated_at` seen minus 15 seconds and drop repeats by
    /// `id`: a change still being saved as you polled carries a moment slightly before its
    /// neighbours'.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// My notifications
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_notifications",
    description = "What the caller's subscriptions delivered to the cabinet, newest first; each is `new` until read. \
        With `updated_since`, only those delivered or read after that moment.",
    params(NotificationQuery),
    responses(
        (status = 200, description = "A page of notifications", body = PageView<NotificationView>),
    ),
    security(("bearer" = [])),
)]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<NotificationQuery>,
) -> Result<web::Json<PageView<NotificationView>>, ApiError> {
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let read = q.status.map(|s| match s {
        ReadFilter::New => ReadState::New,
        ReadFilter::Read => ReadState::Read,
    });
    let since = q.updated_since.map(|at| at.naive_utc());
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            notifications::list(conn, &actor.user_id, read, since, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(
        found,
        NotificationView::from,
    )))
}

/// Mark a notification read
#[utoipa::path(
    tag = "notifications",
    operation_id = "read_notification",
    description = "Marks one of the caller's notifications read. Marking it again changes nothing.",
    params(("id" = String, Path, description = "The notification's id")),
    responses(
        (status = 204, description = "Read"),
    ),
    security(("bearer" = [])),
)]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            notifications::mark_read(conn, &actor.user_id, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One cell of the subscription matrix.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[schema(example = json!({"category": "new_vacancies", "channel": "email", "enabled": true}))]
pub struct SubscriptionView {
    #[schema(value_type = crate::docs::NotificationCategoryCode)]
    pub category: Category,
    #[schema(value_type = crate::docs::NotificationChannelCode)]
    pub channel: Channel,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"subscriptions": [{"category": "new_vacancies", "channel": "email", "enabled": true}]}))]
pub struct SubscriptionsBody {
    /// The cells to set; others keep their state.
    #[validate(length(min = 1, max = 100))]
    pub subscriptions: Vec<SubscriptionView>,
}

fn matrix(cells: Vec<Subscription>) -> Vec<SubscriptionView> {
    cells
        .into_iter()
        .map(|s| SubscriptionView {
            category: s.category,
            channel: s.channel,
            enabled: s.enabled,
        })
        .collect()
}

/// My subscriptions
#[utoipa::path(
    tag = "notifications",
    operation_id = "get_subscriptions",
    description = "Every category of the caller's role × every channel (cabinet, e-mail, SMS, push). Unless changed, only the cabinet is on.",
    responses(
        (status = 200, description = "The matrix", body = Vec<SubscriptionView>),
    ),
    security(("bearer" = [])),
)]
#[get("/subscriptions")]
pub async fn subscriptions(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<SubscriptionView>>, ApiError> {
    let cells = state
        .as_actor(&bearer, |conn, actor| {
            notifications::subscriptions_of(conn, &actor.user_id, actor.role)
        })
        .await?;
    Ok(web::Json(matrix(cells)))
}

/// Change subscriptions
#[utoipa::path(
    tag = "notifications",
    operation_id = "set_subscriptions",
    description = "Turns the given category × channel cells on or off, all at once; answers the whole matrix. A category outside the caller's role is refused.",
    request_body = SubscriptionsBody,
    responses(
        (status = 200, description = "The matrix as it now stands", body = Vec<SubscriptionView>),
    ),
    security(("bearer" = [])),
)]
#[put("/subscriptions")]
pub async fn set_subscriptions(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<SubscriptionsBody>,
) -> Result<web::Json<Vec<SubscriptionView>>, ApiError> {
    let allowed = Category::for_role(bearer.role);
    let errors: Vec<_> = body
        .0
        .subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| !allowed.contains(&s.category))
        .map(|(i, _)| {
            crate::problem::FieldError::new(
                format!("subscriptions[{i}].category"),
                "not_for_role",
                "Такой категории уведомлений нет в этом кабинете",
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let cells: Vec<Subscription> = body
        .0
        .subscriptions
        .iter()
        .map(|s| Subscription {
            category: s.category,
            channel: s.channel,
            enabled: s.enabled,
        })
        .collect();
    let now_set = state
        .as_actor(&bearer, move |conn, actor| {
            notifications::set_subscriptions(conn, &actor.user_id, &cells)?;
            notifications::subscriptions_of(conn, &actor.user_id, actor.role)
        })
        .await?;
    Ok(web::Json(matrix(now_set)))
}
