use portal_tests::files::{id_of, jpeg, pdf};
use portal_tests::{spawn_app, Session, TestApp};
use serde_json::json;

/// An unemployed citizen with an accepted passport and an employment record on review.
pub(crate) async fn unemployed_with_documents(
    app: &TestApp,
    login: &str,
    staff: &Session,
) -> (Session, Vec<String>) {
    let citizen = app.citizen(login).await;
    app.post(
        &format!("/staff/citizens/{}/personal-cases", citizen.user_id),
        Some(&staff.access),
        json!({"status": "unemployed", "goals": ["job_search"]}),
    )
    .await
    .expect(201);
    let passport = id_of(
        &app.upload_document(&citizen.access, "passport", "паспорт.pdf", pdf())
            .await
            .expect(201)
            .body,
    );
    let record = id_of(
        &app.upload_document(&citizen.access, "employment_record", "трудовая.jpg", jpeg())
            .await
            .expect(201)
            .body,
    );
    (citizen, vec![passport, record])
}

pub(crate) const CARD: &str = "2200 0000 0000 0004";

#[tokio::test]
async fn a_benefit_is_applied_for_returned_resubmitted_approved_and_paid() {
    let app = spawn_app().await;
    let staff = app.staff("benefit.staff").await;
    let outsider = app.citizen("benefit.outsider").await;
    let path = "/citizen/benefit-applications";

    // SPEC §1: not registered as unemployed.
    let r = app
        .post(
            path,
            Some(&outsider.access),
            json!({"payout_method": "card", "card_number": CARD, "document_ids": ["01938f4e-0000-7000-8000-000000000009"]}),
        )
        .await
        .expect_problem(409, "service_not_available");
    assert_eq!(r.body["reason"]["code"], "no_unemployed_case");

    let (citizen, docs) = unemployed_with_documents(&app, "benefit.owner", &staff).await;
    // Payout details are checked: a card by Luhn, an account by the BIK's key.
    let r = app
        .post(
            path,
            Some(&citizen.access),
            json!({"payout_method": "card", "card_number": "2200 0000 0000 0005", "document_ids": docs}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["card_number"]);
    let r = app
        .post(
            path,
            Some(&citizen.access),
            json!({"payout_method": "bank_account", "bik": "044525225", "account": "40702810438000034727", "document_ids": docs}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["account"]);
    // Both required documents are cited.
    let r = app
        .post(
            path,
            Some(&citizen.access),
            json!({"payout_method": "card", "card_number": CARD, "document_ids": [docs[0]]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["document_ids"]);

    let r = app
        .post(
            path,
            Some(&citizen.access),
            json!({"payout_method": "bank_account", "bik": "044525225", "account": "40702810438000034726", "document_ids": docs}),
        )
        .await
        .expect(201);
    let id = id_of(&r.body);
    assert_eq!(
        r.body["status"],
        json!({"code": "registered", "title": "Принято"})
    );
    // The citizen sees the account masked, as on their payout details.
    assert_eq!(r.body["payout"]["account"], "•••• 4726");
    let listed = app.get(path, Some(&citizen.access)).await.expect(200).body;
    assert_eq!(listed["items"][0]["payout"]["account"], "•••• 4726");
    // One at a time; and no certificate while it is considered (seed 002).
    app.post(
        path,
        Some(&citizen.access),
        json!({"payout_method": "card", "card_number": CARD, "document_ids": docs}),
    )
    .await
    .expect_problem(409, "application_open");
    let today = chrono::Utc::now().date_naive();
    let r = app
        .post(
            "/citizen/certificates/unemployment",
            Some(&citizen.access),
            json!({"valid_from": today.to_string(), "valid_to": today.to_string()}),
        )
        .await
        .expect_problem(409, "certificate_refused");
    assert_eq!(r.body["reason"]["code"], "open_benefit_application");

    // Another person's application is not found.
    app.get(&format!("{path}/{id}"), Some(&outsider.access))
        .await
        .expect_problem(404, "not_found");

    let decide = format!("/staff/benefit-applications/{id}/decision");
    // Staff, who arrange the payout, see the whole account.
    let r = app
        .post(&decide, Some(&staff.access), json!({"to": "in_progress"}))
        .await
        .expect(200);
    assert_eq!(r.body["payout"]["account"], "40702810438000034726");
    let r = app
        .post(
            &decide,
            Some(&staff.access),
            json!({"to": "clarification_required"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["comment"]);
    let r = app
        .post(
            &decide,
            Some(&staff.access),
            json!({"to": "clarification_required", "comment": "Укажите карту вместо счёта"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["title"], "Требуется доработка");

    let resubmit = format!("{path}/{id}/resubmission");
    let r = app
        .post(
            &resubmit,
            Some(&citizen.access),
            json!({"payout_method": "card", "card_number": CARD, "document_ids": docs}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "in_progress");
    assert_eq!(r.body["payout"]["card"], "•••• 0004");
    assert_eq!(r.body["history"].as_array().unwrap().len(), 4);
    app.post(
        &resubmit,
        Some(&citizen.access),
        json!({"payout_method": "card", "card_number": CARD, "document_ids": docs}),
    )
    .await
    .expect_problem(409, "invalid_transition");

    // An approval needs a schedule, then schedules the payments.
    app.post(&decide, Some(&staff.access), json!({"to": "completed"}))
        .await
        .expect_problem(422, "validation_failed");
    let r = app
        .post(
            &decide,
            Some(&staff.access),
            json!({"to": "completed", "monthly_amount_kopecks": 1500050, "months": 3}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["title"], "Одобрено");

    let list = app
        .get("/citizen/payments", Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(list.body["total"], 3);
    let first = &list.body["items"][0];
    assert_eq!(first["amount_kopecks"], 1500050);
    assert_eq!(first["amount"], "15\u{a0}000,50");
    assert_eq!(
        first["status"],
        json!({"code": "pending", "title": "Ожидает перечисления"})
    );
    let pid = id_of(first);
    let none = app
        .get("/citizen/payments?status=paid", Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(none.body["total"], 0);
    let paged = app
        .get("/citizen/payments?per_page=2&page=2", Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(paged.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(paged.body["total_pages"], 2);

    // Staff move it along; the card shows every operation.
    let ops = format!("/staff/payments/{pid}/operations");
    app.post(&ops, Some(&staff.access), json!({"operation": "sent"}))
        .await
        .expect(200);
    app.post(&ops, Some(&staff.access), json!({"operation": "refunded"}))
        .await
        .expect_problem(409, "invalid_operation");
    app.post(&ops, Some(&staff.access), json!({"operation": "credited"}))
        .await
        .expect(200);
    let card = app
        .get(&format!("/citizen/payments/{pid}"), Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(card.body["status"]["title"], "Перечислено");
    let history: Vec<_> = card.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["operation"]["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(history, ["scheduled", "sent", "credited"]);
    app.get(&format!("/citizen/payments/{pid}"), Some(&outsider.access))
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn staff_record_payments_and_the_import_is_all_or_nothing() {
    let app = spawn_app().await;
    let staff = app.staff("pay.staff").await;
    let citizen = app.citizen("pay.citizen").await;
    let elsewhere = app.other_centre().await;
    let far = app.staff_of("pay.far", &elsewhere).await;
    let body = json!({
        "citizen_id": citizen.user_id, "kind": "material_aid", "amount": "5000.00",
        "period_from": "2026-11-01", "period_to": "2026-11-30", "pay_date": "2026-12-05",
        "status": "paid", "comment": "По заявлению"
    });
    let r = app
        .post("/staff/payments", Some(&staff.access), body.clone())
        .await
        .expect(201);
    assert_eq!(r.body["amount_kopecks"], 500000);
    assert_eq!(r.body["history"].as_array().unwrap().len(), 3);
    let r = app
        .post("/staff/payments", Some(&far.access), body.clone())
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["citizen_id"]);
    let mut bad = body.clone();
    bad["amount"] = json!("12.345");
    app.post("/staff/payments", Some(&staff.access), bad)
        .await
        .expect_problem(422, "validation_failed");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payments.csv");
    std::fs::write(
        &file,
        "citizen,kind,amount,period_from,period_to,pay_date,status,comment\n\
         pay.citizen,unemployment_benefit,12000.00,2026-09-01,2026-09-30,2026-10-15,paid,\n\
         pay.citizen,unemployment_benefit,\"12 000,00\",2026-10-01,2026-10-31,2026-11-15,in_progress,\"Перечисление, банк\"\n\
         nobody.here,other,1,2026-10-01,2026-10-31,2026-11-15,pending,\n",
    )
    .unwrap();
    let db = app.db.clone();
    let f = file.clone();
    let err = tokio::task::spawn_blocking(move || api::import::payments_csv(&db, &f))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.starts_with("line 4:"), "{err}");
    let list = app
        .get("/citizen/payments", Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(
        list.body["total"], 1,
        "nothing of the failed import was stored"
    );

    std::fs::write(
        &file,
        "citizen,kind,amount,period_from,period_to,pay_date,status,comment\n\
         pay.citizen,unemployment_benefit,12000.00,2026-09-01,2026-09-30,2026-10-15,paid,\n\
         pay.citizen,bonus,1,2026-10-01,2026-10-31,2026-11-15,pending,\n",
    )
    .unwrap();
    let db = app.db.clone();
    let f = file.clone();
    let err = tokio::task::spawn_blocking(move || api::import::payments_csv(&db, &f))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.starts_with("line 3: kind:"), "{err}");

    std::fs::write(
        &file,
        "citizen,kind,amount,period_from,period_to,pay_date,status,comment\n\
         pay.citizen,unemployment_benefit,12000.00,2026-09-01,2026-09-30,2026-10-15,paid,\n\
         PAY.CITIZEN,unemployment_benefit,\"12 000,50\",2026-10-01,2026-10-31,2026-11-15,in_progress,\"Перечисление, банк\"\n",
    )
    .unwrap();
    let db = app.db.clone();
    let stored = tokio::task::spawn_blocking(move || api::import::payments_csv(&db, &file))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, 2);
    let list = app
        .get(
            "/citizen/payments?from=2026-10-01&to=2026-11-30",
            Some(&citizen.access),
        )
        .await
        .expect(200);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["items"][0]["amount_kopecks"], 1200050);
    assert_eq!(list.body["items"][0]["comment"], "Перечисление, банк");
}

#[tokio::test]
async fn two_applications_at_once_make_one() {
    let app = spawn_app().await;
    let staff = app.staff("race.staff").await;
    let (citizen, docs) = unemployed_with_documents(&app, "race.owner", &staff).await;
    let body = json!({"payout_method": "card", "card_number": CARD, "document_ids": docs});
    let sends = (0..6).map(|_| {
        app.post(
            "/citizen/benefit-applications",
            Some(&citizen.access),
            body.clone(),
        )
    });
    let answers = futures_util::future::join_all(sends).await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    let refused = answers
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "application_open")
        .count();
    assert_eq!((created, refused), (1, 5), "{answers:#?}");
}

#[tokio::test]
async fn payout_details_are_kept_in_the_profile_and_used_by_default() {
    let app = spawn_app().await;
    let staff = app.staff("payout.staff").await;
    let (citizen, docs) = unemployed_with_documents(&app, "payout.owner", &staff).await;
    let other = app.citizen("payout.other").await;
    let path = "/citizen/payout-details";
    app.get(path, Some(&citizen.access)).await.expect(404);
    // Without details anywhere, the application names the missing field.
    let r = app
        .post(
            "/citizen/benefit-applications",
            Some(&citizen.access),
            json!({"document_ids": docs}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["payout_method"]);

    let put = |body: serde_json::Value, token: String, tag: Option<String>| {
        let mut req = app.client.put(app.url(path)).bearer_auth(token).json(&body);
        if let Some(tag) = tag {
            req = req.header("if-match", tag);
        }
        app.send(req)
    };
    // Checked as the application checks them; nothing is saved on a refusal.
    let r = put(
        json!({"method": "bank_account", "bik": "044525225", "account": "40702810438000034727"}),
        citizen.access.clone(),
        None,
    )
    .await
    .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["account"]);
    let r = put(json!({"method": "card"}), citizen.access.clone(), None)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["card_number"]);
    app.get(path, Some(&citizen.access)).await.expect(404);

    let r = put(
        json!({"method": "bank_account", "bik": "044525225", "account": "40702810438000034726"}),
        citizen.access.clone(),
        None,
    )
    .await
    .expect(200);
    assert_eq!(r.body["account"], "•••• 4726", "masked");
    assert_eq!(r.body["bik"], "044525225");
    let tag = r.header("etag").unwrap().to_owned();
    let r = put(
        json!({"method": "card", "card_number": CARD}),
        citizen.access.clone(),
        Some(tag.clone()),
    )
    .await
    .expect(200);
    assert_eq!(
        (
            r.body["method"].clone(),
            r.body["card"].clone(),
            r.body["account"].clone()
        ),
        (json!("card"), json!("•••• 0004"), json!(null))
    );
    put(
        json!({"method": "card", "card_number": CARD}),
        citizen.access.clone(),
        Some(tag),
    )
    .await
    .expect_problem(412, "precondition_failed");
    // Each citizen sees only their own.
    app.get(path, Some(&other.access)).await.expect(404);
    app.get(path, Some(&staff.access)).await.expect(403);
    let shown = app.get(path, Some(&citizen.access)).await.expect(200).body;
    assert!(!shown.to_string().contains("2200000000000004"));

    // An application without its own details takes the profile's.
    let r = app
        .post(
            "/citizen/benefit-applications",
            Some(&citizen.access),
            json!({"document_ids": docs}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["payout"]["method"], "card");
    assert_eq!(r.body["payout"]["card"], "•••• 0004");
}
