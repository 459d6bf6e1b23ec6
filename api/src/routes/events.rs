//! The live event stream (issue 17): `GET /events` as Server-Sent Events of the
//! caller's own notifications, and `POST /events/ticket` for clients that cannot send
//! `Authorization` (a browser's `EventSource`).
//!
//! A stream is a task per connection. It subscribes to the change feed before its
//! first read, reads the notifications after its cursor from the database, and then
//! waits: a feed change naming the caller's notifications makes it read again; one
//! naming their session, account or organisation (a sign-out, a block, an admin
//! action), or a feed that may have missed changes, makes it check the session in the
//! database, and the stream ends with an `end` event once the session is over — also
//! when its client stops refreshing it (the inactivity timeout): at the time the
//! session would end the stream asks the database again, and goes on only if a
//! refresh moved that time on. On
//! PostgreSQL the feed brings every process's writes, so a notification written
//! through any process reaches a stream open on any other. The cursor (each event's
//! `id`) is the notification's number among the caller's (`persistence::event_stream`),
//! so `Last-Event-ID` resumes through any process exactly where a stream stopped.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::http::header::{self, ContentEncoding};
use actix_web::web::Bytes;
use actix_web::{get, post, web, FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use domain::actor::Actor;
use domain::change::Change;
use persistence::accounts::{self, AuthError};
use persistence::event_stream;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::{refresh, Bearer};
use crate::extract::ValidQuery;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::notifications::NotificationView;
use crate::state::{now, AppState};
use crate::views::utc;

/// Notifications read from the database at a time.
const BATCH: i64 = 100;

/// Frames a stream may have waiting for a slow client before it waits too.
const QUEUED_FRAMES: usize = 16;

/// How long a client waits before reconnecting (the `retry` field).
const RETRY_MS: u64 = 2_000;

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// A stream ticket from `POST /api/v1/events/ticket`, for a client that cannot send
    /// `Authorization` (a browser's `EventSource`). Used once.
    #[param(example = "Qm9vbXMtYW5kLWJlYXJzLWFuZC1iZWVzLWFuZC1iZWV0cw")]
    #[validate(length(min = 1, max = 200, message = "Билет — от 1 до 200 символов"))]
    pub ticket: Option<String>,
    /// Resume after this event `id`, as the `Last-Event-ID` header does (the header
    /// wins when both are sent): the notifications after it are sent first.
    #[param(minimum = 0, example = 41)]
    #[validate(range(min = 0, message = "Номер события — не меньше 0"))]
    pub last_event_id: Option<i64>,
}

/// A stream ticket.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "ticket": "Qm9vbXMtYW5kLWJlYXJzLWFuZC1iZWVzLWFuZC1iZWV0cw",
    "expires_at": "2026-12-17T10:01:00Z",
    "expires_in": 60
}))]
pub struct TicketView {
    /// Pass as `?ticket=` to `GET /api/v1/events`, once.
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
    /// Seconds it stays valid.
    pub expires_in: u64,
}

/// The data of the `ready` event: where the stream starts.
#[derive(Debug, Serialize)]
struct Ready {
    cursor: i64,
}

/// The data of the `end` event: why the stream ended.
#[derive(Debug, Serialize)]
struct End {
    reason: &'static str,
}

/// One event of the stream as its lines frame it (`id:`, `event:`, `data:`, and `retry:`
/// once at the start); comment lines (`: heartbeat`) carry no event.
#[derive(ToSchema)]
#[allow(dead_code)] // Only describes the frames in the document.
pub struct StreamEvent {
    /// The cursor to resume after (`Last-Event-ID`).
    #[schema(example = "42")]
    id: Option<String>,
    /// `ready`, `notification` or `end`.
    #[schema(example = "notification")]
    event: Option<String>,
    /// One line of JSON: `{"cursor": n}`, a `NotificationView` or `{"reason": …}`.
    #[schema(example = "{\"cursor\":41}")]
    data: Option<String>,
    /// How long a browser waits before it reconnects, in milliseconds.
    #[schema(example = 2000)]
    retry: Option<u64>,
}

/// A live stream of my events
#[utoipa::path(
    tag = "notifications",
    operation_id = "stream_events",
    description = "Server-Sent Events (`text/event-stream`) of the caller's own events as they happen: each new \
        notification (an appeal's status moved, an interview invitation, a document reviewed, news …), \
        written through any server process. These are the notifications of the cabinet: a category the \
        caller has turned the cabinet channel off for (`PUT /api/v1/subscriptions`) brings \
        no events; its lists still show the change (poll them with `updated_since`).\n\n\
        Events:\n\
        - `ready` first, with `id` the stream's cursor and data `{\"cursor\": n}`;\n\
        - `notification`, with `id` the notification's number among the caller's (1, 2, 3 …) and data \
        the notification as `GET /api/v1/notifications` lists it (`NotificationView`);\n\
        - `end`, with data `{\"reason\": …}` (`session_ended`, `account_blocked`, `session_expired`, \
        `unavailable`), after which the server closes the stream. A client that reconnects after \
        `session_ended` or `account_blocked` is refused (401 or 403).\n\n\
        A comment line (`: heartbeat`) is sent every 15 s of silence so that proxies keep the stream \
        open. To resume, send the last `id` seen as `Last-Event-ID` (browsers do so by themselves when \
        they reconnect) or as `last_event_id`: the notifications after it are sent first, from the \
        database, so nothing is missed whichever process the client reaches. Without either, the \
        stream starts at the latest notification.\n\n\
        Authenticate with a bearer token, or (a browser's `EventSource` cannot send headers) with a \
        single-use `ticket` from `POST /api/v1/events/ticket`; a ticket unknown, used or expired is \
        401 `ticket_invalid`. The stream ends when the session ends (sign-out, expiry) or the account \
        is blocked; `session_expired` also when the session goes unrefreshed past the inactivity \
        timeout (`POST /api/v1/auth/refresh` from any of the client's tabs keeps it, and its \
        stream, going).",
    params(
        StreamQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "The `id` of the last event received: resume after it."),
    ),
    responses(
        (status = 200, description = "The stream. Each event is `id`, `event` and one `data` line of JSON, then an empty line.",
            content_type = "text/event-stream", body = StreamEvent,
            example = json!("retry: 2000\nid: 41\nevent: ready\ndata: {\"cursor\":41}\n\nid: 42\nevent: notification\ndata: {\"id\":\"01935f60-bbbb-7000-8000-000000000001\",\"category\":{\"code\":\"application_status\",\"title\":\"Статус заявлений и обращений\"},\"title\":\"Обращение № 22800019/26СЗН: В работе\",\"body\":\"Постановка на учёт\",\"link\":\"/api/v1/appeals/01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b\",\"status\":\"new\",\"created_at\":\"2026-11-24T10:00:00Z\",\"read_at\":null,\"updated_at\":\"2026-11-24T10:00:00Z\"}\n\n: heartbeat\n\n")),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TicketInvalid]))),
    security(("bearer" = []), ("ticket" = [])),
)]
#[get("/events")]
pub async fn stream(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ValidQuery<StreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let resume = last_event_id(&req)?.or(query.last_event_id);
    let (user_id, session_id) = if req.headers().contains_key(header::AUTHORIZATION) {
        let bearer = Bearer::extract(&req).await?;
        (bearer.user_id, bearer.session_id)
    } else if let Some(presented) = query.ticket {
        let digest = refresh::digest(&presented);
        state
            .run(move |conn| event_stream::redeem_ticket(conn, &digest, now()))
            .await?
            .ok_or_else(ticket_invalid)?
    } else {
        return Err(ApiError::token_invalid(
            "Send a bearer token or a stream ticket",
        ));
    };
    let (actor, latest, until) = state
        .run(move |conn| {
            let at = now();
            let actor = accounts::actor(conn, &user_id, &session_id, at)?;
            let latest = event_stream::latest(conn, &actor.user_id)?;
            let until = accounts::active_until(conn, &session_id, at)?;
            Ok::<_, ApiError>((actor, latest, until))
        })
        .await?;
    let Some(until) = until else {
        return Err(AuthError::SessionEnded.into());
    };
    // Subscribed before the first read: a notification committed in between is
    // both read and announced, never neither.
    let changes = state.feed.subscribe();
    let (frames, queue) = mpsc::channel(QUEUED_FRAMES);
    let stream = Stream {
        state: state.clone(),
        actor,
        cursor: resume.unwrap_or(latest),
        until,
        frames,
    };
    actix_web::rt::spawn(stream.run(changes));
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
        // Sent as written: compression would hold events back to fill its blocks.
        .insert_header(ContentEncoding::Identity)
        // Nginx buffers responses unless told not to.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(Frames(queue)))
}

/// A stream ticket
#[utoipa::path(
    tag = "notifications",
    operation_id = "create_event_ticket",
    description = "A short-lived, single-use ticket that opens `GET /api/v1/events?ticket=…` for the caller's \
        session, for a client that cannot send `Authorization` (a browser's `EventSource`). It is \
        valid for `expires_in` seconds (60 by default) and accepted once, by whichever server process \
        the stream reaches; the stream it opens ends with the session.",
    responses(
        (status = 200, description = "The ticket", body = TicketView),
    ),
    security(("bearer" = [])),
)]
#[post("/events/ticket")]
pub async fn issue_ticket(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<TicketView>, ApiError> {
    let ticket = refresh::generate();
    let digest = refresh::digest(&ticket);
    let seconds = state.events.ticket_seconds.max(1);
    let issued = now();
    let expires_at = issued + TimeDelta::seconds(i64::try_from(seconds).unwrap_or(60));
    state
        .as_actor(&bearer, move |conn, actor| {
            event_stream::issue_ticket(
                conn,
                &digest,
                &actor.user_id,
                &actor.session_id,
                expires_at,
                issued,
            )
        })
        .await?;
    Ok(web::Json(TicketView {
        ticket,
        expires_at: utc(expires_at),
        expires_in: seconds,
    }))
}

fn ticket_invalid() -> ApiError {
    ApiError::Unauthorized {
        code: ProblemCode::TicketInvalid,
        detail: "The stream ticket is unknown, used or expired",
    }
}

/// The `Last-Event-ID` header as a cursor; a malformed one is refused.
fn last_event_id(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get("Last-Event-ID") else {
        return Ok(None);
    };
    let refused = || {
        ApiError::field(
            "Last-Event-ID",
            "invalid",
            "Номер события — целое число не меньше 0",
        )
    };
    let text = value.to_str().map_err(|_| refused())?.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(Some(n)),
        _ => Err(refused()),
    }
}

/// One open stream.
struct Stream {
    state: web::Data<AppState>,
    actor: Actor,
    /// The number of the last notification sent.
    cursor: i64,
    /// When the session ends unless its client refreshes it meanwhile
    /// (`accounts::active_until`): the stream asks again then.
    until: NaiveDateTime,
    frames: mpsc::Sender<Bytes>,
}

/// What a stream must do before it waits again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Wake {
    read: bool,
    check: bool,
}

impl Stream {
    async fn run(mut self, mut changes: broadcast::Receiver<Arc<[Change]>>) {
        let beat = Duration::from_millis(self.state.events.heartbeat_ms.max(10));
        let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + beat, beat);
        let ready = frame(
            Some(self.cursor),
            "ready",
            &Ready {
                cursor: self.cursor,
            },
        );
        if !self.send(ready).await {
            return;
        }
        let mut wake = Wake {
            read: true,
            check: false,
        };
        loop {
            if wake.check {
                if let Err(reason) = self.session_goes_on().await {
                    let _ = self.send(frame(None, "end", &End { reason })).await;
                    return;
                }
            }
            if wake.read && !self.send_new().await {
                return;
            }
            let expiry = (self.until - now()).to_std().unwrap_or(Duration::ZERO);
            wake = tokio::select! {
                received = changes.recv() => match received {
                    Ok(batch) => wake_for(&self.actor, &batch),
                    Err(broadcast::error::RecvError::Lagged(_)) => Wake { read: true, check: true },
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = heartbeat.tick() => {
                    if !self.send(Bytes::from_static(b": heartbeat\n\n")).await {
                        return;
                    }
                    Wake::default()
                }
                _ = tokio::time::sleep(expiry) => match self.still_active().await {
                    Ok(()) => Wake::default(),
                    Err(reason) => {
                        let _ = self.send(frame(None, "end", &End { reason })).await;
                        return;
                    }
                },
                _ = self.frames.closed() => return,
            };
        }
    }

    /// Sends the notifications after the cursor; false once the client is gone or the
    /// database failed (the stream then ends; the client resumes).
    async fn send_new(&mut self) -> bool {
        loop {
            let (user_id, after) = (self.actor.user_id.clone(), self.cursor);
            let batch = self
                .state
                .read(move |conn| event_stream::since(conn, &user_id, after, BATCH))
                .await;
            let Ok(batch) = batch else {
                let end = End {
                    reason: "unavailable",
                };
                let _ = self.send(frame(None, "end", &end)).await;
                return false;
            };
            let full = batch.len() as i64 == BATCH;
            for notification in batch {
                let seq = notification.seq;
                let view = NotificationView::from(notification);
                if !self.send(frame(Some(seq), "notification", &view)).await {
                    return false;
                }
                self.cursor = seq;
            }
            if !full {
                return true;
            }
        }
    }

    /// Whether the session is still open and the account not blocked, asked of the
    /// database: the reason to end the stream if not.
    async fn session_goes_on(&self) -> Result<(), &'static str> {
        let (user_id, session_id) = (self.actor.user_id.clone(), self.actor.session_id.clone());
        let checked = self
            .state
            .run(move |conn| Ok::<_, ApiError>(accounts::actor(conn, &user_id, &session_id, now())))
            .await;
        match checked {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(AuthError::Blocked { .. })) => Err("account_blocked"),
            Ok(Err(AuthError::Store(_))) | Err(_) => Err("unavailable"),
            Ok(Err(_)) => Err("session_ended"),
        }
    }

    /// At the time the session was to end: whether its client refreshed it meanwhile
    /// (the new end is kept), or the reason to end the stream.
    async fn still_active(&mut self) -> Result<(), &'static str> {
        let session_id = self.actor.session_id.clone();
        let until = self
            .state
            .run(move |conn| Ok::<_, ApiError>(accounts::active_until(conn, &session_id, now())?))
            .await;
        match until {
            Ok(Some(until)) => {
                self.until = until;
                Ok(())
            }
            Ok(None) => Err("session_expired"),
            Err(_) => Err("unavailable"),
        }
    }

    async fn send(&self, frame: Bytes) -> bool {
        self.frames.send(frame).await.is_ok()
    }
}

/// What a batch of changes asks of the stream of `actor`.
fn wake_for(actor: &Actor, changes: &[Change]) -> Wake {
    let mut wake = Wake::default();
    for change in changes {
        match change {
            Change::Notifications(user) if *user == actor.user_id => wake.read = true,
            Change::Session(session) if *session == actor.session_id => wake.check = true,
            Change::Account(user) if *user == actor.user_id => wake.check = true,
            Change::Organization(org) if actor.organization_id.as_ref() == Some(org) => {
                wake.check = true
            }
            Change::Everything => {
                wake.read = true;
                wake.check = true;
            }
            _ => {}
        }
    }
    wake
}

/// One event: its `id` (if any), its name and its data as one line of JSON.
fn frame(id: Option<i64>, event: &str, data: &impl Serialize) -> Bytes {
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_owned());
    let mut text = String::with_capacity(data.len() + 48);
    if event == "ready" {
        text.push_str(&format!("retry: {RETRY_MS}\n"));
    }
    if let Some(id) = id {
        text.push_str(&format!("id: {id}\n"));
    }
    text.push_str(&format!("event: {event}\ndata: {data}\n\n"));
    Bytes::from(text)
}

/// The frames of a stream as a response body; it ends when the stream's task drops
/// its sender, and the task sees the client go when actix drops this.
struct Frames(mpsc::Receiver<Bytes>);

impl futures_util::Stream for Frames {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|frame| frame.map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::role::Role;

    fn actor() -> Actor {
        Actor {
            user_id: "u1".into(),
            session_id: "s1".into(),
            role: Role::Employer,
            centre_id: None,
            organization_id: Some("o1".into()),
            is_admin: false,
            auth_method: "password".into(),
            session_expires_at: chrono::NaiveDateTime::MAX,
        }
    }

    #[test]
    fn a_frame_is_one_event_with_its_id_and_one_data_line() {
        let text = frame(Some(7), "notification", &End { reason: "x\ny" });
        assert_eq!(
            text,
            "id: 7\nevent: notification\ndata: {\"reason\":\"x\\ny\"}\n\n"
        );
        let ready = frame(Some(0), "ready", &Ready { cursor: 0 });
        assert_eq!(
            ready,
            "retry: 2000\nid: 0\nevent: ready\ndata: {\"cursor\":0}\n\n"
        );
        assert_eq!(
            frame(
                None,
                "end",
                &End {
                    reason: "session_ended"
                }
            ),
            "event: end\ndata: {\"reason\":\"session_ended\"}\n\n"
        );
    }

    #[test]
    fn a_stream_wakes_only_for_its_own_changes() {
        let me = actor();
        let read = Wake {
            read: true,
            check: false,
        };
        let check = Wake {
            read: false,
            check: true,
        };
        let cases = [
            (Change::Notifications("u1".into()), read),
            (Change::Notifications("u2".into()), Wake::default()),
            (Change::Session("s1".into()), check),
            (Change::Session("s2".into()), Wake::default()),
            (Change::Account("u1".into()), check),
            (Change::Account("u2".into()), Wake::default()),
            (Change::Organization("o1".into()), check),
            (Change::Organization("o2".into()), Wake::default()),
            (Change::Vacancies("78".into()), Wake::default()),
            (
                Change::Everything,
                Wake {
                    read: true,
                    check: true,
                },
            ),
        ];
        for (change, expected) in cases {
            assert_eq!(
                wake_for(&me, std::slice::from_ref(&change)),
                expected,
                "{change:?}"
            );
        }
        let both = [
            Change::Notifications("u1".into()),
            Change::Session("s1".into()),
        ];
        assert_eq!(
            wake_for(&me, &both),
            Wake {
                read: true,
                check: true
            }
        );
    }
}
