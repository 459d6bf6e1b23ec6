//! Drafts of unsent forms, for citizens and employers alike (SPEC §3): kept three
//! months from the last edit, then gone; sending the form removes its draft.

use actix_web::{delete, get, http::header, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::draft::DraftKind;
use persistence::drafts::{self, Draft};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{etag, IfMatch, ValidJson, ValidQuery};
use crate::problem::{ApiError, ProblemCode};
use crate::state::{now, AppState};
use crate::views::{utc, Labelled, PageView};

/// The largest payload a draft keeps, as serialised JSON.
const MAX_PAYLOAD: usize = 32 * 1024;

fn payload_size(payload: &serde_json::Value) -> Result<(), ValidationError> {
    if !payload.is_object() {
        return Err(ValidationError::new("object")
            .with_message("Черновик — объект JSON с полями формы".into()));
    }
    if payload.to_string().len() > MAX_PAYLOAD {
        return Err(ValidationError::new("too_large").with_message("Черновик больше 32 КБ".into()));
    }
    Ok(())
}

/// A new draft.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "appeal", "payload": {"type": "general_inquiry", "body": "Прошу разъяснить…"}}))]
pub struct NewDraftBody {
    #[schema(value_type = crate::docs::DraftKindCode)]
    pub kind: DraftKind,
    /// The form's fields as the client keeps them: any JSON object up to 32 KB, kept
    /// unchecked (a draft may be unfinished); the form is checked when it is sent.
    #[validate(custom(function = "payload_size"))]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub payload: serde_json::Value,
}

/// A draft's new content.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"payload": {"type": "general_inquiry", "body": "Прошу разъяснить порядок…"}}))]
pub struct DraftUpdate {
    /// Any JSON object up to 32 KB, as for a new draft.
    #[validate(custom(function = "payload_size"))]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub payload: serde_json::Value,
}

/// A saved draft.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-4444-7000-8000-000000000051",
    "kind": {"code": "appeal", "title": "Обращение"},
    "payload": {"type": "general_inquiry", "body": "Прошу разъяснить порядок постановки на учёт"},
    "version": 2,
    "created_at": "2026-12-01T08:00:00Z",
    "updated_at": "2026-12-01T08:20:00Z",
    "expires_at": "2027-03-01T08:20:00Z"
}))]
pub struct DraftView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: Labelled<crate::codes::DraftKindCode>,
    /// The form's fields as the client last saved them.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub payload: serde_json::Value,
    /// Sent back in `If-Match` to update.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Three months after the last edit the draft disappears.
    pub expires_at: DateTime<Utc>,
}

impl TryFrom<Draft> for DraftView {
    type Error = ApiError;
    fn try_from(d: Draft) -> Result<DraftView, ApiError> {
        let kind: DraftKind = d
            .kind
            .parse()
            .map_err(|e: domain::UnknownCode| ApiError::Internal(e.to_string()))?;
        Ok(DraftView {
            kind: Labelled::of(kind),
            payload: serde_json::from_str(&d.payload)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            id: d.id,
            version: d.version,
            created_at: utc(d.created_at),
            updated_at: utc(d.updated_at),
            expires_at: utc(d.expires_at),
        })
    }
}

fn respond(status: actix_web::http::StatusCode, draft: Draft) -> Result<HttpResponse, ApiError> {
    let version = draft.version;
    let id = draft.id.clone();
    let mut response = HttpResponse::build(status);
    response.insert_header((header::ETAG, etag(version)));
    if status == actix_web::http::StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("/api/v1/drafts/{id}")));
    }
    Ok(response.json(DraftView::try_from(draft)?))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// Only drafts of this form.
    #[param(value_type = Option<crate::docs::DraftKindCode>)]
    pub kind: Option<DraftKind>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// My drafts
#[utoipa::path(
    tag = "drafts",
    operation_id = "list_drafts",
    description = "The caller's live drafts, most recently edited first. Expired drafts are never listed.",
    params(DraftQuery),
    responses(
        (status = 200, description = "A page of drafts", body = PageView<DraftView>),
    ),
    security(("bearer" = [])),
)]
#[get("/drafts")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<DraftQuery>,
) -> Result<web::Json<PageView<DraftView>>, ApiError> {
    let q = query.0;
    let page = crate::views::PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            drafts::list(conn, &actor.user_id, q.kind, page, now())
        })
        .await?;
    let total_pages = found.total_pages();
    Ok(web::Json(PageView {
        items: found
            .items
            .into_iter()
            .map(DraftView::try_from)
            .collect::<Result<_, _>>()?,
        page: found.page,
        per_page: found.per_page,
        total: found.total,
        total_pages,
    }))
}

/// Save a draft
#[utoipa::path(
    tag = "drafts",
    operation_id = "create_draft",
    description = "Keeps an unsent form. The kind must be one of the caller's forms (see dictionary `draft_kinds`). An account keeps at most 50 live drafts (409 `limit_reached`); expired ones do not count.",
    request_body = NewDraftBody,
    responses(
        (status = 201, description = "Saved", body = DraftView,
            headers(("Location" = String, description = "`/api/v1/drafts/{id}`"), ("ETag" = String))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[post("/drafts")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewDraftBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    if !b.kind.for_role(bearer.role) {
        return Err(ApiError::field(
            "kind",
            "not_for_role",
            "Такой формы нет в этом кабинете",
        ));
    }
    let payload = b.payload.to_string();
    let draft = state
        .as_actor(&bearer, move |conn, actor| {
            drafts::create(conn, &actor.user_id, b.kind, &payload, now())
        })
        .await?;
    respond(actix_web::http::StatusCode::CREATED, draft)
}

/// A draft
#[utoipa::path(
    tag = "drafts",
    operation_id = "get_draft",
    description = "One of the caller's live drafts, with its `ETag`.",
    params(("id" = String, Path, description = "The draft's id")),
    responses(
        (status = 200, description = "The draft", body = DraftView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[get("/drafts/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let draft = state
        .as_actor(&bearer, move |conn, actor| {
            drafts::get(conn, &actor.user_id, &id, now())
        })
        .await?;
    respond(actix_web::http::StatusCode::OK, draft)
}

/// Update a draft
#[utoipa::path(
    tag = "drafts",
    operation_id = "update_draft",
    description = "Replaces the draft's payload; its three months start again. With `If-Match`, a stale version gets 412.",
    params(
        ("id" = String, Path, description = "The draft's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the draft was read with"),
    ),
    request_body = DraftUpdate,
    responses(
        (status = 200, description = "Updated", body = DraftView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[put("/drafts/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<DraftUpdate>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let payload = body.0.payload.to_string();
    let draft = state
        .as_actor(&bearer, move |conn, actor| {
            drafts::update(conn, &actor.user_id, &id, &payload, if_match.0, now())
        })
        .await?;
    respond(actix_web::http::StatusCode::OK, draft)
}

/// Delete a draft
#[utoipa::path(
    tag = "drafts",
    operation_id = "delete_draft",
    description = "Discards one of the caller's drafts.",
    params(("id" = String, Path, description = "The draft's id")),
    responses(
        (status = 204, description = "Deleted"),
    ),
    security(("bearer" = [])),
)]
#[delete("/drafts/{id}")]
pub async fn delete_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            drafts::delete(conn, &actor.user_id, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
