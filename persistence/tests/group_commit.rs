//! SQLite's writes committed in groups (`group_commit`), on a real database file:
//! concurrent writes share commits, and each still succeeds, fails or panics alone.

use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use domain::change::Change;
use portal_persistence::feed::Sink;
use portal_persistence::{db, DbConnection, StoreError};

mod common;

use common::Scratch;

/// A fresh database with a table of marks, each written by one of the tests' writes.
fn with_marks(pool_size: u32) -> Scratch {
    let scratch = Scratch::new("group-commit", pool_size);
    scratch
        .db
        .conn()
        .expect("a connection")
        .batch_execute("CREATE TABLE marks (n INTEGER PRIMARY KEY, who TEXT NOT NULL)")
        .expect("the table is made");
    scratch
}

/// The marks written, in order.
fn marks(scratch: &Scratch) -> Vec<i64> {
    #[derive(QueryableByName)]
    struct Mark {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<Mark> = diesel::sql_query("SELECT n FROM marks ORDER BY n")
        .load(&mut *scratch.db.conn().expect("a connection"))
        .expect("the marks are read");
    rows.into_iter().map(|m| m.n).collect()
}

/// Hears what the feed publishes.
#[derive(Default)]
struct Heard(Mutex<Vec<String>>);

impl Sink for Heard {
    fn committed(&self, changes: &[Change]) {
        let mut heard = self.0.lock().unwrap();
        for change in changes {
            if let Change::Account(who) = change {
                heard.push(who.clone());
            }
        }
    }
}

fn mark(conn: &mut DbConnection, n: i64) -> Result<(), StoreError> {
    diesel::sql_query("INSERT INTO marks (n, who) VALUES (?, ?)")
        .bind::<BigInt, _>(n)
        .bind::<Text, _>(format!("writer {n}"))
        .execute(conn)?;
    portal_persistence::feed::record(conn, Change::Account(n.to_string()))
}

/// What write `n` does: every fifth marks and then fails, every seventh marks and then
/// panics, the rest mark and succeed, each holding its group a moment so that the
/// others queue behind it.
fn work(conn: &mut DbConnection, n: i64) -> Result<i64, StoreError> {
    mark(conn, n)?;
    std::thread::sleep(Duration::from_millis(2));
    if n % 7 == 0 {
        panic!("write {n} panics");
    }
    if n % 5 == 0 {
        return Err(StoreError::Conflict(format!("write {n} refused")));
    }
    Ok(n * 10)
}

#[test]
fn concurrent_writes_share_commits_and_each_keeps_its_own_outcome() {
    let scratch = with_marks(40);
    let heard = Arc::new(Heard::default());
    scratch.db.hub().subscribe(heard.clone());
    let writers = 32_i64;
    let rounds = 4_i64;
    let start = Arc::new(Barrier::new(writers as usize));
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let db = scratch.db.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                let mut conn = db.conn().expect("a connection");
                start.wait();
                (0..rounds)
                    .map(|r| {
                        let n = 1 + w * rounds + r;
                        let outcome =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                db::write(&mut conn, |c| work(c, n))
                            }));
                        (n, outcome)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut kept = Vec::new();
    for thread in threads {
        for (n, outcome) in thread.join().expect("a writer thread ends") {
            match outcome {
                Err(_) => assert_eq!(n % 7, 0, "write {n} panicked in its own caller only"),
                Ok(Err(StoreError::Conflict(m))) => {
                    assert_eq!(n % 5, 0, "write {n}: {m}");
                    assert_eq!(m, format!("write {n} refused"));
                }
                Ok(Err(other)) => panic!("write {n} failed: {other}"),
                Ok(Ok(value)) => {
                    assert!(n % 5 != 0 && n % 7 != 0, "write {n} should not succeed");
                    assert_eq!(value, n * 10, "each caller gets its own value");
                    kept.push(n);
                }
            }
        }
    }
    kept.sort_unstable();
    let expected: Vec<i64> = (1..=writers * rounds)
        .filter(|n| n % 5 != 0 && n % 7 != 0)
        .collect();
    assert_eq!(kept, expected);
    assert_eq!(
        marks(&scratch),
        expected,
        "failed and panicked writes are rolled back"
    );
    let mut heard: Vec<i64> = heard
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|n| n.parse().unwrap())
        .collect();
    heard.sort_unstable();
    assert_eq!(heard, expected, "only committed writes are published, once");
    let (writes, groups) = scratch.db.write_groups();
    assert_eq!(writes, (writers * rounds) as u64);
    assert!(
        groups < writes / 2,
        "{writes} concurrent writes took {groups} commits"
    );
}

#[test]
fn a_write_inside_a_write_is_part_of_it() {
    let scratch = with_marks(4);
    let mut conn = scratch.db.conn().expect("a connection");
    let refused: Result<(), StoreError> = db::write(&mut conn, |c| {
        mark(c, 1)?;
        db::write(c, |c| mark(c, 2))?;
        Err(StoreError::Stale)
    });
    assert!(matches!(refused, Err(StoreError::Stale)));
    assert_eq!(
        marks(&scratch),
        Vec::<i64>::new(),
        "the outer rollback undoes both"
    );
    db::write(&mut conn, |c| {
        mark(c, 3)?;
        let inner: Result<(), StoreError> = db::write(c, |c| {
            mark(c, 4)?;
            Err(StoreError::Stale)
        });
        assert!(inner.is_err());
        Ok::<_, StoreError>(())
    })
    .expect("the outer write commits");
    assert_eq!(
        marks(&scratch),
        vec![3],
        "the inner rollback undoes its own part"
    );
}

#[test]
fn a_write_begun_on_another_connection_inside_a_write_fails_at_once() {
    let scratch = with_marks(4);
    let db = scratch.db.clone();
    // Without the guard the inner write would wait for its own group forever: the
    // writes run on a thread of their own, and a hang fails the test.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut conn = db.conn().expect("a connection");
        let outer = db::write(&mut conn, |c| {
            mark(c, 1)?;
            let mut other = db.conn().expect("a second connection");
            let inner: Result<(), StoreError> = db::write(&mut other, |c| mark(c, 2));
            Ok::<_, StoreError>(inner)
        });
        let after = db::write(&mut conn, |c| mark(c, 3));
        let _ = done.send((outer, after));
    });
    let (outer, after) = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the writes finish instead of waiting for each other");
    let inner = outer.expect("the outer write commits");
    assert!(
        matches!(
            inner,
            Err(StoreError::Query(
                diesel::result::Error::AlreadyInTransaction
            ))
        ),
        "{inner:?}"
    );
    after.expect("writes go on afterwards");
    assert_eq!(marks(&scratch), vec![1, 3]);
}
