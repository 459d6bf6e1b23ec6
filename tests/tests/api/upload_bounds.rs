//! Upload forms are bounded as they are read, with or without an `Idempotency-Key`:
//! too many parts, part headers that never end, or a body past the limit answer 413
//! and store nothing; a large file in a form of eight parts goes in either way.

use portal_tests::files::pdf;
use portal_tests::spawn_app;

const BOUNDARY: &str = "bound4ry";
const FORM: &str = "multipart/form-data; boundary=bound4ry";

fn text_part(name: &str, value: &str) -> Vec<u8> {
    format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
        .into_bytes()
}

fn file_part(content: &[u8]) -> Vec<u8> {
    let mut part = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"скан.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    part.extend_from_slice(content);
    part.extend_from_slice(b"\r\n");
    part
}

fn end() -> Vec<u8> {
    format!("--{BOUNDARY}--\r\n").into_bytes()
}

/// A valid PDF of about `size` bytes: the padding is a comment after the header.
fn large_pdf(size: usize) -> Vec<u8> {
    let small = pdf();
    let mut out = b"%PDF-1.4\n".to_vec();
    while out.len() + small.len() < size {
        out.extend_from_slice(b"%");
        out.extend(std::iter::repeat_n(b'x', 1022));
        out.push(b'\n');
    }
    out.extend_from_slice(&small["%PDF-1.4\n".len()..]);
    out
}

#[tokio::test]
async fn a_large_file_in_a_full_form_goes_in_with_or_without_a_key() {
    let app = spawn_app().await;
    let citizen = app.citizen("large.uploader").await;
    // Eight parts, the most a form may have: the file and seven text fields.
    let mut form: Vec<u8> = (0..6)
        .flat_map(|i| text_part(&format!("note{i}"), "x"))
        .collect();
    form.extend(
        [
            text_part("kind", "other"),
            file_part(&large_pdf(4 << 20)),
            end(),
        ]
        .concat(),
    );
    app.post_raw(
        "/citizen/documents",
        Some(&citizen.access),
        FORM,
        form.clone(),
    )
    .await
    .expect(201);
    // With a key the middleware reads the body whole and hands it back in one piece.
    let r = app
        .send(
            app.client
                .post(app.url("/citizen/documents"))
                .bearer_auth(&citizen.access)
                .header("content-type", FORM)
                .header("Idempotency-Key", "large-upload-1")
                .body(form),
        )
        .await
        .expect(201);
    assert!(r.body["file"]["size"].as_i64().unwrap() > 4_000_000);
}

#[tokio::test]
async fn a_form_past_its_bounds_answers_413_and_stores_nothing() {
    let app = spawn_app().await;
    let citizen = app.citizen("bounded.uploader").await;
    let token = Some(citizen.access.as_str());

    // A well-formed form still goes in.
    let fine = [text_part("kind", "other"), file_part(&pdf()), end()].concat();
    app.post_raw("/citizen/documents", token, FORM, fine)
        .await
        .expect(201);
    let kept = app.stored_objects().len();

    // Parts by the thousand, a kilobyte each: the form may have a few.
    let mut many: Vec<u8> = (0..2000)
        .flat_map(|_| text_part("kind", &"x".repeat(1000)))
        .collect();
    many.extend([file_part(&pdf()), end()].concat());
    app.post_raw("/citizen/documents", token, FORM, many)
        .await
        .expect_problem(413, "payload_too_large");

    // A part's headers that never end: the parser would hold all of it.
    let mut endless = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nX-Pad: "
    )
    .into_bytes();
    endless.resize(endless.len() + 3 * 1024 * 1024, b'a');
    app.post_raw("/citizen/documents", token, FORM, endless)
        .await
        .expect_problem(413, "payload_too_large");

    // A part nobody reads, past the most of a body ever read (8 × 5 MB and framing).
    let unread = [
        text_part("padding", &"p".repeat(41 * 1024 * 1024)),
        text_part("kind", "other"),
        file_part(&pdf()),
        end(),
    ]
    .concat();
    app.post_raw("/citizen/documents", token, FORM, unread)
        .await
        .expect_problem(413, "payload_too_large");

    assert_eq!(app.stored_objects().len(), kept, "nothing more stored");
    let list = app.get("/citizen/documents", token).await.expect(200).body;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn an_attachment_to_an_appeal_not_yours_is_refused_before_its_form_is_read() {
    let app = spawn_app().await;
    let owner = app.citizen("appeal.owner").await;
    let stranger = app.citizen("appeal.stranger").await;
    let appeal = app
        .post(
            "/appeals",
            Some(&owner.access),
            serde_json::json!({"type": "general_inquiry", "body": "Вопрос"}),
        )
        .await
        .expect(201)
        .body;
    let path = format!("/appeals/{}/attachments", appeal["id"].as_str().unwrap());
    // A form that reading would refuse (too many parts): the appeal answers first.
    let mut form: Vec<u8> = (0..9)
        .flat_map(|i| text_part(&format!("p{i}"), "x"))
        .collect();
    form.extend([file_part(&pdf()), end()].concat());
    app.post_raw(&path, Some(&stranger.access), FORM, form.clone())
        .await
        .expect_problem(404, "not_found");
    app.post_raw(&path, Some(&owner.access), FORM, form)
        .await
        .expect_problem(413, "payload_too_large");
    assert!(app.stored_objects().is_empty());
}
