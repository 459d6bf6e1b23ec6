//! The webhook outbox: deliveries queued in the transaction of the change they report
//! ([`enqueue`]), claimed for a lease by a sender ([`claim`], as `crate::outbox::claim`
//! does for mail), and recorded as delivered or failed; a failure backs off by
//! `domain::webhook::backoff`, and the last allowed one sets `dead_at`.

use chrono::{NaiveDateTime, SecondsFormat};
use diesel::prelude::*;
use domain::backoff::{Backoff, Retry};
use domain::webhook::EventData;
use domain::Coded;

use crate::outbox::LEASE;
use crate::schema::{webhook_deliveries as deliveries, webhook_subscriptions as subs};
use crate::{db, new_id, DbConnection, StoreError};

/// Queues an event of `organization_id` for every active subscription of the
/// organisation that asked for its type; call inside the transaction of the change it
/// reports. The body is fixed here: every attempt sends the same bytes, with the same
/// event id. Returns how many deliveries were queued.
pub fn enqueue(
    conn: &mut DbConnection,
    organization_id: &str,
    data: &EventData,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let event_type = data.event_type().code();
    let subscribed: Vec<(String, String)> = subs::table
        .filter(subs::organization_id.eq(organization_id))
        .filter(subs::active.eq(true))
        .select((subs::id, subs::events))
        .load(conn)?;
    let targets: Vec<String> = subscribed
        .into_iter()
        .filter(|(_, events)| events.split(',').any(|e| e == event_type))
        .map(|(id, _)| id)
        .collect();
    if targets.is_empty() {
        return Ok(0);
    }
    let event_id = uuid::Uuid::new_v4().to_string();
    let body = serde_json::json!({
        "id": event_id,
        "type": event_type,
        "occurred_at": now.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true),
        "organization_id": organization_id,
        "data": data,
    })
    .to_string();
    for subscription in &targets {
        diesel::insert_into(deliveries::table)
            .values((
                deliveries::id.eq(new_id()),
                deliveries::subscription_id.eq(subscription),
                deliveries::event_id.eq(&event_id),
                deliveries::event_type.eq(event_type),
                deliveries::body.eq(&body),
                deliveries::created_at.eq(now),
                deliveries::next_attempt_at.eq(now),
                deliveries::attempts.eq(0),
            ))
            .execute(conn)?;
    }
    Ok(targets.len())
}

/// A delivery its sender holds until [`LEASE`] runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: String,
    pub event_id: String,
    pub body: String,
    /// Attempts made before this one.
    pub attempts: i32,
    pub url: String,
    pub secret: String,
}

/// Claims up to `limit` deliveries whose time has come, oldest first, for [`LEASE`]:
/// until it passes no other sender gets them. Deliveries of a paused subscription
/// wait. PostgreSQL locks the rows with `SKIP LOCKED`, so senders claiming at once
/// take different deliveries; SQLite's write lock, taken up front, serialises them.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Claimed>, StoreError> {
    // Mostly nothing is due: a read says so without taking SQLite's write lock.
    let any_due: bool = diesel::select(diesel::dsl::exists(
        deliveries::table
            .filter(deliveries::delivered_at.is_null())
            .filter(deliveries::dead_at.is_null())
            .filter(deliveries::next_attempt_at.le(now)),
    ))
    .get_result(conn)?;
    if !any_due {
        return Ok(Vec::new());
    }
    db::write(conn, |conn| {
        // A macro, not a closure: the selection is typed by the backend it runs on.
        macro_rules! due {
            () => {
                deliveries::table
                    .filter(deliveries::delivered_at.is_null())
                    .filter(deliveries::dead_at.is_null())
                    .filter(deliveries::next_attempt_at.le(now))
                    .filter(
                        deliveries::claimed_until
                            .is_null()
                            .or(deliveries::claimed_until.assume_not_null().le(now)),
                    )
                    .filter(
                        deliveries::subscription_id
                            .eq_any(subs::table.filter(subs::active.eq(true)).select(subs::id)),
                    )
                    .order((deliveries::next_attempt_at.asc(), deliveries::id.asc()))
                    .limit(limit)
                    .select((
                        deliveries::id,
                        deliveries::subscription_id,
                        deliveries::event_id,
                        deliveries::body,
                        deliveries::attempts,
                    ))
            };
        }
        type Due = (String, String, String, String, i32);
        let due: Vec<Due> = skip_locked!(conn, due!(), |q, c| q.load(c))?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = due.iter().map(|d| d.0.as_str()).collect();
        diesel::update(deliveries::table.filter(deliveries::id.eq_any(&ids)))
            .set(deliveries::claimed_until.eq(now + LEASE))
            .execute(conn)?;
        let wanted: Vec<&str> = due.iter().map(|d| d.1.as_str()).collect();
        let targets: Vec<(String, String, String)> = subs::table
            .filter(subs::id.eq_any(&wanted))
            .select((subs::id, subs::url, subs::secret))
            .load(conn)?;
        Ok(due
            .into_iter()
            .filter_map(|(id, subscription, event_id, body, attempts)| {
                let (_, url, secret) = targets.iter().find(|t| t.0 == subscription)?;
                Some(Claimed {
                    id,
                    event_id,
                    body,
                    attempts,
                    url: url.clone(),
                    secret: secret.clone(),
                })
            })
            .collect())
    })
}

/// Records a delivery (the receiver answered 2xx) and ends the claim.
pub fn mark_delivered(
    conn: &mut DbConnection,
    id: &str,
    http_status: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::delivered_at.eq(now),
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::last_status.eq(http_status),
            deliveries::last_error.eq(None::<String>),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt (`http_status` if the receiver answered at all) and ends
/// the claim: retried by `backoff`, or given up.
pub fn mark_failed(
    conn: &mut DbConnection,
    claimed: &Claimed,
    http_status: Option<i32>,
    error: &str,
    backoff: &Backoff,
    now: NaiveDateTime,
) -> Result<Retry, StoreError> {
    let attempts = claimed.attempts + 1;
    let failure = backoff.after_failure(attempts, now);
    let (next, dead_at) = match failure {
        Retry::At(at) => (at, None),
        Retry::GiveUp => (now, Some(now)),
    };
    let error: String = error.chars().take(500).collect();
    diesel::update(deliveries::table.find(&claimed.id))
        .set((
            deliveries::attempts.eq(attempts),
            deliveries::last_status.eq(http_status),
            deliveries::last_error.eq(error),
            deliveries::next_attempt_at.eq(next),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
            deliveries::dead_at.eq(dead_at),
        ))
        .execute(conn)?;
    Ok(failure)
}

/// What waits in the webhook outbox (for the metrics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Not delivered yet, due or waiting for a retry.
    pub pending: i64,
    /// Given up.
    pub dead: i64,
}

pub fn backlog(conn: &mut DbConnection) -> Result<Backlog, StoreError> {
    let pending = deliveries::table
        .filter(deliveries::delivered_at.is_null())
        .filter(deliveries::dead_at.is_null())
        .count()
        .get_result(conn)?;
    let dead = deliveries::table
        .filter(deliveries::dead_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(Backlog { pending, dead })
}
