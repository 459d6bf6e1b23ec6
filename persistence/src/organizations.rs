//! Organisations and their employer accounts (SPEC §3): the stored card, read back as
//! `domain::organization::Details`, and the columns a registration or a change writes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::change::Change;
use domain::identifiers::{Inn, Kpp, Ogrn};
use domain::organization::{Details, Verification};

use crate::accounts::{insert_user, User};
use crate::schema::{employer_accounts, organizations};
use crate::{db, new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
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
    pub quota_account_date: Option<NaiveDate>,
    /// Bumped on every change; clients send it back in `If-Match`.
    pub version: i32,
    /// When ESIA or centre staff confirmed the organisation; empty while it is pending.
    pub verified_at: Option<NaiveDateTime>,
}

impl Organization {
    /// The card as domain values. Its identifiers were parsed before they were stored,
    /// so one that no longer parses is corrupt data.
    pub fn details(&self) -> Result<Details, StoreError> {
        let corrupt = |e: domain::identifiers::IdentifierError| {
            StoreError::Corrupt(format!("organisation {}: {e}", self.id))
        };
        Ok(Details {
            name: self.name.clone(),
            full_name: self.full_name.clone(),
            ogrn: Ogrn::parse(&self.ogrn).map_err(corrupt)?,
            inn: Inn::parse(&self.inn).map_err(corrupt)?,
            kpp: self
                .kpp
                .as_deref()
                .map(Kpp::parse)
                .transpose()
                .map_err(corrupt)?,
            legal_address: self.legal_address.clone(),
            actual_address: self.actual_address.clone(),
            legal_form: self.legal_form.clone(),
            email: self.email.clone(),
            site: self.site.clone(),
            okved: self.okved.clone(),
            ownership_form: self.ownership_form.clone(),
            headcount: self.headcount,
            transport: self.transport.clone(),
            social_guarantees: self.social_guarantees.clone(),
            quota_account_number: self.quota_account_number.clone(),
            quota_account_date: self.quota_account_date,
        })
    }
}

/// An organisation as it registers.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganization {
    pub details: Details,
    /// The centre the organisation deals with: its reports and changes go there.
    pub centre_id: Option<String>,
    /// The rating on the national platform (0–5).
    pub rating: f64,
}

/// The card's editable columns bound from domain values, with the version they make:
/// what registration inserts and a change sets (`None` stores `NULL`).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub(crate) struct Card<'a> {
    name: &'a str,
    full_name: &'a str,
    inn: &'a str,
    kpp: Option<&'a str>,
    legal_address: Option<&'a str>,
    actual_address: Option<&'a str>,
    legal_form: Option<&'a str>,
    email: Option<&'a str>,
    site: Option<&'a str>,
    okved: Option<&'a str>,
    ownership_form: Option<&'a str>,
    headcount: Option<i32>,
    transport: Option<&'a str>,
    social_guarantees: Option<&'a str>,
    quota_account_number: Option<&'a str>,
    quota_account_date: Option<NaiveDate>,
    version: i32,
    updated_at: NaiveDateTime,
}

impl<'a> Card<'a> {
    pub(crate) fn new(d: &'a Details, version: i32, now: NaiveDateTime) -> Card<'a> {
        Card {
            name: &d.name,
            full_name: &d.full_name,
            inn: d.inn.as_str(),
            kpp: d.kpp.as_ref().map(Kpp::as_str),
            legal_address: d.legal_address.as_deref(),
            actual_address: d.actual_address.as_deref(),
            legal_form: d.legal_form.as_deref(),
            email: d.email.as_deref(),
            site: d.site.as_deref(),
            okved: d.okved.as_deref(),
            ownership_form: d.ownership_form.as_deref(),
            headcount: d.headcount,
            transport: d.transport.as_deref(),
            social_guarantees: d.social_guarantees.as_deref(),
            quota_account_number: d.quota_account_number.as_deref(),
            quota_account_date: d.quota_account_date,
            version,
            updated_at: now,
        }
    }
}

/// A new organisation's row: the card and what only registration sets.
#[derive(Insertable)]
#[diesel(table_name = organizations, treat_none_as_default_value = false)]
struct NewRow<'a> {
    id: &'a str,
    ogrn: &'a str,
    centre_id: Option<&'a str>,
    rating: f64,
    created_at: NaiveDateTime,
    #[diesel(embed)]
    card: Card<'a>,
}

/// Stores a new organisation at version 1 inside the caller's transaction; returns its
/// id. A taken OGRN is a `Conflict`.
pub(crate) fn insert(
    conn: &mut DbConnection,
    organization: &NewOrganization,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = new_id();
    let row = NewRow {
        id: &id,
        ogrn: organization.details.ogrn.as_str(),
        centre_id: organization.centre_id.as_deref(),
        rating: organization.rating,
        created_at: now,
        card: Card::new(&organization.details, 1, now),
    };
    diesel::insert_into(organizations::table)
        .values(&row)
        .execute(conn)?;
    Ok(id)
}

/// Creates an organisation with its first account, which becomes the admin; returns
/// the organisation's id.
pub fn register(
    conn: &mut DbConnection,
    organization: &NewOrganization,
    admin: &User,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    db::write(conn, |conn| {
        let id = insert(conn, organization, now)?;
        insert_user(conn, admin)?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&admin.id),
                employer_accounts::organization_id.eq(&id),
                employer_accounts::is_admin.eq(true),
            ))
            .execute(conn)?;
        Ok(id)
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
        crate::feed::record(conn, Change::Organization(organization_id.to_owned()))
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Organization, StoreError> {
    Ok(organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)?)
}

/// The organisation registered under `ogrn`: the verified one when there is one (an
/// OGRN typed in at registration is not unique), else the first registered.
pub fn find_by_ogrn(
    conn: &mut DbConnection,
    ogrn: &Ogrn,
) -> Result<Option<Organization>, StoreError> {
    Ok(organizations::table
        .filter(organizations::ogrn.eq(ogrn.as_str()))
        .order((
            organizations::verified_at.is_null(),
            organizations::created_at,
        ))
        .select(Organization::as_select())
        .first(conn)
        .optional()?)
}

/// The admins of organisations registered by hand under `ogrn` that are still
/// pending, other than `except`: with `(account id, organisation name)`.
pub fn pending_admins_of_ogrn(
    conn: &mut DbConnection,
    ogrn: &Ogrn,
    except: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(organizations::table
        .inner_join(employer_accounts::table)
        .filter(organizations::ogrn.eq(ogrn.as_str()))
        .filter(organizations::verified_at.is_null())
        .filter(organizations::id.ne(except))
        .filter(employer_accounts::is_admin.eq(true))
        .select((employer_accounts::user_id, organizations::name))
        .load(conn)?)
}

/// Whether the organisation was confirmed (by ESIA or centre staff).
pub fn verification(conn: &mut DbConnection, id: &str) -> Result<Verification, StoreError> {
    let at: Option<NaiveDateTime> = organizations::table
        .find(id)
        .select(organizations::verified_at)
        .first(conn)?;
    Ok(if at.is_some() {
        Verification::Verified
    } else {
        Verification::Pending
    })
}

/// Why an organisation could not be verified.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Another organisation holds this OGRN verified already.
    #[error("another organisation holds this OGRN, verified")]
    OgrnTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<VerifyError> for StoreError {
    fn from(e: VerifyError) -> StoreError {
        match e {
            VerifyError::OgrnTaken => StoreError::Conflict("organizations_verified_ogrn".into()),
            VerifyError::Store(s) => s,
        }
    }
}

/// Marks the organisation verified, in the caller's transaction; the first
/// confirmation is kept, and only it answers `true`. `by` is `esia` or the id of the
/// staff account. An OGRN is one verified organisation's: a second is
/// [`VerifyError::OgrnTaken`].
pub fn mark_verified(
    conn: &mut DbConnection,
    id: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, VerifyError> {
    let changed = diesel::update(
        organizations::table
            .find(id)
            .filter(organizations::verified_at.is_null()),
    )
    .set((
        organizations::verified_at.eq(now),
        organizations::verified_by.eq(by),
    ))
    .execute(conn)
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => VerifyError::OgrnTaken,
        other => other.into(),
    })?;
    if changed > 0 {
        crate::feed::record(conn, Change::Organization(id.to_owned()))?;
    }
    Ok(changed > 0)
}

/// Centre staff confirm an organisation addressed to their centre (or to none);
/// another centre's organisation is `NotFound`.
pub fn verify_by_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Verification, VerifyError> {
    db::write(conn, |conn| {
        let centre: Option<String> = organizations::table
            .find(id)
            .select(organizations::centre_id)
            .first(conn)
            .map_err(StoreError::from)?;
        if centre.is_some() && centre != actor.centre_id {
            return Err(StoreError::NotFound.into());
        }
        mark_verified(conn, id, &actor.user_id, now)?;
        Ok(verification(conn, id)?)
    })
}
