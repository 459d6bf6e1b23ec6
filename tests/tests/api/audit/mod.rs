//! The audit journal (SPEC §7): what staff and employers read and change shows in the
//! person's own journal, a centre's supervisors read their centre's, and the database
//! keeps entries from being rewritten or erased before their time (`retention`).

mod cabinets;
mod paging;
mod retention;
mod staff_reads;

use chrono::TimeDelta;
use domain::role::Role;
use persistence::accounts::{self, User};
use portal_tests::{citizen_body, spawn_app, Session, TestApp, PASSWORD};
use serde_json::{json, Value};

/// A staff account of `centre` with a real name, signed in.
pub(super) async fn staff_named(
    app: &TestApp,
    login: &str,
    name: &str,
    centre: &str,
    supervisor: bool,
) -> Session {
    let (login_owned, name, centre) = (login.to_owned(), name.to_owned(), centre.to_owned());
    app.with_db(move |conn| {
        let hash = api::auth::passwords::hash(PASSWORD).unwrap();
        let user = User::new(
            Role::Staff,
            &login_owned,
            Some(hash),
            None,
            name,
            Some(centre),
            chrono::Utc::now().naive_utc(),
        );
        accounts::insert_user(conn, &user).unwrap();
        if supervisor {
            persistence::audit::set_supervisor(conn, &user.id, true).unwrap();
        }
    })
    .await;
    let body = app.login(login, PASSWORD).await.expect(200).body;
    Session {
        user_id: String::new(),
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// A citizen registered at `centre`.
async fn citizen_of(app: &TestApp, login: &str, centre: &str) -> Session {
    let mut body = citizen_body(login);
    body["centre_id"] = json!(centre);
    let r = app
        .post("/auth/register", None, body)
        .await
        .expect(201)
        .body;
    Session {
        user_id: r["user_id"].as_str().unwrap().to_owned(),
        access: r["access_token"].as_str().unwrap().to_owned(),
        refresh: r["refresh_token"].as_str().unwrap().to_owned(),
    }
}

pub(super) async fn journal(app: &TestApp, who: &Session, query: &str) -> Value {
    app.get(&format!("/me/audit{query}"), Some(&who.access))
        .await
        .expect(200)
        .body
}

pub(super) fn actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"]["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_citizen_sees_which_official_read_their_card_and_cases() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-anna").await;
    let other = app.citizen("audit-boris").await;
    let staff = staff_named(
        &app,
        "audit-smirnova",
        "Смирнова Ольга Викторовна",
        &app.centre_id,
        false,
    )
    .await;

    app.get(
        &format!("/staff/citizens/{}", citizen.user_id),
        Some(&staff.access),
    )
    .await
    .expect(200);
    app.get(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
    )
    .await
    .expect(200);

    let page = journal(&app, &citizen, "?kind=read").await;
    assert_eq!(actions(&page), ["cases_read", "card_read"], "newest first");
    let entry = &page["items"][0];
    assert_eq!(
        entry["text"],
        "Просмотр личного дела: сотрудник ЦЗН Смирнова О. В. (ГКУ ЦЗН «Центральный»)"
    );
    assert_eq!(entry["actor"]["name"], "Смирнова О. В.");
    assert_eq!(entry["actor"]["unit"], "ГКУ ЦЗН «Центральный»");
    assert_eq!(entry["by_self"], false);
    assert_eq!(entry["kind"]["code"], "read");

    // Registration signs in without a password login: only the two reads are there.
    let everything = journal(&app, &citizen, "").await;
    assert_eq!(everything["total"], 2);
    let theirs = journal(&app, &other, "?kind=read").await;
    assert_eq!(theirs["total"], 0, "another citizen sees nothing of it");

    // A citizen of another centre is not found and leaves no trace.
    let elsewhere = app.other_centre().await;
    let stranger = citizen_of(&app, "audit-far", &elsewhere).await;
    app.get(
        &format!("/staff/citizens/{}", stranger.user_id),
        Some(&staff.access),
    )
    .await
    .expect(404);
    assert_eq!(journal(&app, &stranger, "").await["total"], 0);
}

#[tokio::test]
async fn an_employer_opening_a_resume_shows_in_the_candidates_journal() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-cook").await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let resume = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            json!({
                "title": "Повар", "profession_code": "16675", "category": "services",
                "region_code": "77", "salary": 75000, "experience": "from_3_to_6",
                "education": "secondary_vocational", "employment_type": "full_time",
                "schedule": "shift", "skills": ["Санитарная книжка"], "published": true
            }),
        )
        .await
        .expect(201)
        .body;
    let id = resume["id"].as_str().unwrap();
    // Listing shows summaries only, so it needs no entry: the skills are not shown.
    let bank = app
        .get("/resumes?region=77", Some(&employer.access))
        .await
        .expect(200)
        .body;
    let listed = &bank["items"][0];
    assert_eq!(listed["id"], id);
    assert_eq!(listed["salary"], 75000);
    assert!(listed.get("skills").is_none() && listed.get("about").is_none());
    app.send(
        app.client
            .put(app.url(&format!("/employer/favourite-resumes/{id}")))
            .bearer_auth(&employer.access),
    )
    .await
    .expect(204);
    let starred = app
        .get("/employer/favourite-resumes", Some(&employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(starred[0]["resume"]["id"], id);
    assert!(starred[0]["resume"].get("skills").is_none());
    assert_eq!(journal(&app, &citizen, "").await["total"], 0);

    let opened = app
        .get(&format!("/resumes/{id}"), Some(&employer.access))
        .await
        .expect(200)
        .body;
    assert_eq!(opened["skills"], json!(["Санитарная книжка"]));

    let page = journal(&app, &citizen, "?kind=read").await;
    assert_eq!(actions(&page), ["resume_read"]);
    let entry = &page["items"][0];
    assert_eq!(entry["record_type"], "resume");
    assert_eq!(entry["record_id"], id);
    assert_eq!(entry["actor"]["role"], "employer");
    assert_eq!(entry["actor"]["unit"], "ООО «1027700132195»");
    assert!(entry["text"]
        .as_str()
        .unwrap()
        .starts_with("Просмотр резюме: работодатель "));
}

#[tokio::test]
async fn password_changes_and_failed_sign_ins_show_without_telling_the_client() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-pass").await;
    let wrong = app
        .login("audit-pass", "Wrong-password-1")
        .await
        .expect(401);
    let unknown = app
        .login("audit-nobody", "Wrong-password-1")
        .await
        .expect(401);
    assert_eq!(wrong.body, unknown.body, "the same answer either way");
    app.login("audit-pass", PASSWORD).await.expect(200);

    app.send(
        app.client
            .put(app.url("/me/password"))
            .bearer_auth(&citizen.access)
            .json(&json!({"current_password": PASSWORD, "new_password": "Newer-password-2"})),
    )
    .await
    .expect(204);

    let page = journal(&app, &citizen, "").await;
    assert_eq!(
        actions(&page),
        ["password_change", "sign_in", "sign_in_failed"],
        "{page:#}"
    );
    let change = &page["items"][0];
    assert_eq!(change["text"], "Смена пароля: вы");
    assert_eq!(change["by_self"], true);
    assert_eq!(page["items"][1]["text"], "Вход в кабинет: вы");
    let failed = &page["items"][2];
    assert_eq!(failed["text"], "Неудачная попытка входа");
    assert_eq!(failed["actor"], Value::Null);
    assert_eq!(failed["client_addr"], "127.0.0.1");

    let sign_ins = journal(&app, &citizen, "?kind=sign_in").await;
    assert_eq!(actions(&sign_ins), ["sign_in", "sign_in_failed"]);
    let changes = journal(&app, &citizen, "?kind=change&per_page=1").await;
    assert_eq!(
        (changes["total"].as_u64(), changes["total_pages"].as_u64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn periods_filter_and_nonsense_dates_are_refused() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-dates").await;
    app.login("audit-dates", PASSWORD).await.expect(200);
    let today = chrono::Utc::now().date_naive();
    let (yesterday, tomorrow) = (today - TimeDelta::days(1), today + TimeDelta::days(1));
    assert_eq!(
        journal(&app, &citizen, &format!("?from={yesterday}&to={tomorrow}")).await["total"],
        1
    );
    assert_eq!(
        journal(&app, &citizen, &format!("?from={tomorrow}")).await["total"],
        0
    );
    for query in [
        "?from=-5000-01-01",
        "?to=99999-01-01",
        "?from=1899-12-31",
        "?from=2026-13-01",
        "?from=2026-12-10&to=2026-12-01",
        "?kind=everything",
    ] {
        app.get(&format!("/me/audit{query}"), Some(&citizen.access))
            .await
            .expect_problem(422, "validation_failed");
    }
    app.get("/me/audit", None).await.expect(401);
}

#[tokio::test]
async fn supervisors_read_their_own_centres_journal_only() {
    let app = spawn_app().await;
    let elsewhere = app.other_centre().await;
    let here = app.citizen("audit-here").await;
    let there = citizen_of(&app, "audit-there", &elsewhere).await;
    let supervisor = staff_named(
        &app,
        "audit-boss",
        "Кузнецов Иван Петрович",
        &app.centre_id,
        true,
    )
    .await;
    let clerk = staff_named(&app, "audit-clerk", "Попова Мария", &app.centre_id, false).await;
    let far_clerk = staff_named(&app, "audit-far-clerk", "Орлов Олег", &elsewhere, false).await;

    app.get(
        &format!("/staff/citizens/{}", here.user_id),
        Some(&clerk.access),
    )
    .await
    .expect(200);
    app.get(
        &format!("/staff/citizens/{}", there.user_id),
        Some(&far_clerk.access),
    )
    .await
    .expect(200);

    let page = app
        .get("/staff/audit?kind=read", Some(&supervisor.access))
        .await
        .expect(200)
        .body;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page:#}");
    assert_eq!(items[0]["subject_id"], here.user_id);
    assert_eq!(items[0]["action"]["code"], "card_read");
    assert_eq!(items[0]["actor"]["name"], "Попова М.");
    assert!(items[0]["request_id"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));

    let all = app
        .get("/staff/audit", Some(&supervisor.access))
        .await
        .expect(200)
        .body;
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["subject_id"] != there.user_id.as_str()));

    app.get("/staff/audit", Some(&clerk.access))
        .await
        .expect_problem(403, "not_supervisor");
    app.get("/staff/audit", Some(&here.access))
        .await
        .expect(403);
    app.get(
        "/staff/audit?from=2026-12-10&to=2026-12-01",
        Some(&supervisor.access),
    )
    .await
    .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn staff_changes_to_a_personal_case_show_in_the_citizens_journal() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-case").await;
    let staff = staff_named(
        &app,
        "audit-keeper",
        "Смирнова Ольга Викторовна",
        &app.centre_id,
        false,
    )
    .await;
    let case = app
        .post(
            &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
            Some(&staff.access),
            json!({"status": "unemployed", "goals": ["job_search"]}),
        )
        .await
        .expect(201)
        .body;
    let id = case["id"].as_str().unwrap();
    app.patch(
        &format!("/staff/personal-cases/{id}"),
        Some(&staff.access),
        json!({"open": false}),
    )
    .await
    .expect(200);

    let page = journal(&app, &citizen, "?kind=change").await;
    assert_eq!(actions(&page), ["case_change", "case_open"]);
    assert_eq!(page["items"][0]["record_id"], id);
    assert_eq!(
        page["items"][1]["text"],
        "Открытие личного дела: сотрудник ЦЗН Смирнова О. В. (ГКУ ЦЗН «Центральный»)"
    );
}

#[tokio::test]
async fn uploading_reading_and_reviewing_a_document_are_journaled() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-docs").await;
    let staff = staff_named(
        &app,
        "audit-reviewer",
        "Смирнова Ольга Викторовна",
        &app.centre_id,
        false,
    )
    .await;
    let uploaded = app
        .upload_document(
            &citizen.access,
            "passport",
            "Паспорт.pdf",
            portal_tests::files::pdf(),
        )
        .await
        .expect(201)
        .body;
    let id = uploaded["id"].as_str().unwrap();
    let d = app
        .download(
            &format!("/staff/documents/{id}/content"),
            &staff.access,
            None,
        )
        .await;
    assert_eq!(d.status, 200);
    app.post(
        &format!("/staff/documents/{id}/review"),
        Some(&staff.access),
        json!({"to": "accepted"}),
    )
    .await
    .expect(200);

    let page = journal(&app, &citizen, "").await;
    assert_eq!(
        actions(&page),
        ["document_review", "document_read", "document_upload"]
    );
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["record_id"] == id));
    assert_eq!(page["items"][2]["text"], "Загрузка документа: вы");
    assert_eq!(
        page["items"][1]["text"],
        "Просмотр документа: сотрудник ЦЗН Смирнова О. В. (ГКУ ЦЗН «Центральный»)"
    );
}

#[tokio::test]
async fn blocking_a_cabinet_and_changing_an_email_are_journaled() {
    let app = spawn_app().await;
    let admin = app
        .employer("audit-admin", "304500116000157", "500100732259", None)
        .await;
    let (contact, _) = app.member(&admin, "audit-member").await;
    for step in ["block", "unblock"] {
        app.post(
            &format!("/employer/contacts/{contact}/{step}"),
            Some(&admin.access),
            json!({}),
        )
        .await
        .expect(200);
    }
    let member = app.login("audit-member", PASSWORD).await.expect(200).body;
    let member = Session {
        user_id: String::new(),
        access: member["access_token"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    app.send(
        app.client
            .put(app.url("/me/email"))
            .bearer_auth(&member.access)
            .json(&json!({"email": "member.new@example.ru", "password": PASSWORD})),
    )
    .await
    .expect(200);

    let page = journal(&app, &member, "?kind=change").await;
    assert_eq!(
        actions(&page),
        [
            "email_change",
            "account_unblock",
            "account_block",
            "account_create"
        ]
    );
    let block = &page["items"][2];
    assert_eq!(block["by_self"], false);
    assert_eq!(block["actor"]["role"], "employer");
    assert_eq!(
        block["text"],
        format!(
            "Блокировка учётной записи: работодатель {}",
            block["actor"]["name"].as_str().unwrap()
        ) + &format!(" ({})", block["actor"]["unit"].as_str().unwrap())
    );
    assert_eq!(
        page["items"][0]["text"],
        "Изменение адреса электронной почты: вы"
    );
}

#[tokio::test]
async fn a_password_reset_by_link_is_journaled_with_no_actor() {
    let app = spawn_app().await;
    app.citizen("audit-reset").await;
    app.post(
        "/auth/password-reset",
        None,
        json!({"login": "audit-reset"}),
    )
    .await
    .expect(202);
    let sent = app
        .with_db(|conn| persistence::outbox::to_recipient(conn, "audit-reset@example.ru").unwrap())
        .await;
    let body = &sent
        .iter()
        .find(|m| m.subject == "Восстановление пароля")
        .expect("the link was mailed")
        .body;
    let at = body.find("token=").unwrap() + "token=".len();
    let token = body[at..].split(char::is_whitespace).next().unwrap();
    app.post(
        "/auth/password-reset/confirm",
        None,
        json!({"token": token, "new_password": "Novyi-parol-2026"}),
    )
    .await
    .expect(204);

    let signed = app
        .login("audit-reset", "Novyi-parol-2026")
        .await
        .expect(200)
        .body;
    let me = Session {
        user_id: String::new(),
        access: signed["access_token"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    let page = journal(&app, &me, "").await;
    assert_eq!(actions(&page), ["sign_in", "password_reset"]);
    let reset = &page["items"][1];
    assert_eq!(reset["actor"], Value::Null);
    assert_eq!(reset["by_self"], false);
    assert_eq!(reset["text"], "Восстановление пароля по ссылке из письма");
}
