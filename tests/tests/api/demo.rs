use portal_tests::spawn_app;

#[tokio::test]
async fn demo_mode_seeds_every_account_once() {
    let app = spawn_app().await;
    for _ in 0..2 {
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || api::demo::seed(&db).unwrap())
            .await
            .unwrap();
    }
    let signed_in = |login: &'static str| {
        let app = &app;
        async move {
            let r = app.login(login, api::demo::PASSWORD).await.expect(200);
            r.body["access_token"].as_str().unwrap().to_owned()
        }
    };
    let citizen = signed_in(api::demo::CITIZEN).await;
    let admin = signed_in(api::demo::EMPLOYER).await;
    let member = signed_in(api::demo::EMPLOYER_MEMBER).await;
    let staff = signed_in(api::demo::STAFF).await;
    assert_eq!(
        app.get("/me", Some(&admin)).await.expect(200).body["employer"]["is_admin"],
        true
    );
    assert_eq!(
        app.get("/me", Some(&member)).await.expect(200).body["employer"]["is_admin"],
        false
    );
    assert_eq!(
        app.get("/me", Some(&staff)).await.expect(200).body["role"]["code"],
        "staff"
    );
    let cases = app
        .get("/citizen/personal-cases", Some(&citizen))
        .await
        .expect(200)
        .body;
    assert_eq!(cases.as_array().unwrap().len(), 1, "seeded once");
    let reports = app
        .get("/employer/reports", Some(&admin))
        .await
        .expect(200)
        .body;
    assert_eq!(reports["total"], 2);
    let bank = app
        .get("/vacancies?per_page=1", None)
        .await
        .expect(200)
        .body;
    assert_eq!(bank["total"], 300);
    let catalogue = app
        .get("/training-courses?per_page=100", None)
        .await
        .expect(200)
        .body;
    assert_eq!(catalogue["total"], 14, "the catalogue is seeded once");
    let formats: std::collections::HashSet<_> = catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["format"]["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(formats.len(), 3, "очно, онлайн, смешанный: {formats:?}");
    let centres = app
        .get("/centres?per_page=100", None)
        .await
        .expect(200)
        .body;
    assert!(centres["total"].as_u64().unwrap() >= 9);
    assert_eq!(
        app.get("/employer/contacts", Some(&member))
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

fn prepare(
    db: &persistence::Database,
    allow_postgres: bool,
) -> impl std::future::Future<Output = Result<(), api::demo::Refusal>> {
    let db = db.clone();
    async move {
        tokio::task::spawn_blocking(move || api::demo::prepare(&db, allow_postgres))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn demo_mode_seeds_only_a_database_it_made() {
    // An empty database becomes demo mode's own, and stays so across restarts.
    let empty = portal_tests::empty_database().await;
    prepare(&empty.db, true).await.expect("an empty database");
    prepare(&empty.db, true)
        .await
        .expect("its own database again");

    // A database holding someone's data is refused, and no demo account appears in it.
    let app = spawn_app().await;
    app.citizen("real.person").await;
    let refused = prepare(&app.db, true).await;
    assert!(
        matches!(refused, Err(api::demo::Refusal::NotDemo)),
        "{refused:?}"
    );
    app.login(api::demo::CITIZEN, api::demo::PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
}

#[tokio::test]
async fn demo_mode_needs_an_explicit_allowance_on_postgres() {
    let empty = portal_tests::empty_database().await;
    let without = prepare(&empty.db, false).await;
    match empty.db.backend() {
        persistence::Backend::Postgres => {
            assert!(
                matches!(without, Err(api::demo::Refusal::Postgres)),
                "{without:?}"
            );
            prepare(&empty.db, true).await.expect("allowed explicitly");
        }
        persistence::Backend::Sqlite => without.expect("SQLite needs no allowance"),
    }
}
