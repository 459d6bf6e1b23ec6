//! The seed's bulk load of vacancies (`vacancy_bulk`) on a real SQLite file: the
//! table's indexes and full-text trigger are set aside and made again, the full-text
//! index holds every new vacancy as the trigger would have put it there, in one
//! segment, and a load that fails changes nothing, the schema included. And the
//! full-text index's upkeep (`search_index`): its segments merged into one, with the
//! same entries.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use domain::vacancy::{Benefit, EmploymentType, Experience, Schedule};
use domain::Coded;
use portal_persistence::vacancies::{self, NewVacancy};
use portal_persistence::{search_index, vacancy_bulk, DbConnection};

mod common;

use common::Scratch;

/// `n` cooks' vacancies in `region`, a minute apart, of `organization` (none: a
/// vacancy of the bank without a registered employer).
fn bank(n: usize, region: &str, organization: Option<&str>) -> Vec<(NewVacancy, NaiveDateTime)> {
    let now = Utc::now().naive_utc();
    (0..n)
        .map(|i| {
            let vacancy = NewVacancy {
                organization_id: organization.map(str::to_owned),
                employer_name: "ООО «Проба»".into(),
                employer_rating: 4.0,
                title: "Повар".into(),
                profession_code: None,
                category: "other".into(),
                region_code: region.into(),
                address: None,
                employment_type: EmploymentType::ALL[i % EmploymentType::ALL.len()],
                schedule: Schedule::ALL[i % Schedule::ALL.len()],
                experience: Experience::ALL[i % Experience::ALL.len()],
                education: None,
                salary_from: Some(30_000 + i as i64 * 1_000),
                salary_to: None,
                benefits: vec![Benefit::ALL[i % Benefit::ALL.len()]],
                description: "Официальное трудоустройство, питание.".into(),
            };
            (vacancy, now - TimeDelta::minutes(i as i64))
        })
        .collect()
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Made {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// How the vacancies' table, indexes, triggers and full-text index are defined.
fn schema(conn: &mut DbConnection) -> Vec<Made> {
    diesel::sql_query(
        "SELECT name, sql FROM sqlite_schema \
         WHERE tbl_name IN ('vacancies', 'vacancy_fts') AND sql IS NOT NULL ORDER BY name",
    )
    .load(conn)
    .expect("the schema reads")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many entries of the full-text index match `query`.
fn indexed(conn: &mut DbConnection, query: &str) -> i64 {
    diesel::sql_query("SELECT count(*) AS n FROM vacancy_fts WHERE vacancy_fts MATCH ?")
        .bind::<Text, _>(query)
        .get_result::<Count>(conn)
        .expect("the index answers")
        .n
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .expect("the count reads")
        .n
}

/// FTS5 checks its index against the vacancies' rows (every row here is published, so
/// every row must be in it, as written).
fn index_matches_the_rows(conn: &mut DbConnection) {
    conn.batch_execute("INSERT INTO vacancy_fts (vacancy_fts, rank) VALUES ('integrity-check', 1)")
        .expect("the full-text index holds exactly the vacancies' rows");
    conn.batch_execute(
        "INSERT INTO vacancy_regional_fts (vacancy_regional_fts, rank) \
         VALUES ('integrity-check', 1)",
    )
    .expect("the index of words by region holds exactly the vacancies' rows");
}

/// How many entries of the index of words by region (migration 2026-12-30-000001)
/// hold `word` in `region`.
fn by_region(conn: &mut DbConnection, region: &str, word: &str) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM vacancy_regional_fts WHERE vacancy_regional_fts MATCH ?",
    )
    .bind::<Text, _>(format!("\"r{region}z{word}\""))
    .get_result::<Count>(conn)
    .expect("the index answers")
    .n
}

#[test]
fn a_bulk_load_indexes_what_the_trigger_would_and_keeps_the_schema() {
    let scratch = Scratch::new("vacancy-bulk", 2);
    let mut conn = scratch.db.conn().expect("a connection");
    let conn = &mut *conn;
    vacancies::publish_quietly(conn, &bank(30, "77", None)).expect("published one by one");
    let before = schema(conn);
    assert!(
        before.iter().filter(|m| m.sql.contains("INDEX")).count() > 5,
        "the table has its indexes: {before:?}"
    );

    vacancy_bulk::publish_quietly(conn, &bank(50, "78", None)).expect("published in bulk");

    assert_eq!(
        schema(conn),
        before,
        "every index and trigger is made again as it was"
    );
    index_matches_the_rows(conn);
    assert_eq!(
        search_index::segments(conn).unwrap(),
        1,
        "the load leaves the index merged"
    );
    assert_eq!(indexed(conn, "search_tags : reg77"), 30);
    assert_eq!(indexed(conn, "search_tags : reg78"), 50);
    assert_eq!(indexed(conn, "search_text : повар"), 80);
    assert_eq!(by_region(conn, "77", "повар"), 30);
    assert_eq!(by_region(conn, "78", "повар"), 50);
    assert_eq!(by_region(conn, "16", "повар"), 0);
    assert_eq!(
        count(
            conn,
            "SELECT count(DISTINCT search_seq) AS n FROM vacancies"
        ),
        80,
        "each publication has a number of its own"
    );
    assert_eq!(
        count(
            conn,
            "SELECT min(search_seq) AS n FROM vacancies WHERE region_code = '78'"
        ),
        31,
        "the bulk's numbers follow the ones given before"
    );

    // The trigger is back: a vacancy published afterwards is indexed as it is written.
    vacancies::publish_quietly(conn, &bank(5, "16", None)).expect("published one by one");
    index_matches_the_rows(conn);
    assert_eq!(indexed(conn, "search_tags : reg16"), 5);
    assert_eq!(by_region(conn, "16", "повар"), 5);

    // A vacancy that moves to another region, or is withdrawn, moves or leaves.
    conn.batch_execute(
        "UPDATE vacancies SET region_code = '50' WHERE search_seq = \
         (SELECT max(search_seq) FROM vacancies WHERE region_code = '16'); \
         UPDATE vacancies SET status = 'archived' WHERE search_seq = \
         (SELECT max(search_seq) FROM vacancies WHERE region_code = '77');",
    )
    .expect("changed");
    assert_eq!(by_region(conn, "16", "повар"), 4);
    assert_eq!(by_region(conn, "50", "повар"), 1);
    assert_eq!(by_region(conn, "77", "повар"), 29);
}

#[test]
fn a_bulk_load_that_fails_changes_nothing() {
    let scratch = Scratch::new("vacancy-bulk", 2);
    let mut conn = scratch.db.conn().expect("a connection");
    let conn = &mut *conn;
    vacancies::publish_quietly(conn, &bank(10, "77", None)).expect("published one by one");
    let before = schema(conn);
    let mut load = bank(40, "78", None);
    // The last row names an employer that does not exist: its foreign key fails after
    // the indexes were set aside and most rows written.
    load.extend(bank(1, "78", Some("no-such-organization")));

    assert!(vacancy_bulk::publish_quietly(conn, &load).is_err());

    assert_eq!(
        schema(conn),
        before,
        "the indexes and the trigger are still there"
    );
    assert_eq!(count(conn, "SELECT count(*) AS n FROM vacancies"), 10);
    index_matches_the_rows(conn);
    vacancies::publish_quietly(conn, &bank(3, "16", None)).expect("published one by one");
    assert_eq!(indexed(conn, "search_tags : reg16"), 3);
}

#[test]
fn the_upkeep_merges_the_index_into_one_segment_with_the_same_entries() {
    let scratch = Scratch::new("search-index", 2);
    let mut conn = scratch.db.conn().expect("a connection");
    let conn = &mut *conn;
    // Each publication its own transaction, each transaction a segment of its own,
    // which FTS5 merges only a few at a time.
    for (i, region) in ["77", "78", "16", "50"].iter().cycle().take(24).enumerate() {
        let one = bank(1, region, None);
        let one = [(one[0].0.clone(), one[0].1 - TimeDelta::hours(i as i64))];
        vacancies::publish_quietly(conn, &one).expect("published");
    }
    let before = search_index::segments(conn).unwrap();
    assert!(before > 1, "publications left several segments: {before}");
    let meals = format!(
        "search_body : {}",
        domain::vacancy_search::indexed("питание")
    );
    let found = |conn: &mut DbConnection| {
        [
            "search_tags : reg77",
            "search_tags : reg16",
            "повар",
            &meals,
        ]
        .map(|q| indexed(conn, q))
    };
    let entries = found(conn);
    assert_eq!(entries, [6, 6, 24, 24]);

    let steps = search_index::merge(conn).expect("merged");

    assert!(steps >= 1, "the merge wrote");
    assert_eq!(search_index::segments(conn).unwrap(), 1);
    index_matches_the_rows(conn);
    assert_eq!(found(conn), entries, "the same entries, merged");
    assert_eq!(
        search_index::merge(conn).expect("merged"),
        0,
        "one segment: nothing left to merge"
    );
}
