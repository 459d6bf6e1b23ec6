//! What a search in one region checks and counts, read from the index of words by
//! region (issue 19): on SQLite its keys hold each entry's employment type, schedule
//! and top salary figure (migration 2027-01-01-000001), so a salary floor and the
//! facets of such a search are read in the index alone. Those facts must be the rows'
//! own after every write, and a salary past what a key holds must still count.

use diesel::prelude::*;
use domain::vacancy::{EmploymentType, Schedule};
use domain::Coded;
use persistence::schema::vacancies;
use persistence::vacancies::NewVacancy;
use serde_json::{json, Value};

use super::vacancy_search::{bank, publish, search};
use super::vacancy_totals::{bank_of, vacancy};

/// «повара», a form none of the titles is written in, in region 77.
const COOKS_77: &str = "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0&region=77";
const FACETS: &str = "facets=region,employment_type,schedule,salary_band";
/// A ceiling every vacancy here is under: the same matches, but a filter the index's
/// keys do not hold, so the search checks and counts them on the rows.
const ON_ROWS: &str = "salary_to=99999999";

/// A facet as `code → count`.
fn facet(page: &Value, name: &str) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = page["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name}: {page}"))
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    counts.sort();
    counts
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = expected
        .iter()
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect();
    v.sort();
    v
}

async fn total(app: &portal_tests::TestApp, query: &str) -> (u64, bool) {
    let page = search(app, query).await;
    (
        page["total"].as_u64().unwrap(),
        page["total_is_estimate"].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn facts_in_a_region_follow_edits_and_salaries_past_a_keys_cap() {
    let (app, employer) = bank().await;
    let modest = publish(
        &app,
        &employer,
        "Повар",
        json!({"employment_type": "full_time", "schedule": "full_day",
               "salary_from": 40000, "salary_to": 50000}),
    )
    .await;
    let chef = publish(
        &app,
        &employer,
        "Шеф-повар",
        json!({"employment_type": "part_time", "schedule": "shift",
               "salary_from": 90000, "salary_to": 120000}),
    )
    .await;
    // Past the 2 097 151 a key holds.
    publish(
        &app,
        &employer,
        "Повар",
        json!({"employment_type": "remote", "schedule": "flexible",
               "salary_from": 2500000, "salary_to": 3000000}),
    )
    .await;
    publish(&app, &employer, "Повар", json!({"region_code": "78"})).await;

    let page = search(&app, &format!("{COOKS_77}&{FACETS}")).await;
    assert_eq!(page["total"], 3, "{page}");
    let kinds = [("full_time", 1), ("part_time", 1), ("remote", 1)];
    assert_eq!(facet(&page, "employment_type"), pairs(&kinds));
    let schedules = [("full_day", 1), ("shift", 1), ("flexible", 1)];
    assert_eq!(facet(&page, "schedule"), pairs(&schedules));
    let bands = [
        ("from_30k_to_60k", 1),
        ("from_100k_to_150k", 1),
        ("from_150k", 1),
    ];
    assert_eq!(facet(&page, "salary_band"), pairs(&bands));
    assert_eq!(facet(&page, "region"), pairs(&[("77", 3)]));
    // Salary floors under, at and past the keys' cap.
    for (floor, n) in [
        (45_000, 3),
        (100_000, 2),
        (2_000_000, 1),
        (2_097_151, 1),
        (2_097_152, 1),
        (2_800_000, 1),
        (3_000_001, 0),
    ] {
        let query = format!("{COOKS_77}&salary_from={floor}");
        assert_eq!(total(&app, &query).await, (n, false), "{query}");
        let faceted = search(&app, &format!("{query}&facets=salary_band")).await;
        assert_eq!(faceted["total"], n, "{query}: {faceted}");
    }

    // The chef becomes a full-time rotation job at a modest salary.
    app.patch(
        &format!("/employer/vacancies/{chef}"),
        Some(&employer.access),
        json!({"employment_type": "full_time", "schedule": "rotation",
               "salary_from": 45000, "salary_to": 55000}),
    )
    .await
    .expect(200);
    let page = search(&app, &format!("{COOKS_77}&{FACETS}")).await;
    assert_eq!(
        facet(&page, "employment_type"),
        pairs(&[("full_time", 2), ("remote", 1)])
    );
    let schedules = [("full_day", 1), ("rotation", 1), ("flexible", 1)];
    assert_eq!(facet(&page, "schedule"), pairs(&schedules));
    assert_eq!(
        facet(&page, "salary_band"),
        pairs(&[("from_30k_to_60k", 2), ("from_150k", 1)])
    );
    assert_eq!(
        total(&app, &format!("{COOKS_77}&salary_from=100000")).await,
        (1, false)
    );
    assert_eq!(
        total(&app, &format!("{COOKS_77}&salary_from=52000")).await,
        (2, false)
    );
    assert_eq!(
        total(
            &app,
            &format!("{COOKS_77}&salary_from=52000&employment_type=full_time")
        )
        .await,
        (1, false)
    );
    // Closed, it is counted nowhere.
    app.post(
        &format!("/employer/vacancies/{modest}/close"),
        Some(&employer.access),
        json!({}),
    )
    .await
    .expect(200);
    let page = search(&app, &format!("{COOKS_77}&{FACETS}")).await;
    assert_eq!(page["total"], 2, "{page}");
    assert_eq!(
        facet(&page, "employment_type"),
        pairs(&[("full_time", 1), ("remote", 1)])
    );
}

/// The faceted search of the cooks in region 77, read from the keys, and the same
/// read from the rows: the same total and facets.
async fn keys_against_rows(app: &portal_tests::TestApp) -> Value {
    let keys = search(app, &format!("{COOKS_77}&{FACETS}")).await;
    let rows = search(app, &format!("{COOKS_77}&{ON_ROWS}&{FACETS}")).await;
    assert_eq!(keys["total_is_estimate"], true, "{}", keys["total"]);
    assert_eq!(
        keys["total"], rows["total"],
        "{}\n{}",
        keys["facets"], rows["facets"]
    );
    assert_eq!(keys["facets"], rows["facets"]);
    keys
}

/// 1 500 cooks in region 77 (some only helping one) with every type, schedule and a spread of salaries (some
/// past the keys' cap).
fn cook(i: usize) -> NewVacancy {
    let top = if i % 97 == 0 {
        2_500_000
    } else {
        20_000 + i64::try_from(i % 40).unwrap() * 5_000
    };
    // Every eleventh names the word in its description only.
    let (title, description) = if i % 11 == 0 {
        ("Кухонный работник", "Помощь повару на кухне.")
    } else {
        ("Повар", "Официальное трудоустройство.")
    };
    NewVacancy {
        title: title.into(),
        description: description.into(),
        region_code: "77".into(),
        employment_type: EmploymentType::ALL[i % EmploymentType::ALL.len()],
        schedule: Schedule::ALL[(i / 7) % Schedule::ALL.len()],
        salary_from: Some(top - 5_000),
        salary_to: Some(top),
        ..vacancy(i)
    }
}

/// Past the exact bound the facets are counted from the newest 1 001 matches: read
/// from the keys (SQLite) they must be what the rows say (the same search with a
/// filter the keys do not hold), also after the rows change behind the server's back.
#[tokio::test]
async fn facets_past_the_bound_are_the_rows_own() {
    let app = bank_of(1_500, cook).await;
    let before = keys_against_rows(&app).await;
    // Under the bound, exact either way.
    for floor in [100_000, 200_000, 2_000_000] {
        let keys = total(&app, &format!("{COOKS_77}&salary_from={floor}")).await;
        let rows = total(&app, &format!("{COOKS_77}&salary_from={floor}&{ON_ROWS}")).await;
        assert_eq!(keys, rows, "salary from {floor}");
        assert!(!keys.1 && keys.0 > 0, "salary from {floor}: {keys:?}");
    }
    // Every fifth comes to pay 3 000 000, every third to be worked in part days,
    // every fourth to be an internship: each written alone, as an edit or an import
    // may write it.
    let changed = app
        .with_db(|conn| {
            let every = |n: i64| {
                diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("search_seq % {n} = 0"))
            };
            let rich = diesel::update(vacancies::table)
                .filter(every(5))
                .set((
                    vacancies::salary_to.eq(Some(3_000_000_i64)),
                    vacancies::salary_sort.eq(3_000_000_i64),
                ))
                .execute(conn)
                .unwrap();
            diesel::update(vacancies::table)
                .filter(every(3))
                .set(vacancies::schedule.eq(Schedule::PartDay.code()))
                .execute(conn)
                .unwrap();
            diesel::update(vacancies::table)
                .filter(every(4))
                .set(vacancies::employment_type.eq(EmploymentType::Internship.code()))
                .execute(conn)
                .unwrap();
            rich
        })
        .await;
    let changed = u64::try_from(changed).unwrap();
    assert!((250..=350).contains(&changed), "{changed}");
    let after = keys_against_rows(&app).await;
    assert_ne!(before["facets"], after["facets"]);
    let interns = facet(&after, "employment_type")
        .into_iter()
        .find(|(c, _)| c == "internship")
        .unwrap();
    assert!(interns.1 > 1_000 / 4, "{after}");
    let rich = total(&app, &format!("{COOKS_77}&salary_from=2900000")).await;
    assert_eq!(rich, (changed, false));
}

/// Every page of `query` through its cursor, as ids in the order shown.
async fn walk(app: &portal_tests::TestApp, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{query}&per_page=100&cursor={c}"),
            None => format!("{query}&per_page=100"),
        };
        let page = search(app, &url).await;
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
        assert!(ids.len() <= 2_000, "the cursor does not end");
    }
}

/// Pages read from the index of words by region (SQLite) are the rows' own: the
/// titles that hold the word first, then the descriptions, newest first in each, every
/// match once, by cursor and by page number, with and without a salary floor.
#[tokio::test]
async fn pages_in_a_region_are_the_rows_own() {
    let app = bank_of(1_500, cook).await;
    for query in [
        COOKS_77.to_owned(),
        format!("{COOKS_77}&salary_from=60000"),
        format!("{COOKS_77}&sort=date"),
    ] {
        let keys = walk(&app, &query).await;
        let rows = walk(&app, &format!("{query}&{ON_ROWS}")).await;
        assert!(
            keys == rows,
            "{query}: {} shown against {}, apart from {:?}",
            keys.len(),
            rows.len(),
            keys.iter().zip(&rows).position(|(k, r)| k != r)
        );
        let mut once = keys.clone();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), keys.len(), "{query}: a match shown twice");
        for p in [1, 7, 70] {
            let keys = search(&app, &format!("{query}&page={p}&per_page=20")).await;
            let rows = search(&app, &format!("{query}&{ON_ROWS}&page={p}&per_page=20")).await;
            assert_eq!(keys["items"], rows["items"], "{query}, page {p}");
        }
    }
    // Relevance: after the 1 363 titles, the 137 descriptions.
    let shown = walk(&app, COOKS_77).await;
    assert_eq!(shown.len(), 1_500);
    let last = search(&app, &format!("{COOKS_77}&page=75&per_page=20")).await;
    assert_eq!(
        last["items"][19]["title"], "Кухонный работник",
        "{}",
        last["items"][19]
    );
    let first = search(&app, &format!("{COOKS_77}&page=69&per_page=20")).await;
    assert_eq!(first["items"][2]["title"], "Повар");
    assert_eq!(first["items"][3]["title"], "Кухонный работник");
}
