//! «Забыли пароль?» (SPEC §4): a one-time link to the account's e-mail, and the new
//! password set through it. Links are stored as digests of their tokens; a link works
//! once, for [`domain::password_reset::lifetime`]; setting the password ends every
//! session of the account and every other link.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::notification::Channel;
use domain::password_reset::{self, LinkState};

use crate::schema::{password_resets, sessions, users};
use crate::{db, outbox, DbConnection, StoreError};

/// Why a presented link does not work. The client hears one answer for all three.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("the link is unknown")]
    Unknown,
    #[error("the link was already used")]
    Used,
    #[error("the link has expired")]
    Expired,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ResetError {
    fn from(e: diesel::result::Error) -> Self {
        ResetError::Store(e.into())
    }
}

/// A link to send: the digest kept here and the address the person follows.
pub struct Link<'a> {
    pub token_hash: &'a str,
    pub url: &'a str,
}

/// Sends a link to the account named by `login_or_email` (its login, or an e-mail
/// that exactly one account has), if that account exists, is not blocked, has an
/// e-mail and was sent fewer than [`password_reset::LINKS_PER_WINDOW`] links lately.
/// Otherwise nothing happens: the caller answers the same either way, so the form
/// does not tell who is registered. The message goes through the outbox in the same
/// transaction.
pub fn request(
    conn: &mut DbConnection,
    login_or_email: &str,
    link: Link<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        let Some((user_id, login, email)) = addressee(conn, login_or_email)? else {
            return Ok(());
        };
        let recent: i64 = password_resets::table
            .filter(password_resets::user_id.eq(&user_id))
            .filter(password_resets::created_at.gt(now - password_reset::window()))
            .count()
            .get_result(conn)?;
        if !password_reset::may_send(recent) {
            tracing::info!(user_id, "password reset link not sent: too many lately");
            return Ok(());
        }
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::token_hash.eq(link.token_hash),
                password_resets::user_id.eq(&user_id),
                password_resets::created_at.eq(now),
                password_resets::expires_at.eq(password_reset::expires_at(now)),
            ))
            .execute(conn)?;
        let message = domain::messages::password_reset(
            &login,
            link.url,
            password_reset::lifetime().num_minutes(),
        );
        outbox::enqueue(
            conn,
            Channel::Email,
            &email,
            &message.title,
            &message.body,
            now,
        )
    })
}

/// The live account a reset request names, with its login and e-mail.
fn addressee(
    conn: &mut DbConnection,
    login_or_email: &str,
) -> Result<Option<(String, String, String)>, StoreError> {
    let live = || {
        users::table.filter(users::blocked_at.is_null()).select((
            users::id,
            users::login,
            users::email,
        ))
    };
    let by_login: Option<(String, String, Option<String>)> = live()
        .filter(users::login.eq(crate::accounts::normalize_login(login_or_email)))
        .first(conn)
        .optional()?;
    let found = match by_login {
        Some(found) => Some(found),
        None if login_or_email.contains('@') => {
            let mut holders: Vec<(String, String, Option<String>)> = live()
                .filter(users::email.eq(login_or_email.trim()))
                .limit(2)
                .load(conn)?;
            // An address shared by several accounts names none of them.
            (holders.len() == 1).then(|| holders.remove(0))
        }
        None => None,
    };
    Ok(found.and_then(|(id, login, email)| email.map(|email| (id, login, email))))
}

/// Whether a link works now, without using it: checked before the new password is
/// hashed, so that a flood of made-up links costs no hashing.
pub fn check(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(), ResetError> {
    let found: Option<(NaiveDateTime, Option<NaiveDateTime>)> = password_resets::table
        .find(token_hash)
        .select((password_resets::expires_at, password_resets::used_at))
        .first(conn)
        .optional()?;
    let (expires_at, used_at) = found.ok_or(ResetError::Unknown)?;
    match password_reset::state(expires_at, used_at, now) {
        LinkState::Usable => Ok(()),
        LinkState::Used => Err(ResetError::Used),
        LinkState::Expired => Err(ResetError::Expired),
    }
}

/// Sets the new password through a link, once: the link and every other link of the
/// account stop working, and every session of the account ends. Answers the
/// account's id.
pub fn confirm(
    conn: &mut DbConnection,
    ctx: &domain::audit::AuditContext,
    token_hash: &str,
    new_hash: &str,
    now: NaiveDateTime,
) -> Result<String, ResetError> {
    db::write(conn, |conn| {
        check(conn, token_hash, now)?;
        let claimed = diesel::update(
            password_resets::table
                .filter(password_resets::token_hash.eq(token_hash))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(now))
        .execute(conn)?;
        if claimed != 1 {
            // Another request used it between the check and here.
            return Err(ResetError::Used);
        }
        let user_id: String = password_resets::table
            .find(token_hash)
            .select(password_resets::user_id)
            .first(conn)?;
        diesel::update(users::table.find(&user_id))
            .set((users::password_hash.eq(new_hash), users::updated_at.eq(now)))
            .execute(conn)?;
        diesel::update(
            password_resets::table
                .filter(password_resets::user_id.eq(&user_id))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(now))
        .execute(conn)?;
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(&user_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
        crate::feed::record(conn, domain::change::Change::Account(user_id.clone()))?;
        // Nobody is signed in: the entry names no actor, only where the link was used.
        crate::audit::record_by(
            conn,
            None,
            ctx,
            domain::audit::AuditAction::PasswordReset,
            crate::audit::Target::account(&user_id),
            now,
        )?;
        Ok(user_id)
    })
}
