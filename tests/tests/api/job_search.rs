//! Job-search applications (seed 004) and the centre's calendar: filing, one open
//! application, acceptance booking the personal visit, bookings that never collide.

use chrono::{TimeDelta, Utc};
use portal_tests::{spawn_app, vacancy_body, Session, TestApp};
use serde_json::{json, Value};

fn resume_body() -> Value {
    json!({
        "title": "Повар",
        "profession_code": "16675",
        "category": "services",
        "region_code": "77",
        "salary": 75000,
        "experience": "from_3_to_6",
        "education": "secondary_vocational",
        "employment_type": "full_time",
        "schedule": "shift",
        "skills": ["Европейская кухня"],
        "about": "Работал поваром",
        "published": true
    })
}

async fn resume(app: &TestApp, citizen: &Session) -> String {
    app.post("/citizen/resumes", Some(&citizen.access), resume_body())
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn apply(app: &TestApp, citizen: &Session, claims_unemployed: bool) -> Value {
    let resume_id = resume(app, citizen).await;
    app.post(
        "/citizen/job-search-applications",
        Some(&citizen.access),
        json!({"resume_id": resume_id, "claims_unemployed": claims_unemployed}),
    )
    .await
    .expect(201)
    .body
}

/// Publishes two weeks of slots, every day 08:00–18:00 UTC, from today on.
/// Slots from tomorrow on: one of today's could start between a test's listing and
/// its booking (a test run at 14:29:59 listed the 14:30 slot, then found it started).
async fn publish_slots(app: &TestApp, staff: &Session) -> u64 {
    let tomorrow = Utc::now().date_naive() + TimeDelta::days(1);
    app.post(
        "/staff/slots",
        Some(&staff.access),
        json!({
            "date_from": tomorrow, "date_to": tomorrow + TimeDelta::days(14),
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "opens": "08:00:00", "closes": "18:00:00",
            "break_from": "12:00:00", "break_to": "13:00:00",
            "slot_minutes": 30
        }),
    )
    .await
    .expect(201)
    .body["created"]
        .as_u64()
        .unwrap()
}

async fn accept(app: &TestApp, staff: &Session, id: &str) -> Value {
    app.post(
        &format!("/staff/job-search-applications/{id}/transitions"),
        Some(&staff.access),
        json!({"to": "accepted"}),
    )
    .await
    .expect(200)
    .body
}

#[tokio::test]
async fn filing_takes_the_resume_favourites_and_draft_and_allows_one_open() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let vacancy = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let vacancy_id = vacancy["id"].as_str().unwrap();
    let citizen = app.citizen("seeker").await;
    let resume_id = resume(&app, &citizen).await;
    app.send(
        app.client
            .put(app.url(&format!("/citizen/favourite-vacancies/{vacancy_id}")))
            .bearer_auth(&citizen.access),
    )
    .await
    .expect(204);
    let draft = app
        .post(
            "/drafts",
            Some(&citizen.access),
            json!({"kind": "job_search_application", "payload": {"resume_id": resume_id}}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another citizen's resume and a vacancy not starred are refused by field.
    let stranger = app.citizen("stranger").await;
    let strangers_resume = resume(&app, &stranger).await;
    let r = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": strangers_resume, "claims_unemployed": true}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["resume_id"]);
    let r = app
        .post(
            "/citizen/job-search-applications",
            Some(&stranger.access),
            json!({"resume_id": strangers_resume, "claims_unemployed": true,
                   "found_vacancy_ids": [vacancy_id]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["found_vacancy_ids[0]"]);
    let r = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume_id, "claims_unemployed": true, "salary_from": 0,
                   "employment_types": ["forever"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["employment_types[0]", "salary_from"]);

    let r = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume_id, "claims_unemployed": true, "salary_from": 70000,
                   "schedules": ["shift", "flexible"], "found_vacancy_ids": [vacancy_id],
                   "draft_id": draft}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/citizen/job-search-applications/{id}").as_str())
    );
    let a = &r.body;
    assert_eq!(a["status"], json!({"code": "submitted", "title": "Подано"}));
    assert_eq!(a["centre"]["id"], app.centre_id);
    assert_eq!(a["citizen"]["name"], "Иванов Иван Иванович");
    assert_eq!(a["wishes"]["profession_code"], "16675");
    assert_eq!(a["wishes"]["region_code"], "77");
    assert_eq!(a["wishes"]["salary_from"], 70000);
    assert_eq!(a["wishes"]["employment_types"][0]["code"], "full_time");
    assert_eq!(a["wishes"]["schedules"].as_array().unwrap().len(), 2);
    assert_eq!(a["found_vacancies"][0]["id"], vacancy_id);
    assert_eq!(a["history"][0]["to"]["code"], "submitted");
    assert_eq!(a["history"][0]["actor_role"], "citizen");
    app.get(&format!("/drafts/{draft}"), Some(&citizen.access))
        .await
        .expect(404);

    // One open application: the second names the first.
    let r = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume_id, "claims_unemployed": false}),
        )
        .await
        .expect_problem(409, "open_application_exists");
    assert_eq!(r.body["existing_id"], id.as_str());

    let list = app
        .get("/citizen/job-search-applications", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id.as_str());
    let path = format!("/citizen/job-search-applications/{id}");
    app.get(&path, Some(&citizen.access)).await.expect(200);
    // Nobody else sees it: another citizen, staff of another centre, an employer.
    app.get(&path, Some(&stranger.access)).await.expect(404);
    let elsewhere = app.other_centre().await;
    let far_staff = app.staff_of("far-staff", &elsewhere).await;
    app.get(
        &format!("/staff/job-search-applications/{id}"),
        Some(&far_staff.access),
    )
    .await
    .expect(404);
    app.get(&path, Some(&employer.access))
        .await
        .expect_problem(403, "forbidden");
    let staff = app.staff("js-staff").await;
    let work = app
        .get(
            "/staff/job-search-applications?status=submitted",
            Some(&staff.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(work["total"], 1);

    // Withdrawn, the citizen may file again.
    let move_path = format!("/citizen/job-search-applications/{id}/transitions");
    app.post(&move_path, Some(&citizen.access), json!({"to": "accepted"}))
        .await
        .expect_problem(403, "transition_not_permitted");
    let r = app
        .post(
            &move_path,
            Some(&citizen.access),
            json!({"to": "withdrawn", "comment": " "}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["comment"]);
    let r = app
        .post(
            &move_path,
            Some(&citizen.access),
            json!({"to": "withdrawn", "comment": "Нашёл работу сам"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "withdrawn");
    assert_eq!(r.body["history"][1]["comment"], "Нашёл работу сам");
    app.post(
        &move_path,
        Some(&citizen.access),
        json!({"to": "withdrawn", "comment": "x"}),
    )
    .await
    .expect_problem(409, "invalid_transition");
    app.post(
        "/citizen/job-search-applications",
        Some(&citizen.access),
        json!({"resume_id": resume_id, "claims_unemployed": false}),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn acceptance_books_the_first_free_slot_and_tells_the_citizen() {
    let app = spawn_app().await;
    let staff = app.staff("consultant").await;
    assert!(publish_slots(&app, &staff).await > 100);
    // Publishing again adds nothing.
    assert_eq!(publish_slots(&app, &staff).await, 0);
    let citizen = app.citizen("visitor").await;
    app.send(
        app.client
            .put(app.url("/subscriptions"))
            .bearer_auth(&citizen.access)
            .json(&json!({"subscriptions": [
                {"category": "deadlines", "channel": "email", "enabled": true}
            ]})),
    )
    .await
    .expect(200);
    let slots_path = format!("/centres/{}/slots", app.centre_id);
    let free_before = app.get(&slots_path, None).await.expect(200).body;
    let first = free_before[0].clone();

    let filed = apply(&app, &citizen, false).await;
    let id = filed["id"].as_str().unwrap();
    // A refusal needs its reason; the citizen cannot accept.
    let staff_path = format!("/staff/job-search-applications/{id}/transitions");
    let r = app
        .post(&staff_path, Some(&staff.access), json!({"to": "refused"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["comment"]);
    app.post(&staff_path, Some(&staff.access), json!({"to": "closed"}))
        .await
        .expect_problem(409, "invalid_transition");

    let accepted = accept(&app, &staff, id).await;
    let today = Utc::now().date_naive();
    assert_eq!(accepted["status"]["code"], "accepted");
    assert_eq!(
        accepted["visit_deadline"],
        (today + TimeDelta::days(5)).to_string()
    );
    assert_eq!(accepted["attention"], Value::Null);
    assert_eq!(accepted["consultant"]["name"], "Сотрудник ЦЗН");
    let visit = &accepted["visit"];
    assert_eq!(visit["slot_id"], first["id"]);
    assert_eq!(visit["starts_at"], first["starts_at"]);
    assert_eq!(visit["purpose"]["code"], "job_search_visit");
    assert_eq!(visit["centre"]["address"], "г. Москва");

    // The slot left the free list and is the citizen's appointment.
    let free_after = app.get(&slots_path, None).await.expect(200).body;
    assert_eq!(
        free_after.as_array().unwrap().len() + 1,
        free_before.as_array().unwrap().len()
    );
    assert_ne!(free_after[0]["id"], first["id"]);
    let mine = app
        .get("/citizen/appointments", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["application_id"], id);

    // Told in the cabinet (status and visit) and by e-mail (the visit: subscribed).
    let notes = app
        .get("/notifications", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    let items = notes["items"].as_array().unwrap();
    let visit_note = items
        .iter()
        .find(|n| n["category"]["code"] == "deadlines")
        .unwrap_or_else(|| panic!("a visit notice: {notes:#}"));
    let body = visit_note["body"].as_str().unwrap();
    assert!(body.contains("по адресу: г. Москва"), "{body}");
    assert!(body.contains("— Паспорт"), "{body}");
    assert!(!body.contains("Справка о среднем заработке"), "{body}");
    assert!(
        body.contains("Ваш персональный консультант: Сотрудник ЦЗН"),
        "{body}"
    );
    assert!(items.iter().any(|n| n["title"]
        .as_str()
        .is_some_and(|t| t.ends_with("Принято к рассмотрению"))));
    let mail = app
        .with_db(|conn| persistence::outbox::to_recipient(conn, "visitor@example.ru").unwrap())
        .await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(mail[0].body.contains("Возьмите с собой"));

    // Refusing after the visit was missed frees the slot again.
    let refused = app
        .post(
            &staff_path,
            Some(&staff.access),
            json!({"to": "refused", "comment": "Не явился на личный приём"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(refused["visit"], Value::Null);
    let free_again = app.get(&slots_path, None).await.expect(200).body;
    assert_eq!(free_again[0]["id"], first["id"]);
}

#[tokio::test]
async fn acceptance_without_a_slot_by_the_deadline_goes_to_staff() {
    let app = spawn_app().await;
    let staff = app.staff("busy-staff").await;
    let citizen = app.citizen("unlucky").await;
    // Slots only after the 11-day deadline.
    let later = Utc::now().date_naive() + TimeDelta::days(12);
    app.post(
        "/staff/slots",
        Some(&staff.access),
        json!({"date_from": later, "date_to": later, "weekdays": [1, 2, 3, 4, 5, 6, 7],
               "opens": "09:00:00", "closes": "10:00:00", "slot_minutes": 60}),
    )
    .await
    .expect(201);
    let filed = apply(&app, &citizen, true).await;
    let accepted = accept(&app, &staff, filed["id"].as_str().unwrap()).await;
    assert_eq!(accepted["visit"], Value::Null);
    assert_eq!(
        accepted["visit_deadline"],
        (Utc::now().date_naive() + TimeDelta::days(11)).to_string()
    );
    assert_eq!(accepted["attention"]["code"], "no_slot_by_deadline");
    let work = app
        .get(
            "/staff/job-search-applications?attention=no_slot_by_deadline",
            Some(&staff.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(work["total"], 1);
    assert_eq!(work["items"][0]["id"], filed["id"]);
}

#[tokio::test]
async fn twenty_concurrent_bookings_of_one_slot_give_one_201() {
    let app = spawn_app().await;
    let staff = app.staff("calendar-staff").await;
    publish_slots(&app, &staff).await;
    let slots = app
        .get(&format!("/centres/{}/slots", app.centre_id), None)
        .await
        .expect(200)
        .body;
    let slot = slots[0]["id"].as_str().unwrap().to_owned();
    let mut citizens = Vec::new();
    for i in 0..20 {
        citizens.push(app.citizen(&format!("rush{i}")).await);
    }
    let app = &app;
    let answers = futures_util::future::join_all(citizens.iter().map(|c| {
        let slot = slot.clone();
        async move {
            app.post(
                "/citizen/appointments",
                Some(&c.access),
                json!({"slot_id": slot}),
            )
            .await
        }
    }))
    .await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    let taken = answers
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "slot_taken")
        .count();
    assert_eq!((created, taken), (1, 19), "{answers:#?}");
}

#[tokio::test]
async fn appointments_are_private_and_cancel_before_they_start() {
    let app = spawn_app().await;
    let staff = app.staff("cal-staff").await;
    // Bad opening hours name their field.
    let today = Utc::now().date_naive();
    let r = app
        .post(
            "/staff/slots",
            Some(&staff.access),
            json!({"date_from": today, "date_to": today, "weekdays": [1, 8],
                   "opens": "09:00:00", "closes": "10:00:00", "slot_minutes": 30}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["weekdays[1]"]);
    let r = app
        .post(
            "/staff/slots",
            Some(&staff.access),
            json!({"date_from": today, "date_to": today, "weekdays": [1],
                   "opens": "09:00:00", "closes": "10:00:00", "slot_minutes": 1}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["slot_minutes"]);
    let citizen = app.citizen("booker").await;
    app.post(
        "/staff/slots",
        Some(&citizen.access),
        json!({"date_from": today, "date_to": today, "weekdays": [1],
               "opens": "09:00:00", "closes": "10:00:00", "slot_minutes": 30}),
    )
    .await
    .expect_problem(403, "forbidden");
    publish_slots(&app, &staff).await;
    let slots = app
        .get(&format!("/centres/{}/slots", app.centre_id), None)
        .await
        .expect(200)
        .body;
    let slot = slots[0]["id"].as_str().unwrap();

    let r = app
        .post(
            "/citizen/appointments",
            Some(&citizen.access),
            json!({"slot_id": "no-such-slot"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["slot_id"]);
    let booked = app
        .post(
            "/citizen/appointments",
            Some(&citizen.access),
            json!({"slot_id": slot}),
        )
        .await
        .expect(201);
    let id = booked.body["id"].as_str().unwrap().to_owned();
    assert_eq!(booked.body["purpose"]["code"], "consultation");
    let path = format!("/citizen/appointments/{id}");
    assert_eq!(
        booked.header("location"),
        Some(format!("/api/v1{path}").as_str())
    );

    let other = app.citizen("nosy").await;
    app.get(&path, Some(&other.access)).await.expect(404);
    app.delete(&path, Some(&other.access)).await.expect(404);
    app.get(&path, Some(&citizen.access)).await.expect(200);

    // An employer books the manager's reception the same way.
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let r = app
        .post(
            "/employer/appointments",
            Some(&employer.access),
            json!({"slot_id": slot}),
        )
        .await
        .expect_problem(409, "slot_taken");
    assert!(r.body["detail"].is_string());

    let cancelled = app.delete(&path, Some(&citizen.access)).await.expect(200);
    assert!(cancelled.body["cancelled_at"].is_string());
    app.delete(&path, Some(&citizen.access))
        .await
        .expect_problem(409, "already_cancelled");
    let r = app
        .post(
            "/employer/appointments",
            Some(&employer.access),
            json!({"slot_id": slot}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["purpose"]["code"], "manager_meeting");
    let mine = app
        .get("/employer/appointments", Some(&employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let listed = app
        .get("/citizen/appointments", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert!(listed[0]["cancelled_at"].is_string());
    app.get("/centres/no-such-centre/slots", None)
        .await
        .expect(404);
    let far = format!("/centres/{}/slots?date_from=2999-12-31", app.centre_id);
    let r = app
        .get(&far, None)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["date_from"]);
}

#[tokio::test]
async fn acceptance_selects_vacancies_the_citizen_orders_and_staff_agree() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let cook = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let mut waiter = vacancy_body("Официант", "77");
    waiter["profession_code"] = json!("11442");
    waiter["schedule"] = json!("flexible");
    let waiter = app.post_vacancy(&employer, waiter).await;
    app.post_vacancy(&employer, vacancy_body("Повар в Подмосковье", "50"))
        .await;
    let far = app
        .post_vacancy(&employer, vacancy_body("Повар далеко", "78"))
        .await;
    let (cook, waiter, far) = (
        cook["id"].as_str().unwrap(),
        waiter["id"].as_str().unwrap(),
        far["id"].as_str().unwrap(),
    );
    let staff = app.staff("matcher").await;
    let citizen = app.citizen("matched").await;
    let filed = apply(&app, &citizen, true).await;
    let id = filed["id"].as_str().unwrap();

    let accepted = accept(&app, &staff, id).await;
    assert_eq!(accepted["status"]["code"], "vacancies_selected");
    let history: Vec<_> = accepted["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["to"]["code"].clone(), h["actor_role"].clone()))
        .collect();
    assert_eq!(
        history,
        [
            (json!("submitted"), json!("citizen")),
            (json!("accepted"), json!("staff")),
            (json!("vacancies_selected"), Value::Null)
        ]
    );
    let offers = accepted["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 2, "{offers:#?}");
    assert_eq!(offers[0]["vacancy"]["id"], cook);
    assert_eq!(offers[0]["score"], 100);
    assert_eq!(offers[0]["relaxed"], json!([]));
    assert_eq!(offers[1]["vacancy"]["id"], waiter);
    let relaxed: Vec<_> = offers[1]["relaxed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(relaxed, ["profession", "schedule"]);
    assert_eq!(offers[1]["source"]["code"], "matched");
    // The employer hears of the candidate, once per matched vacancy.
    let notes = app
        .get("/notifications", Some(&employer.access))
        .await
        .expect(200)
        .body;
    let told = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["category"]["code"] == "suitable_candidates")
        .count();
    assert_eq!(told, 2);

    // Priorities: a permutation of the offers, nothing else.
    let prio = format!("/citizen/job-search-applications/{id}/priorities");
    let put = |token: String, body: Value| {
        let url = app.url(&prio);
        let req = app.client.put(url).bearer_auth(token).json(&body);
        app.send(req)
    };
    let r = put(citizen.access.clone(), json!({"vacancy_ids": [waiter]}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["vacancy_ids"]);
    let r = put(
        citizen.access.clone(),
        json!({"vacancy_ids": [waiter, far]}),
    )
    .await
    .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["vacancy_ids[1]"]);
    let r = put(
        citizen.access.clone(),
        json!({"vacancy_ids": [waiter, waiter]}),
    )
    .await
    .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["vacancy_ids[1]"]);
    let other = app.citizen("not-mine").await;
    put(other.access.clone(), json!({"vacancy_ids": [waiter, cook]}))
        .await
        .expect(404);
    let r = put(
        citizen.access.clone(),
        json!({"vacancy_ids": [waiter, cook]}),
    )
    .await
    .expect(200);
    assert_eq!(r.body["offers"][0]["vacancy"]["id"], waiter);
    assert_eq!(r.body["offers"][0]["priority"], 1);
    assert_eq!(r.body["offers"][1]["priority"], 2);

    // Staff add the far vacancy by hand (it scores 0: another region) and remove it.
    let edit = format!("/staff/job-search-applications/{id}/vacancies");
    let r = app
        .post(&edit, Some(&staff.access), json!({"add": ["nope"]}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["add[0]"]);
    let r = app
        .post(&edit, Some(&staff.access), json!({"add": [far]}))
        .await
        .expect(200);
    assert_eq!(r.body["offers"].as_array().unwrap().len(), 3);
    assert!(r.body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["priority"].is_null()));
    let r = app
        .post(&edit, Some(&staff.access), json!({"remove": [far]}))
        .await
        .expect(200);
    assert_eq!(r.body["offers"].as_array().unwrap().len(), 2);
    app.post(&edit, Some(&citizen.access), json!({"add": [far]}))
        .await
        .expect_problem(403, "forbidden");

    // Negotiations need the agreed vacancies, among the offers.
    let moves = format!("/staff/job-search-applications/{id}/transitions");
    let r = app
        .post(&moves, Some(&staff.access), json!({"to": "negotiations"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["agreed_vacancy_ids"]);
    let r = app
        .post(
            &moves,
            Some(&staff.access),
            json!({"to": "negotiations", "agreed_vacancy_ids": [far]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["agreed_vacancy_ids[0]"]);
    let r = app
        .post(
            &moves,
            Some(&staff.access),
            json!({"to": "negotiations", "agreed_vacancy_ids": [cook]}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "negotiations");
    let agreed: Vec<_> = r.body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["agreed"] == true)
        .map(|o| o["vacancy"]["id"].clone())
        .collect();
    assert_eq!(agreed, [json!(cook)]);
    app.post(&edit, Some(&staff.access), json!({"add": [far]}))
        .await
        .expect_problem(409, "offers_closed");
    put(
        citizen.access.clone(),
        json!({"vacancy_ids": [waiter, cook]}),
    )
    .await
    .expect_problem(409, "offers_closed");
}

#[tokio::test]
async fn a_closed_vacancy_leaves_search_and_matching_at_once() {
    let app = spawn_app().await;
    let (employer, member) = app.organization("1027700132195", "7707083893").await;
    let (other, _) = app.organization("1037739010891", "7736050003").await;
    let v = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let id = v["id"].as_str().unwrap();
    let search = "/vacancies?region=77";
    assert_eq!(app.get(search, None).await.expect(200).body["total"], 1);

    let confirm = format!("/employer/vacancies/{id}/confirm");
    let close = format!("/employer/vacancies/{id}/close");
    app.post(&confirm, Some(&other.access), json!({}))
        .await
        .expect(404);
    app.post(&close, Some(&other.access), json!({}))
        .await
        .expect(404);
    app.post(&confirm, Some(&member.access), json!({}))
        .await
        .expect(200);
    app.post(&close, Some(&employer.access), json!({}))
        .await
        .expect(200);
    app.post(&close, Some(&employer.access), json!({}))
        .await
        .expect_problem(409, "vacancy_closed");
    app.post(&confirm, Some(&employer.access), json!({}))
        .await
        .expect_problem(409, "vacancy_closed");
    assert_eq!(app.get(search, None).await.expect(200).body["total"], 0);
    app.get(&format!("/vacancies/{id}"), None).await.expect(404);

    let staff = app.staff("closer").await;
    let citizen = app.citizen("too-late").await;
    let filed = apply(&app, &citizen, false).await;
    let accepted = accept(&app, &staff, filed["id"].as_str().unwrap()).await;
    assert_eq!(accepted["status"]["code"], "accepted");
    assert_eq!(accepted["offers"], json!([]));
}
