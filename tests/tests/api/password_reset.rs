use portal_tests::{spawn_app, spawn_app_with, TestApp, PASSWORD};
use serde_json::json;

/// The link of the latest reset message sent to `email`, and how many were sent.
async fn link_sent_to(app: &TestApp, email: &str) -> (Option<String>, usize) {
    let email = email.to_owned();
    let sent = app
        .with_db(move |conn| persistence::outbox::to_recipient(conn, &email).unwrap())
        .await;
    let resets: Vec<_> = sent
        .iter()
        .filter(|m| m.subject == "Восстановление пароля")
        .collect();
    let token = resets.last().map(|m| {
        let at = m.body.find("token=").expect("the link carries a token") + "token=".len();
        m.body[at..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_owned()
    });
    (token, resets.len())
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_through_the_mailed_link() {
    let app = spawn_app().await;
    let old = app.citizen("forgetful").await;
    let other_device = app.login("forgetful", PASSWORD).await.expect(200).body;

    let asked = app
        .post("/auth/password-reset", None, json!({"login": "Forgetful"}))
        .await
        .expect(202)
        .body;
    let (token, sent) = link_sent_to(&app, "forgetful@example.ru").await;
    assert_eq!(sent, 1);
    let token = token.unwrap();
    let body = app
        .with_db(|conn| persistence::outbox::to_recipient(conn, "forgetful@example.ru").unwrap())
        .await
        .pop()
        .unwrap()
        .body;
    assert!(
        body.contains("https://cabinet.example/password-reset?token="),
        "{body}"
    );
    assert!(
        body.contains("«forgetful»") && body.contains("30 минут"),
        "{body}"
    );

    // Nobody learns whether an account exists: the same answer for a stranger.
    let stranger = app
        .post(
            "/auth/password-reset",
            None,
            json!({"login": "nobody.here"}),
        )
        .await
        .expect(202)
        .body;
    assert_eq!(asked, stranger);

    // Only a digest is kept: the table does not hold the token.
    let kept: Vec<String> = app
        .with_db(|conn| {
            use diesel::prelude::*;
            persistence::schema::password_resets::table
                .select(persistence::schema::password_resets::token_hash)
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0], token);

    // A weak password is refused and uses nothing up.
    app.post(
        "/auth/password-reset/confirm",
        None,
        json!({"token": token, "new_password": "short"}),
    )
    .await
    .expect_problem(422, "validation_failed");
    app.post(
        "/auth/password-reset/confirm",
        None,
        json!({"token": token, "new_password": "Novyi-parol-2026"}),
    )
    .await
    .expect(204);

    // The new password works, the old one does not, and every session has ended.
    app.login("forgetful", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.login("forgetful", "Novyi-parol-2026").await.expect(200);
    app.get("/me", Some(&old.access))
        .await
        .expect_problem(401, "token_invalid");
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": other_device["refresh_token"]}),
    )
    .await
    .expect_problem(401, "token_invalid");

    // The link works once.
    let again = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "new_password": "Tretii-parol-2026"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(again.error_fields(), ["token"]);
    assert_eq!(again.body["errors"][0]["code"], "reset_link_invalid");
    app.login("forgetful", "Novyi-parol-2026").await.expect(200);
}

#[tokio::test]
async fn a_link_is_found_by_email_and_every_refusal_looks_the_same() {
    let app = spawn_app().await;
    app.citizen("mailbox").await;
    app.post(
        "/auth/password-reset",
        None,
        json!({"login": "mailbox@example.ru"}),
    )
    .await
    .expect(202);
    let (first, _) = link_sent_to(&app, "mailbox@example.ru").await;
    let first = first.expect("found by e-mail");

    // A made-up link and an expired one get the answer a used one gets.
    let refused = |token: String| {
        let app = &app;
        async move {
            let r = app
                .post(
                    "/auth/password-reset/confirm",
                    None,
                    json!({"token": token, "new_password": "Novyi-parol-2026"}),
                )
                .await
                .expect_problem(422, "validation_failed");
            (r.error_fields(), r.body["errors"][0].clone())
        }
    };
    let made_up = refused("made-up-token".into()).await;
    app.with_db(|conn| {
        use diesel::prelude::*;
        use persistence::schema::password_resets::dsl::*;
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::minutes(1);
        diesel::update(password_resets)
            .set(expires_at.eq(past))
            .execute(conn)
            .unwrap();
    })
    .await;
    assert_eq!(refused(first).await, made_up, "expired");
    app.login("mailbox", PASSWORD).await.expect(200);
}

#[tokio::test]
async fn three_links_an_hour_and_the_answer_does_not_change() {
    let app = spawn_app().await;
    app.citizen("flooded").await;
    for _ in 0..5 {
        app.post("/auth/password-reset", None, json!({"login": "flooded"}))
            .await
            .expect(202);
    }
    let (_, sent) = link_sent_to(&app, "flooded@example.ru").await;
    assert_eq!(sent, 3, "the mailbox is not flooded");
}

#[tokio::test]
async fn a_session_not_refreshed_within_the_idle_timeout_ends() {
    let app = spawn_app_with(|s| s.session_idle_timeout = 1).await;
    let s = app.citizen("idle").await;
    let renewed = app
        .post("/auth/refresh", None, json!({"refresh_token": s.refresh}))
        .await
        .expect(200)
        .body;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": renewed["refresh_token"]}),
    )
    .await
    .expect_problem(401, "token_invalid");
}

/// Reset requests spend the sign-in budgets (per account and per client address), and
/// guessing links does too: past them the answer is 429, whatever the login or token.
#[tokio::test]
async fn requests_and_guessed_links_run_out_of_the_sign_in_budgets() {
    let app = spawn_app_with(|s| {
        s.login_attempts_per_account = 2;
        s.login_attempts_per_address = 5;
    })
    .await;
    app.citizen("budgeted").await;
    for _ in 0..2 {
        app.post("/auth/password-reset", None, json!({"login": "budgeted"}))
            .await
            .expect(202);
    }
    app.post("/auth/password-reset", None, json!({"login": "budgeted"}))
        .await
        .expect_problem(429, "too_many_requests");
    // The address has spent three of its five: two guesses, then refused.
    let guess = || json!({"token": "not-a-link-we-sent-aaaaaaaaaaaaaaaaaaaaaaaa", "new_password": "Новый-пароль-2026"});
    for _ in 0..2 {
        let status = app
            .post("/auth/password-reset/confirm", None, guess())
            .await
            .status;
        assert_ne!(status, 429, "within the budget");
    }
    app.post("/auth/password-reset/confirm", None, guess())
        .await
        .expect_problem(429, "too_many_requests");
    app.post(
        "/auth/password-reset",
        None,
        json!({"login": "someone.else"}),
    )
    .await
    .expect_problem(429, "too_many_requests");
}
