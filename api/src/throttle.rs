//! Throttling of the requests that cost the server or help a guesser: sign-in attempts
//! per account (against guessing one password) and per client address (against trying
//! many accounts), registrations and token refreshes per client address. Refusals are
//! 429 with `Retry-After`. A budget of `n` a minute allows `n` at once, then one each
//! `60 / n` seconds (the generic cell rate algorithm).
//!
//! Where the budgets live depends on the engine. PostgreSQL serves several processes
//! behind a balancer: the budgets are rows every process counts against
//! (`persistence::throttle`), keyed by a digest of the login or address, and deleted
//! as soon as they are whole again. SQLite serves one process, which sees every
//! request: the budgets stay in its memory (`governor`), where a refusal costs no
//! write — a row per attempt would queue a flood of attempts on SQLite's one write
//! lock, ahead of the writes the budgets protect.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::NaiveDateTime;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use persistence::throttle::{Budget, Verdict};
use persistence::DbConnection;
use sha2::{Digest, Sha256};

use crate::problem::ApiError;

/// Above this many tracked keys, idle ones are forgotten.
const TRACKED_KEYS: usize = 100_000;

/// Seconds between two sweeps of the shared budgets by one process.
const SWEEP_EVERY_SECONDS: i64 = 60;

/// What a request is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Sign-in attempts (and password checks, reset requests) per account.
    SignInAccount,
    /// Sign-in attempts, ESIA starts and password resets per client address.
    SignInAddress,
    /// Registrations per client address.
    Registration,
    /// Token refreshes per client address.
    Refresh,
}

impl Bucket {
    const ALL: [Bucket; 4] = [
        Bucket::SignInAccount,
        Bucket::SignInAddress,
        Bucket::Registration,
        Bucket::Refresh,
    ];

    /// Its name in `throttle_budgets`.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::SignInAccount => "sign_in_account",
            Bucket::SignInAddress => "sign_in_address",
            Bucket::Registration => "registration_address",
            Bucket::Refresh => "refresh_address",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The budgets a minute, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub sign_in_per_account: u32,
    pub sign_in_per_address: u32,
    pub registrations_per_address: u32,
    pub refreshes_per_address: u32,
}

impl Limits {
    fn per_minute(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::SignInAccount => self.sign_in_per_account,
            Bucket::SignInAddress => self.sign_in_per_address,
            Bucket::Registration => self.registrations_per_address,
            Bucket::Refresh => self.refreshes_per_address,
        }
    }
}

/// The budgets one request is counted against, in order: the first one spent refuses
/// it, and the ones after are not counted.
#[derive(Debug, Clone, Default)]
pub struct Hits(Vec<(Bucket, String)>);

impl Hits {
    /// A sign-in attempt (or a reset request) naming `login`: the address's budget,
    /// then the account's.
    pub fn sign_in(login: &str, address: Option<IpAddr>) -> Hits {
        let mut hits = Hits::address(Bucket::SignInAddress, address);
        hits.0.push((
            Bucket::SignInAccount,
            persistence::accounts::normalize_login(login),
        ));
        hits
    }

    /// A request counted against the budget of its client address in `bucket`; an
    /// unknown address (not a TCP peer) is not counted.
    pub fn address(bucket: Bucket, address: Option<IpAddr>) -> Hits {
        Hits(
            address
                .map(|a| (bucket, a.to_string()))
                .into_iter()
                .collect(),
        )
    }
}

/// The budgets of this server (see the module's doc).
pub enum Throttle {
    /// In this process's memory, one keyed limiter per [`Bucket`].
    Local(Vec<Keyed>),
    /// In the database, shared by every process.
    Shared {
        limits: Limits,
        /// When this process last deleted the budgets that are whole again (Unix
        /// seconds).
        swept_at: AtomicI64,
    },
}

/// One bucket's budgets in memory, by key.
pub type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

impl Throttle {
    /// Budgets in memory: for SQLite's one process.
    pub fn local(limits: Limits) -> Throttle {
        Throttle::Local(
            Bucket::ALL
                .iter()
                .map(|b| {
                    let n =
                        NonZeroU32::new(limits.per_minute(*b).max(1)).unwrap_or(NonZeroU32::MIN);
                    RateLimiter::keyed(Quota::per_minute(n))
                })
                .collect(),
        )
    }

    /// Budgets in the database: for PostgreSQL's many processes.
    pub fn shared(limits: Limits) -> Throttle {
        Throttle::Shared {
            limits,
            swept_at: AtomicI64::new(0),
        }
    }

    /// Counts `hits` in memory; `None` when the budgets are in the database (then
    /// [`Throttle::check_shared`] does it, on a connection).
    pub fn check_local(&self, hits: &Hits) -> Option<Result<(), ApiError>> {
        let Throttle::Local(keyed) = self else {
            return None;
        };
        Some(hits.0.iter().try_for_each(|(bucket, key)| {
            let limiter = &keyed[bucket.index()];
            if limiter.len() > TRACKED_KEYS {
                limiter.retain_recent();
            }
            limiter.check_key(key).map_err(|not_until| {
                too_many(
                    not_until
                        .wait_time_from(DefaultClock::default().now())
                        .as_secs_f64(),
                )
            })
        }))
    }

    /// Counts `hits` against the shared budgets at `now`; about once a minute also
    /// deletes the budgets that are whole again, so that a key is kept only while it
    /// counts.
    pub fn check_shared(
        &self,
        conn: &mut DbConnection,
        hits: &Hits,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let Throttle::Shared { limits, swept_at } = self else {
            return Ok(());
        };
        let second = now.and_utc().timestamp();
        let last = swept_at.load(Ordering::Relaxed);
        if second - last >= SWEEP_EVERY_SECONDS
            && swept_at
                .compare_exchange(last, second, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            if let Err(e) = persistence::throttle::purge(conn, now) {
                tracing::warn!(error = %e, "spent request budgets not deleted");
            }
        }
        for (bucket, key) in &hits.0 {
            let budget = Budget {
                bucket: bucket.name(),
                per_minute: limits.per_minute(*bucket).max(1),
            };
            if let Verdict::Refused { retry_after } =
                persistence::throttle::take(conn, budget, &digest(key), now)?
            {
                let seconds = retry_after.num_milliseconds() as f64 / 1000.0;
                return Err(too_many(seconds));
            }
        }
        Ok(())
    }
}

/// The digest a key is stored under: the budgets name no login or address.
pub fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn too_many(seconds: f64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after: (seconds.ceil() as u64).max(1),
    }
}
