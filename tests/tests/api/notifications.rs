use portal_tests::{smtp::SmtpSink, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn a_status_change_notifies_the_applicant() {
    let app = spawn_app().await;
    let citizen = app.citizen("notified").await;
    let other = app.citizen("bystander").await;
    let staff = app.staff("notifier").await;
    let appeal = app.file_appeal(&citizen.access, "Вопрос").await;
    let id = appeal["id"].as_str().unwrap();
    assert_eq!(
        app.get("/notifications", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0,
        "filing is not news"
    );
    app.transition(&staff.access, id, "clarification_required", None)
        .await
        .expect_problem(409, "invalid_transition");
    app.transition(&staff.access, id, "in_progress", None)
        .await
        .expect(200);

    let page = app
        .get("/notifications?status=new", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 1);
    let note = &page["items"][0];
    assert_eq!(
        note["category"],
        json!({"code": "application_status", "title": "Статус заявлений и обращений"})
    );
    assert_eq!(
        note["title"],
        format!(
            "Обращение № {}: В работе",
            appeal["number"].as_str().unwrap()
        )
    );
    assert_eq!(note["link"], format!("/api/v1/appeals/{id}"));
    assert_eq!(note["status"], "new");
    assert_eq!(
        app.get("/notifications", Some(&staff.access))
            .await
            .expect(200)
            .body["total"],
        0,
        "the mover is not told"
    );

    let note_id = note["id"].as_str().unwrap();
    app.post(
        &format!("/notifications/{note_id}/read"),
        Some(&other.access),
        json!({}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post(
        &format!("/notifications/{note_id}/read"),
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect(204);
    app.post(
        &format!("/notifications/{note_id}/read"),
        Some(&citizen.access),
        json!({}),
    )
    .await
    .expect(204);
    assert_eq!(
        app.get("/notifications?status=new", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
    let read = app
        .get("/notifications?status=read", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(read["items"][0]["status"], "read");
    app.get("/notifications?status=maybe", Some(&citizen.access))
        .await
        .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn subscriptions_decide_the_channels() {
    let app = spawn_app().await;
    let citizen = app.citizen("subscriber").await;
    let staff = app.staff("subs-staff").await;
    let matrix = app
        .get("/subscriptions", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    let cells = matrix.as_array().unwrap();
    assert_eq!(
        cells.len(),
        4 * 4,
        "four citizen categories × four channels"
    );
    for cell in cells {
        assert_eq!(cell["enabled"], cell["channel"] == "cabinet", "{cell}");
    }
    let r = app
        .send(
            app.client
                .put(app.url("/subscriptions"))
                .bearer_auth(&citizen.access)
                .json(&json!({"subscriptions": [
                    {"category": "application_status", "channel": "cabinet", "enabled": false},
                    {"category": "application_status", "channel": "email", "enabled": true}
                ]})),
        )
        .await
        .expect(200);
    let on = |body: &serde_json::Value, category: &str, channel: &str| {
        body.as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == category && c["channel"] == channel)
            .unwrap()["enabled"]
            .clone()
    };
    assert_eq!(on(&r.body, "application_status", "cabinet"), false);
    assert_eq!(on(&r.body, "application_status", "email"), true);
    assert_eq!(
        on(&r.body, "new_vacancies", "cabinet"),
        true,
        "others keep their state"
    );

    let refused = app
        .send(
            app.client
                .put(app.url("/subscriptions"))
                .bearer_auth(&citizen.access)
                .json(&json!({"subscriptions": [
                    {"category": "suitable_candidates", "channel": "cabinet", "enabled": true}
                ]})),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(refused.error_fields(), ["subscriptions[0].category"]);

    let id = app.file_appeal(&citizen.access, "Вопрос").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    assert_eq!(
        app.get("/notifications", Some(&citizen.access))
            .await
            .expect(200)
            .body["total"],
        0
    );
    let queued = app
        .with_db(|conn| persistence::outbox::to_recipient(conn, "subscriber@example.ru").unwrap())
        .await;
    assert_eq!(queued.len(), 1);
    assert!(
        queued[0].subject.contains("В работе"),
        "{}",
        queued[0].subject
    );
}

#[tokio::test]
async fn e_mail_reaches_an_smtp_server() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.mail_interval_ms = 100;
    })
    .await;
    let citizen = app.citizen("mailed").await;
    let staff = app.staff("mail-staff").await;
    app.send(
        app.client
            .put(app.url("/subscriptions"))
            .bearer_auth(&citizen.access)
            .json(&json!({"subscriptions": [
                {"category": "application_status", "channel": "email", "enabled": true}
            ]})),
    )
    .await
    .expect(200);
    let appeal = app.file_appeal(&citizen.access, "Вопрос").await;
    app.transition(
        &staff.access,
        appeal["id"].as_str().unwrap(),
        "rejected",
        Some("Не по адресу"),
    )
    .await
    .expect(200);
    let got = sink.wait_for(1, 10).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].recipients, ["mailed@example.ru"]);
    assert!(got[0].data.contains("Subject:"), "{}", got[0].data);
    // The sender marks the row after the SMTP server has answered, which may be a
    // moment after the sink has the message.
    let mut marked = false;
    for _ in 0..50 {
        let sent = app
            .with_db(|conn| persistence::outbox::to_recipient(conn, "mailed@example.ru").unwrap())
            .await;
        if sent[0].sent_at.is_some() {
            marked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(marked, "the outbox row is marked sent");
}

#[tokio::test]
async fn opening_an_appeal_marks_its_notifications_read() {
    let app = spawn_app().await;
    let citizen = app.citizen("opener").await;
    let staff = app.staff("opener.staff").await;
    let news = |token: String| {
        let app = &app;
        async move {
            app.get("/notifications?status=new", Some(&token))
                .await
                .expect(200)
                .body["total"]
                .clone()
        }
    };
    let first = app.file_appeal(&citizen.access, "Первое").await;
    let second = app.file_appeal(&citizen.access, "Второе").await;
    let (first, second) = (
        first["id"].as_str().unwrap().to_owned(),
        second["id"].as_str().unwrap().to_owned(),
    );
    for id in [&first, &second] {
        app.transition(&staff.access, id, "in_progress", None)
            .await
            .expect(200);
    }
    assert_eq!(news(citizen.access.clone()).await, 2);

    // Someone else looking at it (the centre's staff) reads nothing of the applicant's.
    app.get(&format!("/appeals/{first}"), Some(&staff.access))
        .await
        .expect(200);
    assert_eq!(news(citizen.access.clone()).await, 2);

    let opened = app
        .get(&format!("/appeals/{first}"), Some(&citizen.access))
        .await
        .expect(200);
    assert_eq!(opened.body["unread"], false);
    let left = app
        .get("/notifications?status=new", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(left["total"], 1, "only the opened appeal's news is read");
    assert_eq!(
        left["items"][0]["link"],
        format!("/api/v1/appeals/{second}")
    );
    let read = app
        .get("/notifications?status=read", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(read["items"][0]["link"], format!("/api/v1/appeals/{first}"));
}
