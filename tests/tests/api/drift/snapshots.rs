//! The JSON of the main responses against committed snapshots (`snapshots/*.snap`),
//! the same files on SQLite and PostgreSQL: a renamed, dropped or added field, or a
//! value of another shape, shows as a diff. What differs from run to run is redacted
//! to a placeholder of its shape (`[uuid]`, `[timestamp]`, …) only where the value
//! has that shape, so a field that turns from a string into `null` still shows.
//!
//! A mismatch fails the test. To accept a deliberate change, run the suite with
//! `INSTA_UPDATE=always` (or `cargo insta review`) and commit the new snapshots.

use insta::internals::Content;
use insta::{assert_json_snapshot, dynamic_redaction, Settings};
use portal_tests::{citizen_body, spawn_app, vacancy_body, PASSWORD};
use serde_json::{json, Value};

/// What a run-dependent value is replaced with, once its shape is checked.
#[derive(Clone, Copy)]
enum Shape {
    Uuid,
    Timestamp,
    Date,
    /// A token, an opaque string that changes every run.
    Secret,
    /// `22800001/26СЗН`: the two digits of the year go, the centre, the sequence and
    /// the suffix stay (SPEC §2).
    AppealNumber,
}

impl Shape {
    fn placeholder(self, value: &str) -> Option<String> {
        let fixed = |fits: bool, placeholder: &str| fits.then(|| placeholder.to_owned());
        match self {
            Shape::Uuid => fixed(uuid::Uuid::parse_str(value).is_ok(), "[uuid]"),
            Shape::Timestamp => fixed(
                chrono::DateTime::parse_from_rfc3339(value).is_ok(),
                "[timestamp]",
            ),
            Shape::Date => fixed(
                chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
                "[date]",
            ),
            Shape::Secret => fixed(!value.is_empty(), "[secret]"),
            Shape::AppealNumber => {
                let (sequence, rest) = value.split_once('/')?;
                let (year, suffix) = rest.split_at_checked(2)?;
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                (digits(sequence) && digits(year)).then(|| format!("{sequence}/[yy]{suffix}"))
            }
        }
    }
}

/// Fields whose values change from run to run, wherever they appear.
const REDACTED: &[(&str, Shape)] = &[
    ("id", Shape::Uuid),
    ("user_id", Shape::Uuid),
    ("organization_id", Shape::Uuid),
    ("centre_id", Shape::Uuid),
    ("created_at", Shape::Timestamp),
    ("updated_at", Shape::Timestamp),
    ("published_at", Shape::Timestamp),
    ("deadline", Shape::Date),
    ("number", Shape::AppealNumber),
    ("access_token", Shape::Secret),
    ("refresh_token", Shape::Secret),
];

/// Snapshot settings: files named for the response alone, redactions by shape.
fn settings() -> Settings {
    let mut s = Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    for &(field, shape) in REDACTED {
        s.add_redaction(
            &format!(".**.{field}"),
            dynamic_redaction(move |value: Content, _| {
                match value.as_str().and_then(|v| shape.placeholder(v)) {
                    Some(placeholder) => Content::from(placeholder),
                    None => value,
                }
            }),
        );
    }
    s
}

fn snapshot(name: &str, body: &Value) {
    settings().bind(|| assert_json_snapshot!(name, body));
}

#[tokio::test]
async fn profiles() {
    let app = spawn_app().await;
    let citizen = app.citizen("snap.citizen").await;
    let employer = app
        .employer(
            "snap.employer",
            "1027700132195",
            "7707083893",
            Some("770701001"),
        )
        .await;
    let staff = app.staff("snap.staff").await;
    let signed_in = app.login("snap.citizen", PASSWORD).await.expect(200);
    snapshot("session", &signed_in.body);
    for (name, s) in [
        ("me_citizen", citizen),
        ("me_employer", employer),
        ("me_staff", staff),
    ] {
        snapshot(
            name,
            &app.get("/me", Some(&s.access)).await.expect(200).body,
        );
    }
}

#[tokio::test]
async fn an_appeal_and_a_page_of_appeals() {
    let app = spawn_app().await;
    let citizen = app.citizen("snap.applicant").await;
    let first = app
        .file_appeal(&citizen.access, "Прошу разъяснить порядок регистрации")
        .await;
    app.file_appeal(&citizen.access, "Второе обращение").await;
    let id = first["id"].as_str().unwrap();
    let appeal = app
        .get(&format!("/appeals/{id}"), Some(&citizen.access))
        .await
        .expect(200);
    snapshot("appeal", &appeal.body);
    let page = app
        .get("/appeals?per_page=1", Some(&citizen.access))
        .await
        .expect(200);
    snapshot("appeal_page", &page.body);
}

#[tokio::test]
async fn a_vacancy_and_the_organisation() {
    let app = spawn_app().await;
    let employer = app
        .employer("snap.org", "1027700132195", "7707083893", Some("770701001"))
        .await;
    let vacancy = app
        .post_vacancy(&employer, vacancy_body("Повар горячего цеха", "77"))
        .await;
    let id = vacancy["id"].as_str().unwrap();
    snapshot(
        "vacancy",
        &app.get(&format!("/vacancies/{id}"), None)
            .await
            .expect(200)
            .body,
    );
    snapshot(
        "organization",
        &app.get("/employer/organization", Some(&employer.access))
            .await
            .expect(200)
            .body,
    );
}

#[tokio::test]
async fn problems() {
    let app = spawn_app().await;
    let citizen = app.citizen("snap.problems").await;
    let missing = format!("/appeals/{}", uuid::Uuid::new_v4());
    let r = app
        .get(&missing, Some(&citizen.access))
        .await
        .expect_problem(404, "not_found");
    snapshot("problem_404", &r.body);
    // Two fields wrong: the shape of the list of errors, each naming its field.
    let mut body = citizen_body("snap.invalid");
    body["email"] = json!("not-an-address");
    body["snils"] = json!("112-233-445 96");
    let r = app
        .post("/auth/register", None, body)
        .await
        .expect_problem(422, "validation_failed");
    snapshot("problem_422", &r.body);
}
