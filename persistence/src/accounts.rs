//! Accounts and their sessions: the `users` row and its login, sessions with their
//! rotating refresh tokens, the [`Actor`] every request is checked against (loaded
//! fresh, so a block or a revoked session stops at once), and the account's own
//! settings (password, e-mail with its notice to the old address, SPEC §4).
//!
//! A session is one login on one device; its refresh tokens rotate on every use, and
//! presenting a used one again revokes the whole session (the token was stolen or
//! replayed).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::audit::{AuditAction, AuditContext};
use domain::change::Change;
use domain::role::Role;

use crate::audit::{self, Target};

use crate::schema::{employer_accounts, refresh_tokens, sessions, users};
use crate::{db, new_id, DbConnection, StoreError};

/// Why a token no longer admits its bearer.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the session has ended")]
    SessionEnded,
    #[error("the account is blocked by {by}")]
    Blocked { by: String },
    #[error("the refresh token is unknown or expired")]
    InvalidRefresh,
    #[error("the refresh token was already used; the session is revoked")]
    RefreshReused {
        /// The session revoked for it.
        session_id: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for AuthError {
    fn from(e: diesel::result::Error) -> Self {
        AuthError::Store(e.into())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct User {
    pub id: String,
    pub role: String,
    pub login: String,
    pub password_hash: Option<String>,
    pub email: Option<String>,
    pub display_name: String,
    pub centre_id: Option<String>,
    pub blocked_at: Option<NaiveDateTime>,
    pub blocked_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    /// A fresh, unblocked account.
    pub fn new(
        role: Role,
        login: &str,
        password_hash: Option<String>,
        email: Option<String>,
        display_name: String,
        centre_id: Option<String>,
        now: NaiveDateTime,
    ) -> User {
        User {
            id: new_id(),
            role: role.to_string(),
            login: normalize_login(login),
            password_hash,
            email,
            display_name,
            centre_id,
            blocked_at: None,
            blocked_by: None,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn role(&self) -> Result<Role, StoreError> {
        Ok(self.role.parse()?)
    }
}

/// Logins compare case-insensitively: `Ivanov` and `ivanov` are one account.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Inserts an account; a taken login is a `Conflict`.
pub fn insert_user(conn: &mut DbConnection, user: &User) -> Result<(), StoreError> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    Ok(())
}

pub fn find_by_login(conn: &mut DbConnection, login: &str) -> Result<Option<User>, StoreError> {
    Ok(users::table
        .filter(users::login.eq(normalize_login(login)))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_user(conn: &mut DbConnection, id: &str) -> Result<User, StoreError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?)
}

/// What a new session hands to the client (the raw refresh token never touches the
/// database; only its hash does).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub session_id: String,
    pub user_id: String,
    pub role: Role,
}

/// Lifetimes of a session and of one refresh token.
#[derive(Debug, Clone, Copy)]
pub struct SessionTerms {
    /// The session's absolute lifetime, however active it is.
    pub refresh_ttl: TimeDelta,
    /// How long a session lasts without a refresh (seed 002: sessions end after
    /// inactivity): each refresh token works this long, never past the session's end.
    pub idle_ttl: TimeDelta,
}

impl SessionTerms {
    fn token_expiry(&self, session_expires_at: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
        (now + self.idle_ttl).min(session_expires_at)
    }
}

/// Opens a session for a user who just proved who they are.
pub fn open_session(
    conn: &mut DbConnection,
    user: &User,
    auth_method: &str,
    refresh_hash: &str,
    terms: SessionTerms,
    now: NaiveDateTime,
) -> Result<NewSession, AuthError> {
    open(conn, user, auth_method, refresh_hash, terms, now, None)
}

/// [`open_session`] for a sign-in, journaled (`sign_in`) in the same transaction.
pub fn sign_in(
    conn: &mut DbConnection,
    user: &User,
    auth_method: &str,
    refresh_hash: &str,
    terms: SessionTerms,
    now: NaiveDateTime,
    ctx: &AuditContext,
) -> Result<NewSession, AuthError> {
    open(conn, user, auth_method, refresh_hash, terms, now, Some(ctx))
}

/// Journals a refused sign-in to an existing account (`sign_in_failed`); the caller
/// answers the client the same whether or not the account exists.
pub fn sign_in_failed(
    conn: &mut DbConnection,
    user_id: &str,
    ctx: &AuditContext,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        audit::record_by(
            conn,
            None,
            ctx,
            AuditAction::SignInFailed,
            Target::account(user_id),
            now,
        )
    })
}

fn open(
    conn: &mut DbConnection,
    user: &User,
    auth_method: &str,
    refresh_hash: &str,
    terms: SessionTerms,
    now: NaiveDateTime,
    journal: Option<&AuditContext>,
) -> Result<NewSession, AuthError> {
    if user.blocked_at.is_some() {
        // The right password, refused: the person reads of it once unblocked.
        if let Some(ctx) = journal {
            sign_in_failed(conn, &user.id, ctx, now)?;
        }
        let by = user
            .blocked_by
            .clone()
            .unwrap_or_else(|| "centre_staff".to_owned());
        return Err(AuthError::Blocked { by });
    }
    let session_id = new_id();
    db::write(conn, |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(&session_id),
                sessions::user_id.eq(&user.id),
                sessions::auth_method.eq(auth_method),
                sessions::created_at.eq(now),
                sessions::expires_at.eq(now + terms.refresh_ttl),
            ))
            .execute(conn)?;
        let expires_at = terms.token_expiry(now + terms.refresh_ttl, now);
        insert_refresh(conn, &session_id, refresh_hash, expires_at, now)?;
        if let Some(ctx) = journal {
            audit::record_by(
                conn,
                Some(&user.id),
                ctx,
                AuditAction::SignIn,
                Target::account(&user.id),
                now,
            )?;
        }
        Ok::<_, AuthError>(())
    })?;
    Ok(NewSession {
        session_id,
        user_id: user.id.clone(),
        role: user.role()?,
    })
}

fn insert_refresh(
    conn: &mut DbConnection,
    session_id: &str,
    hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Exchanges a refresh token for a new one. A token used twice revokes its session
/// (and names it in the error): whoever holds the other copy loses access too, while
/// the account's other sessions go on.
pub fn rotate_refresh(
    conn: &mut DbConnection,
    old_hash: &str,
    new_hash: &str,
    terms: SessionTerms,
    now: NaiveDateTime,
) -> Result<NewSession, AuthError> {
    db::write(conn, |conn| {
        let found: Option<(String, NaiveDateTime, Option<NaiveDateTime>)> = refresh_tokens::table
            .find(old_hash)
            .select((
                refresh_tokens::session_id,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
            ))
            .first(conn)
            .optional()?;
        let Some((session_id, expires_at, used_at)) = found else {
            return Ok(Err(AuthError::InvalidRefresh));
        };
        if used_at.is_some() {
            revoke(conn, &session_id, now)?;
            return Ok(Err(AuthError::RefreshReused { session_id }));
        }
        if expires_at <= now {
            return Ok(Err(AuthError::InvalidRefresh));
        }
        let claimed = diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(old_hash))
                .filter(refresh_tokens::used_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
        if claimed != 1 {
            revoke(conn, &session_id, now)?;
            return Ok(Err(AuthError::RefreshReused { session_id }));
        }
        let actor = load_actor(conn, &session_id, now)?;
        let actor = match actor {
            Ok(actor) => actor,
            Err(e) => return Ok(Err(e)),
        };
        let expires_at = terms.token_expiry(actor.session_expires_at, now);
        insert_refresh(conn, &session_id, new_hash, expires_at, now)?;
        Ok::<_, AuthError>(Ok(NewSession {
            session_id,
            user_id: actor.user_id,
            role: actor.role,
        }))
    })?
}

/// Until when the session goes on unless its client refreshes it: its newest unused
/// refresh token's end (seed 002: a session ends after inactivity), never past the
/// session's own end. `None` once it has ended: revoked, past its lifetime, or no
/// refresh token left that works. Each refresh moves this later.
pub fn active_until(
    conn: &mut DbConnection,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, StoreError> {
    let session: Option<(NaiveDateTime, Option<NaiveDateTime>)> = sessions::table
        .find(session_id)
        .select((sessions::expires_at, sessions::revoked_at))
        .first(conn)
        .optional()?;
    let Some((expires_at, None)) = session else {
        return Ok(None);
    };
    let newest: Option<NaiveDateTime> = refresh_tokens::table
        .filter(refresh_tokens::session_id.eq(session_id))
        .filter(refresh_tokens::used_at.is_null())
        .select(diesel::dsl::max(refresh_tokens::expires_at))
        .first(conn)?;
    Ok(newest
        .map(|until| until.min(expires_at))
        .filter(|until| *until > now))
}

/// Ends a session: its refresh tokens stop working, and so do access tokens that
/// carry its id. One write with its change, so that every process hears of it if it
/// commits (a sign-out that committed alone, its change then lost, would leave other
/// processes' live streams running).
pub fn revoke(
    conn: &mut DbConnection,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    crate::db::write(conn, |conn| {
        diesel::update(
            sessions::table
                .filter(sessions::id.eq(session_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
        crate::feed::record(conn, Change::Session(session_id.to_owned()))
    })
}

/// Loads the acting account behind an access token's user and session ids.
pub fn actor(
    conn: &mut DbConnection,
    user_id: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<Actor, AuthError> {
    let actor = load_actor(conn, session_id, now)??;
    if actor.user_id != user_id {
        return Err(AuthError::SessionEnded);
    }
    Ok(actor)
}

type ActorRow = (
    String,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
    Option<String>,
    Option<bool>,
);

fn load_actor(
    conn: &mut DbConnection,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<Result<Actor, AuthError>, StoreError> {
    let query = sessions::table
        .inner_join(users::table.left_join(employer_accounts::table))
        .filter(sessions::id.eq(session_id))
        .select((
            users::id,
            users::role,
            users::blocked_at,
            users::blocked_by,
            sessions::auth_method,
            users::centre_id,
            sessions::revoked_at,
            sessions::expires_at,
            employer_accounts::organization_id.nullable(),
            employer_accounts::is_admin.nullable(),
        ));
    let row: Option<ActorRow> = per_backend!(conn, |c| query.first(c)).optional()?;
    let Some((
        user_id,
        role,
        blocked_at,
        blocked_by,
        auth_method,
        centre_id,
        revoked,
        expires,
        org,
        admin,
    )) = row
    else {
        return Ok(Err(AuthError::SessionEnded));
    };
    if revoked.is_some() || expires <= now {
        return Ok(Err(AuthError::SessionEnded));
    }
    if blocked_at.is_some() {
        let by = blocked_by.unwrap_or_else(|| "centre_staff".to_owned());
        return Ok(Err(AuthError::Blocked { by }));
    }
    Ok(Ok(Actor {
        user_id,
        session_id: session_id.to_owned(),
        role: role.parse()?,
        centre_id,
        organization_id: org,
        is_admin: admin.unwrap_or(false),
        auth_method,
        session_expires_at: expires,
    }))
}

/// Sets a new password hash and ends every other session of the account: whoever
/// knew the old password is signed out everywhere but here.
pub fn change_password(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    new_hash: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::PasswordChange,
            Target::account(&actor.user_id),
            now,
        )?;
        diesel::update(users::table.find(&actor.user_id))
            .set((users::password_hash.eq(new_hash), users::updated_at.eq(now)))
            .execute(conn)?;
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(&actor.user_id))
                .filter(sessions::id.ne(&actor.session_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
        crate::feed::record(conn, Change::Account(actor.user_id.clone()))
    })
}

/// Changes the contact e-mail and, in the same transaction, queues a notice to the old
/// address (SPEC §4), so that a hijacked session cannot quietly take the account.
pub fn change_email(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    new_email: &str,
    now: NaiveDateTime,
) -> Result<User, StoreError> {
    let user = db::write(conn, |conn| {
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::EmailChange,
            Target::account(&actor.user_id),
            now,
        )?;
        let before = get_user(conn, &actor.user_id)?;
        diesel::update(users::table.find(&actor.user_id))
            .set((users::email.eq(new_email), users::updated_at.eq(now)))
            .execute(conn)?;
        if let Some(old) = before.email.as_deref().filter(|old| *old != new_email) {
            let notice = domain::messages::email_changed(&before.login, new_email);
            crate::outbox::enqueue(
                conn,
                domain::notification::Channel::Email,
                old,
                &notice.title,
                &notice.body,
                now,
            )?;
        }
        crate::feed::record(conn, Change::Account(actor.user_id.clone()))?;
        get_user(conn, &actor.user_id)
    })?;
    Ok(user)
}
