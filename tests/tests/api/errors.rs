use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let r = app
        .post_raw(
            "/auth/login",
            None,
            "application/json",
            b"{\"login\": \"a\",".to_vec(),
        )
        .await
        .expect_problem(400, "bad_request");
    assert_eq!(r.body["type"], "/problems/bad-request");
    app.post_raw("/auth/login", None, "application/json", Vec::new())
        .await
        .expect_problem(400, "bad_request");
}

#[tokio::test]
async fn wrong_shapes_name_the_field() {
    let app = spawn_app().await;
    let s = app.citizen("shapes").await;
    let r = app
        .post(
            "/appeals",
            Some(&s.access),
            json!({"type": "no_such_type", "body": "x"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["type"]);
    let r = app
        .post(
            "/appeals",
            Some(&s.access),
            json!({"type": "general_inquiry"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body"]);
    assert_eq!(r.body["errors"][0]["code"], "required");
    let r = app
        .post(
            "/appeals",
            Some(&s.access),
            json!({"type": "general_inquiry", "body": 42}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body"]);
    let r = app
        .post(
            "/appeals",
            Some(&s.access),
            json!({"type": "general_inquiry", "body": "   "}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body"]);
    let r = app
        .post("/appeals", Some(&s.access), json!([1, 2]))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 1);
    let list = app.get("/appeals", Some(&s.access)).await.expect(200).body;
    assert_eq!(list["total"], 0, "nothing was filed");
}

#[tokio::test]
async fn bodies_must_be_json_and_small() {
    let app = spawn_app().await;
    let s = app.citizen("sizes").await;
    app.post_raw("/appeals", Some(&s.access), "text/plain", b"hello".to_vec())
        .await
        .expect_problem(415, "unsupported_media_type");
    let huge = json!({"type": "general_inquiry", "body": "я".repeat(40_000)}).to_string();
    app.post_raw(
        "/appeals",
        Some(&s.access),
        "application/json",
        huge.into_bytes(),
    )
    .await
    .expect_problem(413, "payload_too_large");
    // Thousands of bad items: the answer names the first hundred, not each.
    let numbers = vec![7u8; 20_000];
    let mut resume = json!({
        "title": "Повар", "category": "services", "region_code": "77",
        "experience": "none", "education": "secondary_general", "employment_type": "full_time",
        "schedule": "shift"
    });
    resume["skills"] = json!(numbers);
    let r = app
        .post("/citizen/resumes", Some(&s.access), resume)
        .await
        .expect_problem(422, "validation_failed");
    let told = r.body["errors"].as_array().unwrap().len();
    assert!((100..=101).contains(&told), "{told} errors told");
    let long = json!({"type": "general_inquiry", "body": "a".repeat(10_001)});
    let r = app
        .post("/appeals", Some(&s.access), long)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body"]);
}

#[tokio::test]
async fn bad_paging_and_filters_are_refused() {
    let app = spawn_app().await;
    let s = app.citizen("pager").await;
    for (query, field) in [
        ("per_page=101", "per_page"),
        ("per_page=1000000", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("status=lost", "status"),
        ("type=lost", "type"),
        ("date_from=2026-13-01", "date_from"),
        ("date_from=2026-02-01&date_to=2026-01-01", "__all__"),
        ("date_from=-5000-01-01", "date_from"),
        ("date_to=9999-01-01", "date_to"),
        ("number=%00", "number"),
    ] {
        let r = app.get(&format!("/appeals?{query}"), Some(&s.access)).await;
        let r = r.expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{query}");
    }
    app.get("/appeals?per_page=100", Some(&s.access))
        .await
        .expect(200);
}

#[tokio::test]
async fn unknown_routes_answer_problem_json() {
    let app = spawn_app().await;
    app.get("/no/such/thing", None)
        .await
        .expect_problem(404, "not_found");
    app.send(app.client.get(format!("{}/nowhere", app.base)))
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let echoed = app
        .send(
            app.client
                .get(app.url("/health/live"))
                .header("x-request-id", "client-chosen-42"),
        )
        .await;
    assert_eq!(echoed.header("x-request-id"), Some("client-chosen-42"));
    let generated = app.get("/me", None).await;
    let id = generated.header("x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let weird = app
        .send(
            app.client
                .get(app.url("/health/live"))
                .header("x-request-id", "a b"),
        )
        .await;
    assert_ne!(weird.header("x-request-id"), Some("a b"));
}

#[tokio::test]
async fn cors_admits_configured_origins_only() {
    let app = spawn_app().await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/appeals"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
    };
    let ok = app.send(preflight("https://cabinet.example")).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://cabinet.example")
    );
    let refused = app.send(preflight("https://evil.example")).await;
    assert_ne!(
        refused.header("access-control-allow-origin"),
        Some("https://evil.example")
    );
}

#[tokio::test]
async fn nul_characters_are_refused_not_stored() {
    let app = spawn_app().await;
    let s = app.citizen("nul").await;
    let r = app
        .post(
            "/auth/login",
            None,
            json!({"login": "a\u{0}", "password": "x"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["login"]);
    let r = app
        .post(
            "/appeals",
            Some(&s.access),
            json!({"type": "general_inquiry", "body": "ok", "subject": "a\u{0}b"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["subject"]);
    app.get("/vacancies?text=%00", None)
        .await
        .expect_problem(422, "validation_failed");
    app.get("/vacancies/%00", None)
        .await
        .expect_problem(404, "not_found");
    app.get("/appeals/abc%00def", Some(&s.access))
        .await
        .expect_problem(404, "not_found");
    assert_eq!(
        app.get("/appeals", Some(&s.access)).await.expect(200).body["total"],
        0
    );
}

#[tokio::test]
async fn a_known_path_with_another_method_is_405_with_allow() {
    let app = spawn_app().await;
    let r = app
        .send(app.client.put(app.url("/appeals")))
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let r = app
        .send(app.client.delete(app.url("/appeals/some-id")))
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET"));
    let r = app
        .send(app.client.post(app.url("/health/live")))
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET"));
    app.send(app.client.put(app.url("/nothing/here")))
        .await
        .expect_problem(404, "not_found");
}

/// Every field that breaks the contract is named at once, type and format errors
/// included, each with a Russian message; nothing is created.
#[tokio::test]
async fn every_bad_field_is_named_at_once_in_russian() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/register",
            None,
            json!({
                "login": 42,
                "password": ["Demo-password-1"],
                "email": "not-an-address",
                "first_name": "Анна",
                "birth_date": "17.05.1990",
                "region_code": "77"
            }),
        )
        .await
        .expect_problem(422, "validation_failed");
    let fields = r.error_fields();
    // Type, format and required faults found by the schema, beside a rule of the
    // validator on a field that has the right type (the e-mail's form).
    for field in ["login", "password", "birth_date", "last_name", "email"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    for error in r.body["errors"].as_array().unwrap() {
        let message = error["message"].as_str().unwrap();
        assert!(
            message
                .chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
            "{message}"
        );
        assert!(!error["field"].as_str().unwrap().is_empty(), "{error}");
    }
    let birth = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "birth_date")
        .unwrap();
    assert_eq!(birth["code"], "format");
    assert!(birth["message"].as_str().unwrap().contains("ГГГГ-ММ-ДД"));

    let s = app.citizen("many").await;
    let r = app
        .post("/appeals", Some(&s.access), json!({}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body", "type"]);
    let r = app
        .get(
            "/appeals?page=abc&per_page=500&status=lost",
            Some(&s.access),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["page", "per_page", "status"]);
    let codes: Vec<&str> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["type", "range", "enum"]);
    let list = app.get("/appeals", Some(&s.access)).await.expect(200).body;
    assert_eq!(list["total"], 0, "nothing was filed");
}
