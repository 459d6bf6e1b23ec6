//! Uploads and downloads for the file tests: sample contents of each kind, a
//! `multipart/form-data` body built by hand (names in raw UTF-8, as browsers send
//! them), and a look into the object store's directory.

use serde_json::Value;

use crate::{Resp, TestApp};

/// A small, complete PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// The start of a PNG (the signature and an IHDR chunk).
pub fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
    ]);
    b.extend_from_slice(&[0; 16]);
    b
}

/// The start of a JPEG.
pub fn jpeg() -> Vec<u8> {
    let mut b = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
    ];
    b.extend_from_slice(&[0; 32]);
    b
}

/// An ELF executable's header.
pub fn executable() -> Vec<u8> {
    let mut b = vec![0x7F, b'E', b'L', b'F', 2, 1, 1, 0];
    b.extend_from_slice(&[0; 56]);
    b
}

/// One part of a form.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        bytes: Vec<u8>,
    },
}

/// A file part named `file`, declared as `application/pdf` whatever it is.
pub fn file_part(file_name: &str, bytes: Vec<u8>) -> Part<'_> {
    Part::File {
        name: "file",
        file_name,
        content_type: "application/pdf",
        bytes,
    }
}

const BOUNDARY: &str = "----portal-test-boundary-7MA4YWxkTrZu0gW";

pub fn form(parts: Vec<Part<'_>>) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File {
                name,
                file_name,
                content_type,
                bytes,
            } => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(&bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A download, read whole.
pub struct Download {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    /// Posts a form to `path`.
    pub async fn upload(&self, path: &str, token: &str, parts: Vec<Part<'_>>) -> Resp {
        self.post_raw(
            path,
            Some(token),
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            form(parts),
        )
        .await
    }

    /// Uploads a document of `kind`.
    pub async fn upload_document(
        &self,
        token: &str,
        kind: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        self.upload(
            "/citizen/documents",
            token,
            vec![Part::Text("kind", kind), file_part(file_name, bytes)],
        )
        .await
    }

    /// GETs a file, keeping its bytes.
    pub async fn download(&self, path: &str, token: &str, if_none_match: Option<&str>) -> Download {
        let mut req = self.client.get(self.url(path)).bearer_auth(token);
        if let Some(tag) = if_none_match {
            req = req.header("if-none-match", tag);
        }
        let res = req.send().await.expect("the server answers");
        Download {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            bytes: res.bytes().await.expect("a body").to_vec(),
        }
    }

    /// Every object in the store's directory (staging files included).
    pub fn stored_objects(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            if let Ok(entries) = std::fs::read_dir(dir) {
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p, out);
                    } else {
                        out.push(p);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(self.files_dir.path(), &mut out);
        out
    }
}

/// The `id` of a created resource.
pub fn id_of(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}
