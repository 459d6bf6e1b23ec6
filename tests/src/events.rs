//! A client of the live event stream (`GET /api/v1/events`, Server-Sent Events), as a
//! browser's `EventSource` reads it: events split at blank lines, comments (the
//! heartbeats) counted apart.

use std::time::Duration;

/// One event of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: Option<String>,
    pub event: String,
    pub data: serde_json::Value,
}

/// An open stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    /// Comment lines (heartbeats) seen so far.
    pub comments: usize,
    /// Whether the server has closed the stream.
    pub ended: bool,
}

/// How a stream is opened.
#[derive(Default)]
pub struct Open<'a> {
    pub token: Option<&'a str>,
    pub ticket: Option<&'a str>,
    pub last_event_id: Option<&'a str>,
}

/// Opens `{base}/events`; returns the stream, or the status and body of a refusal.
pub async fn open(base: &str, how: Open<'_>) -> Result<EventStream, (u16, serde_json::Value)> {
    let mut url = format!("{base}/events");
    if let Some(ticket) = how.ticket {
        url.push_str(&format!("?ticket={ticket}"));
    }
    let mut request = reqwest::Client::new()
        .get(url)
        .header("Accept", "text/event-stream");
    if let Some(token) = how.token {
        request = request.bearer_auth(token);
    }
    if let Some(id) = how.last_event_id {
        request = request.header("Last-Event-ID", id);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    if status != 200 {
        return Err((status, response.json().await.unwrap_or_default()));
    }
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    Ok(EventStream {
        response,
        buffer: String::new(),
        comments: 0,
        ended: false,
    })
}

impl EventStream {
    /// The next event within `within`, or `None` if none came (or the stream ended:
    /// see [`EventStream::ended`]).
    pub async fn next(&mut self, within: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(event) = self.take_event() {
                return Some(event);
            }
            if self.ended {
                return None;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Err(_) => return None,
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) | Ok(Err(_)) => self.ended = true,
            }
        }
    }

    /// The next event named `name`, skipping others, within `within`.
    pub async fn next_named(&mut self, name: &str, within: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let event = self.next(left).await?;
            if event.event == name {
                return Some(event);
            }
        }
    }

    /// Waits until the server closes the stream; true if it did within `within`.
    pub async fn closes_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while !self.ended {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            self.next(left).await;
        }
        true
    }

    fn take_event(&mut self) -> Option<Event> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut event = Event {
                id: None,
                event: "message".into(),
                data: serde_json::Value::Null,
            };
            let mut data = String::new();
            let mut fields = 0;
            for line in block.lines() {
                if line.starts_with(':') {
                    self.comments += 1;
                    continue;
                }
                let (field, value) = line.split_once(": ").unwrap_or((line, ""));
                fields += 1;
                match field {
                    "id" => event.id = Some(value.to_owned()),
                    "event" => event.event = value.to_owned(),
                    "data" => data.push_str(value),
                    _ => {}
                }
            }
            if fields == 0 || data.is_empty() {
                continue;
            }
            event.data = serde_json::from_str(&data).expect("each event's data is JSON");
            return Some(event);
        }
    }
}
