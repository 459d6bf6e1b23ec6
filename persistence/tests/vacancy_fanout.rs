//! A new vacancy's announcement to the owners of matching saved searches, a step per
//! transaction (`vacancy_fanout::step`), on a real SQLite file: each owner of a
//! matching search is told exactly once however the steps cut the owners, an owner
//! with more searches than a step reads is told in one step, owners after the last one
//! told are still reached, and a vacancy closed midway is forgotten. (Two processes
//! stepping at once on PostgreSQL: the API suite's `two_processes`.)

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::role::Role;
use domain::vacancy::{EmploymentType, Experience, Schedule, VacancyFilter};
use portal_persistence::accounts::{self, User};
use portal_persistence::schema::{notifications, vacancies as vacancy_rows, vacancy_fanouts};
use portal_persistence::vacancies::{self, NewVacancy};
use portal_persistence::{db, saved_searches, vacancy_fanout, DbConnection};

mod common;

use common::Scratch;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// A citizen whose id is `id`, so that the test knows the owners' order.
fn citizen(conn: &mut DbConnection, id: &str) {
    let mut user = User::new(Role::Citizen, id, None, None, id.into(), None, now());
    user.id = id.into();
    accounts::insert_user(conn, &user).unwrap();
}

fn search(
    conn: &mut DbConnection,
    owner: &str,
    name: &str,
    region: Option<&str>,
    text: Option<&str>,
) {
    let filter = VacancyFilter {
        region: region.map(str::to_owned),
        text: text.map(str::to_owned),
        ..VacancyFilter::default()
    };
    saved_searches::create(conn, owner, name, &filter, now()).unwrap();
}

/// Publishes a cook's vacancy in Moscow (region 77) and returns its id.
fn publish_cook(conn: &mut DbConnection) -> String {
    let new = NewVacancy {
        organization_id: None,
        employer_name: "ООО «Ромашка»".into(),
        employer_rating: 4.0,
        title: "Повар горячего цеха".into(),
        profession_code: None,
        category: "services".into(),
        region_code: "77".into(),
        address: None,
        employment_type: EmploymentType::FullTime,
        schedule: Schedule::Shift,
        experience: Experience::From1To3,
        education: None,
        salary_from: Some(60_000),
        salary_to: None,
        benefits: vec![],
        description: "Готовить супы".into(),
    };
    db::write(conn, |c| vacancies::publish(c, &new, now()))
        .unwrap()
        .id
}

/// How many notifications each user got of `vacancy`, and the titles they read.
fn told(conn: &mut DbConnection, vacancy: &str) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = notifications::table
        .filter(notifications::link.eq(format!("/api/v1/vacancies/{vacancy}")))
        .select((notifications::user_id, notifications::title))
        .load(conn)
        .unwrap();
    let mut by_user: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (user, title) in rows {
        by_user.entry(user).or_default().push(title);
    }
    by_user
}

fn progress(conn: &mut DbConnection, vacancy: &str) -> Option<Option<String>> {
    vacancy_fanouts::table
        .find(vacancy)
        .select(vacancy_fanouts::told_through)
        .first(conn)
        .optional()
        .unwrap()
}

/// Steps until nothing is pending; returns how many steps there were.
fn steps_to_the_end(conn: &mut DbConnection, per_step: i64) -> usize {
    let mut steps = 0;
    while vacancy_fanout::step(conn, now(), per_step).unwrap() {
        steps += 1;
        assert!(steps < 100, "the announcement ends");
    }
    steps
}

#[test]
fn every_owner_of_a_matching_search_is_told_once_however_the_steps_cut_them() {
    let scratch = Scratch::new("fanout-once", 2);
    let conn = &mut scratch.db.conn().unwrap();
    // Owners u01…u12: searches of Moscow, of any region and of another region mixed,
    // some owners with several (one of which names the vacancy's words, one not).
    for i in 1..=12 {
        citizen(conn, &format!("u{i:02}"));
    }
    search(
        conn,
        "u01",
        "Водитель в Москве",
        Some("77"),
        Some("водитель"),
    );
    search(conn, "u01", "Повара в Москве", Some("77"), Some("поварами"));
    search(conn, "u01", "Любая работа", None, None);
    search(conn, "u02", "Подмосковье", Some("50"), None);
    search(conn, "u03", "Повар где угодно", None, Some("повар"));
    search(conn, "u04", "Москва", Some("77"), None);
    for i in 5..=11 {
        search(conn, &format!("u{i:02}"), "Где угодно", None, None);
    }
    search(conn, "u06", "Москва", Some("77"), None);
    search(conn, "u08", "Водитель", None, Some("водитель"));
    // u12 searches only for drivers: never told.
    search(
        conn,
        "u12",
        "Водитель в Москве",
        Some("77"),
        Some("водитель"),
    );
    let vacancy = publish_cook(conn);

    // Three searches of each kind a step: the owners are cut across many steps.
    let steps = steps_to_the_end(conn, 3);
    assert!(steps >= 4, "{steps} steps");
    let told = told(conn, &vacancy);
    let owners: Vec<&str> = told.keys().map(String::as_str).collect();
    assert_eq!(
        owners,
        ["u01", "u03", "u04", "u05", "u06", "u07", "u08", "u09", "u10", "u11"]
    );
    for (owner, titles) in &told {
        assert_eq!(titles.len(), 1, "{owner} told once: {titles:?}");
    }
    assert_eq!(progress(conn, &vacancy), None, "the announcement is over");
    // Nothing more to do: a further step finds nothing.
    assert!(!vacancy_fanout::step(conn, now(), 3).unwrap());
}

#[test]
fn an_owner_with_more_searches_than_a_step_reads_is_told_in_one_step() {
    let scratch = Scratch::new("fanout-many", 2);
    let conn = &mut scratch.db.conn().unwrap();
    for id in ["a", "b", "c"] {
        citizen(conn, id);
    }
    search(conn, "a", "Москва", Some("77"), None);
    for i in 0..7 {
        search(conn, "b", &format!("Поиск {i}"), Some("77"), None);
    }
    search(conn, "c", "Где угодно", None, None);
    let vacancy = publish_cook(conn);

    // Two a step: «a» alone first (the list ends inside «b»'s searches), then every
    // search of «b», though there are more than a step reads.
    assert!(vacancy_fanout::step(conn, now(), 2).unwrap());
    assert_eq!(progress(conn, &vacancy), Some(Some("a".into())));
    assert!(vacancy_fanout::step(conn, now(), 2).unwrap());
    assert_eq!(progress(conn, &vacancy), Some(Some("b".into())));
    assert_eq!(told(conn, &vacancy).len(), 2);
    steps_to_the_end(conn, 2);
    let told = told(conn, &vacancy);
    assert_eq!(told.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
    assert!(told.values().all(|titles| titles.len() == 1), "{told:?}");
}

#[test]
fn owners_after_the_last_one_told_are_reached_and_a_closed_vacancy_is_forgotten() {
    let scratch = Scratch::new("fanout-later", 2);
    let conn = &mut scratch.db.conn().unwrap();
    for id in ["a", "b", "c", "d", "e", "f"] {
        citizen(conn, id);
    }
    for id in ["a", "b", "c"] {
        search(conn, id, "Москва", Some("77"), None);
    }
    let first = publish_cook(conn);
    let second = publish_cook(conn);

    // The first vacancy's first step tells «a» and stops before «b».
    assert!(vacancy_fanout::step(conn, now(), 2).unwrap());
    assert_eq!(progress(conn, &first), Some(Some("a".into())));
    // A search saved meanwhile by an owner after the last one told is read later.
    search(conn, "e", "Москва", Some("77"), None);
    steps_to_the_end_of(conn, &first);
    let told_first = told(conn, &first);
    assert_eq!(told_first.keys().collect::<Vec<_>>(), ["a", "b", "c", "e"]);

    // The second vacancy closes after its first step: no one else hears of it.
    assert_eq!(progress(conn, &second), Some(None));
    assert!(vacancy_fanout::step(conn, now(), 2).unwrap());
    assert_eq!(told(conn, &second).keys().collect::<Vec<_>>(), ["a"]);
    diesel::update(vacancy_rows::table.find(&second))
        .set(vacancy_rows::status.eq("closed"))
        .execute(conn)
        .unwrap();
    assert!(
        vacancy_fanout::step(conn, now(), 2).unwrap(),
        "the closed one is dropped"
    );
    assert_eq!(progress(conn, &second), None);
    assert!(!vacancy_fanout::step(conn, now(), 2).unwrap());
    assert_eq!(told(conn, &second).keys().collect::<Vec<_>>(), ["a"]);
}

#[test]
fn a_step_reads_only_the_searches_of_the_vacancys_region_and_of_any_region() {
    let scratch = Scratch::new("fanout-regions", 2);
    let conn = &mut scratch.db.conn().unwrap();
    for id in ["a", "b", "c", "d"] {
        citizen(conn, id);
    }
    search(conn, "a", "Москва", Some("77"), None);
    search(conn, "b", "Подмосковье", Some("50"), None);
    search(conn, "c", "Где угодно", None, None);
    search(conn, "d", "Подмосковье", Some("50"), None);
    search(conn, "d", "Москва", Some("77"), Some("повар"));
    let read = saved_searches::watching_after(conn, "77", None, 10).unwrap();
    let names: Vec<(&str, &str)> = read
        .searches
        .iter()
        .map(|s| (s.user_id.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("a", "Москва"), ("c", "Где угодно"), ("d", "Москва")]
    );
    assert_eq!(read.through, None);
    // After «a», one search of each kind a step: both lists are full («d» of Moscow,
    // «c» of any region), nobody comes before the lesser «c», so «c» is read whole.
    let read = saved_searches::watching_after(conn, "77", Some("a"), 1).unwrap();
    let names: Vec<&str> = read.searches.iter().map(|s| s.user_id.as_str()).collect();
    assert_eq!((names, read.through.as_deref()), (vec!["c"], Some("c")));
}

/// Steps until `vacancy` is announced to the end (the oldest pending goes first).
fn steps_to_the_end_of(conn: &mut DbConnection, vacancy: &str) {
    while progress(conn, vacancy).is_some() {
        assert!(vacancy_fanout::step(conn, now(), 2).unwrap());
    }
}
