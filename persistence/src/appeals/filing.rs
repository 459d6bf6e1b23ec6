//! Filing appeals: the centre's yearly numbering, storing a new appeal with its first
//! history line, and the applicant's own filing with its eligibility check (SPEC §1).

use chrono::{Datelike, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::appeal::{AppealStatus, Channel};
use domain::appeal_centre;
use domain::appeal_number;
use domain::appeal_type::AppealType;
use domain::draft::DraftKind;
use domain::Coded;

use super::reading::get;
use super::record::{add_history, mark_read_new, Appeal, AppealError, AppealRow, NewAppeal};
use crate::citizens::cases_of;
use crate::prepared::kept_everywhere;
use crate::schema::{appeal_counters, appeals};
use crate::{db, new_id, DbConnection, StoreError};

/// Takes the next number of the centre's yearly sequence. Runs inside the caller's
/// write transaction, which holds the counter row until commit: every other filing to
/// the centre waits for that commit, so a filing does as little as it can after this
/// (on PostgreSQL each statement is a round trip) and reads its appeal back only once
/// committed.
fn next_number(
    conn: &mut DbConnection,
    centre_id: &str,
    centre_code: &str,
    year: i32,
) -> Result<String, StoreError> {
    // One statement, so one round trip under the lock: the first filing of the year
    // creates the row at 1, every later one bumps it. Kept prepared: Diesel would
    // prepare an upsert anew at every call.
    let value: i64 = per_backend!(conn, |c| {
        kept_everywhere(
            diesel::insert_into(appeal_counters::table)
                .values((
                    appeal_counters::centre_id.eq(centre_id),
                    appeal_counters::year.eq(year),
                    appeal_counters::last_value.eq(1_i64),
                ))
                .on_conflict((appeal_counters::centre_id, appeal_counters::year))
                .do_update()
                .set(appeal_counters::last_value.eq(appeal_counters::last_value + 1))
                .returning(appeal_counters::last_value),
        )
        .get_result(c)
    })?;
    Ok(appeal_number::format(
        centre_code,
        u64::try_from(value).unwrap_or(0),
        year,
    ))
}

/// Everything needed to store a new appeal, whoever files it.
pub(crate) struct Filing<'a> {
    pub applicant_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub centre_id: &'a str,
    pub appeal_type: AppealType,
    pub subject: String,
    pub body: String,
    pub status: AppealStatus,
}

/// Stores an appeal with its first history line and marks it read for the applicant
/// (filing it is not news to them). Runs inside the caller's transaction.
pub(crate) fn insert(
    conn: &mut DbConnection,
    filing: Filing<'_>,
    now: NaiveDateTime,
) -> Result<String, AppealError> {
    let centre = crate::centres::get(conn, filing.centre_id).map_err(|e| match e {
        StoreError::NotFound => AppealError::UnknownCentre,
        other => other.into(),
    })?;
    let id = new_id();
    let row = AppealRow {
        number: next_number(conn, &centre.id, &centre.code, now.year())?,
        id: id.clone(),
        appeal_type: filing.appeal_type.to_string(),
        channel: Channel::Portal.code().to_owned(),
        applicant_id: filing.applicant_id.to_owned(),
        organization_id: filing.organization_id.map(str::to_owned),
        centre_id: centre.id,
        status: filing.status.to_string(),
        subject: filing.subject,
        body: filing.body,
        deadline: (now + TimeDelta::days(i64::from(filing.appeal_type.processing_days()))).date(),
        created_at: now,
        updated_at: now,
        staff_deleted_at: None,
        staff_deleted_by: None,
    };
    diesel::insert_into(appeals::table)
        .values(&row)
        .execute(conn)?;
    add_history(
        conn,
        &id,
        None,
        AppealStatus::Registered,
        None,
        Some(filing.applicant_id),
        now,
    )?;
    if filing.status != AppealStatus::Registered {
        add_history(
            conn,
            &id,
            Some(AppealStatus::Registered),
            filing.status,
            None,
            None,
            now,
        )?;
    }
    mark_read_new(conn, &id, filing.applicant_id, now)?;
    row.announce(conn)?;
    Ok(id)
}

/// Files an appeal for a citizen or an employer account. A service request is checked
/// against the citizen's personal cases first (SPEC §1).
pub fn file(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewAppeal,
    now: NaiveDateTime,
) -> Result<Appeal, AppealError> {
    if !new.appeal_type.filable_by(actor.role) {
        return Err(AppealError::NotFilable(new.appeal_type));
    }
    let id = db::write::<_, AppealError>(conn, |conn| {
        if let Some(draft) = &new.draft_id {
            let kind = match new.appeal_type.service() {
                Some(_) => DraftKind::ServiceRequest,
                None => DraftKind::Appeal,
            };
            crate::drafts::consume(conn, &actor.user_id, draft, kind, now).map_err(
                |e| match e {
                    StoreError::NotFound => AppealError::UnknownDraft,
                    other => other.into(),
                },
            )?;
        }
        if let Some(service) = new.appeal_type.service() {
            let cases: Vec<_> = cases_of(conn, &actor.user_id)?
                .iter()
                .map(|c| c.facts())
                .collect();
            service.check(&cases).map_err(AppealError::Ineligible)?;
        }
        let organization_centre = match &actor.organization_id {
            Some(org) => crate::organizations::get(conn, org)?.centre_id,
            None => None,
        };
        let addressed = appeal_centre::addressee(
            new.centre_id.as_deref(),
            organization_centre.as_deref(),
            actor.centre_id.as_deref(),
        )
        .map(str::to_owned);
        let centre_id = match addressed {
            Some(centre) => centre,
            None => regional_centre(conn, &actor.user_id)?.ok_or(AppealError::NoCentre)?,
        };
        let subject = new
            .subject
            .clone()
            .unwrap_or_else(|| new.appeal_type.title().to_owned());
        insert(
            conn,
            Filing {
                applicant_id: &actor.user_id,
                organization_id: actor.organization_id.as_deref(),
                centre_id: &centre_id,
                appeal_type: new.appeal_type,
                subject,
                body: new.body.clone(),
                status: AppealStatus::Registered,
            },
            now,
        )
    })?;
    get(conn, actor, &id)
}

/// The centre of the applicant's region when it is the region's only one (see
/// `domain::appeal_centre::regional_default`); `None` for anyone else.
fn regional_centre(conn: &mut DbConnection, user_id: &str) -> Result<Option<String>, StoreError> {
    let region: Option<String> = crate::schema::citizens::table
        .find(user_id)
        .select(crate::schema::citizens::region_code)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    let Some(region) = region else {
        return Ok(None);
    };
    let centres = crate::centres::ids_of_region(conn, &region, 2)?;
    let ids: Vec<&str> = centres.iter().map(String::as_str).collect();
    Ok(appeal_centre::regional_default(&ids).map(str::to_owned))
}
