//! What every handler shares, and the one way handlers reach the database: on the
//! blocking pool, never on an async worker.

use actix_web::web;
use chrono::{NaiveDateTime, TimeDelta, Utc};
use persistence::accounts::{self, Actor, AuthError};
use persistence::{Database, DbConnection};

use crate::auth::jwt::Keys;
use crate::auth::Bearer;
use crate::problem::ApiError;

pub struct AppState {
    pub db: Database,
    pub keys: Keys,
    pub refresh_ttl: TimeDelta,
    pub login_throttle: crate::throttle::LoginThrottle,
    /// One permit per pooled connection. A request waits here, on the async side, for
    /// a connection to be free instead of parking a blocking thread on the pool: with
    /// 64 clients and 8 connections the blocking pool otherwise grows to ~90 threads
    /// that mostly wake each other up (`make bench`).
    pub db_slots: tokio::sync::Semaphore,
    pub search_totals: crate::totals::SearchTotals,
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
        let _slot = self
            .db_slots
            .acquire()
            .await
            .map_err(|_| ApiError::Internal("the database gate is closed".into()))?;
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn).map_err(Into::into)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }

    /// Like [`AppState::run`], after loading the bearer's account and session in the
    /// same call: a blocked account or an ended session is refused here.
    pub async fn as_actor<T, E>(
        &self,
        bearer: &Bearer,
        f: impl FnOnce(&mut DbConnection, &Actor) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let (user_id, session_id) = (bearer.user_id.clone(), bearer.session_id.clone());
        self.run(move |conn| {
            let actor =
                accounts::actor(conn, &user_id, &session_id, now()).map_err(ApiError::from)?;
            f(conn, &actor).map_err(Into::into)
        })
        .await
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::SessionEnded => {
                ApiError::Unauthorized("The session has ended; sign in again")
            }
            AuthError::InvalidRefresh => {
                ApiError::Unauthorized("The refresh token is invalid or expired")
            }
            AuthError::RefreshReused => ApiError::Unauthorized(
                "The refresh token was already used; the session is revoked, sign in again",
            ),
            AuthError::Blocked { by } => crate::views::blocked(&by),
            AuthError::Store(e) => e.into(),
        }
    }
}
