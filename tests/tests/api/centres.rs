use portal_tests::{citizen_body, session, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_directory_filters_by_region() {
    let app = spawn_app().await;
    app.centre_at("160", "16", 55.79, 49.11).await;
    app.centre_at("161", "16", 55.75, 52.40).await;
    let all = app.get("/centres", None).await.expect(200).body;
    assert_eq!(all["total"], 3);
    let tatarstan = app.get("/centres?region=16", None).await.expect(200).body;
    assert_eq!(tatarstan["total"], 2);
    // The last page holds the last one; a page past the end nothing, with the total.
    for (query, items) in [
        ("page=2&per_page=1", 1),
        ("page=3&per_page=1", 0),
        ("page=1000000", 0),
    ] {
        let page = app
            .get(&format!("/centres?region=16&{query}"), None)
            .await
            .expect(200)
            .body;
        assert_eq!(
            (
                page["items"].as_array().unwrap().len(),
                page["total"].clone()
            ),
            (items, json!(2)),
            "{query}"
        );
    }
    assert_eq!(
        tatarstan["items"][0]["region"],
        json!({"code": "16", "title": "Республика Татарстан"})
    );
    app.get("/centres?region=00", None)
        .await
        .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn nearest_by_point_address_or_registration() {
    let app = spawn_app().await;
    let moscow = app.centre_at("770", "77", 55.7558, 37.6173).await;
    let kazan = app.centre_at("160", "16", 55.7903, 49.1144).await;
    let spb = app.centre_at("780", "78", 59.9343, 30.3351).await;

    let near_spb = app
        .get(
            "/centres/nearest?latitude=59.9&longitude=30.3&limit=2",
            None,
        )
        .await
        .expect(200)
        .body;
    let ids: Vec<_> = near_spb
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(spb), json!(moscow)]);
    assert!(near_spb[0]["distance_km"].as_f64().unwrap() < 10.0);

    let by_address = app
        .get("/centres/nearest?address=%D0%B3.%20%D0%9A%D0%B0%D0%B7%D0%B0%D0%BD%D1%8C%2C%20%D1%83%D0%BB.%20%D0%91%D0%B0%D1%83%D0%BC%D0%B0%D0%BD%D0%B0", None)
        .await
        .expect(200)
        .body;
    assert_eq!(by_address[0]["id"], json!(kazan));

    let mut body = citizen_body("muscovite");
    body["registration_address"] = json!("г. Москва, ул. Тверская, д. 1");
    let s = session(
        &app.post("/auth/register", None, body)
            .await
            .expect(201)
            .body,
    );
    let mine = app
        .get("/centres/nearest", Some(&s.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine[0]["id"], json!(moscow));

    let r = app
        .get("/centres/nearest", None)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["address"]);
    let r = app
        .get(
            "/centres/nearest?address=%D0%B4%D0%B5%D1%80%D0%B5%D0%B2%D0%BD%D1%8F",
            None,
        )
        .await;
    assert_eq!(
        r.expect_problem(422, "validation_failed").error_fields(),
        ["address"]
    );
    app.get("/centres/nearest?latitude=91&longitude=0", None)
        .await
        .expect_problem(422, "validation_failed");
    app.get("/centres/nearest?latitude=55", None)
        .await
        .expect_problem(422, "validation_failed");
}
