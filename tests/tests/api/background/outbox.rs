//! The outbox as a sender sees it: claims, leases, retries and dead letters.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use domain::notification::Channel;
use persistence::outbox::{self, Message, LEASE, MAX_ATTEMPTS};
use persistence::Database;
use portal_tests::{empty_database, processes};

/// A moment far from the present, so that nothing else's clock meets the test's.
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2030, 1, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

async fn blocking<T: Send + 'static>(
    db: &Database,
    f: impl FnOnce(&Database) -> T + Send + 'static,
) -> T {
    let db = db.clone();
    tokio::task::spawn_blocking(move || f(&db)).await.unwrap()
}

fn enqueue(db: &Database, recipient: &str, at: NaiveDateTime) {
    outbox::enqueue(
        &mut db.conn().unwrap(),
        Channel::Email,
        recipient,
        "Тема",
        "Текст",
        at,
    )
    .unwrap();
}

fn claim(db: &Database, at: NaiveDateTime) -> Vec<Message> {
    outbox::claim(&mut db.conn().unwrap(), Channel::Email, at, 50).unwrap()
}

fn the_message(db: &Database, recipient: &str) -> Message {
    let mut all = outbox::to_recipient(&mut db.conn().unwrap(), recipient).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

#[tokio::test]
async fn a_claimed_message_is_nobody_elses_until_its_lease_runs_out() {
    let empty = empty_database().await;
    blocking(&empty.db, |db| {
        let t0 = t0();
        enqueue(db, "first@example.ru", t0);
        enqueue(db, "later@example.ru", t0 + TimeDelta::minutes(10));

        let claimed = claim(db, t0);
        assert_eq!(claimed.len(), 1, "only the message whose time has come");
        assert_eq!(claimed[0].recipient, "first@example.ru");
        assert_eq!(claimed[0].claimed_until, Some(t0 + LEASE));
        assert!(
            claim(db, t0 + TimeDelta::seconds(1)).is_empty(),
            "held by the first sender"
        );
        assert!(claim(db, t0 + LEASE - TimeDelta::seconds(1)).is_empty());

        // The sender died holding it: once the lease has run out it is due again.
        let again = claim(db, t0 + LEASE);
        let ids: Vec<&str> = again.iter().map(|m| m.recipient.as_str()).collect();
        assert_eq!(ids, ["first@example.ru"], "the later one is not due yet");
        assert_eq!(again[0].id, claimed[0].id);

        // Delivered: never claimed again, however long after.
        outbox::mark_sent(&mut db.conn().unwrap(), &again[0].id, t0 + LEASE).unwrap();
        let sent = the_message(db, "first@example.ru");
        assert_eq!(sent.sent_at, Some(t0 + LEASE));
        assert_eq!(sent.claimed_until, None);
        let later = claim(db, t0 + TimeDelta::days(1));
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].recipient, "later@example.ru");
    })
    .await;
}

#[tokio::test]
async fn a_message_that_keeps_failing_becomes_a_dead_letter() {
    // An SMTP server that is not there: a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = api::mail::Mailer::new(
        &api::config::MailSettings {
            smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
            mail_dir: None,
            mail_from: "Портал <noreply@portal.localhost>".into(),
            mail_interval_ms: 100,
            mail_log: false,
        },
        false,
    )
    .unwrap();
    let empty = empty_database().await;
    blocking(&empty.db, move |db| {
        let t0 = t0();
        enqueue(db, "unlucky@example.ru", t0);
        let mut at = t0;
        for attempt in 1..=MAX_ATTEMPTS {
            assert_eq!(mailer.deliver_due(db, at).unwrap(), 0);
            let m = the_message(db, "unlucky@example.ru");
            assert_eq!(m.attempts, attempt);
            assert_eq!(m.sent_at, None);
            assert_eq!(m.claimed_until, None, "a failed attempt ends the claim");
            assert!(m.last_error.is_some());
            if attempt < MAX_ATTEMPTS {
                assert_eq!(m.dead_at, None, "attempt {attempt}");
                assert!(m.next_attempt_at > at, "backs off");
                // Not tried again before its time.
                assert_eq!(mailer.deliver_due(db, at).unwrap(), 0);
                assert_eq!(the_message(db, "unlucky@example.ru").attempts, attempt);
                at = m.next_attempt_at;
            } else {
                assert_eq!(
                    m.dead_at,
                    Some(at),
                    "given up after {MAX_ATTEMPTS} attempts"
                );
            }
        }
        // A dead letter is left alone, and support sees it.
        mailer.deliver_due(db, at + TimeDelta::days(30)).unwrap();
        assert_eq!(the_message(db, "unlucky@example.ru").attempts, MAX_ATTEMPTS);
        let dead = outbox::dead_letters(&mut db.conn().unwrap(), 10).unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].recipient, "unlucky@example.ru");

        // Revived once the cause is fixed, it gets a new round of attempts.
        let later = at + TimeDelta::days(31);
        assert!(outbox::revive(&mut db.conn().unwrap(), &dead[0].id, later).unwrap());
        assert!(!outbox::revive(&mut db.conn().unwrap(), &dead[0].id, later).unwrap());
        assert_eq!(claim(db, later).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn without_a_mail_sink_the_server_refuses_to_start() {
    let empty = empty_database().await;
    let files = tempfile::tempdir().unwrap();
    let files = ("PORTAL_FILES", files.path().to_string_lossy().into_owned());
    let said = processes::refused(&empty.url, std::slice::from_ref(&files)).await;
    for setting in [
        "no mail sink",
        "PORTAL_SMTP_URL",
        "PORTAL_MAIL_DIR",
        "PORTAL_MAIL_LOG",
    ] {
        assert!(said.contains(setting), "names {setting}: {said}");
    }
    // Asked for explicitly, mail to the log is allowed.
    let portal = processes::start(&empty.url, &[files, ("PORTAL_MAIL_LOG", "1".into())]).await;
    let health = reqwest::get(portal.base.replace("/api/v1", "/health/ready"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// A sender that gives back what it will not send (its pass ran too long) leaves it due
/// for the next claim at once, without waiting out the lease; a message it sent stays
/// sent.
#[tokio::test]
async fn released_messages_are_claimed_again_at_once() {
    let empty = empty_database().await;
    blocking(&empty.db, |db| {
        let t0 = t0();
        enqueue(db, "sent@example.ru", t0);
        enqueue(db, "left@example.ru", t0);
        let claimed = claim(db, t0);
        assert_eq!(claimed.len(), 2);
        let mut conn = db.conn().unwrap();
        outbox::mark_sent(&mut conn, &claimed[0].id, t0).unwrap();
        let ids: Vec<&str> = claimed.iter().map(|m| m.id.as_str()).collect();
        outbox::release(&mut conn, &ids).unwrap();
        drop(conn);
        let again = claim(db, t0 + TimeDelta::seconds(1));
        assert_eq!(again.len(), 1, "{again:?}");
        assert_eq!(again[0].id, claimed[1].id);
        assert!(the_message(db, &claimed[0].recipient).sent_at.is_some());
    })
    .await;
}
