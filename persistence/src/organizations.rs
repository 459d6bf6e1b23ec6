//! Organisations and their employer accounts (SPEC §3).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::{insert_user, User};
use crate::schema::{employer_accounts, organizations};
use crate::{db, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Default, Queryable, Selectable, Insertable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub ogrn: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub legal_address: Option<String>,
    pub actual_address: Option<String>,
    pub email: Option<String>,
    pub centre_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The rating on the national platform (0–5), by which vacancies sort.
    pub rating: f64,
    pub legal_form: Option<String>,
    pub site: Option<String>,
    pub okved: Option<String>,
    pub ownership_form: Option<String>,
    pub headcount: Option<i32>,
    pub transport: Option<String>,
    pub social_guarantees: Option<String>,
    pub quota_account_number: Option<String>,
    pub quota_account_date: Option<chrono::NaiveDate>,
    /// Bumped on every change; clients send it back in `If-Match`.
    pub version: i32,
}

/// Creates an organisation with its first account, which becomes the admin.
pub fn register(
    conn: &mut DbConnection,
    organization: &Organization,
    admin: &User,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        diesel::insert_into(organizations::table)
            .values(organization)
            .execute(conn)?;
        insert_user(conn, admin)?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&admin.id),
                employer_accounts::organization_id.eq(&organization.id),
                employer_accounts::is_admin.eq(true),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Adds a non-admin account to an organisation.
pub fn add_account(
    conn: &mut DbConnection,
    organization_id: &str,
    user: &User,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        insert_user(conn, user)?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&user.id),
                employer_accounts::organization_id.eq(organization_id),
                employer_accounts::is_admin.eq(false),
            ))
            .execute(conn)?;
        Ok(())
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Organization, StoreError> {
    Ok(organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)?)
}

pub fn find_by_ogrn(
    conn: &mut DbConnection,
    ogrn: &str,
) -> Result<Option<Organization>, StoreError> {
    Ok(organizations::table
        .filter(organizations::ogrn.eq(ogrn))
        .select(Organization::as_select())
        .first(conn)
        .optional()?)
}
