//! `GET /metrics` (issue 18): Prometheus text, only for the scraper's token; requests
//! are counted by route template, and the pool and outboxes show.

use portal_tests::{spawn_app, spawn_app_with};

const TOKEN: &str = "scrape-Xk29fQ7LmV";

#[tokio::test]
async fn a_scrape_shows_routes_by_template_and_the_pool() {
    let app = spawn_app_with(|s| s.metrics_token = Some(TOKEN.into())).await;
    let citizen = app.citizen("metrics-citizen").await;
    app.get("/health/live", None).await.expect(200);
    app.get("/dictionaries/schedules", None).await.expect(200);
    app.get("/me", Some(&citizen.access)).await.expect(200);
    app.get(
        "/appeals/0193a5a4-1c2b-7d3e-8f40-5a6b7c8d9e0f",
        Some(&citizen.access),
    )
    .await
    .expect(404);
    let metrics = format!("{}/metrics", app.base);
    let anonymous = app.client.get(&metrics).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = app
        .client
        .get(&metrics)
        .bearer_auth("scrape-wrong-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let scraped = app
        .client
        .get(&metrics)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    assert!(scraped.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = scraped.text().await.unwrap();
    for line in [
        r#"portal_http_requests_total{method="GET",route="/health/live",status="2xx"} 1"#,
        r#"portal_http_requests_total{method="GET",route="/api/v1/dictionaries/{name}",status="2xx"} 1"#,
        r#"portal_http_requests_total{method="GET",route="/api/v1/appeals/{id}",status="4xx"} 1"#,
        r#"portal_http_requests_total{method="POST",route="/api/v1/auth/register",status="2xx"} 1"#,
        r#"portal_db_pool_connections{state="max"} 4"#,
        r#"portal_outbox_backlog{queue="webhooks",state="pending"} 0"#,
        r#"portal_journal_queue 0"#,
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(text.contains(r#"portal_db_pool_connections{state="open"}"#));
    // SQLite commits writes in groups: the registration above was at least one.
    let grouped = |count: &str| -> u64 {
        let prefix = format!("portal_db_grouped_writes{{count=\"{count}\"}} ");
        let line = text.lines().find(|l| l.starts_with(&prefix));
        line.expect(&prefix)[prefix.len()..].parse().unwrap()
    };
    let (writes, groups) = (grouped("writes"), grouped("groups"));
    if !portal_tests::processes::on_postgres() {
        assert!(writes >= 1 && groups >= 1 && groups <= writes, "{text}");
    } else {
        assert_eq!((writes, groups), (0, 0), "{text}");
    }
    assert!(text.contains(r#"portal_outbox_backlog{queue="mail",state="pending"}"#));
    assert!(text.contains("portal_http_request_duration_seconds_bucket{"));
    // No id ever becomes a label.
    assert!(!text.contains("0193a5a4"), "{text}");
}

#[tokio::test]
async fn without_a_token_set_there_are_no_metrics() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
