//! The bundled SQLite is built for multi-thread use (`SQLITE_THREADSAFE=2`,
//! `.cargo/config.toml`): a connection takes no mutex of its own on every call, since
//! the pool hands each connection to one thread at a time. Pooled connections used
//! from many threads at once still read and write correctly.

use std::thread;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use portal_persistence::StoreError;

mod common;

use common::Scratch;

#[derive(QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = Text)]
    compile_options: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[test]
fn the_library_is_built_for_multi_thread_use() {
    let scratch = Scratch::new("sqlite-threads-mode", 1);
    let mut conn = scratch.db.conn().expect("a connection");
    let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
        .load(&mut *conn)
        .expect("the pragma answers");
    let threadsafe: Vec<&str> = options
        .iter()
        .map(|o| o.compile_options.as_str())
        .filter(|o| o.starts_with("THREADSAFE="))
        .collect();
    assert_eq!(threadsafe, ["THREADSAFE=2"]);
}

#[test]
fn pooled_connections_serve_many_threads_at_once() {
    let scratch = Scratch::new("sqlite-threads-use", 8);
    let mut conn = scratch.db.conn().expect("a connection");
    diesel::sql_query("CREATE TABLE marks (thread INTEGER NOT NULL, n INTEGER NOT NULL)")
        .execute(&mut *conn)
        .expect("a table");
    drop(conn);
    let threads: Vec<_> = (0..8_i64)
        .map(|t| {
            let db = scratch.db.clone();
            thread::spawn(move || {
                for n in 0..50_i64 {
                    let mut conn = db.conn().expect("a connection");
                    portal_persistence::db::write(&mut conn, |c| {
                        diesel::sql_query("INSERT INTO marks (thread, n) VALUES (?, ?)")
                            .bind::<BigInt, _>(t)
                            .bind::<BigInt, _>(n)
                            .execute(c)
                            .map_err(StoreError::from)
                    })
                    .expect("the insert");
                    let seen: Count =
                        diesel::sql_query("SELECT count(*) AS n FROM marks WHERE thread = ?")
                            .bind::<BigInt, _>(t)
                            .get_result(&mut *conn)
                            .expect("the count");
                    assert_eq!(seen.n, n + 1, "each thread reads its own writes");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no thread panicked");
    }
    let mut conn = scratch.db.conn().expect("a connection");
    let all: Count = diesel::sql_query("SELECT count(*) AS n FROM marks")
        .get_result(&mut *conn)
        .expect("the count");
    assert_eq!(all.n, 400);
}
