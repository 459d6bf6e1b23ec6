//! Per-holder limits: one more record than the limit is refused with 409
//! `limit_reached` naming the kind, nothing is stored, and deleting one makes room.

use diesel::prelude::*;
use futures_util::future::join_all;
use portal_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

fn resume(n: usize) -> Value {
    json!({
        "title": format!("Повар {n}"),
        "profession_code": "16675",
        "category": "services",
        "region_code": "77",
        "experience": "from_3_to_6",
        "education": "secondary_vocational",
        "employment_type": "full_time",
        "schedule": "shift",
        "published": false
    })
}

fn assert_limit(r: &portal_tests::Resp, kind: &str) {
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "limit_reached", "{}", r.body);
    assert_eq!(r.body["reason"]["code"], kind, "{}", r.body);
    assert!(
        r.body["detail"].as_str().unwrap().contains("Удалите"),
        "{}",
        r.body
    );
}

async fn count(app: &TestApp, path: &str, token: &str) -> usize {
    let body = app.get(path, Some(token)).await.expect(200).body;
    body.get("items")
        .unwrap_or(&body)
        .as_array()
        .unwrap_or_else(|| panic!("{path}: {body}"))
        .len()
}

#[tokio::test]
async fn a_citizen_keeps_at_most_twenty_resumes() {
    let app = spawn_app().await;
    let citizen = app.citizen("many-cvs").await;
    let neighbour = app.citizen("one-cv").await;
    let mut ids = Vec::new();
    for n in 0..20 {
        let r = app
            .post("/citizen/resumes", Some(&citizen.access), resume(n))
            .await
            .expect(201);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let r = app
        .post("/citizen/resumes", Some(&citizen.access), resume(20))
        .await;
    assert_limit(&r, "resumes");
    assert_eq!(count(&app, "/citizen/resumes", &citizen.access).await, 20);
    // The limit is the holder's own: another citizen is not affected.
    app.post("/citizen/resumes", Some(&neighbour.access), resume(0))
        .await
        .expect(201);
    app.delete(
        &format!("/citizen/resumes/{}", ids[0]),
        Some(&citizen.access),
    )
    .await
    .expect(204);
    app.post("/citizen/resumes", Some(&citizen.access), resume(21))
        .await
        .expect(201);
}

#[tokio::test]
async fn creations_racing_at_the_limit_leave_exactly_the_limit() {
    let app = spawn_app().await;
    let citizen = app.citizen("racing-cvs").await;
    for n in 0..18 {
        app.post("/citizen/resumes", Some(&citizen.access), resume(n))
            .await
            .expect(201);
    }
    let answers = join_all(
        (0..6).map(|n| app.post("/citizen/resumes", Some(&citizen.access), resume(100 + n))),
    )
    .await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 2, "two places were left");
    for r in answers.iter().filter(|r| r.status != 201) {
        assert_limit(r, "resumes");
    }
    assert_eq!(count(&app, "/citizen/resumes", &citizen.access).await, 20);
}

#[tokio::test]
async fn drafts_and_saved_searches_have_their_limits() {
    let app = spawn_app().await;
    let citizen = app.citizen("drafty").await;
    let draft = json!({"kind": "appeal", "payload": {"type": "general_inquiry", "body": "Черн"}});
    for _ in 0..50 {
        app.post("/drafts", Some(&citizen.access), draft.clone())
            .await
            .expect(201);
    }
    let r = app
        .post("/drafts", Some(&citizen.access), draft.clone())
        .await;
    assert_limit(&r, "drafts");
    // Expired drafts are hidden from every list and do not count.
    let user = citizen.user_id.clone();
    app.with_db(move |conn| {
        use persistence::schema::drafts;
        diesel::update(drafts::table.filter(drafts::user_id.eq(user)))
            .set(
                drafts::expires_at.eq(chrono::Utc::now().naive_utc() - chrono::TimeDelta::hours(1)),
            )
            .execute(conn)
            .unwrap();
    })
    .await;
    app.post("/drafts", Some(&citizen.access), draft)
        .await
        .expect(201);

    for n in 0..20 {
        app.post(
            "/citizen/saved-searches",
            Some(&citizen.access),
            json!({"name": format!("Поиск {n}"), "filter": {}}),
        )
        .await
        .expect(201);
    }
    let r = app
        .post(
            "/citizen/saved-searches",
            Some(&citizen.access),
            json!({"name": "Ещё один", "filter": {}}),
        )
        .await;
    assert_limit(&r, "saved_searches");
    assert_eq!(
        count(&app, "/citizen/saved-searches", &citizen.access).await,
        20
    );
}

#[tokio::test]
async fn favourites_and_contacts_have_their_limits() {
    let app = spawn_app().await;
    let citizen = app.citizen("starry").await;
    let ids: Vec<String> = app
        .with_db(|conn| {
            use persistence::schema::vacancies;
            let at = chrono::Utc::now().naive_utc();
            let bank = api::demo::generate_vacancies(501, 3, at);
            persistence::vacancies::publish_quietly(conn, &bank).unwrap();
            vacancies::table
                .select(vacancies::id)
                .order(vacancies::id)
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(ids.len(), 501);
    for id in &ids[..500] {
        let path = app.url(&format!("/citizen/favourite-vacancies/{id}"));
        app.send(app.client.put(path).bearer_auth(&citizen.access))
            .await
            .expect(204);
    }
    // Starring one already starred is not one more.
    let again = app.url(&format!("/citizen/favourite-vacancies/{}", ids[0]));
    app.send(app.client.put(again).bearer_auth(&citizen.access))
        .await
        .expect(204);
    let last = app.url(&format!("/citizen/favourite-vacancies/{}", ids[500]));
    let r = app
        .send(app.client.put(last).bearer_auth(&citizen.access))
        .await;
    assert_limit(&r, "favourite_vacancies");

    let (admin, _) = app.organization("1027700132195", "7707083893").await;
    let held = count(&app, "/employer/contacts", &admin.access).await;
    for n in held..100 {
        app.post(
            "/employer/contacts",
            Some(&admin.access),
            json!({"last_name": format!("Контакт{n}"), "first_name": "Иван"}),
        )
        .await
        .expect(201);
    }
    let r = app
        .post(
            "/employer/contacts",
            Some(&admin.access),
            json!({"last_name": "Лишний", "first_name": "Иван"}),
        )
        .await;
    assert_limit(&r, "contacts");
    assert_eq!(count(&app, "/employer/contacts", &admin.access).await, 100);
}

#[tokio::test]
async fn a_creation_does_not_wait_for_rows_being_added_for_its_holder() {
    // On PostgreSQL a transaction adding rows that refer to the account (a long batch
    // of notifications) holds a key-share lock on it; the limit's own lock must not
    // wait for it. SQLite runs writes one after the other anyway.
    let app = spawn_app().await;
    if app.db.backend() != persistence::Backend::Postgres {
        return;
    }
    let citizen = app.citizen("busy.holder").await;
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let db = app.db.clone();
    let user = citizen.user_id.clone();
    let holder = tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        let mut released_in_time = false;
        let _ = conn.transaction::<(), diesel::result::Error, _>(|c| {
            diesel::sql_query(format!(
                "SELECT id FROM users WHERE id = '{user}' FOR KEY SHARE"
            ))
            .execute(c)?;
            held_tx.send(()).unwrap();
            released_in_time = release_rx
                .recv_timeout(std::time::Duration::from_secs(8))
                .is_ok();
            Err(diesel::result::Error::RollbackTransaction)
        });
        released_in_time
    });
    held_rx.await.unwrap();
    app.post(
        "/drafts",
        Some(&citizen.access),
        json!({"kind": "appeal", "payload": {"type": "general_inquiry", "body": "Черн"}}),
    )
    .await
    .expect(201);
    let _ = release_tx.send(());
    assert!(
        holder.await.unwrap(),
        "the draft was made while the other transaction still held its lock"
    );
}
