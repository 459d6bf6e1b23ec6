//! Reading appeals: the lists every role sees through its scope, one appeal with the
//! viewer's unread flag, its history, and clearing the flag once it was seen.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::Coded;

use super::record::{find_row, mark_read, scoped, Appeal, AppealError, AppealFilter, AppealRow};
use super::record::{HistoryEntry, HistoryRow};
use crate::paging::{Page, PageRequest};
use crate::schema::{appeal_history, appeal_reads, appeals, centres, users};
use crate::{db, DbConnection, StoreError};

/// [`scoped!`] plus the list filters. A macro rather than a function because it serves
/// two query types: the count over `appeals` alone and the page over the join.
macro_rules! filtered {
    ($query:expr, $actor:expr, $filter:expr) => {{
        let f: &AppealFilter = $filter;
        let mut q = scoped!($query, $actor);
        if let Some(number) = &f.number {
            q = q.filter(
                appeals::number
                    .like(crate::paging::contains_pattern(number))
                    .escape('\\'),
            );
        }
        if let Some(t) = f.appeal_type {
            q = q.filter(appeals::appeal_type.eq(t.code()));
        }
        if let Some(s) = f.status {
            q = q.filter(appeals::status.eq(s.code()));
        }
        if let Some(from) = f.date_from {
            q = q.filter(appeals::created_at.ge(from.and_time(chrono::NaiveTime::MIN)));
        }
        if let Some(to) = f.date_to.and_then(|d| d.succ_opt()) {
            q = q.filter(appeals::created_at.lt(to.and_time(chrono::NaiveTime::MIN)));
        }
        if let Some(since) = f.updated_since {
            q = q.filter(appeals::updated_at.gt(since));
        }
        if f.work_list {
            q = q.filter(appeals::staff_deleted_at.is_null());
        }
        if let Some(applicant) = &f.applicant {
            q = q.filter(appeals::applicant_id.eq(applicant));
        }
        q
    }};
}

/// Appeals with what a viewer sees beside each row (centre, applicant's name, the
/// viewer's own read mark) in one statement. Joins rather than `IN (...)` lookups: an
/// `IN` list's length varies, so SQLite would re-prepare it on every request. Left
/// joins although both rows always exist: SQLite keeps a left join's left table as the
/// outer loop, so it walks `appeals` in index order and stops at the page's end instead
/// of starting from `centres` and sorting every match, which costs as much as the
/// scope is large.
macro_rules! viewed {
    ($actor:expr) => {
        appeals::table
            .left_join(centres::table)
            .left_join(users::table)
            .left_join(
                appeal_reads::table.on(appeal_reads::appeal_id
                    .eq(appeals::id)
                    .and(appeal_reads::user_id.eq(&$actor.user_id))),
            )
            .select((
                AppealRow::as_select(),
                centres::code.nullable(),
                centres::name.nullable(),
                users::display_name.nullable(),
                appeal_reads::read_at.nullable(),
            ))
            .into_boxed()
    };
}

/// A row of [`viewed!`].
type ViewedRow = (
    AppealRow,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
);

/// A page of the appeals the actor may see, newest first, with `total` as [`count`]
/// gave it. The count is the caller's so that it can be reused: a centre's costs far
/// more than its page (it visits every match; the page's index walk stops at its end).
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AppealFilter,
    page: PageRequest,
    total: u64,
) -> Result<Page<Appeal>, AppealError> {
    let rows: Vec<ViewedRow> = db::planned_for_values(conn, filter.number.is_some(), |conn| {
        per_backend!(conn, |c| {
            filtered!(viewed!(actor), actor, filter)
                .order((appeals::created_at.desc(), appeals::id.desc()))
                .limit(page.limit())
                .offset(page.offset())
                .load(c)
        })
    })?;
    Page::new(page, total, rows).try_map(view)
}

/// How many appeals match: the total of [`list`].
pub fn count(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AppealFilter,
) -> Result<u64, AppealError> {
    let total: i64 = db::planned_for_values(conn, filter.number.is_some(), |conn| {
        per_backend!(conn, |c| {
            filtered!(appeals::table.into_boxed(), actor, filter)
                .count()
                .get_result(c)
        })
    })?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Whether [`list`] reads few rows besides the page's own whatever the scope's size:
/// each scope has an index by date and one by status and date, so a shallow page
/// without a number, type or applicant filter stops after a few dozen rows. Those
/// filters are checked row by row along the scope's appeals.
pub fn page_is_short(filter: &AppealFilter, page: PageRequest) -> bool {
    filter.number.is_none()
        && filter.appeal_type.is_none()
        && filter.applicant.is_none()
        && page.offset() < 1_000
}

/// An appeal as `actor` sees it, without marking it read (a pure read: see
/// [`mark_opened`]).
pub fn get(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Appeal, AppealError> {
    let row: ViewedRow = per_backend!(conn, |c| {
        scoped!(viewed!(actor), actor)
            .filter(appeals::id.eq(id))
            .first(c)
    })?;
    view(row)
}

/// Clears the appeal's unread flag for `actor` only, once [`get`] showed it to them
/// with news, and marks read their notifications about it: the news they told of is
/// seen. Only news takes the write lock: re-reading an opened appeal is a pure read.
pub fn mark_opened(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), AppealError> {
    db::write(conn, |conn| {
        mark_read(conn, id, &actor.user_id, now)?;
        let link = format!("/api/v1/appeals/{id}");
        crate::notifications::mark_read_about(conn, &actor.user_id, &link, now)
    })?;
    Ok(())
}

/// The appeal's history, oldest first.
pub fn history(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<HistoryEntry>, AppealError> {
    find_row(conn, actor, id)?;
    let rows: Vec<(HistoryRow, Option<String>)> = appeal_history::table
        .left_join(users::table.on(users::id.nullable().eq(appeal_history::actor_id)))
        .filter(appeal_history::appeal_id.eq(id))
        .order((appeal_history::created_at.asc(), appeal_history::id.asc()))
        .select((HistoryRow::as_select(), users::role.nullable()))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, role)| {
            Ok(HistoryEntry {
                from: row
                    .from_status
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(StoreError::from)?,
                to: row.to_status.parse().map_err(StoreError::from)?,
                actor_role: role
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(StoreError::from)?,
                id: row.id,
                comment: row.comment,
                at: row.created_at,
            })
        })
        .collect()
}

/// The appeal of a [`viewed!`] row, with the viewer's unread flag.
fn view(
    (row, centre_code, centre_name, applicant_name, read): ViewedRow,
) -> Result<Appeal, AppealError> {
    let unread = read.is_none_or(|read| read < row.updated_at);
    Ok(Appeal {
        appeal_type: row.appeal_type.parse().map_err(StoreError::from)?,
        status: row.status.parse().map_err(StoreError::from)?,
        applicant_name: applicant_name.unwrap_or_default(),
        centre_code: centre_code.unwrap_or_default(),
        centre_name: centre_name.unwrap_or_default(),
        unread,
        id: row.id,
        number: row.number,
        channel: row.channel.parse().map_err(StoreError::from)?,
        applicant_id: row.applicant_id,
        organization_id: row.organization_id,
        centre_id: row.centre_id,
        subject: row.subject,
        body: row.body,
        deadline: row.deadline,
        created_at: row.created_at,
        updated_at: row.updated_at,
        staff_deleted_at: row.staff_deleted_at,
    })
}
