//! Idempotency keys on creating requests (issue 18): a client that retries a request
//! with the same `Idempotency-Key` gets the first answer again instead of a second
//! record. What a key may be, how long it holds, and what a repeated key means.

use chrono::{NaiveDateTime, TimeDelta};

/// The longest key taken.
pub const MAX_KEY_LEN: usize = 255;

/// How long a key answers with its first result.
pub fn lifetime() -> TimeDelta {
    TimeDelta::hours(24)
}

/// How long a first request may run before its reservation counts as abandoned (the
/// server stopped while it ran): a later request with the key then runs afresh. Far
/// longer than any request is let run.
pub fn abandoned_after() -> TimeDelta {
    TimeDelta::minutes(2)
}

/// Why a key is refused before anything is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is empty")]
    Empty,
    #[error("the key is longer than {MAX_KEY_LEN} characters")]
    TooLong,
    #[error("the key holds a character that is not visible ASCII")]
    BadCharacter,
}

/// A key as the client sent it, if it is 1–255 visible ASCII characters (`!`…`~`):
/// a UUID or any token of the client's making fits.
pub fn parse_key(raw: &[u8]) -> Result<String, KeyError> {
    if raw.is_empty() {
        return Err(KeyError::Empty);
    }
    if raw.len() > MAX_KEY_LEN {
        return Err(KeyError::TooLong);
    }
    if !raw.iter().all(|b| (b'!'..=b'~').contains(b)) {
        return Err(KeyError::BadCharacter);
    }
    Ok(raw.iter().map(|&b| char::from(b)).collect())
}

/// What is remembered of a key an account used before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// The digest of the request that first came with the key.
    pub request_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// Whether the first request has finished and its answer is kept.
    pub finished: bool,
}

/// What a request with a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The key is new (or its earlier use is over): reserve it and do the work.
    Run,
    /// The same request finished before: answer as it was answered.
    Replay,
    /// The same request is still running.
    InProgress,
    /// The key came with another request before.
    Reused,
}

/// Decides a request with digest `request_hash` against the key's earlier use.
pub fn decide(earlier: Option<&Earlier>, request_hash: &str, now: NaiveDateTime) -> Decision {
    let Some(earlier) = earlier else {
        return Decision::Run;
    };
    if earlier.expires_at <= now {
        return Decision::Run;
    }
    let abandoned = !earlier.finished && earlier.created_at + abandoned_after() <= now;
    match (earlier.request_hash == request_hash, earlier.finished) {
        (false, _) if !abandoned => Decision::Reused,
        (false, _) => Decision::Run,
        (true, true) => Decision::Replay,
        (true, false) if abandoned => Decision::Run,
        (true, false) => Decision::InProgress,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default()
            + TimeDelta::minutes(minutes)
    }

    fn earlier(finished: bool) -> Earlier {
        Earlier {
            request_hash: "a".into(),
            created_at: at(0),
            expires_at: at(0) + lifetime(),
            finished,
        }
    }

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        assert_eq!(parse_key(b"a").as_deref(), Ok("a"));
        assert_eq!(
            parse_key(b"0190c2f4-7d1e-7c3a-9b1e-3f2a1b4c5d6e").as_deref(),
            Ok("0190c2f4-7d1e-7c3a-9b1e-3f2a1b4c5d6e")
        );
        assert!(parse_key(&[b'k'; MAX_KEY_LEN]).is_ok());
        assert_eq!(parse_key(b""), Err(KeyError::Empty));
        assert_eq!(parse_key(&[b'k'; MAX_KEY_LEN + 1]), Err(KeyError::TooLong));
        assert_eq!(parse_key(b"two words"), Err(KeyError::BadCharacter));
        assert_eq!(parse_key(b"tab\there"), Err(KeyError::BadCharacter));
        assert_eq!(parse_key("ключ".as_bytes()), Err(KeyError::BadCharacter));
    }

    #[test]
    fn a_new_key_runs() {
        assert_eq!(decide(None, "a", at(0)), Decision::Run);
    }

    #[test]
    fn the_same_request_replays_once_finished_and_waits_while_running() {
        assert_eq!(decide(Some(&earlier(true)), "a", at(1)), Decision::Replay);
        assert_eq!(
            decide(Some(&earlier(false)), "a", at(1)),
            Decision::InProgress
        );
    }

    #[test]
    fn another_request_with_the_key_is_refused() {
        assert_eq!(decide(Some(&earlier(true)), "b", at(1)), Decision::Reused);
        assert_eq!(decide(Some(&earlier(false)), "b", at(1)), Decision::Reused);
    }

    #[test]
    fn an_expired_key_runs_afresh_whatever_the_request() {
        let later = at(0) + lifetime();
        assert_eq!(decide(Some(&earlier(true)), "a", later), Decision::Run);
        assert_eq!(decide(Some(&earlier(true)), "b", later), Decision::Run);
    }

    #[test]
    fn an_abandoned_reservation_is_taken_over() {
        let later = at(0) + abandoned_after();
        assert_eq!(decide(Some(&earlier(false)), "a", later), Decision::Run);
        assert_eq!(decide(Some(&earlier(false)), "b", later), Decision::Run);
        // A finished one is never abandoned.
        assert_eq!(decide(Some(&earlier(true)), "a", later), Decision::Replay);
        assert_eq!(decide(Some(&earlier(true)), "b", later), Decision::Reused);
    }
}
