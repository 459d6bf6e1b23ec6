//! Conditional GETs (issues 17 and 18): JSON reads answer an `ETag` of their body and a
//! `Cache-Control` saying who may keep them; `If-None-Match` with the current tag is
//! 304 without a body; version tags (`If-Match`) and token answers are left alone.

use portal_tests::{spawn_app, Resp, TestApp};
use serde_json::{json, Value};

/// A GET with the bearer's token and, when given, `If-None-Match`.
async fn get(app: &TestApp, path: &str, token: Option<&str>, tag: Option<&str>) -> Resp {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(t) = tag {
        req = req.header("if-none-match", t);
    }
    app.send(req).await
}

fn etag(r: &Resp) -> String {
    r.header("etag").expect("an ETag").to_owned()
}

#[tokio::test]
async fn cabinet_reads_answer_304_until_something_changes() {
    let app = spawn_app().await;
    let citizen = app.citizen("etag.citizen").await;
    let token = Some(citizen.access.as_str());

    let me = get(&app, "/me", token, None).await.expect(200);
    let tag = etag(&me);
    assert!(tag.starts_with("W/\""), "{tag}");
    assert_eq!(me.header("cache-control"), Some("private, no-cache"));
    let again = get(&app, "/me", token, Some(&tag)).await.expect(304);
    assert_eq!(again.body, Value::Null, "no body");
    assert_eq!(again.header("etag"), Some(tag.as_str()));
    assert_eq!(again.header("cache-control"), Some("private, no-cache"));
    // A list of tags, one of them current, and `*` match too; another tag does not.
    get(&app, "/me", token, Some(&format!("W/\"old\", {tag}")))
        .await
        .expect(304);
    get(&app, "/me", token, Some("*")).await.expect(304);
    get(&app, "/me", token, Some("W/\"old\"")).await.expect(200);

    let list = get(&app, "/appeals", token, None).await.expect(200);
    let before = etag(&list);
    get(&app, "/appeals", token, Some(&before))
        .await
        .expect(304);
    app.file_appeal(&citizen.access, "Вопрос").await;
    let changed = get(&app, "/appeals", token, Some(&before))
        .await
        .expect(200);
    assert_ne!(etag(&changed), before);
    assert_eq!(changed.body["total"], 1);
    get(&app, "/appeals", token, Some(&etag(&changed)))
        .await
        .expect(304);

    // Another account's copy of the same path is another body, so another tag.
    let other = app.citizen("etag.other").await;
    get(&app, "/appeals", Some(&other.access), Some(&etag(&changed)))
        .await
        .expect(200);
}

#[tokio::test]
async fn errors_writes_and_tokens_keep_no_store_and_no_tag() {
    let app = spawn_app().await;
    let citizen = app.citizen("etag.errors").await;
    let missing = get(
        &app,
        "/appeals/00000000-0000-4000-8000-000000000000",
        Some(&citizen.access),
        None,
    )
    .await
    .expect(404);
    assert_eq!(missing.header("etag"), None);
    assert_eq!(missing.header("cache-control"), Some("no-store"));

    let login = app
        .login("etag.errors", portal_tests::PASSWORD)
        .await
        .expect(200);
    assert_eq!(login.header("etag"), None);
    assert_eq!(login.header("cache-control"), Some("no-store"));
    let filed = app
        .post(
            "/appeals",
            Some(&citizen.access),
            json!({"type": "general_inquiry", "body": "Вопрос"}),
        )
        .await
        .expect(201);
    assert_eq!(filed.header("etag"), None);
    assert_eq!(filed.header("cache-control"), Some("no-store"));
    // Without a token the cabinet is 401, untouched.
    let anonymous = get(&app, "/me", None, None).await.expect(401);
    assert_eq!(anonymous.header("etag"), None);
}

#[tokio::test]
async fn reference_data_is_public_for_an_hour() {
    let app = spawn_app().await;
    for path in ["/dictionaries", "/dictionaries/regions", "/centres"] {
        let r = get(&app, path, None, None).await.expect(200);
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=3600"),
            "{path}"
        );
        get(&app, path, None, Some(&etag(&r))).await.expect(304);
    }
    // Anonymous reads that change often are revalidated.
    let search = get(&app, "/vacancies", None, None).await.expect(200);
    assert_eq!(search.header("cache-control"), Some("no-cache"));
    get(&app, "/vacancies", None, Some(&etag(&search)))
        .await
        .expect(304);
}

#[tokio::test]
async fn version_tags_stay_and_if_match_still_guards() {
    let app = spawn_app().await;
    let admin = app
        .employer(
            "etag.admin",
            "1027700132195",
            "7707083893",
            Some("773601001"),
        )
        .await;
    let org = get(&app, "/employer/organization", Some(&admin.access), None)
        .await
        .expect(200);
    assert_eq!(org.header("etag"), Some("\"v1\""));
    assert_eq!(org.header("cache-control"), Some("no-store"));
    // The version tag is for If-Match: If-None-Match does not turn it into 304.
    get(
        &app,
        "/employer/organization",
        Some(&admin.access),
        Some("\"v1\""),
    )
    .await
    .expect(200);
    let patch = |tag: &'static str| {
        app.send(
            app.client
                .patch(app.url("/employer/organization"))
                .bearer_auth(&admin.access)
                .header("if-match", tag)
                .json(&json!({"headcount": 140})),
        )
    };
    let r = patch("\"v1\"").await.expect(200);
    assert_eq!(r.header("etag"), Some("\"v2\""));
    patch("\"v1\"")
        .await
        .expect_problem(412, "precondition_failed");

    let staff = app.staff("etag.staff").await;
    let course = app
        .post(
            "/staff/training-courses",
            Some(&staff.access),
            crate::training::course("Основы Python", 10, 5),
        )
        .await
        .expect(201);
    assert_eq!(course.header("etag"), Some("\"v1\""));
    let id = course.body["id"].as_str().unwrap().to_owned();
    let read = get(&app, &format!("/training-courses/{id}"), None, None)
        .await
        .expect(200);
    assert_eq!(read.header("etag"), Some("\"v1\""));
}
