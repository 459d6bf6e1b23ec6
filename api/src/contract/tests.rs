use actix_web::http::Method;
use serde_json::json;

use super::Contract;
use crate::problem::FieldError;

fn contract() -> Contract {
    Contract::from_document(&crate::openapi::document()).expect("the document compiles")
}

fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
    errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect()
}

#[test]
fn every_json_body_and_query_parameter_of_the_document_is_checked() {
    let contract = contract();
    let doc = serde_json::to_value(crate::openapi::document()).unwrap();
    let mut bodies = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let has_body = op
                .pointer("/requestBody/content/application~1json/schema")
                .is_some();
            let operation = contract.operation(&method, path);
            assert_eq!(
                operation.is_some_and(|o| o.body.is_some()),
                has_body,
                "{method} {path}"
            );
            bodies += usize::from(has_body);
        }
    }
    assert!(bodies > 40, "{bodies} bodies");
}

#[test]
fn a_body_is_answered_with_every_bad_field_at_once_in_russian() {
    let errors: Vec<FieldError> = contract()
        .check_body(
            &Method::POST,
            "/api/v1/auth/register",
            &json!({"login": 5, "password": ["x"], "birth_date": "1990-13-45", "email": "x"}),
        )
        .into_iter()
        .map(|f| f.error)
        .collect();
    let found = fields(&errors);
    assert!(found.contains(&("login", "type")), "{found:?}");
    assert!(found.contains(&("password", "type")), "{found:?}");
    assert!(found.contains(&("birth_date", "format")), "{found:?}");
    assert!(errors
        .iter()
        .all(|e| e.message.chars().any(|c| ('а'..='я').contains(&c))));
}

fn body_errors(path: &str, body: serde_json::Value) -> Vec<FieldError> {
    contract()
        .check_body(&Method::POST, path, &body)
        .into_iter()
        .map(|f| f.error)
        .collect()
}

#[test]
fn a_union_is_explained_by_the_branch_its_discriminator_names() {
    let errors = body_errors(
        "/api/v1/employer/reports",
        json!({"kind": "quota", "payload": {"period": 202611, "average_headcount": "many"}}),
    );
    assert_eq!(
        fields(&errors),
        [
            ("payload.average_headcount", "type"),
            ("payload.employed_disabled", "required"),
            ("payload.period", "type"),
            ("payload.quota_size", "required"),
        ]
    );
    let errors = body_errors(
        "/api/v1/employer/reports",
        json!({"kind": "no_such_kind", "payload": {}}),
    );
    assert_eq!(fields(&errors), [("kind", "enum")]);
    assert!(errors[0].message.contains("quota"), "{}", errors[0].message);
}

#[test]
fn a_nullable_field_is_explained_by_its_non_null_branch() {
    let errors = body_errors(
        "/api/v1/employer/reports",
        json!({"kind": "quota", "based_on": "not-a-uuid", "payload": {"period": "2026-11",
               "average_headcount": 100, "quota_size": 2, "employed_disabled": 2}}),
    );
    assert_eq!(fields(&errors), [("based_on", "format")]);
}

#[test]
fn query_values_are_read_as_the_types_their_schema_wants() {
    let c = contract();
    let check = |q: &str| -> Vec<(String, String)> {
        c.check_query(&Method::GET, "/api/v1/appeals", q)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    };
    assert!(check("page=2&per_page=100&status=registered").is_empty());
    assert!(
        check("page=&date_from=").is_empty(),
        "empty optional values are left to serde"
    );
    assert_eq!(check("per_page=101"), [("per_page".into(), "range".into())]);
    assert_eq!(check("page=1.5"), [("page".into(), "type".into())]);
    assert_eq!(
        check("date_from=2026-02-30"),
        [("date_from".into(), "format".into())]
    );
}

#[test]
fn messages_use_the_russian_forms_after_numbers() {
    use super::messages::plural;
    let forms = |n| plural(n, "символа", "символов", "символов");
    assert_eq!(forms(1), "символа");
    assert_eq!(forms(21), "символа");
    assert_eq!(forms(11), "символов");
    assert_eq!(forms(2), "символов");
    assert_eq!(forms(5), "символов");
}

#[test]
fn what_serde_still_refuses_is_told_in_russian() {
    use super::serde_error;
    let e = serde_error("count".into(), "invalid value: integer `-1`, expected u32");
    assert_eq!((e.code.as_str(), e.field.as_str()), ("range", "count"));
    let e = serde_error("".into(), "missing field `title`");
    assert_eq!((e.code.as_str(), e.field.as_str()), ("required", "title"));
    let e = serde_error("a".into(), "missing field `b`");
    assert_eq!(e.field, "a.b");
    let e = serde_error("day".into(), "input is out of range");
    assert_eq!(e.code, "format");
    let e = serde_error(
        "kind".into(),
        "unknown variant `x`, expected one of `a`, `b`",
    );
    assert_eq!(e.code, "enum");
    assert!(e.message.contains("«x»"));
}
