//! `updated_since` on the lists apps poll (issue 17): each lists exactly what was
//! created or changed strictly after the moment, and refuses a malformed one.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use portal_tests::{spawn_app, vacancy_body, Session, TestApp};
use serde_json::{json, Value};

/// The present moment as a client sends it, between two short pauses so that what
/// came before is older and what comes after newer.
async fn moment() -> String {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    tokio::time::sleep(Duration::from_millis(20)).await;
    at
}

/// The ids a list answers for `path` with `updated_since=at`.
async fn ids(app: &TestApp, path: &str, who: Option<&Session>, at: &str) -> Vec<String> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let body = app
        .get(
            &format!("{path}{sep}updated_since={at}&per_page=100"),
            who.map(|s| s.access.as_str()),
        )
        .await
        .expect(200)
        .body;
    let items = body["items"].as_array().unwrap();
    assert_eq!(body["total"], items.len(), "{path}: total counts the same");
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A list of exactly this id.
fn only(id: &str) -> Vec<String> {
    vec![id.to_owned()]
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn appeals_and_notifications_list_what_changed_after_the_moment() {
    let app = spawn_app().await;
    let citizen = app.citizen("since.citizen").await;
    let staff = app.staff("since.staff").await;
    let a = id(&app.file_appeal(&citizen.access, "Первое").await);
    let before_b = moment().await;
    let b = id(&app.file_appeal(&citizen.access, "Второе").await);
    assert_eq!(
        ids(&app, "/appeals", Some(&citizen), &before_b).await,
        only(&b)
    );
    let before_move = moment().await;
    assert!(ids(&app, "/appeals", Some(&citizen), &before_move)
        .await
        .is_empty());
    app.transition(&staff.access, &a, "in_progress", None)
        .await
        .expect(200);
    assert_eq!(
        ids(&app, "/appeals", Some(&citizen), &before_move).await,
        only(&a)
    );
    // The appeal's own `updated_at` is a cursor: nothing is newer than the newest.
    let newest = app
        .get(&format!("/appeals/{a}"), Some(&citizen.access))
        .await
        .expect(200)
        .body["updated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(ids(&app, "/appeals", Some(&citizen), &newest)
        .await
        .is_empty());

    // The move told the citizen; a second move tells again.
    let first = ids(&app, "/notifications", Some(&citizen), &before_move).await;
    assert_eq!(first.len(), 1);
    let before_second = moment().await;
    app.transition(&staff.access, &b, "in_progress", None)
        .await
        .expect(200);
    let second = ids(&app, "/notifications", Some(&citizen), &before_second).await;
    assert_eq!(second.len(), 1);
    assert_ne!(second, first);
    // Reading the second changes it (opening appeal A read the first already).
    let before_read = moment().await;
    app.post(
        &format!("/notifications/{}/read", second[0]),
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect(204);
    assert_eq!(
        ids(&app, "/notifications", Some(&citizen), &before_read).await,
        second
    );
}

#[tokio::test]
async fn vacancies_list_what_was_published_or_edited_after_the_moment() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let a = id(&app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await);
    let before_b = moment().await;
    let b = id(&app
        .post_vacancy(&employer, vacancy_body("Пекарь", "77"))
        .await);
    assert_eq!(
        ids(&app, "/employer/vacancies", Some(&employer), &before_b).await,
        only(&b)
    );
    assert_eq!(ids(&app, "/vacancies", None, &before_b).await, only(&b));
    assert_eq!(
        ids(&app, "/vacancies?region=77", None, &before_b).await,
        only(&b)
    );

    let before_edit = moment().await;
    assert!(ids(&app, "/vacancies", None, &before_edit).await.is_empty());
    app.patch(
        &format!("/employer/vacancies/{a}"),
        Some(&employer.access),
        json!({"salary_to": 95000}),
    )
    .await
    .expect(200);
    assert_eq!(
        ids(&app, "/employer/vacancies", Some(&employer), &before_edit).await,
        only(&a)
    );
    assert_eq!(ids(&app, "/vacancies", None, &before_edit).await, only(&a));
}

#[tokio::test]
async fn applications_and_responses_list_what_changed_after_the_moment() {
    let app = spawn_app().await;
    let s = crate::interviews::negotiating(&app).await;
    let before_response = moment().await;
    assert!(ids(
        &app,
        "/citizen/job-search-applications",
        Some(&s.citizen),
        &before_response
    )
    .await
    .is_empty());
    assert!(ids(
        &app,
        "/employer/responses",
        Some(&s.employer),
        &before_response
    )
    .await
    .is_empty());
    let response = id(&app
        .post(
            &format!(
                "/citizen/job-search-applications/{}/responses",
                s.application
            ),
            Some(&s.citizen.access),
            json!({"vacancy_id": s.vacancy, "cover_letter": "Готов"}),
        )
        .await
        .expect(201)
        .body);
    assert_eq!(
        ids(
            &app,
            "/employer/responses",
            Some(&s.employer),
            &before_response
        )
        .await,
        only(&response)
    );
    let before_refusal = moment().await;
    assert!(ids(
        &app,
        "/employer/responses",
        Some(&s.employer),
        &before_refusal
    )
    .await
    .is_empty());
    app.post(
        &format!("/employer/responses/{response}/refuse"),
        Some(&s.employer.access),
        json!({"reason": "Вакансия закрыта"}),
    )
    .await
    .expect(200);
    assert_eq!(
        ids(
            &app,
            "/employer/responses",
            Some(&s.employer),
            &before_refusal
        )
        .await,
        only(&response)
    );

    // The application moves when the citizen withdraws it.
    let before_withdrawal = moment().await;
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
    assert_eq!(
        ids(
            &app,
            "/citizen/job-search-applications",
            Some(&s.citizen),
            &before_withdrawal
        )
        .await,
        only(&s.application)
    );
    assert_eq!(
        ids(
            &app,
            "/staff/job-search-applications",
            Some(&s.staff),
            &before_withdrawal
        )
        .await,
        only(&s.application)
    );
}

#[tokio::test]
async fn a_malformed_or_absurd_moment_is_refused() {
    let app = spawn_app().await;
    let citizen = app.citizen("since.bad").await;
    for bad in [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-12-01",
        "9999-01-01T00:00:00Z",
    ] {
        for path in ["/appeals", "/notifications", "/vacancies"] {
            let r = app
                .get(
                    &format!("{path}?updated_since={bad}"),
                    Some(&citizen.access),
                )
                .await
                .expect_problem(422, "validation_failed");
            assert_eq!(r.error_fields(), ["updated_since"], "{path}?{bad}");
        }
    }
}
