//! Totals past the exact bound (issue 19): a broad search over a large bank answers an
//! estimate, says so, and stays near the truth; its facets are scaled to it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel::prelude::*;
use domain::vacancy::{Benefit, EmploymentType, Experience, Schedule};
use domain::Coded;
use persistence::schema::vacancies;
use persistence::vacancies::NewVacancy;
use persistence::vacancy_totals::EXACT_BOUND;
use portal_tests::{spawn_app_with, TestApp};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::vacancy_search::{bank, publish, search};

const BANK: usize = 2_400;
const REGIONS: [&str; 6] = ["77", "78", "50", "16", "23", "66"];

/// `BANK` vacancies spread evenly over six regions, every employment type, and 45
/// days of publication, written as the seed writes them.
async fn large_bank() -> TestApp {
    bank_of(BANK, vacancy).await
}

/// The `i`th vacancy of [`large_bank`]: a cook's or a storekeeper's in turn.
pub(crate) fn vacancy(i: usize) -> NewVacancy {
    NewVacancy {
        organization_id: None,
        employer_name: "ООО «Проба»".into(),
        employer_rating: 4.0,
        title: if i % 2 == 0 {
            "Повар"
        } else {
            "Кладовщик"
        }
        .into(),
        profession_code: None,
        category: "other".into(),
        region_code: REGIONS[i % REGIONS.len()].into(),
        address: None,
        employment_type: EmploymentType::ALL[i % EmploymentType::ALL.len()],
        schedule: Schedule::ALL[i % Schedule::ALL.len()],
        experience: Experience::ALL[i % Experience::ALL.len()],
        education: None,
        salary_from: Some(30_000 + (i as i64 % 50) * 1_000),
        salary_to: None,
        benefits: vec![Benefit::ALL[i % Benefit::ALL.len()]],
        description: "Официальное трудоустройство.".into(),
    }
}

/// `n` vacancies made by `make`, published over 45 days, written as the seed writes them.
pub(crate) async fn bank_of(n: usize, make: fn(usize) -> NewVacancy) -> TestApp {
    let app = spawn_app_with(|s| s.vacancy_search_seconds = 0).await;
    app.with_db(move |conn| {
        let now = chrono::Utc::now().naive_utc();
        let batch: Vec<(NewVacancy, chrono::NaiveDateTime)> = (0..n)
            .map(|i| {
                let minutes = i64::try_from(i).unwrap() * 27 % (60 * 24 * 45);
                (make(i), now - chrono::TimeDelta::minutes(minutes))
            })
            .collect();
        persistence::vacancy_bulk::publish_quietly(conn, &batch).unwrap();
        // The statistics PostgreSQL's autovacuum would gather by itself in a while.
        if let persistence::DbConnection::Postgresql(pg) = conn {
            diesel::sql_query("ANALYZE vacancies").execute(pg).unwrap();
        }
    })
    .await;
    app
}

/// The published vacancies the database holds in the last `days` days (all if none).
async fn truth(app: &TestApp, days: Option<i64>) -> u64 {
    app.with_db(move |conn| {
        let mut q = vacancies::table
            .filter(vacancies::status.eq("published"))
            .into_boxed();
        if let Some(d) = days {
            let since = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(d);
            q = q.filter(vacancies::published_at.gt(since));
        }
        let n: i64 = q.count().get_result(conn).unwrap();
        u64::try_from(n).unwrap()
    })
    .await
}

fn near(estimate: u64, truth: u64) -> bool {
    estimate.abs_diff(truth) * 100 <= truth * 35
}

#[tokio::test]
async fn past_the_bound_a_total_is_an_estimate_near_the_truth() {
    let app = large_bank().await;
    for (query, days) in [("", None), ("published_within=month", Some(30))] {
        let real = truth(&app, days).await;
        assert!(real > EXACT_BOUND, "{query}: the bank is large enough");
        let page = search(&app, query).await;
        assert_eq!(page["total_is_estimate"], true, "{query}");
        let total = page["total"].as_u64().unwrap();
        assert!(near(total, real), "{query}: {total} for {real}");
        assert_eq!(page["total_pages"], total.div_ceil(10), "{query}");
        assert_eq!(page["items"].as_array().unwrap().len(), 10, "{query}");
    }
    // Words alone, on either engine: every other vacancy is a cook's.
    let cooks = truth(&app, None).await / 2;
    assert!(cooks > EXACT_BOUND);
    let page = search(&app, "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0").await;
    assert_eq!(page["total_is_estimate"], true);
    let total = page["total"].as_u64().unwrap();
    assert!(near(total, cooks), "{total} cooks for {cooks}");
    // The last page shows where the matches end: its total is exact.
    let real = truth(&app, None).await;
    let last = search(&app, &format!("per_page=100&page={}", real.div_ceil(100))).await;
    assert_eq!(last["next_cursor"], Value::Null);
    assert_eq!(last["total_is_estimate"], false);
    assert_eq!(last["total"], real);
    // Under the bound the total is exact, with words or without.
    let page = search(&app, "region=77").await;
    assert_eq!(page["total_is_estimate"], false);
    assert_eq!(page["total"], BANK / REGIONS.len());
    // Every sixth vacancy is in region 77, and each of them is a cook's.
    let page = search(&app, "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0&region=77").await;
    assert_eq!(page["total_is_estimate"], false);
    assert_eq!(page["total"], BANK / REGIONS.len());
}

#[tokio::test]
async fn estimated_facets_add_up_to_the_estimated_total() {
    let app = large_bank().await;
    let page = search(&app, "facets=region,employment_type").await;
    assert_eq!(page["total_is_estimate"], true);
    let total = page["total"].as_u64().unwrap();
    for facet in ["region", "employment_type"] {
        let values = page["facets"][facet].as_array().unwrap();
        let sum: u64 = values.iter().map(|v| v["count"].as_u64().unwrap()).sum();
        // Each value's share, scaled down to whole vacancies.
        assert!(
            sum <= total && sum + values.len() as u64 >= total,
            "{facet}: {sum} for {total}"
        );
    }
    let regions = page["facets"]["region"].as_array().unwrap();
    assert_eq!(
        regions.len(),
        REGIONS.len(),
        "every region is among the newest"
    );
    for r in regions {
        let share = r["count"].as_u64().unwrap();
        assert!(near(share, total / 6), "{r}: an even share of {total}");
    }
}

/// A search by words that asks for facets counts its total from the matches the facets
/// read (SQLite, when the words and tags say the whole search): the same total as the
/// search without facets, exact or estimated, and facets that add up to it.
#[tokio::test]
async fn facets_of_words_add_up_to_the_total_of_the_same_search() {
    let app = large_bank().await;
    let cooks = "%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0";
    let all = "facets=region,employment_type,schedule,salary_band";
    for (query, estimate) in [
        (format!("text={cooks}"), true),
        (format!("text={cooks}&region=77"), false),
    ] {
        let plain = search(&app, &query).await;
        let faceted = search(&app, &format!("{query}&{all}")).await;
        assert_eq!(plain["total_is_estimate"], estimate, "{query}");
        assert_eq!(faceted["total_is_estimate"], estimate, "{query}");
        assert_eq!(faceted["total"], plain["total"], "{query}");
        let total = faceted["total"].as_u64().unwrap();
        for facet in ["region", "employment_type", "schedule", "salary_band"] {
            let values = faceted["facets"][facet].as_array().unwrap();
            let sum: u64 = values.iter().map(|v| v["count"].as_u64().unwrap()).sum();
            if estimate {
                assert!(
                    sum <= total && sum + values.len() as u64 >= total,
                    "{query}, {facet}: {sum} for {total}"
                );
                continue;
            }
            assert_eq!(sum, total, "{query}, {facet}: every match counted once");
            if facet == "region" {
                assert_eq!(values.len(), 1, "{query}: the region asked for only");
                continue;
            }
            for v in values {
                let code = v["code"].as_str().unwrap();
                let filtered = search(&app, &format!("{query}&{facet}={code}")).await;
                assert_eq!(filtered["total"], v["count"], "{query}, {facet}={code}");
            }
        }
    }
}

#[tokio::test]
async fn many_matches_sorted_by_salary_walk_to_the_end_in_order() {
    let app = large_bank().await;
    let cook = "%D0%BF%D0%BE%D0%B2%D0%B0%D1%80";
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::BTreeSet::new();
    let mut salaries = Vec::new();
    loop {
        let mut query = format!("text={cook}&sort=salary&per_page=100");
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        let page = search(&app, &query).await;
        for v in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(v["id"].as_str().unwrap().to_owned()),
                "seen twice"
            );
            assert_eq!(v["title"], "Повар", "only matches");
            salaries.push(v["salary_from"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    // Every even vacancy is a cook's.
    assert_eq!(seen.len(), BANK / 2);
    assert!(
        salaries.windows(2).all(|w| w[0] >= w[1]),
        "highest salary first"
    );
}

/// How many of the bank's vacancies pass `keep` (by their number, as `large_bank`
/// wrote them).
fn in_the_bank(keep: impl Fn(usize) -> bool) -> u64 {
    (0..BANK).filter(|i| keep(*i)).count() as u64
}

fn salary(i: usize) -> i64 {
    30_000 + (i as i64 % 50) * 1_000
}

#[tokio::test]
async fn filters_are_counted_exactly_under_the_bound_and_near_the_truth_past_it() {
    let app = large_bank().await;
    let cooks = "%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0";
    let moscow = |i: usize| REGIONS[i % REGIONS.len()] == "77";
    // A floor at a salary step, between two steps, with a region, with words.
    let exact = [
        (
            "salary_from=43500&region=77".to_owned(),
            in_the_bank(|i| salary(i) >= 43_500 && moscow(i)),
        ),
        (
            "salary_from=40000&region=77".to_owned(),
            in_the_bank(|i| salary(i) >= 40_000 && moscow(i)),
        ),
        (
            format!("text={cooks}&salary_from=40000"),
            in_the_bank(|i| i % 2 == 0 && salary(i) >= 40_000),
        ),
        (
            format!("text={cooks}&salary_from=78500"),
            in_the_bank(|i| i % 2 == 0 && salary(i) >= 78_500),
        ),
        (
            "employment_type=part_time&region=78".to_owned(),
            in_the_bank(|i| i % 6 == 1 && REGIONS[i % 6] == "78"),
        ),
    ];
    for (query, real) in exact {
        assert!(real <= EXACT_BOUND, "{query}");
        let page = search(&app, &query).await;
        assert_eq!(page["total_is_estimate"], false, "{query}");
        assert_eq!(page["total"], real, "{query}");
    }
    let estimated = [
        (
            "salary_from=40000".to_owned(),
            40_000,
            in_the_bank(|i| salary(i) >= 40_000),
        ),
        (
            "salary_from=43500".to_owned(),
            43_500,
            in_the_bank(|i| salary(i) >= 43_500),
        ),
        ("salary_from=5".to_owned(), 5, BANK as u64),
        (
            format!("text={cooks}&salary_from=35000"),
            35_000,
            in_the_bank(|i| i % 2 == 0 && salary(i) >= 35_000),
        ),
    ];
    for (query, floor, real) in estimated {
        assert!(real > EXACT_BOUND, "{query}");
        let page = search(&app, &query).await;
        assert_eq!(page["total_is_estimate"], true, "{query}");
        let total = page["total"].as_u64().unwrap();
        assert!(near(total, real), "{query}: {total} for {real}");
        for v in page["items"].as_array().unwrap() {
            assert!(v["salary_from"].as_i64().unwrap() >= floor, "{query}: {v}");
        }
    }
}

/// Words with a region, past the bound: the region is also a term of the full-text
/// index, and the estimate counts it once (PostgreSQL planned it twice and answered the
/// bound itself, 1 001, for 2 000 matches).
#[tokio::test]
async fn words_with_a_region_past_the_bound_are_estimated_near_the_truth() {
    // Two cooks' vacancies in three in region 77, the third in 78.
    let app = bank_of(3_000, |i| NewVacancy {
        title: "Повар".into(),
        category: "services".into(),
        region_code: if i % 3 == 0 { "78" } else { "77" }.into(),
        ..vacancy(i)
    })
    .await;
    let cooks = "%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0";
    for (query, real) in [
        (format!("text={cooks}&region=77"), 2_000),
        (format!("text={cooks}&region=77&category=services"), 2_000),
        (format!("text={cooks}&region=77&salary_from=55000"), 1_000),
    ] {
        let page = search(&app, &query).await;
        let total = page["total"].as_u64().unwrap();
        if total <= EXACT_BOUND {
            assert_eq!(page["total_is_estimate"], false, "{query}");
            assert_eq!(total, real, "{query}");
        } else {
            assert_eq!(page["total_is_estimate"], true, "{query}");
            assert!(near(total, real), "{query}: {total} for {real}");
        }
        // Asked with facets, the total is taken from the matches the facets read: the
        // same, and the facets add up to it.
        let faceted = search(&app, &format!("{query}&facets=region,employment_type")).await;
        assert_eq!(faceted["total"], page["total"], "{query}");
        assert_eq!(faceted["total_is_estimate"], page["total_is_estimate"]);
        let types = faceted["facets"]["employment_type"].as_array().unwrap();
        let sum: u64 = types.iter().map(|v| v["count"].as_u64().unwrap()).sum();
        assert!(
            sum <= total && sum + types.len() as u64 >= total,
            "{query}: {sum} for {total}"
        );
        let regions = faceted["facets"]["region"].as_array().unwrap();
        assert_eq!(regions.len(), 1, "{query}: {regions:?}");
        assert_eq!(regions[0]["code"], "77");
    }
}

/// `cursor` with the time its total was counted moved `seconds` back, its checksum
/// written as the server writes it (`base64url(v3|…|counted_at|check)`).
fn counted_earlier(cursor: &str, seconds: i64) -> String {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).unwrap()).unwrap();
    let (body, _) = raw.rsplit_once('|').unwrap();
    let (rest, at) = body.rsplit_once('|').unwrap();
    assert!(rest.starts_with("v3|"), "{raw}");
    let body = format!("{rest}|{}", at.parse::<i64>().unwrap() - seconds);
    let mut h = Sha256::new();
    h.update(b"cursor\0");
    h.update(body.as_bytes());
    let check: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    URL_SAFE_NO_PAD.encode(format!("{body}|{check}"))
}

/// A walk by cursor shows the total its first page counted, as a point-in-time search
/// does, while vacancies are published; a new walk counts anew, and so does a cursor
/// whose total is over ten minutes old (then carried on from that count).
#[tokio::test]
async fn a_cursor_carries_its_walks_total_for_ten_minutes() {
    let (app, e) = bank().await;
    for i in 0..5 {
        publish(&app, &e, &format!("Повар {i}"), json!({})).await;
    }
    let first = search(&app, "sort=date&per_page=2").await;
    assert_eq!(
        (first["total"].clone(), first["total_pages"].clone()),
        (json!(5), json!(3))
    );
    publish(&app, &e, "Повар 5", json!({})).await;
    let next = |page: &Value| page["next_cursor"].as_str().unwrap().to_owned();
    let cursor = next(&first);
    let second = search(&app, &format!("sort=date&per_page=2&cursor={cursor}")).await;
    let third = search(
        &app,
        &format!("sort=date&per_page=2&cursor={}", next(&second)),
    )
    .await;
    for page in [&second, &third] {
        assert_eq!(
            (page["total"].clone(), page["total_pages"].clone()),
            (json!(5), json!(3))
        );
    }
    assert_eq!(
        search(&app, "sort=date&per_page=2").await["total"],
        6,
        "a new walk"
    );
    let nine = counted_earlier(&cursor, 9 * 60);
    let page = search(&app, &format!("sort=date&per_page=2&cursor={nine}")).await;
    assert_eq!(page["total"], 5, "nine minutes old");
    let eleven = counted_earlier(&cursor, 11 * 60);
    let page = search(&app, &format!("sort=date&per_page=2&cursor={eleven}")).await;
    assert_eq!(page["total"], 6, "eleven minutes old: counted again");
    publish(&app, &e, "Повар 6", json!({})).await;
    let after = search(
        &app,
        &format!("sort=date&per_page=2&cursor={}", next(&page)),
    )
    .await;
    assert_eq!(after["total"], 6, "carried on from the new count");
}

#[derive(QueryableByName)]
struct Lexemes {
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    lexemes: Vec<String>,
}

/// PostgreSQL takes a planned total without counting sooner when its statistics hold
/// every term of the search: `vacancy_lexemes_in_statistics` (migration 2026-12-25)
/// names those that `ANALYZE` counted, and not a word the bank never holds.
#[tokio::test]
async fn the_database_names_the_terms_its_statistics_hold() {
    let app = large_bank().await;
    let known = app
        .with_db(|conn| match conn {
            persistence::DbConnection::Postgresql(c) => Some(
                diesel::sql_query("SELECT vacancy_lexemes_in_statistics($1) AS lexemes")
                    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(vec![
                        "повар",
                        "кладовщик",
                        "reg77",
                        "щщщ",
                    ])
                    .get_result::<Lexemes>(c)
                    .unwrap()
                    .lexemes,
            ),
            persistence::DbConnection::Sqlite(_) => None,
        })
        .await;
    if let Some(mut known) = known {
        known.sort();
        assert_eq!(known, ["reg77", "кладовщик", "повар"]);
    }
    // A search of such terms past the bound stays near the truth (SQLite counts words
    // alone in its index).
    let page = search(&app, "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80").await;
    let real = u64::try_from(BANK / 2).unwrap();
    let total = page["total"].as_u64().unwrap();
    assert!(near(total, real), "{total} for {real}");
}

/// «медицинская сестра», as a query string.
const NURSES: &str = "text=%D0%BC%D0%B5%D0%B4%D0%B8%D1%86%D0%B8%D0%BD%D1%81%D0%BA%D0%B0%D1%8F+\
                      %D1%81%D0%B5%D1%81%D1%82%D1%80%D0%B0";

/// The `i`th vacancy of a bank where every other one is a nurse's: two words that
/// always come together.
fn nurse_or_storekeeper(i: usize) -> NewVacancy {
    NewVacancy {
        title: if i % 2 == 0 {
            "Медицинская сестра"
        } else {
            "Кладовщик"
        }
        .into(),
        ..vacancy(i)
    }
}

/// Words that come together: PostgreSQL's planner multiplies their frequencies (a
/// quarter of the bank here, for half), and its figure was the total; the newest rows'
/// share tells it (`persistence::vacancy_window`). Their pages, first one read among
/// the newest rows, walk to the end with every match once, newest first.
#[tokio::test]
async fn words_that_come_together_are_counted_near_the_truth_and_walked_whole() {
    let app = bank_of(5_000, nurse_or_storekeeper).await;
    let nurses = truth(&app, None).await / 2;
    let words = NURSES;
    let page = search(&app, words).await;
    assert_eq!(page["total_is_estimate"], true);
    let total = page["total"].as_u64().unwrap();
    assert!(near(total, nurses), "{total} nurses for {nurses}");

    assert_eq!(walk(&app, words).await, nurses);
}

/// Every match of `words` (a query string) walked by cursor, 100 a page: each once,
/// every one a nurse's, newest first. Answers how many.
async fn walk(app: &TestApp, words: &str) -> u64 {
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::BTreeSet::new();
    let mut published = Vec::new();
    loop {
        let mut query = format!("{words}&per_page=100");
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        let page = search(app, &query).await;
        for v in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(v["id"].as_str().unwrap().to_owned()),
                "seen twice"
            );
            assert_eq!(v["title"], "Медицинская сестра", "only matches");
            published.push(v["published_at"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert!(published.windows(2).all(|w| w[0] >= w[1]), "newest first");
    seen.len() as u64
}

/// The same words, none of them among the newest vacancies: a page looked for among
/// the newest rows in vain is read by the planner's plan.
#[tokio::test]
async fn words_missing_from_the_newest_rows_are_walked_whole() {
    // The bank's newest vacancies are those numbered (modulo 2 400) under 250.
    let app = bank_of(5_000, |i| NewVacancy {
        title: if i % 2_400 >= 1_000 {
            "Медицинская сестра"
        } else {
            "Кладовщик"
        }
        .into(),
        ..vacancy(i)
    })
    .await;
    let nurses = (0..5_000).filter(|i| i % 2_400 >= 1_000).count() as u64;
    assert_eq!(walk(&app, NURSES).await, nurses);
}
