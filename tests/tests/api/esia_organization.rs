//! An organisation registered by hand, confirmed by its head through Госуслуги
//! (`POST /employer/organization/esia-verification[/callback]`), against the real
//! OpenID provider of `tests/oidc`.

use portal_tests::oidc::OidcProvider;
use portal_tests::{session, spawn_app_with, vacancy_body, Session, TestApp};
use serde_json::{json, Value};

const OGRN: &str = "1147746000005";
const START: &str = "/employer/organization/esia-verification";
const FINISH: &str = "/employer/organization/esia-verification/callback";

async fn app_with(provider: &OidcProvider) -> TestApp {
    let esia = provider.settings();
    spawn_app_with(move |s| s.esia = esia).await
}

/// An employer registered by hand (the admin of a pending organisation).
async fn by_hand(app: &TestApp, login: &str, ogrn: &str) -> Session {
    let body = app.employer_body(login, ogrn, "7707083893", Some("773601001"));
    session(
        &app.post("/auth/register/employer", None, body)
            .await
            .expect(201)
            .body,
    )
}

/// `person` signs in at the provider through an authorization begun by `admin`.
async fn code_for(app: &TestApp, provider: &OidcProvider, admin: &Session, person: &str) -> Value {
    let started = app
        .post(START, Some(&admin.access), json!({}))
        .await
        .expect(200)
        .body;
    let back = provider
        .authorize(started["authorization_url"].as_str().unwrap(), person)
        .await;
    assert_eq!(back["state"], started["state"].as_str().unwrap());
    json!({"code": back["code"], "state": back["state"]})
}

/// `person` signs in through Госуслуги (the ordinary sign-in): their `GET /me`.
async fn signed_in(app: &TestApp, provider: &OidcProvider, person: &str) -> Value {
    let started = app.get("/auth/esia/authorize", None).await.expect(200).body;
    let back = provider
        .authorize(started["authorization_url"].as_str().unwrap(), person)
        .await;
    let tokens = app
        .post(
            "/auth/esia/callback",
            None,
            json!({"code": back["code"], "state": back["state"]}),
        )
        .await
        .expect(200)
        .body;
    app.get("/me", tokens["access_token"].as_str())
        .await
        .expect(200)
        .body
}

async fn organization(app: &TestApp, who: &Session) -> Value {
    app.get("/employer/organization", Some(&who.access))
        .await
        .expect(200)
        .body
}

#[tokio::test]
async fn the_head_confirms_an_organisation_registered_by_hand() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let admin = by_hand(&app, "handmade", OGRN).await;
    let other = by_hand(&app, "rival", OGRN).await;
    let mine = organization(&app, &admin).await;
    assert_eq!(mine["verification"], "pending");

    // A state begun by the admin cannot sign anyone in, nor be finished by another;
    // a sign-in's state confirms nothing. The caller's own session stays good: 403.
    let body = code_for(&app, &provider, &admin, "director").await;
    app.post(FINISH, Some(&other.access), body.clone())
        .await
        .expect_problem(403, "esia_organization_unconfirmed");
    let body = code_for(&app, &provider, &admin, "director").await;
    app.post("/auth/esia/callback", None, body)
        .await
        .expect_problem(401, "esia_state_invalid");
    let started = app.get("/auth/esia/authorize", None).await.expect(200).body;
    let back = provider
        .authorize(started["authorization_url"].as_str().unwrap(), "director")
        .await;
    app.post(
        FINISH,
        Some(&admin.access),
        json!({"code": back["code"], "state": back["state"]}),
    )
    .await
    .expect_problem(403, "esia_organization_unconfirmed");
    assert_eq!(organization(&app, &admin).await["verification"], "pending");

    let body = code_for(&app, &provider, &admin, "director").await;
    let done = app
        .post(FINISH, Some(&admin.access), body.clone())
        .await
        .expect(200)
        .body;
    assert_eq!(done, json!({"id": mine["id"], "verification": "verified"}));
    let journal = app
        .get("/me/audit?kind=change", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        journal["items"][0]["action"]["code"], "esia_link",
        "{journal:#}"
    );
    assert_eq!(organization(&app, &admin).await["verification"], "verified");
    app.post(FINISH, Some(&admin.access), body)
        .await
        .expect_problem(409, "already_verified");

    // It publishes at once (it was registered naming its centre).
    app.post_vacancy(&admin, vacancy_body("Повар", "77")).await;

    // The head's next sign-in through Госуслуги reaches this very account.
    let me = signed_in(&app, &provider, "director").await;
    assert_eq!(me["id"], admin.user_id.as_str());
    assert_eq!(me["auth_method"], "esia");

    // The rival registration of the OGRN is told, and can no longer start confirming
    // its own; the confirmed one has nothing left to confirm.
    app.post(START, Some(&other.access), json!({}))
        .await
        .expect_problem(409, "ogrn_taken");
    let told = app
        .get("/notifications", Some(&other.access))
        .await
        .expect(200)
        .body;
    assert!(
        told.to_string()
            .contains("ОГРН подтверждён другой учётной записью"),
        "{told:#}"
    );
    app.post(START, Some(&admin.access), json!({}))
        .await
        .expect_problem(409, "already_verified");
}

#[tokio::test]
async fn an_employee_or_another_organisation_confirms_nothing() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let admin = by_hand(&app, "handmade", OGRN).await;
    let elsewhere = by_hand(&app, "elsewhere", "1027700132195").await;

    // ESIA names the clerk an employee of this OGRN, not its head.
    let body = code_for(&app, &provider, &admin, "clerk").await;
    app.post(FINISH, Some(&admin.access), body)
        .await
        .expect_problem(403, "esia_organization_unconfirmed");
    // The director is the head of another OGRN than the one registered.
    let body = code_for(&app, &provider, &elsewhere, "director").await;
    app.post(FINISH, Some(&elsewhere.access), body)
        .await
        .expect_problem(403, "esia_organization_unconfirmed");
    // A citizen in Госуслуги names no organisation at all.
    let body = code_for(&app, &provider, &admin, "citizen").await;
    app.post(FINISH, Some(&admin.access), body)
        .await
        .expect_problem(403, "esia_organization_unconfirmed");
    for who in [&admin, &elsewhere] {
        assert_eq!(organization(&app, who).await["verification"], "pending");
    }
    // Nothing was linked: the director's sign-in makes a verified organisation of
    // their own, and the hand-made one can no longer be confirmed.
    let director = signed_in(&app, &provider, "director").await;
    assert_ne!(director["id"], admin.user_id.as_str());
    app.post(START, Some(&admin.access), json!({}))
        .await
        .expect_problem(409, "ogrn_taken");
    assert_eq!(organization(&app, &admin).await["verification"], "pending");
}

#[tokio::test]
async fn a_confirmation_begun_before_another_verified_the_ogrn_is_refused() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let admin = by_hand(&app, "handmade", OGRN).await;
    let body = code_for(&app, &provider, &admin, "director").await;
    // Meanwhile centre staff verify another registration of the OGRN.
    let rival = by_hand(&app, "rival", OGRN).await;
    let rival_org = organization(&app, &rival).await;
    let staff = app.staff("inspector").await;
    app.post(
        &format!(
            "/staff/organizations/{}/verify",
            rival_org["id"].as_str().unwrap()
        ),
        Some(&staff.access),
        json!({}),
    )
    .await
    .expect(200);
    app.post(FINISH, Some(&admin.access), body)
        .await
        .expect_problem(409, "ogrn_taken");
    assert_eq!(organization(&app, &admin).await["verification"], "pending");
}

#[tokio::test]
async fn only_a_pending_organisations_admin_may_start() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider).await;
    let admin = by_hand(&app, "handmade", OGRN).await;
    let citizen = app.citizen("not-an-employer").await;
    app.post(START, Some(&citizen.access), json!({}))
        .await
        .expect_problem(403, "forbidden");
    app.post(START, None, json!({}))
        .await
        .expect_problem(401, "token_invalid");
    // A colleague with a cabinet of their own, without the admin flag.
    let (_, colleague) = app.member(&admin, "handmade.colleague").await;
    app.post(START, Some(&colleague.access), json!({}))
        .await
        .expect_problem(403, "not_admin");

    // Without Госуслуги settings neither operation exists.
    let plain = portal_tests::spawn_app().await;
    let admin = by_hand(&plain, "handmade", OGRN).await;
    plain
        .post(START, Some(&admin.access), json!({}))
        .await
        .expect_problem(404, "not_found");
    plain
        .post(
            FINISH,
            Some(&admin.access),
            json!({"code": "c", "state": "s"}),
        )
        .await
        .expect_problem(404, "not_found");
}
