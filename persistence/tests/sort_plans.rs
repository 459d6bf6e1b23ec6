//! The vacancy search's sorts are read in the order of an index (issue 19): a page
//! sorted by rating or by salary, ties newest first, stops after its rows instead of
//! sorting every vacancy of the top rating or salary. Checked in SQLite's plans for the
//! statements of `vacancy_search::load` (its own query, written out): no temporary
//! B-tree for the `ORDER BY`.

use diesel::prelude::*;
use diesel::sql_types::Text;
use portal_persistence::Database;

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
