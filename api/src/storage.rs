//! Where uploaded files live, and how they get there and back (SPEC §7).
//!
//! The bytes go to an `object_store` — a local directory by default (`PORTAL_FILES`,
//! `./data/files`), any S3-compatible store in production — under a random key; the
//! database keeps the metadata. An upload is read from `multipart/form-data` chunk by
//! chunk and written on as it arrives, hashed and measured on the way, so the server
//! holds one chunk of it at a time whatever its size, and the 5 MB limit stops it as
//! soon as it is crossed. The type is judged from the first bytes (`infer`), never from
//! the name or the declared type; what `domain::file` refuses is removed from the
//! store before the answer goes out, so a refused upload leaves nothing behind.

use std::sync::Arc;

use actix_multipart::{Field, MultipartError};
use actix_web::error::PayloadError;
use actix_web::http::header::{
    Charset, ContentDisposition, ContentEncoding, DispositionParam, DispositionType, ExtendedValue,
    CONTENT_ENCODING, ETAG, IF_NONE_MATCH,
};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use domain::file::{self as rules, MAX_FILE_SIZE, PDF_TAIL};
use futures_util::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};
use persistence::files::{NewFile, StoredFile};
use sha2::{Digest, Sha256};

use crate::problem::{ApiError, ProblemCode};
use crate::upload_form::UploadForm;

/// Bytes the sniffer looks at.
const HEAD: usize = 8 * 1024;
/// The largest text field of an upload form (a kind, an id).
const TEXT_LIMIT: usize = 1024;
/// How much of an oversized upload is still read (and thrown away) so that the client,
/// still sending, reads the 413 instead of a reset connection.
const DRAIN_LIMIT: u64 = 8 * MAX_FILE_SIZE;

/// The configured object store.
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// The part size of multipart writes: small for a directory (memory stays flat),
    /// the 5 MiB minimum S3 requires elsewhere.
    part_size: usize,
}

impl FileStore {
    /// Opens `setting`: a URL (`s3://bucket/prefix`, credentials from the usual
    /// `AWS_*` variables) or a directory path, created if missing.
    pub fn open(setting: &str) -> Result<FileStore, String> {
        if let Some(url) = url::Url::parse(setting)
            .ok()
            .filter(|u| u.scheme().len() > 1 && u.scheme() != "file")
        {
            let options = std::env::vars()
                .filter(|(k, _)| k.starts_with("AWS_"))
                .map(|(k, v)| (k.to_ascii_lowercase(), v));
            let (store, prefix) = object_store::parse_url_opts(&url, options)
                .map_err(|e| format!("PORTAL_FILES {setting}: {e}"))?;
            let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
                Arc::from(store)
            } else {
                Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
            };
            return Ok(FileStore {
                store,
                part_size: 5 * 1024 * 1024,
            });
        }
        let dir = setting.strip_prefix("file://").unwrap_or(setting);
        std::fs::create_dir_all(dir).map_err(|e| format!("PORTAL_FILES {dir}: {e}"))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("PORTAL_FILES {dir}: {e}"))?;
        Ok(FileStore {
            store: Arc::new(store),
            part_size: 64 * 1024,
        })
    }

    /// Removes a stored object; a failure is logged (an orphan object harms nobody).
    pub async fn remove(&self, key: &str) {
        if let Err(e) = self.store.delete(&Path::from(key)).await {
            tracing::warn!(key, error = %e, "a refused upload's object was not removed");
        }
    }

    /// Streams a stored file as a download: its type, its name (RFC 6266 with the
    /// RFC 5987 UTF-8 form for Cyrillic), and its SHA-256 as the `ETag`; `304` when the
    /// client already has it.
    pub async fn download(
        &self,
        req: &HttpRequest,
        file: &StoredFile,
    ) -> Result<HttpResponse, ApiError> {
        let etag = format!("\"{}\"", file.sha256);
        let unchanged = req
            .headers()
            .get(IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        if unchanged {
            return Ok(HttpResponse::NotModified()
                .insert_header((ETAG, etag))
                .finish());
        }
        let got = self
            .store
            .get(&Path::from(file.storage_key.as_str()))
            .await
            .map_err(|e| ApiError::Internal(format!("object {}: {e}", file.storage_key)))?;
        let stream = got
            .into_stream()
            .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()));
        Ok(HttpResponse::Ok()
            .content_type(file.file_type.mime())
            .insert_header(disposition(&file.name))
            .insert_header((ETAG, etag))
            // Already compressed formats: the compression middleware leaves it alone.
            .insert_header((CONTENT_ENCODING, ContentEncoding::Identity))
            .no_chunking(file.size)
            .streaming(stream))
    }

    /// Streams one file field into the store under a fresh random key.
    async fn receive(&self, form: &UploadForm, field: &mut Field) -> Result<Received, ApiError> {
        let key = format!("files/{}", uuid::Uuid::new_v4().simple());
        let upload = self
            .store
            .put_multipart(&Path::from(key.as_str()))
            .await
            .map_err(|e| ApiError::Internal(format!("object store: {e}")))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(HEAD);
        let mut tail: Vec<u8> = Vec::with_capacity(PDF_TAIL * 2);
        let mut size: u64 = 0;
        let sent_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        while let Some(chunk) = form.chunk(field).await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(multipart_error(e));
                }
            };
            size += chunk.len() as u64;
            if let Err(e) = rules::within_limit(size) {
                let _ = writer.abort().await;
                drain_field(form, field, size).await;
                return Err(ApiError::from(e));
            }
            hasher.update(&chunk);
            if head.len() < HEAD {
                let take = (HEAD - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            tail.extend_from_slice(&chunk[chunk.len().saturating_sub(PDF_TAIL)..]);
            if tail.len() > PDF_TAIL {
                tail.drain(..tail.len() - PDF_TAIL);
            }
            if let Err(e) = writer.wait_for_capacity(2).await {
                return Err(ApiError::Internal(format!("object store: {e}")));
            }
            writer.write(&chunk);
        }
        let detected = infer::get(&head).map(|t| t.mime_type());
        match rules::accept(size, detected, &tail) {
            Ok(file_type) => {
                writer
                    .finish()
                    .await
                    .map_err(|e| ApiError::Internal(format!("object store: {e}")))?;
                Ok(Received {
                    file: NewFile {
                        storage_key: key,
                        name: rules::display_name(sent_name.as_deref(), file_type),
                        file_type,
                        size,
                        sha256: hex::encode(hasher.finalize()),
                    },
                })
            }
            Err(e) => {
                let _ = writer.abort().await;
                Err(ApiError::from(e))
            }
        }
    }
}

/// A file that passed the upload rules and is in the store.
struct Received {
    file: NewFile,
}

/// An upload form read whole: its one file (stored) and its text fields.
pub struct Upload {
    pub file: NewFile,
    fields: Vec<(String, String)>,
}

impl Upload {
    /// A text field of the form, when sent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FileStore {
    /// Reads an upload form: the part named `file` into the store, the parts named in
    /// `texts` as text. Any failure removes what was stored.
    pub async fn read_form(
        &self,
        mut form: UploadForm,
        texts: &[&str],
    ) -> Result<Upload, ApiError> {
        let mut file: Option<NewFile> = None;
        let mut fields = Vec::new();
        // Once the form itself failed it must not be read again.
        let mut form_failed = false;
        let outcome = loop {
            let mut field = match form.part().await {
                None => break Ok(()),
                Some(Ok(field)) => field,
                Some(Err(e)) => {
                    form_failed = true;
                    break Err(multipart_error(e));
                }
            };
            let name = field.name().unwrap_or("").to_owned();
            if name == "file" {
                if file.is_some() {
                    break Err(ApiError::field("file", "duplicate", "Приложите один файл"));
                }
                match self.receive(&form, &mut field).await {
                    Ok(received) => file = Some(received.file),
                    Err(e) => break Err(e),
                }
            } else if texts.contains(&name.as_str()) {
                match read_text(&form, &mut field, &name).await {
                    Ok(value) => fields.push((name, value)),
                    Err(e) => break Err(e),
                }
            } else {
                // Unknown parts are read past, not kept.
                while let Some(chunk) = form.chunk(&mut field).await {
                    if chunk.is_err() {
                        break;
                    }
                }
            }
        };
        if let Err(e) = outcome {
            if let Some(f) = &file {
                self.remove(&f.storage_key).await;
            }
            if !form_failed && matches!(e, ApiError::File { .. }) {
                drain(form).await;
            }
            return Err(e);
        }
        match file {
            Some(file) => Ok(Upload { file, fields }),
            None => Err(ApiError::field("file", "required", "Приложите файл")),
        }
    }

    /// Keeps the stored file when `result` is a success, removes it otherwise: what the
    /// use case refused (an unknown kind, someone else's appeal) leaves nothing behind.
    pub async fn settle<T>(
        &self,
        upload: &Upload,
        result: Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        if result.is_err() {
            self.remove(&upload.file.storage_key).await;
        }
        result
    }
}

async fn read_text(form: &UploadForm, field: &mut Field, name: &str) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = form.chunk(field).await {
        let chunk = chunk.map_err(multipart_error)?;
        if bytes.len() + chunk.len() > TEXT_LIMIT {
            return Err(ApiError::field(
                name,
                "too_long",
                "Слишком длинное значение",
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| ApiError::field(name, "invalid", "Значение не в кодировке UTF-8"))?;
    if text.contains('\0') {
        return Err(ApiError::field(
            name,
            "control_character",
            "Текст не может содержать символ NUL",
        ));
    }
    Ok(text.trim().to_owned())
}

/// Reads the rest of a refused form without keeping it, up to [`DRAIN_LIMIT`], so that
/// a client still sending reads the answer rather than a reset connection.
async fn drain(mut form: UploadForm) {
    while let Some(Ok(mut field)) = form.part().await {
        if !drain_field(&form, &mut field, 0).await {
            return;
        }
    }
}

/// Reads the rest of a field without keeping it; `false` when it failed or went past
/// [`DRAIN_LIMIT`] (then the form is not read on).
async fn drain_field(form: &UploadForm, field: &mut Field, mut read: u64) -> bool {
    while let Some(chunk) = form.chunk(field).await {
        match chunk {
            Ok(chunk) => {
                read += chunk.len() as u64;
                if read > DRAIN_LIMIT {
                    return false;
                }
            }
            Err(_) => return false,
        }
    }
    true
}

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::Payload(PayloadError::Overflow) => ApiError::PayloadTooLarge,
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::File {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: ProblemCode::UnsupportedMediaType,
            detail: "Отправьте форму как multipart/form-data".into(),
        },
        _ => ApiError::BadRequest("Форма multipart/form-data повреждена или оборвана".into()),
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII stand-in for old clients
/// and the exact UTF-8 name for the rest (RFC 6266 §4.3).
fn disposition(name: &str) -> ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_names_get_an_ascii_stand_in_and_the_exact_utf8_name() {
        let header = disposition("Паспорт 1.pdf").to_string();
        assert!(
            header.starts_with("attachment; filename=\"_______ 1.pdf\""),
            "{header}"
        );
        assert!(
            header.contains("filename*=UTF-8''%D0%9F%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82%201.pdf"),
            "{header}"
        );
    }

    #[test]
    fn a_directory_is_created_and_an_unknown_store_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("files");
        assert!(FileStore::open(path.to_str().unwrap()).is_ok());
        assert!(path.is_dir());
        assert!(FileStore::open("nosuchscheme://bucket").is_err());
    }
}
