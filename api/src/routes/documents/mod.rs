//! A citizen's documents (SPEC §7, seed 002): uploads on review, their files, and the
//! review by staff of the citizen's centre (`staff`). Files are stored by
//! `crate::storage`; the rules are `domain::document`'s and `domain::file`'s.

pub mod staff;
pub mod views;

use actix_web::{get, http::header, post, web, HttpRequest, HttpResponse};
use domain::document::{DocumentKind, DocumentStatus};
use domain::role::Role;
use persistence::documents::{self, DocumentFilter, NewDocument};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::ValidQuery;
use crate::problem::ProblemCode;
use crate::problem::{ApiError, Problem};
use crate::state::{now, AppState};
use crate::storage::FileStore;
use crate::views::{PageQuery, PageView};
use views::{DocumentKindCode, DocumentStatusCode, DocumentUploadForm, DocumentView};

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Only documents of this kind.
    #[param(inline, value_type = Option<DocumentKindCode>)]
    pub kind: Option<DocumentKind>,
    /// Only documents in this status.
    #[param(inline, value_type = Option<DocumentStatusCode>)]
    pub status: Option<DocumentStatus>,
    /// Also list rejected documents that were replaced (the history).
    #[param(default = false)]
    pub include_replaced: Option<bool>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// My documents
#[utoipa::path(
    tag = "documents",
    operation_id = "list_documents",
    description = "The citizen's documents, newest first, each with its review status (`on_review`, `accepted`, `rejected` with a reason). Replaced rejected documents are history: listed with `include_replaced=true`.",
    params(DocumentQuery),
    responses(
        (status = 200, description = "A page of documents", body = PageView<DocumentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/documents")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<DocumentQuery>,
) -> Result<web::Json<PageView<DocumentView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let filter = DocumentFilter {
        kind: q.kind,
        status: q.status,
        include_replaced: q.include_replaced.unwrap_or(false),
    };
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            documents::list(conn, &actor.user_id, &filter, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, DocumentView::new)))
}

/// Upload a document
#[utoipa::path(
    tag = "documents",
    operation_id = "upload_document",
    description = "Hands the centre a document: a `multipart/form-data` form with the `kind` and one `file` — PDF, JPEG or PNG, at most 5 MB, the type judged from the content, never from the name (a PNG named `.pdf` is kept as PNG). To replace a rejected document, name it in `replaces`: the rejected one stays in the history. The new document is `on_review`.",
    params(crate::docs::IdempotencyKey),
    request_body(content = DocumentUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored, on review", body = DocumentView,
            headers(("Location" = String, description = "`/api/v1/citizen/documents/{id}`"))),
        (status = 404, description = "`replaces` names no document of the citizen's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`replaces` names a document that is not rejected, or was replaced already", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over 5 MB (`file_too_large`), or the form around it is too large: more than 8 parts, or over 1 MB besides the parts' contents; with an `Idempotency-Key`, a body over 5 MB and 64 KB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content is not PDF, JPEG or PNG (`unsupported_file_type`), or the form is not `multipart/form-data`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, an empty file, a truncated PDF, or a bad `kind`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotFound, ProblemCode::NotReplaceable, ProblemCode::FileTooLarge, ProblemCode::PayloadTooLarge, ProblemCode::UnsupportedFileType]))),
    security(("bearer" = [])),
)]
#[post(
    "/citizen/documents",
    wrap = "crate::idempotency::Idempotent::upload()"
)]
pub async fn upload(
    state: web::Data<AppState>,
    files: web::Data<FileStore>,
    bearer: Bearer,
    audit: crate::audit::Audit,
    form: crate::upload_form::UploadForm,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let upload = files.read_form(form, &["kind", "replaces"]).await?;
    let result = async {
        let kind = match upload.text("kind") {
            None | Some("") => {
                return Err(ApiError::field("kind", "required", "Укажите вид документа"))
            }
            Some(code) => code.parse::<DocumentKind>().map_err(|_| {
                ApiError::field("kind", "unknown", "Такого вида документа нет в справочнике")
            })?,
        };
        let new = NewDocument {
            kind,
            replaces: upload
                .text("replaces")
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            file: upload.file.clone(),
        };
        state
            .as_actor(&bearer, move |conn, actor| {
                documents::upload(conn, &actor.user_id, &audit.0, &new, now())
            })
            .await
    }
    .await;
    let document = files.settle(&upload, result).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/citizen/documents/{}", document.id),
        ))
        .json(DocumentView::new(document)))
}

/// A document
#[utoipa::path(
    tag = "documents",
    operation_id = "get_document",
    description = "One of the citizen's documents with its review status.",
    params(("id" = String, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document", body = DocumentView),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/documents/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<DocumentView>, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let document = state
        .as_actor(&bearer, move |conn, actor| documents::get(conn, actor, &id))
        .await?;
    Ok(web::Json(DocumentView::new(document)))
}

/// A document's file
#[utoipa::path(
    tag = "documents",
    operation_id = "download_document",
    description = "Downloads the document's file, streamed, with its type, its name (`Content-Disposition`, the UTF-8 name in `filename*` per RFC 6266/5987) and its SHA-256 as the `ETag`; `If-None-Match` with that tag answers 304.",
    params(
        ("id" = String, Path, description = "The document's id"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client has"),
    ),
    responses(
        (status = 200, description = "The file",
            content(("application/pdf"), ("image/jpeg"), ("image/png")),
            headers(("Content-Disposition" = String), ("ETag" = String))),
        (status = 304, description = "The client's copy is current"),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/documents/{id}/content")]
pub async fn content(
    req: HttpRequest,
    state: web::Data<AppState>,
    files: web::Data<FileStore>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let document = state
        .as_actor(&bearer, move |conn, actor| documents::get(conn, actor, &id))
        .await?;
    files.download(&req, &document.file).await
}
