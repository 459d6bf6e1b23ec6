//! The outgoing message queue. Messages are written in the same transaction as the
//! change they report, and a sender delivers them afterwards: a change is never lost
//! to a mail server that is down, and never announced when it rolled back.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::backoff::{Backoff, Retry};
use domain::notification::Channel;

use crate::schema::outbox;
use crate::{db, new_id, DbConnection, StoreError};

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
    /// While set and in the future, a sender holds the message ([`claim`]).
    pub claimed_until: Option<NaiveDateTime>,
    /// Set when the message was given up on ([`MAX_ATTEMPTS`]).
    pub dead_at: Option<NaiveDateTime>,
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

/// After this many failed attempts a message is set aside as a dead letter
/// (`dead_at`): no longer tried, kept for support to look at ([`dead_letters`]).
pub const MAX_ATTEMPTS: i32 = Backoff::MAIL.max_attempts;

/// How long a claimed message is its sender's alone. A sender that dies while holding a
/// claim gives its messages back when the lease runs out; one that is alive has long
/// finished a batch by then.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Claims up to `limit` unsent messages of a channel whose time has come, oldest
/// first, for [`LEASE`]: until it passes no other sender gets them. On PostgreSQL the
/// rows are locked with `SKIP LOCKED`, so senders claiming at once take different
/// messages instead of waiting for each other; SQLite's write lock, taken up front,
/// serialises the claims.
pub fn claim(
    conn: &mut DbConnection,
    channel: Channel,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Message>, StoreError> {
    let channel = channel.to_string();
    // Mostly nothing is due: a read says so without taking SQLite's write lock.
    let any_due: bool = diesel::select(diesel::dsl::exists(
        outbox::table
            .filter(outbox::channel.eq(&channel))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dead_at.is_null())
            .filter(outbox::next_attempt_at.le(now)),
    ))
    .get_result(conn)?;
    if !any_due {
        return Ok(Vec::new());
    }
    db::write(conn, |conn| {
        // A macro, not a closure: the selection is typed by the backend it runs on.
        macro_rules! due {
            () => {
                outbox::table
                    .filter(outbox::channel.eq(&channel))
                    .filter(outbox::sent_at.is_null())
                    .filter(outbox::dead_at.is_null())
                    .filter(outbox::next_attempt_at.le(now))
                    .filter(
                        outbox::claimed_until
                            .is_null()
                            .or(outbox::claimed_until.assume_not_null().le(now)),
                    )
                    .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                    .limit(limit)
                    .select(Message::as_select())
            };
        }
        let mut messages: Vec<Message> = skip_locked!(conn, due!(), |q, c| q.load(c))?;
        let until = now + LEASE;
        let ids: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set(outbox::claimed_until.eq(until))
            .execute(conn)?;
        for message in &mut messages {
            message.claimed_until = Some(until);
        }
        Ok(messages)
    })
}

/// Messages not sent yet (due or waiting for a retry) and dead letters, for the
/// metrics.
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, i64), StoreError> {
    let pending = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::dead_at.is_null())
        .count()
        .get_result(conn)?;
    let dead = outbox::table
        .filter(outbox::dead_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((pending, dead))
}

/// Every message to a recipient, newest first (for support and tests).
pub fn to_recipient(conn: &mut DbConnection, recipient: &str) -> Result<Vec<Message>, StoreError> {
    Ok(outbox::table
        .filter(outbox::recipient.eq(recipient))
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .select(Message::as_select())
        .load(conn)?)
}

/// The messages set aside after [`MAX_ATTEMPTS`] failures, most recent first.
pub fn dead_letters(conn: &mut DbConnection, limit: i64) -> Result<Vec<Message>, StoreError> {
    Ok(outbox::table
        .filter(outbox::dead_at.is_not_null())
        .order((outbox::dead_at.desc(), outbox::id.desc()))
        .limit(limit)
        .select(Message::as_select())
        .load(conn)?)
}

/// Gives a dead letter another round of attempts, from now (once its cause is fixed).
/// Returns whether `id` was a dead letter.
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<bool, StoreError> {
    let revived = diesel::update(outbox::table.find(id).filter(outbox::dead_at.is_not_null()))
        .set((
            outbox::dead_at.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(revived == 1)
}

/// Ends the claim of messages a sender will not send after all: they are due again at
/// once for whichever sender claims next.
pub fn release(conn: &mut DbConnection, ids: &[&str]) -> Result<(), StoreError> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::sent_at.is_null()),
    )
    .set(outbox::claimed_until.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(())
}

/// Records a delivery and ends the claim.
pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt and ends the claim: the message is tried again after 1, 2,
/// 4 … minutes (at most a day, `Backoff::MAIL`), or after [`MAX_ATTEMPTS`] becomes a
/// dead letter.
pub fn mark_failed(
    conn: &mut DbConnection,
    message: &Message,
    error: &str,
    now: NaiveDateTime,
) -> Result<Retry, StoreError> {
    let attempts = message.attempts + 1;
    let failure = Backoff::MAIL.after_failure(attempts, now);
    let (next, dead_at) = match failure {
        Retry::At(at) => (at, None),
        Retry::GiveUp => (message.next_attempt_at, Some(now)),
    };
    diesel::update(outbox::table.find(&message.id))
        .set((
            outbox::attempts.eq(attempts),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(next),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::dead_at.eq(dead_at),
        ))
        .execute(conn)?;
    Ok(failure)
}
