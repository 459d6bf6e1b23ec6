use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_service_request_files_an_appeal_of_its_type_when_eligible() {
    let app = spawn_app().await;
    let citizen = app.citizen("requester").await;
    let staff = app.staff("service-staff").await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;

    let r = app
        .post(
            "/citizen/services/social_payments_info/requests",
            Some(&citizen.access),
            json!({}),
        )
        .await
        .expect_problem(409, "service_not_available");
    assert_eq!(r.body["reason"]["code"], "no_personal_account");
    app.post(
        "/citizen/services/teleportation/requests",
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post(
        "/citizen/services/career_guidance/requests",
        Some(&employer.access),
        json!({}),
    )
    .await
    .expect_problem(403, "forbidden");

    let always = app
        .post(
            "/citizen/services/career_guidance/requests",
            Some(&citizen.access),
            json!({"body": "Хочу пройти профориентацию"}),
        )
        .await
        .expect(201);
    assert_eq!(always.body["type"]["code"], "career_guidance");
    assert_eq!(always.body["body"], "Хочу пройти профориентацию");

    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
        json!({"status": "job_seeker", "goals": [], "personal_account": "40817810099910004312"}),
    )
    .await
    .expect(201);
    let draft = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "service_request", "payload": {"service": "social_payments_info"}}),
        )
        .await
        .expect(201)
        .body["id"]
        .clone();
    let filed = app
        .post(
            "/citizen/services/social_payments_info/requests",
            Some(&citizen.access),
            json!({"draft_id": draft}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(filed["type"]["code"], "social_payments_info");
    assert_eq!(filed["body"], "Информирование о социальных выплатах");
    assert_eq!(
        app.get("/drafts", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
    assert_eq!(
        app.get("/appeals", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        2
    );
}
