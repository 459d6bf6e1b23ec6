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
