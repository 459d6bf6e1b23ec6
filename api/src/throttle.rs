//! Throttling of the requests that cost the server or help a guesser: sign-in attempts
//! per account (against guessing one password) and per client address (against trying
//! many accounts), registrations and token refreshes per client address. Refusals are
//! 429 with `Retry-After`.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::problem::ApiError;

/// Above this many tracked keys, idle ones are forgotten.
const TRACKED_KEYS: usize = 100_000;

/// A budget of `n` requests a minute for each key.
pub struct PerMinute<K: Hash + Eq + Clone> {
    keys: RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>,
}

impl<K: Hash + Eq + Clone> PerMinute<K> {
    pub fn new(n: u32) -> PerMinute<K> {
        let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        PerMinute {
            keys: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// Counts one request of `key`; refuses it when the key's budget is spent.
    pub fn check(&self, key: &K) -> Result<(), ApiError> {
        if self.keys.len() > TRACKED_KEYS {
            self.keys.retain_recent();
        }
        let clock = DefaultClock::default();
        self.keys
            .check_key(key)
            .map_err(|not_until| ApiError::TooManyRequests {
                retry_after: not_until.wait_time_from(clock.now()).as_secs().max(1),
            })
    }

    /// As `check`, for a key that may be unknown (no client address): not counted.
    pub fn check_some(&self, key: Option<&K>) -> Result<(), ApiError> {
        key.map_or(Ok(()), |k| self.check(k))
    }
}

pub struct LoginThrottle {
    accounts: PerMinute<String>,
    addresses: PerMinute<IpAddr>,
}

impl LoginThrottle {
    pub fn new(per_account: u32, per_address: u32) -> LoginThrottle {
        LoginThrottle {
            accounts: PerMinute::new(per_account),
            addresses: PerMinute::new(per_address),
        }
    }

    /// Counts one attempt from an address that names no account (a password reset
    /// link being tried); refuses it when the address's budget is spent.
    pub fn check_address(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        self.addresses.check_some(address.as_ref())
    }

    /// Counts one attempt; refuses it when either budget is spent.
    pub fn check(&self, login: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        self.addresses.check_some(address.as_ref())?;
        self.accounts
            .check(&persistence::accounts::normalize_login(login))
    }
}
