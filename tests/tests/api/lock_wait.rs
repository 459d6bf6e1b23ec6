//! On PostgreSQL a write waits for a row another transaction holds at most 10 s (as a
//! SQLite writer waits for the database), then answers 503 and changes nothing: every
//! write commits within that long of the moment it stamped, which `updated_since`
//! polling allows for.

use std::time::{Duration, Instant};

use diesel::connection::Connection;
use diesel::RunQueryDsl;
use portal_tests::{spawn_app, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn a_write_behind_a_held_row_gives_up_after_ten_seconds() {
    let app = spawn_app().await;
    if app.db.backend() != persistence::Backend::Postgres {
        return; // SQLite's own wait is its busy timeout, set beside this one.
    }
    let citizen = app.citizen("held.row").await;
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    let user = citizen.user_id.clone();
    let db = app.db.clone();
    let holder = tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().unwrap();
        conn.transaction::<(), diesel::result::Error, _>(|c| {
            diesel::sql_query(format!(
                "SELECT id FROM users WHERE id = '{user}' FOR UPDATE"
            ))
            .execute(c)?;
            held_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_secs(13));
            Err(diesel::result::Error::RollbackTransaction)
        })
    });
    held_rx.await.unwrap();

    let started = Instant::now();
    app.send(
        app.client
            .put(app.url("/me/email"))
            .bearer_auth(&citizen.access)
            .json(&json!({"email": "later@example.ru", "password": PASSWORD})),
    )
    .await
    .expect_problem(503, "service_unavailable");
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(13)).contains(&waited),
        "waited {waited:?}"
    );
    holder.await.unwrap().unwrap_err();
    let me = app.get("/me", Some(&citizen.access)).await.expect(200).body;
    assert_eq!(me["email"], "held.row@example.ru");
}
