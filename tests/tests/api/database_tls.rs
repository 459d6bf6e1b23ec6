//! A database that requires TLS (PostgreSQL): the change feed's listener connects as
//! `DATABASE_URL` says, through a real TLS handshake with a front that turns plain
//! clients away (`portal_tests::tls_front`), and checks the server's certificate as
//! libpq would.

use std::sync::atomic::Ordering;
use std::time::Duration;

use api::auth::sessions::SessionCache;
use api::feed::Feed;
use api::remembered::Changes;
use diesel::prelude::*;
use domain::change::Change;
use portal_tests::{processes, tls_front};

fn skipped() -> bool {
    if processes::on_postgres() {
        return false;
    }
    eprintln!(
        "skipped: the change feed's listener runs on PostgreSQL only (TEST_BACKEND=postgres)"
    );
    true
}

/// A fresh database and a TLS front for it; `None` (the test is skipped) on SQLite.
async fn front() -> Option<(portal_tests::EmptyDatabase, tls_front::TlsFront)> {
    if skipped() {
        return None;
    }
    let empty = portal_tests::empty_database().await;
    let front = tls_front::start(&empty.url).await;
    Some((empty, front))
}

/// Whether a listener started on `url` hears a change committed in the database within
/// `wait`: a `NOTIFY` is sent every 100 ms until one arrives.
async fn hears(url: &str, db: &persistence::Database, wait: Duration) -> bool {
    let feed = Feed::new(Changes::new(), SessionCache::new(Duration::ZERO));
    let mut stream = feed.subscribe();
    let _listener = api::feed::listen::start(url, feed.clone()).expect("a listener");
    heard(&mut stream, db, wait).await
}

/// Whether `stream` hears a change committed in the database within `wait`.
async fn heard(
    stream: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<[Change]>>,
    db: &persistence::Database,
    wait: Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    let marker = Change::Notifications("tls-marker".into());
    while tokio::time::Instant::now() < deadline {
        let mut conn = db.conn().unwrap();
        diesel::sql_query(format!(
            "NOTIFY {}, 'n:tls-marker'",
            persistence::feed::CHANNEL
        ))
        .execute(&mut conn)
        .unwrap();
        drop(conn);
        while let Ok(Ok(batch)) =
            tokio::time::timeout(Duration::from_millis(100), stream.recv()).await
        {
            if batch.contains(&marker) {
                return true;
            }
        }
    }
    false
}

/// A listener whose server stops answering while its connection stays open (a frozen
/// server, a network that drops every packet) hears nothing and is told nothing: it
/// asks its server every few seconds, and when no answer comes it gives the
/// connection up (its process then trusts nothing it remembered: `Everything`) and
/// listens again on a new one. Without the question it would go on trusting for as
/// long as the kernel's keepalives take to call the connection dead, eleven minutes.
#[tokio::test]
async fn a_listener_whose_server_stops_answering_is_given_up() {
    let Some((empty, front)) = front().await else {
        return;
    };
    let feed = Feed::new(Changes::new(), SessionCache::new(Duration::ZERO));
    let mut stream = feed.subscribe();
    let url = front.url(&empty.url, "sslmode=require");
    let _listener = api::feed::listen::start(&url, feed.clone()).expect("a listener");
    assert!(
        heard(&mut stream, &empty.db, Duration::from_secs(10)).await,
        "it listens"
    );
    assert_eq!(front.silence("portal-feed"), 1);
    let silenced = std::time::Instant::now();
    // Two heartbeats' worth (5 s between questions, 5 s for the answer) and a margin.
    loop {
        match tokio::time::timeout(Duration::from_secs(20), stream.recv()).await {
            Ok(Ok(batch)) if batch.contains(&Change::Everything) => break,
            Ok(_) => {}
            Err(_) => panic!(
                "still trusted {:?} after its server went silent",
                silenced.elapsed()
            ),
        }
        assert!(
            silenced.elapsed() < Duration::from_secs(20),
            "given up in time"
        );
    }
    assert!(
        heard(&mut stream, &empty.db, Duration::from_secs(10)).await,
        "it listens again on a new connection"
    );
}

#[tokio::test]
async fn the_listener_uses_tls_and_trusts_what_the_url_says() {
    let Some((empty, front)) = front().await else {
        return;
    };
    let (ours, stranger) = (front.authority.display(), front.stranger.display());
    // libpq's meanings: `require` encrypts without checking, unless a root file is
    // named; `verify-ca` checks the issuer; `verify-full` the issuer and the host.
    for options in [
        "sslmode=require".to_owned(),
        format!("sslmode=verify-ca&sslrootcert={ours}"),
        format!("sslmode=verify-full&sslrootcert={ours}"),
        format!("sslmode=prefer&application_name=x&sslrootcert={ours}"),
    ] {
        let url = front.url(&empty.url, &options);
        assert!(
            hears(&url, &empty.db, Duration::from_secs(10)).await,
            "{options}: the listener hears the database through TLS"
        );
    }
    assert!(front.seen.encrypted.load(Ordering::SeqCst) >= 4);
    assert_eq!(front.seen.failed.load(Ordering::SeqCst), 0);

    for options in [
        format!("sslmode=verify-full&sslrootcert={stranger}"),
        format!("sslmode=require&sslrootcert={stranger}"),
        "sslmode=disable".to_owned(),
    ] {
        let url = front.url(&empty.url, &options);
        assert!(
            !hears(&url, &empty.db, Duration::from_secs(2)).await,
            "{options}: no connection"
        );
    }
    assert!(
        front.seen.failed.load(Ordering::SeqCst) >= 2,
        "a certificate from an authority not trusted is refused in the handshake"
    );
    assert!(front.seen.plain.load(Ordering::SeqCst) >= 1);
}

/// `portal serve` on `url`, with a folder for its files.
async fn serve(url: &str) -> (processes::Portal, tempfile::TempDir) {
    let files = tempfile::tempdir().unwrap();
    let env = [
        ("PORTAL_FILES", files.path().to_string_lossy().into_owned()),
        ("PORTAL_MAIL_LOG", "1".into()),
    ];
    (processes::start(url, &env).await, files)
}

#[tokio::test]
async fn a_server_on_a_database_that_requires_tls_listens_through_it() {
    let Some((empty, front)) = front().await else {
        return;
    };
    let url = front.url(
        &empty.url,
        &format!(
            "sslmode=verify-full&sslrootcert={}",
            front.authority.display()
        ),
    );
    let (_portal, _files) = serve(&url).await;
    // The feed's `LISTEN` is in force on a connection the front relayed.
    let mut listening_port = None;
    for _ in 0..100 {
        let mut conn = empty.db.conn().unwrap();
        listening_port = diesel::select(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Integer>,
        >(
            "(SELECT client_port FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'portal-feed' AND query ILIKE 'LISTEN%' LIMIT 1)",
        ))
        .get_result::<Option<i32>>(&mut conn)
        .unwrap();
        if listening_port.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let port = listening_port.expect("the listener is on within 5 s");
    let relayed = front.seen.relayed_ports.lock().unwrap().clone();
    assert!(
        relayed.contains(&u16::try_from(port).unwrap()),
        "the listener came through the TLS front ({port} in {relayed:?})"
    );
    assert_eq!(front.seen.plain.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_server_is_not_ready_until_its_change_feed_listens() {
    let Some((empty, front)) = front().await else {
        return;
    };
    // The database takes the pool's connections and not the listener's.
    front.refuse(Some("portal-feed"));
    let url = front.url(&empty.url, "sslmode=require");
    let (portal, _files) = serve(&url).await;
    let client = reqwest::Client::new();
    let ready = |base: String| {
        let client = client.clone();
        async move {
            let root = base.trim_end_matches("/api/v1").to_owned();
            client
                .get(format!("{root}/health/ready"))
                .send()
                .await
                .unwrap()
        }
    };
    let refused = ready(portal.base.clone()).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5");
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "service_unavailable");
    // Meanwhile it serves what needs no other process: it is alive.
    let root = portal.base.trim_end_matches("/api/v1").to_owned();
    let live = client
        .get(format!("{root}/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);

    // The listener retries by itself (every 5 s at most) and the instance turns ready.
    front.refuse(None);
    let mut status = 503;
    for _ in 0..80 {
        status = ready(portal.base.clone()).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "ready once the listener is on");
}
