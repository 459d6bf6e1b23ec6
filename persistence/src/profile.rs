//! The signed-in account with everything its cabinet header shows.

use diesel::prelude::*;
use domain::role::Role;

use crate::accounts::User;
use crate::centres::Centre;
use crate::citizens::Citizen;
use crate::organizations::Organization;
use crate::schema::{centres, citizens, employer_accounts, organizations, users};
use crate::{DbConnection, StoreError};
use domain::actor::Actor;

#[derive(Debug, Clone)]
pub struct Profile {
    pub user: User,
    pub auth_method: String,
    pub centre: Option<Centre>,
    pub citizen: Option<Citizen>,
    pub organization: Option<(Organization, bool)>,
}

/// One statement whatever the role: the account joined to its centre, citizen record
/// and employer membership. `GET /me` is among the most frequent calls, and on
/// PostgreSQL each statement is a round trip.
pub fn load(conn: &mut DbConnection, actor: &Actor) -> Result<Profile, StoreError> {
    let (user, centre, citizen, organization, is_admin): ProfileRow = per_backend!(conn, |c| {
        users::table
            .left_join(centres::table.on(centres::id.nullable().eq(users::centre_id)))
            .left_join(citizens::table)
            .left_join(employer_accounts::table)
            .left_join(
                organizations::table.on(organizations::id.eq(employer_accounts::organization_id)),
            )
            .filter(users::id.eq(&actor.user_id))
            .select((
                User::as_select(),
                Option::<Centre>::as_select(),
                Option::<Citizen>::as_select(),
                Option::<Organization>::as_select(),
                employer_accounts::is_admin.nullable(),
            ))
            .first(c)
    })?;
    let citizen = match actor.role {
        Role::Citizen => Some(citizen.ok_or(StoreError::NotFound)?),
        _ => None,
    };
    let organization = match actor.role {
        Role::Employer => Some((
            organization.ok_or(StoreError::NotFound)?,
            is_admin.unwrap_or(false),
        )),
        _ => None,
    };
    Ok(Profile {
        user,
        auth_method: actor.auth_method.clone(),
        centre,
        citizen,
        organization,
    })
}

type ProfileRow = (
    User,
    Option<Centre>,
    Option<Citizen>,
    Option<Organization>,
    Option<bool>,
);
