//! The live event stream (`GET /events`) and its tickets, on one server: the caller's
//! new notifications arrive as they are written, `Last-Event-ID` resumes from the
//! database, a ticket opens one stream once, and the stream ends with the session.
//! Across processes: `background/feed.rs`.

use std::time::Duration;

use portal_tests::events::{self, EventStream, Open};
use portal_tests::{spawn_app, spawn_app_with, Session, TestApp};
use serde_json::json;

const SOON: Duration = Duration::from_secs(5);

fn base(app: &TestApp) -> String {
    app.url("")
}

async fn open(app: &TestApp, token: &str, last_event_id: Option<&str>) -> EventStream {
    events::open(
        &base(app),
        Open {
            token: Some(token),
            last_event_id,
            ..Open::default()
        },
    )
    .await
    .expect("the stream opens")
}

/// Files an appeal for `citizen` and moves it, which notifies them; returns the
/// appeal's id.
async fn notify(app: &TestApp, citizen: &Session, staff: &Session, text: &str) -> String {
    let appeal = app.file_appeal(&citizen.access, text).await;
    let id = appeal["id"].as_str().unwrap().to_owned();
    app.transition(&staff.access, &id, "in_progress", None)
        .await
        .expect(200);
    id
}

#[tokio::test]
async fn a_new_notification_arrives_on_the_open_stream_and_others_do_not() {
    let app = spawn_app().await;
    let citizen = app.citizen("streamed").await;
    let other = app.citizen("unstreamed").await;
    let staff = app.staff("mover").await;
    let mut stream = open(&app, &citizen.access, None).await;
    let ready = stream.next(SOON).await.expect("ready");
    assert_eq!(ready.event, "ready");
    assert_eq!(ready.id.as_deref(), Some("0"));
    assert_eq!(ready.data, json!({"cursor": 0}));

    notify(&app, &other, &staff, "Не мне").await;
    let appeal = notify(&app, &citizen, &staff, "Мне").await;
    let event = stream.next(SOON).await.expect("the notification");
    assert_eq!(event.event, "notification");
    assert_eq!(event.id.as_deref(), Some("1"));
    assert_eq!(event.data["link"], format!("/api/v1/appeals/{appeal}"));
    assert_eq!(event.data["category"]["code"], "application_status");
    assert_eq!(event.data["status"], "new");
    // What the list shows is what the stream sent.
    let listed = app
        .get("/notifications", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(listed["items"][0]["id"], event.data["id"]);
    assert_eq!(stream.next(Duration::from_millis(700)).await, None);
    assert!(stream.comments > 0, "heartbeats keep the stream open");
}

#[tokio::test]
async fn last_event_id_replays_what_was_missed_in_order() {
    let app = spawn_app().await;
    let citizen = app.citizen("resumer").await;
    let staff = app.staff("resume.mover").await;
    notify(&app, &citizen, &staff, "Первое").await;
    let mut stream = open(&app, &citizen.access, Some("0")).await;
    assert_eq!(stream.next(SOON).await.unwrap().event, "ready");
    let first = stream.next(SOON).await.expect("replayed");
    assert_eq!(first.id.as_deref(), Some("1"));
    drop(stream);

    for text in ["Второе", "Третье"] {
        notify(&app, &citizen, &staff, text).await;
    }
    let mut resumed = open(&app, &citizen.access, Some("1")).await;
    let ready = resumed.next(SOON).await.unwrap();
    assert_eq!(ready.data, json!({"cursor": 1}));
    let ids: Vec<String> = [
        resumed.next(SOON).await.unwrap(),
        resumed.next(SOON).await.unwrap(),
    ]
    .into_iter()
    .map(|e| e.id.unwrap())
    .collect();
    assert_eq!(ids, ["2", "3"]);

    // Without a cursor a stream starts at the latest: nothing is replayed.
    let mut fresh = open(&app, &citizen.access, None).await;
    assert_eq!(fresh.next(SOON).await.unwrap().data, json!({"cursor": 3}));
    assert_eq!(fresh.next(Duration::from_millis(500)).await, None);

    // The query parameter does what the header does; a malformed cursor is refused.
    let url = base(&app);
    let resp = reqwest::Client::new()
        .get(format!("{url}/events?last_event_id=-1"))
        .bearer_auth(&citizen.access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let refused = events::open(
        &url,
        Open {
            token: Some(&citizen.access),
            last_event_id: Some("soon"),
            ..Open::default()
        },
    )
    .await
    .err()
    .expect("refused");
    assert_eq!(refused.0, 422);
}

#[tokio::test]
async fn a_ticket_opens_its_owners_stream_once_and_never_after_it_expires() {
    let app = spawn_app().await;
    let citizen = app.citizen("ticketed").await;
    let other = app.citizen("ticket.other").await;
    let staff = app.staff("ticket.mover").await;
    let url = base(&app);
    app.post("/events/ticket", None, json!({}))
        .await
        .expect_problem(401, "token_invalid");
    let issued = app
        .post("/events/ticket", Some(&citizen.access), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(issued["expires_in"], 60);
    let ticket = issued["ticket"].as_str().unwrap().to_owned();
    let by_ticket = |ticket: &str| {
        let (url, ticket) = (url.clone(), ticket.to_owned());
        async move {
            events::open(
                &url,
                Open {
                    ticket: Some(&ticket),
                    ..Open::default()
                },
            )
            .await
        }
    };

    let mut stream = by_ticket(&ticket).await.expect("the ticket opens a stream");
    assert_eq!(stream.next(SOON).await.unwrap().event, "ready");
    notify(&app, &other, &staff, "Чужое").await;
    notify(&app, &citizen, &staff, "Своё").await;
    let event = stream.next(SOON).await.expect("the owner's notification");
    assert_eq!(event.id.as_deref(), Some("1"));
    let mine = app
        .get("/notifications", Some(&citizen.access))
        .await
        .expect(200)
        .body;
    assert_eq!(
        event.data["id"], mine["items"][0]["id"],
        "the ticket's owner's"
    );

    let (status, problem) = by_ticket(&ticket).await.err().expect("used once");
    assert_eq!(
        (status, problem["code"].as_str()),
        (401, Some("ticket_invalid"))
    );
    let (status, _) = by_ticket("made-up").await.err().expect("unknown");
    assert_eq!(status, 401);
    let (status, _) = events::open(&url, Open::default())
        .await
        .err()
        .expect("no credentials");
    assert_eq!(status, 401);

    let stale = app
        .post("/events/ticket", Some(&citizen.access), json!({}))
        .await
        .expect(200)
        .body["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    app.with_db(|conn| {
        use diesel::{ExpressionMethods, RunQueryDsl};
        diesel::update(persistence::schema::stream_tickets::table)
            .set(
                persistence::schema::stream_tickets::expires_at
                    .eq(chrono::Utc::now().naive_utc() - chrono::TimeDelta::seconds(1)),
            )
            .execute(conn)
            .unwrap();
    })
    .await;
    let (status, problem) = by_ticket(&stale).await.err().expect("expired");
    assert_eq!(
        (status, problem["code"].as_str()),
        (401, Some("ticket_invalid"))
    );

    // A ticket of a session that ended opens nothing.
    let late = app
        .post("/events/ticket", Some(&citizen.access), json!({}))
        .await
        .expect(200)
        .body["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/auth/logout", Some(&citizen.access), json!({}))
        .await
        .expect(204);
    let (status, _) = by_ticket(&late).await.err().expect("the session ended");
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_stream_ends_when_its_session_ends_or_the_account_is_blocked() {
    let app = spawn_app().await;
    let citizen = app.citizen("signing.out").await;
    let mut stream = open(&app, &citizen.access, None).await;
    assert_eq!(stream.next(SOON).await.unwrap().event, "ready");
    app.post("/auth/logout", Some(&citizen.access), json!({}))
        .await
        .expect(204);
    let end = stream.next_named("end", SOON).await.expect("an end event");
    assert_eq!(end.data, json!({"reason": "session_ended"}));
    assert!(stream.closes_within(SOON).await, "and the stream closes");
    let (status, _) = events::open(
        &base(&app),
        Open {
            token: Some(&citizen.access),
            ..Open::default()
        },
    )
    .await
    .err()
    .expect("a reconnection is refused");
    assert_eq!(status, 401);

    let (admin, _) = app.organization("1027700132195", "7707083893").await;
    let (contact, member) = app.member(&admin, "streaming.member").await;
    let mut stream = open(&app, &member.access, None).await;
    assert_eq!(stream.next(SOON).await.unwrap().event, "ready");
    app.post(
        &format!("/employer/contacts/{contact}/block"),
        Some(&admin.access),
        json!({}),
    )
    .await
    .expect(200);
    let end = stream.next_named("end", SOON).await.expect("an end event");
    assert_eq!(end.data, json!({"reason": "account_blocked"}));
    assert!(stream.closes_within(SOON).await);
}

/// A stream lives as its session does: while any tab of the client refreshes the
/// session, past the time it would have ended idle; once nobody refreshes it, it ends
/// at the inactivity timeout (seed 002), not at the session's absolute end.
#[tokio::test]
async fn the_stream_ends_when_its_session_goes_unrefreshed() {
    let app = spawn_app_with(|s| s.session_idle_timeout = 3).await;
    let citizen = app.citizen("idle.stream").await;
    let mut stream = open(&app, &citizen.access, None).await;
    assert_eq!(stream.next(SOON).await.unwrap().event, "ready");
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": citizen.refresh}),
    )
    .await
    .expect(200);
    assert!(
        stream
            .next_named("end", Duration::from_millis(2_500))
            .await
            .is_none(),
        "refreshed at 1 s, the session and its stream outlive the first 3 s"
    );
    let end = stream
        .next_named("end", Duration::from_secs(4))
        .await
        .expect("unrefreshed for 3 s, the session ends and so does its stream");
    assert_eq!(end.data, json!({"reason": "session_expired"}));
    assert!(stream.closes_within(SOON).await);
}
