use portal_tests::spawn_app;
use serde_json::Value;

/// `openapi.yaml` at the root must be exactly what the code generates: run
/// `make openapi` after changing the API.
#[test]
fn the_committed_spec_is_current() {
    let generated = api::openapi::yaml().expect("the document renders");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi.yaml is stale: run `make openapi` and commit it"
    );
}

/// Integrators read every operation: each has a summary, a description, an id, a
/// security requirement, and documents its error answers as problem+json.
#[test]
fn every_operation_is_documented() {
    let doc = serde_json::to_value(api::openapi::document()).unwrap();
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let name = format!("{method} {path}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: summary"
            );
            assert!(
                op["description"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: description"
            );
            assert!(op["operationId"].is_string(), "{name}: operationId");
            assert!(op["security"].is_array(), "{name}: security");
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{name}: a success response"
            );
            let secured = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s.get("bearer").is_some());
            if secured {
                assert!(responses.contains_key("401"), "{name}: documents 401");
            }
            // `If-None-Match` is no input that can be refused: a stale tag is a 200.
            let parameters = op["parameters"].as_array().into_iter().flatten();
            let refusable = parameters.filter(|p| p["name"] != "If-None-Match").count();
            let takes_input = refusable > 0 || op.get("requestBody").is_some() || secured;
            if path.starts_with("/api/") && takes_input {
                assert!(
                    responses.keys().any(|k| k.starts_with('4') || k == "503"),
                    "{name}: documents errors"
                );
            }
        }
    }
    assert!(count >= 21, "{count} operations");
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_server_serves_the_same_document_and_swagger_ui() {
    let app = spawn_app().await;
    let served = app
        .get("/api-docs/openapi.json", None)
        .await
        .expect(200)
        .body;
    let generated: Value = serde_json::to_value(api::openapi::document()).unwrap();
    assert_eq!(served, generated);
    let ui = app
        .client
        .get(app.url("/swagger-ui/"))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"));
}
