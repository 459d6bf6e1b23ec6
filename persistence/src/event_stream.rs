//! What the live event stream (`GET /events`) reads: a person's notifications after
//! a cursor, and the single-use tickets that open a stream for a client that cannot
//! send `Authorization`.
//!
//! The cursor is a notification's `seq`: each person's notifications are numbered
//! 1, 2, 3 … by a counter row that the inserting transaction holds until it commits,
//! so a number is never seen before every smaller one of the same person is. A
//! stream that has shown number `n` has shown everything up to `n`, and resumes
//! exactly after it, through any process.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::notifications::Notification;
use crate::schema::{notification_counters, notifications, stream_tickets};
use crate::{db, DbConnection, StoreError};

/// Takes the next number of `user_id`'s notifications. Runs inside the caller's
/// write, which holds the counter row until it commits.
pub(crate) fn next_seq(conn: &mut DbConnection, user_id: &str) -> Result<i64, StoreError> {
    // One statement: the person's first notification creates the row at 1.
    Ok(per_backend!(conn, |c| {
        diesel::insert_into(notification_counters::table)
            .values((
                notification_counters::user_id.eq(user_id),
                notification_counters::last_value.eq(1_i64),
            ))
            .on_conflict(notification_counters::user_id)
            .do_update()
            .set(notification_counters::last_value.eq(notification_counters::last_value + 1))
            .returning(notification_counters::last_value)
            .get_result(c)
    })?)
}

/// The number of `user_id`'s latest notification (0 before the first): where a new
/// stream starts.
pub fn latest(conn: &mut DbConnection, user_id: &str) -> Result<i64, StoreError> {
    Ok(notification_counters::table
        .find(user_id)
        .select(notification_counters::last_value)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// `user_id`'s notifications numbered after `after`, oldest first, at most `limit`.
pub fn since(
    conn: &mut DbConnection,
    user_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::seq.gt(after))
        .order(notifications::seq.asc())
        .limit(limit)
        .select(Notification::as_select())
        .load(conn)?)
}

/// Keeps a ticket (by its digest) for the session, until `expires_at`; tickets past
/// their time go in the same write.
pub fn issue_ticket(
    conn: &mut DbConnection,
    digest: &str,
    user_id: &str,
    session_id: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        diesel::delete(stream_tickets::table.filter(stream_tickets::expires_at.le(now)))
            .execute(conn)?;
        diesel::insert_into(stream_tickets::table)
            .values((
                stream_tickets::digest.eq(digest),
                stream_tickets::user_id.eq(user_id),
                stream_tickets::session_id.eq(session_id),
                stream_tickets::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Consumes the ticket of `digest`: the account and session it was issued for, if it
/// exists and has not expired. Whatever the answer the ticket is gone, and of two
/// redemptions racing (through two processes, say) only the one whose delete took
/// the row gets it.
pub fn redeem_ticket(
    conn: &mut DbConnection,
    digest: &str,
    now: NaiveDateTime,
) -> Result<Option<(String, String)>, StoreError> {
    db::write(conn, |conn| {
        let found: Option<(String, String, NaiveDateTime)> = stream_tickets::table
            .find(digest)
            .select((
                stream_tickets::user_id,
                stream_tickets::session_id,
                stream_tickets::expires_at,
            ))
            .first(conn)
            .optional()?;
        let Some((user_id, session_id, expires_at)) = found else {
            return Ok(None);
        };
        let taken = diesel::delete(stream_tickets::table.find(digest)).execute(conn)?;
        Ok((taken == 1 && expires_at > now).then_some((user_id, session_id)))
    })
}
