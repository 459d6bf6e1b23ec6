//! What every handler shares, and the ways handlers reach the database: on the
//! blocking pool (`run`), or for a short SQLite read on the async worker itself
//! (`read`); either way after the bearer's session check when there is one.

use std::sync::Arc;

use actix_web::web;
use chrono::{NaiveDateTime, Utc};
use domain::actor::Actor;
use persistence::accounts;
use persistence::{Backend, Database, DbConnection};

use crate::auth::jwt::Keys;
use crate::auth::sessions::SessionCache;
use crate::auth::Bearer;
use crate::problem::ApiError;

pub struct AppState {
    pub db: Database,
    /// Also registered on its own as app data, where the [`Bearer`] extractor finds it.
    pub keys: web::Data<Keys>,
    /// A session's absolute lifetime and its lifetime without a refresh.
    pub session_terms: persistence::accounts::SessionTerms,
    /// The web cabinet's address: links in e-mails (a password reset) point there.
    pub public_url: String,
    /// Budgets of sign-in attempts, registrations and refreshes: count a request
    /// with [`AppState::check_budgets`].
    pub throttle: std::sync::Arc<crate::throttle::Throttle>,
    /// The threads that hash and check passwords, by lane.
    pub hashing: crate::auth::passwords::Hashing,
    /// Sign-in through Госуслуги; `None` when it is not configured.
    pub esia: Option<crate::esia::Esia>,
    /// One permit per pooled connection but one (kept for the background threads,
    /// which hold one briefly). A request waits here, on the async side, for a
    /// connection to be free instead of parking a blocking thread on the pool: with
    /// many more clients than connections the blocking pool otherwise grows a thread
    /// per waiting request, threads that mostly wake each other up.
    pub db_slots: tokio::sync::Semaphore,
    /// The public vacancy search's remembered totals and pages.
    pub vacancy_searches: crate::remembered::VacancySearches,
    /// Generations of what is remembered, moved by the change feed.
    pub changes: crate::remembered::Changes,
    /// Totals of the appeal lists many readers share.
    pub appeal_totals: crate::remembered::AppealTotals,
    /// Sessions that passed the check a moment ago; the change feed drops those a
    /// sign-out, a block or an admin action concerns.
    pub sessions: SessionCache,
    /// The change feed: applies every committed change to what is remembered, and
    /// wakes the live event streams.
    pub feed: std::sync::Arc<crate::feed::Feed>,
    /// How the live event streams run (`routes/events.rs`).
    pub events: crate::config::EventSettings,
    /// Commits the journal entries of reads; a read is served through it.
    pub journal: crate::journal::ReadJournal,
    /// Which URLs a webhook subscription may name.
    pub webhooks: crate::webhooks::Policy,
}

/// The current time as stored: UTC, microsecond precision (what both backends keep).
pub fn now() -> NaiveDateTime {
    use chrono::Timelike;
    let t = Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t)
}

impl AppState {
    /// Runs `f` with a pooled connection on the blocking pool.
    pub async fn run<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let _slot = self.slot().await?;
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn).map_err(Into::into)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }

    /// Counts a request against its budgets (`throttle.rs`): 429 with `Retry-After`
    /// when one is spent. Budgets in memory answer at once; shared ones take a
    /// connection.
    pub async fn check_budgets(&self, hits: crate::throttle::Hits) -> Result<(), ApiError> {
        if let Some(verdict) = self.throttle.check_local(&hits) {
            return verdict;
        }
        let throttle = self.throttle.clone();
        self.run(move |conn| throttle.check_shared(conn, &hits, now()))
            .await
    }

    /// Runs a short read with a pooled connection. SQLite in WAL mode never makes a
    /// reader wait for a lock, so there the read runs right here on the async worker:
    /// the hop to the blocking pool and back (two thread wake-ups) costs more than the
    /// statement itself.
    /// Only for reads bounded by an index (a row, a page): a scan would stall every
    /// request on this worker. `f` must not write. PostgreSQL reads wait on the
    /// network, so they keep the blocking pool.
    pub async fn read<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        if self.db.backend() != Backend::Sqlite {
            return self.run(f).await;
        }
        let _slot = self.slot().await?;
        let mut conn = self.db.conn()?;
        f(&mut conn).map_err(Into::into)
    }

    /// [`AppState::read`] for a signed-in caller, with the session check of
    /// [`AppState::as_actor`].
    pub async fn read_as_actor<T, E>(
        &self,
        bearer: &Bearer,
        f: impl FnOnce(&mut DbConnection, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        self.read(self.acting(bearer, Trust::Recent, f)).await
    }

    /// Like [`AppState::run`], after loading the bearer's account and session in the
    /// same call: a blocked account or an ended session is refused here. The session is
    /// checked in the database, never taken from memory: this is how writes run, and
    /// another process may have ended the session or blocked the account a moment ago.
    pub async fn as_actor<T, E>(
        &self,
        bearer: &Bearer,
        f: impl FnOnce(&mut DbConnection, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        self.run(self.acting(bearer, Trust::Database, f)).await
    }

    /// `f` preceded by the bearer's session check, on the same connection.
    fn acting<T, E>(
        &self,
        bearer: &Bearer,
        trust: Trust,
        f: impl FnOnce(&mut DbConnection, &Actor) -> Result<T, E> + Send + 'static,
    ) -> impl FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static
    where
        E: Into<ApiError>,
    {
        let check = SessionCheck {
            trust,
            user_id: bearer.user_id.clone(),
            session_id: bearer.session_id.clone(),
            sessions: self.sessions.clone(),
        };
        move |conn| {
            let actor = check.actor(conn)?;
            f(conn, &actor).map_err(Into::into)
        }
    }

    /// Waits, on the async side, for one of the pool's connections to be free. There is
    /// one permit fewer than connections: the background threads (mail, webhooks,
    /// reminders) take their connections without a permit, and an inline SQLite read
    /// must never wait for the pool on an async worker.
    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
        self.db_slots
            .acquire()
            .await
            .map_err(|_| ApiError::Internal("the database gate is closed".into()))
    }
}

/// Where a session check may take its answer from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// A check a moment ago, remembered: enough for a read.
    Recent,
    /// The database, now: for writes.
    Database,
}

/// A bearer's session, answered from the cache of recent checks (reads only) or, on
/// the connection the request already holds, from the database. Asked only once the
/// request holds its connection: a change made while it queued must count.
struct SessionCheck {
    trust: Trust,
    user_id: String,
    session_id: String,
    sessions: SessionCache,
}

impl SessionCheck {
    fn actor(self, conn: &mut DbConnection) -> Result<Arc<Actor>, ApiError> {
        let at = now();
        let epoch = self.sessions.epoch();
        if self.trust == Trust::Recent {
            if let Some(actor) = self.sessions.get(&self.user_id, &self.session_id, at) {
                return Ok(actor);
            }
        }
        let actor = Arc::new(accounts::actor(conn, &self.user_id, &self.session_id, at)?);
        self.sessions.remember(epoch, &actor);
        Ok(actor)
    }
}
