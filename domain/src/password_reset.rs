//! «Забыли пароль?»: a one-time link sent by e-mail (SPEC §4). How long a link works,
//! how many links one account may be sent, and whether a presented link still works.

use chrono::{NaiveDateTime, TimeDelta};

/// How long a link works after it is sent.
pub fn lifetime() -> TimeDelta {
    TimeDelta::minutes(30)
}

/// Links one account may be sent within [`window`]: enough for a lost message, too
/// few to flood someone's mailbox through the form.
pub const LINKS_PER_WINDOW: i64 = 3;

/// The period [`LINKS_PER_WINDOW`] counts over.
pub fn window() -> TimeDelta {
    TimeDelta::hours(1)
}

/// When a link sent at `sent_at` stops working.
pub fn expires_at(sent_at: NaiveDateTime) -> NaiveDateTime {
    sent_at + lifetime()
}

/// Whether another link may be sent, given how many went out since `now - window()`.
pub fn may_send(sent_in_window: i64) -> bool {
    sent_in_window < LINKS_PER_WINDOW
}

/// What a presented link is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Usable,
    Used,
    Expired,
}

/// A link works once, until it expires.
pub fn state(
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> LinkState {
    match used_at {
        Some(_) => LinkState::Used,
        None if now >= expires_at => LinkState::Expired,
        None => LinkState::Usable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 31)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
    }

    #[test]
    fn a_link_works_for_thirty_minutes() {
        let sent = at(23, 45, 0);
        let expires = expires_at(sent);
        assert_eq!(
            expires,
            NaiveDate::from_ymd_opt(2027, 1, 1)
                .unwrap()
                .and_hms_opt(0, 15, 0)
                .unwrap(),
            "across midnight and the year's end"
        );
        assert_eq!(state(expires, None, sent), LinkState::Usable);
        assert_eq!(
            state(expires, None, expires - TimeDelta::seconds(1)),
            LinkState::Usable
        );
        assert_eq!(state(expires, None, expires), LinkState::Expired);
        assert_eq!(
            state(expires, None, expires + TimeDelta::days(1)),
            LinkState::Expired
        );
    }

    #[test]
    fn a_used_link_never_works_again() {
        let sent = at(10, 0, 0);
        let expires = expires_at(sent);
        let used = Some(at(10, 5, 0));
        assert_eq!(state(expires, used, at(10, 6, 0)), LinkState::Used);
        assert_eq!(
            state(expires, used, expires + TimeDelta::hours(1)),
            LinkState::Used,
            "used wins over expired: the person is told it was used"
        );
    }

    #[test]
    fn three_links_an_hour() {
        assert!(may_send(0));
        assert!(may_send(LINKS_PER_WINDOW - 1));
        assert!(!may_send(LINKS_PER_WINDOW));
        assert!(!may_send(LINKS_PER_WINDOW + 10));
    }
}
