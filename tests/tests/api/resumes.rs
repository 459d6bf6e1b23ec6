use portal_tests::{spawn_app, with};
use serde_json::{json, Value};

fn resume(title: &str, published: bool) -> Value {
    json!({
        "title": title,
        "profession_code": "16675",
        "category": "services",
        "region_code": "77",
        "salary": 75000,
        "experience": "from_3_to_6",
        "education": "secondary_vocational",
        "employment_type": "full_time",
        "schedule": "shift",
        "skills": ["Европейская кухня", "Санитарная книжка"],
        "about": "Работал поваром",
        "published": published
    })
}

#[tokio::test]
async fn a_citizen_keeps_resumes_with_optimistic_concurrency() {
    let app = spawn_app().await;
    let citizen = app.citizen("cv-owner").await;
    let stranger = app.citizen("cv-stranger").await;
    let r = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            resume("Повар", false),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/citizen/resumes/{id}").as_str())
    );
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(
        r.body["profession"],
        json!({"code": "16675", "title": "Повар"})
    );
    assert_eq!(
        r.body["skills"],
        json!(["Европейская кухня", "Санитарная книжка"])
    );

    let path = format!("/citizen/resumes/{id}");
    let read = app.get(&path, Some(&citizen.access)).await.expect(200);
    assert_eq!(read.header("etag"), Some("\"v1\""));
    let put = |token: &str, etag: Option<&str>, body: Value| {
        let mut req = app
            .client
            .put(app.url(&path))
            .bearer_auth(token)
            .json(&body);
        if let Some(tag) = etag {
            req = req.header("if-match", tag);
        }
        app.send(req)
    };
    let updated = put(&citizen.access, Some("\"v1\""), resume("Шеф-повар", true))
        .await
        .expect(200);
    assert_eq!(updated.header("etag"), Some("\"v2\""));
    assert_eq!(updated.body["title"], "Шеф-повар");
    put(&citizen.access, Some("\"v1\""), resume("Стейл", true))
        .await
        .expect_problem(412, "precondition_failed");
    put(&citizen.access, Some("garbage"), resume("Стейл", true))
        .await
        .expect_problem(412, "precondition_failed");
    assert_eq!(
        app.get(&path, Some(&citizen.access)).await.expect(200).body["title"],
        "Шеф-повар"
    );
    put(&citizen.access, None, resume("Без проверки", true))
        .await
        .expect(200);

    app.get(&path, Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    put(&stranger.access, None, resume("Чужое", true))
        .await
        .expect_problem(404, "not_found");
    app.delete(&path, Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");

    assert_eq!(
        app.get("/citizen/resumes", Some(&citizen.access))
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.delete(&path, Some(&citizen.access)).await.expect(204);
    app.get(&path, Some(&citizen.access))
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn resumes_are_validated() {
    let app = spawn_app().await;
    let citizen = app.citizen("cv-validated").await;
    let bad = with(
        resume(" ", true),
        json!({"profession_code": "00000", "region_code": "00", "salary": 0, "skills": ["", "ok"]}),
    );
    let r = app
        .post("/citizen/resumes", Some(&citizen.access), bad)
        .await
        .expect_problem(422, "validation_failed");
    let mut fields = r.error_fields();
    fields.dedup();
    assert_eq!(
        fields,
        [
            "profession_code",
            "region_code",
            "salary",
            "skills",
            "title"
        ]
    );
    assert_eq!(
        app.get("/citizen/resumes", Some(&citizen.access))
            .await
            .expect(200)
            .body,
        json!([])
    );
}

#[tokio::test]
async fn the_candidate_bank_shows_published_resumes_to_employers() {
    let app = spawn_app().await;
    let citizen = app.citizen("candidate").await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let staff = app.staff("bank-staff").await;
    let public = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            resume("Повар", true),
        )
        .await
        .expect(201)
        .body;
    let hidden = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            resume("Кондитер", false),
        )
        .await
        .expect(201)
        .body;
    let other = with(
        resume("Водитель", true),
        json!({"profession_code": "11442", "category": "transport", "region_code": "78", "skills": ["Категория D"]}),
    );
    app.post("/citizen/resumes", Some(&citizen.access), other)
        .await
        .expect(201);

    let bank = app
        .get("/resumes", Some(&employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(bank["total"], 2);
    let listed = &bank["items"][1];
    assert_eq!(listed["id"], public["id"]);
    assert_eq!(listed["experience"]["code"], "from_3_to_6");
    assert!(
        listed.get("about").is_none() && listed.get("skills").is_none(),
        "the bank lists summaries: {listed}"
    );
    let by_text = app
        .get(
            "/resumes?text=%D0%BA%D0%B0%D1%82%D0%B5%D0%B3%D0%BE%D1%80%D0%B8%D1%8F%20d",
            Some(&employer.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(by_text["total"], 1, "skills are searched, in any case");
    let by_region = app
        .get("/resumes?region=77", Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(by_region["items"][0]["id"], public["id"]);
    assert_eq!(by_region["total"], 1);

    app.get(
        &format!("/resumes/{}", public["id"].as_str().unwrap()),
        Some(&employer.access),
    )
    .await
    .expect(200);
    app.get(
        &format!("/resumes/{}", hidden["id"].as_str().unwrap()),
        Some(&employer.access),
    )
    .await
    .expect_problem(404, "not_found");
    app.get("/resumes", Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
    app.get("/resumes", None)
        .await
        .expect_problem(401, "token_invalid");
}
