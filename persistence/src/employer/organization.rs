//! The organisation's card (SPEC §3): registering the organisation with its admin,
//! reading it, and the admin's changes, which file an appeal when main data changes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::appeal::AppealStatus;
use domain::appeal_centre;
use domain::appeal_type::AppealType;
use domain::messages;
use domain::organization::{self, Change};

use super::admin::{as_admin, organization_of};
use super::contacts::{insert_contact, ContactInput};
use super::error::EmployerError;
use crate::accounts::{insert_user, User};
use crate::appeals::{self, Appeal, Filing};
use crate::organizations::{Card, NewOrganization, Organization};
use crate::schema::{employer_accounts, organizations};
use crate::{db, DbConnection, StoreError};

/// Registers an organisation with its first account, which becomes the admin, and
/// the admin's contact card, in one transaction; returns the organisation's id. It
/// stays pending until ESIA or centre staff verify it.
pub fn register(
    conn: &mut DbConnection,
    organization: &NewOrganization,
    admin: &User,
    contact: &ContactInput,
    now: NaiveDateTime,
) -> Result<String, EmployerError> {
    db::write(conn, |conn| {
        // The OGRN is not checked: registered by hand it is a claim that others may
        // share until one organisation under it is verified.
        let id = crate::organizations::insert(conn, organization, now)?;
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
        crate::feed::record(conn, domain::change::Change::Organization(org_id.clone()))?;
        Ok((crate::organizations::get(conn, &org_id)?, appeal))
    })?;
    Ok(written)
}
