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
