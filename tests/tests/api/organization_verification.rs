//! An organisation registered by hand is `pending`: it may prepare but not publish
//! vacancies or send reports until centre staff (or an ESIA sign-in) verify it.

use portal_tests::{session, spawn_app, vacancy_body, Session, TestApp};
use serde_json::{json, Value};

const OGRN: &str = "1027700132195";
const INN: &str = "7707083893";
const KPP: &str = "773601001";

fn report() -> Value {
    json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}})
}

/// Registers an organisation through the API and leaves it pending.
async fn pending(app: &TestApp) -> (Session, String) {
    let admin = session(
        &app.post(
            "/auth/register/employer",
            None,
            app.employer_body("handmade", OGRN, INN, Some(KPP)),
        )
        .await
        .expect(201)
        .body,
    );
    let org = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(org["verification"], "pending");
    (admin, org["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_pending_organisation_prepares_but_neither_publishes_nor_reports() {
    let app = spawn_app().await;
    let (admin, _) = pending(&app).await;
    app.post(
        "/employer/vacancies",
        Some(&admin.access),
        vacancy_body("Повар", "77"),
    )
    .await
    .expect_problem(409, "organization_not_verified");
    app.post("/employer/reports", Some(&admin.access), report())
        .await
        .expect_problem(409, "organization_not_verified");
    // Nothing was published.
    let bank = app.get("/vacancies?q=Повар", None).await.expect(200).body;
    assert_eq!(bank["total"], 0, "{bank:#}");
    // Preparing is allowed: a draft of the vacancy form.
    app.post(
        "/drafts",
        Some(&admin.access),
        json!({"kind": "vacancy", "payload": {"title": "Повар"}}),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn centre_staff_verify_an_organisation_of_their_centre() {
    let app = spawn_app().await;
    let (admin, id) = pending(&app).await;
    let path = format!("/staff/organizations/{id}/verify");
    // An employer may not verify their own organisation; another centre's staff see
    // nothing there.
    app.post(&path, Some(&admin.access), json!({}))
        .await
        .expect_problem(403, "forbidden");
    let elsewhere = app.other_centre().await;
    let stranger = app.staff_of("stranger", &elsewhere).await;
    app.post(&path, Some(&stranger.access), json!({}))
        .await
        .expect_problem(404, "not_found");
    app.post("/employer/reports", Some(&admin.access), report())
        .await
        .expect_problem(409, "organization_not_verified");

    let staff = app.staff("verifier").await;
    let done = app
        .post(&path, Some(&staff.access), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(done, json!({"id": id, "verification": "verified"}));
    app.post(&path, Some(&staff.access), json!({}))
        .await
        .expect(200);
    let org = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(org["verification"], "verified");
    app.post_vacancy(&admin, vacancy_body("Повар", "77")).await;
    app.post("/employer/reports", Some(&admin.access), report())
        .await
        .expect(201);
    app.post(
        "/staff/organizations/no-such-organization/verify",
        Some(&staff.access),
        json!({}),
    )
    .await
    .expect_problem(404, "not_found");
}
