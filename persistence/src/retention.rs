//! Keeping personal data no longer than needed (152-FZ): the journal past its
//! retention, sessions and refresh tokens long over, mail already delivered and
//! notifications read long ago are deleted by the background job, and so are the
//! shared request budgets that are whole again (`throttle.rs`), which name who tried
//! to sign in (by digest) only while they count, password-reset links long over and
//! ESIA sign-ins never finished. Unread notifications stay: nobody has seen them yet.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::schema::{
    esia_logins, notifications, outbox, password_resets, refresh_tokens, sessions,
    webhook_deliveries,
};
use crate::{audit, db, throttle, DbConnection, StoreError};

/// How long each kind of record is kept once it no longer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Journal entries, from when they occurred.
    pub audit: TimeDelta,
    /// Sessions and their refresh tokens, from when they ended (expired or revoked).
    pub sessions: TimeDelta,
    /// Outbox rows and webhook deliveries, from when they were sent.
    pub sent_mail: TimeDelta,
    /// Notifications, from when they were read.
    pub read_notifications: TimeDelta,
}

/// What one purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub audit_events: usize,
    pub sessions: usize,
    pub refresh_tokens: usize,
    pub sent_mail: usize,
    pub read_notifications: usize,
    pub throttle_budgets: usize,
    pub webhook_deliveries: usize,
    /// Password-reset links used or expired as long ago as ended sessions are kept.
    pub password_resets: usize,
    /// ESIA sign-ins started and never finished, once expired (their nonce and PKCE
    /// verifier serve nothing after that).
    pub esia_logins: usize,
}

impl Purged {
    pub fn total(&self) -> usize {
        self.audit_events
            + self.sessions
            + self.refresh_tokens
            + self.sent_mail
            + self.read_notifications
            + self.throttle_budgets
            + self.webhook_deliveries
            + self.password_resets
            + self.esia_logins
    }
}

/// Rows deleted a transaction: purging a large journal never holds SQLite's write lock,
/// or PostgreSQL's rows, for longer than a batch takes; writers wait a moment, not the
/// whole purge (past SQLite's busy timeout they would be refused).
pub const BATCH: i64 = 5_000;

/// Deletes what `retention` no longer keeps at `now`, a batch of [`BATCH`] rows a
/// transaction. Each batch stands alone: a purge that stops half-way is finished by
/// the next.
pub fn purge(
    conn: &mut DbConnection,
    retention: &Retention,
    now: NaiveDateTime,
) -> Result<Purged, StoreError> {
    purge_by(conn, retention, now, BATCH)
}

/// [`purge`] with batches of `batch` rows (tests use small ones).
pub fn purge_by(
    conn: &mut DbConnection,
    retention: &Retention,
    now: NaiveDateTime,
    batch: i64,
) -> Result<Purged, StoreError> {
    let sessions_before = now - retention.sessions;
    // Sessions and their tokens go together: a token never outlives its session here.
    let (refresh_tokens, sessions) = db::write(conn, |conn| {
        let ended = sessions::table
            .filter(
                sessions::expires_at
                    .lt(sessions_before)
                    .or(sessions::revoked_at.lt(sessions_before)),
            )
            .select(sessions::id);
        let refresh_tokens = diesel::delete(
            refresh_tokens::table.filter(
                refresh_tokens::expires_at
                    .lt(sessions_before)
                    .or(refresh_tokens::used_at.lt(sessions_before))
                    .or(refresh_tokens::session_id.eq_any(ended)),
            ),
        )
        .execute(conn)?;
        let sessions = diesel::delete(
            sessions::table.filter(
                sessions::expires_at
                    .lt(sessions_before)
                    .or(sessions::revoked_at.lt(sessions_before)),
            ),
        )
        .execute(conn)?;
        Ok::<_, StoreError>((refresh_tokens, sessions))
    })?;
    let sent_before = now - retention.sent_mail;
    let sent_mail = in_batches(conn, batch, |conn| {
        let old: Vec<String> = outbox::table
            .filter(outbox::sent_at.lt(sent_before))
            .select(outbox::id)
            .limit(batch)
            .load(conn)?;
        diesel::delete(outbox::table.filter(outbox::id.eq_any(old))).execute(conn)
    })?;
    let webhook_deliveries = in_batches(conn, batch, |conn| {
        let old: Vec<String> = webhook_deliveries::table
            .filter(webhook_deliveries::delivered_at.lt(sent_before))
            .select(webhook_deliveries::id)
            .limit(batch)
            .load(conn)?;
        diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(old)))
            .execute(conn)
    })?;
    let read_before = now - retention.read_notifications;
    let read_notifications = in_batches(conn, batch, |conn| {
        let old: Vec<String> = notifications::table
            .filter(notifications::read_at.lt(read_before))
            .select(notifications::id)
            .limit(batch)
            .load(conn)?;
        diesel::delete(notifications::table.filter(notifications::id.eq_any(old))).execute(conn)
    })?;
    let audit_before = now - retention.audit;
    let audit_events = in_batches(conn, batch, |conn| audit::purge(conn, audit_before, batch))?;
    let (password_resets, esia_logins, throttle_budgets) = db::write(conn, |conn| {
        let password_resets = diesel::delete(
            password_resets::table.filter(
                password_resets::expires_at
                    .lt(sessions_before)
                    .or(password_resets::used_at.lt(sessions_before)),
            ),
        )
        .execute(conn)?;
        let esia_logins =
            diesel::delete(esia_logins::table.filter(esia_logins::expires_at.lt(now)))
                .execute(conn)?;
        let throttle_budgets = throttle::purge(conn, now)?;
        Ok::<_, StoreError>((password_resets, esia_logins, throttle_budgets))
    })?;
    Ok(Purged {
        audit_events,
        sessions,
        refresh_tokens,
        sent_mail,
        read_notifications,
        throttle_budgets,
        webhook_deliveries,
        password_resets,
        esia_logins,
    })
}

/// Runs `step` (one batch's delete) in a transaction of its own until a batch comes
/// short; answers how many rows went.
fn in_batches<E>(
    conn: &mut DbConnection,
    batch: i64,
    mut step: impl FnMut(&mut DbConnection) -> Result<usize, E> + Send,
) -> Result<usize, StoreError>
where
    StoreError: From<E>,
    E: Send,
{
    let mut total = 0;
    loop {
        let deleted = db::write(conn, |conn| Ok::<_, StoreError>(step(conn)?))?;
        total += deleted;
        if i64::try_from(deleted).unwrap_or(i64::MAX) < batch {
            return Ok(total);
        }
    }
}
