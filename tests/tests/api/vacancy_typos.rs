//! A search whose words find nothing says what they probably meant (issue 19), from
//! the words of vacancy titles, on both databases.

use serde_json::{json, Value};

use super::vacancy_search::{bank, enc, ids, publish, search};

fn meant(page: &Value) -> Value {
    page["did_you_mean"].clone()
}

#[tokio::test]
async fn a_misspelt_search_offers_what_it_probably_meant() {
    let (app, e) = bank().await;
    let accountant = publish(
        &app,
        &e,
        "Главный бухгалтер",
        json!({"profession_code": null}),
    )
    .await;
    publish(
        &app,
        &e,
        "Водитель погрузчика",
        json!({"profession_code": null}),
    )
    .await;
    for (typed, want) in [
        ("бугалтер", "бухгалтер"),
        ("Главный бугалтер", "главный бухгалтер"),
        ("вадитель", "водитель"),
        ("водитель пагрузчика", "водитель погрузчика"),
    ] {
        let page = search(&app, &format!("text={}", enc(typed))).await;
        assert_eq!(page["total"], 0, "{typed}");
        assert_eq!(meant(&page), json!(want), "{typed}");
        // What it offers finds something.
        let offered = search(&app, &format!("text={}", enc(want))).await;
        assert!(offered["total"].as_u64().unwrap() > 0, "{want}");
        assert_eq!(meant(&offered), Value::Null, "{want}");
    }
    assert_eq!(
        ids(&search(&app, &format!("text={}", enc("бухгалтер"))).await),
        vec![accountant]
    );
    // Nothing near, too short to guess, or a correction that would find nothing with
    // the same filters: no offer.
    for query in [
        format!("text={}", enc("астронавт")),
        format!("text={}", enc("бух")),
        format!("text={}&region=78", enc("бугалтер")),
        format!("text={}", enc("бугалтер водитель")),
        format!("text={}&per_page=1&page=2", enc("бугалтер")),
    ] {
        let page = search(&app, &query).await;
        assert_eq!(page["total"], 0, "{query}");
        assert_eq!(meant(&page), Value::Null, "{query}");
    }
    // A search that finds something is not second-guessed.
    let found = search(&app, &format!("text={}", enc("водитель"))).await;
    assert_eq!(found["total"], 1);
    assert_eq!(meant(&found), Value::Null);
}
