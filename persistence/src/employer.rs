//! The employer's cabinet (SPEC §3): the organisation's requisites, its contact persons
//! and their cabinets under the admin flag, and the favourite candidates. Every rule
//! about the admin comes from `domain::employer_admin`; the partial unique index on
//! `employer_accounts` enforces the same in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::appeal::AppealStatus;
use domain::appeal_centre;
use domain::appeal_type::AppealType;
use domain::employer_admin::{Account, AdminError, Roster};
use domain::messages;
use domain::organization::{self, Change};
use domain::role::Role;

use crate::accounts::{insert_user, User};
use crate::appeals::{self, Appeal, AppealError, Filing};
use crate::organizations::{Card, NewOrganization, Organization};
use crate::schema::{
    contacts, employer_accounts, favourite_resumes, organizations, sessions, users,
};
use crate::watch::Watch;
use crate::{db, new_id, DbConnection, StoreError};

/// Why an employer-cabinet request was refused.
#[derive(Debug, thiserror::Error)]
pub enum EmployerError {
    #[error(transparent)]
    Admin(#[from] AdminError),
    #[error("not found")]
    NotFound,
    #[error("an organisation with this OGRN is registered already")]
    OgrnTaken,
    #[error("the login is taken")]
    LoginTaken,
    #[error("the contact already has a cabinet")]
    HasCabinet,
    #[error("the contact has no cabinet")]
    NoCabinet,
    #[error("the organisation changed since it was read")]
    Stale,
    #[error("no centre to address the change to")]
    NoCentre,
    #[error("no such draft of this form")]
    UnknownDraft,
    #[error("OGRN, INN and KPP describe different kinds of entity")]
    InconsistentRequisites,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EmployerError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => EmployerError::NotFound,
            StoreError::Stale => EmployerError::Stale,
            other => EmployerError::Store(other),
        }
    }
}

impl From<diesel::result::Error> for EmployerError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl From<AppealError> for EmployerError {
    fn from(e: AppealError) -> Self {
        match e {
            AppealError::NotFound => EmployerError::NotFound,
            AppealError::NoCentre | AppealError::UnknownCentre => EmployerError::NoCentre,
            AppealError::Store(s) => s.into(),
            other => EmployerError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = contacts)]
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

fn organization_of(actor: &Actor) -> Result<&str, EmployerError> {
    match (actor.role, actor.organization_id.as_deref()) {
        (Role::Employer, Some(org)) => Ok(org),
        _ => Err(EmployerError::NotFound),
    }
}

/// The organisation's accounts as the admin rules need them. The organisation's row
/// is locked first (a no-op update, portable to both backends), so admin actions of one
/// organisation run one after another: on PostgreSQL a transfer racing a block or a
/// close could otherwise leave a blocked admin, or none.
fn roster(conn: &mut DbConnection, organization_id: &str) -> Result<Roster<String>, EmployerError> {
    diesel::update(organizations::table.find(organization_id))
        .set(organizations::updated_at.eq(organizations::updated_at))
        .execute(conn)?;
    let rows: Vec<(String, bool, Option<NaiveDateTime>)> = employer_accounts::table
        .inner_join(users::table)
        .filter(employer_accounts::organization_id.eq(organization_id))
        .select((
            employer_accounts::user_id,
            employer_accounts::is_admin,
            users::blocked_at,
        ))
        .load(conn)?;
    Ok(Roster::new(
        rows.into_iter()
            .map(|(id, is_admin, blocked)| Account {
                id,
                is_admin,
                blocked: blocked.is_some(),
            })
            .collect(),
    )?)
}

/// Refuses anyone but the organisation's admin; returns the organisation's id.
fn as_admin<'a>(conn: &mut DbConnection, actor: &'a Actor) -> Result<&'a str, EmployerError> {
    let org = organization_of(actor)?;
    roster(conn, org)?.ensure_admin(&actor.user_id)?;
    Ok(org)
}

/// Registers an organisation with its first account, which becomes the admin, and
/// the admin's contact card, in one transaction; returns the organisation's id.
pub fn register(
    conn: &mut DbConnection,
    organization: &NewOrganization,
    admin: &User,
    contact: &ContactInput,
    now: NaiveDateTime,
) -> Result<String, EmployerError> {
    db::write(conn, |conn| {
        if crate::organizations::find_by_ogrn(conn, &organization.details.ogrn)?.is_some() {
            return Err(EmployerError::OgrnTaken);
        }
        let id = crate::organizations::insert(conn, organization, now).map_err(|e| match e {
            StoreError::Conflict(_) => EmployerError::OgrnTaken,
            other => other.into(),
        })?;
        insert_user(conn, admin).map_err(|e| match e {
            StoreError::Conflict(_) => EmployerError::LoginTaken,
            other => other.into(),
        })?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&admin.id),
                employer_accounts::organization_id.eq(&id),
                employer_accounts::is_admin.eq(true),
            ))
            .execute(conn)?;
        insert_contact(conn, &id, contact, Some(&admin.id), now)?;
        Ok(id)
    })
}

fn insert_contact(
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

/// The caller's organisation.
pub fn organization(conn: &mut DbConnection, actor: &Actor) -> Result<Organization, EmployerError> {
    let org = organization_of(actor)?;
    Ok(crate::organizations::get(conn, org)?)
}

/// Applies a change as the organisation's admin. A change of main data files the
/// appeal «Заявление на изменение сведений об организации» in the same transaction
/// (`domain::organization` says which fields are main data and how a change reads).
/// With `expected`, only if the organisation is still at that version.
pub fn update_organization(
    conn: &mut DbConnection,
    actor: &Actor,
    change: Change,
    expected: Option<i32>,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<(Organization, Option<Appeal>), EmployerError> {
    let written = db::write::<_, EmployerError>(conn, |conn| {
        let org_id = as_admin(conn, actor)?.to_owned();
        let stored = crate::organizations::get(conn, &org_id)?;
        if expected.is_some_and(|v| v != stored.version) {
            return Err(EmployerError::Stale);
        }
        let before = stored.details()?;
        let after = before.clone().apply(change);
        let changes = organization::diff(&before, &after);
        if changes.is_empty() {
            return Ok((stored, None));
        }
        if !after.requisites_agree() {
            return Err(EmployerError::InconsistentRequisites);
        }
        let updated = diesel::update(
            organizations::table
                .filter(organizations::id.eq(&org_id))
                .filter(organizations::version.eq(stored.version)),
        )
        .set(&Card::new(&after, stored.version + 1, now))
        .execute(conn)?;
        if updated != 1 {
            return Err(EmployerError::Stale);
        }
        let appeal = match messages::organization_change_appeal(&after.name, &changes) {
            None => None,
            Some(text) => {
                let centre = appeal_centre::addressee(
                    None,
                    stored.centre_id.as_deref(),
                    actor.centre_id.as_deref(),
                )
                .ok_or(EmployerError::NoCentre)?;
                let id = appeals::insert(
                    conn,
                    Filing {
                        applicant_id: &actor.user_id,
                        organization_id: Some(&org_id),
                        centre_id: centre,
                        appeal_type: AppealType::OrganizationDataChange,
                        subject: text.title,
                        body: text.body,
                        status: AppealStatus::Registered,
                    },
                    now,
                )?;
                Some(appeals::get(conn, actor, &id)?)
            }
        };
        Ok((crate::organizations::get(conn, &org_id)?, appeal))
    })?;
    watch.organization_changed(&written.0.id);
    if let Some(appeal) = &written.1 {
        appeal.announce_filed(watch);
    }
    Ok(written)
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
        let id = insert_contact(conn, &org, input, None, now)?;
        load_contacts(conn, &org, Some(&id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })
}

pub fn edit_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    input: &ContactInput,
    now: NaiveDateTime,
) -> Result<Contact, EmployerError> {
    db::write(conn, |conn| {
        let org = as_admin(conn, actor)?.to_owned();
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

/// Closes a cabinet: the account can no longer sign in, its sessions end, its login is
/// freed. Its appeals stay with the organisation (they are proof, SPEC §2).
fn close_account(
    conn: &mut DbConnection,
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
    diesel::update(contacts::table.filter(contacts::user_id.eq(user_id)))
        .set(contacts::user_id.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// An admin action on a contact's cabinet committed: a member may have lost their
/// cabinet or the admin flag, or gained it. Whatever is remembered for the
/// organisation's members goes, as their checked sessions do.
fn members_changed(actor: &Actor, watch: &dyn Watch) {
    if let Some(organization) = &actor.organization_id {
        watch.organization_changed(organization);
    }
}

/// Deletes a contact; its cabinet, if any, is closed first. The admin cannot delete itself.
pub fn delete_contact(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<(), EmployerError> {
    db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        roster.ensure_admin(&actor.user_id)?;
        let (_, user) = contact_account(conn, &org, id)?;
        if let Some(user) = user {
            roster.check_block_or_delete(&actor.user_id, &user)?;
            close_account(conn, &user, now)?;
        }
        diesel::delete(contacts::table.find(id)).execute(conn)?;
        Ok(())
    })?;
    members_changed(actor, watch);
    Ok(())
}

/// Opens a cabinet for a contact: a new employer account of the organisation, never
/// the admin (the flag moves only by transfer).
pub fn open_cabinet(
    conn: &mut DbConnection,
    actor: &Actor,
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
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })
}

pub fn close_cabinet(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<(), EmployerError> {
    db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
        let (_, user) = contact_account(conn, &org, id)?;
        let user = user.ok_or(EmployerError::NoCabinet)?;
        roster.check_block_or_delete(&actor.user_id, &user)?;
        close_account(conn, &user, now)
    })?;
    members_changed(actor, watch);
    Ok(())
}

/// Blocks (`true`) or unblocks a contact's cabinet. A blocked account cannot sign in
/// and its live tokens stop at once (every request re-reads the account).
pub fn set_blocked(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    blocked: bool,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<Contact, EmployerError> {
    let done = db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
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
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })?;
    members_changed(actor, watch);
    Ok(done)
}

/// Moves the admin flag to the contact's account. The acting admin's flag is cleared
/// only while it is still set, so of two transfers racing from the same admin exactly
/// one goes through; the other finds it is no longer the admin.
pub fn transfer_admin(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    watch: &dyn Watch,
) -> Result<Contact, EmployerError> {
    let done = db::write::<_, EmployerError>(conn, |conn| {
        let org = organization_of(actor)?.to_owned();
        let roster = roster(conn, &org)?;
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
        load_contacts(conn, &org, Some(id))?
            .pop()
            .ok_or(EmployerError::NotFound)
    })?;
    members_changed(actor, watch);
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

/// Stars a published resume for this employer account; starring twice is once.
pub fn add_favourite_resume(
    conn: &mut DbConnection,
    actor: &Actor,
    resume_id: &str,
    now: NaiveDateTime,
) -> Result<(), EmployerError> {
    organization_of(actor)?;
    db::write(conn, |conn| {
        crate::resumes::get_published(conn, resume_id)?;
        let key = favourite_resumes::table.find((&actor.user_id, resume_id));
        let present: bool = diesel::select(diesel::dsl::exists(key)).get_result(conn)?;
        if !present {
            db::insert_unless_present(conn, |conn| {
                diesel::insert_into(favourite_resumes::table)
                    .values((
                        favourite_resumes::user_id.eq(&actor.user_id),
                        favourite_resumes::resume_id.eq(resume_id),
                        favourite_resumes::created_at.eq(now),
                    ))
                    .execute(conn)
            })?;
        }
        Ok(())
    })
}

pub fn remove_favourite_resume(
    conn: &mut DbConnection,
    actor: &Actor,
    resume_id: &str,
) -> Result<(), EmployerError> {
    organization_of(actor)?;
    diesel::delete(favourite_resumes::table.find((&actor.user_id, resume_id))).execute(conn)?;
    Ok(())
}

/// Favourites still published, each with when it was starred, sorted by profession
/// (the profession's title, else the resume's), as SPEC §3 lists them.
pub fn favourite_resumes(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<(crate::resumes::Resume, NaiveDateTime)>, EmployerError> {
    organization_of(actor)?;
    let starred: Vec<(String, NaiveDateTime)> = favourite_resumes::table
        .filter(favourite_resumes::user_id.eq(&actor.user_id))
        .select((favourite_resumes::resume_id, favourite_resumes::created_at))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, at) in starred {
        match crate::resumes::get_published(conn, &id) {
            Ok(r) => out.push((r, at)),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let profession = |r: &crate::resumes::Resume| {
        r.input
            .profession_code
            .as_deref()
            .and_then(domain::reference::profession)
            .map(|p| p.title.to_lowercase())
            .unwrap_or_else(|| r.input.title.to_lowercase())
    };
    out.sort_by(|a, b| profession(&a.0).cmp(&profession(&b.0)).then(b.1.cmp(&a.1)));
    Ok(out)
}
