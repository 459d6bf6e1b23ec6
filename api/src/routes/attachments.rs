//! Files attached to appeals (SPEC §2, seed 003): the applicant adds them while the
//! appeal is open — one added while the centre asks for clarification moves the appeal
//! back to work — and whoever sees the appeal (its applicant, the organisation's admin,
//! staff of its centre) reads them.

use actix_web::{get, http::header, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use persistence::attachments::{self, Attachment};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::ProblemCode;
use crate::problem::{ApiError, Problem};
use crate::routes::documents::views::{AttachmentForm, FileView};
use crate::state::{now, AppState};
use crate::storage::FileStore;
use crate::views::{utc, AppealView};

/// A file attached to an appeal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-1111-7000-8000-000000000031",
    "appeal_id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "file": {"id": "01938f4e-1111-7000-8000-000000000032", "name": "диплом.pdf",
             "type": {"code": "pdf", "title": "Документ PDF"}, "size": 734003,
             "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
             "uploaded_at": "2026-11-26T08:15:00Z"},
    "content_url": "/api/v1/appeals/01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b/attachments/01938f4e-1111-7000-8000-000000000031/content",
    "attached_at": "2026-11-26T08:15:00Z"
}))]
pub struct AttachmentView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub appeal_id: String,
    pub file: FileView,
    /// Where the file downloads from.
    pub content_url: String,
    pub attached_at: DateTime<Utc>,
}

impl AttachmentView {
    fn new(a: Attachment) -> AttachmentView {
        AttachmentView {
            content_url: format!(
                "/api/v1/appeals/{}/attachments/{}/content",
                a.appeal_id, a.id
            ),
            id: a.id,
            appeal_id: a.appeal_id,
            file: FileView::new(a.file),
            attached_at: utc(a.created_at),
        }
    }
}

/// What attaching did: the attachment, and the appeal as it stands now (moved back to
/// `in_progress` when the attachment answered a clarification request).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = attached_example)]
pub struct AttachedView {
    pub attachment: AttachmentView,
    pub appeal: AppealView,
}

/// An attachment that answered a clarification request: the appeal is back in work.
fn attached_example() -> serde_json::Value {
    let mut appeal = crate::views::example_of::<AppealView>().unwrap_or_default();
    appeal["status"] = serde_json::json!({"code": "in_progress", "title": "В работе"});
    appeal["updated_at"] = serde_json::json!("2026-11-26T08:15:00Z");
    serde_json::json!({
        "attachment": crate::views::example_of::<AttachmentView>(),
        "appeal": appeal,
    })
}

/// An appeal's attachments
#[utoipa::path(
    tag = "appeals",
    operation_id = "list_appeal_attachments",
    description = "The files attached to an appeal the caller sees, oldest first.",
    params(("id" = String, Path, description = "The appeal's id")),
    responses(
        (status = 200, description = "The attachments", body = Vec<AttachmentView>),
    ),
    security(("bearer" = [])),
)]
#[get("/appeals/{id}/attachments")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<Vec<AttachmentView>>, ApiError> {
    let id = id.into_inner();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            attachments::list(conn, actor, &id)
        })
        .await?;
    Ok(web::Json(
        found.into_iter().map(AttachmentView::new).collect(),
    ))
}

/// Attach a file
#[utoipa::path(
    tag = "appeals",
    operation_id = "attach_to_appeal",
    description = "The applicant attaches a file (`multipart/form-data`, part `file`: PDF, JPEG or PNG, at most 5 MB, judged by content) to their open appeal. While the appeal is `clarification_required`, the attachment is the answer: the appeal moves back to `in_progress`, in its history like any move.",
    params(
        ("id" = String, Path, description = "The appeal's id"),
        crate::docs::IdempotencyKey,
    ),
    request_body(content = AttachmentForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = AttachedView,
            headers(("Location" = String, description = "`/api/v1/appeals/{id}/attachments/{attachment_id}/content`"))),
        (status = 403, description = "The caller sees the appeal but is not its applicant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The appeal is closed (`appeal_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over 5 MB (`file_too_large`), or the form around it is too large: more than 8 parts, or over 1 MB besides the parts' contents; with an `Idempotency-Key`, a body over 5 MB and 64 KB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content is not PDF, JPEG or PNG (`unsupported_file_type`), or the form is not `multipart/form-data`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file, an empty file or a truncated PDF", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::AppealClosed, ProblemCode::FileTooLarge, ProblemCode::PayloadTooLarge, ProblemCode::UnsupportedFileType]))),
    security(("bearer" = [])),
)]
#[post(
    "/appeals/{id}/attachments",
    wrap = "crate::idempotency::Idempotent::upload()"
)]
pub async fn attach(
    state: web::Data<AppState>,
    files: web::Data<FileStore>,
    bearer: Bearer,
    id: web::Path<String>,
    form: crate::upload_form::UploadForm,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let role = bearer.role;
    let appeal = id.clone();
    state
        .read_as_actor(&bearer, move |conn, actor| {
            attachments::may_attach(conn, actor, &appeal)
        })
        .await?;
    let upload = files.read_form(form, &[]).await?;
    let file = upload.file.clone();
    let result = state
        .as_actor(&bearer, move |conn, actor| {
            attachments::attach(conn, actor, &id, &file, now())
        })
        .await;
    let (attachment, appeal) = files.settle(&upload, result).await?;
    let view = AttachmentView::new(attachment);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, view.content_url.clone()))
        .json(AttachedView {
            attachment: view,
            appeal: AppealView::new(appeal, role),
        }))
}

/// An attachment's file
#[utoipa::path(
    tag = "appeals",
    operation_id = "download_appeal_attachment",
    description = "Downloads an attached file of an appeal the caller sees (streamed, with `Content-Disposition` and `ETag`).",
    params(
        ("id" = String, Path, description = "The appeal's id"),
        ("attachment_id" = String, Path, description = "The attachment's id"),
    ),
    responses(
        (status = 200, description = "The file",
            content(("application/pdf"), ("image/jpeg"), ("image/png")),
            headers(("Content-Disposition" = String), ("ETag" = String))),
        (status = 304, description = "The client's copy is current"),
    ),
    security(("bearer" = [])),
)]
#[get("/appeals/{id}/attachments/{attachment_id}/content")]
pub async fn content(
    req: HttpRequest,
    state: web::Data<AppState>,
    files: web::Data<FileStore>,
    bearer: Bearer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let attachment = state
        .as_actor(&bearer, move |conn, actor| {
            attachments::get(conn, actor, &id, &attachment_id)
        })
        .await?;
    files.download(&req, &attachment.file).await
}
