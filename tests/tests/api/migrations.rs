//! Migrations that rewrite rows written before them, applied one by one to a database
//! of the backend under test with such rows in it.

use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel::migration::{Migration, MigrationSource};
use diesel::{Connection, PgConnection, QueryDsl, RunQueryDsl, SqliteConnection};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use persistence::schema::saved_searches;
use persistence::DbConnection;
use portal_tests::processes::on_postgres;
use portal_tests::unmigrated_database;

/// The backend's migrations, from the files.
fn migrations() -> FileBasedMigrations {
    let engine = if on_postgres() { "postgres" } else { "sqlite" };
    let folder = format!("{}/../migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
    FileBasedMigrations::from_path(folder).unwrap()
}

/// The migrations before `version` (`None`: all of them).
struct Before(Option<&'static str>);

impl<DB: Backend> MigrationSource<DB> for Before
where
    FileBasedMigrations: MigrationSource<DB>,
{
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        let all = MigrationSource::<DB>::migrations(&migrations())?;
        Ok(all
            .into_iter()
            .filter(|m| {
                self.0
                    .is_none_or(|v| m.name().version().to_string().as_str() < v)
            })
            .collect())
    }
}

/// Applies the backend's pending migrations of `before`.
fn migrate(conn: &mut DbConnection, before: Before) {
    match conn {
        DbConnection::Postgresql(c) => c.run_pending_migrations(before).map(drop).unwrap(),
        DbConnection::Sqlite(c) => c.run_pending_migrations(before).map(drop).unwrap(),
    }
}

/// A connection to `url` with every migration before `version` applied.
fn migrated_before(url: &str, version: &'static str) -> DbConnection {
    let mut conn = if on_postgres() {
        DbConnection::Postgresql(PgConnection::establish(url).unwrap())
    } else {
        DbConnection::Sqlite(SqliteConnection::establish(url).unwrap())
    };
    migrate(&mut conn, Before(Some(version)));
    conn
}

/// 2027-01-03: a saved search's region, read out of its JSON filter into a column of
/// its own (the announcement of new vacancies reads searches by region).
#[test]
fn saved_searches_get_their_region_out_of_the_filter() {
    let database = unmigrated_database();
    let mut conn = migrated_before(&database.url, "20270103000001");
    conn.batch_execute(
        "INSERT INTO users (id, role, login, display_name, created_at, updated_at)
         VALUES ('u1', 'citizen', 'u1', 'Наблюдатель', '2026-12-01 10:00:00', '2026-12-01 10:00:00');
         INSERT INTO saved_searches (id, user_id, name, filter, created_at) VALUES
         ('s1', 'u1', 'Москва', '{\"region\":\"77\",\"text\":\"повар\"}', '2026-12-01 10:00:00'),
         ('s2', 'u1', 'Где угодно', '{\"region\":null,\"text\":\"повар\"}', '2026-12-01 10:00:00'),
         ('s3', 'u1', 'Всё', '{}', '2026-12-01 10:00:00');",
    )
    .unwrap();
    migrate(&mut conn, Before(None));
    let regions: Vec<(String, Option<String>)> = saved_searches::table
        .select((saved_searches::id, saved_searches::region_code))
        .order(saved_searches::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        regions,
        [
            ("s1".to_owned(), Some("77".to_owned())),
            ("s2".to_owned(), None),
            ("s3".to_owned(), None)
        ]
    );
}
