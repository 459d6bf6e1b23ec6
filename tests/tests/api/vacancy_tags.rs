//! A vacancy's filterable values as terms of SQLite's full-text index (issue 19,
//! `domain::vacancy_tags`): every filter still finds exactly what it names, a salary
//! floor between two steps included, words never find a tag, and the index's tags
//! are the domain's.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::vacancy_tags;
use portal_tests::{spawn_app_with, TestApp};
use serde_json::json;

use crate::vacancy_search::{bank, enc, ids, publish, search};

/// The ids a search finds, every page read (at most 100 matches).
async fn found(app: &TestApp, query: &str) -> BTreeSet<String> {
    let page = search(app, &format!("{query}&per_page=100")).await;
    let items = ids(&page);
    assert_eq!(
        page["total"],
        items.len(),
        "{query}: the total is the page's"
    );
    assert_eq!(page["total_is_estimate"], false, "{query}");
    items.into_iter().collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).clone()).collect()
}

#[tokio::test]
async fn every_filter_finds_what_it_names_with_words_or_without() {
    let (app, employer) = bank().await;
    let cook = publish(&app, &employer, "Повар", json!({})).await;
    let cook_spb = publish(
        &app,
        &employer,
        "Повар",
        json!({"region_code": "78", "employment_type": "part_time", "salary_from": 45000,
               "salary_to": null, "benefits": []}),
    )
    .await;
    let cook_unpaid = publish(
        &app,
        &employer,
        "Повар",
        json!({"salary_from": null, "salary_to": null, "experience": "none",
               "benefits": ["housing", "medical_insurance"]}),
    )
    .await;
    let driver = publish(
        &app,
        &employer,
        "Водитель",
        json!({"salary_from": 30000, "salary_to": 40000, "schedule": "full_day",
               "profession_code": "11442", "category": "transport"}),
    )
    .await;
    let cooks = enc("повара");
    let drivers = enc("водителя");
    for (query, want) in [
        (
            format!("text={cooks}&region=77"),
            set(&[&cook, &cook_unpaid]),
        ),
        (format!("text={cooks}&region=78"), set(&[&cook_spb])),
        // A floor at a step, and between steps: the only figure is the top one.
        (
            format!("text={cooks}&salary_from=40000"),
            set(&[&cook, &cook_spb]),
        ),
        (
            format!("text={cooks}&salary_from=45000"),
            set(&[&cook, &cook_spb]),
        ),
        (format!("text={cooks}&salary_from=45001"), set(&[&cook])),
        (
            "salary_from=40000".into(),
            set(&[&cook, &cook_spb, &driver]),
        ),
        ("salary_from=40001".into(), set(&[&cook, &cook_spb])),
        ("salary_from=5".into(), set(&[&cook, &cook_spb, &driver])),
        ("salary_from=300001".into(), set(&[])),
        ("salary_to=35000".into(), set(&[&driver])),
        ("region=77&salary_from=40000".into(), set(&[&cook, &driver])),
        (
            "employment_type=full_time&schedule=shift".into(),
            set(&[&cook, &cook_unpaid]),
        ),
        ("employment_type=part_time".into(), set(&[&cook_spb])),
        ("benefits=medical_insurance".into(), set(&[&cook_unpaid])),
        ("benefits=meals&region=77".into(), set(&[&cook, &driver])),
        (
            "benefits=housing,medical_insurance".into(),
            set(&[&cook_unpaid]),
        ),
        ("salary_band=not_stated".into(), set(&[&cook_unpaid])),
        (
            "salary_band=from_30k_to_60k".into(),
            set(&[&cook_spb, &driver]),
        ),
        (
            "experience=none&category=services".into(),
            set(&[&cook_unpaid]),
        ),
        ("category=transport".into(), set(&[&driver])),
        ("profession_code=16675&region=78".into(), set(&[&cook_spb])),
        (
            "published_within=day&region=77&sort=date".into(),
            set(&[&cook, &cook_unpaid, &driver]),
        ),
        (
            format!("text={cooks}&region=77&employment_type=part_time"),
            set(&[]),
        ),
        // Words with the filters PostgreSQL then checks on the rows only (their tags
        // are in the tsquery): category, profession, salary band.
        (
            format!("text={cooks}&category=services"),
            set(&[&cook, &cook_spb, &cook_unpaid]),
        ),
        (format!("text={cooks}&category=transport"), set(&[])),
        (
            format!("text={drivers}&profession_code=11442"),
            set(&[&driver]),
        ),
        (format!("text={cooks}&profession_code=11442"), set(&[])),
        (
            format!("text={cooks}&salary_band=not_stated"),
            set(&[&cook_unpaid]),
        ),
        (
            format!("text={cooks}&salary_band=from_30k_to_60k"),
            set(&[&cook_spb]),
        ),
        (
            format!("text={drivers}&salary_band=from_30k_to_60k&region=77"),
            set(&[&driver]),
        ),
    ] {
        assert_eq!(found(&app, &query).await, want, "{query}");
    }
    // The tags are in a column of their own: words never reach them.
    for tag in [
        "reg77",
        "empfulltime",
        "sal40000",
        "bandnotstated",
        "benmeals",
    ] {
        assert_eq!(found(&app, &format!("text={tag}")).await, set(&[]), "{tag}");
    }
}

#[tokio::test]
async fn an_edit_moves_a_vacancy_between_the_tags() {
    let (app, employer) = bank().await;
    let id = publish(&app, &employer, "Повар", json!({})).await;
    assert_eq!(
        found(&app, "region=77&salary_from=80000").await,
        set(&[&id])
    );
    app.patch(
        &format!("/employer/vacancies/{id}"),
        Some(&employer.access),
        json!({"region_code": "78", "salary_to": 70000, "schedule": "flexible",
               "benefits": ["transport"]}),
    )
    .await
    .expect(200);
    for (query, want) in [
        ("region=77", set(&[])),
        ("region=78&salary_from=70000", set(&[&id])),
        ("region=78&salary_from=70001", set(&[])),
        ("schedule=flexible&benefits=transport", set(&[&id])),
        ("schedule=shift", set(&[])),
        ("benefits=meals", set(&[])),
    ] {
        assert_eq!(found(&app, query).await, want, "{query}");
    }
}

/// The databases compute a vacancy's tags themselves (migrations
/// `2026-12-23-000001_search_tags`): SQLite in a generated column its full-text index
/// reads, PostgreSQL as the weight-D lexemes of `search_vector`. They must be the
/// domain's.
#[tokio::test]
async fn the_index_holds_the_domain_s_tags() {
    let app = spawn_app_with(|s| s.vacancy_search_seconds = 0).await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let mut ids = Vec::new();
    for changes in [
        json!({}),
        json!({"salary_from": null, "salary_to": null, "benefits": [], "profession_code": null}),
        json!({"salary_from": 150000, "salary_to": null, "employment_type": "part_time",
               "benefits": ["medical_insurance", "housing"], "experience": "over_6"}),
        json!({"salary_from": 9000, "salary_to": 29999, "schedule": "full_day"}),
        json!({"salary_from": 300000, "salary_to": 400000, "category": "it"}),
    ] {
        ids.push(publish(&app, &employer, "Повар", changes).await);
    }
    app.with_db(move |conn| {
        #[derive(QueryableByName)]
        struct Tags {
            #[diesel(sql_type = Text)]
            tags: String,
        }
        let now = chrono::Utc::now().naive_utc();
        for id in ids {
            let vacancy = persistence::vacancies::get(conn, &id, None).unwrap();
            let mut want = vacancy_tags::of_vacancy(&vacancy.facts(now));
            want.sort();
            let query = match conn {
                persistence::DbConnection::Sqlite(_) => {
                    "SELECT search_tags AS tags FROM vacancies WHERE id = $1"
                }
                persistence::DbConnection::Postgresql(_) => {
                    "SELECT coalesce(string_agg(lexeme, ' '), '') AS tags \
                     FROM unnest((SELECT search_vector FROM vacancies WHERE id = $1)) \
                     WHERE 'D' = ANY(weights)"
                }
            };
            let held = diesel::sql_query(query)
                .bind::<Text, _>(&id)
                .get_result::<Tags>(conn)
                .unwrap()
                .tags;
            let mut held: Vec<String> = held.split_whitespace().map(str::to_owned).collect();
            held.sort();
            assert_eq!(held, want);
        }
    })
    .await;
}
