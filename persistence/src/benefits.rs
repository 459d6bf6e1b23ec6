//! Unemployment benefit applications (seed 002, SPEC §7): rows in, domain values out.
//! Who may apply, what must be cited, how an application moves and what an approval
//! schedules are `domain::benefit`'s; this file keeps the rows, the history and the
//! payments an approval creates, each use case in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::appeal::AppealStatus;
use domain::audit::{AuditAction, AuditContext};
use domain::benefit::{self, BenefitError, Planned};
use domain::document::{DocumentKind, DocumentStatus};
use domain::notification::Category;
use domain::payment::{Kopecks, PaymentKind};
use domain::payout::Payout;
use domain::role::Role;
use domain::Coded;

use crate::audit::{self, Journaled};
use crate::citizens::cases_of;
use crate::paging::{self, Page, PageRequest};
use crate::schema::{
    benefit_application_history as history, benefit_applications as apps, documents, users,
};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = apps)]
struct Row {
    id: String,
    citizen_id: String,
    centre_id: String,
    status: String,
    payout_kind: String,
    bik: Option<String>,
    account: Option<String>,
    card_number: Option<String>,
    document_ids: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// One line of an application's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from: Option<AppealStatus>,
    pub to: AppealStatus,
    pub comment: Option<String>,
    pub at: NaiveDateTime,
}

/// An application with its history, oldest step first.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: String,
    pub citizen_id: String,
    pub centre_id: String,
    pub status: AppealStatus,
    pub payout: Payout,
    pub document_ids: Vec<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub history: Vec<Step>,
}

/// What the applicant sends, first and on resubmission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Where to pay; `None` takes the details kept in the citizen's profile.
    pub payout: Option<Payout>,
    pub document_ids: Vec<String>,
}

/// A staff decision.
#[derive(Debug, Clone)]
pub struct Decision {
    pub to: AppealStatus,
    pub comment: Option<String>,
    /// For an approval: the monthly amount and the number of months.
    pub schedule: Option<(Kopecks, u32)>,
}

/// Why a request about benefit applications was refused.
#[derive(Debug, thiserror::Error)]
pub enum BenefitUseError {
    #[error("application not found")]
    NotFound,
    /// A cited document is not one of the citizen's.
    #[error("unknown document {0}")]
    UnknownDocument(String),
    #[error(transparent)]
    Rule(#[from] BenefitError),
    #[error("only centre staff decide")]
    NotStaff,
    /// No payout details in the application nor in the profile.
    #[error("no payout details")]
    NoPayoutDetails,
    #[error("the application changed meanwhile")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for BenefitUseError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => BenefitUseError::NotFound,
            // The partial unique index: a second open application raced the first.
            StoreError::Conflict(_) => BenefitUseError::Rule(BenefitError::AlreadyOpen),
            other => BenefitUseError::Store(other),
        }
    }
}

fn payout_of(row: &Row) -> Result<Payout, StoreError> {
    crate::payout_details::from_columns(
        &row.payout_kind,
        row.bik.as_deref(),
        row.account.as_deref(),
        row.card_number.as_deref(),
    )
}

/// The payout the citizen named, or else the one kept in their profile.
fn payout_or_profile(
    conn: &mut DbConnection,
    citizen_id: &str,
    named: &Option<Payout>,
) -> Result<Option<Payout>, StoreError> {
    match named {
        Some(p) => Ok(Some(p.clone())),
        None => Ok(crate::payout_details::get(conn, citizen_id)?.map(|k| k.payout)),
    }
}

fn load(conn: &mut DbConnection, row: Row) -> Result<Application, StoreError> {
    let steps: Vec<(Option<String>, String, Option<String>, NaiveDateTime)> = history::table
        .filter(history::application_id.eq(&row.id))
        .order((history::created_at.asc(), history::id.asc()))
        .select((
            history::from_status,
            history::to_status,
            history::comment,
            history::created_at,
        ))
        .load(conn)?;
    let history = steps
        .into_iter()
        .map(|(from, to, comment, at)| {
            Ok(Step {
                from: from.map(|f| f.parse()).transpose()?,
                to: to.parse()?,
                comment,
                at,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Application {
        payout: payout_of(&row)?,
        status: row.status.parse()?,
        document_ids: split(&row.document_ids),
        id: row.id,
        citizen_id: row.citizen_id,
        centre_id: row.centre_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        history,
    })
}

fn split(ids: &str) -> Vec<String> {
    ids.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether the citizen has an application under consideration.
pub fn has_open_application(conn: &mut DbConnection, citizen_id: &str) -> Result<bool, StoreError> {
    let statuses: Vec<String> = apps::table
        .filter(apps::citizen_id.eq(citizen_id))
        .select(apps::status)
        .load(conn)?;
    Ok(statuses
        .iter()
        .filter_map(|s| s.parse::<AppealStatus>().ok())
        .any(benefit::is_open))
}

/// The kinds and statuses of the cited documents, which must be the citizen's own.
fn cited(
    conn: &mut DbConnection,
    citizen_id: &str,
    ids: &[String],
) -> Result<Vec<(DocumentKind, DocumentStatus)>, BenefitUseError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let found: Option<(String, String)> = documents::table
            .filter(documents::id.eq(id))
            .filter(documents::citizen_id.eq(citizen_id))
            .select((documents::kind, documents::status))
            .first(conn)
            .optional()?;
        let (kind, status) = found.ok_or_else(|| BenefitUseError::UnknownDocument(id.clone()))?;
        out.push((
            kind.parse().map_err(StoreError::from)?,
            status.parse().map_err(StoreError::from)?,
        ));
    }
    Ok(out)
}

fn add_step(
    conn: &mut DbConnection,
    id: &str,
    from: Option<AppealStatus>,
    to: AppealStatus,
    comment: Option<&str>,
    actor_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(history::table)
        .values((
            history::id.eq(new_id()),
            history::application_id.eq(id),
            history::from_status.eq(from.map(|s| s.code())),
            history::to_status.eq(to.code()),
            history::comment.eq(comment),
            history::actor_id.eq(actor_id),
            history::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Files a citizen's application, checked against SPEC §1 and the cited documents.
pub fn apply(
    conn: &mut DbConnection,
    citizen_id: &str,
    submission: &Submission,
    now: NaiveDateTime,
) -> Result<Application, BenefitUseError> {
    db::write(conn, |conn| {
        let cases = cases_of(conn, citizen_id)?;
        let facts: Vec<_> = cases.iter().map(|c| c.facts()).collect();
        // SPEC §1 first: an ineligible citizen hears why, whatever else they sent.
        benefit::eligibility(&facts).map_err(BenefitError::Ineligible)?;
        let open = has_open_application(conn, citizen_id)?;
        let docs = cited(conn, citizen_id, &submission.document_ids)?;
        benefit::apply(&facts, open, &docs)?;
        // The centre keeping the citizen's unemployed case considers it.
        let centre_id = cases
            .iter()
            .find(|c| {
                c.closed_at.is_none() && c.status == domain::personal_case::CaseStatus::Unemployed
            })
            .map(|c| c.centre_id.clone())
            .ok_or(BenefitError::Ineligible(
                domain::eligibility::Ineligibility::NoUnemployedCase,
            ))?;
        let payout = payout_or_profile(conn, citizen_id, &submission.payout)?
            .ok_or(BenefitUseError::NoPayoutDetails)?;
        let id = new_id();
        let (kind, bik, account, card) = crate::payout_details::columns(&payout);
        diesel::insert_into(apps::table)
            .values((
                apps::id.eq(&id),
                apps::citizen_id.eq(citizen_id),
                apps::centre_id.eq(&centre_id),
                apps::status.eq(AppealStatus::Registered.code()),
                apps::payout_kind.eq(kind),
                apps::bik.eq(bik),
                apps::account.eq(account),
                apps::card_number.eq(card),
                apps::document_ids.eq(submission.document_ids.join(",")),
                apps::version.eq(1),
                apps::created_at.eq(now),
                apps::updated_at.eq(now),
            ))
            .execute(conn)?;
        add_step(
            conn,
            &id,
            None,
            AppealStatus::Registered,
            None,
            citizen_id,
            now,
        )?;
        get_row(conn, &id).and_then(|row| Ok(load(conn, row)?))
    })
}

fn get_row(conn: &mut DbConnection, id: &str) -> Result<Row, BenefitUseError> {
    Ok(apps::table.find(id).select(Row::as_select()).first(conn)?)
}

/// An application as `viewer` may see it: the applicant, or staff of its centre.
pub fn get(
    conn: &mut DbConnection,
    viewer: &Actor,
    id: &str,
) -> Result<Application, BenefitUseError> {
    let row = get_row(conn, id)?;
    if !benefit::visible_to(viewer, &row.citizen_id, &row.centre_id) {
        return Err(BenefitUseError::NotFound);
    }
    Ok(load(conn, row)?)
}

/// The citizen's applications, newest first.
pub fn list(
    conn: &mut DbConnection,
    citizen_id: &str,
    page: PageRequest,
) -> Result<Page<Application>, StoreError> {
    let query = || {
        apps::table
            .filter(apps::citizen_id.eq(citizen_id))
            .into_boxed()
    };
    paging::count_and_load(conn, page, query, |q| {
        q.order((apps::created_at.desc(), apps::id.desc()))
            .select(Row::as_select())
    })?
    .try_map(|r| load(conn, r))
}

/// The applications of the staff member's centre, oldest first, with an entry for
/// the journal of each applicant on the page.
pub fn for_centre(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    status: Option<AppealStatus>,
    page: PageRequest,
    now: NaiveDateTime,
) -> Result<Journaled<Page<Application>>, BenefitUseError> {
    let Some(centre) = actor
        .centre_id
        .clone()
        .filter(|_| actor.role == Role::Staff)
    else {
        return Err(BenefitUseError::NotStaff);
    };
    let query = || {
        let q = apps::table
            .filter(apps::centre_id.eq(centre.clone()))
            .into_boxed();
        match status {
            Some(s) => q.filter(apps::status.eq(s.code())),
            None => q,
        }
    };
    let found = paging::count_and_load(conn, page, query, |q| {
        q.order((apps::created_at.asc(), apps::id.asc()))
            .select(Row::as_select())
    })?;
    let found = found.try_map(|r| load(conn, r))?;
    let entries = audit::per_person(
        actor,
        ctx,
        AuditAction::BenefitApplicationsListed,
        "benefit_applications",
        found.items.iter().map(|a| a.citizen_id.as_str()),
        now,
    );
    Ok(Journaled::many(found, entries))
}

/// Moves the application from `from` to `to`, conditionally on the status read.
fn move_to(
    conn: &mut DbConnection,
    id: &str,
    from: AppealStatus,
    to: AppealStatus,
    now: NaiveDateTime,
) -> Result<(), BenefitUseError> {
    let changed = diesel::update(
        apps::table
            .filter(apps::id.eq(id))
            .filter(apps::status.eq(from.code())),
    )
    .set((
        apps::status.eq(to.code()),
        apps::version.eq(apps::version + 1),
        apps::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(BenefitUseError::Concurrent);
    }
    Ok(())
}

/// The applicant's corrected application after «требуется доработка».
pub fn resubmit(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    submission: &Submission,
    now: NaiveDateTime,
) -> Result<Application, BenefitUseError> {
    db::write(conn, |conn| {
        let current = get(conn, actor, id)?;
        if current.citizen_id != actor.user_id {
            return Err(BenefitUseError::NotFound);
        }
        let docs = cited(conn, &actor.user_id, &submission.document_ids)?;
        let step = benefit::resubmit(current.status, &docs)?;
        move_to(conn, id, step.from, step.to, now)?;
        // Not named again: the profile's details, else those the application had.
        let payout =
            payout_or_profile(conn, &actor.user_id, &submission.payout)?.unwrap_or(current.payout);
        let (kind, bik, account, card) = crate::payout_details::columns(&payout);
        diesel::update(apps::table.find(id))
            .set((
                apps::payout_kind.eq(kind),
                apps::bik.eq(bik),
                apps::account.eq(account),
                apps::card_number.eq(card),
                apps::document_ids.eq(submission.document_ids.join(",")),
            ))
            .execute(conn)?;
        add_step(
            conn,
            id,
            Some(step.from),
            step.to,
            step.comment.as_deref(),
            &actor.user_id,
            now,
        )?;
        get(conn, actor, id)
    })
}

/// A staff decision; an approval schedules the benefit's payments, and the applicant
/// is told of every move.
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    decision: &Decision,
    now: NaiveDateTime,
) -> Result<Application, BenefitUseError> {
    if actor.role != Role::Staff {
        return Err(BenefitUseError::NotStaff);
    }
    db::write(conn, |conn| {
        let current = get(conn, actor, id)?;
        let (step, plan) = benefit::decide(
            current.status,
            decision.to,
            decision.comment.as_deref(),
            decision.schedule,
            now.date(),
        )?;
        move_to(conn, id, step.from, step.to, now)?;
        add_step(
            conn,
            id,
            Some(step.from),
            step.to,
            step.comment.as_deref(),
            &actor.user_id,
            now,
        )?;
        for planned in &plan {
            schedule_payment(conn, &current.citizen_id, id, planned, &actor.user_id, now)?;
        }
        let (title, body) = benefit::status_notice(step.to, step.comment.as_deref());
        let link = format!("/api/v1/citizen/benefit-applications/{id}");
        crate::notifications::notify(
            conn,
            &current.citizen_id,
            &crate::notifications::Event {
                category: Category::ApplicationStatus,
                title: &title,
                body: &body,
                link: Some(&link),
            },
            now,
        )?;
        get(conn, actor, id)
    })
}

fn schedule_payment(
    conn: &mut DbConnection,
    citizen_id: &str,
    application_id: &str,
    planned: &Planned,
    actor_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    crate::payments::insert(
        conn,
        &crate::payments::NewPayment {
            citizen_id: citizen_id.to_owned(),
            application_id: Some(application_id.to_owned()),
            kind: PaymentKind::UnemploymentBenefit,
            amount: planned.amount,
            period_from: planned.period_from,
            period_to: planned.period_to,
            pay_date: planned.pay_date,
            status: domain::payment::PaymentStatus::INITIAL,
            comment: None,
        },
        Some(actor_id),
        now,
    )
    .map(|_| ())
}

/// The citizen the staff member's centre keeps, by id: for staff-made payments.
pub fn citizen_of_centre(
    conn: &mut DbConnection,
    actor: &Actor,
    citizen_id: &str,
) -> Result<bool, StoreError> {
    let Some(centre) = &actor.centre_id else {
        return Ok(false);
    };
    let found: Option<String> = users::table
        .filter(users::id.eq(citizen_id))
        .filter(users::role.eq(Role::Citizen.code()))
        .filter(users::centre_id.eq(centre))
        .select(users::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}
