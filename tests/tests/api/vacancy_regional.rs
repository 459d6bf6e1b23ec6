//! Words searched in one region (issue 19): both databases keep each word of a
//! published vacancy joined to its region in an index of its own (SQLite's
//! `vacancy_regional_fts`, PostgreSQL's `vacancies_regional_words`), and a search with
//! words and a region reads it. The index must follow every write: an edit of the
//! region or the words, a closing, the stems a start gives rows written before stems
//! were indexed.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use domain::vacancy::{VacancyFilter, VacancySort};
use persistence::schema::vacancies;
use persistence::vacancies::NewVacancy;
use persistence::{vacancy_search, vacancy_totals, DbConnection};
use serde_json::{json, Value};

use super::vacancy_search::{bank, publish, search};
use super::vacancy_totals::{bank_of, vacancy};

/// «повара», a form none of the titles is written in.
const COOKS: &str = "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80%D0%B0";

/// The ids a search finds, sorted, and its total (exact here: the bank is small). The
/// vacancies other than cooks' name no profession: the profession's name is searched
/// as a title word, and the tests' usual one is «Повар».
async fn found(app: &portal_tests::TestApp, query: &str) -> (Vec<String>, u64) {
    let page = search(app, &format!("{query}&per_page=50")).await;
    assert_eq!(page["total_is_estimate"], false, "{query}: {page}");
    let mut ids: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    (ids, page["total"].as_u64().unwrap())
}

fn sorted(ids: &[&String]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| (*s).clone()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn words_in_a_region_follow_edits_and_closings_at_once() {
    let (app, employer) = bank().await;
    let title_77 = publish(&app, &employer, "Повар", json!({})).await;
    let chef_77 = publish(
        &app,
        &employer,
        "Шеф-повар",
        json!({"salary_from": 90000, "salary_to": 120000}),
    )
    .await;
    // The word in the description only, and a cook in another region.
    let body_77 = publish(
        &app,
        &employer,
        "Кухонный работник",
        json!({"description": "Помощь повару на кухне", "profession_code": null}),
    )
    .await;
    let cook_78 = publish(&app, &employer, "Повар", json!({"region_code": "78"})).await;
    publish(
        &app,
        &employer,
        "Кладовщик",
        json!({"profession_code": null}),
    )
    .await;

    let moscow = format!("{COOKS}&region=77");
    let spb = format!("{COOKS}&region=78");
    let all = sorted(&[&title_77, &chef_77, &body_77]);
    assert_eq!(found(&app, &moscow).await, (all.clone(), 3));
    assert_eq!(found(&app, &spb).await, (vec![cook_78.clone()], 1));
    // Relevance: the titles first.
    let page = search(&app, &moscow).await;
    assert_eq!(page["items"][2]["id"], body_77.as_str(), "{page}");
    // With a salary floor and other filters, checked on the rows found.
    let rich = format!("{moscow}&salary_from=85000&employment_type=full_time");
    assert_eq!(found(&app, &rich).await, (vec![chef_77.clone()], 1));
    let faceted = search(&app, &format!("{moscow}&facets=region,schedule")).await;
    assert_eq!(faceted["total"], 3);
    assert_eq!(
        faceted["facets"]["region"],
        json!([{"code": "77", "title": "Москва", "count": 3}])
    );

    // The chef moves to Saint Petersburg; the kitchen hand's words change.
    let edit = |id: &String, body: Value| {
        let path = format!("/employer/vacancies/{id}");
        let app = &app;
        let access = employer.access.clone();
        async move { app.patch(&path, Some(&access), body).await.expect(200) }
    };
    edit(&chef_77, json!({"region_code": "78"})).await;
    edit(&body_77, json!({"description": "Мытьё посуды"})).await;
    assert_eq!(found(&app, &moscow).await, (vec![title_77.clone()], 1));
    assert_eq!(found(&app, &spb).await, (sorted(&[&chef_77, &cook_78]), 2));
    // Its words come back with another edit; a closed vacancy is found no more.
    edit(&body_77, json!({"description": "Помощник повара"})).await;
    app.post(
        &format!("/employer/vacancies/{title_77}/close"),
        Some(&employer.access),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(found(&app, &moscow).await, (vec![body_77.clone()], 1));
    assert_eq!(
        found(&app, &format!("{COOKS}&region=50")).await,
        (vec![], 0)
    );
}

/// A vacancy written before the search indexed stems (its `search_body` empty) gets
/// them when the server starts (`Database::migrate`), and its words are found, with
/// its region too.
#[tokio::test]
async fn rows_without_stems_get_them_at_the_next_start() {
    let (app, employer) = bank().await;
    let id = publish(
        &app,
        &employer,
        "Кухонный работник",
        json!({"description": "Помощь повару", "profession_code": null}),
    )
    .await;
    let moscow = format!("{COOKS}&region=77");
    assert_eq!(found(&app, &moscow).await, (vec![id.clone()], 1));
    let written = id.clone();
    app.with_db(move |conn| {
        diesel::update(vacancies::table.find(written))
            .set(vacancies::search_body.eq(""))
            .execute(conn)
            .unwrap();
    })
    .await;
    assert_eq!(found(&app, &moscow).await, (vec![], 0));
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || db.migrate().unwrap())
        .await
        .unwrap();
    assert_eq!(found(&app, &moscow).await, (vec![id.clone()], 1));
    assert_eq!(found(&app, COOKS).await, (vec![id], 1));
}

#[derive(QueryableByName)]
struct Scans {
    #[diesel(sql_type = BigInt)]
    scans: i64,
}

/// PostgreSQL: the count and the page of a search with words and a region ask the
/// index of words by region with its own expression (were the two to differ, the index
/// would never be read and every such search would check each row's words). A bank of
/// storekeepers with two cooks in region 77, analysed: the index is the plan.
#[tokio::test]
async fn postgresql_reads_words_in_a_region_from_their_index() {
    let app = bank_of(3_000, |i| NewVacancy {
        title: if i < 4 {
            "Повар"
        } else {
            "Кладовщик"
        }
        .into(),
        region_code: if i % 2 == 0 { "77" } else { "78" }.into(),
        ..vacancy(i)
    })
    .await;
    let scans = app
        .with_db(|conn| {
            if matches!(conn, DbConnection::Sqlite(_)) {
                return None;
            }
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let filter = VacancyFilter {
                    text: Some("повара".into()),
                    region: Some("77".into()),
                    salary_from: Some(30_000),
                    ..VacancyFilter::default()
                };
                let now = chrono::Utc::now().naive_utc();
                let total = vacancy_totals::count(conn, &filter, now).unwrap();
                assert_eq!((total.count, total.estimate), (2, false));
                let start = vacancy_search::Start::Offset(0);
                let page =
                    vacancy_search::page(conn, &filter, VacancySort::Date, &start, 10, now, true)
                        .unwrap();
                assert_eq!(page.items.len(), 2);
                let DbConnection::Postgresql(pg) = conn else {
                    unreachable!()
                };
                let read: Scans = diesel::sql_query(
                    "SELECT pg_stat_get_xact_numscans('vacancies_regional_words'::regclass) AS scans",
                )
                .get_result(pg)?;
                Ok(read.scans)
            })
            .map(Some)
            .unwrap()
        })
        .await;
    if let Some(scans) = scans {
        assert!(
            scans >= 2,
            "the index of words by region read {scans} times"
        );
    }
}
