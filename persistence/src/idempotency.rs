//! Idempotency keys of creating requests (issue 18): the reservation a request with a
//! key takes before its work, and the answer kept once the work is done. Kept in the
//! database, so that a retry reaching another server process is answered the same.
//! Every function takes the account the key belongs to: one account's key never
//! reaches another's answer.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::idempotency::{self, Decision, Earlier};

use crate::schema::idempotency_keys as keys;
use crate::{db, DbConnection, StoreError};

/// An answer kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

/// What a request with a key is to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// The key is reserved for this request: do the work, then [`finish`] or
    /// [`release`].
    Reserved,
    /// The same request was answered before: answer this.
    Replay(Answer),
    /// The same request is running now.
    InProgress,
    /// The key came with another request.
    Reused,
}

type Row = (
    String,
    NaiveDateTime,
    NaiveDateTime,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Reserves `key` of `user_id` for a request with digest `request_hash`, or says why
/// not. Keys past their lifetime are deleted on the way. Two identical requests
/// racing each other: the database's primary key lets one reservation in; the other
/// reads it and is told the request is in progress.
pub fn reserve(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<Reservation, StoreError> {
    match try_reserve(conn, user_id, key, request_hash, now) {
        // Lost a race to an identical insert (PostgreSQL): the winner is visible now.
        Err(StoreError::Conflict(_)) => try_reserve(conn, user_id, key, request_hash, now),
        other => other,
    }
}

fn try_reserve(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<Reservation, StoreError> {
    db::write(conn, |conn| {
        diesel::delete(keys::table.filter(keys::expires_at.le(now))).execute(conn)?;
        let row: Option<Row> = keys::table
            .find((user_id, key))
            .select((
                keys::request_hash,
                keys::created_at,
                keys::expires_at,
                keys::status_code,
                keys::location,
                keys::content_type,
                keys::body,
            ))
            .first(conn)
            .optional()?;
        let earlier = row.as_ref().map(|r| Earlier {
            request_hash: r.0.clone(),
            created_at: r.1,
            expires_at: r.2,
            finished: r.3.is_some(),
        });
        match idempotency::decide(earlier.as_ref(), request_hash, now) {
            Decision::Run => {
                if row.is_some() {
                    diesel::delete(keys::table.find((user_id, key))).execute(conn)?;
                }
                diesel::insert_into(keys::table)
                    .values((
                        keys::user_id.eq(user_id),
                        keys::idem_key.eq(key),
                        keys::request_hash.eq(request_hash),
                        keys::created_at.eq(now),
                        keys::expires_at.eq(now + idempotency::lifetime()),
                    ))
                    .execute(conn)?;
                Ok(Reservation::Reserved)
            }
            Decision::InProgress => Ok(Reservation::InProgress),
            Decision::Reused => Ok(Reservation::Reused),
            Decision::Replay => {
                let Some((_, _, _, Some(status), location, content_type, body)) = row else {
                    return Err(StoreError::Corrupt(
                        "a finished key without its answer".into(),
                    ));
                };
                Ok(Reservation::Replay(Answer {
                    status: u16::try_from(status)
                        .map_err(|_| StoreError::Corrupt(format!("status {status}")))?,
                    location,
                    content_type,
                    body: body.unwrap_or_default(),
                }))
            }
        }
    })
}

/// Keeps the answer of the request that reserved `key`.
pub fn finish(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    request_hash: &str,
    answer: &Answer,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        diesel::update(
            keys::table
                .find((user_id, key))
                .filter(keys::request_hash.eq(request_hash))
                .filter(keys::status_code.is_null()),
        )
        .set((
            keys::status_code.eq(i32::from(answer.status)),
            keys::location.eq(answer.location.as_deref()),
            keys::content_type.eq(answer.content_type.as_deref()),
            keys::body.eq(&answer.body),
        ))
        .execute(conn)?;
        Ok(())
    })
}

/// Frees `key` after its request failed without creating anything, so that the
/// client may send it again.
pub fn release(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    request_hash: &str,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        diesel::delete(
            keys::table
                .find((user_id, key))
                .filter(keys::request_hash.eq(request_hash))
                .filter(keys::status_code.is_null()),
        )
        .execute(conn)?;
        Ok(())
    })
}
