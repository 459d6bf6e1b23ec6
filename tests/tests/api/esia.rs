//! Sign-in through Госуслуги against a real OpenID provider (`tests/oidc`, the
//! `oidc-provider` package) run for each test.

use portal_tests::oidc::OidcProvider;
use portal_tests::{citizen_body, spawn_app, spawn_app_with, with, TestApp};
use serde_json::{json, Value};

async fn app_with(provider: &OidcProvider) -> TestApp {
    let esia = provider.settings();
    spawn_app_with(move |s| s.esia = esia).await
}

/// The provider's code and state for `person`, from a fresh authorization.
async fn code_for(app: &TestApp, provider: &OidcProvider, person: &str) -> Value {
    let started = app.get("/auth/esia/authorize", None).await.expect(200).body;
    let url = started["authorization_url"].as_str().unwrap();
    for part in [
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "response_type=code",
    ] {
        assert!(url.contains(part), "{part} in {url}");
    }
    let back = provider.authorize(url, person).await;
    assert_eq!(back["state"], started["state"].as_str().unwrap());
    json!({"code": back["code"], "state": back["state"]})
}

async fn sign_in(app: &TestApp, provider: &OidcProvider, person: &str) -> Value {
    let body = code_for(app, provider, person).await;
    app.post("/auth/esia/callback", None, body)
        .await
        .expect(200)
        .body
}

async fn me(app: &TestApp, tokens: &Value) -> Value {
    app.get("/me", tokens["access_token"].as_str())
        .await
        .expect(200)
        .body
}

#[tokio::test]
async fn a_first_esia_sign_in_creates_the_citizen_and_the_next_finds_them() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let tokens = sign_in(&app, &provider, "citizen").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].is_string());
    let first = me(&app, &tokens).await;
    assert_eq!(first["auth_method"], "esia");
    assert_eq!(first["role"]["code"], "citizen");
    assert_eq!(first["email"], "petr@example.ru");
    assert_eq!(first["display_name"], "Госуслугин Пётр Сергеевич");
    assert_eq!(first["citizen"]["snils"], "12345678964");
    assert_eq!(first["citizen"]["birth_date"], "1985-03-14");

    let again = me(&app, &sign_in(&app, &provider, "citizen").await).await;
    assert_eq!(again["id"], first["id"]);
    // Both sign-ins are in the person's journal.
    let journal = app
        .get("/me/audit?kind=sign_in", tokens["access_token"].as_str())
        .await
        .expect(200)
        .body;
    let sign_ins = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"]["code"] == "sign_in")
        .count();
    assert_eq!(sign_ins, 2, "{journal:#}");

    // The refresh token of an ESIA session works like any other.
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": tokens["refresh_token"]}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn without_settings_the_esia_operations_do_not_exist() {
    let app = spawn_app().await;
    app.get("/auth/esia/authorize", None)
        .await
        .expect_problem(404, "not_found");
    app.post(
        "/auth/esia/callback",
        None,
        json!({"code": "abc", "state": "def"}),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn a_wrong_or_replayed_state_is_refused() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "citizen").await;
    app.post(
        "/auth/esia/callback",
        None,
        with(body.clone(), json!({"state": "forged-state"})),
    )
    .await
    .expect_problem(401, "esia_state_invalid");
    app.post("/auth/esia/callback", None, body.clone())
        .await
        .expect(200);
    app.post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_state_invalid");
}

#[tokio::test]
async fn a_state_begun_by_one_server_is_finished_by_another_once() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let other = app.another_server();
    let body = code_for(&app, &provider, "citizen").await;
    let res = app
        .client
        .post(format!("{other}/auth/esia/callback"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_state_invalid");
}

#[tokio::test]
async fn a_replayed_code_is_refused_by_the_provider() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let used = code_for(&app, &provider, "citizen").await;
    app.post("/auth/esia/callback", None, used.clone())
        .await
        .expect(200);
    // A fresh state, the old code: the provider refuses it.
    let fresh = code_for(&app, &provider, "citizen").await;
    app.post(
        "/auth/esia/callback",
        None,
        json!({"code": used["code"], "state": fresh["state"]}),
    )
    .await
    .expect_problem(401, "esia_code_refused");
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "citizen").await;
    // As if the token had been issued for another sign-in.
    app.with_db(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE esia_logins SET nonce = 'another-sign-in'")
            .execute(conn)
            .unwrap()
    })
    .await;
    let res = app
        .post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_token_invalid");
    let detail = res.body["detail"].as_str().unwrap().to_lowercase();
    assert!(detail.contains("nonce"), "{detail}");
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    // The provider's clock is ten minutes behind and its tokens live one: each arrives
    // nine minutes past its `exp`, correctly signed.
    let provider =
        OidcProvider::start_with(&[("ID_TOKEN_TTL", "60"), ("CLOCK_OFFSET", "-600")]).await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "citizen").await;
    let res = app
        .post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_token_invalid");
    let detail = res.body["detail"].as_str().unwrap().to_lowercase();
    assert!(detail.contains("expired"), "{detail}");
}

#[tokio::test]
async fn a_tampered_id_token_is_refused() {
    let provider = OidcProvider::start_with(&[("TAMPER_ID_TOKEN", "1")]).await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "citizen").await;
    let res = app
        .post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_token_invalid");
    let detail = res.body["detail"].as_str().unwrap().to_lowercase();
    assert!(detail.contains("signature"), "{detail}");
}

#[tokio::test]
async fn esia_down_answers_503_with_retry_after() {
    let mut provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "citizen").await;
    provider.stop();
    let res = app
        .post("/auth/esia/callback", None, body)
        .await
        .expect_problem(503, "esia_unavailable");
    assert!(res.header("retry-after").is_some());
    let res = app
        .get("/auth/esia/authorize", None)
        .await
        .expect_problem(503, "esia_unavailable");
    assert!(res.header("retry-after").is_some());
}

#[tokio::test]
async fn a_person_without_a_confirmed_snils_is_refused() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let body = code_for(&app, &provider, "nosnils").await;
    app.post("/auth/esia/callback", None, body)
        .await
        .expect_problem(403, "esia_account_unconfirmed");
}

#[tokio::test]
async fn a_self_typed_snils_gives_way_to_its_verified_owner() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    // Two people registered with the twin's SNILS by typing it in.
    let mut squatters = Vec::new();
    for login in ["squatter", "squatter.two"] {
        let body = with(
            citizen_body(login),
            json!({"snils": "234-567-890 99", "centre_id": app.centre_id}),
        );
        squatters.push(
            app.post("/auth/register", None, body)
                .await
                .expect(201)
                .body,
        );
    }
    let twin = me(&app, &sign_in(&app, &provider, "twin").await).await;
    for squatter in &squatters {
        assert_ne!(
            twin["id"], squatter["user_id"],
            "not handed a squatter's account"
        );
    }
    assert_eq!(twin["citizen"]["snils"], "23456789099");
    assert_eq!(twin["citizen"]["snils_verified"], true);
    for squatter in &squatters {
        let token = squatter["access_token"].as_str();
        let theirs = app.get("/me", token).await.expect(200).body;
        assert_eq!(theirs["citizen"]["snils"], Value::Null);
        let told = app.get("/notifications", token).await.expect(200).body;
        assert!(
            told.to_string().contains("СНИЛС удалён"),
            "each squatter is told: {told:#}"
        );
    }
}

#[tokio::test]
async fn a_snils_entered_by_centre_staff_links_the_existing_citizen() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let staff = app.staff("inspector").await;
    let made = app
        .post(
            "/staff/citizens",
            Some(&staff.access),
            with(
                citizen_body("walkin"),
                json!({"snils": "345-678-901 23", "password": null}),
            ),
        )
        .await
        .expect(201)
        .body;
    let tokens = sign_in(&app, &provider, "staffmade").await;
    let person = me(&app, &tokens).await;
    assert_eq!(person["id"], made["id"]);
    assert_eq!(person["auth_method"], "esia");
    // The link is in the person's journal, by the person themselves.
    let journal = app
        .get("/me/audit?kind=change", tokens["access_token"].as_str())
        .await
        .expect(200)
        .body;
    let linked = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"]["code"] == "esia_link")
        .unwrap_or_else(|| panic!("{journal:#}"));
    assert_eq!(linked["actor"]["role"], "citizen");
}

#[tokio::test]
async fn a_person_esia_names_as_a_head_signs_in_for_a_verified_organisation() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let tokens = sign_in(&app, &provider, "director").await;
    let director = me(&app, &tokens).await;
    assert_eq!(director["role"]["code"], "employer");
    assert_eq!(director["auth_method"], "esia");
    assert_eq!(
        director["employer"]["organization_name"],
        "ООО «Проверенное»"
    );
    assert_eq!(director["employer"]["is_admin"], true);
    // Confirmed through ESIA, the organisation publishes at once (once it names the
    // centre its reports go to, which ESIA does not tell).
    let centre = app.centre_id.clone();
    app.with_db(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!("UPDATE organizations SET centre_id = '{centre}'"))
            .execute(conn)
            .unwrap()
    })
    .await;
    let session = portal_tests::Session {
        user_id: director["id"].as_str().unwrap().to_owned(),
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
    };
    app.post_vacancy(&session, portal_tests::vacancy_body("Повар", "77"))
        .await;
    let again = me(&app, &sign_in(&app, &provider, "director").await).await;
    assert_eq!(again["id"], director["id"]);
}

#[tokio::test]
async fn an_organisation_registered_by_hand_does_not_capture_an_esia_sign_in() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    // Registered by hand under the OGRN ESIA will name, by anyone: pending.
    let squatter = portal_tests::session(
        &app.post(
            "/auth/register/employer",
            None,
            app.employer_body("byhand", "1147746000005", "7707083893", Some("773601001")),
        )
        .await
        .expect(201)
        .body,
    );
    let hand_made = app
        .get("/employer/organization", Some(&squatter.access))
        .await
        .expect(200)
        .body;
    app.post(
        "/employer/vacancies",
        Some(&squatter.access),
        portal_tests::vacancy_body("Повар", "77"),
    )
    .await
    .expect_problem(409, "organization_not_verified");

    // The head ESIA names gets the organisation verified, as its admin, beside the
    // hand-made one, which stays pending; its admin is told why.
    let tokens = sign_in(&app, &provider, "director").await;
    let director = me(&app, &tokens).await;
    assert_eq!(director["employer"]["is_admin"], true);
    let director_token = tokens["access_token"].as_str().unwrap().to_owned();
    let verified = app
        .get("/employer/organization", Some(&director_token))
        .await
        .expect(200)
        .body;
    assert_eq!(verified["verification"], "verified");
    assert_ne!(verified["id"], hand_made["id"]);
    let still = app
        .get("/employer/organization", Some(&squatter.access))
        .await
        .expect(200)
        .body;
    assert_eq!(still["verification"], "pending");
    let told = app
        .get("/notifications", Some(&squatter.access))
        .await
        .expect(200)
        .body;
    assert!(
        told.to_string()
            .contains("ОГРН подтверждён другой учётной записью"),
        "{told:#}"
    );

    // Staff cannot verify a second organisation under a verified OGRN.
    let staff = app.staff("inspector").await;
    app.post(
        &format!(
            "/staff/organizations/{}/verify",
            hand_made["id"].as_str().unwrap()
        ),
        Some(&staff.access),
        serde_json::json!({}),
    )
    .await
    .expect_problem(409, "ogrn_taken");
}

#[tokio::test]
async fn starting_a_sign_in_counts_against_the_address_budget() {
    let provider = OidcProvider::start().await;
    let esia = provider.settings();
    let app = spawn_app_with(move |s| {
        s.esia = esia;
        s.login_attempts_per_address = 2;
    })
    .await;
    for _ in 0..2 {
        app.get("/auth/esia/authorize", None).await.expect(200);
    }
    let r = app
        .get("/auth/esia/authorize", None)
        .await
        .expect_problem(429, "too_many_requests");
    assert!(r.header("retry-after").is_some());
}
