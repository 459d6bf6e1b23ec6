//! Retention (152-FZ): the database refuses to rewrite the journal or erase a recent
//! entry, and the purge deletes what is past its time, and nothing else.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use persistence::schema::{
    audit_events, esia_logins, notifications, outbox, password_resets, refresh_tokens, sessions,
};
use portal_tests::spawn_app;

use super::journal;

/// Writes a journal row dated as the test likes.
fn insert_entry(conn: &mut persistence::DbConnection, id: &str, subject: &str, at: NaiveDateTime) {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(id.to_owned()),
            audit_events::occurred_at.eq(at),
            audit_events::kind.eq("read"),
            audit_events::action.eq("card_read"),
            audit_events::subject_id.eq(subject.to_owned()),
            audit_events::record_type.eq("citizen"),
            audit_events::record_id.eq(subject.to_owned()),
        ))
        .execute(conn)
        .unwrap();
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_the_journal_and_the_purge_keeps_retention() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-purge").await;
    let user = citizen.user_id.clone();
    let now = chrono::Utc::now().naive_utc();
    let day = TimeDelta::days(1);

    app.with_db(move |conn| {
        insert_entry(conn, "old", &user, now - day * 1200);
        insert_entry(conn, "kept", &user, now - day * 500);
        insert_entry(conn, "recent", &user, now - day);
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq("ended"),
                sessions::user_id.eq(&user),
                sessions::auth_method.eq("password"),
                sessions::created_at.eq(now - day * 100),
                sessions::expires_at.eq(now - day * 60),
            ))
            .execute(conn)
            .unwrap();
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq("ended-token"),
                refresh_tokens::session_id.eq("ended"),
                refresh_tokens::created_at.eq(now - day * 100),
                refresh_tokens::expires_at.eq(now - day * 60),
            ))
            .execute(conn)
            .unwrap();
        for (id, sent) in [("sent-long-ago", Some(now - day * 60)), ("unsent", None)] {
            diesel::insert_into(outbox::table)
                .values((
                    outbox::id.eq(id),
                    outbox::channel.eq("email"),
                    outbox::recipient.eq("someone@example.ru"),
                    outbox::subject.eq("Тема"),
                    outbox::body.eq("Текст"),
                    outbox::created_at.eq(now - day * 61),
                    outbox::next_attempt_at.eq(now - day * 61),
                    outbox::attempts.eq(1),
                    outbox::sent_at.eq(sent),
                ))
                .execute(conn)
                .unwrap();
        }
        for (seq, (id, read)) in [("read-long-ago", Some(now - day * 200)), ("unread", None)]
            .into_iter()
            .enumerate()
        {
            diesel::insert_into(notifications::table)
                .values((
                    notifications::seq.eq(seq as i64 + 1),
                    notifications::id.eq(id),
                    notifications::user_id.eq(&user),
                    notifications::category.eq("news"),
                    notifications::title.eq("Новость"),
                    notifications::body.eq("Текст"),
                    notifications::created_at.eq(now - day * 300),
                    notifications::read_at.eq(read),
                    notifications::updated_at.eq(read.unwrap_or(now - day * 300)),
                ))
                .execute(conn)
                .unwrap();
        }
        for (hash, expires, used) in [
            ("reset-used-long-ago", now - day * 59, Some(now - day * 60)),
            ("reset-expired-long-ago", now - day * 60, None),
            ("reset-live", now + TimeDelta::minutes(20), None),
        ] {
            diesel::insert_into(password_resets::table)
                .values((
                    password_resets::token_hash.eq(hash),
                    password_resets::user_id.eq(&user),
                    password_resets::created_at.eq(expires - TimeDelta::minutes(30)),
                    password_resets::expires_at.eq(expires),
                    password_resets::used_at.eq(used),
                ))
                .execute(conn)
                .unwrap();
        }
        for (state, expires) in [
            ("esia-abandoned", now - TimeDelta::minutes(1)),
            ("esia-live", now + TimeDelta::minutes(9)),
        ] {
            diesel::insert_into(esia_logins::table)
                .values((
                    esia_logins::state_digest.eq(state),
                    esia_logins::nonce.eq("nonce"),
                    esia_logins::pkce_verifier.eq("verifier"),
                    esia_logins::created_at.eq(expires - TimeDelta::minutes(10)),
                    esia_logins::expires_at.eq(expires),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;

    // Neither a rewrite nor an early erasure gets past the database.
    let refused = app
        .with_db(|conn| {
            let update =
                diesel::sql_query("UPDATE audit_events SET action = 'sign_in'").execute(conn);
            let update_old =
                diesel::sql_query("UPDATE audit_events SET action = 'sign_in' WHERE id = 'old'")
                    .execute(conn);
            let delete_recent =
                diesel::sql_query("DELETE FROM audit_events WHERE id = 'recent'").execute(conn);
            (update.is_err(), update_old.is_err(), delete_recent.is_err())
        })
        .await;
    assert_eq!(refused, (true, true, true));

    let retention = api::config::RetentionSettings::default().retention();
    let purged = app
        .with_db(move |conn| {
            persistence::retention::purge(conn, &retention, chrono::Utc::now().naive_utc())
        })
        .await
        .unwrap();
    assert_eq!(purged.audit_events, 1, "only the entry past three years");
    assert_eq!(purged.sessions, 1);
    assert_eq!(purged.refresh_tokens, 1);
    assert_eq!(purged.sent_mail, 1);
    assert_eq!(purged.read_notifications, 1);
    assert_eq!(purged.password_resets, 2, "used or expired sixty days ago");
    assert_eq!(purged.esia_logins, 1, "the abandoned sign-in");

    let left = app
        .with_db(|conn| {
            let journal: Vec<String> = audit_events::table
                .filter(audit_events::id.eq_any(["old", "kept", "recent"]))
                .order(audit_events::id)
                .select(audit_events::id)
                .load(conn)
                .unwrap();
            let mail: Vec<String> = outbox::table
                .filter(outbox::id.eq_any(["sent-long-ago", "unsent"]))
                .select(outbox::id)
                .load(conn)
                .unwrap();
            let notes: Vec<String> = notifications::table
                .filter(notifications::id.eq_any(["read-long-ago", "unread"]))
                .select(notifications::id)
                .load(conn)
                .unwrap();
            let resets: Vec<String> = password_resets::table
                .select(password_resets::token_hash)
                .load(conn)
                .unwrap();
            let logins: Vec<String> = esia_logins::table
                .select(esia_logins::state_digest)
                .load(conn)
                .unwrap();
            assert_eq!(
                (resets, logins),
                (vec!["reset-live".to_owned()], vec!["esia-live".to_owned()])
            );
            let ended: i64 = sessions::table
                .filter(sessions::id.eq("ended"))
                .count()
                .get_result(conn)
                .unwrap();
            (journal, mail, notes, ended)
        })
        .await;
    assert_eq!(
        left,
        (
            vec!["kept".to_owned(), "recent".to_owned()],
            vec!["unsent".to_owned()],
            vec!["unread".to_owned()],
            0
        )
    );
    // The citizen's live session survived the purge.
    journal(&app, &citizen, "").await;
}

#[tokio::test]
async fn the_purge_goes_in_batches_until_nothing_old_is_left() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-batches").await;
    let user = citizen.user_id.clone();
    let now = chrono::Utc::now().naive_utc();
    let day = TimeDelta::days(1);
    app.with_db(move |conn| {
        for i in 0..7 {
            insert_entry(conn, &format!("old-{i}"), &user, now - day * (1200 + i));
        }
        insert_entry(conn, "kept", &user, now - day * 500);
        for i in 0..5_i64 {
            diesel::insert_into(notifications::table)
                .values((
                    notifications::seq.eq(i + 1),
                    notifications::id.eq(format!("read-{i}")),
                    notifications::user_id.eq(&user),
                    notifications::category.eq("news"),
                    notifications::title.eq("Новость"),
                    notifications::body.eq("Текст"),
                    notifications::created_at.eq(now - day * 300),
                    notifications::read_at.eq(now - day * 200),
                    notifications::updated_at.eq(now - day * 200),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
    let retention = api::config::RetentionSettings::default().retention();
    // Batches of two: each table takes several transactions, the last one short.
    let purged = app
        .with_db(move |conn| persistence::retention::purge_by(conn, &retention, now, 2))
        .await
        .unwrap();
    assert_eq!((purged.audit_events, purged.read_notifications), (7, 5));
    let (entries, notices): (Vec<String>, i64) = app
        .with_db(|conn| {
            (
                audit_events::table
                    .select(audit_events::id)
                    .load(conn)
                    .unwrap(),
                notifications::table.count().get_result(conn).unwrap(),
            )
        })
        .await;
    assert!(entries.contains(&"kept".to_owned()));
    assert!(
        !entries.iter().any(|id| id.starts_with("old-")),
        "{entries:?}"
    );
    assert_eq!(notices, 0);
}
