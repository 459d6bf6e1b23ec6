//! Review of citizens' documents by staff of the citizens' centre (SPEC §7): the queue,
//! the file, the decision. The citizen is told of the decision.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::document::DocumentStatus;
use domain::role::Role;
use persistence::documents;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::views::{DocumentStatusCode, DocumentView};
use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::storage::FileStore;
use crate::views::{PageQuery, PageView};

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only documents in this status (`on_review` for the review queue).
    #[param(inline, value_type = Option<DocumentStatusCode>)]
    pub status: Option<DocumentStatus>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// Documents of the centre's citizens
#[utoipa::path(
    tag = "staff",
    operation_id = "staff_list_documents",
    description = "The current documents of the citizens of the caller's centre, oldest first; `status=on_review` is the review queue. \
        Each citizen on the page reads in their audit journal (`GET /me/audit`) that staff listed their documents.",
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of documents", body = PageView<DocumentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/documents")]
pub async fn queue(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<QueueQuery>,
    audit: crate::audit::Audit,
) -> Result<web::Json<PageView<DocumentView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let read = state
        .as_actor(&bearer, move |conn, actor| {
            documents::for_centre(conn, actor, &audit.0, q.status, page, now())
        })
        .await?;
    let found = state.journal.serve(read).await?;
    Ok(web::Json(PageView::from_page(found, DocumentView::new)))
}

/// A citizen's document file
#[utoipa::path(
    tag = "staff",
    operation_id = "staff_download_document",
    description = "Downloads the file of a document of a citizen of the caller's centre (streamed, with `Content-Disposition` and `ETag`).",
    params(("id" = String, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The file",
            content(("application/pdf"), ("image/jpeg"), ("image/png")),
            headers(("Content-Disposition" = String), ("ETag" = String))),
        (status = 304, description = "The client's copy is current"),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/documents/{id}/content")]
pub async fn content(
    req: HttpRequest,
    state: web::Data<AppState>,
    files: web::Data<FileStore>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let read = state
        .read_as_actor(&bearer, move |conn, actor| {
            documents::read_for_staff(conn, actor, &audit.0, &id, now())
        })
        .await?;
    let document = state.journal.serve(read).await?;
    files.download(&req, &document.file).await
}

/// A reviewer's decision.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to": "rejected", "reason": "Скан нечитаемый: загрузите копию лучшего качества"}))]
pub struct ReviewBody {
    /// `accepted` or `rejected`.
    #[schema(inline, value_type = DocumentStatusCode)]
    pub to: DocumentStatus,
    /// Why it is rejected (required for `rejected`).
    #[validate(length(max = 2000, message = "Не более 2000 символов"))]
    pub reason: Option<String>,
}

/// Review a document
#[utoipa::path(
    tag = "staff",
    operation_id = "review_document",
    description = "Accepts or rejects (with a reason) a document on review of a citizen of the caller's centre. The citizen is notified; a decided document is not decided again.",
    params(("id" = String, Path, description = "The document's id")),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "Decided", body = DocumentView),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::AlreadyReviewed, ProblemCode::ConcurrentUpdate]))),
    security(("bearer" = [])),
)]
#[post("/staff/documents/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ReviewBody>,
    audit: crate::audit::Audit,
) -> Result<web::Json<DocumentView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let b = body.0;
    let document = state
        .as_actor(&bearer, move |conn, actor| {
            documents::review(conn, actor, &audit.0, &id, b.to, b.reason.as_deref(), now())
        })
        .await?;
    Ok(web::Json(DocumentView::new(document)))
}
