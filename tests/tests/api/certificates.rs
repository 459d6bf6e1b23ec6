use portal_tests::spawn_app;
use serde_json::json;

/// Text of a PDF as `pdftotext` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn period(days_from_today: i64, days: i64) -> serde_json::Value {
    let from = chrono::Utc::now().date_naive() + chrono::Days::new(days_from_today as u64);
    let to = from + chrono::Days::new(days as u64);
    json!({"valid_from": from.to_string(), "valid_to": to.to_string()})
}

#[tokio::test]
async fn the_certificate_is_a_pdf_naming_the_citizen_in_cyrillic() {
    let app = spawn_app().await;
    let citizen = app.citizen("cert.owner").await;
    let staff = app.staff("cert.staff").await;
    let path = "/citizen/certificates/unemployment";

    // Not registered as unemployed: refused with the reason.
    let r = app
        .post(path, Some(&citizen.access), period(0, 30))
        .await
        .expect_problem(409, "certificate_refused");
    assert_eq!(r.body["reason"]["code"], "not_unemployed");
    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
        json!({"status": "job_seeker", "goals": ["job_search"]}),
    )
    .await
    .expect(201);
    app.post(path, Some(&citizen.access), period(0, 30))
        .await
        .expect_problem(409, "certificate_refused");

    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
        json!({"status": "unemployed", "goals": ["job_search"]}),
    )
    .await
    .expect(201);
    // A period that is reversed or too long is named.
    let r = app
        .post(
            path,
            Some(&citizen.access),
            json!({"valid_from": "2099-02-01", "valid_to": "2099-01-01"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["valid_to"]);
    app.post(path, Some(&citizen.access), period(0, 200))
        .await
        .expect_problem(422, "validation_failed");

    let res = app
        .client
        .post(app.url(path))
        .bearer_auth(&citizen.access)
        .json(&period(0, 30))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    for needle in [
        "Иванов Иван Иванович",
        "СПРАВКА",
        "ГКУ ЦЗН «Центральный»",
        "Номер личного дела: 228-",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }

    // Staff and employers get no certificate of their own.
    app.post(path, Some(&staff.access), period(0, 30))
        .await
        .expect_problem(403, "forbidden");
}
