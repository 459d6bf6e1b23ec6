//! Two real `portal` processes on one PostgreSQL database send each webhook delivery
//! once: the receiver hears every event, none twice.

use std::collections::BTreeSet;
use std::time::Duration;

use diesel::prelude::*;
use domain::webhook::EventData;
use persistence::schema::webhook_subscriptions as subs;
use persistence::webhooks;
use portal_tests::processes;
use portal_tests::receiver::Receiver;
use portal_tests::{empty_database, PASSWORD};

const EVENTS: usize = 100;

#[tokio::test]
async fn two_processes_deliver_each_of_100_events_once() {
    if !processes::on_postgres() {
        eprintln!(
            "skipped: two processes share a database only on PostgreSQL (TEST_BACKEND=postgres)"
        );
        return;
    }
    let receiver = Receiver::start(&[]).await;
    let empty = empty_database().await;
    let (db, url) = (empty.db.clone(), receiver.url());
    let organization = tokio::task::spawn_blocking(move || {
        let conn = &mut db.conn().unwrap();
        let now = chrono::Utc::now().naive_utc();
        let org = persistence::organizations::NewOrganization {
            details: domain::organization::Details::new(
                "ООО «Ромашка»".into(),
                "Общество с ограниченной ответственностью «Ромашка»".into(),
                domain::identifiers::Ogrn::parse("1027700132195").unwrap(),
                domain::identifiers::Inn::parse("7707083893").unwrap(),
            ),
            centre_id: None,
            rating: 4.0,
        };
        let admin = persistence::accounts::User::new(
            domain::role::Role::Employer,
            "hooks.admin",
            Some(api::auth::passwords::hash(PASSWORD).unwrap()),
            None,
            "Администратор".into(),
            None,
            now,
        );
        let id = persistence::organizations::register(conn, &org, &admin, now).unwrap();
        diesel::insert_into(subs::table)
            .values((
                subs::id.eq(persistence::new_id()),
                subs::organization_id.eq(&id),
                subs::url.eq(url),
                subs::secret.eq(api::webhooks::new_secret()),
                subs::events.eq("report.accepted"),
                subs::active.eq(true),
                subs::created_by.eq(&admin.id),
                subs::created_at.eq(now),
                subs::updated_at.eq(now),
            ))
            .execute(conn)
            .unwrap();
        id
    })
    .await
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let env = [
        ("PORTAL_MAIL_LOG", "1".to_owned()),
        ("PORTAL_WEBHOOKS_INTERVAL_MS", "20".into()),
        ("PORTAL_WEBHOOKS_ALLOW_PRIVATE", "1".into()),
        ("PORTAL_FILES", files.path().to_string_lossy().into_owned()),
    ];
    let (_a, _b) = tokio::join!(
        processes::start(&empty.url, &env),
        processes::start(&empty.url, &env)
    );
    // Queued while both run, a few at a time, as changes would queue them.
    for batch in 0..10 {
        let (db, org) = (empty.db.clone(), organization.clone());
        tokio::task::spawn_blocking(move || {
            let conn = &mut db.conn().unwrap();
            for i in batch * 10..batch * 10 + 10 {
                let event = EventData::ReportAccepted {
                    report_id: format!("report-{i}"),
                    kind: "staffing".into(),
                    appeal_id: format!("appeal-{i}"),
                    appeal_number: format!("{i}"),
                };
                let now = chrono::Utc::now().naive_utc();
                assert_eq!(webhooks::enqueue(conn, &org, &event, now).unwrap(), 1);
            }
        })
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = receiver.wait_for(EVENTS, 60).await;
    // A moment for a duplicate, were there one, to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = receiver.wait_for(got.len() + 1, 0).await;
    assert_eq!(got.len(), EVENTS, "each event delivered once");
    let ids: BTreeSet<&str> = got.iter().map(|d| d.header("webhook-id")).collect();
    assert_eq!(ids.len(), EVENTS, "no event twice");
    let reports: BTreeSet<String> = got
        .iter()
        .map(|d| {
            let body: serde_json::Value = serde_json::from_str(&d.body).unwrap();
            body["data"]["report_id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(reports.len(), EVENTS);
    let db = empty.db.clone();
    let backlog =
        tokio::task::spawn_blocking(move || webhooks::backlog(&mut db.conn().unwrap()).unwrap())
            .await
            .unwrap();
    assert_eq!(
        backlog,
        webhooks::Backlog::default(),
        "nothing left pending"
    );
}
