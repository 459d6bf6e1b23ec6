//! The JSON shapes of documents, stored files and upload forms, and the schemas that
//! document them (the upload forms are `multipart/form-data`, described so that
//! Swagger UI offers a file picker).

use chrono::{DateTime, Utc};
use domain::Coded;
use persistence::documents::Document;
use persistence::files::StoredFile;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

use crate::views::{utc, Labelled};

/// An inline string enum of a domain enumeration's codes.
pub fn codes<T: Coded>() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(T::ALL.iter().map(|v| v.code())))
        .into()
}

/// Schema-only types naming the codes of a domain enumeration, used `inline` so that
/// they need no entry in the document's components.
macro_rules! inline_codes {
    ($($(#[$doc:meta])* $name:ident => $ty:ty;)+) => {$(
        $(#[$doc])*
        pub struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                codes::<$ty>()
            }
        }
        impl ToSchema for $name {}
    )+};
}

inline_codes! {
    /// A kind of document (dictionary `document_kinds`).
    DocumentKindCode => domain::document::DocumentKind;
    /// A document status.
    DocumentStatusCode => domain::document::DocumentStatus;
}

pub fn document_kind_schema() -> RefOr<Schema> {
    codes::<domain::document::DocumentKind>()
}

/// A stored file as lists and cards show it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-0000-7000-8000-000000000002", "name": "паспорт.pdf",
    "type": {"code": "pdf", "title": "Документ PDF"}, "size": 482133,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "uploaded_at": "2026-12-01T09:30:00Z"
}))]
pub struct FileView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The name it downloads under; its extension follows the real content.
    pub name: String,
    /// The type judged from the content.
    #[serde(rename = "type")]
    pub file_type: Labelled<crate::codes::FileTypeCode>,
    /// Bytes.
    pub size: u64,
    /// Hex SHA-256 of the content; also the download's `ETag`.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

impl FileView {
    pub fn new(f: StoredFile) -> FileView {
        FileView {
            id: f.id,
            name: f.name,
            file_type: Labelled::of(f.file_type),
            size: f.size,
            sha256: f.sha256,
            uploaded_at: utc(f.created_at),
        }
    }
}

/// A citizen's document and where its review stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-0000-7000-8000-000000000001",
    "kind": {"code": "passport", "title": "Паспорт"},
    "status": {"code": "rejected", "title": "Отклонён"},
    "reason": "Скан нечитаемый", "reviewed_at": "2026-12-01T10:00:00Z",
    "replaces_id": null, "replaced_by_id": null,
    "file": {"id": "01938f4e-0000-7000-8000-000000000002", "name": "паспорт.pdf",
        "type": {"code": "pdf", "title": "Документ PDF"}, "size": 482133,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "uploaded_at": "2026-12-01T09:30:00Z"},
    "content_url": "/api/v1/citizen/documents/01938f4e-0000-7000-8000-000000000001/content",
    "created_at": "2026-12-01T09:30:00Z", "updated_at": "2026-12-01T10:00:00Z"
}))]
pub struct DocumentView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: Labelled<crate::codes::DocumentKindCode>,
    /// `on_review`, `accepted` or `rejected`.
    pub status: Labelled<crate::codes::DocumentStatusCode>,
    /// Why it was rejected.
    #[schema(required)]
    pub reason: Option<String>,
    #[schema(required)]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The rejected document this one replaces.
    #[schema(required, format = Uuid)]
    pub replaces_id: Option<String>,
    /// The document that replaced this rejected one (then it is history).
    #[schema(required, format = Uuid)]
    pub replaced_by_id: Option<String>,
    pub file: FileView,
    /// Where the file downloads from, for the citizen.
    pub content_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DocumentView {
    pub fn new(d: Document) -> DocumentView {
        DocumentView {
            content_url: format!("/api/v1/citizen/documents/{}/content", d.id),
            kind: Labelled::of(d.kind),
            status: Labelled::of(d.status),
            reason: d.reason,
            reviewed_at: d.reviewed_at.map(utc),
            replaces_id: d.replaces_id,
            replaced_by_id: d.replaced_by_id,
            file: FileView::new(d.file),
            id: d.id,
            created_at: utc(d.created_at),
            updated_at: utc(d.updated_at),
        }
    }
}

/// The upload form of a document (`multipart/form-data`). No other parts are read.
#[derive(ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // A schema only: the form is read part by part as it streams in.
#[schema(example = json!({"kind": "education", "file": "%PDF-1.7 (the scan's bytes)"}))]
pub struct DocumentUploadForm {
    /// What the document is (dictionary `document_kinds`).
    #[schema(schema_with = document_kind_schema)]
    pub kind: String,
    /// The id of the citizen's rejected document this upload replaces.
    pub replaces: Option<String>,
    /// PDF, JPEG or PNG, at most 5 MB; the type is judged from the content.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// The upload form of an appeal attachment (`multipart/form-data`). No other parts are
/// read.
#[derive(ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // A schema only: the form is read part by part as it streams in.
#[schema(example = json!({"file": "%PDF-1.7 (the file's bytes)"}))]
pub struct AttachmentForm {
    /// PDF, JPEG or PNG, at most 5 MB; the type is judged from the content.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}
