use diesel::prelude::*;
use persistence::schema::employer_accounts;
use portal_tests::{employer_body, spawn_app, with, TestApp, PASSWORD};
use serde_json::{json, Value};

const OGRN: &str = "1027700132195";
const INN: &str = "7707083893";
const KPP: &str = "773601001";

async fn admin_contact_id(app: &TestApp, token: &str) -> String {
    let list = app
        .get("/employer/contacts", Some(token))
        .await
        .expect(200)
        .body;
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["is_admin"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn admins(app: &TestApp) -> i64 {
    app.with_db(|conn| {
        employer_accounts::table
            .filter(employer_accounts::is_admin.eq(true))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn an_organisation_registers_once_and_its_first_account_is_the_admin() {
    let app = spawn_app().await;
    let admin = app.employer("romashka", OGRN, INN, Some(KPP)).await;
    let me = app.get("/me", Some(&admin.access)).await.expect(200).body;
    assert_eq!(me["role"]["code"], "employer");
    assert_eq!(me["employer"]["is_admin"], true);
    let r = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200);
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(
        (
            r.body["ogrn"].clone(),
            r.body["kpp"].clone(),
            r.body["headcount"].clone()
        ),
        (json!(OGRN), json!(KPP), json!(100))
    );
    let contacts = app
        .get("/employer/contacts", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(contacts.as_array().unwrap().len(), 1);
    assert_eq!(contacts[0]["login"], "romashka");

    // The same OGRN typed in again is answered as any registration (nobody learns
    // that it is known) and makes a separate, pending organisation: nothing of the
    // first is shared with it.
    let again = portal_tests::session(
        &app.post(
            "/auth/register/employer",
            None,
            app.employer_body("romashka2", OGRN, INN, Some(KPP)),
        )
        .await
        .expect(201)
        .body,
    );
    let second = app
        .get("/employer/organization", Some(&again.access))
        .await
        .expect(200)
        .body;
    assert_eq!(second["verification"], "pending");
    let first = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_ne!(second["id"], first["id"]);
    let contacts = app
        .get("/employer/contacts", Some(&again.access))
        .await
        .expect(200)
        .body;
    assert_eq!(contacts.as_array().unwrap().len(), 1);
    assert_eq!(contacts[0]["login"], "romashka2");
    // An individual entrepreneur: OGRNIP, 12-digit INN, no KPP.
    app.employer("ip-petrov", "304500116000157", "500100732259", None)
        .await;
}

#[tokio::test]
async fn requisites_are_checked_by_their_check_digits() {
    let app = spawn_app().await;
    let bad = app.employer_body("bad", "1027700132196", "7707083894", Some("77360100"));
    let r = app
        .post("/auth/register/employer", None, bad)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        ["organization.inn", "organization.kpp", "organization.ogrn"]
    );
    let mixed = app.employer_body("mixed", OGRN, INN, None);
    let r = app
        .post("/auth/register/employer", None, mixed)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["organization.__all__"]);
    // Reports and changes go to the organisation's centre: it must name one.
    let r = app
        .post(
            "/auth/register/employer",
            None,
            employer_body("nocentre", OGRN, INN, Some(KPP)),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["organization.centre_id"]);
    app.login("bad", PASSWORD).await.expect(401);
}

#[tokio::test]
async fn changing_main_data_files_an_appeal_and_if_match_guards_the_change() {
    let app = spawn_app().await;
    let admin = app.employer("changer", OGRN, INN, Some(KPP)).await;
    let (_, member) = app.member(&admin, "changer.member").await;
    let patch = |token: &str, tag: Option<&str>, body: Value| {
        let mut req = app
            .client
            .patch(app.url("/employer/organization"))
            .bearer_auth(token)
            .json(&body);
        if let Some(t) = tag {
            req = req.header("if-match", t);
        }
        app.send(req)
    };
    patch(&member.access, None, json!({"headcount": 5}))
        .await
        .expect_problem(403, "not_admin");

    let r = patch(
        &admin.access,
        Some("\"v1\""),
        json!({"headcount": 140, "site": "https://changer.example.ru"}),
    )
    .await
    .expect(200);
    assert_eq!(r.header("etag"), Some("\"v2\""));
    assert_eq!(r.body["organization"]["headcount"], 140);
    assert_eq!(r.body["appeal"], json!(null), "not main data: no appeal");

    patch(
        &admin.access,
        Some("\"v1\""),
        json!({"name": "ООО «Устаревшее»"}),
    )
    .await
    .expect_problem(412, "precondition_failed");
    let r = patch(
        &admin.access,
        Some("\"v2\""),
        json!({"name": "ООО «Новое имя»", "kpp": "773601002"}),
    )
    .await
    .expect(200);
    let appeal = &r.body["appeal"];
    assert_eq!(appeal["type"]["code"], "organization_data_change");
    assert_eq!(appeal["status"]["title"], "Принято ведомством");
    assert!(appeal["body"].as_str().unwrap().contains("Новое имя"));
    let r = patch(&admin.access, None, json!({"inn": "123"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["inn"]);
    // Each field valid alone, but not together: an entrepreneur's INN, or no KPP, on a company.
    for change in [json!({"inn": "500100732259"}), json!({"kpp": null})] {
        let r = patch(&admin.access, None, change)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), ["inn"]);
    }
    let org = app
        .get("/employer/organization", Some(&member.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (org["name"].clone(), org["version"].clone()),
        (json!("ООО «Новое имя»"), json!(3))
    );
    let appeals = app
        .get("/appeals", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        appeals["total"], 1,
        "one appeal, for the main-data change only"
    );
}

/// Staff read the change of main data as a diff in Russian, one line per changed field
/// of main data; other fields changed with it are not listed.
#[tokio::test]
async fn the_change_appeal_lists_each_changed_main_field_in_russian() {
    let app = spawn_app().await;
    let admin = app.employer("differ", OGRN, INN, Some(KPP)).await;
    let change = json!({
        "kpp": "773601002",
        "legal_address": null,
        "ownership_form": "Частная",
        "headcount": 140
    });
    let r = app
        .patch("/employer/organization", Some(&admin.access), change)
        .await
        .expect(200);
    assert_eq!(
        r.body["appeal"]["body"],
        "КПП: 773601001 → 773601002\n\
         Юридический адрес: г. Москва, ул. Вавилова, д. 19 → —\n\
         Форма собственности: — → Частная"
    );
    assert_eq!(
        r.body["appeal"]["subject"],
        "Заявление на изменение сведений об организации: ООО «differ»"
    );
}

#[tokio::test]
async fn the_admin_manages_cabinets_and_blocking_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.employer("boss", OGRN, INN, Some(KPP)).await;
    let (member_contact, member) = app.member(&admin, "boss.member").await;
    let own = admin_contact_id(&app, &admin.access).await;

    app.post(
        "/employer/contacts",
        Some(&member.access),
        json!({"last_name": "Х", "first_name": "У"}),
    )
    .await
    .expect_problem(403, "not_admin");
    app.post(
        &format!("/employer/contacts/{own}/block"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect_problem(409, "admin_self_action");
    app.delete(&format!("/employer/contacts/{own}"), Some(&admin.access))
        .await
        .expect_problem(409, "admin_self_action");
    app.delete(
        &format!("/employer/contacts/{own}/account"),
        Some(&admin.access),
    )
    .await
    .expect_problem(409, "admin_self_action");

    let mine = app.file_appeal(&member.access, "Вопрос сотрудника").await;
    app.file_appeal(&admin.access, "Вопрос администратора")
        .await;
    assert_eq!(
        app.get("/appeals", Some(&member.access))
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get("/appeals", Some(&admin.access))
            .await
            .expect(200)
            .body["total"],
        2
    );
    let of_member = app
        .get(
            &format!("/employer/contacts/{member_contact}/appeals"),
            Some(&admin.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(of_member["total"], 1);
    assert_eq!(of_member["items"][0]["id"], mine["id"]);
    app.get(
        &format!("/employer/contacts/{member_contact}/appeals"),
        Some(&member.access),
    )
    .await
    .expect_problem(403, "not_admin");

    let blocked = app
        .post(
            &format!("/employer/contacts/{member_contact}/block"),
            Some(&admin.access),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(blocked["blocked"], true);
    let r = app
        .get("/me", Some(&member.access))
        .await
        .expect_problem(403, "account_blocked");
    assert_eq!(r.body["reason"]["code"], "organization_admin");
    let r = app
        .login("boss.member", PASSWORD)
        .await
        .expect_problem(403, "account_blocked");
    assert_eq!(r.body["reason"]["code"], "organization_admin");
    app.post(
        &format!("/employer/contacts/{member_contact}/admin"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect_problem(409, "target_blocked");

    app.post(
        &format!("/employer/contacts/{member_contact}/unblock"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect(200);
    app.login("boss.member", PASSWORD).await.expect(200);

    app.delete(
        &format!("/employer/contacts/{member_contact}/account"),
        Some(&admin.access),
    )
    .await
    .expect(204);
    app.login("boss.member", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.get("/me", Some(&member.access))
        .await
        .expect_problem(401, "token_invalid");
    let card = app
        .get(
            &format!("/employer/contacts/{member_contact}"),
            Some(&admin.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        (card["has_cabinet"].clone(), card["login"].clone()),
        (json!(false), json!(null))
    );
    assert_eq!(
        app.get("/appeals", Some(&admin.access))
            .await
            .expect(200)
            .body["total"],
        2,
        "the appeals stay"
    );
    // The login is free again, and a new cabinet can be opened with a generated password.
    let reopened = app
        .post(
            &format!("/employer/contacts/{member_contact}/account"),
            Some(&admin.access),
            json!({"login": "boss.member"}),
        )
        .await
        .expect(201)
        .body;
    let password = reopened["initial_password"].as_str().unwrap();
    app.login("boss.member", password).await.expect(200);
    app.post(
        &format!("/employer/contacts/{member_contact}/account"),
        Some(&admin.access),
        json!({"login": "again"}),
    )
    .await
    .expect_problem(409, "has_cabinet");
    app.delete(
        &format!("/employer/contacts/{member_contact}"),
        Some(&admin.access),
    )
    .await
    .expect(204);
    app.login("boss.member", password).await.expect(401);
}

#[tokio::test]
async fn the_admin_flag_moves_by_transfer_and_never_doubles() {
    let app = spawn_app().await;
    let admin = app.employer("first-admin", OGRN, INN, Some(KPP)).await;
    let (a_contact, a) = app.member(&admin, "heir.a").await;
    let (b_contact, _) = app.member(&admin, "heir.b").await;
    app.post(
        &format!("/employer/contacts/{a_contact}/admin"),
        Some(&a.access),
        json!({}),
    )
    .await
    .expect_problem(403, "not_admin");

    // Two transfers race from the same admin: exactly one wins.
    let (to_a, to_b) = (
        format!("/employer/contacts/{a_contact}/admin"),
        format!("/employer/contacts/{b_contact}/admin"),
    );
    let (x, y) = tokio::join!(
        app.post(&to_a, Some(&admin.access), json!({})),
        app.post(&to_b, Some(&admin.access), json!({})),
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses[0], 200, "{:?} {:?}", x.body, y.body);
    assert_eq!(statuses[1], 403, "{:?} {:?}", x.body, y.body);
    assert_eq!(admins(&app).await, 1);
    assert_eq!(
        app.get("/me", Some(&admin.access)).await.expect(200).body["employer"]["is_admin"],
        false
    );
    app.post(
        "/employer/contacts",
        Some(&admin.access),
        json!({"last_name": "Х", "first_name": "У"}),
    )
    .await
    .expect_problem(403, "not_admin");
}

#[tokio::test]
async fn a_session_in_use_stops_at_once_when_its_cabinet_is_blocked_closed_or_removed() {
    // Each member's token has just been admitted (and so is in the server's cache of
    // recent session checks) when the admin acts on its cabinet.
    let app = spawn_app().await;
    let admin = app.employer("keeper", OGRN, INN, Some(KPP)).await;
    let cases = [
        ("keeper.blocked", "/block", "post", 403, "account_blocked"),
        ("keeper.closed", "/account", "delete", 401, "token_invalid"),
        ("keeper.removed", "", "delete", 401, "token_invalid"),
    ];
    for (login, action, method, status, kind) in cases {
        let (contact, member) = app.member(&admin, login).await;
        app.get("/me", Some(&member.access)).await.expect(200);
        let path = format!("/employer/contacts/{contact}{action}");
        let done = match method {
            "post" => app.post(&path, Some(&admin.access), json!({})).await,
            _ => app.delete(&path, Some(&admin.access)).await,
        };
        assert!(done.status < 300, "{login}: {:?}", done.body);
        app.get("/me", Some(&member.access))
            .await
            .expect_problem(status, kind);
        app.get("/appeals", Some(&member.access))
            .await
            .expect_problem(status, kind);
    }
}

#[tokio::test]
async fn one_organisation_never_sees_another() {
    let app = spawn_app().await;
    let first = app.employer("first-org", OGRN, INN, Some(KPP)).await;
    let second = app
        .employer("second-org", "304500116000157", "500100732259", None)
        .await;
    let theirs = admin_contact_id(&app, &second.access).await;
    app.get(&format!("/employer/contacts/{theirs}"), Some(&first.access))
        .await
        .expect_problem(404, "not_found");
    app.post(
        &format!("/employer/contacts/{theirs}/block"),
        Some(&first.access),
        json!({}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post(
        &format!("/employer/contacts/{theirs}/admin"),
        Some(&first.access),
        json!({}),
    )
    .await
    .expect_problem(404, "not_found");
    app.delete(&format!("/employer/contacts/{theirs}"), Some(&first.access))
        .await
        .expect_problem(404, "not_found");
    let report = app
        .post("/employer/reports", Some(&second.access), json!({"kind": "informal_employment", "payload": {"detected_date": "2026-11-01", "persons": 2, "description": "Без договора"}}))
        .await
        .expect(201)
        .body;
    let id = report["report"]["id"].as_str().unwrap();
    app.get(&format!("/employer/reports/{id}"), Some(&first.access))
        .await
        .expect_problem(404, "not_found");
    let citizen = app.citizen("not-employer").await;
    app.get("/employer/organization", Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
}

fn payloads() -> Vec<(&'static str, Value)> {
    vec![
        (
            "vacancies",
            json!({"positions": [{"title": "Повар", "profession_code": "16675", "count": 2, "salary_from": 60000}]}),
        ),
        (
            "layoffs",
            json!({"notice_date": "2026-11-24", "layoff_date": "2027-01-31", "headcount": 12, "positions": ["Кладовщик"], "reason": "Сокращение"}),
        ),
        (
            "staffing",
            json!({"report_date": "2026-11-01", "employees_total": 100, "women": 40, "disabled": 3, "under_30": 20}),
        ),
        (
            "quota",
            json!({"period": "2026-10", "average_headcount": 100, "quota_size": 3, "employed_disabled": 2}),
        ),
        (
            "foreign_workers",
            json!({"notice_date": "2026-11-20", "workers": [{"full_name": "Иванов Иван", "citizenship": "Республика Беларусь", "position": "Инженер", "contract_date": "2026-11-15"}]}),
        ),
        (
            "time_sheet",
            json!({"month": "2026-10", "employees": [{"full_name": "Петров Пётр", "days_worked": 22, "hours_worked": 176}]}),
        ),
        (
            "informal_employment",
            json!({"detected_date": "2026-11-01", "persons": 1, "description": "Работа без договора"}),
        ),
    ]
}

#[tokio::test]
async fn every_kind_of_report_is_validated_and_completes_its_appeal() {
    let app = spawn_app().await;
    let admin = app.employer("reporter", OGRN, INN, Some(KPP)).await;
    for (kind, payload) in payloads() {
        let r = app
            .post(
                "/employer/reports",
                Some(&admin.access),
                json!({"kind": kind, "payload": payload}),
            )
            .await
            .expect(201);
        assert_eq!(r.body["report"]["kind"]["code"], kind);
        assert_eq!(r.body["appeal"]["type"]["code"], format!("report_{kind}"));
        assert_eq!(
            r.body["appeal"]["status"],
            json!({"code": "completed", "title": "Выполнено"})
        );
        let appeal_id = r.body["appeal"]["id"].as_str().unwrap();
        let history = app
            .get(
                &format!("/appeals/{appeal_id}/history"),
                Some(&admin.access),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(history.as_array().unwrap().len(), 2, "{kind}");
    }
    let bad: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "layoffs",
            json!({"notice_date": "2026-11-24", "layoff_date": "2026-01-01", "headcount": 0, "positions": [], "reason": " "}),
            vec![
                "payload.__all__",
                "payload.headcount",
                "payload.positions",
                "payload.reason",
            ],
        ),
        (
            "quota",
            json!({"period": "2026-13", "average_headcount": 1, "quota_size": -1, "employed_disabled": 0}),
            vec!["payload.period", "payload.quota_size"],
        ),
        (
            "staffing",
            json!({"report_date": "2026-11-01", "employees_total": 10, "women": 11, "disabled": 0, "under_30": 0}),
            vec!["payload.__all__"],
        ),
        (
            "time_sheet",
            json!({"month": "2026-10", "employees": [{"full_name": "П", "days_worked": 40, "hours_worked": 1}]}),
            vec!["payload.employees[0].days_worked"],
        ),
        (
            "vacancies",
            json!({"positions": "many"}),
            vec!["payload.positions"],
        ),
    ];
    for (kind, payload, fields) in bad {
        let r = app
            .post(
                "/employer/reports",
                Some(&admin.access),
                json!({"kind": kind, "payload": payload}),
            )
            .await;
        let r = r.expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), fields, "{kind}");
    }
    let all = app
        .get("/employer/reports?per_page=100", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(all["total"], 7, "refused reports stored nothing");
    let quota = app
        .get("/employer/reports?kind=quota", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(quota["total"], 1);
    let today = chrono::Utc::now().date_naive();
    let yesterday = (today - chrono::TimeDelta::days(1)).to_string();
    let none = app
        .get(
            &format!("/employer/reports?date_to={yesterday}"),
            Some(&admin.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(none["total"], 0);
    let citizen = app.citizen("no-reports").await;
    let (kind, payload) = payloads().remove(0);
    app.post(
        "/employer/reports",
        Some(&citizen.access),
        json!({"kind": kind, "payload": payload}),
    )
    .await
    .expect_problem(403, "forbidden");
}

#[tokio::test]
async fn a_report_based_on_an_earlier_one_starts_as_a_draft() {
    let app = spawn_app().await;
    let admin = app.employer("copier", OGRN, INN, Some(KPP)).await;
    let (_, payload) = payloads().remove(3);
    let first = app
        .post(
            "/employer/reports",
            Some(&admin.access),
            json!({"kind": "quota", "payload": payload}),
        )
        .await
        .expect(201)
        .body;
    let first_id = first["report"]["id"].as_str().unwrap().to_owned();
    let draft = app
        .post(
            &format!("/employer/reports/{first_id}/draft"),
            Some(&admin.access),
            json!({}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(draft["kind"]["code"], "report");
    assert_eq!(draft["payload"]["based_on"], json!(first_id));
    assert_eq!(draft["payload"]["payload"]["quota_size"], 3);
    let mut edited = draft["payload"]["payload"].clone();
    edited["period"] = json!("2026-11");
    let second = app
        .post(
            "/employer/reports",
            Some(&admin.access),
            json!({"kind": "quota", "payload": edited, "based_on": first_id, "draft_id": draft["id"]}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(second["report"]["based_on"], json!(first_id));
    assert_eq!(
        app.get("/drafts", Some(&admin.access))
            .await
            .expect(200)
            .body["total"],
        0,
        "the draft went with the report"
    );
    let r = app
        .post("/employer/reports", Some(&admin.access), json!({"kind": "quota", "payload": with(draft["payload"]["payload"].clone(), json!({})), "based_on": "nope"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["based_on"]);
}

#[tokio::test]
async fn favourite_candidates_are_sorted_by_profession() {
    let app = spawn_app().await;
    let admin = app.employer("hunter", OGRN, INN, Some(KPP)).await;
    let citizen = app.citizen("candidate").await;
    let resume = |title: &str, code: &str, category: &str, published: bool| {
        json!({"title": title, "profession_code": code, "category": category, "region_code": "77", "experience": "none",
               "education": "secondary_general", "employment_type": "full_time", "schedule": "full_day", "published": published})
    };
    let mut ids = Vec::new();
    for (title, code, category) in [
        ("Повар", "16675", "services"),
        ("Бухгалтер", "20336", "finance"),
        ("Водитель", "11442", "transport"),
    ] {
        let r = app
            .post(
                "/citizen/resumes",
                Some(&citizen.access),
                resume(title, code, category, true),
            )
            .await
            .expect(201);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let hidden = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            resume("Кондитер", "12901", "services", false),
        )
        .await
        .expect(201)
        .body;
    for id in &ids {
        let path = app.url(&format!("/employer/favourite-resumes/{id}"));
        app.send(app.client.put(&path).bearer_auth(&admin.access))
            .await
            .expect(204);
        app.send(app.client.put(&path).bearer_auth(&admin.access))
            .await
            .expect(204);
    }
    let hidden_path = app.url(&format!(
        "/employer/favourite-resumes/{}",
        hidden["id"].as_str().unwrap()
    ));
    app.send(app.client.put(&hidden_path).bearer_auth(&admin.access))
        .await
        .expect_problem(404, "not_found");
    app.send(
        app.client
            .put(app.url(&format!("/employer/favourite-resumes/{}", ids[0])))
            .bearer_auth(&citizen.access),
    )
    .await
    .expect_problem(403, "forbidden");
    let list = app
        .get("/employer/favourite-resumes", Some(&admin.access))
        .await
        .expect(200)
        .body;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resume"]["profession"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Бухгалтер", "Водитель автомобиля", "Повар"]);
    app.delete(
        &format!("/employer/favourite-resumes/{}", ids[1]),
        Some(&admin.access),
    )
    .await
    .expect(204);
    app.delete(
        &format!("/employer/favourite-resumes/{}", ids[1]),
        Some(&admin.access),
    )
    .await
    .expect(204);
    assert_eq!(
        app.get("/employer/favourite-resumes", Some(&admin.access))
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn staff_news_reaches_the_organisations_of_their_centre() {
    let app = spawn_app().await;
    let admin = app.employer("newsreader", OGRN, INN, Some(KPP)).await;
    let (_, member) = app.member(&admin, "newsreader.member").await;
    let staff = app.staff("newscaster").await;
    let other = app.other_centre().await;
    let outsider = app.staff_of("outsider", &other).await;
    let sent = app
        .post(
            "/staff/notifications",
            Some(&staff.access),
            json!({"title": "Ярмарка вакансий", "body": "5 декабря"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(sent["recipients"], 2);
    app.settle_jobs().await;
    for token in [&admin.access, &member.access] {
        let notes = app
            .get("/notifications", Some(token))
            .await
            .expect(200)
            .body;
        assert_eq!(notes["items"][0]["category"]["code"], "news");
        assert_eq!(notes["items"][0]["title"], "Ярмарка вакансий");
    }
    let org = app
        .get("/employer/organization", Some(&admin.access))
        .await
        .expect(200)
        .body["id"]
        .clone();
    app.post(
        "/staff/notifications",
        Some(&outsider.access),
        json!({"title": "x", "body": "y", "organization_id": org}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post(
        "/staff/notifications",
        Some(&admin.access),
        json!({"title": "x", "body": "y"}),
    )
    .await
    .expect_problem(403, "forbidden");
}

#[tokio::test]
async fn old_vacancies_remind_the_organisation_once() {
    let app = spawn_app().await;
    let admin = app.employer("reminded", OGRN, INN, Some(KPP)).await;
    let (_, member) = app.member(&admin, "reminded.member").await;
    // A fresh vacancy of the same organisation: the control that is not reminded.
    app.post_vacancy(&admin, portal_tests::vacancy_body("Повар", "77"))
        .await;
    let old = app
        .post_vacancy(&admin, portal_tests::vacancy_body("Кладовщик", "77"))
        .await;
    let old_id = old["id"].as_str().unwrap().to_owned();
    app.with_db(move |conn| {
        use persistence::schema::vacancies;
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(31);
        diesel::update(vacancies::table.find(old_id))
            .set(vacancies::published_at.eq(past))
            .execute(conn)
            .unwrap()
    })
    .await;
    let now = chrono::Utc::now().naive_utc();
    let reminded = app
        .with_db(move |conn| persistence::vacancies::remind_unconfirmed(conn, now).unwrap())
        .await;
    assert_eq!(reminded, 1);
    let again = app
        .with_db(move |conn| persistence::vacancies::remind_unconfirmed(conn, now).unwrap())
        .await;
    assert_eq!(again, 0, "once per vacancy");
    for token in [&admin.access, &member.access] {
        let notes = app
            .get("/notifications?status=new", Some(token))
            .await
            .expect(200)
            .body;
        assert_eq!(notes["total"], 1);
        assert_eq!(
            notes["items"][0]["category"]["code"],
            "vacancy_confirmation"
        );
        assert_eq!(
            notes["items"][0]["link"],
            format!("/api/v1/vacancies/{}", old["id"].as_str().unwrap())
        );
    }
}

#[tokio::test]
async fn every_members_profile_shows_a_change_on_the_next_request() {
    // Each profile is read (and so remembered for its session) before each change.
    let app = spawn_app().await;
    let admin = app.employer("profiled", OGRN, INN, Some(KPP)).await;
    let (contact, member) = app.member(&admin, "profiled.member").await;
    let me = |token: &str| {
        let (app, token) = (&app, token.to_owned());
        async move { app.get("/me", Some(&token)).await.expect(200).body["employer"].clone() }
    };
    let before = (me(&admin.access).await, me(&member.access).await);
    assert_eq!(
        (&before.0["is_admin"], &before.1["is_admin"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(me(&member.access).await, before.1, "asked again");

    app.patch(
        "/employer/organization",
        Some(&admin.access),
        json!({"name": "ООО «Переименовано»"}),
    )
    .await
    .expect(200);
    for token in [&admin.access, &member.access] {
        assert_eq!(me(token).await["organization_name"], "ООО «Переименовано»");
    }

    app.post(
        &format!("/employer/contacts/{contact}/admin"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(me(&admin.access).await["is_admin"], false);
    assert_eq!(me(&member.access).await["is_admin"], true);
}

#[tokio::test]
async fn a_members_remembered_list_follows_the_admin_flag() {
    let app = spawn_app().await;
    let admin = app.employer("listed", OGRN, INN, Some(KPP)).await;
    let (contact, member) = app.member(&admin, "listed.member").await;
    app.file_appeal(&admin.access, "От администратора").await;
    app.file_appeal(&member.access, "От сотрудника").await;
    let total = |token: &str| {
        let (app, token) = (&app, token.to_owned());
        async move { app.get("/appeals", Some(&token)).await.expect(200).body["total"].clone() }
    };
    assert_eq!(
        (total(&admin.access).await, total(&member.access).await),
        (json!(2), json!(1))
    );
    app.post(
        &format!("/employer/contacts/{contact}/admin"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(
        (total(&admin.access).await, total(&member.access).await),
        (json!(1), json!(2)),
        "the new admin sees the organisation's, the former one their own"
    );
}
