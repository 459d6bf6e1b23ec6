use diesel::prelude::*;
use persistence::schema::drafts;
use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn drafts_are_kept_updated_and_private() {
    let app = spawn_app().await;
    let citizen = app.citizen("drafter").await;
    let stranger = app.citizen("peeker").await;
    let r = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "appeal", "payload": {"type": "general_inquiry", "body": "Черн"}}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/drafts/{id}").as_str())
    );
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(
        r.body["kind"],
        json!({"code": "appeal", "title": "Обращение"})
    );
    assert_eq!(r.body["payload"]["body"], "Черн");
    let created =
        chrono::DateTime::parse_from_rfc3339(r.body["updated_at"].as_str().unwrap()).unwrap();
    let expires =
        chrono::DateTime::parse_from_rfc3339(r.body["expires_at"].as_str().unwrap()).unwrap();
    assert!(
        (89..=92).contains(&(expires - created).num_days()),
        "three months"
    );

    let path = format!("/drafts/{id}");
    let update = |tag: &'static str, text: &'static str| {
        app.send(
            app.client
                .put(app.url(&path))
                .bearer_auth(&citizen.access)
                .header("if-match", tag)
                .json(&json!({"payload": {"type": "general_inquiry", "body": text}})),
        )
    };
    let r = update("\"v1\"", "Черновик").await.expect(200);
    assert_eq!(r.header("etag"), Some("\"v2\""));
    update("\"v1\"", "Устаревшее")
        .await
        .expect_problem(412, "precondition_failed");
    assert_eq!(
        app.get(&path, Some(&citizen.access)).await.expect(200).body["payload"]["body"],
        "Черновик"
    );

    app.get(&path, Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    app.delete(&path, Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    assert_eq!(
        app.get("/drafts", Some(&stranger.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
    let listed = app
        .get("/drafts?kind=appeal", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(listed["total"], 1);
    assert_eq!(
        app.get("/drafts?kind=resume", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );

    app.delete(&path, Some(&citizen.access)).await.expect(204);
    app.get(&path, Some(&citizen.access))
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn draft_kinds_and_payloads_are_checked() {
    let app = spawn_app().await;
    let citizen = app.citizen("kinds").await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let r = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "report", "payload": {}}),
        )
        .await;
    assert_eq!(
        r.expect_problem(422, "validation_failed").error_fields(),
        ["kind"]
    );
    app.post(
        "/drafts",
        Some(&employer.access),
        json!({"kind": "report", "payload": {"kind": "quota"}}),
    )
    .await
    .expect(201);
    let r = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "appeal", "payload": [1, 2]}),
        )
        .await;
    assert_eq!(
        r.expect_problem(422, "validation_failed").error_fields(),
        ["payload"]
    );
    let huge = json!({"kind": "appeal", "payload": {"text": "x".repeat(40_000)}});
    app.post("/drafts", Some(&citizen.access), huge)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        app.get("/drafts", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
}

#[tokio::test]
async fn expired_drafts_vanish_and_are_purged() {
    let app = spawn_app().await;
    let citizen = app.citizen("forgetful").await;
    let old = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "resume", "payload": {"title": "Повар"}}),
        )
        .await
        .expect(201)
        .body;
    app.post(
        "/drafts",
        Some(&citizen.access),
        json!({"kind": "resume", "payload": {"title": "Кондитер"}}),
    )
    .await
    .expect(201);
    let id = old["id"].as_str().unwrap().to_owned();
    let expired = id.clone();
    app.with_db(move |conn| {
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::minutes(1);
        diesel::update(drafts::table.find(expired))
            .set(drafts::expires_at.eq(past))
            .execute(conn)
            .unwrap()
    })
    .await;
    assert_eq!(
        app.get("/drafts", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        1
    );
    app.get(&format!("/drafts/{id}"), Some(&citizen.access))
        .await
        .expect_problem(404, "not_found");
    let purged = app
        .with_db(|conn| {
            persistence::drafts::purge_expired(conn, chrono::Utc::now().naive_utc()).unwrap()
        })
        .await;
    assert_eq!(purged, 1);
    let left: i64 = app
        .with_db(|conn| drafts::table.count().get_result(conn).unwrap())
        .await;
    assert_eq!(left, 1);
}

#[tokio::test]
async fn sending_a_form_removes_its_draft() {
    let app = spawn_app().await;
    let citizen = app.citizen("sender").await;
    let appeal_draft = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "appeal", "payload": {"body": "Вопрос"}}),
        )
        .await
        .expect(201)
        .body["id"]
        .clone();
    let resume_draft = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "resume", "payload": {}}),
        )
        .await
        .expect(201)
        .body["id"]
        .clone();
    // A draft of another form is refused, and nothing is filed.
    let r = app
        .post(
            "/appeals",
            Some(&citizen.access),
            json!({"type": "general_inquiry", "body": "Вопрос", "draft_id": resume_draft}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["draft_id"]);
    assert_eq!(
        app.get("/appeals", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );

    app.post(
        "/appeals",
        Some(&citizen.access),
        json!({"type": "general_inquiry", "body": "Вопрос", "draft_id": appeal_draft}),
    )
    .await
    .expect(201);
    app.get(
        &format!("/drafts/{}", appeal_draft.as_str().unwrap()),
        Some(&citizen.access),
    )
    .await
    .expect_problem(404, "not_found");
    // The same draft cannot be sent twice.
    app.post(
        "/appeals",
        Some(&citizen.access),
        json!({"type": "general_inquiry", "body": "Ещё", "draft_id": appeal_draft}),
    )
    .await
    .expect_problem(422, "validation_failed");
    assert_eq!(
        app.get("/appeals", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get("/drafts", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        1
    );
}
