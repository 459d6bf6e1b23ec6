//! Two real `portal` processes on one PostgreSQL database, as behind a balancer: each
//! piece of background work is done by one of them, once. SQLite serves one process,
//! so there these tests say so and pass.

use std::collections::BTreeSet;
use std::time::Duration;

use domain::notification::Channel;
use persistence::{job_runs, outbox, Database};
use portal_tests::processes::{self, Portal};
use portal_tests::{empty_database, EmptyDatabase};

const E_MAILS: usize = 200;

/// Two servers on one fresh PostgreSQL database, sending mail every 50 ms into one
/// shared folder; `None` (with a note) on SQLite.
async fn two_servers(
    mail_dir: &std::path::Path,
    files: &std::path::Path,
) -> Option<(EmptyDatabase, [Portal; 2])> {
    if !processes::on_postgres() {
        eprintln!(
            "skipped: two processes share a database only on PostgreSQL (TEST_BACKEND=postgres)"
        );
        return None;
    }
    let empty = empty_database().await;
    let env = [
        ("PORTAL_MAIL_DIR", mail_dir.to_string_lossy().into_owned()),
        ("PORTAL_MAIL_INTERVAL_MS", "50".into()),
        ("PORTAL_JOBS_INTERVAL_MS", "50".into()),
        ("PORTAL_FILES", files.to_string_lossy().into_owned()),
    ];
    let (a, b) = tokio::join!(
        processes::start(&empty.url, &env),
        processes::start(&empty.url, &env)
    );
    Some((empty, [a, b]))
}

async fn blocking<T: Send + 'static>(
    db: &Database,
    f: impl FnOnce(&Database) -> T + Send + 'static,
) -> T {
    let db = db.clone();
    tokio::task::spawn_blocking(move || f(&db)).await.unwrap()
}

/// The value of a header in an `.eml` file.
fn header<'a>(eml: &'a str, name: &str) -> Option<&'a str> {
    eml.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

#[tokio::test]
async fn two_processes_send_each_of_200_e_mails_exactly_once() {
    let (mail, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some((empty, _servers)) = two_servers(mail.path(), files.path()).await else {
        return;
    };
    // Queued while both run, a few at a time, as changes would queue them.
    for batch in 0..20 {
        blocking(&empty.db, move |db| {
            let conn = &mut db.conn().unwrap();
            for i in batch * 10..batch * 10 + 10 {
                let now = chrono::Utc::now().naive_utc();
                let (to, subject) = (format!("r{i}@example.ru"), format!("Message {i}"));
                outbox::enqueue(conn, Channel::Email, &to, &subject, "Text", now).unwrap();
            }
        })
        .await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut sent = 0;
    for _ in 0..600 {
        sent = blocking(&empty.db, |db| {
            let conn = &mut db.conn().unwrap();
            (0..E_MAILS)
                .filter(|i| {
                    let m = outbox::to_recipient(conn, &format!("r{i}@example.ru")).unwrap();
                    m.len() == 1 && m[0].sent_at.is_some()
                })
                .count()
        })
        .await;
        if sent == E_MAILS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sent, E_MAILS, "every message marked sent within a minute");
    // A moment for a duplicate, were there one, to land in the folder.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut eml_files = 0;
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(mail.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        eml_files += 1;
        let eml = std::fs::read_to_string(&path).unwrap();
        let to = header(&eml, "To").expect("a To header").to_owned();
        let subject = header(&eml, "Subject")
            .expect("a Subject header")
            .to_owned();
        assert!(
            seen.insert((to.clone(), subject.clone())),
            "sent twice: {to} {subject}"
        );
    }
    assert_eq!(eml_files, E_MAILS, "one file per message");
    let expected: BTreeSet<(String, String)> = (0..E_MAILS)
        .map(|i| (format!("r{i}@example.ru"), format!("Message {i}")))
        .collect();
    assert_eq!(seen, expected);
    let attempts = blocking(&empty.db, |db| {
        let conn = &mut db.conn().unwrap();
        (0..E_MAILS)
            .map(|i| outbox::to_recipient(conn, &format!("r{i}@example.ru")).unwrap()[0].attempts)
            .collect::<BTreeSet<i32>>()
    })
    .await;
    assert_eq!(
        attempts,
        BTreeSet::from([1]),
        "each delivered at the first attempt"
    );
}

/// Every periodic job's schedule once each has run at least `runs` passes.
async fn schedules_after(db: &Database, runs: i64) -> Vec<job_runs::JobRun> {
    for _ in 0..200 {
        let all = blocking(db, |db| job_runs::all(&mut db.conn().unwrap()).unwrap()).await;
        if all.len() == 4 && all.iter().all(|r| r.runs >= runs) {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the periodic jobs did not run within 10 s");
}

#[tokio::test]
async fn a_periodic_job_runs_once_per_period_across_two_processes() {
    let (mail, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some((empty, _servers)) = two_servers(mail.path(), files.path()).await else {
        return;
    };
    let names = |runs: &[job_runs::JobRun]| runs.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    let first = schedules_after(&empty.db, 1).await;
    assert_eq!(
        names(&first),
        [
            "draft_purge",
            "retention",
            "search_index_merge",
            "vacancy_reminders"
        ]
    );
    for round in 1..=5_i64 {
        // Both processes look every 50 ms: a few looks each, and no second pass.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let now = blocking(&empty.db, |db| {
            job_runs::all(&mut db.conn().unwrap()).unwrap()
        })
        .await;
        for run in &now {
            assert_eq!(run.runs, round, "{} ran once in round {round}", run.name);
        }
        // The period is over: the next look of either process runs the next pass.
        blocking(&empty.db, |db| {
            use diesel::{ExpressionMethods, RunQueryDsl};
            diesel::update(persistence::schema::job_runs::table)
                .set(persistence::schema::job_runs::due_at.eq(chrono::Utc::now().naive_utc()))
                .execute(&mut db.conn().unwrap())
                .unwrap();
        })
        .await;
        schedules_after(&empty.db, round + 1).await;
    }
}

/// A citizen with one saved search of `region` (`None`: any region), made behind the
/// servers' backs; returns their id.
fn watcher(conn: &mut persistence::DbConnection, login: &str, region: Option<&str>) -> String {
    let now = chrono::Utc::now().naive_utc();
    let user = persistence::accounts::User::new(
        domain::role::Role::Citizen,
        login,
        None,
        None,
        "Наблюдатель".into(),
        None,
        now,
    );
    persistence::accounts::insert_user(conn, &user).unwrap();
    let filter = domain::vacancy::VacancyFilter {
        region: region.map(str::to_owned),
        ..Default::default()
    };
    persistence::saved_searches::create(conn, &user.id, "Любая работа", &filter, now).unwrap();
    user.id
}

/// Publishes `n` cooks' vacancies in Moscow while the servers run, each in its own
/// transaction.
async fn publish_cooks(db: &Database, n: usize) {
    for i in 0..n {
        blocking(db, move |db| {
            let new = portal_tests::new_vacancy(&format!("Повар {i}"), "77");
            let now = chrono::Utc::now().naive_utc();
            persistence::db::write(&mut db.conn().unwrap(), |c| {
                persistence::vacancies::publish(c, &new, now)
            })
            .unwrap();
        })
        .await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until no vacancy is left to announce (at most `seconds`), then a little more
/// for a straggling second announcement to show.
async fn all_announced(db: &Database, seconds: u64) {
    let mut pending = -1;
    for _ in 0..seconds * 20 {
        pending = blocking(db, |db| {
            persistence::vacancy_fanout::pending(&mut db.conn().unwrap()).unwrap()
        })
        .await;
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending, 0, "every vacancy announced within {seconds} s");
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// The links of every notification, by user.
async fn links_by_user(db: &Database) -> std::collections::BTreeMap<String, Vec<String>> {
    blocking(db, |db| {
        use diesel::{QueryDsl, RunQueryDsl};
        use persistence::schema::notifications;
        let rows: Vec<(String, Option<String>)> = notifications::table
            .select((notifications::user_id, notifications::link))
            .load(&mut db.conn().unwrap())
            .unwrap();
        let mut by_user = std::collections::BTreeMap::<String, Vec<String>>::new();
        for (user, link) in rows {
            by_user.entry(user).or_default().extend(link);
        }
        by_user
    })
    .await
}

#[tokio::test]
async fn two_processes_announce_each_new_vacancy_once() {
    let (mail, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some((empty, _servers)) = two_servers(mail.path(), files.path()).await else {
        return;
    };
    const VACANCIES: usize = 30;
    let user_id = blocking(&empty.db, |db| {
        watcher(&mut db.conn().unwrap(), "watcher", None)
    })
    .await;
    publish_cooks(&empty.db, VACANCIES).await;
    all_announced(&empty.db, 10).await;
    let links = links_by_user(&empty.db).await.remove(&user_id).unwrap();
    let distinct: BTreeSet<&String> = links.iter().collect();
    assert_eq!(links.len(), VACANCIES, "one notification per vacancy");
    assert_eq!(distinct.len(), VACANCIES, "none announced twice");
}

/// More owners than one step of an announcement reads (`jobs::FANOUT_STEP`, 500 of a
/// region and 500 of any region): both processes step through them, each owner of a
/// matching search is told of each vacancy once, the others never.
#[tokio::test]
async fn two_processes_step_through_many_owners_each_told_once() {
    let (mail, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some((empty, _servers)) = two_servers(mail.path(), files.path()).await else {
        return;
    };
    const VACANCIES: usize = 4;
    let (told, untold) = blocking(&empty.db, |db| {
        let conn = &mut db.conn().unwrap();
        let mut told = BTreeSet::new();
        for i in 0..600 {
            told.insert(watcher(conn, &format!("moscow{i}"), Some("77")));
            told.insert(watcher(conn, &format!("anywhere{i}"), None));
        }
        let untold: BTreeSet<String> = (0..50)
            .map(|i| watcher(conn, &format!("elsewhere{i}"), Some("50")))
            .collect();
        (told, untold)
    })
    .await;
    publish_cooks(&empty.db, VACANCIES).await;
    all_announced(&empty.db, 30).await;
    let by_user = links_by_user(&empty.db).await;
    assert_eq!(by_user.keys().cloned().collect::<BTreeSet<_>>(), told);
    assert!(untold.iter().all(|id| !by_user.contains_key(id)));
    for (user, links) in &by_user {
        let distinct: BTreeSet<&String> = links.iter().collect();
        assert_eq!(
            links.len(),
            VACANCIES,
            "{user}: one notification per vacancy"
        );
        assert_eq!(distinct.len(), VACANCIES, "{user}: none announced twice");
    }
}

/// Staff news to more employer accounts than one step reaches (`jobs::NEWS_STEP`, 500):
/// both processes step through them, each account gets each news once.
#[tokio::test]
async fn two_processes_deliver_news_to_each_account_once() {
    let (mail, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let Some((empty, _servers)) = two_servers(mail.path(), files.path()).await else {
        return;
    };
    const NEWS: usize = 3;
    let centre = portal_tests::insert_centre(&empty.db, "301", "ЦЗН новостей").await;
    let accounts = blocking(&empty.db, move |db| {
        use diesel::{ExpressionMethods, RunQueryDsl};
        use persistence::schema::organizations;
        let conn = &mut db.conn().unwrap();
        let now = chrono::Utc::now().naive_utc();
        diesel::insert_into(organizations::table)
            .values((
                organizations::id.eq("org"),
                organizations::name.eq("ООО «Вести»"),
                organizations::full_name.eq("ООО «Вести»"),
                organizations::ogrn.eq("1027700132195"),
                organizations::inn.eq("7707083893"),
                organizations::centre_id.eq(&centre),
                organizations::created_at.eq(now),
                organizations::updated_at.eq(now),
                organizations::rating.eq(4.0),
                organizations::version.eq(1),
            ))
            .execute(conn)
            .unwrap();
        let accounts: BTreeSet<String> = (0..1_100)
            .map(|i| {
                let user = persistence::accounts::User::new(
                    domain::role::Role::Employer,
                    &format!("hr{i}"),
                    None,
                    None,
                    "Кадровик".into(),
                    None,
                    now,
                );
                persistence::organizations::add_account(conn, "org", &user).unwrap();
                user.id
            })
            .collect();
        let staff = domain::actor::Actor {
            user_id: "staff".into(),
            session_id: "session".into(),
            role: domain::role::Role::Staff,
            centre_id: Some(centre),
            organization_id: None,
            is_admin: false,
            auth_method: "password".into(),
            session_expires_at: now + chrono::TimeDelta::hours(1),
        };
        for n in 0..NEWS {
            let sent =
                persistence::news::send(conn, &staff, None, &format!("Новость {n}"), "…", now)
                    .unwrap();
            assert_eq!(sent, accounts.len());
        }
        accounts
    })
    .await;
    let mut pending = -1;
    for _ in 0..600 {
        pending = blocking(&empty.db, |db| {
            persistence::news::pending(&mut db.conn().unwrap()).unwrap()
        })
        .await;
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending, 0, "every news delivered within 30 s");
    let titles = blocking(&empty.db, |db| {
        use diesel::{QueryDsl, RunQueryDsl};
        use persistence::schema::notifications;
        notifications::table
            .select((notifications::user_id, notifications::title))
            .load::<(String, String)>(&mut db.conn().unwrap())
            .unwrap()
    })
    .await;
    let mut by_account = std::collections::BTreeMap::<String, Vec<String>>::new();
    for (account, title) in titles {
        by_account.entry(account).or_default().push(title);
    }
    assert_eq!(
        by_account.keys().cloned().collect::<BTreeSet<_>>(),
        accounts
    );
    for (account, mut titles) in by_account {
        titles.sort();
        assert_eq!(titles, ["Новость 0", "Новость 1", "Новость 2"], "{account}");
    }
}

/// The lock is what keeps two processes' passes of one job apart on PostgreSQL, even
/// when one outlasts its period: while another session holds the job's lock a process
/// skips the pass, due or not; once it is free, the first claim runs it and the next
/// finds it not due.
#[tokio::test]
async fn a_pass_is_skipped_while_another_session_holds_the_jobs_lock() {
    if !processes::on_postgres() {
        eprintln!("skipped: advisory locks are PostgreSQL's (TEST_BACKEND=postgres)");
        return;
    }
    let empty = empty_database().await;
    let (db, url) = (empty.db.clone(), empty.url.clone());
    blocking(&db, move |db| {
        use diesel::{Connection, RunQueryDsl};
        let key = job_runs::lock_key("probe");
        let mut holder = diesel::PgConnection::establish(&url).unwrap();
        let take = format!("SELECT pg_advisory_lock({key})");
        diesel::sql_query(take).execute(&mut holder).unwrap();
        use chrono::Timelike;
        // PostgreSQL keeps microseconds.
        let now = chrono::Utc::now().naive_utc();
        let now = now
            .with_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap();
        let every = chrono::TimeDelta::minutes(1);
        let mut conn = db.conn().unwrap();
        let mut attempt = |ran: &mut bool| {
            job_runs::run_if_due(&mut conn, "probe", every, "test", now, || *ran = true).unwrap()
        };
        let mut ran = false;
        assert_eq!(attempt(&mut ran), job_runs::Pass::Busy);
        assert!(!ran, "no pass while the lock is held elsewhere");
        let free = format!("SELECT pg_advisory_unlock({key})");
        diesel::sql_query(free).execute(&mut holder).unwrap();
        assert_eq!(attempt(&mut ran), job_runs::Pass::Ran(()));
        assert!(ran);
        let mut again = false;
        assert_eq!(attempt(&mut again), job_runs::Pass::NotBefore(now + every));
        assert!(!again);
    })
    .await;
}
