use portal_tests::files::{executable, file_part, id_of, jpeg, pdf, png, Part};
use portal_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_document_is_uploaded_reviewed_replaced_and_downloaded() {
    let app = spawn_app().await;
    let citizen = app.citizen("doc.owner").await;
    let staff = app.staff("doc.reviewer").await;

    let r = app
        .upload_document(&citizen.access, "passport", "Паспорт РФ.pdf", pdf())
        .await
        .expect(201);
    let first = id_of(&r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/citizen/documents/{first}").as_str())
    );
    assert_eq!(r.body["kind"]["code"], "passport");
    assert_eq!(
        r.body["status"],
        json!({"code": "on_review", "title": "На проверке"})
    );
    assert_eq!(r.body["file"]["type"]["code"], "pdf");
    assert_eq!(r.body["file"]["name"], "Паспорт РФ.pdf");
    assert_eq!(r.body["file"]["size"], pdf().len());
    let sha = r.body["file"]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);

    // The download streams the same bytes with type, name and tag.
    let path = format!("/citizen/documents/{first}/content");
    let d = app.download(&path, &citizen.access, None).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.bytes, pdf());
    assert_eq!(d.header("content-type"), Some("application/pdf"));
    let disposition = d.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains(
            "filename*=UTF-8''%D0%9F%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82%20%D0%A0%D0%A4.pdf"
        ),
        "{disposition}"
    );
    let etag = format!("\"{sha}\"");
    assert_eq!(d.header("etag"), Some(etag.as_str()));
    let again = app.download(&path, &citizen.access, Some(&etag)).await;
    assert_eq!(again.status, 304);

    // Staff of the centre see it in the queue and read it.
    let q = app
        .get("/staff/documents?status=on_review", Some(&staff.access))
        .await
        .expect(200);
    assert_eq!(q.body["total"], 1);
    let d = app
        .download(
            &format!("/staff/documents/{first}/content"),
            &staff.access,
            None,
        )
        .await;
    assert_eq!(d.status, 200);
    assert_eq!(d.bytes, pdf());

    // A rejection needs a reason; then it stands.
    let review = format!("/staff/documents/{first}/review");
    let r = app
        .post(&review, Some(&staff.access), json!({"to": "rejected"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["reason"]);
    app.post(&review, Some(&staff.access), json!({"to": "on_review"}))
        .await
        .expect_problem(422, "validation_failed");
    let r = app
        .post(
            &review,
            Some(&staff.access),
            json!({"to": "rejected", "reason": "Скан нечитаемый"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "rejected");
    assert_eq!(r.body["reason"], "Скан нечитаемый");
    app.post(&review, Some(&staff.access), json!({"to": "accepted"}))
        .await
        .expect_problem(409, "already_reviewed");

    // The citizen is told.
    let n = app
        .get("/notifications", Some(&citizen.access))
        .await
        .expect(200);
    let titles: Vec<_> = n.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        titles.contains(&"Документ «Паспорт»: Отклонён".to_owned()),
        "{titles:?}"
    );

    // A replacement keeps the rejected one as history.
    let r = app
        .upload(
            "/citizen/documents",
            &citizen.access,
            vec![
                Part::Text("kind", "education"),
                Part::Text("replaces", &first),
                file_part("паспорт-2.jpg", jpeg()),
            ],
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["kind"]);
    let r = app
        .upload(
            "/citizen/documents",
            &citizen.access,
            vec![
                Part::Text("kind", "passport"),
                Part::Text("replaces", &first),
                file_part("паспорт-2.jpg", jpeg()),
            ],
        )
        .await
        .expect(201);
    let second = id_of(&r.body);
    assert_eq!(r.body["replaces_id"], first.as_str());
    assert_eq!(r.body["file"]["type"]["code"], "jpeg");
    app.upload(
        "/citizen/documents",
        &citizen.access,
        vec![
            Part::Text("kind", "passport"),
            Part::Text("replaces", &first),
            file_part("ещё.pdf", pdf()),
        ],
    )
    .await
    .expect_problem(409, "not_replaceable");
    app.upload(
        "/citizen/documents",
        &citizen.access,
        vec![
            Part::Text("kind", "passport"),
            Part::Text("replaces", &second),
            file_part("ещё.pdf", pdf()),
        ],
    )
    .await
    .expect_problem(409, "not_replaceable");

    let list = app
        .get("/citizen/documents", Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["id"], second.as_str());
    let all = app
        .get(
            "/citizen/documents?include_replaced=true",
            Some(&citizen.access),
        )
        .await
        .expect(200);
    assert_eq!(all.body["total"], 2);
    assert_eq!(all.body["items"][1]["replaced_by_id"], second.as_str());
    let r = app
        .post(
            &format!("/staff/documents/{second}/review"),
            Some(&staff.access),
            json!({"to": "accepted"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["status"]["code"], "accepted");
    assert!(r.body["reason"].is_null());
    assert_eq!(app.stored_objects().len(), 2);
}

#[tokio::test]
async fn another_persons_document_is_not_found() {
    let app = spawn_app().await;
    let owner = app.citizen("doc.private").await;
    let stranger = app.citizen("doc.stranger").await;
    let elsewhere = app.other_centre().await;
    let far_staff = app.staff_of("doc.far.staff", &elsewhere).await;
    let r = app
        .upload_document(&owner.access, "income_certificate", "справка.pdf", pdf())
        .await
        .expect(201);
    let id = id_of(&r.body);
    app.get(&format!("/citizen/documents/{id}"), Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    let d = app
        .download(
            &format!("/citizen/documents/{id}/content"),
            &stranger.access,
            None,
        )
        .await;
    assert_eq!(d.status, 404);
    let d = app
        .download(
            &format!("/staff/documents/{id}/content"),
            &far_staff.access,
            None,
        )
        .await;
    assert_eq!(d.status, 404);
    app.post(
        &format!("/staff/documents/{id}/review"),
        Some(&far_staff.access),
        json!({"to": "accepted"}),
    )
    .await
    .expect_problem(404, "not_found");
    let q = app
        .get("/staff/documents", Some(&far_staff.access))
        .await
        .expect(200);
    assert_eq!(q.body["total"], 0);
    // Nor may the citizen act as a reviewer, or a stranger replace it.
    app.post(
        &format!("/staff/documents/{id}/review"),
        Some(&owner.access),
        json!({"to": "accepted"}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.upload(
        "/citizen/documents",
        &stranger.access,
        vec![
            Part::Text("kind", "income_certificate"),
            Part::Text("replaces", &id),
            file_part("чужое.pdf", pdf()),
        ],
    )
    .await
    .expect_problem(404, "not_found");
    assert_eq!(
        app.stored_objects().len(),
        1,
        "the refused upload left nothing"
    );
}

#[tokio::test]
async fn refused_uploads_leave_nothing_behind() {
    let app = spawn_app().await;
    let citizen = app.citizen("doc.tester").await;
    let token = citizen.access.as_str();

    let r = app
        .upload_document(token, "other", "пусто.pdf", Vec::new())
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["code"], "empty");

    let mut big = pdf();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let r = app
        .upload_document(token, "other", "большой.pdf", big)
        .await
        .expect_problem(413, "file_too_large");
    assert_eq!(r.body["detail"], "Файл больше 5 МБ");

    let r = app
        .upload_document(token, "other", "программа.pdf", executable())
        .await
        .expect_problem(415, "unsupported_file_type");
    assert!(r.body["detail"]
        .as_str()
        .unwrap()
        .contains("PDF, JPG и PNG"));

    let truncated = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    let r = app
        .upload_document(token, "other", "обрыв.pdf", truncated)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["code"], "truncated");

    let r = app
        .upload_document(token, "no_such_kind", "скан.pdf", pdf())
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["kind"]);
    let r = app
        .upload(
            "/citizen/documents",
            token,
            vec![Part::Text("kind", "other")],
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["file"]);
    app.post("/citizen/documents", Some(token), json!({"kind": "other"}))
        .await
        .expect_problem(415, "unsupported_media_type");

    assert!(
        app.stored_objects().is_empty(),
        "{:?}",
        app.stored_objects()
    );
    let list = app.get("/citizen/documents", Some(token)).await.expect(200);
    assert_eq!(list.body["total"], 0);

    // A PNG named .pdf is what its content says.
    let r = app
        .upload_document(token, "other", "скан.pdf", png())
        .await
        .expect(201);
    assert_eq!(r.body["file"]["type"]["code"], "png");
    assert_eq!(r.body["file"]["name"], "скан.png");
    let d = app
        .download(
            &format!("/citizen/documents/{}/content", id_of(&r.body)),
            token,
            None,
        )
        .await;
    assert_eq!(d.header("content-type"), Some("image/png"));
    assert_eq!(app.stored_objects().len(), 1);
}

#[tokio::test]
async fn an_attachment_answers_a_clarification_request() {
    let app = spawn_app().await;
    let citizen = app.citizen("attach.owner").await;
    let stranger = app.citizen("attach.stranger").await;
    let staff = app.staff("attach.staff").await;
    let appeal = app
        .file_appeal(&citizen.access, "Прошу пересчитать пособие")
        .await;
    let id = appeal["id"].as_str().unwrap().to_owned();
    let attach = format!("/appeals/{id}/attachments");

    // Attaching while registered leaves the status alone.
    let r = app
        .upload(
            &attach,
            &citizen.access,
            vec![file_part("заявление.pdf", pdf())],
        )
        .await
        .expect(201);
    assert_eq!(r.body["appeal"]["status"]["code"], "registered");

    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    app.transition(
        &staff.access,
        &id,
        "clarification_required",
        Some("Приложите справку о доходах"),
    )
    .await
    .expect(200);
    let r = app
        .upload(
            &attach,
            &citizen.access,
            vec![file_part("справка о доходах.png", png())],
        )
        .await
        .expect(201);
    assert_eq!(r.body["appeal"]["status"]["code"], "in_progress");
    let content = r
        .header("location")
        .unwrap()
        .trim_start_matches("/api/v1")
        .to_owned();
    let history = app
        .get(&format!("/appeals/{id}/history"), Some(&citizen.access))
        .await
        .expect(200);
    let last = history.body.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"]["code"], "in_progress");
    assert_eq!(
        last["comment"],
        "Заявитель приложил файл «справка о доходах.png»"
    );

    // Staff of the centre read the files; strangers do not see them.
    let list = app.get(&attach, Some(&staff.access)).await.expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let d = app.download(&content, &staff.access, None).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.bytes, png());
    assert_eq!(d.header("content-type"), Some("image/png"));
    app.get(&attach, Some(&stranger.access))
        .await
        .expect_problem(404, "not_found");
    assert_eq!(
        app.download(&content, &stranger.access, None).await.status,
        404
    );
    app.upload(&attach, &stranger.access, vec![file_part("x.pdf", pdf())])
        .await
        .expect_problem(404, "not_found");
    app.upload(&attach, &staff.access, vec![file_part("x.pdf", pdf())])
        .await
        .expect_problem(403, "forbidden");

    // A closed appeal takes no more files.
    app.transition(&staff.access, &id, "completed", None)
        .await
        .expect(200);
    app.upload(
        &attach,
        &citizen.access,
        vec![file_part("поздно.pdf", pdf())],
    )
    .await
    .expect_problem(409, "appeal_closed");
    assert_eq!(app.stored_objects().len(), 2);
}
