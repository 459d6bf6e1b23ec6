//! `portal seed`'s appeals are what the use cases would have left: each applicant has
//! read their appeals as filed and has a notice in their cabinet of every move staff
//! made. A seeded database without them held no read marks and no notifications, and
//! PostgreSQL, analysing those tables empty, planned their look-ups for empty tables
//! (bench/RESULTS.md, «PostgreSQL's first mix row»).

use std::collections::HashMap;

use api::seed::{self, Volume};
use portal_tests::spawn_app;

#[tokio::test]
async fn seeded_appeals_are_read_by_their_applicants_and_their_moves_noticed() {
    let app = spawn_app().await;
    let db = app.db.clone();
    let volume = Volume {
        citizens: 2,
        appeals: 20,
        vacancies: 0,
        payments_per_citizen: 0,
    };
    tokio::task::spawn_blocking(move || seed::run(&db, volume, |_| {}).unwrap())
        .await
        .unwrap();
    let citizen = app
        .login("bench.citizen.0", seed::PASSWORD)
        .await
        .expect(200)
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let appeals = app
        .get("/appeals?per_page=100", Some(&citizen))
        .await
        .expect(200)
        .body;
    let appeals = appeals["items"].as_array().unwrap();
    assert_eq!(appeals.len(), 10, "every other of the 20 appeals is theirs");
    let mut moves_by_link = HashMap::new();
    for appeal in appeals {
        assert_eq!(appeal["unread"], false, "read as filed: {appeal}");
        let id = appeal["id"].as_str().unwrap();
        let history = app
            .get(&format!("/appeals/{id}/history"), Some(&citizen))
            .await
            .expect(200)
            .body;
        let steps = history.as_array().unwrap().len();
        moves_by_link.insert(format!("/api/v1/appeals/{id}"), (steps - 1, appeal.clone()));
    }
    let staff_moves: usize = moves_by_link.values().map(|(n, _)| n).sum();
    assert!(staff_moves > 0, "some seeded appeals were moved by staff");

    let notices = app
        .get("/notifications?per_page=100", Some(&citizen))
        .await
        .expect(200)
        .body;
    assert_eq!(notices["total"], staff_moves, "{notices}");
    let mut noticed: HashMap<&str, usize> = HashMap::new();
    for notice in notices["items"].as_array().unwrap() {
        assert_eq!(notice["category"]["code"], "application_status");
        let link = notice["link"].as_str().unwrap();
        let (_, appeal) = &moves_by_link[link];
        let title = notice["title"].as_str().unwrap();
        let number = appeal["number"].as_str().unwrap();
        assert!(title.contains(number), "{title} names {number}");
        *noticed.entry(link).or_default() += 1;
    }
    for (link, (moves, _)) in &moves_by_link {
        let n = noticed.get(link.as_str()).copied().unwrap_or(0);
        assert_eq!(n, *moves, "one notice per staff move of {link}");
    }
    let completed = moves_by_link
        .values()
        .find(|(_, a)| a["status"]["code"] == "completed")
        .expect("a completed appeal among theirs");
    assert_eq!(completed.0, 2, "registered → in progress → completed");
}
