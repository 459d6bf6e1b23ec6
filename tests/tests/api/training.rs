use chrono::{Days, Utc};
use portal_tests::files::id_of;
use portal_tests::{spawn_app, Session, TestApp};
use serde_json::{json, Value};

pub(crate) fn course(title: &str, starts_in: u64, capacity: i64) -> Value {
    let starts = Utc::now().date_naive() + Days::new(starts_in);
    json!({
        "title": title, "description": "Программа обучения.", "provider": "Колледж № 1",
        "theme": "it", "level": "basic", "format": "online", "region": "77",
        "starts_on": starts.to_string(), "ends_on": (starts + Days::new(30)).to_string(),
        "hours": 72, "cost_kopecks": 0, "capacity": capacity
    })
}

fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

async fn publish(app: &TestApp, staff: &Session, body: Value) -> String {
    let r = app
        .post("/staff/training-courses", Some(&staff.access), body)
        .await
        .expect(201);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api/v1/training-courses/{}", id_of(&r.body))
    );
    id_of(&r.body)
}

async fn unemployed(app: &TestApp, login: &str, staff: &Session) -> Session {
    let citizen = app.citizen(login).await;
    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
        json!({"status": "unemployed", "goals": ["job_search"]}),
    )
    .await
    .expect(201);
    citizen
}

#[tokio::test]
async fn the_catalogue_filters_sorts_and_pages() {
    let app = spawn_app().await;
    let staff = app.staff("training.catalogue").await;
    let free = course("Оператор ЭВМ", 10, 5);
    publish(&app, &staff, free.clone()).await;
    publish(
        &app,
        &staff,
        with(
            free.clone(),
            json!({"title": "Сварщик", "format": "in_person", "theme": "construction",
                   "hours": 320, "cost_kopecks": 2_000_000, "region": "50"}),
        ),
    )
    .await;
    publish(
        &app,
        &staff,
        with(
            course("Бухгалтер 1С", 40, 5),
            json!({"format": "blended", "theme": "office", "level": "advanced", "cost_kopecks": 1_500_000}),
        ),
    )
    .await;
    let withdrawn = publish(&app, &staff, course("Снятый курс", 5, 5)).await;
    app.post(
        &format!("/staff/training-courses/{withdrawn}/withdraw"),
        Some(&staff.access),
        json!({}),
    )
    .await
    .expect(200);

    let titles = |r: &Value| -> Vec<String> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_owned())
            .collect()
    };
    // Public, soonest first; withdrawn courses are not listed.
    let all = app.get("/training-courses", None).await.expect(200).body;
    assert_eq!(all["total"], 3);
    assert_eq!(titles(&all), ["Оператор ЭВМ", "Сварщик", "Бухгалтер 1С"]);
    let first = &all["items"][0];
    assert_eq!(
        first["format"],
        json!({"code": "online", "title": "Онлайн"})
    );
    assert_eq!(
        (first["free"].clone(), first["places_left"].clone()),
        (json!(true), json!(5))
    );
    let cases = [
        ("format=in_person", vec!["Сварщик"]),
        ("format=blended", vec!["Бухгалтер 1С"]),
        ("free=true", vec!["Оператор ЭВМ"]),
        ("cost_max=15000", vec!["Оператор ЭВМ", "Бухгалтер 1С"]),
        ("hours_min=100", vec!["Сварщик"]),
        ("hours_max=100&theme=office", vec!["Бухгалтер 1С"]),
        ("level=advanced", vec!["Бухгалтер 1С"]),
        ("region=50", vec!["Сварщик"]),
        ("sort=cost", vec!["Оператор ЭВМ", "Бухгалтер 1С", "Сварщик"]),
        ("sort=duration&format=online", vec!["Оператор ЭВМ"]),
    ];
    for (query, expected) in cases {
        let r = app
            .get(&format!("/training-courses?{query}"), None)
            .await
            .expect(200)
            .body;
        assert_eq!(titles(&r), expected, "{query}");
    }
    let from = Utc::now().date_naive() + Days::new(20);
    let r = app
        .get(&format!("/training-courses?starts_from={from}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(titles(&r), ["Бухгалтер 1С"]);
    let r = app
        .get("/training-courses?per_page=2&page=2", None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (r["total"].clone(), r["total_pages"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(titles(&r), ["Бухгалтер 1С"]);
    // Bad filters name their field.
    for (query, field) in [
        ("format=distance", "format"),
        ("region=999", "region"),
        ("hours_min=0", "hours_min"),
    ] {
        let r = app
            .get(&format!("/training-courses?{query}"), None)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), vec![field], "{query}");
    }
    // A withdrawn course is its centre's staff's business only.
    app.get(&format!("/training-courses/{withdrawn}"), None)
        .await
        .expect(404);
    let r = app
        .get(
            &format!("/training-courses/{withdrawn}"),
            Some(&staff.access),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "withdrawn");
}

#[tokio::test]
async fn staff_manage_their_centre_s_courses() {
    let app = spawn_app().await;
    let staff = app.staff("training.staff").await;
    let other_centre = app.other_centre().await;
    let stranger = app.staff_of("training.stranger", &other_centre).await;
    let citizen = app.citizen("training.citizen").await;
    let body = course("Оператор ЭВМ", 10, 2);
    // Staff only; the dates and fields are checked.
    app.post(
        "/staff/training-courses",
        Some(&citizen.access),
        body.clone(),
    )
    .await
    .expect(403);
    let r = app
        .post(
            "/staff/training-courses",
            Some(&staff.access),
            with(body.clone(), json!({"ends_on": "2020-01-01"})),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["ends_on"]);
    let r = app
        .post(
            "/staff/training-courses",
            Some(&staff.access),
            with(body.clone(), json!({"capacity": 0})),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["capacity"]);
    let id = publish(&app, &staff, body.clone()).await;
    let path = format!("/staff/training-courses/{id}");
    let read = app
        .get(&format!("/training-courses/{id}"), None)
        .await
        .expect(200);
    let tag = read.header("etag").unwrap().to_owned();
    // Edits with If-Match; a stale tag is refused.
    let edited = with(
        body.clone(),
        json!({"title": "Оператор ЭВМ (вечерняя группа)", "capacity": 3}),
    );
    let r = app
        .send(
            app.client
                .put(app.url(&path))
                .bearer_auth(&staff.access)
                .header("if-match", &tag)
                .json(&edited),
        )
        .await
        .expect(200);
    assert_eq!(r.body["capacity"], 3);
    assert_ne!(r.header("etag").unwrap(), tag);
    app.send(
        app.client
            .put(app.url(&path))
            .bearer_auth(&staff.access)
            .header("if-match", &tag)
            .json(&edited),
    )
    .await
    .expect_problem(412, "precondition_failed");
    // Staff of another centre do not see it to edit or withdraw.
    app.send(
        app.client
            .put(app.url(&path))
            .bearer_auth(&stranger.access)
            .json(&edited),
    )
    .await
    .expect(404);
    app.post(
        &format!("{path}/withdraw"),
        Some(&stranger.access),
        json!({}),
    )
    .await
    .expect(404);

    // The capacity cannot fall below the places taken.
    let enrolled = unemployed(&app, "training.enrolled", &staff).await;
    app.post(
        &format!("/training-courses/{id}/enrolments"),
        Some(&enrolled.access),
        json!({}),
    )
    .await
    .expect(201);
    let second = unemployed(&app, "training.second", &staff).await;
    app.post(
        &format!("/training-courses/{id}/enrolments"),
        Some(&second.access),
        json!({}),
    )
    .await
    .expect(201);
    let r = app
        .send(
            app.client
                .put(app.url(&path))
                .bearer_auth(&staff.access)
                .json(&with(edited.clone(), json!({"capacity": 1}))),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["capacity"]);

    // Withdrawing ends the enrolments and tells the citizens.
    let r = app
        .post(&format!("{path}/withdraw"), Some(&staff.access), json!({}))
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "withdrawn");
    let mine = app
        .get("/citizen/enrolments", Some(&enrolled.access))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["items"][0]["status"]["code"], "course_withdrawn");
    let notes = app
        .get("/notifications", Some(&enrolled.access))
        .await
        .expect(200)
        .body;
    assert!(notes.to_string().contains("Курс отменён"), "{notes}");
    let r = app
        .post(
            &format!("/training-courses/{id}/enrolments"),
            Some(&enrolled.access),
            json!({}),
        )
        .await
        .expect_problem(409, "course_withdrawn");
    assert!(r.body["detail"].as_str().unwrap().contains("снят"));
}

#[tokio::test]
async fn citizens_enrol_under_the_training_rule_and_cancel() {
    let app = spawn_app().await;
    let staff = app.staff("enrol.staff").await;
    let id = publish(&app, &staff, course("Повар", 10, 1)).await;
    let enrolments = format!("/training-courses/{id}/enrolments");

    // SPEC §1: vocational training needs a case in status «Безработный».
    let seeker = app.citizen("enrol.seeker").await;
    let r = app
        .post(&enrolments, Some(&seeker.access), json!({}))
        .await
        .expect_problem(409, "service_not_available");
    assert_eq!(r.body["reason"]["code"], "no_unemployed_case");
    app.post(&enrolments, Some(&staff.access), json!({}))
        .await
        .expect(403);
    app.post(
        "/training-courses/no-such-course/enrolments",
        Some(&seeker.access),
        json!({}),
    )
    .await
    .expect(404);

    let citizen = unemployed(&app, "enrol.citizen", &staff).await;
    let r = app
        .post(&enrolments, Some(&citizen.access), json!({}))
        .await
        .expect(201);
    let enrolment = id_of(&r.body);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api/v1/citizen/enrolments/{enrolment}")
    );
    assert_eq!(
        r.body["status"],
        json!({"code": "active", "title": "Вы записаны"})
    );
    assert_eq!(r.body["course"]["places_left"], 0);
    app.post(&enrolments, Some(&citizen.access), json!({}))
        .await
        .expect_problem(409, "already_enrolled");
    let other = unemployed(&app, "enrol.other", &staff).await;
    app.post(&enrolments, Some(&other.access), json!({}))
        .await
        .expect_problem(409, "course_full");

    // Someone else's enrolment is not found, to read or to cancel.
    let own = format!("/citizen/enrolments/{enrolment}");
    app.get(&own, Some(&other.access)).await.expect(404);
    app.delete(&own, Some(&other.access)).await.expect(404);
    app.get(&own, Some(&citizen.access)).await.expect(200);

    // Cancelling frees the place.
    let r = app.delete(&own, Some(&citizen.access)).await.expect(200);
    assert_eq!(r.body["status"]["code"], "cancelled");
    assert_eq!(r.body["course"]["places_left"], 1);
    app.delete(&own, Some(&citizen.access))
        .await
        .expect_problem(409, "enrolment_not_active");
    app.post(&enrolments, Some(&other.access), json!({}))
        .await
        .expect(201);
    // And the citizen may enrol again once a place is free.
    let list = app
        .get(
            "/citizen/enrolments?status=cancelled",
            Some(&citizen.access),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["course"]["title"], "Повар");

    // A course that has started takes no one.
    let started = publish(&app, &staff, course("Идущий курс", 0, 5)).await;
    app.post(
        &format!("/training-courses/{started}/enrolments"),
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect_problem(409, "course_started");
}

/// N + 5 citizens race for N places: exactly N get one, the rest hear `course_full`,
/// and the course says it is full.
#[tokio::test]
async fn concurrent_enrolments_never_exceed_the_capacity() {
    const PLACES: usize = 5;
    let app = spawn_app().await;
    let staff = app.staff("race.staff").await;
    let id = publish(&app, &staff, course("Популярный курс", 10, PLACES as i64)).await;
    let mut citizens = Vec::new();
    for i in 0..PLACES + 5 {
        citizens.push(unemployed(&app, &format!("race.citizen{i}"), &staff).await);
    }
    let path = format!("/training-courses/{id}/enrolments");
    let answers = futures_util::future::join_all(
        citizens
            .iter()
            .map(|c| app.post(&path, Some(&c.access), json!({}))),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    let mut expected = vec![201; PLACES];
    expected.extend([409; 5]);
    assert_eq!(statuses, expected);
    for r in answers.iter().filter(|r| r.status == 409) {
        assert_eq!(r.body["code"], "course_full");
    }
    let course = app
        .get(&format!("/training-courses/{id}"), None)
        .await
        .expect(200);
    assert_eq!(course.body["places_left"], 0);
}
