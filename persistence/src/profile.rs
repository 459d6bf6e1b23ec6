//! The signed-in account with everything its cabinet header shows.

use diesel::prelude::*;
use domain::role::Role;

use crate::accounts::{get_user, Actor, User};
use crate::centres::{self, Centre};
use crate::citizens::{self, Citizen};
use crate::organizations::{self, Organization};
use crate::schema::employer_accounts;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone)]
pub struct Profile {
    pub user: User,
    pub auth_method: String,
    pub centre: Option<Centre>,
    pub citizen: Option<Citizen>,
    pub organization: Option<(Organization, bool)>,
}

pub fn load(conn: &mut DbConnection, actor: &Actor) -> Result<Profile, StoreError> {
    let user = get_user(conn, &actor.user_id)?;
    let centre = match &user.centre_id {
        Some(id) => Some(centres::get(conn, id)?),
        None => None,
    };
    let citizen = match actor.role {
        Role::Citizen => Some(citizens::get(conn, &actor.user_id)?),
        _ => None,
    };
    let organization = match actor.role {
        Role::Employer => {
            let (org_id, admin): (String, bool) = employer_accounts::table
                .find(&actor.user_id)
                .select((
                    employer_accounts::organization_id,
                    employer_accounts::is_admin,
                ))
                .first(conn)?;
            Some((organizations::get(conn, &org_id)?, admin))
        }
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
