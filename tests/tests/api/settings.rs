use portal_tests::{session, smtp::SmtpSink, spawn_app, spawn_app_with, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    let app = spawn_app().await;
    let here = app.citizen("changer").await;
    let there = session(&app.login("changer", PASSWORD).await.expect(200).body);
    let change = |current: &str, new: &str| {
        app.send(
            app.client
                .put(app.url("/me/password"))
                .bearer_auth(&here.access)
                .json(&json!({"current_password": current, "new_password": new})),
        )
    };
    let r = change("Wrong-password-1", "Novyi-parol-2026")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["current_password"]);
    let r = change(PASSWORD, "weak")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["new_password"]);
    app.get("/me", Some(&there.access)).await.expect(200);

    change(PASSWORD, "Novyi-parol-2026").await.expect(204);
    app.login("changer", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.login("changer", "Novyi-parol-2026").await.expect(200);
    app.get("/me", Some(&here.access)).await.expect(200);
    app.get("/me", Some(&there.access))
        .await
        .expect_problem(401, "token_invalid");
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": there.refresh}),
    )
    .await
    .expect_problem(401, "token_invalid");
}

#[tokio::test]
async fn a_password_session_confirms_an_e_mail_change_and_the_old_address_is_told() {
    let app = spawn_app().await;
    let s = app.citizen("mover").await;
    let put = |body: serde_json::Value| {
        app.send(
            app.client
                .put(app.url("/me/email"))
                .bearer_auth(&s.access)
                .json(&body),
        )
    };
    let r = put(json!({"email": "new@example.ru"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["password"]);
    let r = put(json!({"email": "new@example.ru", "password": "Wrong-password-1"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["password"]);
    put(json!({"email": "not an address", "password": PASSWORD}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        app.get("/me", Some(&s.access)).await.expect(200).body["email"],
        "mover@example.ru"
    );

    let me = put(json!({"email": "new@example.ru", "password": PASSWORD}))
        .await
        .expect(200)
        .body;
    assert_eq!(me["email"], "new@example.ru");
    assert_eq!(
        app.get("/me", Some(&s.access)).await.expect(200).body["email"],
        "new@example.ru",
        "the profile read before the change is not served after it"
    );
    let notices = app
        .with_db(|conn| persistence::outbox::to_recipient(conn, "mover@example.ru").unwrap())
        .await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].body.contains("new@example.ru"));
}

#[tokio::test]
async fn an_esia_session_is_not_asked_for_a_password_and_the_notice_is_delivered() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.mail_interval_ms = 100;
    })
    .await;
    app.citizen("gosuslugi").await;
    let esia = app.esia_session("gosuslugi").await;
    assert_eq!(
        app.get("/me", Some(&esia.access)).await.expect(200).body["auth_method"],
        "esia"
    );
    let me = app
        .send(
            app.client
                .put(app.url("/me/email"))
                .bearer_auth(&esia.access)
                .json(&json!({"email": "esia-new@example.ru"})),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(me["email"], "esia-new@example.ru");
    let got = sink.wait_for(1, 10).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].recipients,
        ["gosuslugi@example.ru"],
        "the notice goes to the old address"
    );
}

#[tokio::test]
async fn password_confirmations_share_the_sign_in_budget() {
    let app = portal_tests::spawn_app_with(|s| s.login_attempts_per_account = 3).await;
    let s = app.citizen("guarded").await;
    for _ in 0..3 {
        app.send(
            app.client
                .put(app.url("/me/password"))
                .bearer_auth(&s.access)
                .json(&json!({
                    "current_password": "Wrong-password-1", "new_password": "Novyi-parol-2026"
                })),
        )
        .await
        .expect_problem(422, "validation_failed");
    }
    app.send(
        app.client
            .put(app.url("/me/email"))
            .bearer_auth(&s.access)
            .json(&json!({
                "email": "x@example.ru", "password": PASSWORD
            })),
    )
    .await
    .expect_problem(429, "too_many_requests");
}
