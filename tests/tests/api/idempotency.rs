//! `Idempotency-Key` on the creating requests (issue 18): a retry answers the first
//! result and creates nothing more; the key is the account's own.

use futures_util::future::join_all;
use portal_tests::files::{id_of, pdf};
use portal_tests::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

async fn keyed(app: &TestApp, path: &str, token: &str, key: &str, body: &Value) -> Resp {
    let req = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body);
    app.send(req).await
}

async fn total(app: &TestApp, path: &str, token: &str) -> u64 {
    let r = app.get(path, Some(token)).await.expect(200);
    r.body["total"].as_u64().expect("a total")
}

fn inquiry(text: &str) -> Value {
    json!({"type": "general_inquiry", "body": text})
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_appeal() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.retry").await;
    let body = inquiry("Повторный запрос не должен создать второе обращение");

    let first = keyed(&app, "/appeals", &citizen.access, "key-1", &body)
        .await
        .expect(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = keyed(&app, "/appeals", &citizen.access, "key-1", &body)
        .await
        .expect(201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["number"], first.body["number"]);
    assert_eq!(again.header("location"), first.header("location"));
    assert!(first.header("location").is_some());
    assert_eq!(again.header("content-type"), Some("application/json"));
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.reused").await;
    keyed(
        &app,
        "/appeals",
        &citizen.access,
        "key-2",
        &inquiry("Первое"),
    )
    .await
    .expect(201);
    keyed(
        &app,
        "/appeals",
        &citizen.access,
        "key-2",
        &inquiry("Другое"),
    )
    .await
    .expect_problem(422, "idempotency_key_reused");
    // Another path with the key is another request too.
    keyed(
        &app,
        "/citizen/services/career_guidance/requests",
        &citizen.access,
        "key-2",
        &inquiry("Первое"),
    )
    .await
    .expect_problem(422, "idempotency_key_reused");
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);
}

#[tokio::test]
async fn keys_are_each_accounts_own() {
    let app = spawn_app().await;
    let ann = app.citizen("idem.ann").await;
    let bob = app.citizen("idem.bob").await;
    let body = inquiry("Одинаковый текст");
    let a = keyed(&app, "/appeals", &ann.access, "shared", &body)
        .await
        .expect(201);
    let b = keyed(&app, "/appeals", &bob.access, "shared", &body)
        .await
        .expect(201);
    assert_eq!(b.header("idempotent-replayed"), None);
    assert_ne!(a.body["id"], b.body["id"]);
    assert_eq!(total(&app, "/appeals", &ann.access).await, 1);
    assert_eq!(total(&app, "/appeals", &bob.access).await, 1);
    // Bob's key with another body does not touch Ann's.
    keyed(&app, "/appeals", &bob.access, "other", &inquiry("Иное"))
        .await
        .expect(201);
    keyed(&app, "/appeals", &ann.access, "other", &body)
        .await
        .expect(201);
}

#[tokio::test]
async fn identical_requests_at_once_create_one_appeal() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.race").await;
    let body = inquiry("Пять одновременных попыток");
    let answers =
        join_all((0..5).map(|_| keyed(&app, "/appeals", &citizen.access, "race-key", &body))).await;
    let mut created = Vec::new();
    for r in answers {
        match r.status {
            201 => created.push(r.body["id"].clone()),
            409 => {
                r.expect_problem(409, "idempotency_in_progress");
            }
            other => panic!("unexpected {other}: {:#}", r.body),
        }
    }
    assert!(!created.is_empty());
    assert!(created.iter().all(|id| *id == created[0]), "{created:?}");
    // Whatever raced, a retry now gets the one appeal.
    let again = keyed(&app, "/appeals", &citizen.access, "race-key", &body)
        .await
        .expect(201);
    assert_eq!(again.body["id"], created[0]);
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);
}

#[tokio::test]
async fn without_a_key_each_request_creates() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.nokey").await;
    let body = inquiry("Без ключа");
    let a = app
        .post("/appeals", Some(&citizen.access), body.clone())
        .await
        .expect(201);
    let b = app
        .post("/appeals", Some(&citizen.access), body)
        .await
        .expect(201);
    assert_ne!(a.body["id"], b.body["id"]);
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 2);
}

#[tokio::test]
async fn a_malformed_key_is_refused() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.badkey").await;
    let body = inquiry("Ключ с ошибкой");
    let long = "k".repeat(256);
    for key in ["two words", long.as_str(), ""] {
        keyed(&app, "/appeals", &citizen.access, key, &body)
            .await
            .expect_problem(422, "idempotency_key_invalid");
    }
    keyed(&app, "/appeals", &citizen.access, &"k".repeat(255), &body)
        .await
        .expect(201);
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);
}

#[tokio::test]
async fn a_failed_request_frees_its_key() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.failed").await;
    keyed(
        &app,
        "/appeals",
        &citizen.access,
        "k",
        &json!({"type": "general_inquiry"}),
    )
    .await
    .expect_problem(422, "validation_failed");
    keyed(
        &app,
        "/appeals",
        &citizen.access,
        "k",
        &inquiry("Исправленный"),
    )
    .await
    .expect(201);
    // Without a valid token the handler's own 401 answers, and nothing is kept.
    keyed(
        &app,
        "/appeals",
        "not-a-token",
        "k",
        &inquiry("Исправленный"),
    )
    .await
    .expect_problem(401, "token_invalid");
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);
}

#[tokio::test]
async fn a_service_request_and_a_report_are_idempotent() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.service").await;
    let body = json!({"body": "Нужна консультация"});
    let path = "/citizen/services/career_guidance/requests";
    let a = keyed(&app, path, &citizen.access, "svc", &body)
        .await
        .expect(201);
    let b = keyed(&app, path, &citizen.access, "svc", &body)
        .await
        .expect(201);
    assert_eq!(a.body, b.body);
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    assert_eq!(total(&app, "/appeals", &citizen.access).await, 1);

    let (admin, _member) = app.organization("1027700132195", "7707083893").await;
    let report = json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}});
    let first = keyed(&app, "/employer/reports", &admin.access, "rep", &report)
        .await
        .expect(201);
    let again = keyed(&app, "/employer/reports", &admin.access, "rep", &report)
        .await
        .expect(201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(total(&app, "/employer/reports", &admin.access).await, 1);
}

/// A form of one PDF with `boundary`, as a client that draws a boundary per request
/// sends it.
fn form(boundary: &str, kind: &str) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&pdf());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, key: &str, boundary: &str, kind: &str) -> Resp {
    let req = app
        .client
        .post(app.url("/citizen/documents"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form(boundary, kind));
    app.send(req).await
}

#[tokio::test]
async fn an_upload_retried_with_a_new_boundary_stores_one_document() {
    let app = spawn_app().await;
    let citizen = app.citizen("idem.upload").await;
    let first = upload(&app, &citizen.access, "up", "aaaa1111", "passport")
        .await
        .expect(201);
    let again = upload(&app, &citizen.access, "up", "bbbbbbbb2222", "passport")
        .await
        .expect(201);
    assert_eq!(id_of(&again.body), id_of(&first.body));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    upload(&app, &citizen.access, "up", "cccc", "education")
        .await
        .expect_problem(422, "idempotency_key_reused");
    assert_eq!(total(&app, "/citizen/documents", &citizen.access).await, 1);
}
