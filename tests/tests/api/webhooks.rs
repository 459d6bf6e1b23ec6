//! Webhooks for integrators (issue 18): a real receiver on 127.0.0.1 gets signed
//! deliveries of the organisation's events, a failure is retried, the log shows each
//! delivery's state; URLs into the portal's own network are refused; only the admin
//! manages the organisation's subscriptions.

use base64::Engine;
use hmac::{Hmac, Mac};
use portal_tests::receiver::{Delivered, Receiver};
use portal_tests::{spawn_app, spawn_app_with, Session, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::interviews::negotiating;

/// A server whose subscriptions may name the local receiver.
async fn local_app() -> TestApp {
    spawn_app_with(|s| s.webhooks.webhooks_allow_private = true).await
}

async fn subscribe(app: &TestApp, admin: &Session, url: &str, events: &[&str]) -> Value {
    app.post(
        "/employer/webhooks",
        Some(&admin.access),
        json!({"url": url, "events": events, "description": "CRM"}),
    )
    .await
    .expect(201)
    .body
}

/// Checks the signature as a receiver must: HMAC-SHA256 over
/// `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the secret's bytes.
fn assert_signed(delivery: &Delivered, secret: &str) {
    let engine = base64::engine::general_purpose::STANDARD;
    let key = engine
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .unwrap();
    assert_eq!(key.len(), 32);
    let content = format!(
        "{}.{}.{}",
        delivery.header("webhook-id"),
        delivery.header("webhook-timestamp"),
        delivery.body
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(content.as_bytes());
    let expected = format!("v1,{}", engine.encode(mac.finalize().into_bytes()));
    assert_eq!(delivery.header("webhook-signature"), expected);
    let sent_at: i64 = delivery.header("webhook-timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 60);
}

async fn deliveries(app: &TestApp, admin: &Session, webhook: &str) -> Value {
    app.get(
        &format!("/employer/webhooks/{webhook}/deliveries"),
        Some(&admin.access),
    )
    .await
    .expect(200)
    .body
}

/// Waits for the log to show an attempt of the first delivery (the receiver hears it
/// a moment before the sender records the answer).
async fn attempted(app: &TestApp, admin: &Session, webhook: &str) -> Value {
    for _ in 0..200 {
        let entry = deliveries(app, admin, webhook).await["items"][0].clone();
        if entry["attempts"].as_i64().unwrap_or(0) >= 1 {
            return entry;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no attempt recorded");
}

/// Waits for the log to show the first delivery in `status`.
async fn settled(app: &TestApp, admin: &Session, webhook: &str, status: &str) -> Value {
    for _ in 0..200 {
        let log = deliveries(app, admin, webhook).await;
        if log["items"][0]["status"]["code"] == status {
            return log;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no delivery became {status}");
}

#[tokio::test]
async fn a_response_to_the_vacancy_is_delivered_signed() {
    let app = local_app().await;
    let story = negotiating(&app).await;
    let receiver = Receiver::start(&[]).await;
    let made = subscribe(
        &app,
        &story.employer,
        &receiver.url(),
        &["response.created"],
    )
    .await;
    let secret = made["secret"].as_str().unwrap().to_owned();
    let webhook = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["events"], json!(["response.created"]));
    assert_eq!(made["active"], true);
    // The secret is answered once, never again.
    let read = app
        .get(
            &format!("/employer/webhooks/{webhook}"),
            Some(&story.employer.access),
        )
        .await
        .expect(200)
        .body;
    assert!(read.get("secret").is_none(), "{read}");
    assert_eq!(read["url"], receiver.url());

    let responded = app
        .post(
            &format!(
                "/citizen/job-search-applications/{}/responses",
                story.application
            ),
            Some(&story.citizen.access),
            json!({"vacancy_id": story.vacancy, "cover_letter": "Готов выйти через неделю"}),
        )
        .await
        .expect(201)
        .body;
    let got = receiver.wait_for(1, 10).await;
    assert_eq!(got.len(), 1, "one delivery");
    let delivery = &got[0];
    assert_signed(delivery, &secret);
    assert_eq!(delivery.header("content-type"), "application/json");
    let body: Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(body["type"], "response.created");
    assert_eq!(body["id"], delivery.header("webhook-id"));
    assert!(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).is_ok());
    assert_eq!(body["data"]["response_id"], responded["id"]);
    assert_eq!(body["data"]["vacancy_id"], story.vacancy.as_str());
    assert_eq!(body["data"]["vacancy_title"], "Повар");
    assert!(body["occurred_at"].as_str().unwrap().ends_with('Z'));
    let org = app
        .get("/employer/organization", Some(&story.employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(body["organization_id"], org["id"]);

    let log = settled(&app, &story.employer, &webhook, "delivered").await;
    assert_eq!(log["total"], 1);
    let entry = &log["items"][0];
    assert_eq!(entry["event_id"], body["id"]);
    assert_eq!(entry["event_type"], "response.created");
    assert_eq!(entry["attempts"], 1);
    assert_eq!(entry["last_status"], 200);
    assert!(entry["delivered_at"].is_string());
    assert!(entry["next_attempt_at"].is_null());

    // Another organisation's admin finds no such subscription.
    let other = &story.stranger_org;
    for path in [
        format!("/employer/webhooks/{webhook}"),
        format!("/employer/webhooks/{webhook}/deliveries"),
    ] {
        app.get(&path, Some(&other.access))
            .await
            .expect_problem(404, "not_found");
    }
    app.patch(
        &format!("/employer/webhooks/{webhook}"),
        Some(&other.access),
        json!({"active": false}),
    )
    .await
    .expect_problem(404, "not_found");
    app.delete(
        &format!("/employer/webhooks/{webhook}"),
        Some(&other.access),
    )
    .await
    .expect_problem(404, "not_found");
    let theirs = app
        .get("/employer/webhooks", Some(&other.access))
        .await
        .expect(200)
        .body;
    assert_eq!(theirs, json!([]));
}

#[tokio::test]
async fn a_failed_delivery_is_retried_and_the_log_shows_it() {
    let app = local_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let receiver = Receiver::start(&[500]).await;
    let made = subscribe(&app, &admin, &receiver.url(), &["report.accepted"]).await;
    let (webhook, secret) = (
        made["id"].as_str().unwrap().to_owned(),
        made["secret"].as_str().unwrap().to_owned(),
    );
    let report = app
        .post(
            "/employer/reports",
            Some(&member.access),
            json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}}),
        )
        .await
        .expect(201)
        .body;
    let got = receiver.wait_for(2, 15).await;
    assert_eq!(got.len(), 2, "the first attempt failed, the retry came");
    assert_eq!((got[0].answered, got[1].answered), (500, 200));
    // The same event, the same bytes, signed afresh.
    assert_eq!(got[0].header("webhook-id"), got[1].header("webhook-id"));
    assert_eq!(got[0].body, got[1].body);
    assert_signed(&got[0], &secret);
    assert_signed(&got[1], &secret);
    let body: Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(body["type"], "report.accepted");
    assert_eq!(body["data"]["report_id"], report["report"]["id"]);
    assert_eq!(body["data"]["appeal_id"], report["appeal"]["id"]);
    assert_eq!(body["data"]["appeal_number"], report["appeal"]["number"]);
    assert_eq!(body["data"]["kind"], "informal_employment");

    let log = settled(&app, &admin, &webhook, "delivered").await;
    let entry = &log["items"][0];
    assert_eq!(entry["attempts"], 2);
    assert_eq!(entry["last_status"], 200);
    assert_eq!(
        entry["status"],
        json!({"code": "delivered", "title": "Доставлено"})
    );
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_retried_then_paused_deliveries_wait() {
    let app = local_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let staff = app.staff("hooks-desk").await;
    let receiver = Receiver::start(&[503, 503, 503, 503, 503, 503]).await;
    let made = subscribe(&app, &admin, &receiver.url(), &["appeal.status_changed"]).await;
    let webhook = made["id"].as_str().unwrap().to_owned();
    let appeal = app.file_appeal(&member.access, "Вопрос работодателя").await;
    let appeal_id = appeal["id"].as_str().unwrap();
    app.transition(&staff.access, appeal_id, "in_progress", None)
        .await
        .expect(200);
    let got = receiver.wait_for(1, 10).await;
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "appeal.status_changed");
    assert_eq!(body["data"]["appeal_id"], appeal_id);
    assert_eq!(body["data"]["appeal_number"], appeal["number"]);
    assert_eq!(body["data"]["from"], "registered");
    assert_eq!(body["data"]["to"], "in_progress");
    // While it fails the log says when the next attempt comes.
    let entry = &attempted(&app, &admin, &webhook).await;
    assert_eq!(entry["status"]["code"], "pending");
    assert!(entry["next_attempt_at"].is_string());
    assert_eq!(entry["last_status"], 503);
    assert!(entry["attempts"].as_i64().unwrap() >= 1);
    assert!(entry["last_error"].as_str().unwrap().contains("503"));

    // Paused, it gets no new events.
    app.patch(
        &format!("/employer/webhooks/{webhook}"),
        Some(&admin.access),
        json!({"active": false}),
    )
    .await
    .expect(200);
    app.transition(&staff.access, appeal_id, "completed", Some("Готово"))
        .await
        .expect(200);
    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log["total"], 1, "no event queued while paused");
    // Deleted, it is gone with its deliveries.
    app.delete(
        &format!("/employer/webhooks/{webhook}"),
        Some(&admin.access),
    )
    .await
    .expect(204);
    app.get(
        &format!("/employer/webhooks/{webhook}"),
        Some(&admin.access),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn urls_into_the_portals_network_are_refused() {
    let app = spawn_app().await;
    let (admin, _) = app.organization("1027700132195", "7707083893").await;
    for (url, code) in [
        ("https://127.0.0.1/hooks", "webhook_url_not_public"),
        ("https://10.0.0.1/hooks", "webhook_url_not_public"),
        (
            "https://169.254.169.254/latest/meta-data",
            "webhook_url_not_public",
        ),
        ("https://[::1]:8443/hooks", "webhook_url_not_public"),
        ("https://localhost/hooks", "webhook_url_not_public"),
        ("http://hooks.example.ru/in", "webhook_url_not_https"),
        (
            "https://user:secret@hooks.example.ru/in",
            "webhook_url_invalid",
        ),
        ("hooks.example.ru", "webhook_url_invalid"),
    ] {
        let r = app
            .post(
                "/employer/webhooks",
                Some(&admin.access),
                json!({"url": url, "events": ["response.created"]}),
            )
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), ["url"], "{url}");
        assert_eq!(r.body["errors"][0]["code"], code, "{url}");
    }
    let none = app
        .get("/employer/webhooks", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(none, json!([]), "nothing was subscribed");
    // The receiver's own address is refused without the test setting too.
    let receiver = Receiver::start(&[]).await;
    app.post(
        "/employer/webhooks",
        Some(&admin.access),
        json!({"url": receiver.url(), "events": ["response.created"]}),
    )
    .await
    .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn only_the_admin_manages_webhooks_and_within_the_limit() {
    let app = local_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let citizen = app.citizen("hooks-citizen").await;
    let url = "http://127.0.0.1:9/hooks";
    let made = subscribe(&app, &admin, url, &["report.accepted"]).await;
    let id = made["id"].as_str().unwrap();
    let body = json!({"url": url, "events": ["report.accepted"]});
    app.post("/employer/webhooks", Some(&member.access), body.clone())
        .await
        .expect_problem(403, "not_admin");
    app.get("/employer/webhooks", Some(&member.access))
        .await
        .expect_problem(403, "not_admin");
    app.get(
        &format!("/employer/webhooks/{id}/deliveries"),
        Some(&member.access),
    )
    .await
    .expect_problem(403, "not_admin");
    app.delete(&format!("/employer/webhooks/{id}"), Some(&member.access))
        .await
        .expect_problem(403, "not_admin");
    app.get("/employer/webhooks", Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
    let r = app
        .post(
            "/employer/webhooks",
            Some(&admin.access),
            json!({"url": url, "events": []}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["events"]);
    for _ in 1..10 {
        subscribe(&app, &admin, url, &["report.accepted"]).await;
    }
    app.post("/employer/webhooks", Some(&admin.access), body)
        .await
        .expect_problem(409, "limit_reached");
    let all = app
        .get("/employer/webhooks", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(all.as_array().unwrap().len(), 10);
}

/// A subscription whose host came to resolve into the portal's network (or was stored
/// before the rules) gets nothing: the check runs again as each delivery connects.
#[tokio::test]
async fn deliveries_never_connect_into_the_portals_network() {
    let app = spawn_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let receiver = Receiver::start(&[]).await;
    let org = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let urls = [
        format!("https://localhost:{}/hooks", receiver.port),
        format!("https://127.0.0.1:{}/hooks", receiver.port),
        receiver.url(),
    ];
    let created_by = admin.user_id.clone();
    let stored = urls.clone();
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use persistence::schema::webhook_subscriptions as subs;
        for url in stored {
            let now = chrono::Utc::now().naive_utc();
            diesel::insert_into(subs::table)
                .values((
                    subs::id.eq(persistence::new_id()),
                    subs::organization_id.eq(&org),
                    subs::url.eq(url),
                    subs::secret.eq(api::webhooks::new_secret()),
                    subs::events.eq("report.accepted"),
                    subs::active.eq(true),
                    subs::created_by.eq(&created_by),
                    subs::created_at.eq(now),
                    subs::updated_at.eq(now),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
    app.post(
        "/employer/reports",
        Some(&member.access),
        json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}}),
    )
    .await
    .expect(201);
    let hooks = app
        .get("/employer/webhooks", Some(&admin.access))
        .await
        .expect(200)
        .body;
    let hooks = hooks.as_array().unwrap();
    assert_eq!(hooks.len(), 3);
    for hook in hooks {
        let entry = attempted(&app, &admin, hook["id"].as_str().unwrap()).await;
        assert_eq!(entry["status"]["code"], "pending", "{hook}");
        assert!(entry["last_status"].is_null(), "{entry}");
        let error = entry["last_error"].as_str().unwrap();
        let expected = if hook["url"].as_str().unwrap().starts_with("http:") {
            "only https"
        } else {
            "not on the public Internet"
        };
        assert!(error.contains(expected), "{}: {error}", hook["url"]);
    }
    assert!(
        receiver.wait_for(1, 1).await.is_empty(),
        "nothing reached it"
    );
}
