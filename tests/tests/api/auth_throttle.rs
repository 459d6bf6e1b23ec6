//! What keeps registration and refresh from costing the server without bound:
//! budgets per client address (429 with `Retry-After`, nothing stored), and a bounded
//! queue for new passwords (503 `server_busy` with `Retry-After`) that a flood of
//! registrations fills without stalling the people signing in.

use portal_tests::{citizen_body, session, spawn_app_with, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn registrations_are_limited_per_address_and_a_refused_one_stores_nothing() {
    let app = spawn_app_with(|s| s.registrations_per_address = 3).await;
    for n in 0..3 {
        app.post("/auth/register", None, citizen_body(&format!("early-{n}")))
            .await
            .expect(201);
    }
    let r = app
        .post("/auth/register", None, citizen_body("one-too-many"))
        .await
        .expect_problem(429, "too_many_requests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.login("one-too-many", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    // The employer form shares the budget.
    let employer = app.employer_body(
        "late-employer",
        "1027700132195",
        "7707083893",
        Some("770701001"),
    );
    app.post("/auth/register/employer", None, employer)
        .await
        .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_taken_login_is_refused_whatever_else_the_form_says() {
    let app = spawn_app_with(|_| {}).await;
    app.citizen("first-comer").await;
    let mut again = citizen_body("First-Comer");
    again["email"] = json!("someone.else@example.ru");
    app.post("/auth/register", None, again)
        .await
        .expect_problem(409, "login_taken");
}

#[tokio::test]
async fn refreshes_are_limited_per_address() {
    let app = spawn_app_with(|s| s.refreshes_per_address = 2).await;
    let s = app.citizen("refresher").await;
    let r = app
        .post("/auth/refresh", None, json!({"refresh_token": s.refresh}))
        .await
        .expect(200);
    let next = session(&r.body);
    let r = app
        .post(
            "/auth/refresh",
            None,
            json!({"refresh_token": next.refresh}),
        )
        .await
        .expect(200);
    let last = session(&r.body);
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": last.refresh}),
    )
    .await
    .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_registration_flood_is_turned_away_and_sign_ins_go_on() {
    let app = spawn_app_with(|_| {}).await;
    app.citizen("regular").await;
    let app = &app;
    let flood = futures_util::future::join_all((0..80).map(|n| async move {
        let login = format!("flood-{n}");
        (
            login.clone(),
            app.post("/auth/register", None, citizen_body(&login)).await,
        )
    }));
    let sign_ins = futures_util::future::join_all((0..5).map(|_| app.login("regular", PASSWORD)));
    let (flood, sign_ins) = tokio::join!(flood, sign_ins);
    for r in sign_ins {
        r.expect(200);
    }
    let (mut registered, mut busy) = (Vec::new(), Vec::new());
    for (login, r) in flood {
        match r.status {
            201 => registered.push(login),
            503 => {
                assert_eq!(r.body["code"], "server_busy", "{:#}", r.body);
                assert!(r.header("retry-after").is_some());
                busy.push(login);
            }
            other => panic!("{login}: {other} {:#}", r.body),
        }
    }
    assert!(
        !registered.is_empty() && !busy.is_empty(),
        "{registered:?} {busy:?}"
    );
    // Those turned away were not registered; they may try again.
    let retry = &busy[0];
    app.login(retry, PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.post("/auth/register", None, citizen_body(retry))
        .await
        .expect(201);
}
