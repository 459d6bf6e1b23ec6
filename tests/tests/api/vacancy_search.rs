//! The vacancy search as a search engine (issue 19): morphology, relevance, facets,
//! suggestions, keyset cursors and the profession filter, on the backend under test.

use std::collections::BTreeSet;

use diesel::prelude::*;
use persistence::schema::vacancies;
use portal_tests::{spawn_app_with, vacancy_body, with, Session, TestApp};
use serde_json::{json, Value};

pub(crate) fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Percent-encodes every byte but ASCII letters and digits.
pub(crate) fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) async fn search(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/vacancies?{query}"), None)
        .await
        .expect(200)
        .body
}

/// A search with nothing remembered (the tests move vacancies behind its back), and
/// an employer.
pub(crate) async fn bank() -> (TestApp, Session) {
    let app = spawn_app_with(|s| s.vacancy_search_seconds = 0).await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    (app, employer)
}

pub(crate) async fn publish(
    app: &TestApp,
    employer: &Session,
    title: &str,
    changes: Value,
) -> String {
    let v = app
        .post_vacancy(employer, with(vacancy_body(title, "77"), changes))
        .await;
    v["id"].as_str().unwrap().to_owned()
}

/// Dates a vacancy `minutes` before a fixed hour, so that orders by date are known
/// and equal ages are equal dates, and numbers the publications by those dates (then
/// ids), as if they had been published in that order.
async fn age(app: &TestApp, id: &str, minutes: i64) {
    let id = id.to_owned();
    app.with_db(move |conn| {
        let hour = chrono::Utc::now()
            .naive_utc()
            .date()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let at = hour - chrono::TimeDelta::minutes(minutes);
        diesel::update(vacancies::table.find(id))
            .set(vacancies::published_at.eq(at))
            .execute(conn)
            .unwrap();
        persistence::vacancy_order::renumber_by_dates(conn).unwrap();
    })
    .await;
}

#[tokio::test]
async fn word_forms_find_the_same_vacancies_in_title_and_description() {
    let (app, e) = bank().await;
    let cook = publish(&app, &e, "Повар горячего цеха", json!({})).await;
    let helper = publish(
        &app,
        &e,
        "Кухонный работник",
        json!({"profession_code": null, "description": "Помогать поварам на раздаче."}),
    )
    .await;
    let _driver = publish(
        &app,
        &e,
        "Водитель погрузчика",
        json!({"profession_code": "11442", "description": "Перевозка грузов по складу."}),
    )
    .await;
    let want: BTreeSet<String> = [cook.clone(), helper.clone()].into();
    for form in ["повар", "повара", "поварами", "ПОВАРУ", "поваров"]
    {
        let page = search(&app, &format!("text={}", enc(form))).await;
        let got: BTreeSet<String> = ids(&page).into_iter().collect();
        assert_eq!(got, want, "{form}");
        assert_eq!(page["total"], 2, "{form}");
    }
    // Every word must be found, in any form; punctuation and «ё» do not matter.
    for (text, want) in [
        ("горячих цехов", vec![cook.clone()]),
        ("повар, горячий!", vec![cook.clone()]),
        ("раздачи", vec![helper.clone()]),
        ("повар водитель", vec![]),
        ("пов", vec![]),
        ("\"повар\" OR NEAR(x", vec![]),
    ] {
        let page = search(&app, &format!("text={}&sort=date", enc(text))).await;
        let mut want = want;
        want.sort();
        let mut got = ids(&page);
        got.sort();
        assert_eq!(got, want, "{text}");
    }
    // A text without words filters nothing.
    assert_eq!(search(&app, "text=%25%25").await["total"], 3);
    assert_eq!(
        search(&app, &format!("text={}", enc(" - "))).await["total"],
        3
    );
}

#[tokio::test]
async fn a_noun_with_a_fleeting_vowel_is_found_in_every_case() {
    // The stemmer gives «продавец» and «продавцы» different stems; the search does not.
    let (app, e) = bank().await;
    let titled = publish(&app, &e, "Продавец-консультант", json!({})).await;
    let described = publish(
        &app,
        &e,
        "Кассир",
        json!({"profession_code": null, "description": "Ищем продавцов в новый магазин."}),
    )
    .await;
    let _other = publish(&app, &e, "Продавщица", json!({"profession_code": null})).await;
    for form in ["продавец", "продавца", "Продавцы", "продавцов", "продавцом"]
    {
        let page = search(&app, &format!("text={}", enc(form))).await;
        assert_eq!(
            ids(&page),
            vec![titled.clone(), described.clone()],
            "{form}"
        );
        assert_eq!(page["total"], 2, "{form}");
        let titles = search(&app, &format!("text={}&per_page=1", enc(form))).await;
        assert_eq!(
            ids(&titles),
            vec![titled.clone()],
            "{form}: the title first"
        );
    }
}

#[tokio::test]
async fn a_title_match_outranks_a_description_match_and_ties_go_by_date() {
    let (app, e) = bank().await;
    let old_title = publish(&app, &e, "Повар", json!({})).await;
    let new_title = publish(&app, &e, "Повар-кондитер", json!({})).await;
    let in_description = publish(
        &app,
        &e,
        "Кухонный работник",
        json!({"profession_code": null, "description": "Работа в паре с поварами."}),
    )
    .await;
    age(&app, &old_title, 300).await;
    age(&app, &new_title, 200).await;
    age(&app, &in_description, 100).await;
    let text = enc("повара");
    let by_relevance = vec![new_title.clone(), old_title.clone(), in_description.clone()];
    assert_eq!(
        ids(&search(&app, &format!("text={text}")).await),
        by_relevance
    );
    assert_eq!(
        ids(&search(&app, &format!("text={text}&sort=relevance")).await),
        by_relevance
    );
    assert_eq!(
        ids(&search(&app, &format!("text={text}&sort=date")).await),
        vec![in_description.clone(), new_title.clone(), old_title.clone()]
    );
    // By page number the order is the same as on the first page.
    let second = search(&app, &format!("text={text}&per_page=1&page=2")).await;
    assert_eq!(ids(&second), vec![old_title.clone()]);
    let third = search(&app, &format!("text={text}&per_page=1&page=3")).await;
    assert_eq!(ids(&third), vec![in_description.clone()]);
    // Without words, relevance is the date.
    assert_eq!(
        ids(&search(&app, "sort=relevance").await),
        vec![in_description, new_title, old_title]
    );
}

#[tokio::test]
async fn each_facet_count_is_the_total_of_the_search_filtered_by_its_value() {
    let (app, e) = bank().await;
    let variants = [
        json!({"region_code": "77", "employment_type": "full_time", "schedule": "shift", "salary_from": 20000, "salary_to": null}),
        json!({"region_code": "78", "employment_type": "part_time", "schedule": "shift", "salary_from": 50000, "salary_to": 70000}),
        json!({"region_code": "78", "employment_type": "full_time", "schedule": "flexible", "salary_from": null, "salary_to": null}),
        json!({"region_code": "50", "employment_type": "remote", "schedule": "flexible", "salary_from": 100000, "salary_to": 200000}),
        json!({"region_code": "77", "employment_type": "full_time", "schedule": "rotation", "salary_from": 60000, "salary_to": 60000}),
    ];
    for (i, v) in variants.iter().enumerate() {
        publish(&app, &e, &format!("Повар {i}"), v.clone()).await;
    }
    publish(&app, &e, "Кладовщик", json!({"profession_code": "12759"})).await;
    let base = format!("text={}", enc("повара"));
    let page = search(
        &app,
        &format!("{base}&facets=region,employment_type,schedule,salary_band"),
    )
    .await;
    assert_eq!(page["total"], 5);
    let facets = page["facets"].clone();
    for facet in ["region", "employment_type", "schedule", "salary_band"] {
        let values = facets[facet].as_array().unwrap();
        let mut sum = 0;
        for v in values {
            let code = v["code"].as_str().unwrap();
            assert!(!v["title"].as_str().unwrap().is_empty());
            let filtered = search(&app, &format!("{base}&{facet}={code}")).await;
            assert_eq!(filtered["total"], v["count"], "{facet}={code}");
            sum += v["count"].as_u64().unwrap();
        }
        assert_eq!(sum, 5, "{facet}: every match counted once");
    }
    let regions: Vec<(String, u64)> = facets["region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        regions,
        [("77".into(), 2), ("78".into(), 2), ("50".into(), 1)],
        "most first"
    );
    assert_eq!(
        facets["salary_band"][0],
        json!({"code": "from_60k_to_100k", "title": "От 60 000 до 100 000 ₽", "count": 2})
    );
    assert!(search(&app, &base).await.get("facets").is_none());
}

#[tokio::test]
async fn suggestions_offer_professions_titles_and_words_by_prefix() {
    let (app, e) = bank().await;
    for _ in 0..2 {
        publish(&app, &e, "Повар горячего цеха", json!({})).await;
    }
    publish(&app, &e, "Поводырь", json!({"profession_code": null})).await;
    let r = app
        .get(&format!("/vacancies/suggest?text={}", enc("Пов")), None)
        .await
        .expect(200)
        .body;
    let items = r["items"].as_array().unwrap();
    assert_eq!(
        items[0],
        json!({"text": "Повар", "kind": "profession", "profession_code": "16675", "uses": 2})
    );
    let texts: Vec<&str> = items.iter().map(|i| i["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"повар горячего цеха"), "{texts:?}");
    assert!(texts.contains(&"поводырь"), "{texts:?}");
    let title = items
        .iter()
        .find(|i| i["text"] == "повар горячего цеха")
        .unwrap();
    assert_eq!(
        (title["kind"].clone(), title["uses"].clone()),
        (json!("title"), json!(2))
    );
    let words = app
        .get(
            &format!("/vacancies/suggest?text={}&limit=1", enc("горяч")),
            None,
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        words["items"],
        json!([{"text": "горячего", "kind": "word", "profession_code": null, "uses": 2}])
    );
    let none = app
        .get(&format!("/vacancies/suggest?text={}", enc("щщщ")), None)
        .await
        .expect(200)
        .body;
    assert_eq!(none["items"], json!([]));
    for query in ["", "text=", "text=a&limit=0", "text=a&limit=21"] {
        app.get(&format!("/vacancies/suggest?{query}"), None)
            .await
            .expect_problem(422, "validation_failed");
    }
}

#[tokio::test]
async fn a_typo_is_forgiven_on_both_databases() {
    let (app, e) = bank().await;
    for _ in 0..2 {
        publish(&app, &e, "Повар горячего цеха", json!({})).await;
    }
    publish(
        &app,
        &e,
        "Главный бухгалтер",
        json!({"profession_code": null}),
    )
    .await;
    let texts = |typed: &'static str| {
        let app = &app;
        async move {
            let r = app
                .get(&format!("/vacancies/suggest?text={}", enc(typed)), None)
                .await
                .expect(200)
                .body;
            r["items"].as_array().unwrap().clone()
        }
    };
    // PostgreSQL compares trigrams; SQLite the typed letters with the words' starts.
    for (typo, meant) in [("повр", "повар"), ("бугалтер", "бухгалтер")] {
        let items = texts(typo).await;
        // The word itself first (as alike as the title holding it, shorter).
        assert_eq!(items[0]["text"], meant, "{typo}: {items:?}");
        assert_eq!(items[0]["kind"], "word");
        assert!(
            items
                .iter()
                .all(|i| i["text"].as_str().unwrap().contains(meant)),
            "{typo}: {items:?}"
        );
    }
    assert_eq!(texts("щщщ").await, Vec::<Value>::new(), "nothing alike");
}

/// Walks a search by cursor to its end, publishing a matching vacancy after every
/// page; returns the ids seen.
async fn walk(app: &TestApp, e: &Session, query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let q = match &cursor {
            Some(c) => format!("{query}&per_page=3&cursor={c}"),
            None => format!("{query}&per_page=3"),
        };
        let page = search(app, &q).await;
        assert!(ids(&page).len() <= 3);
        seen.extend(ids(&page));
        publish(
            app,
            e,
            "Повар новый",
            json!({"salary_from": 70000, "salary_to": 75000}),
        )
        .await;
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(
                    page["page"],
                    if cursor.is_some() {
                        json!(null)
                    } else {
                        json!(1)
                    }
                );
                cursor = Some(c.to_owned());
            }
            None => return seen,
        }
    }
    panic!("the cursor never ended");
}

#[tokio::test]
async fn a_cursor_walked_to_the_end_returns_every_match_once_while_vacancies_are_published() {
    let (app, e) = bank().await;
    let mut before = BTreeSet::new();
    for i in 0..10i64 {
        let salary = 50_000 + (i % 3) * 10_000;
        let title = if i % 2 == 0 {
            "Повар"
        } else {
            "Кухонный работник"
        };
        let id = publish(
            &app,
            &e,
            title,
            json!({"profession_code": null, "salary_from": salary, "salary_to": salary,
                   "description": "Помощь поварам"}),
        )
        .await;
        // Some share a minute, so that ties go by id.
        age(&app, &id, 100 + i / 2).await;
        before.insert(id);
    }
    let text = enc("повар");
    // Without words, newest first by region, type and schedule, PostgreSQL picks a
    // page's publication numbers from the index of the three before reading its rows.
    let kind = "region=77&employment_type=full_time&schedule=shift";
    for query in ["date", "salary", "rating", "relevance"]
        .map(|sort| format!("text={text}&sort={sort}"))
        .into_iter()
        .chain([
            format!("{kind}&sort=date"),
            format!("{kind}&salary_from=50000&sort=date"),
            format!("{kind}&sort=rating"),
        ])
    {
        let seen = walk(&app, &e, &query).await;
        let distinct: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(distinct.len(), seen.len(), "{query}: a vacancy seen twice");
        assert!(before.is_subset(&distinct), "{query}: a vacancy missed");
    }
    // Every vacancy here is in region 77, full time, in shifts: those filters change
    // no page of the date or rating sort.
    for sort in ["date", "rating"] {
        for page in ["page=1", "page=2", "page=5"] {
            assert_eq!(
                ids(&search(&app, &format!("{kind}&sort={sort}&per_page=4&{page}")).await),
                ids(&search(&app, &format!("sort={sort}&per_page=4&{page}")).await),
                "{sort} {page}"
            );
        }
    }
}

#[tokio::test]
async fn cursor_pages_follow_the_page_numbers_and_a_bad_cursor_is_refused() {
    let (app, e) = bank().await;
    for i in 0..7 {
        let id = publish(&app, &e, &format!("Повар {i}"), json!({})).await;
        age(&app, &id, 10 * (i + 1)).await;
    }
    let first = search(&app, "sort=date&per_page=3").await;
    let second = search(
        &app,
        &format!(
            "sort=date&per_page=3&cursor={}",
            first["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    let by_number = search(&app, "sort=date&per_page=3&page=2").await;
    assert_eq!(ids(&second), ids(&by_number));
    assert_eq!(second["total"], 7);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let mut altered = cursor.clone();
    altered.replace_range(4..5, if &cursor[4..5] == "A" { "B" } else { "A" });
    for query in [
        "sort=date&cursor=nonsense".to_owned(),
        format!("sort=date&cursor={altered}"),
        format!("sort=salary&cursor={cursor}"),
        format!("sort=date&region=77&cursor={cursor}"),
        format!("sort=date&page=2&cursor={cursor}"),
        format!("sort=date&cursor={}", "A".repeat(600)),
    ] {
        let r = app
            .get(&format!("/vacancies?{query}"), None)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), ["cursor"], "{query}");
    }
}

#[tokio::test]
async fn the_profession_filter_takes_an_okpdtr_code() {
    let (app, e) = bank().await;
    let cook = publish(&app, &e, "Повар", json!({})).await;
    let _driver = publish(&app, &e, "Водитель", json!({"profession_code": "11442"})).await;
    assert_eq!(
        ids(&search(&app, "profession_code=16675").await),
        vec![cook]
    );
    let r = app
        .get("/vacancies?profession_code=99999", None)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["profession_code"]);
    for (query, field) in [
        ("salary_band=lots", "salary_band"),
        ("facets=colour", "facets"),
    ] {
        let r = app
            .get(&format!("/vacancies?{query}"), None)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{query}");
    }
}

#[tokio::test]
async fn words_follow_an_edit_and_leave_with_a_closing() {
    let (app, e) = bank().await;
    let edited = publish(
        &app,
        &e,
        "Сварщик аргонщик",
        json!({"profession_code": null}),
    )
    .await;
    let closed = publish(&app, &e, "Сварщик", json!({"profession_code": null})).await;
    let found = |text: &'static str, more: &'static str| {
        let app = &app;
        async move {
            let page = search(app, &format!("text={}{more}&sort=date", enc(text))).await;
            let mut got = ids(&page);
            got.sort();
            (got, page["total"].clone())
        }
    };
    let mut both = vec![edited.clone(), closed.clone()];
    both.sort();
    assert_eq!(found("сварщики", "").await, (both, json!(2)));

    let path = format!("/employer/vacancies/{edited}");
    app.patch(&path, Some(&e.access), json!({"title": "Монтажник"}))
        .await
        .expect(200);
    assert_eq!(
        found("сварщики", "").await,
        (vec![closed.clone()], json!(1))
    );
    assert_eq!(
        found("монтажники", "").await,
        (vec![edited.clone()], json!(1))
    );

    app.post(
        &format!("/employer/vacancies/{closed}/close"),
        Some(&e.access),
        json!({}),
    )
    .await
    .expect(200);
    // Words alone (counted in the index) and words with a filter (counted by rows).
    for more in ["", "&region=77"] {
        assert_eq!(found("сварщик", more).await, (vec![], json!(0)), "{more}");
        assert_eq!(
            found("монтажник", more).await,
            (vec![edited.clone()], json!(1)),
            "{more}"
        );
    }
}

#[tokio::test]
async fn a_confirmed_vacancy_is_published_anew_at_the_top_and_found_once() {
    let (app, e) = bank().await;
    let old = publish(
        &app,
        &e,
        "Сварщик аргонщик",
        json!({"profession_code": null}),
    )
    .await;
    let newer = publish(&app, &e, "Повар", json!({})).await;
    assert_eq!(
        ids(&search(&app, "sort=date").await),
        vec![newer.clone(), old.clone()]
    );
    app.post(
        &format!("/employer/vacancies/{old}/confirm"),
        Some(&e.access),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(
        ids(&search(&app, "sort=date").await),
        vec![old.clone(), newer]
    );
    // Its entry in the words' index moved with it: found once, by date and relevance.
    for sort in ["date", "relevance"] {
        let page = search(&app, &format!("text={}&sort={sort}", enc("сварщика"))).await;
        assert_eq!(ids(&page), vec![old.clone()], "{sort}");
        assert_eq!(page["total"], 1, "{sort}");
    }
}
