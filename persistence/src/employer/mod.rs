//! The employer's cabinet (SPEC §3): the organisation's card and its registration,
//! here; its contact persons and their cabinets under the admin flag
//! ([`contacts`]); the favourite candidates ([`favourites`]). Every rule about the admin
//! comes from `domain::employer_admin`; the partial unique index on
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
use crate::schema::{employer_accounts, organizations, users};
use crate::watch::Watch;
use crate::{db, DbConnection, StoreError};

mod contacts;
mod favourites;

use contacts::insert_contact;
pub use contacts::{
    add_contact, close_cabinet, contact, contact_user, contacts, delete_contact, edit_contact,
    open_cabinet, set_blocked, transfer_admin, Contact, ContactInput, ContactRow,
};
pub use favourites::{add_favourite_resume, favourite_resumes, remove_favourite_resume};

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

/// An employer use case files appeals for the organisation and reads them back; every
/// refusal of an applicant's own filing or move is named, so a new one cannot slip by.
impl From<AppealError> for EmployerError {
    fn from(e: AppealError) -> Self {
        match e {
            AppealError::NotFound => EmployerError::NotFound,
            AppealError::NoCentre | AppealError::UnknownCentre => EmployerError::NoCentre,
            AppealError::UnknownDraft => EmployerError::UnknownDraft,
            AppealError::Concurrent => EmployerError::Stale,
            AppealError::Store(s) => s.into(),
            // What the portal files itself is never refused as an applicant's own
            // appeal would be: one of these is a broken invariant.
            e @ (AppealError::NotFilable(_)
            | AppealError::Ineligible(_)
            | AppealError::Transition(_)
            | AppealError::NotStaff) => EmployerError::Store(StoreError::Corrupt(e.to_string())),
        }
    }
}

/// An employer account's organisation; no one else has one (`NotFound`).
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
