use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn staff_register_a_citizen_who_then_signs_in() {
    let app = spawn_app().await;
    let staff = app.staff("registrar").await;
    let body = json!({
        "login": "walk-in",
        "last_name": "Сидоров",
        "first_name": "Пётр",
        "snils": "12345678964"
    });
    let r = app
        .post("/staff/citizens", Some(&staff.access), body)
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/staff/citizens/{id}").as_str())
    );
    assert_eq!(r.body["centre_id"], json!(app.centre_id));
    assert_eq!(r.body["display_name"], "Сидоров Пётр");
    let password = r.body["initial_password"].as_str().unwrap().to_owned();
    let signed_in = app.login("walk-in", &password).await.expect(200);
    let token = signed_in.body["access_token"].as_str().unwrap();
    let me = app.get("/me", Some(token)).await.expect(200).body;
    assert_eq!(me["citizen"]["snils"], "12345678964");

    let fetched = app
        .get(&format!("/staff/citizens/{id}"), Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(fetched["login"], "walk-in");
    assert!(
        fetched.get("initial_password").is_none(),
        "the password is shown once"
    );

    // With a chosen password nothing is generated.
    let chosen = json!({"login": "chosen", "password": "Chosen-pass-7", "last_name": "А", "first_name": "Б"});
    let r = app
        .post("/staff/citizens", Some(&staff.access), chosen)
        .await
        .expect(201);
    assert!(r.body.get("initial_password").is_none());
    app.login("chosen", "Chosen-pass-7").await.expect(200);
}

#[tokio::test]
async fn only_staff_use_staff_endpoints() {
    let app = spawn_app().await;
    let citizen = app.citizen("curious").await;
    let body = json!({"login": "sneaky", "last_name": "А", "first_name": "Б"});
    app.post("/staff/citizens", Some(&citizen.access), body)
        .await
        .expect_problem(403, "forbidden");
    app.get("/staff/appeals", Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&citizen.access),
        json!({"status": "unemployed", "goals": []}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.login("sneaky", "anything").await.expect(401);
    let staff = app.staff("real-staff").await;
    app.get("/citizen/services", Some(&staff.access))
        .await
        .expect_problem(403, "forbidden");
}

#[tokio::test]
async fn staff_keep_cases_only_for_their_centre() {
    let app = spawn_app().await;
    let citizen = app.citizen("resident").await;
    let other = app.other_centre().await;
    let outsider = app.staff_of("outsider", &other).await;
    let staff = app.staff("insider").await;
    let cases_path = format!("/staff/citizens/{}/personal-cases", citizen.user_id);

    app.get(
        &format!("/staff/citizens/{}", citizen.user_id),
        Some(&outsider.access),
    )
    .await
    .expect_problem(404, "not_found");
    app.get(&cases_path, Some(&outsider.access))
        .await
        .expect_problem(404, "not_found");
    app.post(
        &cases_path,
        Some(&outsider.access),
        json!({"status": "unemployed", "goals": ["job_search"]}),
    )
    .await
    .expect_problem(404, "not_found");

    let case = app
        .post(&cases_path, Some(&staff.access), json!({"status": "job_seeker", "goals": ["public_works"], "personal_account": "40817810099910004312"}))
        .await
        .expect(201);
    let case_id = case.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        case.header("location"),
        Some(format!("/api/v1/staff/personal-cases/{case_id}").as_str())
    );
    assert_eq!(case.body["open"], true);
    assert_eq!(
        case.body["goals"],
        json!([{"code": "public_works", "title": "Участие в общественных работах"}])
    );

    app.patch(
        &format!("/staff/personal-cases/{case_id}"),
        Some(&outsider.access),
        json!({"open": false}),
    )
    .await
    .expect_problem(404, "not_found");

    // Absent fields stay; null clears the account.
    let changed = app
        .patch(
            &format!("/staff/personal-cases/{case_id}"),
            Some(&staff.access),
            json!({"status": "unemployed", "personal_account": null}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["status"]["code"], "unemployed");
    assert_eq!(changed["goals"][0]["code"], "public_works");
    assert_eq!(changed["personal_account"], json!(null));
    let closed = app
        .patch(
            &format!("/staff/personal-cases/{case_id}"),
            Some(&staff.access),
            json!({"open": false}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(closed["open"], false);
    assert!(closed["closed_at"].is_string());

    let seen = app
        .get("/citizen/personal-cases", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    assert_eq!(seen[0]["status"]["code"], "unemployed");
    assert_eq!(seen[0]["open"], false);
    let listed = app
        .get(&cases_path, Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(listed[0]["id"], json!(case_id));
}

#[tokio::test]
async fn case_bodies_are_validated() {
    let app = spawn_app().await;
    let citizen = app.citizen("validated").await;
    let staff = app.staff("validator").await;
    let path = format!("/staff/citizens/{}/personal-cases", citizen.user_id);
    let r = app
        .post(
            &path,
            Some(&staff.access),
            json!({"status": "unemployed", "goals": ["job_search", "flying"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["goals[1]"]);
    let r = app
        .post(&path, Some(&staff.access), json!({"status": "unemployed", "goals": ["job_search", "job_search"], "personal_account": "12"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["goals", "personal_account"]);
    let r = app
        .post(&path, Some(&staff.access), json!({"goals": []}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["status"]);
    let cases = app.get(&path, Some(&staff.access)).await.expect(200).body;
    assert_eq!(cases, json!([]), "nothing was opened");
}
