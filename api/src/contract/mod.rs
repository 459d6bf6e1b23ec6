//! Requests checked against the published contract before serde reads them.
//!
//! Serde stops at the first field it cannot read and words its complaint in English.
//! The OpenAPI document already says what every body and query parameter must look
//! like, so each request is first held against the document's own schemas (compiled
//! once at start-up with the `jsonschema` crate): every bad field at once, each with its
//! path and a Russian message ([`messages`]). Only a request that passes is handed to
//! serde and then to the `validator` rules, which cover what a schema cannot say.

use std::collections::HashMap;

use actix_web::http::Method;
use jsonschema::{Draft, Validator, ValidatorMap};
use serde_json::{json, Map, Value};

use crate::problem::FieldError;

mod messages;

pub use messages::{serde_error, Fault, StandIn};

/// The contract of the document this server serves, compiled on first use and shared
/// by every worker (the document is the same for the life of the program).
pub fn served() -> &'static Contract {
    static SERVED: std::sync::LazyLock<Contract> = std::sync::LazyLock::new(|| {
        // The document is the program's own: a schema that does not compile is a bug
        // found by this module's tests, not a condition to recover from.
        Contract::from_document(&crate::openapi::document()).expect("the document compiles")
    });
    &SERVED
}

/// The most schema faults of one body that are told.
pub const MAX_FAULTS: usize = 100;

/// The compiled schemas of every JSON request body and query parameter, by operation.
pub struct Contract {
    /// The document's schemas, where stand-ins for missing fields are looked up.
    root: Value,
    validators: ValidatorMap,
    /// By the route's pattern, then by method: looked up without allocating.
    operations: HashMap<String, Vec<(Method, Operation)>>,
}

#[derive(Default)]
struct Operation {
    /// The `$defs` pointer of the JSON body's schema.
    body: Option<String>,
    query: Vec<QueryParam>,
}

struct QueryParam {
    name: String,
    required: bool,
    /// The `$defs` pointer of the parameter's schema.
    schema: String,
}

/// Why the contract could not be compiled: a bug in the document, found at start-up.
#[derive(Debug, thiserror::Error)]
#[error("the OpenAPI document's schemas do not compile: {0}")]
pub struct ContractError(String);

impl Contract {
    /// Compiles the schemas of `document` (the one the server serves).
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Result<Contract, ContractError> {
        let document = serde_json::to_value(document).map_err(|e| ContractError(e.to_string()))?;
        let mut defs = Map::new();
        let mut operations: HashMap<String, Vec<(Method, Operation)>> = HashMap::new();
        let mut count = 0;
        let paths = document["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                    continue;
                };
                count += 1;
                let operation = collect(op, count, &mut defs);
                if operation.body.is_some() || !operation.query.is_empty() {
                    operations
                        .entry(path.clone())
                        .or_default()
                        .push((method, operation));
                }
            }
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": defs,
            "components": document["components"],
        });
        let validators = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build_map(&root)
            .map_err(|e| ContractError(e.to_string()))?;
        for (_, operation) in operations.values().flatten() {
            let pointers = operation
                .body
                .iter()
                .chain(operation.query.iter().map(|q| &q.schema));
            for pointer in pointers {
                if !validators.contains_key(pointer) {
                    return Err(ContractError(format!("{pointer} was not compiled")));
                }
            }
        }
        Ok(Contract {
            root,
            validators,
            operations,
        })
    }

    /// Every way `body` breaks the JSON body schema (the first [`MAX_FAULTS`]) of the operation at `pattern` (the
    /// route's template, as the document names it). Nothing for an undocumented body.
    pub fn check_body(&self, method: &Method, pattern: &str, body: &Value) -> Vec<Fault> {
        let Some(pointer) = self
            .operation(method, pattern)
            .and_then(|op| op.body.as_ref())
        else {
            return Vec::new();
        };
        let validator = self.validator(pointer);
        if validator.is_valid(body) {
            return Vec::new();
        }
        let mut out = Vec::new();
        // A body of thousands of bad items is told about its first ones: the answer and
        // the stand-ins made for it stay small (the check itself is bounded by the
        // body's size limit).
        for error in validator.iter_errors(body) {
            messages::describe(&error, &mut out);
            if out.len() >= MAX_FAULTS {
                out.truncate(MAX_FAULTS);
                break;
            }
        }
        for fault in &mut out {
            if let (None, Some(schema)) = (&fault.stand_in, &fault.schema) {
                fault.stand_in = self.sample(schema, 0).map(StandIn::Value);
            }
        }
        out.sort_by(|a, b| (&a.error.field, &a.error.code).cmp(&(&b.error.field, &b.error.code)));
        out.dedup_by(|a, b| a.error.field == b.error.field && a.error.code == b.error.code);
        out
    }

    /// Every way the query string breaks the operation's query parameters. A value
    /// arrives as text; one the schema wants as a number or a boolean is read as JSON
    /// first. An empty value of an optional parameter is left to the parameter's own
    /// reading (several treat it as absent).
    pub fn check_query(&self, method: &Method, pattern: &str, query: &str) -> Vec<FieldError> {
        let Some(operation) = self.operation(method, pattern) else {
            return Vec::new();
        };
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut out = Vec::new();
        for param in &operation.query {
            let Some((_, raw)) = pairs.iter().find(|(k, _)| *k == param.name) else {
                if param.required {
                    out.push(messages::required(param.name.clone()));
                }
                continue;
            };
            if raw.is_empty() && !param.required {
                continue;
            }
            let validator = self.validator(&param.schema);
            let as_text = Value::String(raw.clone());
            if validator.is_valid(&as_text) {
                continue;
            }
            let scalar = serde_json::from_str::<Value>(raw)
                .ok()
                .filter(|v| v.is_number() || v.is_boolean());
            let checked = match scalar {
                Some(v) if validator.is_valid(&v) => continue,
                // A number of the right type but out of range says more than "not text".
                Some(v) if !type_error_at_root(validator, &v) => v,
                _ => as_text,
            };
            let mut found = Vec::new();
            for error in validator.iter_errors(&checked) {
                messages::describe(&error, &mut found);
            }
            out.extend(found.into_iter().map(|fault| {
                let mut e = fault.error;
                e.field = messages::join(&param.name, &e.field);
                e
            }));
        }
        tidy(out)
    }

    /// A plain value the schema at `pointer` accepts: its example, first enum value or
    /// default, else an empty value of its type. `None` for what has no plain sample.
    fn sample(&self, pointer: &str, depth: usize) -> Option<Value> {
        let schema = self.root.pointer(pointer)?;
        if depth > 8 {
            return None;
        }
        if let Some(target) = schema["$ref"].as_str() {
            return self.sample(target.strip_prefix('#')?, depth + 1);
        }
        for key in ["example", "const", "default"] {
            if let Some(v) = schema.get(key) {
                return Some(v.clone());
            }
        }
        for key in ["examples", "enum"] {
            if let Some(v) = schema[key].as_array().and_then(|a| a.first()) {
                return Some(v.clone());
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema[key].as_array() {
                return (0..branches.len())
                    .filter(|i| branches[*i]["type"] != "null")
                    .find_map(|i| self.sample(&format!("{pointer}/{key}/{i}"), depth + 1));
            }
        }
        let kind = match &schema["type"] {
            Value::Array(kinds) => kinds.iter().find(|k| *k != "null")?.as_str()?,
            other => other.as_str()?,
        };
        Some(match (kind, schema["format"].as_str()) {
            ("string", Some("date")) => json!("2000-01-01"),
            ("string", Some("date-time")) => json!("2000-01-01T00:00:00Z"),
            ("string", Some("uuid")) => json!("00000000-0000-0000-0000-000000000000"),
            ("string", _) => json!(""),
            ("integer" | "number", _) => schema.get("minimum").cloned().unwrap_or(json!(0)),
            ("boolean", _) => json!(false),
            ("array", _) => json!([]),
            _ => return None,
        })
    }

    fn operation(&self, method: &Method, pattern: &str) -> Option<&Operation> {
        self.operations
            .get(pattern)?
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, operation)| operation)
    }

    fn validator(&self, pointer: &str) -> &Validator {
        &self.validators[pointer]
    }
}

/// Files the operation's JSON body and query parameter schemas under `$defs`.
fn collect(op: &Value, index: usize, defs: &mut Map<String, Value>) -> Operation {
    let mut operation = Operation::default();
    if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
        let key = format!("op{index}_body");
        defs.insert(key.clone(), schema.clone());
        operation.body = Some(format!("#/$defs/{key}"));
    }
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    for (i, param) in params.iter().enumerate() {
        if param["in"] != "query" {
            continue;
        }
        let (Some(name), Some(schema)) = (param["name"].as_str(), param.get("schema")) else {
            continue;
        };
        let key = format!("op{index}_query{i}");
        defs.insert(key.clone(), schema.clone());
        operation.query.push(QueryParam {
            name: name.to_owned(),
            required: param["required"] == true,
            schema: format!("#/$defs/{key}"),
        });
    }
    operation
}

fn type_error_at_root(validator: &Validator, value: &Value) -> bool {
    validator.iter_errors(value).any(|e| {
        e.instance_path().is_empty()
            && matches!(
                e.kind(),
                jsonschema::error::ValidationErrorKind::Type { .. }
            )
    })
}

/// One row per field and rule, in the order of the fields.
pub fn tidy(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.sort_by(|a, b| (&a.field, &a.code).cmp(&(&b.field, &b.code)));
    errors.dedup_by(|a, b| a.field == b.field && a.code == b.code);
    errors
}

#[cfg(test)]
mod tests;
