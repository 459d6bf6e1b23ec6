//! A person's journal pages like every list: newest first, each entry on exactly one
//! page, the same entries as one long page.

use portal_tests::spawn_app;

use super::journal;

#[tokio::test]
async fn the_journal_pages_through_every_entry_once_newest_first() {
    let app = spawn_app().await;
    let citizen = app.citizen("audit-pages").await;
    for _ in 0..5 {
        app.login("audit-pages", "Wrong-password-1")
            .await
            .expect(401);
    }
    let whole = journal(&app, &citizen, "?kind=sign_in&per_page=100").await;
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = ids(&whole);
    assert!(all.len() >= 5, "{whole:#}");
    let times: Vec<&str> = whole["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["occurred_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );

    let mut paged = Vec::new();
    let mut page_no = 1;
    loop {
        let page = journal(
            &app,
            &citizen,
            &format!("?kind=sign_in&per_page=2&page={page_no}"),
        )
        .await;
        assert_eq!(page["total"], all.len(), "{page:#}");
        let items = ids(&page);
        if items.is_empty() {
            break;
        }
        assert!(items.len() <= 2);
        paged.extend(items);
        page_no += 1;
    }
    assert_eq!(paged, all, "every entry once, in the same order");
    assert_eq!(page_no - 1, all.len().div_ceil(2));
}
