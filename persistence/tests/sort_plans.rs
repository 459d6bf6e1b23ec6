//! The vacancy search's sorts are read in the order of an index (issue 19): a page
//! sorted by rating or by salary, ties newest first, stops after its rows instead of
//! sorting every vacancy of the top rating or salary. Checked in SQLite's plans for the
//! statements of `vacancy_search::load` (its own query, written out): no temporary
//! B-tree for the `ORDER BY`.

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::vacancy::{EmploymentType, Experience, Schedule};
use domain::Coded;
use portal_persistence::vacancies::NewVacancy;
use portal_persistence::{vacancy_bulk, Database};

mod common;

use common::Scratch;

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = Text)]
    detail: String,
}

fn plan(db: &Database, sql: &str) -> Vec<String> {
    let mut conn = db.conn().expect("a connection");
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<Step>(&mut *conn)
        .expect("the plan reads")
        .into_iter()
        .map(|s| s.detail)
        .collect()
}

#[test]
fn pages_by_rating_and_salary_are_read_in_index_order() {
    let scratch = Scratch::new("sort-plans", 1);
    for (sort, filter) in [
        ("employer_rating", ""),
        ("employer_rating", "AND region_code = '77'"),
        ("salary_sort", ""),
        ("salary_sort", "AND region_code = '77'"),
        (
            "salary_sort",
            "AND region_code = '77' AND employment_type = 'full_time'",
        ),
    ] {
        let sql = format!(
            "SELECT * FROM vacancies WHERE status = 'published' {filter} \
             ORDER BY {sort} DESC, search_seq DESC LIMIT 21"
        );
        let steps = plan(&scratch.db, &sql);
        assert!(
            steps.iter().all(|s| !s.contains("TEMP B-TREE")),
            "{sql}: {steps:?}"
        );
    }
}

/// A search by region, type and schedule counts its matches, and pages them by salary,
/// in the index that holds all three (migration 2026-12-28-000001) rather than testing
/// the type and schedule on each of the region's entries. Sorted by rating, or by date
/// with the type alone, the type is tested on the rows (`employment_type || ''`, as
/// `vacancy_search::load` writes it) and the sort's own index gives the order.
#[test]
fn searches_by_region_type_and_schedule_read_the_index_of_all_three() {
    let scratch = Scratch::new("kind-plans", 1);
    let kind = "status = 'published' AND region_code = '77' AND employment_type = 'full_time' \
                AND schedule = 'shift' AND salary_sort >= 50000";
    let count = plan(
        &scratch.db,
        &format!("SELECT count(*) FROM (SELECT 1 FROM vacancies WHERE {kind} LIMIT 1001)"),
    );
    assert!(
        count
            .iter()
            .any(|s| s.contains("COVERING INDEX vacancies_region_kind_salary")),
        "{count:?}"
    );
    let type_on_rows = "status = 'published' AND region_code = '77' \
                        AND employment_type || '' = 'full_time'";
    for sql in [
        format!("SELECT * FROM vacancies WHERE {kind} ORDER BY salary_sort DESC, search_seq DESC LIMIT 21"),
        format!("SELECT * FROM vacancies WHERE {type_on_rows} ORDER BY employer_rating DESC, search_seq DESC LIMIT 21"),
        format!("SELECT * FROM vacancies WHERE {type_on_rows} ORDER BY search_seq DESC LIMIT 21"),
    ] {
        let steps = plan(&scratch.db, &sql);
        assert!(
            steps.iter().all(|s| !s.contains("TEMP B-TREE")),
            "{sql}: {steps:?}"
        );
    }
}

/// A bank of `n` vacancies of a few titles, regions, kinds and salaries, published in
/// bulk, with the planner's statistics gathered, as `portal seed` leaves it.
fn bank(db: &Database, n: usize) {
    let titles = ["Повар", "Водитель", "Кладовщик", "Продавец", "Инженер"];
    let now = Utc::now().naive_utc();
    let bank: Vec<_> = (0..n)
        .map(|i| {
            let vacancy = NewVacancy {
                organization_id: None,
                employer_name: "ООО «Проба»".into(),
                employer_rating: 4.0,
                title: titles[i % titles.len()].into(),
                profession_code: None,
                category: "other".into(),
                region_code: ["77", "78", "50", "16"][i % 4].into(),
                address: None,
                employment_type: EmploymentType::ALL[i % EmploymentType::ALL.len()],
                schedule: Schedule::ALL[i % Schedule::ALL.len()],
                experience: Experience::ALL[i % Experience::ALL.len()],
                education: None,
                salary_from: Some(20_000 + (i as i64 * 7_919) % 150_000),
                salary_to: None,
                benefits: Vec::new(),
                description: "Официальное трудоустройство, питание.".into(),
            };
            (vacancy, now - TimeDelta::minutes(i as i64))
        })
        .collect();
    let mut conn = db.conn().expect("a connection");
    vacancy_bulk::publish_quietly(&mut conn, &bank).expect("published");
    diesel::sql_query("ANALYZE")
        .execute(&mut *conn)
        .expect("analysed");
}

/// A search with words checks each entry of the full-text index against the filters
/// the index does not hold (a salary floor), and the facets read the values they count,
/// in the narrow index that holds them after the publication number (migration
/// 2026-12-29-000001), not in the table's rows: one lookup an entry.
#[test]
fn entries_of_the_full_text_index_are_checked_in_the_facts_index() {
    let scratch = Scratch::new("facts-plans", 1);
    bank(&scratch.db, 5_000);
    let join = "FROM vacancy_fts INNER JOIN vacancies \
                ON vacancies.search_seq = vacancy_fts.rowid \
                WHERE vacancies.status = 'published' AND vacancy_fts MATCH 'повар reg77'";
    // The newest entries of the index of words by region (migration 2026-12-30-000001),
    // each looked up: the share of a total and the facets' read.
    let newest = "vacancies.search_seq IN (SELECT rowid FROM vacancy_regional_fts \
                  WHERE vacancy_regional_fts MATCH '\"r77zповар\"' \
                  ORDER BY rowid DESC LIMIT 1001)";
    for sql in [
        format!(
            "SELECT count(*) FROM (SELECT 1 {join} AND vacancies.salary_sort >= 50000 \
             LIMIT 1001)"
        ),
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM vacancies WHERE status = 'published' \
             AND region_code = '77' AND salary_sort >= 50000 AND {newest})"
        ),
        format!(
            "SELECT search_seq, region_code, employment_type, schedule, salary_sort \
             FROM vacancies WHERE status = 'published' AND region_code = '77' AND {newest}"
        ),
        format!(
            "SELECT vacancies.search_seq, vacancies.region_code, vacancies.employment_type, \
             vacancies.schedule, vacancies.salary_sort {join} \
             ORDER BY vacancy_fts.rowid DESC LIMIT 1001"
        ),
    ] {
        let steps = plan(&scratch.db, &sql);
        assert!(
            steps
                .iter()
                .any(|s| s.contains("COVERING INDEX vacancies_published_facts")),
            "{sql}: {steps:?}"
        );
    }
}
