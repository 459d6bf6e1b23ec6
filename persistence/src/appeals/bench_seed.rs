//! A benchmark's appeals (`portal seed`): many appeals of one centre written straight
//! into the tables, with the history, numbering, read marks and notices the use cases
//! would have left.

use chrono::{Datelike, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::appeal::{AppealStatus, Audience, Channel};
use domain::appeal_number;
use domain::appeal_type::AppealType;
use domain::messages;
use domain::notification::Category;
use domain::Coded;

use super::record::{add_history, mark_read_new, AppealRow};
use crate::schema::{appeal_counters, appeals};
use crate::{db, new_id, notifications, DbConnection, StoreError};

/// What [`seed`] writes: `count` appeals of `applicants` (taken in turn) at one centre.
pub struct BulkAppeals<'a> {
    pub centre_id: &'a str,
    pub centre_code: &'a str,
    /// Who moved the appeals that left `registered`.
    pub staff_id: &'a str,
    pub applicants: &'a [String],
    pub count: usize,
    /// The body of the `i`-th appeal.
    pub body: &'a (dyn Fn(usize) -> String + Sync),
    /// The comment on each rejection (SPEC §2: a rejection needs one).
    pub rejection_comment: &'a str,
}

/// Appeals in a transaction: a bulk load commits now and then rather than at the end.
const CHUNK: usize = 1000;

/// Fills the store with the appeals `bulk` describes, in the spread of statuses a
/// working centre has, each with a consistent history, and moves the centre's counter
/// past the numbers it used. With no applicants it writes none.
pub fn seed(
    conn: &mut DbConnection,
    bulk: &BulkAppeals<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let year = now.year();
    let mut applicants = bulk.applicants.iter().cycle();
    let mut written = 0;
    while written < bulk.count {
        let end = (written + CHUNK).min(bulk.count);
        db::write(conn, |conn| {
            for i in written..end {
                let Some(applicant) = applicants.next() else {
                    break;
                };
                insert_one(conn, bulk, i, applicant, year, now)?;
            }
            Ok::<_, StoreError>(())
        })?;
        written = end;
    }
    let last = i64::try_from(bulk.count).unwrap_or(i64::MAX);
    db::write(conn, |conn| {
        diesel::delete(
            appeal_counters::table
                .filter(appeal_counters::centre_id.eq(bulk.centre_id))
                .filter(appeal_counters::year.eq(year)),
        )
        .execute(conn)?;
        diesel::insert_into(appeal_counters::table)
            .values((
                appeal_counters::centre_id.eq(bulk.centre_id),
                appeal_counters::year.eq(year),
                appeal_counters::last_value.eq(last),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The `i`-th appeal, filed three minutes after the one before it, the last one at
/// `now`: six in ten still registered, two in progress, one completed, one rejected.
/// Its applicant has read it as filed (filing marks it so) and has a notice in their
/// cabinet of each move staff made, as `moves` would have left. Without them a seeded
/// database held no read marks and no notifications, and PostgreSQL, analysing those
/// tables empty, planned their look-ups as scans of nothing (bench/RESULTS.md).
fn insert_one(
    conn: &mut DbConnection,
    bulk: &BulkAppeals<'_>,
    i: usize,
    applicant: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use AppealStatus::*;
    let created = now - TimeDelta::minutes(i64::try_from((bulk.count - i) * 3).unwrap_or(0));
    let path: &[AppealStatus] = match i % 10 {
        0..=5 => &[Registered],
        6 | 7 => &[Registered, InProgress],
        8 => &[Registered, InProgress, Completed],
        _ => &[Registered, Rejected],
    };
    let status = path.last().copied().unwrap_or(Registered);
    let id = new_id();
    let appeal_type = AppealType::GeneralInquiry;
    let row = AppealRow {
        id: id.clone(),
        number: appeal_number::format(bulk.centre_code, u64::try_from(i + 1).unwrap_or(0), year),
        appeal_type: appeal_type.to_string(),
        channel: Channel::Portal.code().to_owned(),
        applicant_id: applicant.to_owned(),
        organization_id: None,
        centre_id: bulk.centre_id.to_owned(),
        status: status.to_string(),
        subject: appeal_type.title().to_owned(),
        body: (bulk.body)(i),
        deadline: (created + TimeDelta::days(30)).date(),
        created_at: created,
        updated_at: created,
        staff_deleted_at: None,
        staff_deleted_by: None,
    };
    diesel::insert_into(appeals::table)
        .values(&row)
        .execute(conn)?;
    mark_read_new(conn, &id, applicant, created)?;
    let link = format!("/api/v1/appeals/{id}");
    let mut from = None;
    for (step, &to) in path.iter().enumerate() {
        let actor = if step == 0 { applicant } else { bulk.staff_id };
        let comment = (to == Rejected).then_some(bulk.rejection_comment);
        add_history(conn, &id, from, to, comment, Some(actor), created)?;
        if step > 0 {
            let text =
                messages::appeal_moved(&row.number, &row.subject, to, Audience::Citizen, comment);
            let event = notifications::Event {
                category: Category::ApplicationStatus,
                title: &text.title,
                body: &text.body,
                link: Some(&link),
            };
            notifications::add_to_cabinet(conn, applicant, &event, created)?;
        }
        from = Some(to);
    }
    Ok(())
}
