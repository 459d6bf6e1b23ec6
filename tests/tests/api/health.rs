use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn probes_answer() {
    let app = spawn_app().await;
    // On PostgreSQL the instance is ready once its change feed listens.
    app.wait_for_the_feed().await;
    assert_eq!(
        app.get("/health/live", None).await.expect(200).body,
        json!({"status": "ok"})
    );
    assert_eq!(
        app.get("/health/ready", None).await.expect(200).body,
        json!({"status": "ok"})
    );
}
