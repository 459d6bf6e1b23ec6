//! The document as an integrator reads it, walked whole: every request body and every
//! JSON success shows an example (on the media type or on the schema it refers to),
//! every example in the document (of a schema, a property, a media type, a parameter,
//! a problem) is valid against its schema, so Swagger UI, schemathesis and generated
//! clients are shown data the server could send or accept; every parameter says what it
//! is, and no text points at what only the project's own people can read.

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn document() -> Value {
    serde_json::to_value(super::document()).expect("the document is JSON")
}

/// Every operation as `(its label, the operation)`.
fn operations(document: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation["operationId"].as_str().unwrap_or_default();
                found.push((
                    format!("{id} ({} {path})", method.to_uppercase()),
                    operation,
                ));
            }
        }
    }
    found
}

fn carries_example(node: &Value) -> bool {
    let listed = match node.get("examples") {
        Some(Value::Array(list)) => !list.is_empty(),
        Some(Value::Object(named)) => !named.is_empty(),
        _ => false,
    };
    node.get("example").is_some() || listed
}

/// Whether a media type shows an example: its own, or its schema's (a component's).
fn media_has_example(document: &Value, media: &Value) -> bool {
    if carries_example(media) {
        return true;
    }
    let schema = &media["schema"];
    if carries_example(schema) {
        return true;
    }
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .is_some_and(|name| carries_example(&document["components"]["schemas"][name]))
}

#[test]
fn every_body_and_json_success_has_an_example() {
    let document = document();
    let (mut checked, mut missing) = (0, Vec::new());
    for (label, operation) in operations(&document) {
        let body = operation["requestBody"]["content"].as_object();
        for (media_type, media) in body.into_iter().flatten() {
            checked += 1;
            if !media_has_example(&document, media) {
                missing.push(format!("{label}: request body {media_type}"));
            }
        }
        for (status, response) in operation["responses"].as_object().into_iter().flatten() {
            if !status.starts_with('2') {
                continue;
            }
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                if !media_type.contains("json") {
                    continue;
                }
                checked += 1;
                if !media_has_example(&document, media) {
                    missing.push(format!("{label}: {status} {media_type}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without an example: {missing:#?}");
    assert!(checked > 100, "{checked}");
}

#[test]
fn every_parameter_has_a_description() {
    let document = document();
    let (mut checked, mut missing) = (0, Vec::new());
    for (label, operation) in operations(&document) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            checked += 1;
            let described = parameter["description"]
                .as_str()
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                missing.push(format!(
                    "{label}: {} in {}",
                    parameter["name"], parameter["in"]
                ));
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
    assert!(checked > 200, "{checked}");
}

/// Pointers to what integrators cannot read: the project's specification, its seeds,
/// the server's environment.
const INTERNAL: [&str; 4] = ["SPEC §", "seed 00", "seeds 00", "PORTAL_"];

/// Every text of the document (descriptions, summaries, titles), with where it is.
fn texts<'d>(node: &'d Value, pointer: String, found: &mut Vec<(String, &'d str)>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                let at = format!("{pointer}/{key}");
                match child {
                    Value::String(text)
                        if matches!(key.as_str(), "description" | "summary" | "title") =>
                    {
                        found.push((at, text))
                    }
                    _ => texts(child, at, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                texts(child, format!("{pointer}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn no_text_points_at_internal_documents_or_settings() {
    let document = document();
    let mut found = Vec::new();
    texts(&document, "#".into(), &mut found);
    let internal: Vec<_> = found
        .iter()
        .filter(|(_, text)| INTERNAL.iter().any(|marker| text.contains(marker)))
        .map(|(at, text)| format!("{at}: {text}"))
        .collect();
    assert!(internal.is_empty(), "internal references: {internal:#?}");
    assert!(found.len() > 500, "{}", found.len());
}

/// Checks `instance` against `schema`, a schema of the document whose `$ref`s point
/// into the document's components.
fn errors_against(components: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    let root = match schema {
        Value::Object(schema) => {
            let mut root = schema.clone();
            root.remove("example");
            root.remove("examples");
            root.insert("components".into(), components.clone());
            Value::Object(root)
        }
        other => other.clone(),
    };
    let validator = match jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
    {
        Ok(validator) => validator,
        Err(e) => return vec![format!("the schema does not compile: {e}")],
    };
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect()
}

/// The examples met in the document and those found invalid.
struct Examples<'d> {
    components: &'d Value,
    checked: usize,
    invalid: Vec<String>,
}

impl Examples<'_> {
    fn check(&mut self, schema: &Value, example: &Value, at: String) {
        self.checked += 1;
        for error in errors_against(self.components, schema, example) {
            self.invalid.push(format!("{at}: {error}"));
        }
    }

    /// Walks `node` at `pointer`, checking each example met against its schema. The
    /// examples of a media type that is neither JSON nor a form (an event stream) are
    /// the text on the wire, not instances of its schema, and are left alone.
    fn walk(&mut self, node: &Value, pointer: &str, instances: bool) {
        match node {
            Value::Object(map) => {
                if let Some(schema) = map.get("schema").filter(|s| s.is_object()) {
                    // A media type, a parameter or a header: examples of its `schema`.
                    if let Some(example) = map.get("example").filter(|_| instances) {
                        self.check(schema, example, format!("{pointer}/example"));
                    }
                    let named = map.get("examples").and_then(Value::as_object);
                    for (name, example) in named.into_iter().flatten().filter(|_| instances) {
                        if let Some(value) = example.get("value") {
                            self.check(schema, value, format!("{pointer}/examples/{name}"));
                        }
                    }
                } else if ["type", "$ref", "oneOf", "allOf", "anyOf", "properties"]
                    .iter()
                    .any(|k| map.contains_key(*k))
                {
                    // A schema: its own examples.
                    if let Some(example) = map.get("example") {
                        self.check(node, example, format!("{pointer}/example"));
                    }
                    let listed = map.get("examples").and_then(Value::as_array);
                    for (i, example) in listed.into_iter().flatten().enumerate() {
                        self.check(node, example, format!("{pointer}/examples/{i}"));
                    }
                }
                for (key, child) in map {
                    // Examples and values are data, not parts of the document.
                    if matches!(
                        key.as_str(),
                        "example" | "examples" | "default" | "enum" | "const"
                    ) || key.starts_with("x-")
                    {
                        continue;
                    }
                    let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    match child.as_object().filter(|_| key == "content") {
                        Some(media_types) => {
                            for (media_type, media) in media_types {
                                let instances =
                                    media_type.contains("json") || media_type.contains("form");
                                let at = format!("{at}/{}", media_type.replace('/', "~1"));
                                self.walk(media, &at, instances);
                            }
                        }
                        None => self.walk(child, &at, true),
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.walk(child, &format!("{pointer}/{i}"), true);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_example_is_valid_against_its_schema() {
    let document = document();
    let mut examples = Examples {
        components: &document["components"],
        checked: 0,
        invalid: Vec::new(),
    };
    for part in ["paths", "components", "webhooks"] {
        examples.walk(&document[part], &format!("#/{part}"), true);
    }
    let invalid = &examples.invalid;
    assert!(
        invalid.is_empty(),
        "{} invalid examples: {invalid:#?}",
        invalid.len()
    );
    assert!(examples.checked > 500, "{}", examples.checked);
}

#[test]
fn the_check_finds_an_invalid_example() {
    let components = serde_json::json!({"schemas": {"Id": {"type": "string", "format": "uuid"}}});
    let schema = serde_json::json!({"type": "object", "required": ["id"],
        "properties": {"id": {"$ref": "#/components/schemas/Id"}}});
    assert!(errors_against(
        &components,
        &schema,
        &serde_json::json!({"id": "0190c2f4-7d1e-7c3a-9b1e-3f2a1b4c5d6e"})
    )
    .is_empty());
    assert!(!errors_against(&components, &schema, &serde_json::json!({"id": "42"})).is_empty());
    assert!(!errors_against(&components, &schema, &serde_json::json!({})).is_empty());
}
