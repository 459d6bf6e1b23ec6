//! The outgoing message queue. Messages are written in the same transaction as the
//! change they report, and a sender delivers them afterwards: a change is never lost
//! to a mail server that is down, and never announced when it rolled back.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::notification::Channel;

use crate::schema::outbox;
use crate::{new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
}

/// Queues a message; call inside the transaction of the change it reports.
pub fn enqueue(
    conn: &mut DbConnection,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(new_id()),
            outbox::channel.eq(channel.to_string()),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(subject),
            outbox::body.eq(body),
            outbox::created_at.eq(now),
            outbox::next_attempt_at.eq(now),
            outbox::attempts.eq(0),
        ))
        .execute(conn)?;
    Ok(())
}

/// After this many failed attempts a message stays in the outbox, undelivered, for
/// someone to look at.
pub const MAX_ATTEMPTS: i32 = 10;

/// Unsent messages of a channel whose time has come, oldest first.
pub fn due(
    conn: &mut DbConnection,
    channel: Channel,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Message>, StoreError> {
    Ok(outbox::table
        .filter(outbox::channel.eq(channel.to_string()))
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::attempts.lt(MAX_ATTEMPTS))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(Message::as_select())
        .load(conn)?)
}

/// Every message to a recipient, newest first (for support and tests).
pub fn to_recipient(conn: &mut DbConnection, recipient: &str) -> Result<Vec<Message>, StoreError> {
    Ok(outbox::table
        .filter(outbox::recipient.eq(recipient))
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .select(Message::as_select())
        .load(conn)?)
}

pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt and backs off: 1, 2, 4 … minutes, at most a day.
pub fn mark_failed(
    conn: &mut DbConnection,
    message: &Message,
    error: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let minutes = 1_i64 << message.attempts.clamp(0, 10);
    let next = now + TimeDelta::minutes(minutes.min(24 * 60));
    diesel::update(outbox::table.find(&message.id))
        .set((
            outbox::attempts.eq(message.attempts + 1),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(next),
        ))
        .execute(conn)?;
    Ok(())
}
