//! The organisation's contact persons and their cabinets (SPEC §3): the admin adds,
//! edits and deletes contacts, opens, blocks and closes their cabinets, and hands the
//! admin flag over; every account of the organisation reads the list.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::audit::{AuditAction, AuditContext};
use domain::employer_admin::AdminError;
use domain::quota::Holding;

use super::admin::{as_admin, organization_of, roster};
use super::error::EmployerError;
use crate::accounts::{insert_user, User};
use crate::audit::{self, Target};
use crate::feed;
use crate::schema::{contacts, employer_accounts, sessions, users};
use crate::{db, new_id, DbConnection, StoreError};
use domain::change::Change;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = contacts, treat_none_as_default_value = false)]
pub struct ContactRow {
    pub id: String,
    pub organization_id: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub position: Option<String>,
    pub phones: String,
    pub email: Option<String>,
    pub esia_registered: bool,
    pub user_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A contact person with the state of their cabinet.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub row: ContactRow,
    pub phones: Vec<String>,
    pub login: Option<String>,
    pub is_admin: bool,
    pub blocked: bool,
}

/// A contact person's details as the admin enters them.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub position: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub esia_registered: bool,
}

/// Stores a contact card of the organisation; returns its id.
pub(crate) fn insert_contact(
    conn: &mut DbConnection,
    organization_id: &str,
    input: &ContactInput,
    user_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<String, EmployerError> {
    let id = new_id();
    let row = ContactRow {
        id: id.clone(),
        organization_id: organization_id.to_owned(),
        last_name: input.last_name.clone(),
        first_name: input.first_name.clone(),
        middle_name: input.middle_name.clone(),
        position: input.position.clone(),
        phones: serde_json::to_string(&input.phones)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        email: input.email.clone(),
        esia_registered: input.esia_registered,
        user_id: user_id.map(str::to_owned),
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(contacts::table)
        .values(&row)
        .execute(conn)?;
    Ok(id)
}

type ContactJoin = (
    ContactRow,
    Option<String>,
    Option<bool>,
    Option<NaiveDateTime>,
);

fn contact_from(row: ContactJoin) -> Result<Contact, EmployerError> {
    let (row, login, is_admin, blocked) = row;
    Ok(Contact {
        phones: serde_json::from_str(&row.phones)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        login,
        is_admin: is_admin.unwrap_or(false),
        blocked: blocked.is_some(),
        row,
    })
}

fn contacts_query<'a>(org: &'a str) -> contacts::BoxedQuery<'a, crate::db::MultiBackend> {
    contacts::table
        .filter(contacts::organization_id.eq(org))
        .into_boxed()
}

fn load_contacts(
    conn: &mut DbConnection,
    org: &str,
    id: Option<&str>,
) -> Result<Vec<Contact>, EmployerError> {
    let mut q = contacts_query(org);
    if let Some(id) = id {
        q = q.filter(contacts::id.eq(id.to_owned()));
    }
    let ids: Vec<ContactRow> = q
        .order((
            contacts::last_name.asc(),
            contacts::first_name.asc(),
            contacts::id.asc(),
        ))
        .select(ContactRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(ids.len());
    for row in ids {
        let account: Option<(String, bool, Option<NaiveDateTime>)> = match &row.user_id {
            Some(user) => users::table
                .inner_join(employer_accounts::table)
                .filter(users::id.eq(user))
                .select((users::login, employer_accounts::is_admin, users::blocked_at))
                .first(conn)
                .optional()?,
            None => None,
        };
        let (login, admin, blocked) = match account {
            Some((l, a, b)) => (Some(l), Some(a), b),
            None => (None, None, None),
        };
        out.push(contact_from((row, login, admin, blocked))?);
    }
    Ok(out)
}

/// The organisation's contact persons, by name; any account of the organisation may read them.
pub fn contacts(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<Contact>, EmployerError> {
    let org = organization_of(actor)?;
    load_contacts(conn, org, None)
}

pub fn contact(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Contact, EmployerError> {
    let org = organization_of(actor)?;
    load_contacts(conn, org, Some(id))?
        .pop()
        .ok_or(EmployerError::NotFound)
}

pub fn add_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    input: &ContactInput,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    db::write(conn, |conn| {
        let org = as_admin(conn, actor)?.to_owned();
        crate::quota::ensure_room(conn, Holding::Contacts, &org)?;
        let id = insert_contact(conn, &org, input, None, now)?;
        load_contacts(conn, &org, Some(&id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })
}

/// Replaces a contact's card. The card of a contact with a cabinet is that person's
/// data (their name, e-mail, phones): the change goes to their journal.
pub fn edit_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    input: &ContactInput,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    db::write(conn, |conn| {
        let org = as_admin(conn, actor)?.to_owned();
        let (_, user) = contact_account(conn, &org, id)?;
        let phones =
            serde_json::to_string(&input.phones).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changed = diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::organization_id.eq(&org)),
        )
        .set((
            contacts::last_name.eq(&input.last_name),
            contacts::first_name.eq(&input.first_name),
            contacts::middle_name.eq(&input.middle_name),
            contacts::position.eq(&input.position),
            contacts::phones.eq(phones),
            contacts::email.eq(&input.email),
            contacts::esia_registered.eq(input.esia_registered),
            contacts::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(EmployerError::NotFound);
        }
        if let Some(user) = &user {
            let card = Target {
                record_type: "contact",
                record_id: id,
                subject_id: user,
            };
            audit::record(conn, actor, ctx, AuditAction::ProfileChange, card, now)?;
        }
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })
}

/// The contact (of the admin's organisation) and its cabinet's user id.
fn contact_account(
    conn: &mut DbConnection,
    org: &str,
    id: &str,
) -> Result<(ContactRow, Option<String>), EmployerError> {
    let row: ContactRow = contacts::table
        .filter(contacts::id.eq(id))
        .filter(contacts::organization_id.eq(org))
        .select(ContactRow::as_select())
        .first(conn)?;
    let user = row.user_id.clone();
    Ok((row, user))
}

/// Closes a cabinet on `actor`'s word: the account can no longer sign in, its sessions
/// end, its login is freed, and its journal records who closed it. Its appeals stay
/// with the organisation (they are proof, SPEC §2).
fn close_account(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<(), EmployerError> {
    let login: String = users::table
        .find(user_id)
        .select(users::login)
        .first(conn)?;
    diesel::update(users::table.find(user_id))
        .set((
            users::blocked_at.eq(now),
            users::blocked_by.eq("cabinet_deleted"),
            users::login.eq(format!("deleted:{}:{login}", new_id())),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)?;
    diesel::delete(employer_accounts::table.find(user_id)).execute(conn)?;
    feed::record(conn, Change::Account(user_id.to_owned()))?;
    diesel::update(contacts::table.filter(contacts::user_id.eq(user_id)))
        .set(contacts::user_id.eq(None::<String>))
        .execute(conn)?;
    let account = Target::account(user_id);
    audit::record(conn, actor, ctx, AuditAction::AccountClose, account, now)?;
    Ok(())
}

/// An admin action on a contact's cabinet: a member may lose their cabinet or the
/// admin flag, or gain it. Recorded in the action's write, so that whatever every
/// process remembers for the organisation's members goes, as their checked sessions
/// do, once it commits.
fn members_changed(conn: &mut DbConnection, org: &str) -> Result<(), StoreError> {
    feed::record(conn, Change::Organization(org.to_owned()))
}

/// Deletes a contact; its cabinet, if any, is closed first. The admin cannot delete itself.
pub fn delete_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), EmployerError> {
    db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        members_changed(conn, &org)?;
        roster.ensure_admin(&actor.user_id)?;
        let (_, user) = contact_account(conn, &org, id)?;
        if let Some(user) = user {
            roster.check_block_or_delete(&actor.user_id, &user)?;
            close_account(conn, actor, ctx, &user, now)?;
        }
        diesel::delete(contacts::table.find(id)).execute(conn)?;
        Ok(())
    })?;
    Ok(())
}

/// Opens a cabinet for a contact: a new employer account of the organisation, never
/// the admin (the flag moves only by transfer).
pub fn open_cabinet(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    user: &User,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    db::write(conn, |conn| {
        let org = as_admin(conn, actor)?.to_owned();
        let (_, existing) = contact_account(conn, &org, id)?;
        if existing.is_some() {
            return Err(EmployerError::HasCabinet);
        }
        insert_user(conn, user).map_err(|e| match e {
            StoreError::Conflict(_) => EmployerError::LoginTaken,
            other => other.into(),
        })?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&user.id),
                employer_accounts::organization_id.eq(&org),
                employer_accounts::is_admin.eq(false),
            ))
            .execute(conn)?;
        let linked = diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::user_id.is_null()),
        )
        .set((contacts::user_id.eq(&user.id), contacts::updated_at.eq(now)))
        .execute(conn)?;
        if linked != 1 {
            return Err(EmployerError::HasCabinet);
        }
        let account = Target::account(&user.id);
        audit::record(conn, actor, ctx, AuditAction::AccountCreate, account, now)?;
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })
}

pub fn close_cabinet(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), EmployerError> {
    db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        members_changed(conn, &org)?;
        let (_, user) = contact_account(conn, &org, id)?;
        let user = user.ok_or(EmployerError::NoCabinet)?;
        roster.check_block_or_delete(&actor.user_id, &user)?;
        close_account(conn, actor, ctx, &user, now)
    })?;
    Ok(())
}

/// Blocks (`true`) or unblocks a contact's cabinet. A blocked account cannot sign in
/// and its live tokens stop at once (every request re-reads the account).
pub fn set_blocked(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    blocked: bool,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    let done = db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        members_changed(conn, &org)?;
        let (_, user) = contact_account(conn, &org, id)?;
        let user = user.ok_or(EmployerError::NoCabinet)?;
        roster.check_block_or_delete(&actor.user_id, &user)?;
        let (at, by) = if blocked {
            (Some(now), Some("organization_admin"))
        } else {
            (None, None)
        };
        diesel::update(users::table.find(&user))
            .set((
                users::blocked_at.eq(at),
                users::blocked_by.eq(by),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        feed::record(conn, Change::Account(user.clone()))?;
        let action = if blocked {
            AuditAction::AccountBlock
        } else {
            AuditAction::AccountUnblock
        };
        audit::record(conn, actor, ctx, action, Target::account(&user), now)?;
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })?;
    Ok(done)
}

/// Moves the admin flag to the contact's account. The acting admin's flag is cleared
/// only while it is still set, so of two transfers racing from the same admin exactly
/// one goes through; the other finds it is no longer the admin. Both accounts' journals
/// record the move.
pub fn transfer_admin(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    id: &str,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    let done = db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        members_changed(conn, &org)?;
        let (_, user) = contact_account(conn, &org, id)?;
        let user = user.ok_or(EmployerError::NoCabinet)?;
        let transfer = roster.transfer(&actor.user_id, &user)?;
        let cleared = diesel::update(
            employer_accounts::table
                .filter(employer_accounts::user_id.eq(&transfer.from))
                .filter(employer_accounts::is_admin.eq(true)),
        )
        .set(employer_accounts::is_admin.eq(false))
        .execute(conn)?;
        if cleared != 1 {
            return Err(AdminError::NotAdmin.into());
        }
        diesel::update(
            employer_accounts::table.filter(employer_accounts::user_id.eq(&transfer.to)),
        )
        .set(employer_accounts::is_admin.eq(true))
        .execute(conn)?;
        let after = self::roster(conn, &org)?;
        if after.admin().map(|a| &a.id) != Some(&transfer.to) {
            return Err(StoreError::Corrupt("admin transfer left no single admin".into()).into());
        }
        for account in [&transfer.from, &transfer.to] {
            let target = Target::account(account);
            audit::record(conn, actor, ctx, AuditAction::AdminTransfer, target, now)?;
        }
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })?;
    Ok(done)
}

/// The user id behind a contact's cabinet, for listing its appeals (admin only).
pub fn contact_user(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<String, EmployerError> {
    let org = as_admin(conn, actor)?.to_owned();
    let (_, user) = contact_account(conn, &org, id)?;
    user.ok_or(EmployerError::NoCabinet)
}
