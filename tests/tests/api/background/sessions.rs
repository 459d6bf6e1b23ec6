//! A session ended or an account blocked through one process stops writes through
//! every other at once: each process remembers recent session checks for its reads,
//! but a write checks the session in the shared database.

use portal_tests::processes::{self, Portal};
use portal_tests::{citizen_body, employer_body, empty_database, EmptyDatabase, PASSWORD};
use serde_json::{json, Value};

/// Two servers on one PostgreSQL database that each trust a checked session, and keep
/// the totals of shared lists, for a minute (far longer than the test): only the change
/// feed can make them see the other's changes in time. `None` on SQLite, which serves one
/// process.
pub(super) async fn two_servers() -> Option<(EmptyDatabase, String, Portal, Portal)> {
    if !processes::on_postgres() {
        eprintln!("skipped: two processes share a database only on PostgreSQL");
        return None;
    }
    let empty = empty_database().await;
    let centre = portal_tests::insert_centre(&empty.db, "101", "ГКУ ЦЗН «Центральный»").await;
    let env = [
        ("PORTAL_SESSION_CACHE_SECONDS", "60".to_owned()),
        ("PORTAL_CABINET_CACHE_SECONDS", "60".to_owned()),
        ("PORTAL_MAIL_LOG", "1".to_owned()),
    ];
    let (a, b) = tokio::join!(
        processes::start(&empty.url, &env),
        processes::start(&empty.url, &env)
    );
    Some((empty, centre, a, b))
}

pub(super) async fn call(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

pub(super) async fn post(
    server: &Portal,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    call(
        reqwest::Method::POST,
        format!("{}{path}", server.base),
        token,
        Some(body),
    )
    .await
}

pub(super) async fn get(server: &Portal, path: &str, token: &str) -> (u16, Value) {
    call(
        reqwest::Method::GET,
        format!("{}{path}", server.base),
        Some(token),
        None,
    )
    .await
}

pub(super) fn token(body: &Value) -> String {
    body["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

#[tokio::test]
async fn a_sign_out_through_one_process_stops_writes_through_the_other() {
    let Some((_db, centre, a, b)) = two_servers().await else {
        return;
    };
    let mut body = citizen_body("two.anna");
    body["centre_id"] = json!(centre);
    let (status, registered) = post(&a, "/auth/register", None, body).await;
    assert_eq!(status, 201, "{registered}");
    let access = token(&registered);
    // B checks the session once and remembers it for its reads.
    assert_eq!(get(&b, "/me", &access).await.0, 200);

    let (status, _) = post(&a, "/auth/logout", Some(&access), json!({})).await;
    assert_eq!(status, 204);
    let draft = json!({"kind": "appeal", "payload": {"type": "general_inquiry", "body": "Вопрос"}});
    let (status, refused) = post(&b, "/drafts", Some(&access), draft).await;
    assert_eq!(
        status, 401,
        "a write through B after the sign-out through A: {refused}"
    );
}

#[tokio::test]
async fn an_account_blocked_through_one_process_writes_nothing_through_the_other() {
    let Some((_db, centre, a, b)) = two_servers().await else {
        return;
    };
    let mut body = employer_body(
        "two.admin",
        "1027700132195",
        "7707083893",
        Some("773601001"),
    );
    body["organization"]["centre_id"] = json!(centre);
    let (status, registered) = post(&a, "/auth/register/employer", None, body).await;
    assert_eq!(status, 201, "{registered}");
    let admin = token(&registered);
    let (status, contact) = post(
        &a,
        "/employer/contacts",
        Some(&admin),
        json!({"last_name": "Сотрудник", "first_name": "Пётр"}),
    )
    .await;
    assert_eq!(status, 201, "{contact}");
    let contact = contact["id"].as_str().unwrap().to_owned();
    let (status, _) = post(
        &a,
        &format!("/employer/contacts/{contact}/account"),
        Some(&admin),
        json!({"login": "two.member", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, signed_in) = post(
        &b,
        "/auth/login",
        None,
        json!({"login": "two.member", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{signed_in}");
    let member = token(&signed_in);
    let draft = json!({"kind": "report", "payload": {}});
    let (status, saved) = post(&b, "/drafts", Some(&member), draft.clone()).await;
    assert_eq!(status, 201, "the member writes through B: {saved}");

    let (status, _) = post(
        &a,
        &format!("/employer/contacts/{contact}/block"),
        Some(&admin),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, refused) = post(&b, "/drafts", Some(&member), draft).await;
    assert!(
        status == 401 || status == 403,
        "a write through B after the block through A: {status} {refused}"
    );
    assert_eq!(refused["code"], "account_blocked", "{refused}");
}
