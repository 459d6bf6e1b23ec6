//! When to try again after a failed delivery to the outside (an e-mail, a webhook):
//! exponential backoff from a first wait, doubling, capped, and given up after a number
//! of attempts. The outbox of mail and the webhook deliveries share this schedule.

use chrono::{NaiveDateTime, TimeDelta};

/// A retry schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure; each further failure doubles it.
    pub first: TimeDelta,
    /// The longest wait between two attempts.
    pub cap: TimeDelta,
    /// After this many failed attempts the delivery is given up (a dead letter).
    pub max_attempts: i32,
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Tried again at this time.
    At(NaiveDateTime),
    /// That was the last attempt allowed: given up.
    GiveUp,
}

impl Backoff {
    /// E-mail: 1, 2, 4 … minutes, at most a day apart, ten attempts.
    pub const MAIL: Backoff = Backoff {
        first: TimeDelta::minutes(1),
        cap: TimeDelta::days(1),
        max_attempts: 10,
    };

    /// The wait after `failures` failed attempts (1 for the first failure).
    pub fn wait(&self, failures: i32) -> TimeDelta {
        let doublings = failures.saturating_sub(1).clamp(0, 30) as u32;
        let wait = self
            .first
            .checked_mul(1_i32 << doublings)
            .unwrap_or(self.cap);
        wait.min(self.cap)
    }

    /// What follows when attempt number `attempt` (1 for the first) failed at `now`.
    pub fn after_failure(&self, attempt: i32, now: NaiveDateTime) -> Retry {
        if attempt >= self.max_attempts {
            Retry::GiveUp
        } else {
            Retry::At(now + self.wait(attempt))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::UNIX_EPOCH.naive_utc() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn mail_waits_double_from_a_minute_up_to_a_day() {
        let waits: Vec<i64> = (1..=12)
            .map(|n| Backoff::MAIL.wait(n).num_minutes())
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1440]);
        assert_eq!(Backoff::MAIL.wait(i32::MAX), TimeDelta::days(1));
        assert_eq!(Backoff::MAIL.wait(0), TimeDelta::minutes(1));
    }

    #[test]
    fn the_last_attempt_gives_up() {
        let b = Backoff::MAIL;
        assert_eq!(b.after_failure(1, at(0)), Retry::At(at(1)));
        assert_eq!(b.after_failure(3, at(10)), Retry::At(at(14)));
        assert_eq!(b.after_failure(9, at(0)), Retry::At(at(256)));
        assert_eq!(b.after_failure(10, at(0)), Retry::GiveUp);
        assert_eq!(b.after_failure(11, at(0)), Retry::GiveUp);
    }

    #[test]
    fn a_short_first_wait_doubles_too() {
        let b = Backoff {
            first: TimeDelta::milliseconds(200),
            cap: TimeDelta::seconds(1),
            max_attempts: 3,
        };
        assert_eq!(b.wait(1), TimeDelta::milliseconds(200));
        assert_eq!(b.wait(2), TimeDelta::milliseconds(400));
        assert_eq!(b.wait(3), TimeDelta::milliseconds(800));
        assert_eq!(b.wait(4), TimeDelta::seconds(1));
        assert_eq!(b.after_failure(3, at(0)), Retry::GiveUp);
    }
}
