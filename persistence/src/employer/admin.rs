//! Who may act in the employer cabinet: an employer account acts for its
//! organisation, and admin actions go through the organisation's roster
//! (`domain::employer_admin`), read under a lock on the organisation's row.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::employer_admin::{Account, Roster};
use domain::role::Role;

use super::error::EmployerError;
use crate::schema::{employer_accounts, organizations, users};
use crate::DbConnection;

/// An employer account's organisation; no one else has one (`NotFound`).
pub(crate) fn organization_of(actor: &Actor) -> Result<&str, EmployerError> {
    match (actor.role, actor.organization_id.as_deref()) {
        (Role::Employer, Some(org)) => Ok(org),
        _ => Err(EmployerError::NotFound),
    }
}

/// The organisation's accounts as the admin rules need them. The organisation's row
/// is locked first (a no-op update, portable to both backends), so admin actions of one
/// organisation run one after another: on PostgreSQL a transfer racing a block or a
/// close could otherwise leave a blocked admin, or none.
pub(super) fn roster(
    conn: &mut DbConnection,
    organization_id: &str,
) -> Result<Roster<String>, EmployerError> {
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
pub(crate) fn as_admin<'a>(
    conn: &mut DbConnection,
    actor: &'a Actor,
) -> Result<&'a str, EmployerError> {
    let org = organization_of(actor)?;
    roster(conn, org)?.ensure_admin(&actor.user_id)?;
    Ok(org)
}
