//! Racing moves of one interview: each is a compare-and-set on the status read, so
//! exactly one of several identical moves passes and the others change nothing.

use serde_json::json;

use super::{in_hours, negotiating};
use portal_tests::spawn_app;

#[tokio::test]
async fn of_racing_accepts_exactly_one_passes() {
    let app = spawn_app().await;
    let s = negotiating(&app).await;
    let response = app
        .post(
            &format!(
                "/citizen/job-search-applications/{}/responses",
                s.application
            ),
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Здравствуйте"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let interview = app
        .post(
            &format!("/employer/responses/{response}/invite"),
            Some(&s.employer.access),
            json!({"scheduled_at": in_hours(24), "place": "офис", "contact_person": "Петров"}),
        )
        .await
        .expect(200)
        .body["interview"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/citizen/interviews/{interview}/accept");
    let app = &app;
    let answers = futures_util::future::join_all(
        (0..8).map(|_| app.post(&path, Some(&s.citizen.access), json!({}))),
    )
    .await;
    let passed = answers.iter().filter(|r| r.status == 200).count();
    let refused = answers
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "invalid_interview_move")
        .count();
    assert_eq!((passed, refused), (1, 7), "{answers:#?}");
    // The employer was told once.
    let notes = app
        .get("/notifications?per_page=100", Some(&s.employer.access))
        .await
        .expect(200)
        .body;
    let confirmed = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["title"] == "Собеседование «Повар»: Подтверждено")
        .count();
    assert_eq!(confirmed, 1);
}
