//! Employer reports (предоставление сведений, SPEC §3): sending one stores the report
//! and files its appeal, which goes straight to `completed`, in one transaction.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use domain::appeal::AppealStatus;
use domain::appeal_centre;
use domain::messages;
use domain::report::ReportKind;
use domain::Coded;

use crate::appeals::{self, Appeal, Filing};
use crate::employer::EmployerError;
use crate::paging::{self, Page, PageRequest};
use crate::schema::reports;
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports, treat_none_as_default_value = false)]
pub struct Report {
    pub id: String,
    pub organization_id: String,
    pub author_id: String,
    pub kind: String,
    pub payload: String,
    pub appeal_id: String,
    pub based_on: Option<String>,
    pub created_at: NaiveDateTime,
}

fn organization(actor: &Actor) -> Result<&str, EmployerError> {
    actor
        .organization_id
        .as_deref()
        .ok_or(EmployerError::NotFound)
}

/// A report of the caller's organisation.
pub fn get(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Report, EmployerError> {
    let org = organization(actor)?;
    Ok(reports::table
        .filter(reports::id.eq(id))
        .filter(reports::organization_id.eq(org))
        .select(Report::as_select())
        .first(conn)
        .map_err(StoreError::from)?)
}

/// A report as the employer sends it.
pub struct Outgoing<'a> {
    pub kind: ReportKind,
    /// The form's fields as JSON, already checked against the kind.
    pub payload: &'a str,
    /// An earlier report of the organisation this one corrects or repeats.
    pub based_on: Option<&'a str>,
    /// The draft the form was sent from; it is deleted with the sending.
    pub draft_id: Option<&'a str>,
}

/// Sends a report: the report, its completed appeal with history, and the removal of
/// the form's draft, all or nothing. `based_on` must be one of the organisation's.
pub fn send(
    conn: &mut DbConnection,
    actor: &Actor,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(Report, Appeal), EmployerError> {
    let Outgoing {
        kind,
        payload,
        based_on,
        draft_id,
    } = outgoing;
    let org_id = organization(actor)?.to_owned();
    let written = db::write::<_, EmployerError>(conn, |conn| {
        if let Some(source) = based_on {
            get(conn, actor, source)?;
        }
        if let Some(draft) = draft_id {
            crate::drafts::consume(
                conn,
                &actor.user_id,
                draft,
                domain::draft::DraftKind::Report,
                now,
            )
            .map_err(|e| match e {
                StoreError::NotFound => EmployerError::UnknownDraft,
                other => other.into(),
            })?;
        }
        let org = crate::organizations::get(conn, &org_id)?;
        domain::organization::may(
            crate::organizations::verification(conn, &org.id)?,
            domain::organization::PublicAct::SendReport,
        )?;
        let centre =
            appeal_centre::addressee(None, org.centre_id.as_deref(), actor.centre_id.as_deref())
                .ok_or(EmployerError::NoCentre)?;
        let text = messages::report_appeal(kind, &org.name);
        let appeal_id = appeals::insert(
            conn,
            Filing {
                applicant_id: &actor.user_id,
                organization_id: Some(&org_id),
                centre_id: centre,
                appeal_type: kind.appeal_type(),
                subject: text.title,
                body: text.body,
                status: AppealStatus::Completed,
            },
            now,
        )?;
        let report = Report {
            id: new_id(),
            organization_id: org_id.clone(),
            author_id: actor.user_id.clone(),
            kind: kind.code().to_owned(),
            payload: payload.to_owned(),
            appeal_id: appeal_id.clone(),
            based_on: based_on.map(str::to_owned),
            created_at: now,
        };
        diesel::insert_into(reports::table)
            .values(&report)
            .execute(conn)?;
        let appeal = appeals::get(conn, actor, &appeal_id)?;
        let event = domain::webhook::EventData::ReportAccepted {
            report_id: report.id.clone(),
            kind: report.kind.clone(),
            appeal_id: appeal.id.clone(),
            appeal_number: appeal.number.clone(),
        };
        crate::webhooks::enqueue(conn, &org_id, &event, now)?;
        Ok((report, appeal))
    })?;
    Ok(written)
}

/// The organisation's reports, newest first, by kind and sending date (inclusive).
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: Option<ReportKind>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: PageRequest,
) -> Result<Page<Report>, EmployerError> {
    let org = organization(actor)?;
    let query = || {
        let mut q = reports::table
            .filter(reports::organization_id.eq(org))
            .into_boxed::<crate::db::MultiBackend>();
        if let Some(k) = kind {
            q = q.filter(reports::kind.eq(k.code()));
        }
        if let Some(from) = from {
            q = q.filter(reports::created_at.ge(from.and_time(NaiveTime::MIN)));
        }
        if let Some(next) = to.and_then(|d| d.succ_opt()) {
            q = q.filter(reports::created_at.lt(next.and_time(NaiveTime::MIN)));
        }
        q
    };
    Ok(paging::count_and_load(conn, page, query, |q| {
        q.order((reports::created_at.desc(), reports::id.desc()))
            .select(Report::as_select())
    })?)
}
