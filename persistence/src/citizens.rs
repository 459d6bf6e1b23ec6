//! Citizens and their personal cases (SPEC §1). Cases are opened and kept by the staff
//! of the citizen's centre; the citizen only reads them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::identifiers::Snils;
use domain::personal_case::{goals_from_codes, goals_to_codes, CaseStatus, Goal, PersonalCase};

use crate::accounts::{insert_user, User};
use crate::schema::{citizens, personal_cases, users};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;
use domain::audit::{AuditAction, AuditContext};

use crate::audit::{self, Journaled, ReadEntry, Target};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = citizens, treat_none_as_default_value = false)]
pub struct Citizen {
    pub user_id: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// A SNILS ESIA or centre staff confirmed: unique, it decides where an ESIA
    /// sign-in lands and whose payments are whose.
    pub snils: Option<String>,
    pub phone: Option<String>,
    pub registration_address: Option<String>,
    pub region_code: Option<String>,
    /// A SNILS the person typed in themselves: only a claim, not unique. It gives way
    /// (and its holder is told) when someone's verifies the same number.
    pub snils_claim: Option<String>,
}

impl Citizen {
    /// The SNILS to show: the verified one, else the claimed one.
    pub fn shown_snils(&self) -> Option<&str> {
        self.snils.as_deref().or(self.snils_claim.as_deref())
    }

    /// «Фамилия Имя Отчество», the way forms print a person.
    pub fn full_name(&self) -> String {
        full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

/// A citizen's main data as the citizen or centre staff enter it at registration.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCitizen {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub snils: Option<Snils>,
    pub phone: Option<String>,
    pub registration_address: Option<String>,
    pub region_code: Option<String>,
}

impl NewCitizen {
    /// «Фамилия Имя Отчество», the way forms print a person.
    pub fn full_name(&self) -> String {
        full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }

    /// The row of `user_id`'s citizen record; the SNILS as verified or as a claim.
    fn row(&self, user_id: &str, snils_verified: bool) -> Citizen {
        let snils = self.snils.as_ref().map(Snils::to_string);
        let (snils, snils_claim) = if snils_verified {
            (snils, None)
        } else {
            (None, snils)
        };
        Citizen {
            user_id: user_id.to_owned(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            birth_date: self.birth_date,
            snils,
            phone: self.phone.clone(),
            registration_address: self.registration_address.clone(),
            region_code: self.region_code.clone(),
            snils_claim,
        }
    }
}

fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    [Some(last), Some(first), middle]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a citizen could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("the login is taken")]
    LoginTaken,
    /// Staff registered a person in person with a SNILS another account holds as
    /// verified. (A SNILS typed in at self-registration is a claim and never conflicts.)
    #[error("a citizen with this verified SNILS is already registered")]
    SnilsTaken,
    #[error("no such centre")]
    UnknownCentre,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates the account and the citizen's record together; returns the record. `user.id`
/// becomes the citizen's id. The SNILS, if any, is a claim: whether anyone else holds
/// the number changes nothing here, so the answer tells nobody whether it is known.
pub fn register(
    conn: &mut DbConnection,
    user: &User,
    citizen: &NewCitizen,
) -> Result<Citizen, RegisterError> {
    db::write(conn, |conn| insert(conn, user, citizen, false))
}

/// [`register`] by centre staff, who saw the person's documents: the SNILS counts as
/// verified (an ESIA sign-in with it reaches this account), and accounts that only
/// claimed it give the claim up and are told. The new citizen's journal starts with
/// who registered them.
pub fn register_in_person(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    user: &User,
    citizen: &NewCitizen,
) -> Result<Citizen, RegisterError> {
    db::write(conn, |conn| {
        let citizen = insert(conn, user, citizen, true)?;
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::AccountCreate,
            Target::account(&user.id),
            user.created_at,
        )?;
        Ok(citizen)
    })
}

/// What would refuse registering `login` — and, for staff registering a person in
/// person, `confirmed_snils` — found before a password is hashed for it: a taken login,
/// or a SNILS some citizen holds as confirmed (a claim typed by someone does not count).
pub fn refusal_before_hashing(
    conn: &mut DbConnection,
    login: &str,
    confirmed_snils: Option<&Snils>,
) -> Result<Option<RegisterError>, StoreError> {
    if crate::accounts::find_by_login(conn, login)?.is_some() {
        return Ok(Some(RegisterError::LoginTaken));
    }
    let Some(snils) = confirmed_snils else {
        return Ok(None);
    };
    let held: bool = diesel::select(diesel::dsl::exists(
        citizens::table.filter(citizens::snils.eq(snils.to_string())),
    ))
    .get_result(conn)?;
    Ok(held.then_some(RegisterError::SnilsTaken))
}

/// Inserts the account and the citizen's record in the caller's transaction.
pub(crate) fn insert(
    conn: &mut DbConnection,
    user: &User,
    citizen: &NewCitizen,
    snils_verified: bool,
) -> Result<Citizen, RegisterError> {
    let citizen = citizen.row(&user.id, snils_verified);
    if let Some(centre) = &user.centre_id {
        if !crate::centres::exists(conn, centre)? {
            return Err(RegisterError::UnknownCentre);
        }
    }
    insert_user(conn, user).map_err(|e| match e {
        StoreError::Conflict(_) => RegisterError::LoginTaken,
        other => other.into(),
    })?;
    diesel::insert_into(citizens::table)
        .values(&citizen)
        .execute(conn)
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => RegisterError::SnilsTaken,
            other => other.into(),
        })?;
    if let Some(verified) = &citizen.snils {
        release_claims(conn, verified, &user.id, user.created_at)?;
    }
    Ok(citizen)
}

/// Takes a SNILS that has just been verified for `owner` off every other account that
/// only claimed it, and tells each of them.
fn release_claims(
    conn: &mut DbConnection,
    snils: &str,
    owner: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let claimants: Vec<(String, String)> = citizens::table
        .inner_join(users::table)
        .filter(citizens::snils_claim.eq(snils))
        .filter(citizens::user_id.ne(owner))
        .select((citizens::user_id, users::login))
        .load(conn)?;
    for (user_id, login) in claimants {
        diesel::update(citizens::table.find(&user_id))
            .set(citizens::snils_claim.eq(None::<String>))
            .execute(conn)?;
        let notice = domain::messages::snils_released(&login);
        crate::notifications::notify(
            conn,
            &user_id,
            &crate::notifications::Event {
                category: domain::notification::Category::ApplicationStatus,
                title: &notice.title,
                body: &notice.body,
                link: Some("/api/v1/me"),
            },
            now,
        )?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConnection, user_id: &str) -> Result<Citizen, StoreError> {
    Ok(citizens::table
        .find(user_id)
        .select(Citizen::as_select())
        .first(conn)?)
}

/// A citizen as staff of `actor`'s centre may see them; anyone else's is `NotFound`.
pub fn get_for_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    citizen_id: &str,
) -> Result<(User, Citizen), StoreError> {
    let Some(centre) = &actor.centre_id else {
        return Err(StoreError::NotFound);
    };
    Ok(users::table
        .inner_join(citizens::table)
        .filter(users::id.eq(citizen_id))
        .filter(users::centre_id.eq(centre))
        .select((User::as_select(), Citizen::as_select()))
        .first(conn)?)
}

/// A citizen's card opened by staff of their centre, with its journal entry; anyone
/// else's is `NotFound` (and leaves no entry).
pub fn read_card(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    citizen_id: &str,
    now: NaiveDateTime,
) -> Result<Journaled<(User, Citizen)>, StoreError> {
    let found = get_for_staff(conn, actor, citizen_id)?;
    let entry = ReadEntry::new(
        actor,
        ctx,
        AuditAction::CardRead,
        citizen_target(citizen_id),
        now,
    )
    .serving(found.0.centre_id.as_deref());
    Ok(Journaled::new(found, entry))
}

/// A citizen's personal cases as staff of their centre read them, with the entry.
pub fn read_cases(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    citizen_id: &str,
    now: NaiveDateTime,
) -> Result<Journaled<Vec<Case>>, StoreError> {
    get_for_staff(conn, actor, citizen_id)?;
    let cases = cases_of(conn, citizen_id)?;
    let entry = ReadEntry::new(
        actor,
        ctx,
        AuditAction::CasesRead,
        Target {
            record_type: "personal_cases",
            record_id: citizen_id,
            subject_id: citizen_id,
        },
        now,
    )
    // Staff read only the citizens of their own centre.
    .serving(actor.centre_id.as_deref());
    Ok(Journaled::new(cases, entry))
}

fn citizen_target(citizen_id: &str) -> Target<'_> {
    Target {
        record_type: "citizen",
        record_id: citizen_id,
        subject_id: citizen_id,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = personal_cases, treat_none_as_default_value = false)]
pub struct CaseRow {
    pub id: String,
    pub citizen_id: String,
    pub centre_id: String,
    pub status: String,
    pub goals: String,
    pub personal_account: Option<String>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
}

/// A personal case with its codes parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub citizen_id: String,
    pub centre_id: String,
    pub status: CaseStatus,
    pub goals: Vec<Goal>,
    pub personal_account: Option<String>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;
    fn try_from(row: CaseRow) -> Result<Case, StoreError> {
        Ok(Case {
            status: row.status.parse()?,
            goals: goals_from_codes(&row.goals)?,
            id: row.id,
            citizen_id: row.citizen_id,
            centre_id: row.centre_id,
            personal_account: row.personal_account,
            opened_at: row.opened_at,
            closed_at: row.closed_at,
            updated_at: row.updated_at,
        })
    }
}

impl Case {
    /// What the eligibility rules look at.
    pub fn facts(&self) -> PersonalCase {
        PersonalCase {
            open: self.closed_at.is_none(),
            goals: self.goals.clone(),
            status: self.status,
            has_personal_account: self.personal_account.is_some(),
        }
    }
}

/// The citizen's cases, newest first.
pub fn cases_of(conn: &mut DbConnection, citizen_id: &str) -> Result<Vec<Case>, StoreError> {
    personal_cases::table
        .filter(personal_cases::citizen_id.eq(citizen_id))
        .order((personal_cases::opened_at.desc(), personal_cases::id.desc()))
        .select(CaseRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Case::try_from)
        .collect()
}

/// What staff set when opening or changing a case.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    pub status: Option<CaseStatus>,
    pub goals: Option<Vec<Goal>>,
    /// `Some(None)` removes the account.
    pub personal_account: Option<Option<String>>,
    /// `Some(false)` closes the case, `Some(true)` reopens it.
    pub open: Option<bool>,
}

/// What staff set when opening a case.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub status: CaseStatus,
    pub goals: Vec<Goal>,
    pub personal_account: Option<String>,
}

/// Opens a case at the staff member's centre for a citizen that centre serves.
pub fn open_case(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    citizen_id: &str,
    case: NewCase,
    now: NaiveDateTime,
) -> Result<Case, StoreError> {
    let NewCase {
        status,
        goals,
        personal_account,
    } = case;
    db::write(conn, |conn| {
        get_for_staff(conn, actor, citizen_id)?;
        let row = CaseRow {
            id: new_id(),
            citizen_id: citizen_id.to_owned(),
            centre_id: actor.centre_id.clone().ok_or(StoreError::NotFound)?,
            status: status.to_string(),
            goals: goals_to_codes(&goals),
            personal_account,
            opened_at: now,
            closed_at: None,
            updated_at: now,
            created_by: actor.user_id.clone(),
        };
        diesel::insert_into(personal_cases::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::CaseOpen,
            case_target(&row),
            now,
        )?;
        Case::try_from(row)
    })
}

/// Changes a case kept at the staff member's centre; others' cases are `NotFound`.
pub fn update_case(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    case_id: &str,
    change: CaseChange,
    now: NaiveDateTime,
) -> Result<Case, StoreError> {
    db::write(conn, |conn| {
        let centre = actor.centre_id.as_deref().ok_or(StoreError::NotFound)?;
        let mut row: CaseRow = personal_cases::table
            .find(case_id)
            .filter(personal_cases::centre_id.eq(centre))
            .select(CaseRow::as_select())
            .first(conn)?;
        if let Some(status) = change.status {
            row.status = status.to_string();
        }
        if let Some(goals) = &change.goals {
            row.goals = goals_to_codes(goals);
        }
        if let Some(account) = change.personal_account {
            row.personal_account = account;
        }
        match change.open {
            Some(true) => row.closed_at = None,
            Some(false) if row.closed_at.is_none() => row.closed_at = Some(now),
            _ => {}
        }
        row.updated_at = now;
        diesel::update(personal_cases::table.find(case_id))
            .set((
                personal_cases::status.eq(&row.status),
                personal_cases::goals.eq(&row.goals),
                personal_cases::personal_account.eq(&row.personal_account),
                personal_cases::closed_at.eq(row.closed_at),
                personal_cases::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            ctx,
            AuditAction::CaseChange,
            case_target(&row),
            now,
        )?;
        Case::try_from(row)
    })
}

fn case_target(row: &CaseRow) -> Target<'_> {
    Target {
        record_type: "personal_case",
        record_id: &row.id,
        subject_id: &row.citizen_id,
    }
}
