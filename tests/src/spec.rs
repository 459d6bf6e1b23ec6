//! What the OpenAPI document promises about errors, checked by every test that
//! expects one: an operation's answer with a problem must be documented for that
//! operation, with its status and its `code` (`x-problem-codes`).

use std::sync::LazyLock;

use serde_json::Value;

static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::to_value(api::openapi::document()).expect("the document as JSON"));

/// Panics unless the document lists `code` among the `status` answers of the
/// operation that answers `method path` (a path no operation answers is not checked:
/// it is a 404 or a 405 of the router).
#[track_caller]
pub fn lists_problem(method: &str, path: &str, status: u16, code: &str) {
    let Some((template, operation)) = operation(method, path) else {
        return;
    };
    let codes = &operation["responses"][status.to_string()]["x-problem-codes"];
    let listed = codes
        .as_array()
        .is_some_and(|codes| codes.iter().any(|c| c == code));
    assert!(
        listed,
        "the spec does not list {status} `{code}` for {method} {template} (its {status} \
         lists {codes}): name it in the handler's x-problem-codes"
    );
}

/// The operation answering `method path`: the path template whose segments match,
/// the one with most literal segments first (`/vacancies/suggest` before
/// `/vacancies/{id}`).
fn operation(method: &str, path: &str) -> Option<(&'static str, &'static Value)> {
    let asked: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let method = method.to_ascii_lowercase();
    DOCUMENT["paths"]
        .as_object()?
        .iter()
        .filter_map(|(template, item)| {
            let segments: Vec<&str> = template.split('/').collect();
            if segments.len() != asked.len() {
                return None;
            }
            let mut literal = 0;
            for (pattern, segment) in segments.iter().zip(&asked) {
                if pattern.starts_with('{') {
                    continue;
                }
                if pattern != segment {
                    return None;
                }
                literal += 1;
            }
            let operation = item.get(&method)?;
            Some((literal, template.as_str(), operation))
        })
        .max_by_key(|(literal, _, _)| *literal)
        .map(|(_, template, operation)| (template, operation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let (template, _) = operation("GET", "/api/v1/vacancies/suggest").unwrap();
        assert_eq!(template, "/api/v1/vacancies/suggest");
        let (template, _) = operation("GET", "/api/v1/vacancies/123").unwrap();
        assert_eq!(template, "/api/v1/vacancies/{id}");
        assert!(operation("GET", "/api/v1/nothing-here").is_none());
    }

    #[test]
    #[should_panic(expected = "does not list 409 `slot_taken`")]
    fn an_unlisted_code_fails_the_test_that_sees_it() {
        lists_problem("POST", "/api/v1/appeals/x/transitions", 409, "slot_taken");
    }

    #[test]
    fn a_listed_code_passes() {
        lists_problem(
            "POST",
            "/api/v1/appeals/x/transitions",
            409,
            "invalid_transition",
        );
    }
}
