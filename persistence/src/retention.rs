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

/// Deletes what `retention` no longer keeps at `now`, in one transaction.
pub fn purge(
    conn: &mut DbConnection,
    retention: &Retention,
    now: NaiveDateTime,
) -> Result<Purged, StoreError> {
    let sessions_before = now - retention.sessions;
    db::write(conn, |conn| {
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
        let sent_mail =
            diesel::delete(outbox::table.filter(outbox::sent_at.lt(now - retention.sent_mail)))
                .execute(conn)?;
        let webhook_deliveries = diesel::delete(
            webhook_deliveries::table
                .filter(webhook_deliveries::delivered_at.lt(now - retention.sent_mail)),
        )
        .execute(conn)?;
        let read_notifications = diesel::delete(
            notifications::table
                .filter(notifications::read_at.lt(now - retention.read_notifications)),
        )
        .execute(conn)?;
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
        let audit_events = audit::purge(conn, now - retention.audit)?;
        let throttle_budgets = throttle::purge(conn, now)?;
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
    })
}
