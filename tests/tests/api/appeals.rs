use diesel::prelude::*;
use domain::appeal::AppealStatus;
use domain::Coded;
use persistence::schema::appeals;
use portal_tests::{spawn_app, Session, TestApp};
use serde_json::{json, Value};

fn status(appeal: &Value) -> &str {
    appeal["status"]["code"].as_str().unwrap()
}

async fn history_len(app: &TestApp, token: &str, id: &str) -> usize {
    app.get(&format!("/appeals/{id}/history"), Some(token))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .len()
}

/// Files a general inquiry as `token` and returns its id.
async fn filed(app: &TestApp, token: &str, text: &str) -> String {
    app.file_appeal(token, text).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Changes the appeal's subject behind the server's back, as another process would:
/// this server is not told.
async fn edit_elsewhere(app: &TestApp, id: String) {
    app.with_db(move |conn| {
        diesel::update(appeals::table.find(id))
            .set(appeals::subject.eq("Изменено в другом процессе"))
            .execute(conn)
            .unwrap();
    })
    .await;
}

async fn find_in_list(app: &TestApp, token: &str, path: &str, id: &str) -> Option<Value> {
    let page = app.get(path, Some(token)).await.expect(200).body;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
}

/// Drives a fresh appeal into `target` through the API and returns its id.
async fn appeal_in(
    app: &TestApp,
    citizen: &Session,
    staff: &Session,
    target: AppealStatus,
) -> String {
    let id = filed(app, &citizen.access, "Вопрос").await;
    let path: &[(&str, Option<&str>)] = match target {
        AppealStatus::Registered => &[],
        AppealStatus::InProgress => &[("in_progress", None)],
        AppealStatus::ClarificationRequired => &[
            ("in_progress", None),
            ("clarification_required", Some("Уточните")),
        ],
        AppealStatus::Completed => &[("in_progress", None), ("completed", None)],
        AppealStatus::Rejected => &[("rejected", Some("Не по адресу"))],
    };
    for (to, comment) in path {
        app.transition(&staff.access, &id, to, *comment)
            .await
            .expect(200);
    }
    id
}

#[tokio::test]
async fn the_whole_life_of_an_appeal_with_unread_flags() {
    let app = spawn_app().await;
    let citizen = app.citizen("applicant").await;
    let staff = app.staff("clerk").await;

    let r = app
        .post(
            "/appeals",
            Some(&citizen.access),
            json!({"type": "general_inquiry", "subject": "Постановка на учёт", "body": "Какие нужны документы?"}),
        )
        .await
        .expect(201);
    let appeal = r.body.clone();
    let id = appeal["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/appeals/{id}").as_str())
    );
    let year = chrono::Utc::now().format("%y").to_string();
    assert_eq!(appeal["number"], format!("22800001/{year}СЗН"));
    assert_eq!(
        appeal["status"],
        json!({"code": "registered", "title": "Зарегистрировано"})
    );
    assert_eq!(appeal["type"]["code"], "general_inquiry");
    assert_eq!(
        appeal["channel"],
        json!({"code": "portal", "title": "Интерактивный портал"})
    );
    assert_eq!(appeal["subject"], "Постановка на учёт");
    assert_eq!(appeal["centre"]["code"], "228");
    assert_eq!(appeal["applicant"]["name"], "Иванов Иван Иванович");
    assert_eq!(
        appeal["unread"], false,
        "filing is not news to the applicant"
    );
    let deadline = chrono::Utc::now().date_naive() + chrono::TimeDelta::days(30);
    assert_eq!(appeal["deadline"], deadline.to_string());

    // New for staff until they open it; opening clears it for them only.
    let listed = find_in_list(&app, &staff.access, "/staff/appeals", &id)
        .await
        .unwrap();
    assert_eq!(listed["unread"], true);
    let opened = app
        .get(&format!("/appeals/{id}"), Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(opened["unread"], false);
    assert_eq!(
        find_in_list(&app, &staff.access, "/staff/appeals", &id)
            .await
            .unwrap()["unread"],
        false
    );

    let moved = app
        .transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200)
        .body;
    assert_eq!(status(&moved), "in_progress");
    assert_eq!(moved["unread"], false, "the mover knows the news");
    let mine = find_in_list(&app, &citizen.access, "/appeals", &id)
        .await
        .unwrap();
    assert_eq!(
        (status(&mine), &mine["unread"]),
        ("in_progress", &json!(true))
    );
    app.get(&format!("/appeals/{id}"), Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(
        find_in_list(&app, &citizen.access, "/appeals", &id)
            .await
            .unwrap()["unread"],
        false
    );

    app.transition(&staff.access, &id, "clarification_required", None)
        .await
        .expect_problem(422, "validation_failed");
    app.transition(
        &staff.access,
        &id,
        "clarification_required",
        Some("Приложите паспорт"),
    )
    .await
    .expect(200);
    // The applicant answers; staff then see news.
    app.transition(
        &citizen.access,
        &id,
        "in_progress",
        Some("Паспорт приложен"),
    )
    .await
    .expect(200);
    assert_eq!(
        find_in_list(&app, &staff.access, "/staff/appeals", &id)
            .await
            .unwrap()["unread"],
        true
    );
    let done = app
        .transition(&staff.access, &id, "completed", None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        done["status"],
        json!({"code": "completed", "title": "Исполнено"})
    );

    let history = app
        .get(&format!("/appeals/{id}/history"), Some(&citizen.access))
        .await
        .expect(200)
        .body;
    let steps: Vec<(Value, Value, Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from"]["code"].clone(),
                h["to"]["code"].clone(),
                h["comment"].clone(),
                h["actor_role"].clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                json!(null),
                json!("registered"),
                json!(null),
                json!("citizen")
            ),
            (
                json!("registered"),
                json!("in_progress"),
                json!(null),
                json!("staff")
            ),
            (
                json!("in_progress"),
                json!("clarification_required"),
                json!("Приложите паспорт"),
                json!("staff")
            ),
            (
                json!("clarification_required"),
                json!("in_progress"),
                json!("Паспорт приложен"),
                json!("citizen")
            ),
            (
                json!("in_progress"),
                json!("completed"),
                json!(null),
                json!("staff")
            ),
        ]
    );
    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect_problem(409, "invalid_transition");
}

#[tokio::test]
async fn every_refused_move_changes_nothing() {
    let app = spawn_app().await;
    let citizen = app.citizen("mover").await;
    let staff = app.staff("judge").await;
    for &from in AppealStatus::ALL {
        let id = appeal_in(&app, &citizen, &staff, from).await;
        let before = history_len(&app, &staff.access, &id).await;
        for &to in AppealStatus::ALL {
            let (status, code) = if !from.next().contains(&to) {
                (409, "invalid_transition")
            } else if (from, to) == (AppealStatus::Registered, AppealStatus::Completed) {
                // Only the portal completes a registered appeal (a delivered report).
                (403, "transition_not_permitted")
            } else {
                continue;
            };
            let r = app
                .transition(&staff.access, &id, to.code(), Some("комментарий"))
                .await;
            r.expect_problem(status, code);
        }
        let now = app
            .get(&format!("/appeals/{id}"), Some(&staff.access))
            .await
            .expect(200)
            .body;
        assert_eq!(status(&now), from.code(), "{from} must not have moved");
        assert_eq!(
            history_len(&app, &staff.access, &id).await,
            before,
            "{from}: history unchanged"
        );
    }
}

#[tokio::test]
async fn the_applicant_cannot_make_staff_moves() {
    let app = spawn_app().await;
    let citizen = app.citizen("eager").await;
    let staff = app.staff("officer").await;
    let id = filed(&app, &citizen.access, "Прошу").await;
    for to in ["in_progress", "completed", "rejected"] {
        app.transition(&citizen.access, &id, to, Some("сам"))
            .await
            .expect_problem(403, "transition_not_permitted");
    }
    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    app.transition(&citizen.access, &id, "completed", None)
        .await
        .expect_problem(403, "transition_not_permitted");
    assert_eq!(history_len(&app, &citizen.access, &id).await, 2);
}

#[tokio::test]
async fn another_citizens_appeal_does_not_exist_for_you() {
    let app = spawn_app().await;
    let owner = app.citizen("owner").await;
    let stranger = app.citizen("stranger").await;
    let id = filed(&app, &owner.access, "Моё").await;
    app.get(&format!("/appeals/{id}"), Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    app.get(&format!("/appeals/{id}/history"), Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    app.transition(&stranger.access, &id, "in_progress", Some("x"))
        .await
        .expect_problem(404, "not_found");
    assert!(find_in_list(&app, &stranger.access, "/appeals", &id)
        .await
        .is_none());
    app.get("/appeals/not-even-an-id", Some(&owner.access))
        .await
        .expect_problem(404, "not_found");
    // The owner's copy is untouched.
    let mine = app
        .get(&format!("/appeals/{id}"), Some(&owner.access))
        .await
        .expect(200)
        .body;
    assert_eq!(status(&mine), "registered");
}

#[tokio::test]
async fn staff_of_another_centre_see_nothing() {
    let app = spawn_app().await;
    let citizen = app.citizen("local").await;
    let other = app.other_centre().await;
    let outsider = app.staff_of("outsider", &other).await;
    let id = filed(&app, &citizen.access, "Вопрос").await;
    app.get(&format!("/appeals/{id}"), Some(&outsider.access))
        .await
        .expect_problem(404, "not_found");
    app.transition(&outsider.access, &id, "in_progress", None)
        .await
        .expect_problem(404, "not_found");
    app.delete(&format!("/staff/appeals/{id}"), Some(&outsider.access))
        .await
        .expect_problem(404, "not_found");
    let page = app
        .get("/staff/appeals", Some(&outsider.access))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn numbers_run_in_sequence_per_centre() {
    let app = spawn_app().await;
    let a = app.citizen("first").await;
    let b = app.citizen("second").await;
    let year = chrono::Utc::now().format("%y").to_string();
    let n1 = app.file_appeal(&a.access, "1").await["number"].clone();
    let n2 = app.file_appeal(&b.access, "2").await["number"].clone();
    assert_eq!(n1, format!("22800001/{year}СЗН"));
    assert_eq!(n2, format!("22800002/{year}СЗН"));
    // Addressed to another centre, the sequence is that centre's own.
    let other = app.other_centre().await;
    let r = app
        .post(
            "/appeals",
            Some(&a.access),
            json!({"type": "general_inquiry", "body": "3", "centre_id": other}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["number"], format!("55500001/{year}СЗН"));
    assert_eq!(r.body["centre"]["code"], "555");
}

#[tokio::test]
async fn lists_filter_and_page() {
    // The test moves an appeal back in time behind the server's back, as another
    // process would: such changes reach a remembered total only after
    // PORTAL_CABINET_CACHE_SECONDS, so this server counts every time.
    let app = portal_tests::spawn_app_with(|s| s.cabinet_cache_seconds = 0).await;
    let citizen = app.citizen("lister").await;
    let staff = app.staff("sorter").await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(
            app.file_appeal(&citizen.access, &format!("№{i}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    app.transition(&staff.access, &ids[3], "in_progress", None)
        .await
        .expect(200);

    let page = app
        .get("/appeals", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (page["total"].clone(), page["total_pages"].clone()),
        (json!(12), json!(2))
    );
    assert_eq!(
        (page["page"].clone(), page["per_page"].clone()),
        (json!(1), json!(10))
    );
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(items[0]["id"], json!(ids[11]), "newest first");
    let second = app
        .get("/appeals?page=2&per_page=10", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    let beyond = app
        .get("/appeals?page=5", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            beyond["items"].as_array().unwrap().len(),
            beyond["total"].clone()
        ),
        (0, json!(12))
    );

    let in_progress = app
        .get("/appeals?status=in_progress", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(in_progress["total"], 1);
    assert_eq!(in_progress["items"][0]["id"], json!(ids[3]));

    let number = in_progress["items"][0]["number"].as_str().unwrap();
    let by_number = app
        .get(
            &format!("/appeals?number={}", &number[3..8]),
            Some(&citizen.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(by_number["total"], 1);
    let none = app
        .get("/appeals?number=%25", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(none["total"], 0, "% is a literal, not a wildcard");

    let by_type = app
        .get("/appeals?type=vocational_training", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(by_type["total"], 0);

    // Filed 40 days ago: outside the default window, inside an explicit one.
    let old = ids[0].clone();
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(40);
        diesel::update(appeals::table.find(old))
            .set(appeals::created_at.eq(past))
            .execute(&mut *db.conn().unwrap())
            .unwrap();
    })
    .await
    .unwrap();
    let recent = app
        .get("/appeals", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(recent["total"], 11);
    let from = (chrono::Utc::now().date_naive() - chrono::TimeDelta::days(41)).to_string();
    let to = (chrono::Utc::now().date_naive() - chrono::TimeDelta::days(39)).to_string();
    let window = app
        .get(
            &format!("/appeals?date_from={from}&date_to={to}"),
            Some(&citizen.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(window["total"], 1);
    assert_eq!(window["items"][0]["id"], json!(ids[0]));
}

#[tokio::test]
async fn staff_remove_from_their_list_but_the_proof_stays() {
    let app = spawn_app().await;
    let citizen = app.citizen("proof").await;
    let staff = app.staff("tidy").await;
    let id = filed(&app, &citizen.access, "Доказательство").await;
    app.delete(&format!("/staff/appeals/{id}"), Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
    app.delete(&format!("/staff/appeals/{id}"), Some(&staff.access))
        .await
        .expect(204);
    app.delete(&format!("/staff/appeals/{id}"), Some(&staff.access))
        .await
        .expect(204);

    assert!(find_in_list(&app, &staff.access, "/staff/appeals", &id)
        .await
        .is_none());
    let in_all = find_in_list(&app, &staff.access, "/appeals", &id)
        .await
        .unwrap();
    assert_eq!(in_all["removed_by_staff"], true);
    let mine = find_in_list(&app, &citizen.access, "/appeals", &id)
        .await
        .unwrap();
    assert_eq!(mine["removed_by_staff"], true);
    assert_eq!(history_len(&app, &citizen.access, &id).await, 1);

    // Removed while awaiting the applicant's answer: the answer brings it back.
    let waiting = appeal_in(&app, &citizen, &staff, AppealStatus::ClarificationRequired).await;
    app.delete(&format!("/staff/appeals/{waiting}"), Some(&staff.access))
        .await
        .expect(204);
    assert!(
        find_in_list(&app, &staff.access, "/staff/appeals", &waiting)
            .await
            .is_none()
    );
    app.transition(
        &citizen.access,
        &waiting,
        "in_progress",
        Some("Документы приложены"),
    )
    .await
    .expect(200);
    let back = find_in_list(&app, &staff.access, "/staff/appeals", &waiting)
        .await
        .unwrap();
    assert_eq!(
        (back["removed_by_staff"].clone(), back["unread"].clone()),
        (json!(false), json!(true))
    );
}

#[tokio::test]
async fn service_requests_follow_eligibility_as_cases_change() {
    let app = spawn_app().await;
    let citizen = app.citizen("seeker").await;
    let staff = app.staff("caseworker").await;

    let services = app
        .get("/citizen/services", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    let services = services.as_array().unwrap();
    assert_eq!(services.len(), 13);
    let training = services
        .iter()
        .find(|s| s["code"] == "vocational_training")
        .unwrap();
    assert_eq!(training["available"], false);
    assert_eq!(training["reason"], "no_unemployed_case");
    assert!(training["reason_text"]
        .as_str()
        .unwrap()
        .contains("Безработный"));

    let refused = app
        .post(
            "/appeals",
            Some(&citizen.access),
            json!({"type": "vocational_training", "body": "Хочу учиться"}),
        )
        .await
        .expect_problem(409, "service_not_available");
    assert_eq!(refused.body["reason"]["code"], "no_unemployed_case");
    let none = app
        .get("/appeals", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(none["total"], 0, "a refused request files nothing");

    let case = app
        .post(
            &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
            Some(&staff.access),
            json!({"status": "unemployed", "goals": ["job_search"]}),
        )
        .await
        .expect(201)
        .body;
    let available = |body: &Value, code: &str| {
        body.as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()["available"]
            .clone()
    };
    let now = app
        .get("/citizen/services", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(available(&now, "vocational_training"), true);
    assert_eq!(available(&now, "paid_public_works"), true);
    assert_eq!(available(&now, "social_payments_info"), false);
    let filed = app
        .post(
            "/appeals",
            Some(&citizen.access),
            json!({"type": "vocational_training", "body": "Хочу учиться"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(filed["type"]["code"], "vocational_training");
    assert_eq!(
        filed["subject"],
        "Профессиональное обучение и дополнительное профобразование"
    );

    // Closing the case takes public works away again; the unemployed status still counts.
    let case_id = case["id"].as_str().unwrap();
    app.patch(
        &format!("/staff/personal-cases/{case_id}"),
        Some(&staff.access),
        json!({"open": false}),
    )
    .await
    .expect(200);
    let closed = app
        .get("/citizen/services", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(available(&closed, "paid_public_works"), false);
    assert_eq!(available(&closed, "vocational_training"), true);
    app.post(
        "/appeals",
        Some(&citizen.access),
        json!({"type": "paid_public_works", "body": "Общественные работы"}),
    )
    .await
    .expect_problem(409, "service_not_available");
}

#[tokio::test]
async fn employers_file_their_own_kinds_and_the_admin_sees_the_organisation() {
    let app = spawn_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let staff = app.staff("employer-desk").await;
    let r = app
        .post(
            "/appeals",
            Some(&member.access),
            json!({"type": "vocational_training", "body": "x"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["type"]);
    let mine = app.file_appeal(&member.access, "Вопрос работодателя").await;
    assert_eq!(
        mine["status"],
        json!({"code": "registered", "title": "Принято ведомством"})
    );
    let id = mine["id"].as_str().unwrap().to_owned();
    let admins = app
        .file_appeal(&admin.access, "Вопрос администратора")
        .await;

    let admin_view = app
        .get("/appeals", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        admin_view["total"], 2,
        "the admin sees the organisation's appeals"
    );
    let member_view = app
        .get("/appeals", Some(&member.access))
        .await
        .expect(200)
        .body;
    assert_eq!(member_view["total"], 1, "an ordinary account sees its own");
    app.get(
        &format!("/appeals/{}", admins["id"].as_str().unwrap()),
        Some(&member.access),
    )
    .await
    .expect_problem(404, "not_found");

    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    app.transition(&staff.access, &id, "completed", None)
        .await
        .expect(200);
    let done = app
        .get(&format!("/appeals/{id}"), Some(&member.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        done["status"],
        json!({"code": "completed", "title": "Выполнено"})
    );
    let staff_view = app
        .get(&format!("/appeals/{id}"), Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(staff_view["status"]["title"], "Исполнено");
}

#[tokio::test]
async fn concurrent_moves_from_one_state_let_exactly_one_through() {
    let app = spawn_app().await;
    let citizen = app.citizen("racer").await;
    let staff = app.staff("racer-staff").await;
    let id = appeal_in(&app, &citizen, &staff, AppealStatus::InProgress).await;
    let (a, b) = tokio::join!(
        app.transition(&staff.access, &id, "completed", None),
        app.transition(&staff.access, &id, "rejected", Some("Отказ")),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(history_len(&app, &staff.access, &id).await, 3);
}

#[tokio::test]
async fn concurrent_filings_all_land_with_distinct_numbers() {
    let app = spawn_app().await;
    let citizen = app.citizen("burst").await;
    let filings = (0..16).map(|i| {
        let (app, token) = (&app, citizen.access.clone());
        async move { app.file_appeal(&token, &format!("Обращение {i}")).await }
    });
    let results = futures_util::future::join_all(filings).await;
    let mut numbers: Vec<String> = results
        .iter()
        .map(|a| a["number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 16);
    let page = app
        .get("/appeals?per_page=100", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 16);
}

/// A list's `total` after a change, asked the moment the change is answered. Totals are
/// remembered between requests (`PORTAL_CABINET_CACHE_SECONDS`); every way an appeal
/// is filed, moved or removed must drop the totals it changes.
async fn total(app: &TestApp, token: &str, path: &str) -> u64 {
    app.get(path, Some(token)).await.expect(200).body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn list_totals_follow_every_change_at_once() {
    let app = spawn_app().await;
    let citizen = app.citizen("counted").await;
    let staff = app.staff("counting-desk").await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let mine = "/appeals";
    let registered = "/staff/appeals?status=registered";
    let in_progress = "/staff/appeals?status=in_progress";
    let work_list = "/staff/appeals";
    let everything = "/appeals";

    // Each step reads the totals first, so that they are remembered when it changes them.
    assert_eq!(total(&app, &citizen.access, mine).await, 0);
    assert_eq!(total(&app, &staff.access, registered).await, 0);
    let filed = app.file_appeal(&citizen.access, "Первое").await;
    assert_eq!(total(&app, &citizen.access, mine).await, 1);
    assert_eq!(total(&app, &staff.access, registered).await, 1);

    app.post(
        "/citizen/services/career_guidance/requests",
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect(201);
    assert_eq!(total(&app, &citizen.access, mine).await, 2);
    assert_eq!(total(&app, &staff.access, registered).await, 2);

    let id = filed["id"].as_str().unwrap();
    assert_eq!(total(&app, &staff.access, in_progress).await, 0);
    assert_eq!(
        total(&app, &citizen.access, "/appeals?status=registered").await,
        2
    );
    app.transition(&staff.access, id, "in_progress", None)
        .await
        .expect(200);
    assert_eq!(total(&app, &staff.access, registered).await, 1);
    assert_eq!(total(&app, &staff.access, in_progress).await, 1);
    assert_eq!(
        total(&app, &citizen.access, "/appeals?status=registered").await,
        1
    );

    assert_eq!(total(&app, &staff.access, work_list).await, 2);
    assert_eq!(total(&app, &staff.access, everything).await, 2);
    app.delete(&format!("/staff/appeals/{id}"), Some(&staff.access))
        .await
        .expect(204);
    assert_eq!(total(&app, &staff.access, work_list).await, 1);
    assert_eq!(
        total(&app, &staff.access, everything).await,
        2,
        "removed from the work list, still among the centre's appeals"
    );

    // What the portal files for an organisation: a report, a vacancy, a change of
    // main data. The admin sees the organisation's; the centre sees all of them.
    assert_eq!(total(&app, &admin.access, mine).await, 0);
    assert_eq!(total(&app, &member.access, mine).await, 0);
    app.post(
        "/employer/reports",
        Some(&member.access),
        json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}}),
    )
    .await
    .expect(201);
    assert_eq!(total(&app, &admin.access, mine).await, 1);
    assert_eq!(total(&app, &member.access, mine).await, 1);
    assert_eq!(total(&app, &staff.access, everything).await, 3);

    app.post_vacancy(&admin, portal_tests::vacancy_body("Повар", "77"))
        .await;
    assert_eq!(total(&app, &admin.access, mine).await, 2);
    assert_eq!(total(&app, &member.access, mine).await, 1);
    assert_eq!(total(&app, &staff.access, everything).await, 4);

    app.patch(
        "/employer/organization",
        Some(&admin.access),
        json!({"name": "ООО «Новое имя»", "kpp": "773601002"}),
    )
    .await
    .expect(200);
    assert_eq!(total(&app, &admin.access, mine).await, 3);
    assert_eq!(total(&app, &staff.access, everything).await, 5);
    assert_eq!(total(&app, &citizen.access, mine).await, 2);
}

#[tokio::test]
async fn a_change_made_elsewhere_reaches_a_centres_total_within_its_lifetime() {
    let app = portal_tests::spawn_app_with(|s| s.cabinet_cache_seconds = 3).await;
    app.wait_for_the_feed().await;
    let citizen = app.citizen("elsewhere").await;
    let staff = app.staff("elsewhere-desk").await;
    let filed = app.file_appeal(&citizen.access, "Вопрос").await;
    app.let_the_feed_echo().await;
    assert_eq!(total(&app, &citizen.access, "/appeals").await, 1);
    assert_eq!(total(&app, &staff.access, "/staff/appeals").await, 1);

    // Another process (here, the test itself) moves the appeal out of the default
    // 30-day window; this server is not told.
    let id = filed["id"].as_str().unwrap().to_owned();
    app.with_db(move |conn| {
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(40);
        diesel::update(appeals::table.find(id))
            .set(appeals::created_at.eq(past))
            .execute(conn)
            .unwrap();
    })
    .await;
    // A citizen's own list is counted every time; the centre's total, shared by its
    // staff, is kept for its lifetime.
    assert_eq!(total(&app, &citizen.access, "/appeals").await, 0);
    assert_eq!(total(&app, &staff.access, "/staff/appeals").await, 1);
    tokio::time::sleep(std::time::Duration::from_millis(3_200)).await;
    assert_eq!(total(&app, &staff.access, "/staff/appeals").await, 0);
}

/// The unread flag of appeal `id` in `token`'s list.
async fn unread_in_list(app: &TestApp, token: &str, id: &str) -> Value {
    find_in_list(app, token, "/appeals", id).await.unwrap()["unread"].clone()
}

#[tokio::test]
async fn each_reader_sees_their_own_unread_flags_and_every_change_at_once() {
    let app = spawn_app().await;
    let (admin, member) = app.organization("1027700132195", "7707083893").await;
    let staff = app.staff("pages-desk").await;
    let id = filed(&app, &member.access, "Вопрос").await;
    let opened = |token: &str| {
        let (app, path, token) = (&app, format!("/appeals/{id}"), token.to_owned());
        async move { app.get(&path, Some(&token)).await.expect(200).body }
    };

    // Same organisation, same appeal, one page each: news to the admin only.
    assert_eq!(unread_in_list(&app, &admin.access, &id).await, true);
    assert_eq!(unread_in_list(&app, &member.access, &id).await, false);
    assert_eq!(opened(&admin.access).await["unread"], false);
    assert_eq!(unread_in_list(&app, &admin.access, &id).await, false);
    assert_eq!(unread_in_list(&app, &member.access, &id).await, false);

    // Staff move it: every reader sees it at once.
    assert_eq!(status(&opened(&member.access).await), "registered");
    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    assert_eq!(unread_in_list(&app, &admin.access, &id).await, true);
    assert_eq!(unread_in_list(&app, &member.access, &id).await, true);
    let seen = opened(&member.access).await;
    assert_eq!(
        (status(&seen), &seen["unread"]),
        ("in_progress", &json!(false))
    );
    assert_eq!(opened(&member.access).await, seen, "asked again");
    assert_eq!(unread_in_list(&app, &member.access, &id).await, false);
    assert_eq!(
        unread_in_list(&app, &admin.access, &id).await,
        true,
        "the member's reading is not the admin's"
    );

    // Removal from the work list shows to the applicant at once, in the list and opened.
    assert_eq!(opened(&member.access).await["removed_by_staff"], false);
    app.delete(&format!("/staff/appeals/{id}"), Some(&staff.access))
        .await
        .expect(204);
    assert_eq!(opened(&member.access).await["removed_by_staff"], true);
    assert_eq!(
        find_in_list(&app, &admin.access, "/appeals", &id)
            .await
            .unwrap()["removed_by_staff"],
        true
    );
}

#[tokio::test]
async fn a_remembered_page_is_not_served_past_the_end_of_its_session() {
    let app = spawn_app().await;
    let citizen = app.citizen("leaving").await;
    let id = filed(&app, &citizen.access, "Вопрос").await;
    let opened = format!("/appeals/{id}");
    for path in ["/appeals", opened.as_str()] {
        app.get(path, Some(&citizen.access)).await.expect(200);
        app.get(path, Some(&citizen.access)).await.expect(200);
    }
    app.post("/auth/logout", Some(&citizen.access), json!({}))
        .await
        .expect(204);
    for path in ["/appeals", opened.as_str()] {
        app.get(path, Some(&citizen.access))
            .await
            .expect_problem(401, "token_invalid");
    }
}

#[tokio::test]
async fn a_change_made_elsewhere_shows_on_the_next_read_with_or_without_the_session_cache() {
    // A reader's pages are read afresh every time, whether their session was checked a
    // moment ago (remembered) or is checked with the read.
    for session_cache_seconds in [5, 0] {
        let app = portal_tests::spawn_app_with(|s| {
            s.session_cache_seconds = session_cache_seconds;
            s.cabinet_cache_seconds = 60;
        })
        .await;
        let citizen = app.citizen("unremembered").await;
        let id = filed(&app, &citizen.access, "Вопрос").await;
        let path = format!("/appeals/{id}");
        app.get(&path, Some(&citizen.access)).await.expect(200);
        app.get("/appeals", Some(&citizen.access)).await.expect(200);
        edit_elsewhere(&app, id).await;
        let opened = app.get(&path, Some(&citizen.access)).await.expect(200).body;
        assert_eq!(opened["subject"], "Изменено в другом процессе");
        let listed = app
            .get("/appeals", Some(&citizen.access))
            .await
            .expect(200)
            .body;
        assert_eq!(listed["items"][0]["subject"], "Изменено в другом процессе");
    }
}

#[tokio::test]
async fn a_citizen_without_a_centre_writes_to_their_regions_only_centre() {
    let app = spawn_app().await;
    // Registered without a centre, in region 77, whose only centre is the app's.
    let r = app
        .post(
            "/auth/register",
            None,
            portal_tests::citizen_body("no.centre"),
        )
        .await
        .expect(201);
    let citizen = portal_tests::session(&r.body);
    let inquiry = json!({"type": "general_inquiry", "body": "Куда обратиться?"});
    let filed = app
        .post("/appeals", Some(&citizen.access), inquiry.clone())
        .await
        .expect(201)
        .body;
    assert_eq!(filed["centre"]["id"], app.centre_id.as_str());

    // With a second centre in the region the citizen must choose: 422 on the field.
    let other = app.other_centre().await;
    let r = app
        .post("/appeals", Some(&citizen.access), inquiry.clone())
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["centre_id"]);
    let mut chosen = inquiry;
    chosen["centre_id"] = json!(other);
    let filed = app
        .post("/appeals", Some(&citizen.access), chosen)
        .await
        .expect(201)
        .body;
    assert_eq!(filed["centre"]["id"], other.as_str());
}
