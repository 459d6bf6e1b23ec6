//! Interviews after the negotiations: once the citizen has withdrawn the application,
//! nobody accepts, moves or records a result of its interviews any more (409
//! `negotiations_closed`, nothing changes); an open one can still be cancelled by
//! either side.

use serde_json::json;

use super::{in_hours, negotiating, time_passes};
use diesel::prelude::*;
use portal_tests::{spawn_app, TestApp};

/// Puts an interview in `status` directly, as earlier moves would have.
async fn set_status(app: &TestApp, interview: &str, status: &'static str) {
    use persistence::schema::interviews;
    let id = interview.to_owned();
    app.with_db(move |conn| {
        diesel::update(interviews::table.find(id))
            .set(interviews::status.eq(status))
            .execute(conn)
            .unwrap()
    })
    .await;
}

/// The interview's status as the citizen sees it.
async fn status_of(app: &TestApp, citizen: &str, interview: &str) -> String {
    let seen = app
        .get("/citizen/interviews?per_page=100", Some(citizen))
        .await
        .expect(200)
        .body;
    seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == interview)
        .unwrap_or_else(|| panic!("{interview} not listed: {seen}"))["status"]["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn only_cancelling_is_left_once_the_application_is_withdrawn() {
    let app = spawn_app().await;
    let s = negotiating(&app).await;
    let responses = format!(
        "/citizen/job-search-applications/{}/responses",
        s.application
    );
    let response = app
        .post(
            &responses,
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Здравствуйте"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invite =
        |at: String| json!({"scheduled_at": at, "place": "офис", "contact_person": "Петров"});
    let first = app
        .post(
            &format!("/employer/responses/{response}/invite"),
            Some(&s.employer.access),
            invite(in_hours(24)),
        )
        .await
        .expect(200)
        .body["interview"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!(
            "/citizen/job-search-applications/{}/transitions",
            s.application
        ),
        Some(&s.citizen.access),
        json!({"to": "withdrawn", "comment": "Нашёл работу сам"}),
    )
    .await
    .expect(200);

    // The invitation can no longer be accepted, declined or moved.
    let citizen_moves = [
        ("accept", json!({})),
        ("decline", json!({"comment": "Передумал"})),
        (
            "reschedule",
            json!({"proposed_at": in_hours(48), "comment": "Позже"}),
        ),
    ];
    for (verb, body) in citizen_moves {
        let r = app
            .post(
                &format!("/citizen/interviews/{first}/{verb}"),
                Some(&s.citizen.access),
                body,
            )
            .await
            .expect_problem(409, "negotiations_closed");
        assert_eq!(r.body["reason"]["code"], "withdrawn", "{verb}");
    }
    assert_eq!(status_of(&app, &s.citizen.access, &first).await, "invited");

    // Nor does the employer answer a reschedule request or record a result.
    set_status(&app, &first, "reschedule_requested").await;
    app.post(
        &format!("/employer/interviews/{first}/reschedule"),
        Some(&s.employer.access),
        json!({"scheduled_at": in_hours(72)}),
    )
    .await
    .expect_problem(409, "negotiations_closed");
    set_status(&app, &first, "confirmed").await;
    time_passes(&app, &first).await;
    app.post(
        &format!("/employer/interviews/{first}/result"),
        Some(&s.employer.access),
        json!({"outcome": "hired", "comment": "Вышел на работу"}),
    )
    .await
    .expect_problem(409, "negotiations_closed");
    assert_eq!(
        status_of(&app, &s.citizen.access, &first).await,
        "confirmed"
    );

    // The employer still cancels it, and the citizen hears of it.
    let cancelled = app
        .post(
            &format!("/employer/interviews/{first}/cancel"),
            Some(&s.employer.access),
            json!({"comment": "Кандидат отозвал заявление"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(cancelled["status"]["code"], "cancelled");
    // A second cancel is a refused move of the machine, not of the application.
    app.post(
        &format!("/citizen/interviews/{first}/cancel"),
        Some(&s.citizen.access),
        json!({}),
    )
    .await
    .expect_problem(409, "invalid_interview_move");
}
