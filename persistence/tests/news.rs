//! Staff news to the employers of a centre (`news::send`, then `news::step` a few
//! accounts per transaction) on a real SQLite file: each unblocked account of the
//! centre's organisations (or of the one named) is told once however the steps cut
//! them, others never; an account blocked before its turn is skipped, one opened
//! after the last one told is reached.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::role::Role;
use portal_persistence::accounts::User;
use portal_persistence::centres::{self, Centre};
use portal_persistence::schema::{notifications, organizations, users};
use portal_persistence::{news, organizations as orgs, DbConnection, StoreError};

mod common;

use common::Scratch;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn centre(conn: &mut DbConnection, id: &str) {
    let centre = Centre {
        id: id.into(),
        code: id.into(),
        name: format!("ЦЗН {id}"),
        region_code: "77".into(),
        address: "г. Москва".into(),
        phone: None,
        email: None,
        latitude: None,
        longitude: None,
        created_at: now(),
    };
    centres::insert(conn, &centre).unwrap();
}

fn organization(conn: &mut DbConnection, id: &str, centre: &str) {
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(id),
            organizations::name.eq(id),
            organizations::full_name.eq(id),
            organizations::ogrn.eq(format!("ogrn-{id}")),
            organizations::inn.eq(format!("inn-{id}")),
            organizations::centre_id.eq(centre),
            organizations::created_at.eq(now()),
            organizations::updated_at.eq(now()),
            organizations::rating.eq(4.0),
            organizations::version.eq(1),
        ))
        .execute(conn)
        .unwrap();
}

/// Centres «mine» (organisations «o1» and «o2») and «other» («o3»).
fn two_centres(conn: &mut DbConnection) {
    centre(conn, "mine");
    centre(conn, "other");
    organization(conn, "o1", "mine");
    organization(conn, "o2", "mine");
    organization(conn, "o3", "other");
}

/// An employer account of `organization` whose id is `id`.
fn account(conn: &mut DbConnection, organization: &str, id: &str) {
    let mut user = User::new(Role::Employer, id, None, None, id.into(), None, now());
    user.id = id.into();
    orgs::add_account(conn, organization, &user).unwrap();
}

fn staff_of(centre: &str) -> Actor {
    Actor {
        user_id: "staff".into(),
        session_id: "session".into(),
        role: Role::Staff,
        centre_id: Some(centre.into()),
        organization_id: None,
        is_admin: false,
        auth_method: "password".into(),
        session_expires_at: now() + chrono::TimeDelta::hours(1),
    }
}

/// How many times each account got news titled `title`.
fn told(conn: &mut DbConnection, title: &str) -> BTreeMap<String, usize> {
    let rows: Vec<String> = notifications::table
        .filter(notifications::title.eq(title))
        .select(notifications::user_id)
        .load(conn)
        .unwrap();
    let mut by_account = BTreeMap::new();
    for account in rows {
        *by_account.entry(account).or_default() += 1;
    }
    by_account
}

fn once(accounts: &[&str]) -> BTreeMap<String, usize> {
    accounts.iter().map(|a| (a.to_string(), 1)).collect()
}

#[test]
fn news_reaches_each_account_of_the_centre_once_a_step_at_a_time() {
    let scratch = Scratch::new("news-steps", 2);
    let conn = &mut scratch.db.conn().unwrap();
    two_centres(conn);
    for (org, id) in [
        ("o1", "a1"),
        ("o2", "a2"),
        ("o1", "a3"),
        ("o2", "a4"),
        ("o1", "a5"),
        ("o3", "a6"),
    ] {
        account(conn, org, id);
    }
    let staff = staff_of("mine");
    let sent = news::send(conn, &staff, None, "Ярмарка", "5 декабря", now()).unwrap();
    assert_eq!(
        sent, 5,
        "the five accounts of the centre's two organisations"
    );

    // Two a step: «a1», «a2» first; then «a4» is blocked before its turn, and a new
    // account «a7» of the centre comes after the last one told.
    assert!(news::step(conn, now(), 2).unwrap());
    assert_eq!(told(conn, "Ярмарка"), once(&["a1", "a2"]));
    diesel::update(users::table.find("a4"))
        .set(users::blocked_at.eq(Some(now())))
        .execute(conn)
        .unwrap();
    account(conn, "o2", "a7");
    let mut steps = 1;
    while news::step(conn, now(), 2).unwrap() {
        steps += 1;
        assert!(steps < 10, "the news ends");
    }
    assert_eq!(told(conn, "Ярмарка"), once(&["a1", "a2", "a3", "a5", "a7"]));
    assert_eq!(news::pending(conn).unwrap(), 0);
}

#[test]
fn news_to_one_organisation_reaches_its_accounts_only() {
    let scratch = Scratch::new("news-one", 2);
    let conn = &mut scratch.db.conn().unwrap();
    two_centres(conn);
    for (org, id) in [("o1", "a1"), ("o2", "a2"), ("o1", "a3"), ("o3", "a4")] {
        account(conn, org, id);
    }
    let staff = staff_of("mine");
    assert_eq!(
        news::send(conn, &staff, Some("o1"), "Только o1", "…", now()).unwrap(),
        2
    );
    // Another centre's organisation is not found, and nothing is recorded.
    assert!(matches!(
        news::send(conn, &staff, Some("o3"), "Чужим", "…", now()),
        Err(StoreError::NotFound)
    ));
    assert_eq!(news::pending(conn).unwrap(), 1);
    // One step of two: both accounts, and the news stays until a step finds no more.
    assert!(news::step(conn, now(), 2).unwrap());
    assert!(news::step(conn, now(), 2).unwrap());
    assert!(!news::step(conn, now(), 2).unwrap());
    assert_eq!(told(conn, "Только o1"), once(&["a1", "a3"]));
    assert!(told(conn, "Чужим").is_empty());
}
