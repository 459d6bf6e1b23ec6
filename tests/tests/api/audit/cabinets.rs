//! What an organisation's administrator does to its people's cabinets goes to their
//! journals: a cabinet opened, its card edited, the admin flag handed over, the cabinet
//! closed (by closing it or deleting the contact), each naming the administrator.

use diesel::prelude::*;
use persistence::schema::audit_events;
use portal_tests::{spawn_app, Session, TestApp, PASSWORD};
use serde_json::json;

use super::{actions, journal};

/// The journal's entries about `subject` written by `actor`, oldest first, as
/// (action, record type), read from the table (a closed account cannot sign in to read
/// its own).
async fn entries_by(app: &TestApp, subject: &str, actor: &str) -> Vec<(String, String)> {
    let (subject, actor) = (subject.to_owned(), actor.to_owned());
    app.with_db(move |conn| {
        audit_events::table
            .filter(audit_events::subject_id.eq(subject))
            .filter(audit_events::actor_id.eq(actor))
            .order(audit_events::id.asc())
            .select((audit_events::action, audit_events::record_type))
            .load(conn)
            .unwrap()
    })
    .await
}

/// The signed-in account's id.
async fn id_of(app: &TestApp, who: &Session) -> String {
    let me = app.get("/me", Some(&who.access)).await.expect(200).body;
    me["id"].as_str().expect("an id").to_owned()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, r)| ((*a).to_owned(), (*r).to_owned()))
        .collect()
}

#[tokio::test]
async fn an_administrators_changes_to_a_cabinet_are_in_its_journal() {
    let app = spawn_app().await;
    let admin = app
        .employer("cab-admin", "304500116000157", "500100732259", None)
        .await;
    let (contact, member) = app.member(&admin, "cab-member").await;
    app.patch(
        &format!("/employer/contacts/{contact}"),
        Some(&admin.access),
        json!({"last_name": "Кузнецова", "first_name": "Анна", "email": "anna@example.ru"}),
    )
    .await
    .expect(200);
    let page = journal(&app, &member, "?kind=change").await;
    assert_eq!(actions(&page), ["profile_change", "account_create"]);
    let created = &page["items"][1];
    assert_eq!(created["by_self"], false);
    assert_eq!(created["actor"]["role"], "employer");
    assert!(
        created["text"]
            .as_str()
            .unwrap()
            .starts_with("Регистрация учётной записи: работодатель"),
        "{created}"
    );

    app.post(
        &format!("/employer/contacts/{contact}/admin"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect(200);
    let by_admin = pairs(&[
        ("account_create", "account"),
        ("profile_change", "contact"),
        ("admin_transfer", "account"),
    ]);
    let (member_id, admin_id) = (id_of(&app, &member).await, id_of(&app, &admin).await);
    assert_eq!(entries_by(&app, &member_id, &admin_id).await, by_admin);
    let page = journal(&app, &admin, "?kind=change").await;
    assert_eq!(actions(&page)[0], "admin_transfer", "{page}");
    assert_eq!(
        page["items"][0]["text"],
        "Передача прав администратора организации: вы"
    );
}

#[tokio::test]
async fn closing_a_cabinet_or_deleting_its_contact_is_journaled() {
    let app = spawn_app().await;
    let admin = app
        .employer("close-admin", "304500116000157", "500100732259", None)
        .await;
    let (first, first_member) = app.member(&admin, "close-first").await;
    let (second, second_member) = app.member(&admin, "close-second").await;
    let admin_id = id_of(&app, &admin).await;
    let closed = [
        id_of(&app, &first_member).await,
        id_of(&app, &second_member).await,
    ];
    app.delete(
        &format!("/employer/contacts/{first}/account"),
        Some(&admin.access),
    )
    .await
    .expect(204);
    app.delete(&format!("/employer/contacts/{second}"), Some(&admin.access))
        .await
        .expect(204);
    for (closed, session) in closed.iter().zip([&first_member, &second_member]) {
        assert_eq!(
            entries_by(&app, closed, &admin_id).await,
            pairs(&[("account_create", "account"), ("account_close", "account")]),
        );
        // Its sessions ended with it: it cannot read its journal any more.
        let status = app.get("/me/audit", Some(&session.access)).await.status;
        assert_eq!(status, 401);
    }
}

/// Signing in to a blocked cabinet with the right password is refused and journaled:
/// the person reads of the attempt once unblocked.
#[tokio::test]
async fn a_sign_in_refused_to_a_blocked_cabinet_is_journaled() {
    let app = spawn_app().await;
    let admin = app
        .employer("block-admin", "304500116000157", "500100732259", None)
        .await;
    let (contact, _) = app.member(&admin, "block-member").await;
    let step = |what: &'static str| {
        let (app, admin, contact) = (&app, &admin, &contact);
        async move {
            app.post(
                &format!("/employer/contacts/{contact}/{what}"),
                Some(&admin.access),
                json!({}),
            )
            .await
            .expect(200);
        }
    };
    step("block").await;
    let refused = app.login("block-member", PASSWORD).await;
    assert_eq!(refused.status, 403, "{:#}", refused.body);
    step("unblock").await;
    let member = portal_tests::session(&app.login("block-member", PASSWORD).await.expect(200).body);
    let page = journal(&app, &member, "?kind=sign_in").await;
    assert_eq!(
        actions(&page),
        ["sign_in", "sign_in_failed", "sign_in"],
        "{page:#}"
    );
    assert_eq!(page["items"][1]["text"], "Неудачная попытка входа");
}
