//! Sign-in through Госуслуги (ESIA): started sign-ins (`state` with its nonce and PKCE
//! verifier, one use each, shared by every server process through the database) and
//! the account an ESIA person reaches (`domain::esia::land`).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::audit::{AuditAction, AuditContext};
use domain::change::Change;
use domain::esia::{land, Landing, OrganizationClaim, VerifiedPerson};
use domain::role::Role;

use crate::accounts::{get_user, User};
use crate::citizens::{NewCitizen, RegisterError};

use crate::schema::{citizens, employer_accounts, esia_identities, esia_logins};
use crate::{db, DbConnection, StoreError};

/// What the callback needs of a started sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub nonce: String,
    pub pkce_verifier: String,
    /// The employer admin who began it to confirm their organisation: only they may
    /// finish it, and it signs nobody in. Empty for a sign-in.
    pub account_id: Option<String>,
}

/// Remembers a started sign-in for `ttl`, and forgets the ones that expired.
pub fn begin(
    conn: &mut DbConnection,
    state_digest: &str,
    pending: &Pending,
    ttl: TimeDelta,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        diesel::delete(esia_logins::table.filter(esia_logins::expires_at.le(now))).execute(conn)?;
        diesel::insert_into(esia_logins::table)
            .values((
                esia_logins::state_digest.eq(state_digest),
                esia_logins::nonce.eq(&pending.nonce),
                esia_logins::pkce_verifier.eq(&pending.pkce_verifier),
                esia_logins::account_id.eq(&pending.account_id),
                esia_logins::created_at.eq(now),
                esia_logins::expires_at.eq(now + ttl),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Takes a started sign-in by its state: `None` for an unknown, used or expired one.
/// The row is deleted whatever it holds, so of two callbacks racing with one state
/// only the one that deleted it goes on.
pub fn take(
    conn: &mut DbConnection,
    state_digest: &str,
    now: NaiveDateTime,
) -> Result<Option<Pending>, StoreError> {
    db::write(conn, |conn| {
        type Row = (String, String, Option<String>, NaiveDateTime);
        let row: Option<Row> = esia_logins::table
            .find(state_digest)
            .select((
                esia_logins::nonce,
                esia_logins::pkce_verifier,
                esia_logins::account_id,
                esia_logins::expires_at,
            ))
            .first(conn)
            .optional()?;
        let deleted = diesel::delete(esia_logins::table.find(state_digest)).execute(conn)?;
        Ok(match row {
            Some((nonce, pkce_verifier, account_id, expires_at))
                if deleted == 1 && expires_at > now =>
            {
                Some(Pending {
                    nonce,
                    pkce_verifier,
                    account_id,
                })
            }
            _ => None,
        })
    })
}

/// Why an ESIA person could not be signed in.
#[derive(Debug, thiserror::Error)]
pub enum EsiaError {
    /// The account with this verified SNILS is already linked to another ESIA person.
    #[error("the account of this SNILS belongs to another ESIA person")]
    LinkedElsewhere,
    /// The SNILS belongs to an account that is not a citizen's.
    #[error("the SNILS is held by an account that is not a citizen's")]
    NotACitizen,
    /// ESIA named an organisation unknown here without its INN: it cannot be created.
    #[error("the organisation is unknown and ESIA gave no INN")]
    OrganizationIncomplete,
    /// ESIA's answer does not confirm the admin's organisation.
    #[error(transparent)]
    NotConfirmed(#[from] domain::esia::ConfirmError),
    /// Another organisation with the OGRN is verified already.
    #[error("another organisation holds this OGRN, verified")]
    OgrnTaken,
    /// Only the organisation's admin may confirm it.
    #[error("only the organisation's admin may confirm it")]
    NotAdmin,
    /// The ESIA person confirming an organisation is linked to another account.
    #[error("the ESIA person is linked to another account")]
    PersonLinkedElsewhere,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for EsiaError {
    fn from(e: diesel::result::Error) -> Self {
        EsiaError::Store(e.into())
    }
}

impl From<RegisterError> for EsiaError {
    fn from(e: RegisterError) -> Self {
        match e {
            // Both are unique to the person: another ESIA person raced us to them.
            RegisterError::LoginTaken | RegisterError::SnilsTaken => EsiaError::LinkedElsewhere,
            RegisterError::UnknownCentre => EsiaError::Store(StoreError::NotFound),
            RegisterError::Store(e) => EsiaError::Store(e),
        }
    }
}

/// The login of an account made by an ESIA sign-in: `:` is not allowed in logins a
/// person chooses, so nobody can register it first.
pub fn login_of(subject: &str) -> String {
    format!("esia:{subject}")
}

/// The citizen account of a verified person: the one linked to them, the one with
/// their verified SNILS (linked now), or a new one. A self-asserted holder of the
/// SNILS loses it and is told.
pub fn sign_in_citizen(
    conn: &mut DbConnection,
    person: &VerifiedPerson,
    ctx: &AuditContext,
    now: NaiveDateTime,
) -> Result<User, EsiaError> {
    db::write(conn, |conn| {
        let linked: Option<String> = esia_identities::table
            .find(&person.subject)
            .select(esia_identities::user_id)
            .first(conn)
            .optional()?;
        let snils = person.snils.to_string();
        let verified_holder: Option<String> = citizens::table
            .filter(citizens::snils.eq(&snils))
            .select(citizens::user_id)
            .first(conn)
            .optional()?;
        match land(linked, verified_holder) {
            Landing::Known { user_id } => Ok(get_user(conn, &user_id)?),
            Landing::Link { user_id } => {
                let user = get_user(conn, &user_id)?;
                if user.role()? != Role::Citizen {
                    return Err(EsiaError::NotACitizen);
                }
                link(conn, &person.subject, &user_id, now)?;
                linked_in_journal(conn, &user_id, ctx, now)?;
                Ok(user)
            }
            Landing::Create => {
                // Inserting the verified SNILS releases the claims of others.
                let user = User::new(
                    Role::Citizen,
                    &login_of(&person.subject),
                    None,
                    person.email.clone(),
                    String::new(),
                    None,
                    now,
                );
                let citizen = NewCitizen {
                    last_name: person.last_name.clone(),
                    first_name: person.first_name.clone(),
                    middle_name: person.middle_name.clone(),
                    birth_date: person.birth_date,
                    snils: Some(person.snils.clone()),
                    phone: person.phone.clone(),
                    registration_address: None,
                    region_code: None,
                };
                let user = User {
                    display_name: citizen.full_name(),
                    ..user
                };
                crate::citizens::insert(conn, &user, &citizen, true)?;
                link(conn, &person.subject, &user.id, now)?;
                Ok(user)
            }
        }
    })
}

fn link(
    conn: &mut DbConnection,
    subject: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<(), EsiaError> {
    diesel::insert_into(esia_identities::table)
        .values((
            esia_identities::subject.eq(subject),
            esia_identities::user_id.eq(user_id),
            esia_identities::created_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => EsiaError::LinkedElsewhere,
            other => other.into(),
        })?;
    Ok(())
}

/// The employer account of a verified person acting for the organisation ESIA named:
/// one per person and organisation. The organisation is the verified one of its OGRN,
/// created (verified) when there is none; organisations registered by hand under
/// the same OGRN stay pending. The person is its admin when ESIA names them its head
/// and it has no admin yet.
pub fn sign_in_employer(
    conn: &mut DbConnection,
    person: &VerifiedPerson,
    claim: &OrganizationClaim,
    now: NaiveDateTime,
) -> Result<User, EsiaError> {
    let key = format!("{}@{}", person.subject, claim.ogrn.as_str());
    db::write(conn, |conn| {
        let linked: Option<String> = esia_identities::table
            .find(&key)
            .select(esia_identities::user_id)
            .first(conn)
            .optional()?;
        if let Some(user_id) = linked {
            return Ok(get_user(conn, &user_id)?);
        }
        // Only a verified organisation is joined: one registered by hand under this OGRN
        // may be anyone's, so the verified one is created beside it, and its admin told.
        let verified = crate::organizations::find_by_ogrn(conn, &claim.ogrn)?
            .filter(|org| org.verified_at.is_some());
        let org_id = match verified {
            Some(org) => org.id,
            None => {
                let inn = claim.inn.clone().ok_or(EsiaError::OrganizationIncomplete)?;
                let details = domain::organization::Details::new(
                    claim.name.clone(),
                    claim.name.clone(),
                    claim.ogrn.clone(),
                    inn,
                );
                let new = crate::organizations::NewOrganization {
                    details,
                    centre_id: None,
                    rating: 0.0,
                };
                let id = crate::organizations::insert(conn, &new, now)?;
                verify(conn, &id, &claim.ogrn, now)?;
                id
            }
        };
        let has_admin: i64 = employer_accounts::table
            .filter(employer_accounts::organization_id.eq(&org_id))
            .filter(employer_accounts::is_admin.eq(true))
            .count()
            .get_result(conn)?;
        let name = NewCitizen {
            last_name: person.last_name.clone(),
            first_name: person.first_name.clone(),
            middle_name: person.middle_name.clone(),
            birth_date: None,
            snils: None,
            phone: None,
            registration_address: None,
            region_code: None,
        }
        .full_name();
        let user = User::new(
            Role::Employer,
            &login_of(&key),
            None,
            person.email.clone(),
            name,
            None,
            now,
        );
        crate::accounts::insert_user(conn, &user)?;
        diesel::insert_into(employer_accounts::table)
            .values((
                employer_accounts::user_id.eq(&user.id),
                employer_accounts::organization_id.eq(&org_id),
                employer_accounts::is_admin.eq(claim.is_head() && has_admin == 0),
            ))
            .execute(conn)?;
        crate::feed::record(conn, Change::Organization(org_id.clone()))?;
        let card = crate::employer::contacts::ContactInput {
            last_name: person.last_name.clone(),
            first_name: person.first_name.clone(),
            middle_name: person.middle_name.clone(),
            position: None,
            phones: person.phone.clone().into_iter().collect(),
            email: person.email.clone(),
            esia_registered: true,
        };
        crate::employer::contacts::insert_contact(conn, &org_id, &card, Some(&user.id), now)
            .map_err(|e| match e {
                crate::employer::EmployerError::Store(s) => EsiaError::Store(s),
                other => EsiaError::Store(StoreError::Corrupt(other.to_string())),
            })?;
        link(conn, &key, &user.id, now)?;
        Ok(user)
    })
}

/// The admin's organisation, registered by hand, confirmed by their ESIA sign-in as
/// its head (`domain::esia::confirms`): it becomes verified as if registered through
/// Госуслуги, the admin's account is linked to the ESIA person so that their next
/// sign-in through Госуслуги reaches it, and the admins of other hand-made
/// registrations of the OGRN are told.
pub fn confirm_organization(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    ctx: &AuditContext,
    person: &VerifiedPerson,
    now: NaiveDateTime,
) -> Result<(), EsiaError> {
    db::write(conn, |conn| {
        let org_id = actor
            .organization_id
            .as_deref()
            .ok_or(StoreError::NotFound)?;
        let is_admin: bool = employer_accounts::table
            .find(&actor.user_id)
            .select(employer_accounts::is_admin)
            .first(conn)?;
        if !is_admin {
            return Err(EsiaError::NotAdmin);
        }
        let org = crate::organizations::get(conn, org_id)?;
        let details = org.details()?;
        domain::esia::confirms(
            (&details.ogrn, &details.inn),
            org.verified_at.is_some(),
            person.organization.as_ref(),
        )?;
        // A confirmation racing this one verified it first: this one changes nothing.
        if !verify(conn, org_id, &details.ogrn, now)? {
            return Err(domain::esia::ConfirmError::AlreadyVerified.into());
        }
        let key = format!("{}@{}", person.subject, details.ogrn.as_str());
        link(conn, &key, &actor.user_id, now).map_err(|e| match e {
            EsiaError::LinkedElsewhere => EsiaError::PersonLinkedElsewhere,
            other => other,
        })?;
        linked_in_journal(conn, &actor.user_id, ctx, now)
    })
}

/// The account's journal: from now on an ESIA person signs in to it.
fn linked_in_journal(
    conn: &mut DbConnection,
    user_id: &str,
    ctx: &AuditContext,
    now: NaiveDateTime,
) -> Result<(), EsiaError> {
    let target = crate::audit::Target::account(user_id);
    crate::audit::record_by(conn, Some(user_id), ctx, AuditAction::EsiaLink, target, now)?;
    Ok(())
}

/// Whether the admin's organisation may still be confirmed through ESIA: pending, and
/// its OGRN verified for no other organisation (else [`EsiaError::OgrnTaken`]).
pub fn may_confirm(conn: &mut DbConnection, actor: &domain::actor::Actor) -> Result<(), EsiaError> {
    if !actor.is_admin {
        return Err(EsiaError::NotAdmin);
    }
    let org_id = actor
        .organization_id
        .as_deref()
        .ok_or(StoreError::NotFound)?;
    let org = crate::organizations::get(conn, org_id)?;
    if org.verified_at.is_some() {
        return Err(domain::esia::ConfirmError::AlreadyVerified.into());
    }
    let ogrn = org.details()?.ogrn;
    match crate::organizations::find_by_ogrn(conn, &ogrn)? {
        Some(other) if other.verified_at.is_some() => Err(EsiaError::OgrnTaken),
        _ => Ok(()),
    }
}

/// Verifies an organisation on ESIA's word and tells the admins of organisations
/// registered by hand under the same OGRN that it is taken.
fn verify(
    conn: &mut DbConnection,
    id: &str,
    ogrn: &domain::identifiers::Ogrn,
    now: NaiveDateTime,
) -> Result<bool, EsiaError> {
    let first =
        crate::organizations::mark_verified(conn, id, "esia", now).map_err(|e| match e {
            crate::organizations::VerifyError::OgrnTaken => EsiaError::OgrnTaken,
            crate::organizations::VerifyError::Store(s) => EsiaError::Store(s),
        })?;
    if !first {
        return Ok(false);
    }
    for (admin, name) in crate::organizations::pending_admins_of_ogrn(conn, ogrn, id)? {
        let notice = domain::messages::ogrn_verified_elsewhere(&name, ogrn.as_str());
        crate::notifications::notify(
            conn,
            &admin,
            &crate::notifications::Event {
                category: domain::notification::Category::ApplicationStatus,
                title: &notice.title,
                body: &notice.body,
                link: Some("/api/v1/employer/organization"),
            },
            now,
        )?;
    }
    Ok(true)
}
