//! Orders the server compares in Rust must be the database's too. Ids are compared as
//! bytes; a PostgreSQL database made with a linguistic collation orders text otherwise
//! («B» before «a» in bytes, after it in English), so such comparisons say
//! `COLLATE "C"`. This database is made with ICU's `en-US`; SQLite compares bytes
//! anyway.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use domain::role::Role;
use domain::vacancy::VacancyFilter;
use persistence::accounts::{self, User};
use persistence::schema::notifications;
use persistence::{saved_searches, vacancy_fanout, Database, DbConfig};
use portal_tests::unmigrated_database_made_with;

/// Whether the server under test can make a database with an ICU collation
/// (PostgreSQL 15 or later built with ICU); SQLite needs none.
fn icu_databases() -> bool {
    use diesel::Connection;
    if !portal_tests::processes::on_postgres() {
        return true;
    }
    let server = std::env::var("TEST_POSTGRES_URL").unwrap();
    let mut conn =
        diesel::PgConnection::establish(&format!("{}/postgres", server.trim_end_matches('/')))
            .unwrap();
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "current_setting('server_version_num')::int >= 150000 \
         AND EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')",
    ))
    .get_result(&mut conn)
    .unwrap()
}

/// A new vacancy is announced a step of owners at a time, each step going on after the
/// last owner told (`vacancy_fanout::step`): under `en-US` «a» comes before «B», and a
/// step that compared owners the database's way would leave «a» out.
#[test]
fn an_announcement_steps_through_owners_in_byte_order_whatever_the_collation() {
    if !icu_databases() {
        eprintln!("skipped: this PostgreSQL cannot make a database with an ICU collation");
        return;
    }
    let database = unmigrated_database_made_with(
        "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
    );
    let db = Database::open(&DbConfig {
        url: database.url.clone(),
        pool_size: 1,
        acquire_timeout: Duration::from_secs(30),
        sqlite_map_bytes: 0,
    })
    .unwrap();
    let conn = &mut db.conn().unwrap();
    let now = Utc::now().naive_utc();
    let moscow = VacancyFilter {
        region: Some("77".into()),
        ..VacancyFilter::default()
    };
    for id in ["a", "B", "c", "D"] {
        let mut user = User::new(Role::Citizen, id, None, None, id.into(), None, now);
        user.id = id.into();
        accounts::insert_user(conn, &user).unwrap();
        saved_searches::create(conn, id, "Москва", &moscow, now).unwrap();
    }
    let vacancy = persistence::db::write(conn, |c| {
        persistence::vacancies::publish(c, &portal_tests::new_vacancy("Повар", "77"), now)
    })
    .unwrap();
    let mut steps = 0;
    while vacancy_fanout::step(conn, now, 2).unwrap() {
        steps += 1;
        assert!(steps < 20, "the announcement ends");
    }
    let rows: Vec<String> = notifications::table
        .filter(notifications::link.eq(format!("/api/v1/vacancies/{}", vacancy.id)))
        .select(notifications::user_id)
        .load(conn)
        .unwrap();
    let mut told: BTreeMap<String, usize> = BTreeMap::new();
    for user in rows {
        *told.entry(user).or_default() += 1;
    }
    let every_once: BTreeMap<String, usize> =
        ["B", "D", "a", "c"].map(|id| (id.to_owned(), 1)).into();
    assert_eq!(told, every_once);
}
