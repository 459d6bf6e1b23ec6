//! Sign-in throttling: attempts per account (against guessing one password) and per
//! client address (against trying many accounts), answered with 429 and `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::problem::ApiError;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// Above this many tracked keys, idle ones are forgotten.
const TRACKED_KEYS: usize = 100_000;

pub struct LoginThrottle {
    accounts: Keyed<String>,
    addresses: Keyed<IpAddr>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl LoginThrottle {
    pub fn new(per_account: u32, per_address: u32) -> LoginThrottle {
        LoginThrottle {
            accounts: RateLimiter::keyed(per_minute(per_account)),
            addresses: RateLimiter::keyed(per_minute(per_address)),
        }
    }

    /// Counts one attempt from an address that names no account (a password reset
    /// link being tried); refuses it when the address's budget is spent.
    pub fn check_address(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let Some(ip) = address else {
            return Ok(());
        };
        if self.addresses.len() > TRACKED_KEYS {
            self.addresses.retain_recent();
        }
        let clock = DefaultClock::default();
        self.addresses
            .check_key(&ip)
            .map_err(|not_until| ApiError::TooManyRequests {
                retry_after: not_until.wait_time_from(clock.now()).as_secs().max(1),
            })
    }

    /// Counts one attempt; refuses it when either budget is spent.
    pub fn check(&self, login: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        if self.accounts.len() > TRACKED_KEYS {
            self.accounts.retain_recent();
        }
        if self.addresses.len() > TRACKED_KEYS {
            self.addresses.retain_recent();
        }
        let clock = DefaultClock::default();
        let refuse = |wait: std::time::Duration| ApiError::TooManyRequests {
            retry_after: wait.as_secs().max(1),
        };
        if let Some(ip) = address {
            self.addresses
                .check_key(&ip)
                .map_err(|not_until| refuse(not_until.wait_time_from(clock.now())))?;
        }
        self.accounts
            .check_key(&persistence::accounts::normalize_login(login))
            .map_err(|not_until| refuse(not_until.wait_time_from(clock.now())))
    }
}
