//! What a person reads when a field breaks the contract: a field path (`goals[1]`,
//! `address.region`), a machine code, and a Russian message. For schema errors
//! ([`describe`]) and for what serde still refuses once a schema passed
//! ([`serde_error`]: a number too large for its type, an impossible date).

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::ValidationError;
use serde_json::Value;

use crate::problem::FieldError;

/// One way a request breaks the contract: the row a person reads, where it is, and a
/// value that would pass there, so that the rules serde and `validator` apply can still
/// run over the rest of the request (see `extract::read_json`).
#[derive(Debug)]
pub struct Fault {
    pub error: FieldError,
    /// Where in the body, as a JSON pointer.
    pub at: String,
    pub stand_in: Option<StandIn>,
    /// For a missing field: where its schema is in the document, to find a stand-in.
    pub(super) schema: Option<String>,
}

/// What stands in for a faulty value while the other fields are checked.
#[derive(Debug)]
pub enum StandIn {
    Value(Value),
    /// A field the schema does not have: left out.
    Absent,
}

/// The faults `error` stands for, added to `out`. A `oneOf`/`anyOf` that no branch
/// matched is explained by the branch the value was meant for (see [`intended`]).
pub fn describe(error: &ValidationError<'_>, out: &mut Vec<Fault>) {
    let field = path(error);
    let at = error.instance_path().as_str();
    let kind = error.kind();
    match kind {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let object = error.schema_path().as_str();
            let object = object.strip_suffix("/required").unwrap_or(object);
            out.push(Fault {
                error: required(join(&field, name)),
                at: format!("{at}/{}", escape(name)),
                stand_in: None,
                schema: Some(format!("{object}/properties/{}", escape(name))),
            });
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                out.push(Fault {
                    error: FieldError::new(join(&field, name), "unknown_field", "Такого поля нет"),
                    at: format!("{at}/{}", escape(name)),
                    stand_in: Some(StandIn::Absent),
                    schema: None,
                });
            }
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match intended(error, context) {
                Some(branch) => branch.iter().for_each(|e| describe(e, out)),
                None => out.push(Fault {
                    error: none_matched(field, context),
                    at: at.to_owned(),
                    stand_in: None,
                    schema: None,
                }),
            }
        }
        _ => {
            let (code, message) = rule(kind);
            out.push(Fault {
                error: FieldError::new(field, code, message),
                at: at.to_owned(),
                stand_in: stand_in(kind, error.instance()).map(StandIn::Value),
                schema: None,
            });
        }
    }
}

/// A member name as a JSON pointer segment.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A value the rule `kind` accepts in place of `value`, where one is plain.
fn stand_in(kind: &ValidationErrorKind, value: &Value) -> Option<Value> {
    use ValidationErrorKind as K;
    Some(match kind {
        K::Type { kind } => {
            let wanted = match kind {
                TypeKind::Single(t) => *t,
                TypeKind::Multiple(set) => set.iter().find(|t| t.as_str() != "null")?,
            };
            match wanted.as_str() {
                "string" => Value::String(String::new()),
                "integer" | "number" => Value::from(0),
                "boolean" => Value::Bool(false),
                "array" => Value::Array(Vec::new()),
                "null" => Value::Null,
                _ => return None,
            }
        }
        K::Format { format } => Value::String(
            match format.as_str() {
                "date" => "2000-01-01",
                "date-time" => "2000-01-01T00:00:00Z",
                "uuid" => "00000000-0000-0000-0000-000000000000",
                _ => return None,
            }
            .to_owned(),
        ),
        K::Enum { options } => options.as_array()?.first()?.clone(),
        K::Constant { expected_value } => (**expected_value).clone(),
        K::Minimum { limit } | K::Maximum { limit } => limit.clone(),
        K::MaxLength { limit } => {
            Value::String(value.as_str()?.chars().take(*limit as usize).collect())
        }
        K::MaxItems { limit } => Value::Array(
            value
                .as_array()?
                .iter()
                .take(*limit as usize)
                .cloned()
                .collect(),
        ),
        _ => return None,
    })
}

/// A required field that is missing.
pub fn required(field: String) -> FieldError {
    FieldError::new(field, "required", "Обязательное поле")
}

/// `prefix.name`, or `name` at the top.
pub fn join(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if name.starts_with('[') => format!("{prefix}{name}"),
        _ => format!("{prefix}.{name}"),
    }
}

/// The error's instance path as a field path: `items[2].title`.
fn path(error: &ValidationError<'_>) -> String {
    let mut out = String::new();
    for segment in error.instance_path().iter() {
        match segment {
            LocationSegment::Property(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&name);
            }
            LocationSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Of the branches of a `oneOf`/`anyOf`, the one the value was meant for: not one that
/// wanted another type altogether (`null` beside an object) or another value of a
/// discriminator (`"kind": "vacancies"` beside `"kind": "dismissals"`). When several
/// remain, the one with the fewest complaints.
fn intended<'c>(
    error: &ValidationError<'_>,
    branches: &'c [Vec<ValidationError<'static>>],
) -> Option<&'c Vec<ValidationError<'static>>> {
    let here = error.instance_path().as_str();
    branches
        .iter()
        .filter(|branch| !branch.iter().any(|e| mismatched(here, e)))
        .min_by_key(|branch| branch.len())
}

/// Whether `e` says the value is of another shape than this branch altogether.
fn mismatched(here: &str, e: &ValidationError<'_>) -> bool {
    let at = e.instance_path().as_str();
    match e.kind() {
        ValidationErrorKind::Type { .. } => at == here,
        ValidationErrorKind::Constant { .. } => is_child(here, at),
        ValidationErrorKind::Enum { options } => {
            is_child(here, at) && options.as_array().is_some_and(|o| o.len() == 1)
        }
        _ => false,
    }
}

fn is_child(parent: &str, at: &str) -> bool {
    at.strip_prefix(parent)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// No branch fits: the types or discriminator values the branches would take.
fn none_matched(field: String, branches: &[Vec<ValidationError<'static>>]) -> FieldError {
    let mut kinds = Vec::new();
    let mut values = Vec::new();
    let mut discriminator = None;
    for e in branches.iter().flatten() {
        match e.kind() {
            ValidationErrorKind::Type { kind } => kinds.extend(type_names(kind)),
            ValidationErrorKind::Constant { expected_value } => {
                discriminator = Some(path(e));
                values.push(show(expected_value));
            }
            ValidationErrorKind::Enum { options } => {
                discriminator = Some(path(e));
                values.extend(options.as_array().into_iter().flatten().map(show));
            }
            _ => {}
        }
    }
    if let Some(field) = discriminator {
        values.dedup();
        return FieldError::new(
            field,
            "enum",
            format!("Допустимые значения: {}", list(&values)),
        );
    }
    if !kinds.is_empty() {
        kinds.sort();
        kinds.dedup();
        return FieldError::new(field, "type", format!("Ожидается {}", kinds.join(" или ")));
    }
    FieldError::new(
        field,
        "invalid",
        "Значение не подходит ни под один из вариантов",
    )
}

/// The code and message of a rule on one value.
fn rule(kind: &ValidationErrorKind) -> (&'static str, String) {
    use ValidationErrorKind as K;
    match kind {
        K::Type { kind } => (
            "type",
            format!("Ожидается {}", type_names(kind).join(" или ")),
        ),
        K::Format { format } => ("format", format_message(format).to_owned()),
        K::Enum { options } => {
            let values: Vec<String> = options.as_array().into_iter().flatten().map(show).collect();
            ("enum", format!("Допустимые значения: {}", list(&values)))
        }
        K::Constant { expected_value } => (
            "enum",
            format!("Допустимое значение: {}", show(expected_value)),
        ),
        K::Minimum { limit } => ("range", format!("Не меньше {limit}")),
        K::Maximum { limit } => ("range", format!("Не больше {limit}")),
        K::ExclusiveMinimum { limit } => ("range", format!("Больше {limit}")),
        K::ExclusiveMaximum { limit } => ("range", format!("Меньше {limit}")),
        K::MinLength { limit } => ("length", format!("Не короче {}", characters(*limit))),
        K::MaxLength { limit } => ("length", format!("Не длиннее {}", characters(*limit))),
        K::MinItems { limit } => ("length", format!("Не меньше {}", items(*limit))),
        K::MaxItems { limit } => ("length", format!("Не больше {}", items(*limit))),
        K::UniqueItems => ("unique", "Значения не должны повторяться".to_owned()),
        K::Pattern { .. } => ("pattern", "Значение не соответствует образцу".to_owned()),
        _ => ("invalid", "Недопустимое значение".to_owned()),
    }
}

fn type_names(kind: &TypeKind) -> Vec<&'static str> {
    let one = |t: jsonschema::JsonType| match t.as_str() {
        "string" => "строка",
        "integer" => "целое число",
        "number" => "число",
        "boolean" => "true или false",
        "object" => "объект",
        "array" => "массив",
        _ => "null",
    };
    match kind {
        TypeKind::Single(t) => vec![one(*t)],
        TypeKind::Multiple(set) => set.iter().map(one).collect(),
    }
}

fn format_message(format: &str) -> &'static str {
    match format {
        "date" => "Ожидается дата в формате ГГГГ-ММ-ДД, например 2026-12-04",
        "date-time" => {
            "Ожидаются дата и время с часовым поясом, например 2026-12-04T10:30:00+03:00"
        }
        "uuid" => "Ожидается идентификатор вида 0193a1f2-7c3d-7e4f-8a5b-6c7d8e9f0a1b",
        "email" => "Ожидается адрес электронной почты",
        "uri" => "Ожидается адрес (URL)",
        _ => "Значение в неверном формате",
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// At most twelve values, then an ellipsis.
fn list(values: &[String]) -> String {
    let shown: Vec<&str> = values.iter().take(12).map(String::as_str).collect();
    let more = if values.len() > 12 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

fn characters(n: u64) -> String {
    format!("{n} {}", plural(n, "символа", "символов", "символов"))
}

fn items(n: u64) -> String {
    format!("{n} {}", plural(n, "элемента", "элементов", "элементов"))
}

/// The Russian form after a number (genitive after «не меньше»: 1 символа, 2 символов).
pub(super) fn plural(
    n: u64,
    one: &'static str,
    few: &'static str,
    many: &'static str,
) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// What serde refused, in Russian, at `field`: the schema passed, so this is a value
/// its type cannot hold (a number too large, a date that does not exist) or a field
/// a schema cannot describe.
pub fn serde_error(field: String, message: &str) -> FieldError {
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return required(join(&field, name));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        return FieldError::new(field, "enum", format!("Недопустимое значение «{value}»"));
    }
    let (code, text) = if message.starts_with("invalid type") {
        ("type", "Значение неверного типа")
    } else if message.contains("input contains invalid characters")
        || message.contains("premature end of input")
        || message.contains("input is out of range")
        || message.contains("input is not enough")
        || message.contains("trailing input")
    {
        ("format", "Значение в неверном формате или такой даты нет")
    } else if message.contains("out of range")
        || message.contains("too large")
        || message.contains("too small")
        || message.contains("expected u")
        || message.contains("expected i")
    {
        ("range", "Число вне допустимого диапазона")
    } else if message.starts_with("duplicate field") {
        ("duplicate", "Поле указано дважды")
    } else {
        ("invalid", "Недопустимое значение")
    };
    FieldError::new(field, code, text)
}
