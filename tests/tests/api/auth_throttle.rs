//! What keeps registration and refresh from costing the server without bound:
//! budgets per client address (429 with `Retry-After`, nothing stored), and a bounded
//! queue for new passwords (503 `server_busy` with `Retry-After`) that a flood of
//! registrations fills without stalling the people signing in. On PostgreSQL the
//! budgets are shared by every process on the database, and kept under digests only
//! while they count.

use chrono::TimeDelta;
use persistence::throttle::{self, Budget, Verdict};
use portal_tests::{citizen_body, processes, session, spawn_app_with, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn registrations_are_limited_per_address_and_a_refused_one_stores_nothing() {
    let app = spawn_app_with(|s| s.registrations_per_address = 3).await;
    for n in 0..3 {
        app.post("/auth/register", None, citizen_body(&format!("early-{n}")))
            .await
            .expect(201);
    }
    let r = app
        .post("/auth/register", None, citizen_body("one-too-many"))
        .await
        .expect_problem(429, "too_many_requests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.login("one-too-many", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    // The employer form shares the budget.
    let employer = app.employer_body(
        "late-employer",
        "1027700132195",
        "7707083893",
        Some("770701001"),
    );
    app.post("/auth/register/employer", None, employer)
        .await
        .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_taken_login_is_refused_whatever_else_the_form_says() {
    let app = spawn_app_with(|_| {}).await;
    app.citizen("first-comer").await;
    let mut again = citizen_body("First-Comer");
    again["email"] = json!("someone.else@example.ru");
    app.post("/auth/register", None, again)
        .await
        .expect_problem(409, "login_taken");
}

#[tokio::test]
async fn refreshes_are_limited_per_address() {
    let app = spawn_app_with(|s| s.refreshes_per_address = 2).await;
    let s = app.citizen("refresher").await;
    let r = app
        .post("/auth/refresh", None, json!({"refresh_token": s.refresh}))
        .await
        .expect(200);
    let next = session(&r.body);
    let r = app
        .post(
            "/auth/refresh",
            None,
            json!({"refresh_token": next.refresh}),
        )
        .await
        .expect(200);
    let last = session(&r.body);
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": last.refresh}),
    )
    .await
    .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_registration_flood_is_turned_away_and_sign_ins_go_on() {
    let app = spawn_app_with(|_| {}).await;
    app.citizen("regular").await;
    let app = &app;
    let flood = futures_util::future::join_all((0..80).map(|n| async move {
        let login = format!("flood-{n}");
        (
            login.clone(),
            app.post("/auth/register", None, citizen_body(&login)).await,
        )
    }));
    let sign_ins = futures_util::future::join_all((0..5).map(|_| app.login("regular", PASSWORD)));
    let (flood, sign_ins) = tokio::join!(flood, sign_ins);
    for r in sign_ins {
        r.expect(200);
    }
    let (mut registered, mut busy) = (Vec::new(), Vec::new());
    for (login, r) in flood {
        match r.status {
            201 => registered.push(login),
            503 => {
                assert_eq!(r.body["code"], "server_busy", "{:#}", r.body);
                assert!(r.header("retry-after").is_some());
                busy.push(login);
            }
            other => panic!("{login}: {other} {:#}", r.body),
        }
    }
    assert!(
        !registered.is_empty() && !busy.is_empty(),
        "{registered:?} {busy:?}"
    );
    // Those turned away were not registered; they may try again.
    let retry = &busy[0];
    app.login(retry, PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.post("/auth/register", None, citizen_body(retry))
        .await
        .expect(201);
}

#[tokio::test]
async fn a_budget_in_the_database_grants_a_minutes_share_and_is_purged_when_whole() {
    let app = spawn_app_with(|_| {}).await;
    app.with_db(|conn| {
        let budget = Budget {
            bucket: "test",
            per_minute: 3,
        };
        // As the server's clock reads: whole microseconds, as both databases keep.
        let now = api::state::now();
        for _ in 0..3 {
            assert_eq!(
                throttle::take(conn, budget, "k", now).unwrap(),
                Verdict::Granted
            );
        }
        assert_eq!(
            throttle::take(conn, budget, "k", now + TimeDelta::seconds(5)).unwrap(),
            Verdict::Refused {
                retry_after: TimeDelta::seconds(15)
            }
        );
        // Another key has its own budget.
        assert_eq!(
            throttle::take(conn, budget, "other", now).unwrap(),
            Verdict::Granted
        );
        // A third of a minute later there is room for one more, and only one.
        let later = now + TimeDelta::seconds(20);
        assert_eq!(
            throttle::take(conn, budget, "k", later).unwrap(),
            Verdict::Granted
        );
        assert!(matches!(
            throttle::take(conn, budget, "k", later).unwrap(),
            Verdict::Refused { .. }
        ));
        // Whole again: nothing is kept.
        assert_eq!(
            throttle::purge(conn, now + TimeDelta::seconds(30)).unwrap(),
            1
        );
        assert_eq!(throttle::count(conn).unwrap(), 1);
        assert_eq!(
            throttle::purge(conn, later + TimeDelta::seconds(60)).unwrap(),
            1
        );
        assert_eq!(throttle::count(conn).unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn two_processes_share_the_sign_in_budget_of_an_account() {
    if !processes::on_postgres() {
        eprintln!(
            "skipped: two processes share a database only on PostgreSQL (TEST_BACKEND=postgres)"
        );
        return;
    }
    let empty = portal_tests::empty_database().await;
    let files = tempfile::tempdir().unwrap();
    let env = [
        ("PORTAL_FILES", files.path().to_string_lossy().into_owned()),
        ("PORTAL_MAIL_LOG", "1".into()),
        ("PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT", "4".into()),
    ];
    let (a, b) = tokio::join!(
        processes::start(&empty.url, &env),
        processes::start(&empty.url, &env)
    );
    let client = reqwest::Client::new();
    let attempt = |base: &str, login: &str| {
        client
            .post(format!("{base}/auth/login"))
            .json(&json!({"login": login, "password": "Wrong-password-1"}))
            .send()
    };
    // Four attempts, two through each process: each process alone would allow four.
    for server in [&a, &b, &a, &b] {
        let r = attempt(&server.base, "Shared.Target").await.unwrap();
        assert_eq!(r.status(), 401);
    }
    for server in [&a, &b] {
        let r = attempt(&server.base, "shared.target").await.unwrap();
        assert_eq!(r.status(), 429);
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=15).contains(&wait), "{wait}");
    }
    let r = attempt(&b.base, "someone.else").await.unwrap();
    assert_eq!(r.status(), 401, "another account has its own budget");

    // The budgets name neither the login nor the address, and go once whole again.
    let kept = tokio::task::spawn_blocking(move || {
        let conn = &mut empty.db.conn().unwrap();
        let accounts = throttle::keys(conn, "sign_in_account").unwrap();
        let addresses = throttle::keys(conn, "sign_in_address").unwrap();
        let later = chrono::Utc::now().naive_utc() + TimeDelta::minutes(2);
        let purged = throttle::purge(conn, later).unwrap();
        (accounts, addresses, purged, throttle::count(conn).unwrap())
    })
    .await
    .unwrap();
    let (mut accounts, addresses, purged, left) = kept;
    accounts.sort();
    let mut expected = vec![
        api::throttle::digest("shared.target"),
        api::throttle::digest("someone.else"),
    ];
    expected.sort();
    assert_eq!(accounts, expected);
    assert_eq!(addresses, [api::throttle::digest("127.0.0.1")]);
    assert_eq!((purged, left), (3, 0));
}
