//! What the centre accepts as an uploaded file (SPEC §7: «PDF, JPG или PNG, не более
//! 5 МБ, проверяются по содержимому, а не по имени»). The type is judged from the bytes
//! by the caller (a content sniffer) and handed here as a MIME type; the name and the
//! type the client declared are never trusted.

use serde::{Deserialize, Serialize};

/// SPEC §7: the largest file the portal keeps.
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// How many bytes at the end of a PDF are searched for its `%%EOF` marker. The PDF
/// standard allows trailing bytes after it; a kilobyte covers what real writers add.
pub const PDF_TAIL: usize = 1024;

/// A kind of content the portal accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

crate::coded_enum!(FileType {
    Pdf => ("pdf", "Документ PDF"),
    Jpeg => ("jpeg", "Изображение JPEG"),
    Png => ("png", "Изображение PNG"),
});

impl FileType {
    /// The MIME type a download is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    /// The extension a file of this type is named with.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }

    /// The accepted type of a sniffed MIME type; `None` for everything else.
    pub fn from_mime(mime: &str) -> Option<FileType> {
        match mime {
            "application/pdf" => Some(FileType::Pdf),
            "image/jpeg" => Some(FileType::Jpeg),
            "image/png" => Some(FileType::Png),
            _ => None,
        }
    }
}

/// Why an upload was refused. Each has a Russian message the citizen reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is over {MAX_FILE_SIZE} bytes")]
    TooLarge,
    /// The content is not PDF, JPEG or PNG, whatever its name says. `detected` is the
    /// sniffed MIME type, when there was one.
    #[error("the content is not PDF, JPEG or PNG")]
    UnsupportedType { detected: Option<String> },
    /// It starts like a PDF but its end is missing: a broken or cut-off transfer.
    #[error("the PDF has no end-of-file marker")]
    TruncatedPdf,
}

impl UploadError {
    /// What the citizen reads.
    pub fn message(&self) -> String {
        match self {
            UploadError::Empty => "Файл пустой".into(),
            UploadError::TooLarge => "Файл больше 5 МБ".into(),
            UploadError::UnsupportedType { .. } => {
                "Принимаются только файлы PDF, JPG и PNG (тип определяется по содержимому)".into()
            }
            UploadError::TruncatedPdf => "Файл PDF повреждён или загружен не полностью".into(),
        }
    }
}

/// Whether `size` more bytes still fit: the limit is checked while reading, so an
/// oversized upload is refused without being read whole.
pub fn within_limit(size: u64) -> Result<(), UploadError> {
    if size > MAX_FILE_SIZE {
        Err(UploadError::TooLarge)
    } else {
        Ok(())
    }
}

/// Decides on a file once it has been read: its size, its sniffed MIME type and its
/// last bytes (at most [`PDF_TAIL`]).
pub fn accept(size: u64, detected: Option<&str>, tail: &[u8]) -> Result<FileType, UploadError> {
    if size == 0 {
        return Err(UploadError::Empty);
    }
    within_limit(size)?;
    let file_type =
        detected
            .and_then(FileType::from_mime)
            .ok_or_else(|| UploadError::UnsupportedType {
                detected: detected.map(str::to_owned),
            })?;
    if file_type == FileType::Pdf && !contains(tail, b"%%EOF") {
        return Err(UploadError::TruncatedPdf);
    }
    Ok(file_type)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The longest file name kept, in characters.
const MAX_NAME: usize = 120;

/// The name a stored file is shown and downloaded under: the last path segment of what
/// the client sent, without control characters, and with the extension of the type the
/// content really is (a PNG sent as `scan.pdf` is kept as `scan.png`). Never used to
/// build a storage key.
pub fn display_name(sent: Option<&str>, file_type: FileType) -> String {
    let base = sent
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect::<String>();
    let base = base.trim();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) => stem.trim(),
        None => base,
    };
    let stem: String = if stem.is_empty() {
        "файл".into()
    } else {
        stem.chars().take(MAX_NAME).collect()
    };
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF_END: &[u8] = b"trailer\n<<>>\nstartxref\n0\n%%EOF\n";

    #[test]
    fn accepts_the_three_types_by_content() {
        assert_eq!(
            accept(10, Some("application/pdf"), PDF_END),
            Ok(FileType::Pdf)
        );
        assert_eq!(accept(10, Some("image/jpeg"), b""), Ok(FileType::Jpeg));
        assert_eq!(accept(10, Some("image/png"), b""), Ok(FileType::Png));
    }

    #[test]
    fn refuses_empty_oversized_unknown_and_truncated() {
        assert_eq!(
            accept(0, Some("application/pdf"), PDF_END),
            Err(UploadError::Empty)
        );
        assert_eq!(
            accept(MAX_FILE_SIZE + 1, Some("image/png"), b""),
            Err(UploadError::TooLarge)
        );
        assert_eq!(
            accept(MAX_FILE_SIZE, Some("image/png"), b""),
            Ok(FileType::Png)
        );
        assert_eq!(
            accept(10, Some("application/x-executable"), b""),
            Err(UploadError::UnsupportedType {
                detected: Some("application/x-executable".into())
            })
        );
        assert_eq!(
            accept(10, None, b""),
            Err(UploadError::UnsupportedType { detected: None })
        );
        assert_eq!(
            accept(10, Some("application/pdf"), b"1 0 obj\n<<>>\nendobj"),
            Err(UploadError::TruncatedPdf)
        );
    }

    #[test]
    fn the_limit_is_checked_while_reading() {
        assert!(within_limit(MAX_FILE_SIZE).is_ok());
        assert_eq!(within_limit(MAX_FILE_SIZE + 1), Err(UploadError::TooLarge));
    }

    #[test]
    fn every_refusal_has_a_russian_message() {
        for e in [
            UploadError::Empty,
            UploadError::TooLarge,
            UploadError::UnsupportedType { detected: None },
            UploadError::TruncatedPdf,
        ] {
            assert!(e.message().chars().any(|c| ('а'..='я').contains(&c)));
        }
    }

    #[test]
    fn display_names_follow_the_content() {
        assert_eq!(display_name(Some("скан.pdf"), FileType::Png), "скан.png");
        assert_eq!(
            display_name(Some("C:\\Users\\me\\паспорт.PDF"), FileType::Pdf),
            "паспорт.pdf"
        );
        assert_eq!(
            display_name(Some("../../etc/passwd"), FileType::Jpeg),
            "passwd.jpg"
        );
        assert_eq!(display_name(None, FileType::Pdf), "файл.pdf");
        assert_eq!(display_name(Some(".pdf"), FileType::Pdf), "файл.pdf");
        assert_eq!(display_name(Some("a\"b\n.png"), FileType::Png), "ab.png");
        let long = "я".repeat(500);
        assert_eq!(
            display_name(Some(&long), FileType::Pdf).chars().count(),
            MAX_NAME + 4
        );
    }
}
