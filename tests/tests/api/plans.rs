//! How PostgreSQL plans our statements: once per statement on every pooled connection,
//! for the values at hand only around a text pattern
//! (`persistence::db::planned_for_values`).

use diesel::prelude::*;
use diesel::sql_types::Text;
use persistence::db::planned_for_values;
use persistence::DbConnection;
use portal_tests::spawn_app;

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    plan_cache_mode: String,
}

/// The connection's `plan_cache_mode`, or none on SQLite.
fn mode(conn: &mut DbConnection) -> Option<String> {
    match conn {
        DbConnection::Postgresql(pg) => Some(
            diesel::sql_query("SHOW plan_cache_mode")
                .get_result::<Setting>(pg)
                .expect("SHOW answers")
                .plan_cache_mode,
        ),
        DbConnection::Sqlite(_) => None,
    }
}

#[tokio::test]
async fn a_pattern_is_planned_for_its_text_and_the_connection_keeps_one_plan_per_statement() {
    let app = spawn_app().await;
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().expect("a pooled connection");
        let postgres = mode(&mut conn).is_some();
        let generic = postgres.then(|| "force_generic_plan".to_owned());
        assert_eq!(mode(&mut conn), generic, "a pooled connection");

        let inside =
            planned_for_values(&mut conn, true, |c| Ok::<_, diesel::result::Error>(mode(c)))
                .unwrap();
        assert_eq!(inside, postgres.then(|| "force_custom_plan".to_owned()));
        assert_eq!(mode(&mut conn), generic, "after a pattern search");

        let failed = planned_for_values(&mut conn, true, |c| {
            diesel::sql_query("SELECT * FROM no_such_table").execute(c)
        });
        assert!(failed.is_err(), "the search's own error comes back");
        assert_eq!(mode(&mut conn), generic, "after a failed pattern search");

        let plain = planned_for_values(&mut conn, false, |c| {
            Ok::<_, diesel::result::Error>(mode(c))
        })
        .unwrap();
        assert_eq!(plain, generic, "no pattern, no switch");
    })
    .await
    .unwrap();
}
