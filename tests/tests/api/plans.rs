//! How PostgreSQL plans our statements: once per statement on every pooled connection,
//! for the values at hand only around a text pattern
//! (`persistence::db::planned_for_values`).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use domain::actor::Actor;
use domain::role::Role;
use domain::vacancy::{VacancyFilter, VacancySort};
use persistence::appeals::{self, AppealFilter};
use persistence::db::planned_for_values;
use persistence::paging::PageRequest;
use persistence::resumes::{self, ResumeFilter};
use persistence::DbConnection;
use persistence::{vacancy_search, vacancy_totals};
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

#[derive(QueryableByName)]
struct Prepared {
    #[diesel(sql_type = Text)]
    statement: String,
    #[diesel(sql_type = BigInt)]
    generic_plans: i64,
    #[diesel(sql_type = BigInt)]
    custom_plans: i64,
}

#[tokio::test]
async fn every_pattern_search_is_planned_for_its_text_and_the_rest_once() {
    let app = spawn_app().await;
    let centre = app.centre_id.clone();
    app.with_db(move |conn| {
        let now = chrono::Utc::now().naive_utc();
        let page = PageRequest {
            page: 1,
            per_page: 10,
        };
        let text = VacancyFilter {
            text: Some("повар".into()),
            ..VacancyFilter::default()
        };
        let region = VacancyFilter {
            region: Some("77".into()),
            ..VacancyFilter::default()
        };
        for filter in [&text, &region] {
            vacancy_totals::count(conn, filter, now).unwrap();
            let start = vacancy_search::Start::Offset(page.offset());
            vacancy_search::page(
                conn,
                filter,
                VacancySort::Date,
                &start,
                page.limit(),
                now,
                false,
            )
            .unwrap();
        }
        let resumes = ResumeFilter {
            text: Some("повар".into()),
            ..ResumeFilter::default()
        };
        resumes::search(conn, &resumes, page).unwrap();
        let staff = Actor {
            user_id: "staff".into(),
            session_id: "session".into(),
            role: Role::Staff,
            centre_id: Some(centre),
            organization_id: None,
            is_admin: false,
            auth_method: "password".into(),
            session_expires_at: now,
        };
        let number = AppealFilter {
            number: Some("0001".into()),
            ..AppealFilter::default()
        };
        appeals::count(conn, &staff, &number).unwrap();
        appeals::list(conn, &staff, &number, page, 0).unwrap();

        let DbConnection::Postgresql(pg) = conn else {
            return; // SQLite keeps no plans to choose between.
        };
        let prepared: Vec<Prepared> = diesel::sql_query(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements",
        )
        .load(pg)
        .unwrap();
        let patterns: Vec<_> = prepared
            .iter()
            .filter(|p| p.statement.contains(" LIKE ") || p.statement.contains(" @@ "))
            .collect();
        // Resumes and appeals: a count and a page each (resumes' page and count share
        // the pattern). The vacancies' full-text statements are not kept prepared at
        // all (Diesel does not cache a statement with an SQL literal), so each is
        // planned for its words anyway.
        assert!(patterns.len() >= 3, "{} pattern statements", patterns.len());
        assert!(
            !prepared.iter().any(|p| p.statement.contains(" @@ ")),
            "a full-text statement kept prepared"
        );
        for p in &patterns {
            assert!(
                p.custom_plans > 0 && p.generic_plans == 0,
                "planned once for every text: {}",
                p.statement
            );
        }
        let by_region: Vec<_> = prepared
            .iter()
            .filter(|p| {
                p.statement.contains("\"region_code\" = ") && !p.statement.contains(" LIKE ")
            })
            .collect();
        // The estimate is an EXPLAIN: planned afresh at each call, it keeps no plan.
        let (estimate, by_region): (Vec<_>, Vec<_>) = by_region
            .into_iter()
            .partition(|p| p.statement.starts_with("EXPLAIN"));
        assert_eq!(estimate.len(), 1, "the region search's estimate");
        assert_eq!(by_region.len(), 2, "the region search's count and page");
        for p in by_region {
            assert!(
                p.generic_plans > 0 && p.custom_plans == 0,
                "one plan for all values: {}",
                p.statement
            );
        }
    })
    .await;
}
