//! Every date the API accepts is range-checked: the spec is read from the running
//! server, and each date or date-time query parameter, and each date field of a request
//! body with an example (nested objects included), is sent a date no calendar of the
//! service holds
//! (year −5000, year 99999). The answer is 422 naming that field, never a 500 from a
//! database that cannot store it.

use portal_tests::spawn_app;
use serde_json::{json, Value};

const ABSURD_DATES: [&str; 2] = ["-5000-01-01", "+99999-01-01"];

fn is_date(schema: &Value) -> bool {
    let format = |s: &Value| matches!(s["format"].as_str(), Some("date" | "date-time"));
    format(schema)
        || schema["oneOf"]
            .as_array()
            .or(schema["anyOf"].as_array())
            .is_some_and(|alts| alts.iter().any(format))
}

/// A date-time twin of a date: same absurd year.
fn absurd(date: &str, schema: &Value) -> String {
    let date_time = schema["format"] == "date-time"
        || schema["oneOf"]
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s["format"] == "date-time"));
    if date_time {
        format!("{date}T10:00:00Z")
    } else {
        date.to_owned()
    }
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &spec["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// The path with every `{param}` filled with an id that exists nowhere: the query is
/// parsed before any record is looked up.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.trim_start_matches("/api/v1").chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push_str("00000000-0000-4000-8000-000000000000");
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The date fields of a request body whose example holds them, as paths of keys:
/// top-level ones and those of nested objects the example fills in (an employer's
/// `organization.quota_account_date`).
fn date_fields<'a>(
    spec: &'a Value,
    schema: &'a Value,
    example: &Value,
) -> Vec<(Vec<String>, &'a Value)> {
    let mut found = Vec::new();
    for (field, prop) in schema["properties"].as_object().into_iter().flatten() {
        let prop = resolve(spec, prop);
        if is_date(prop) {
            found.push((vec![field.clone()], prop));
        } else if example[field.as_str()].is_object() {
            for (mut at, inner) in date_fields(spec, prop, &example[field.as_str()]) {
                at.insert(0, field.clone());
                found.push((at, inner));
            }
        }
    }
    found
}

#[tokio::test]
async fn every_date_parameter_and_field_refuses_dates_out_of_range() {
    let app = spawn_app().await;
    let citizen = app.citizen("date-prober").await;
    let spec = app
        .get("/api-docs/openapi.json", None)
        .await
        .expect(200)
        .body;
    let (mut queried, mut posted) = (Vec::new(), Vec::new());
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for p in params.iter().filter(|p| p["in"] == "query") {
                if !is_date(&p["schema"]) {
                    continue;
                }
                let name = p["name"].as_str().unwrap();
                for date in ABSURD_DATES {
                    let value = absurd(date, &p["schema"]);
                    let url = app.url(&concrete(path));
                    let req = match method.as_str() {
                        "get" => app.client.get(url),
                        "delete" => app.client.delete(url),
                        other => panic!("a query date on {other} {path}"),
                    };
                    let r = app
                        .send(req.bearer_auth(&citizen.access).query(&[(name, &value)]))
                        .await;
                    assert_eq!(
                        r.status, 422,
                        "{method} {path}?{name}={value}: {:#}",
                        r.body
                    );
                    assert!(
                        r.body.to_string().contains(name),
                        "{method} {path}?{name}={value} names the parameter: {:#}",
                        r.body
                    );
                }
                queried.push(format!("{path}?{name}"));
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_object() {
                continue;
            }
            let schema = resolve(&spec, body);
            let Some(example) = schema.get("example").filter(|e| e.is_object()) else {
                continue;
            };
            for (at, prop) in date_fields(&spec, schema, example) {
                let field = at.join(".");
                let mut sent = example.clone();
                let leaf = at.iter().fold(&mut sent, |v, key| &mut v[key.as_str()]);
                *leaf = Value::String(absurd(ABSURD_DATES[0], prop));
                let url = app.url(&concrete(path));
                let req = match method.as_str() {
                    "post" => app.client.post(url),
                    "put" => app.client.put(url),
                    "patch" => app.client.patch(url),
                    other => panic!("a body on {other} {path}"),
                };
                let r = app.send(req.bearer_auth(&citizen.access).json(&sent)).await;
                assert_eq!(r.status, 422, "{method} {path} {field}: {:#}", r.body);
                let last = at.last().unwrap();
                assert!(
                    r.body.to_string().contains(last.as_str()),
                    "{method} {path} names {field}: {:#}",
                    r.body
                );
                posted.push(format!("{method} {path} {field}"));
            }
        }
    }
    // The sweep found what it must: the date filters of appeals, reports, payments,
    // slots and courses, and the dates of slot publication and certificates.
    for known in [
        "/api/v1/appeals?date_from",
        "/api/v1/employer/reports?date_to",
        "/api/v1/citizen/payments?from",
        "/api/v1/training-courses?starts_from",
    ] {
        assert!(
            queried.iter().any(|q| q == known),
            "{known} in {queried:#?}"
        );
    }
    assert!(
        posted.iter().any(|p| p.contains("/staff/slots date_from")),
        "{posted:#?}"
    );
    assert!(
        posted
            .iter()
            .any(|p| p.ends_with("/auth/register/employer organization.quota_account_date")),
        "a nested date: {posted:#?}"
    );
    assert!(posted.len() >= 6, "{posted:#?}");
}

/// A report's payload is typed by its kind, not in the spec's schema, so the sweep
/// above cannot find its dates: each is sent here, nested ones included.
#[tokio::test]
async fn every_date_of_a_reports_payload_refuses_dates_out_of_range() {
    let app = spawn_app().await;
    let admin = app
        .employer("date-reporter", "304500116000157", "500100732259", None)
        .await;
    let reports = [
        (
            "layoffs",
            json!({"notice_date": "2026-11-24", "layoff_date": "2027-01-31", "headcount": 12, "positions": ["Кладовщик"], "reason": "Сокращение"}),
            vec!["notice_date", "layoff_date"],
        ),
        (
            "staffing",
            json!({"report_date": "2026-11-01", "employees_total": 100, "women": 40, "disabled": 3, "under_30": 20}),
            vec!["report_date"],
        ),
        (
            "foreign_workers",
            json!({"notice_date": "2026-11-20", "workers": [{"full_name": "Иванов Иван", "citizenship": "Республика Беларусь", "position": "Инженер", "contract_date": "2026-11-15"}]}),
            vec!["notice_date", "workers.0.contract_date"],
        ),
        (
            "informal_employment",
            json!({"detected_date": "2026-11-01", "persons": 1, "description": "Работа без договора"}),
            vec!["detected_date"],
        ),
    ];
    for (kind, payload, fields) in reports {
        for field in fields {
            for date in ABSURD_DATES {
                let mut sent = payload.clone();
                let leaf = field
                    .split('.')
                    .fold(&mut sent, |v, key| match key.parse::<usize>() {
                        Ok(i) => &mut v[i],
                        Err(_) => &mut v[key],
                    });
                *leaf = json!(date);
                let r = app
                    .post(
                        "/employer/reports",
                        Some(&admin.access),
                        json!({"kind": kind, "payload": sent}),
                    )
                    .await;
                assert_eq!(r.status, 422, "{kind} {field}={date}: {:#}", r.body);
                let name = field.rsplit('.').next().unwrap();
                assert!(
                    r.body.to_string().contains(name),
                    "{kind} {field} is named: {:#}",
                    r.body
                );
            }
        }
    }
    let listed = app
        .get("/employer/reports", Some(&admin.access))
        .await
        .expect(200)
        .body;
    assert_eq!(listed["total"], 0, "nothing was filed: {listed}");
}
