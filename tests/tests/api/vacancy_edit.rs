//! An employer edits its published vacancy (issue 14): validation, ownership, and the
//! search and matching seeing the edit at once.

use portal_tests::{spawn_app, vacancy_body};
use serde_json::json;

#[tokio::test]
async fn an_edit_is_checked_owned_and_seen_by_search_and_matching_at_once() {
    let app = spawn_app().await;
    let (employer, member) = app.organization("1027700132195", "7707083893").await;
    let (other, _) = app.organization("1037739010891", "7736050003").await;
    let v = app
        .post_vacancy(&employer, vacancy_body("Повар", "77"))
        .await;
    let id = v["id"].as_str().unwrap();
    let path = format!("/employer/vacancies/{id}");
    // The search remembers its pages: read them first so the edit must reach them.
    let moscow = "/vacancies?region=77";
    let spb = "/vacancies?region=78";
    assert_eq!(app.get(moscow, None).await.expect(200).body["total"], 1);
    assert_eq!(app.get(spb, None).await.expect(200).body["total"], 0);

    app.patch(&path, Some(&other.access), json!({"title": "Чужой"}))
        .await
        .expect(404);
    let r = app
        .patch(&path, Some(&employer.access), json!({"salary_from": 90000}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["salary_from"]);
    let r = app
        .patch(
            &path,
            Some(&employer.access),
            json!({"title": " ", "schedule": "sometimes", "region_code": "999"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert!(
        r.error_fields().contains(&"schedule".to_owned()),
        "{:?}",
        r.body
    );
    let r = app
        .patch(
            &path,
            Some(&employer.access),
            json!({"title": " ", "region_code": "999"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    let mut fields = r.error_fields();
    fields.sort();
    fields.dedup();
    assert_eq!(fields, ["region_code", "title"]);
    let r = app
        .patch(
            &path,
            Some(&employer.access),
            json!({"benefits": ["housing", "housing"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["benefits"]);
    // Nothing changed by the refusals.
    let same = app
        .get(&format!("/vacancies/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(same["title"], "Повар");
    assert_eq!(same["salary_from"], 60000);

    // A Moscow cook's application: the matching selects the vacancy as it stands.
    let staff = app.staff("edit-staff").await;
    let citizen = app.citizen("edit-seeker").await;
    let resume = app
        .post(
            "/citizen/resumes",
            Some(&citizen.access),
            json!({"title": "Повар", "profession_code": "16675", "category": "services",
                   "region_code": "77", "salary": 75000, "experience": "from_3_to_6",
                   "education": "secondary_vocational", "employment_type": "full_time",
                   "schedule": "shift", "skills": [], "about": "", "published": true}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let filed = app
        .post(
            "/citizen/job-search-applications",
            Some(&citizen.access),
            json!({"resume_id": resume, "claims_unemployed": false}),
        )
        .await
        .expect(201)
        .body;
    let preview = format!(
        "/staff/job-search-applications/{}/matching",
        filed["id"].as_str().unwrap()
    );
    let before = app
        .get(&preview, Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(before.as_array().unwrap().len(), 1, "{before:#}");
    assert_eq!(before[0]["vacancy"]["id"], id);
    assert_eq!(before[0]["score"], 100);
    app.get(&preview, Some(&citizen.access))
        .await
        .expect_problem(403, "forbidden");
    let far = app.other_centre().await;
    let far_staff = app.staff_of("far-matcher", &far).await;
    app.get(&preview, Some(&far_staff.access)).await.expect(404);

    let r = app
        .patch(
            &path,
            Some(&member.access),
            json!({"title": "Шеф-повар", "salary_from": 90000, "salary_to": 120000,
                   "schedule": "flexible", "address": null, "region_code": "78"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["title"], "Шеф-повар");
    assert_eq!(r["salary_to"], 120000);
    assert_eq!(r["schedule"]["code"], "flexible");
    assert_eq!(r["address"], serde_json::Value::Null);
    assert_eq!(r["region"]["code"], "78");
    assert_eq!(r["employment_type"]["code"], "full_time");
    assert_eq!(app.get(moscow, None).await.expect(200).body["total"], 0);
    let found = app.get(spb, None).await.expect(200).body;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["title"], "Шеф-повар");
    let text = app
        .get("/vacancies?text=%D1%88%D0%B5%D1%84", None)
        .await
        .expect(200)
        .body;
    assert_eq!(text["total"], 1);
    // A new description is searchable at once, by another form of its words.
    app.patch(
        &path,
        Some(&member.access),
        json!({"description": "Готовим блюда для банкетов и свадеб"}),
    )
    .await
    .expect(200);
    let banquets = app
        .get(
            "/vacancies?text=%D0%B1%D0%B0%D0%BD%D0%BA%D0%B5%D1%82%D0%B0%D0%BC%D0%B8",
            None,
        )
        .await
        .expect(200)
        .body;
    assert_eq!(banquets["total"], 1, "{banquets:#}");

    // Matching reads the vacancy as edited: the Moscow cook is no longer offered it.
    let after = app
        .get(&preview, Some(&staff.access))
        .await
        .expect(200)
        .body;
    assert_eq!(after, json!([]));

    let accepted = app
        .post(
            &format!(
                "/staff/job-search-applications/{}/transitions",
                filed["id"].as_str().unwrap()
            ),
            Some(&staff.access),
            json!({"to": "accepted"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(accepted["offers"], json!([]));

    // A closed vacancy is not edited.
    app.post(&format!("{path}/close"), Some(&employer.access), json!({}))
        .await
        .expect(200);
    app.patch(&path, Some(&employer.access), json!({"title": "Снова"}))
        .await
        .expect_problem(409, "vacancy_closed");
}
