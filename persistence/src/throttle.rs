//! Budgets of repeatable requests shared by every server process on one database
//! (sign-in attempts, registrations, refreshes), kept by the generic cell rate
//! algorithm, the one the in-process limiter uses: a budget of `n` a minute allows `n`
//! at once and then one each `60 / n` seconds. Each (bucket, key) has a row holding
//! `full_at`, the time the budget is whole again; a request is granted when `full_at`
//! is at most `(n - 1) / n` of a minute ahead, and moves it a `1 / n` of a minute on
//! from the later of itself and now. A refused request moves nothing.
//!
//! On PostgreSQL the check and the move are one `INSERT … ON CONFLICT … DO UPDATE …
//! WHERE` statement, atomic however many processes count the same key. On SQLite they
//! run in one write transaction.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};

use crate::schema::throttle_budgets;
use crate::{db, DbConnection, StoreError};

/// A budget of `per_minute` requests for each key of `bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub bucket: &'static str,
    pub per_minute: u32,
}

impl Budget {
    /// The share of a minute one request takes: at least a microsecond, the unit it
    /// is stored in, so that no budget is counted as free.
    fn interval(self) -> TimeDelta {
        TimeDelta::microseconds((60_000_000 / i64::from(self.per_minute.max(1))).max(1))
    }

    /// How far ahead `full_at` may be for a request to be granted: the minute less one
    /// share, never zero for a budget of more than one (requests that took their `now`
    /// out of order still fit).
    fn tolerance(self) -> TimeDelta {
        if self.per_minute <= 1 {
            return TimeDelta::zero();
        }
        (TimeDelta::minutes(1) - self.interval()).max(TimeDelta::zero())
    }

    /// How long after `now` a request finds room, with the budget whole at `full_at`.
    fn wait(self, full_at: Option<NaiveDateTime>, now: NaiveDateTime) -> TimeDelta {
        match full_at {
            Some(full_at) => (full_at - self.tolerance() - now).max(TimeDelta::zero()),
            // Counted by another process after this one looked: about one share.
            None => self.interval(),
        }
    }
}

/// What became of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Granted,
    /// The budget is spent; a request finds room again after this long.
    Refused {
        retry_after: TimeDelta,
    },
}

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Bool)]
    granted: bool,
    #[diesel(sql_type = Nullable<Timestamp>)]
    held: Option<NaiveDateTime>,
}

/// The PostgreSQL statement: the upsert grants (returns a row) or does nothing, and
/// the outer select reads the row as it was before, for the wait of a refusal.
const TAKE_PG: &str = "\
WITH granted AS (
    INSERT INTO throttle_budgets AS b (bucket, key, full_at)
    VALUES ($1, $2, $3 + $4 * INTERVAL '1 microsecond')
    ON CONFLICT (bucket, key) DO UPDATE
        SET full_at = GREATEST(b.full_at, $3) + $4 * INTERVAL '1 microsecond'
        WHERE b.full_at <= $3 + $5 * INTERVAL '1 microsecond'
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM granted) AS granted,
    (SELECT full_at FROM throttle_budgets WHERE bucket = $1 AND key = $2) AS held";

/// Counts one request of `key` against `budget` at `now`.
pub fn take(
    conn: &mut DbConnection,
    budget: Budget,
    key: &str,
    now: NaiveDateTime,
) -> Result<Verdict, StoreError> {
    let interval = budget.interval();
    let tolerance = budget.tolerance();
    if let DbConnection::Postgresql(pg) = conn {
        let outcome: Outcome = diesel::sql_query(TAKE_PG)
            .bind::<Text, _>(budget.bucket)
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(interval.num_microseconds().unwrap_or(i64::MAX))
            .bind::<BigInt, _>(tolerance.num_microseconds().unwrap_or(i64::MAX))
            .get_result(pg)?;
        return Ok(if outcome.granted {
            Verdict::Granted
        } else {
            Verdict::Refused {
                retry_after: budget.wait(outcome.held, now),
            }
        });
    }
    db::write(conn, |conn| {
        let row = throttle_budgets::table.find((budget.bucket, key));
        let held: Option<NaiveDateTime> = row
            .select(throttle_budgets::full_at)
            .first(conn)
            .optional()?;
        if held.is_some_and(|full_at| full_at > now + tolerance) {
            return Ok(Verdict::Refused {
                retry_after: budget.wait(held, now),
            });
        }
        let full_at = held.map_or(now, |h| h.max(now)) + interval;
        if held.is_some() {
            diesel::update(row)
                .set(throttle_budgets::full_at.eq(full_at))
                .execute(conn)?;
        } else {
            diesel::insert_into(throttle_budgets::table)
                .values((
                    throttle_budgets::bucket.eq(budget.bucket),
                    throttle_budgets::key.eq(key),
                    throttle_budgets::full_at.eq(full_at),
                ))
                .execute(conn)?;
        }
        Ok(Verdict::Granted)
    })
}

/// Deletes the budgets that are whole again at `now`: their rows say nothing.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(throttle_budgets::table.filter(throttle_budgets::full_at.le(now)))
            .execute(conn)?,
    )
}

/// How many budgets are kept, for tests and support.
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(throttle_budgets::table.count().get_result(conn)?)
}

/// The keys kept under `bucket`, for tests and support.
pub fn keys(conn: &mut DbConnection, bucket: &str) -> Result<Vec<String>, StoreError> {
    Ok(throttle_budgets::table
        .filter(throttle_budgets::bucket.eq(bucket))
        .select(throttle_budgets::key)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_waits_for_one_share_of_the_minute() {
        let budget = Budget {
            bucket: "b",
            per_minute: 3,
        };
        let now = NaiveDateTime::default();
        assert_eq!(budget.interval(), TimeDelta::seconds(20));
        assert_eq!(budget.tolerance(), TimeDelta::seconds(40));
        // Three granted at `now` leave the budget whole a minute later.
        let full_at = now + TimeDelta::seconds(60);
        assert_eq!(budget.wait(Some(full_at), now), TimeDelta::seconds(20));
        assert_eq!(
            budget.wait(Some(full_at), now + TimeDelta::seconds(15)),
            TimeDelta::seconds(5)
        );
        assert_eq!(budget.wait(None, now), TimeDelta::seconds(20));
    }

    #[test]
    fn a_huge_budget_keeps_a_share_and_a_tolerance() {
        let budget = Budget {
            bucket: "b",
            per_minute: 100_000_000,
        };
        assert_eq!(budget.interval(), TimeDelta::microseconds(1));
        assert!(budget.tolerance() > TimeDelta::seconds(59));
    }

    #[test]
    fn a_budget_of_one_waits_a_whole_minute() {
        let budget = Budget {
            bucket: "b",
            per_minute: 1,
        };
        let now = NaiveDateTime::default();
        assert_eq!(budget.tolerance(), TimeDelta::zero());
        assert_eq!(
            budget.wait(Some(now + TimeDelta::seconds(60)), now),
            TimeDelta::seconds(60)
        );
    }
}
