use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn dictionaries_list_the_official_values() {
    let app = spawn_app().await;
    let all = app.get("/dictionaries", None).await.expect(200).body;
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    for expected in [
        "regions",
        "professions",
        "employment_types",
        "schedules",
        "education_levels",
        "appeal_types",
        "report_kinds",
    ] {
        assert!(names.contains(&expected), "{expected}");
    }
    for name in &names {
        let d = app
            .get(&format!("/dictionaries/{name}"), None)
            .await
            .expect(200)
            .body;
        let items = d["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{name}");
        let size = all
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == *name)
            .unwrap()["size"]
            .clone();
        assert_eq!(json!(items.len()), size, "{name}");
    }
    let types = app
        .get("/dictionaries/employment_types", None)
        .await
        .expect(200)
        .body;
    let titles: Vec<&str> = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Полная занятость",
            "Частичная занятость",
            "Временная",
            "Стажировка",
            "Сезонная занятость",
            "Удаленная"
        ]
    );
    let schedules = app
        .get("/dictionaries/schedules", None)
        .await
        .expect(200)
        .body;
    let titles: Vec<&str> = schedules["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Полный рабочий день",
            "Сменный график",
            "Гибкий график",
            "Вахтовый метод",
            "Ненормированный рабочий день",
            "Неполный рабочий день"
        ]
    );
    let professions = app
        .get("/dictionaries/professions", None)
        .await
        .expect(200)
        .body;
    assert!(professions["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["category"].is_string()));
    app.get("/dictionaries/unicorns", None)
        .await
        .expect_problem(404, "not_found");
}
