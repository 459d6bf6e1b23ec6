//! What the server writes to its log: the acting account's id on each request line,
//! and at `info` no e-mail address, password, token or identifier of a person.

use std::time::Duration;

use portal_tests::processes;
use portal_tests::{citizen_body, empty_database, PASSWORD};
use serde_json::{json, Value};

#[tokio::test]
async fn the_log_names_accounts_by_id_and_keeps_personal_data_out() {
    let empty = empty_database().await;
    let files = tempfile::tempdir().unwrap();
    let (portal, log) = processes::start_logged(
        &empty.url,
        &[
            ("RUST_LOG", "info".into()),
            ("PORTAL_LOG_FORMAT", "json".into()),
            ("PORTAL_MAIL_LOG", "1".into()),
            ("PORTAL_MAIL_INTERVAL_MS", "50".into()),
            ("PORTAL_FILES", files.path().to_string_lossy().into_owned()),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{}{path}", portal.base))
            .json(&body)
            .send()
    };
    let mut body = citizen_body("hygiene.person");
    body["email"] = json!("hygiene.person@example.ru");
    body["snils"] = json!("112-233-445 95");
    let registered: Value = post("/auth/register", body)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let user_id = registered["user_id"]
        .as_str()
        .expect("registered")
        .to_owned();
    let signed: Value = post(
        "/auth/login",
        json!({"login": "hygiene.person", "password": PASSWORD}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let access = signed["access_token"].as_str().unwrap().to_owned();
    let refresh = signed["refresh_token"].as_str().unwrap().to_owned();
    let me = client
        .get(format!("{}/me", portal.base))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    // A wrong password, and an e-mail through the outbox (a reset link, written to the log).
    post(
        "/auth/login",
        json!({"login": "hygiene.person", "password": "Wrong-password-1"}),
    )
    .await
    .unwrap();
    post("/auth/password-reset", json!({"login": "hygiene.person"}))
        .await
        .unwrap();

    let mut text = String::new();
    for _ in 0..100 {
        text = log.text();
        if text.contains("e-mail written to the log only") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        text.contains("e-mail written to the log only"),
        "the reset e-mail went through the log sink: {text}"
    );
    let served_for_me = text
        .lines()
        .filter(|l| l.contains("\"served\"") && l.contains("/api/v1/me"))
        .collect::<Vec<_>>();
    assert!(
        served_for_me.iter().any(|l| l.contains(&user_id)),
        "the request line of GET /me names the account: {served_for_me:?}"
    );
    for secret in [
        "hygiene.person@example.ru",
        "hygiene.person",
        PASSWORD,
        "Wrong-password-1",
        access.as_str(),
        refresh.as_str(),
        "11223344595",
        "112-233-445 95",
        "password-reset?token=",
    ] {
        assert!(!text.contains(secret), "the log holds {secret:?}: {text}");
    }
}
