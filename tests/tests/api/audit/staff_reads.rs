//! Staff work lists show people's data too: the documents queue and the job-search
//! work list leave an entry in the journal of each person on the page, opening an
//! application leaves one, and a citizen registered at the centre reads who did it.

use portal_tests::files::pdf;
use portal_tests::{citizen_body, spawn_app, Session};
use serde_json::json;

use super::{actions, journal, staff_named};

#[tokio::test]
async fn staff_registering_a_citizen_is_the_first_entry_of_their_journal() {
    let app = spawn_app().await;
    let staff = staff_named(
        &app,
        "reg.ivanova",
        "Иванова Мария Петровна",
        &app.centre_id,
        false,
    )
    .await;
    let mut body = citizen_body("walked.in");
    body["password"] = json!(portal_tests::PASSWORD);
    app.post("/staff/citizens", Some(&staff.access), body)
        .await
        .expect(201);
    let tokens = app
        .login("walked.in", portal_tests::PASSWORD)
        .await
        .expect(200)
        .body;
    let citizen = Session {
        user_id: String::new(),
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    let page = journal(&app, &citizen, "?kind=change").await;
    assert_eq!(actions(&page), ["account_create"]);
    assert_eq!(
        page["items"][0]["text"],
        "Регистрация учётной записи: сотрудник ЦЗН Иванова М. П. (ГКУ ЦЗН «Центральный»)"
    );
}

#[tokio::test]
async fn the_documents_queue_is_journaled_for_each_citizen_on_the_page() {
    let app = spawn_app().await;
    let anna = app.citizen("queue.anna").await;
    let boris = app.citizen("queue.boris").await;
    let quiet = app.citizen("queue.quiet").await;
    let staff = app.staff("queue.reviewer").await;
    for who in [&anna, &boris] {
        for kind in ["passport", "education"] {
            app.upload_document(&who.access, kind, "Скан.pdf", pdf())
                .await
                .expect(201);
        }
    }
    let queue = app
        .get("/staff/documents?status=on_review", Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(queue["total"], 4);

    // One entry per person on the page, however many of their documents it shows.
    for who in [&anna, &boris] {
        let page = journal(&app, who, "?kind=read").await;
        assert_eq!(actions(&page), ["documents_listed"]);
    }
    assert_eq!(journal(&app, &quiet, "?kind=read").await["total"], 0);

    // A page with nobody on it journals nothing.
    app.get(
        "/staff/documents?status=on_review&page=9",
        Some(&staff.access),
    )
    .await
    .expect(200);
    assert_eq!(journal(&app, &anna, "?kind=read").await["total"], 1);
}

#[tokio::test]
async fn staff_listing_and_opening_job_search_applications_is_journaled() {
    let app = spawn_app().await;
    let citizen = app.citizen("js.anna").await;
    let staff = app.staff("js.consultant").await;
    let resume = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            json!({
                "title": "Повар", "profession_code": "16675", "category": "services",
                "region_code": "77", "salary": 75000, "experience": "from_3_to_6",
                "education": "secondary_vocational", "employment_type": "full_time",
                "schedule": "shift", "skills": [], "about": "Работал поваром",
                "published": true
            }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let application = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume, "claims_unemployed": false}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The citizen reading their own application leaves nothing.
    app.get(
        &format!("/citizen/job-search-applications/{application}"),
        Some(&citizen.access),
    )
    .await
    .expect(200);
    assert_eq!(journal(&app, &citizen, "?kind=read").await["total"], 0);

    app.get("/staff/job-search-applications", Some(&staff.access))
        .await
        .expect(200);
    app.get(
        &format!("/staff/job-search-applications/{application}"),
        Some(&staff.access),
    )
    .await
    .expect(200);
    let page = journal(&app, &citizen, "?kind=read").await;
    assert_eq!(actions(&page), ["application_read", "applications_listed"]);
    assert!(page["items"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Просмотр заявления о содействии в поиске работы: сотрудник ЦЗН"));
}

#[tokio::test]
async fn many_reads_at_once_each_leave_their_entry() {
    let app = spawn_app().await;
    let citizen = app.citizen("busy.anna").await;
    let staff = app.staff("busy.reader").await;
    let path = format!("/staff/citizens/{}", citizen.user_id);
    let reads = (0..40).map(|_| app.get(&path, Some(&staff.access)));
    for r in futures_util::future::join_all(reads).await {
        r.expect(200);
    }
    assert_eq!(journal(&app, &citizen, "?kind=read").await["total"], 40);
}

#[tokio::test]
async fn a_read_the_journal_cannot_record_is_not_served() {
    let app = spawn_app().await;
    let citizen = app.citizen("unrecorded.anna").await;
    let staff = app.staff("unrecorded.reader").await;
    app.with_db(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("ALTER TABLE audit_events RENAME TO audit_events_away")
            .execute(conn)
            .unwrap();
    })
    .await;
    let r = app
        .get(
            &format!("/staff/citizens/{}", citizen.user_id),
            Some(&staff.access),
        )
        .await
        .expect_problem(503, "service_unavailable");
    assert!(
        !r.body.to_string().contains("unrecorded.anna"),
        "nothing of the card leaves: {}",
        r.body
    );
}

#[tokio::test]
async fn the_benefit_applications_list_is_journaled_for_each_applicant_on_the_page() {
    use crate::benefits::{unemployed_with_documents, CARD};
    let app = spawn_app().await;
    let staff = app.staff("benefit.reviewer").await;
    let mut applicants = Vec::new();
    for login in ["benefit.anna", "benefit.boris"] {
        let (citizen, docs) = unemployed_with_documents(&app, login, &staff).await;
        app.post(
            "/citizen/benefit-applications",
            Some(&citizen.access),
            json!({"payout_method": "card", "card_number": CARD, "document_ids": docs}),
        )
        .await
        .expect(201);
        applicants.push(citizen);
    }
    let quiet = app.citizen("benefit.quiet").await;
    for who in applicants.iter().chain([&quiet]) {
        assert_eq!(journal(&app, who, "?kind=read").await["total"], 0);
    }

    let list = app
        .get("/staff/benefit-applications", Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(list["total"], 2);
    for who in &applicants {
        let page = journal(&app, who, "?kind=read").await;
        assert_eq!(actions(&page), ["benefit_applications_listed"]);
        let text = page["items"][0]["text"].as_str().unwrap();
        assert!(
            text.starts_with(
                "Просмотр вашего заявления о пособии в списке заявлений ЦЗН: сотрудник ЦЗН"
            ),
            "{text}"
        );
    }
    assert_eq!(journal(&app, &quiet, "?kind=read").await["total"], 0);
}
