use diesel::prelude::*;
use persistence::schema::{organizations, vacancies};
use portal_tests::{spawn_app, vacancy_body, with, TestApp};
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn search(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/vacancies?{query}"), None)
        .await
        .expect(200)
        .body
}

#[tokio::test]
async fn an_employer_publishes_a_vacancy_and_its_report_appeal_is_completed() {
    let app = spawn_app().await;
    let (admin, _) = app.organization("1027700132195", "7707083893").await;
    let r = app
        .post(
            "/employer/vacancies",
            Some(&admin.access),
            vacancy_body("Повар горячего цеха", "77"),
        )
        .await
        .expect(201);
    let vacancy = r.body["vacancy"].clone();
    let id = vacancy["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/vacancies/{id}").as_str())
    );
    assert_eq!(
        vacancy["profession"],
        json!({"code": "16675", "title": "Повар"})
    );
    assert_eq!(vacancy["region"], json!({"code": "77", "title": "Москва"}));
    assert_eq!(
        vacancy["employment_type"],
        json!({"code": "full_time", "title": "Полная занятость"})
    );
    assert_eq!(
        vacancy["schedule"],
        json!({"code": "shift", "title": "Сменный график"})
    );
    assert_eq!(vacancy["employer"]["name"], "ООО «1027700132195»");
    assert_eq!(vacancy["status"], "published");

    let appeal = r.body["appeal"].clone();
    assert_eq!(appeal["type"]["code"], "report_vacancies");
    assert_eq!(
        appeal["status"],
        json!({"code": "completed", "title": "Выполнено"})
    );
    let history = app
        .get(
            &format!("/appeals/{}/history", appeal["id"].as_str().unwrap()),
            Some(&admin.access),
        )
        .await
        .expect(200)
        .body;
    let steps: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from"]["code"].clone(), h["to"]["code"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!(null), json!("registered")),
            (json!("registered"), json!("completed"))
        ]
    );

    assert_eq!(
        app.get(&format!("/vacancies/{id}"), None)
            .await
            .expect(200)
            .body["title"],
        "Повар горячего цеха"
    );
    let own = app
        .get("/employer/vacancies", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(ids(&own), vec![id.clone()]);
    assert_eq!(search(&app, "").await["total"], 1);
    let reports = app
        .get("/employer/reports?kind=vacancies", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(reports["total"], 1, "a vacancy is a «vacancies» report");
    assert_eq!(reports["items"][0]["payload"]["vacancy_id"], json!(id));
}

#[tokio::test]
async fn only_employers_publish_and_bad_vacancies_change_nothing() {
    let app = spawn_app().await;
    let citizen = app.citizen("not-an-employer").await;
    app.post(
        "/employer/vacancies",
        Some(&citizen.access),
        vacancy_body("Повар", "77"),
    )
    .await
    .expect_problem(403, "forbidden");
    let (admin, _) = app.organization("1027700132195", "7707083893").await;
    let bad = with(
        vacancy_body("Повар", "99"),
        json!({"salary_from": 90000, "salary_to": 80000, "profession_code": "00000", "category": "space", "employment_type": "forever"}),
    );
    let r = app
        .post("/employer/vacancies", Some(&admin.access), bad)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        [
            "category",
            "employment_type",
            "profession_code",
            "region_code"
        ],
        "every bad field at once; the salary range waits for the shape to be right"
    );
    let bad = with(
        vacancy_body("Повар", "99"),
        json!({"salary_from": 90000, "salary_to": 80000, "profession_code": "00000", "category": "space"}),
    );
    let r = app
        .post("/employer/vacancies", Some(&admin.access), bad)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        ["__all__", "category", "profession_code", "region_code"]
    );
    let twice = with(
        vacancy_body("Повар", "77"),
        json!({"benefits": ["meals", "housing", "meals"]}),
    );
    let r = app
        .post("/employer/vacancies", Some(&admin.access), twice)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["benefits"]);
    let zero = with(vacancy_body("Повар", "77"), json!({"salary_from": 0}));
    app.post("/employer/vacancies", Some(&admin.access), zero)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(search(&app, "").await["total"], 0);
    assert_eq!(
        app.get("/appeals", Some(&admin.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
    app.get("/vacancies/nope", None)
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn every_filter_and_sort_of_the_search() {
    // The test edits vacancies behind the server's back: nothing may be remembered.
    let app = portal_tests::spawn_app_with(|s| s.vacancy_search_seconds = 0).await;
    let (a, _) = app.organization("1027700132195", "7707083893").await;
    let (b, _) = app.organization("304500116000157", "500100732259").await;
    // The second employer is better rated.
    app.with_db(|conn| {
        diesel::update(organizations::table.filter(organizations::ogrn.eq("304500116000157")))
            .set(organizations::rating.eq(4.9))
            .execute(conn)
            .unwrap()
    })
    .await;
    let cook = app
        .post_vacancy(&a, vacancy_body("Повар горячего цеха", "77"))
        .await;
    let driver = app
        .post_vacancy(
            &a,
            with(
                vacancy_body("Водитель автобуса", "78"),
                json!({"profession_code": "11442", "category": "transport", "employment_type": "part_time",
                       "schedule": "rotation", "experience": "over_6", "salary_from": 120000, "salary_to": null,
                       "benefits": ["housing", "meals"]}),
            ),
        )
        .await;
    let nurse = app
        .post_vacancy(
            &b,
            with(
                vacancy_body("Медицинская сестра", "77"),
                json!({"profession_code": "24038", "category": "healthcare", "employment_type": "remote",
                       "schedule": "flexible", "experience": "none", "salary_from": null, "salary_to": 40000, "benefits": []}),
            ),
        )
        .await;
    let [cook, driver, nurse] =
        [&cook, &driver, &nurse].map(|v| v["id"].as_str().unwrap().to_owned());

    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("region=77", vec![&nurse, &cook]),
        ("region=78", vec![&driver]),
        ("text=%D0%9F%D0%9E%D0%92%D0%90%D0%A0", vec![&cook]), // «ПОВАР», any case
        ("text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80", vec![&cook]), // «повар»
        // «%» is not a wildcard, nor a word: it filters nothing.
        ("text=%25", vec![&nurse, &driver, &cook]),
        ("text=_", vec![&nurse, &driver, &cook]),
        ("text=%D1%81%D0%B5%D1%81%D1%82", vec![]), // «сест»: words, not pieces
        (
            "text=%D1%81%D0%B5%D1%81%D1%82%D1%80%D0%B0%D0%BC%D0%B8",
            vec![&nurse],
        ), // «сестрами», another form
        (
            "text=%D0%B2%D0%BE%D0%B4%D0%B8%D1%82%D0%B5%D0%BB%D1%8C",
            vec![&driver],
        ),
        ("category=healthcare", vec![&nurse]),
        ("employment_type=part_time", vec![&driver]),
        ("schedule=shift", vec![&cook]),
        ("experience=none", vec![&nurse]),
        ("salary_from=85000", vec![&driver]),
        ("salary_from=80000", vec![&driver, &cook]),
        ("salary_to=50000", vec![&nurse]),
        ("salary_to=60000", vec![&nurse, &cook]),
        ("benefits=meals", vec![&driver, &cook]),
        ("benefits=meals,housing", vec![&driver]),
        ("benefits=housing,meals,meals,housing", vec![&driver]),
        ("published_within=day", vec![&nurse, &driver, &cook]),
        ("region=77&category=services&salary_from=70000", vec![&cook]),
    ];
    for (query, expected) in cases {
        let page = search(&app, query).await;
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&page), expected, "{query}");
        assert_eq!(page["total"], expected.len(), "{query}");
    }
    // Past the last page, with the total counted just now (a filter not asked for
    // above) and then remembered.
    for _ in 0..2 {
        let beyond = search(&app, "region=77&salary_to=60000&per_page=1&page=3").await;
        assert_eq!(ids(&beyond), Vec::<String>::new());
        assert_eq!(
            (beyond["total"].clone(), beyond["page"].clone()),
            (json!(2), json!(3))
        );
    }
    let last = search(&app, "region=77&salary_to=60000&per_page=1&page=2").await;
    assert_eq!(ids(&last), vec![cook.clone()]);

    assert_eq!(
        ids(&search(&app, "sort=salary").await),
        vec![driver.clone(), cook.clone(), nurse.clone()]
    );
    assert_eq!(ids(&search(&app, "sort=rating").await)[0], nurse);
    assert_eq!(
        ids(&search(&app, "").await),
        vec![nurse.clone(), driver.clone(), cook.clone()],
        "newest first"
    );

    // Published 3 days ago: out of «24 hours», within «7 days».
    let old = cook.clone();
    app.with_db(move |conn| {
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(3);
        diesel::update(vacancies::table.find(old))
            .set(vacancies::published_at.eq(past))
            .execute(conn)
            .unwrap()
    })
    .await;
    assert_eq!(
        ids(&search(&app, "published_within=day").await),
        vec![nurse.clone(), driver.clone()]
    );
    assert_eq!(search(&app, "published_within=week").await["total"], 3);

    let paged = search(&app, "per_page=2&page=2").await;
    assert_eq!(
        (
            paged["total"].clone(),
            paged["total_pages"].clone(),
            ids(&paged).len()
        ),
        (json!(3), json!(2), 1)
    );
}

#[tokio::test]
async fn bad_search_parameters_are_refused() {
    let app = spawn_app().await;
    let repeated = format!("benefits={}", "meals,".repeat(1000));
    for (query, field) in [
        (repeated.as_str(), "benefits"),
        ("region=00", "region"),
        ("category=space", "category"),
        ("employment_type=forever", "employment_type"),
        ("schedule=never", "schedule"),
        ("salary_from=0", "salary_from"),
        ("salary_from=90000&salary_to=10", "__all__"),
        ("benefits=meals,spa", "benefits"),
        ("published_within=year", "published_within"),
        ("sort=random", "sort"),
        ("per_page=101", "per_page"),
    ] {
        let r = app
            .get(&format!("/vacancies?{query}"), None)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{query}");
    }
}

#[tokio::test]
async fn favourites_are_idempotent_and_private() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let v = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let id = v["id"].as_str().unwrap();
    let citizen = app.citizen("starrer").await;
    let other = app.citizen("other-starrer").await;
    let path = format!("/citizen/favourite-vacancies/{id}");
    app.send(app.client.put(app.url(&path)).bearer_auth(&citizen.access))
        .await
        .expect(204);
    app.send(app.client.put(app.url(&path)).bearer_auth(&citizen.access))
        .await
        .expect(204);
    let list = app
        .get("/citizen/favourite-vacancies", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["vacancy"]["id"], json!(id));
    assert!(list["items"][0]["added_at"].is_string());
    assert_eq!(
        app.get("/citizen/favourite-vacancies", Some(&other.access))
            .await
            .expect(200)
            .body["total"],
        0
    );

    app.send(
        app.client
            .put(app.url("/citizen/favourite-vacancies/nope"))
            .bearer_auth(&citizen.access),
    )
    .await
    .expect_problem(404, "not_found");
    app.send(app.client.put(app.url(&path)).bearer_auth(&employer.access))
        .await
        .expect_problem(403, "forbidden");

    app.delete(&path, Some(&citizen.access)).await.expect(204);
    app.delete(&path, Some(&citizen.access)).await.expect(204);
    assert_eq!(
        app.get("/citizen/favourite-vacancies", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
}

#[tokio::test]
async fn saved_searches_announce_new_matching_vacancies_once() {
    let app = spawn_app().await;
    let citizen = app.citizen("watcher").await;
    let stranger = app.citizen("stranger").await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let r = app
        .post(
            "/citizen/saved-searches",
            Some(&citizen.access),
            json!({"name": "Повар в Москве", "filter": {"region": "77", "text": "повар", "salary_from": 70000}}),
        )
        .await
        .expect(201);
    let search_id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["filter"]["region"], "77");
    app.post(
        "/citizen/saved-searches",
        Some(&citizen.access),
        json!({"name": "Любая работа", "filter": {}}),
    )
    .await
    .expect(201);
    let bad = json!({"name": "x", "filter": {"region": "00", "salary_from": 9, "salary_to": 1, "benefits": ["meals", "meals"]}});
    let r = app
        .post("/citizen/saved-searches", Some(&citizen.access), bad)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        ["filter.__all__", "filter.benefits", "filter.region"]
    );
    assert_eq!(
        app.get("/citizen/saved-searches", Some(&citizen.access))
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Matches both searches: one notification.
    app.post_vacancy(&employer, vacancy_body("Повар-универсал", "77"))
        .await;
    // Announced by the background job, after the publication.
    app.settle_jobs().await;
    assert_eq!(new_count(&app, &citizen.access).await, 1);
    let note = app
        .get("/notifications", Some(&citizen.access))
        .await
        .expect(200)
        .body["items"][0]
        .clone();
    assert_eq!(note["category"]["code"], "new_vacancies");
    assert!(note["link"]
        .as_str()
        .unwrap()
        .starts_with("/api/v1/vacancies/"));

    app.delete(
        &format!("/citizen/saved-searches/{search_id}"),
        Some(&stranger.access),
    )
    .await
    .expect_problem(404, "not_found");
    app.delete(
        &format!("/citizen/saved-searches/{search_id}"),
        Some(&citizen.access),
    )
    .await
    .expect(204);
    // Only «Любая работа» is left; it still matches.
    app.post_vacancy(&employer, vacancy_body("Повар", "78"))
        .await;
    app.settle_jobs().await;
    assert_eq!(new_count(&app, &citizen.access).await, 2);
    assert_eq!(new_count(&app, &stranger.access).await, 0);
}

async fn new_count(app: &TestApp, token: &str) -> Value {
    app.get("/notifications?status=new", Some(token))
        .await
        .expect(200)
        .body["total"]
        .clone()
}

#[tokio::test]
async fn a_vacancy_published_here_is_in_the_very_next_search() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let first = app
        .post_vacancy(&employer, vacancy_body("Повар горячего цеха", "77"))
        .await;
    let first = first["id"].as_str().unwrap().to_owned();
    for query in ["region=77", "region=77&text=повар&sort=salary", ""] {
        let before = search(&app, query).await;
        assert_eq!(before["total"], 1, "{query}");
        assert_eq!(ids(&before), vec![first.clone()], "{query}");
    }

    let second = app
        .post_vacancy(&employer, vacancy_body("Повар-кондитер", "77"))
        .await;
    let second = second["id"].as_str().unwrap().to_owned();
    for query in ["region=77", "region=77&text=повар&sort=salary", ""] {
        let after = search(&app, query).await;
        assert_eq!(after["total"], 2, "{query}: the total follows at once");
        let mut found = ids(&after);
        found.sort();
        let mut expected = vec![first.clone(), second.clone()];
        expected.sort();
        assert_eq!(found, expected, "{query}: so does the page");
    }
}

#[tokio::test]
async fn a_change_made_elsewhere_reaches_the_search_within_its_lifetime() {
    let app = portal_tests::spawn_app_with(|s| s.vacancy_search_seconds = 3).await;
    app.wait_for_the_feed().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let posted = app
        .post_vacancy(&employer, vacancy_body("Повар горячего цеха", "77"))
        .await;
    app.let_the_feed_echo().await;
    let before = search(&app, "region=77&published_within=month").await;
    assert_eq!(before["total"], 1);

    // Another process (here, the test itself) takes the vacancy out of the month;
    // this server is not told, and serves what it remembers for up to 3 seconds.
    let id = posted["id"].as_str().unwrap().to_owned();
    app.with_db(move |conn| {
        let past = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(40);
        diesel::update(vacancies::table.find(id))
            .set(vacancies::published_at.eq(past))
            .execute(conn)
            .unwrap()
    })
    .await;
    assert_eq!(
        search(&app, "region=77&published_within=month").await,
        before
    );
    tokio::time::sleep(std::time::Duration::from_millis(3_300)).await;
    let after = search(&app, "region=77&published_within=month").await;
    assert_eq!(after["total"], 0);
    assert_eq!(ids(&after), Vec::<String>::new());
}

#[tokio::test]
async fn each_page_and_order_of_a_search_is_remembered_apart() {
    let app = spawn_app().await;
    let (employer, _) = app.organization("1027700132195", "7707083893").await;
    let mut posted = Vec::new();
    for (title, salary) in [
        ("Повар", 90_000),
        ("Водитель", 50_000),
        ("Медсестра", 70_000),
    ] {
        let mut body = vacancy_body(title, "77");
        body["salary_from"] = json!(salary);
        body["salary_to"] = json!(salary);
        let v = app.post_vacancy(&employer, body).await;
        posted.push(v["id"].as_str().unwrap().to_owned());
    }
    let (cook, driver, nurse) = (posted[0].clone(), posted[1].clone(), posted[2].clone());
    // Every answer below is remembered by the time the next is asked for; each must
    // still be its own.
    assert_eq!(
        ids(&search(&app, "region=77").await),
        vec![nurse.clone(), driver.clone(), cook.clone()]
    );
    assert_eq!(
        ids(&search(&app, "region=77&sort=salary").await),
        vec![cook.clone(), nurse.clone(), driver.clone()]
    );
    assert_eq!(
        ids(&search(&app, "region=77&per_page=1").await),
        vec![nurse.clone()]
    );
    assert_eq!(
        ids(&search(&app, "region=77&per_page=1&page=2").await),
        vec![driver.clone()]
    );
    assert_eq!(
        ids(&search(&app, "region=77&per_page=2&page=2").await),
        vec![cook.clone()]
    );
    assert_eq!(
        ids(&search(&app, "region=77&salary_from=60000").await),
        vec![nurse.clone(), cook.clone()]
    );
    assert_eq!(ids(&search(&app, "region=78").await), Vec::<String>::new());
}
