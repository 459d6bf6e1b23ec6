//! Appeals (SPEC §2): filing, scoped reading with per-user unread marks, the status
//! machine with its immutable history, and removal from staff work lists.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::appeal::{AppealStatus, Audience, Mover, TransitionError};
use domain::appeal_centre;
use domain::appeal_scope::{self, Scope};
use domain::appeal_type::AppealType;
use domain::draft::DraftKind;
use domain::eligibility::Ineligibility;
use domain::messages;
use domain::notification::Category;
use domain::role::Role;
use domain::{appeal_number, Coded};

use crate::citizens::cases_of;
use crate::paging::{Page, PageRequest};
use crate::schema::{appeal_counters, appeal_history, appeal_reads, appeals, centres, users};
use crate::watch::Watch;
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

/// The only channel this API receives appeals through.
pub const CHANNEL_PORTAL: &str = "portal";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = appeals)]
struct AppealRow {
    id: String,
    number: String,
    appeal_type: String,
    channel: String,
    applicant_id: String,
    organization_id: Option<String>,
    centre_id: String,
    status: String,
    subject: String,
    body: String,
    deadline: NaiveDate,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    staff_deleted_at: Option<NaiveDateTime>,
    staff_deleted_by: Option<String>,
}

/// An appeal as one particular user sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Appeal {
    pub id: String,
    pub number: String,
    pub appeal_type: AppealType,
    pub channel: String,
    pub applicant_id: String,
    pub applicant_name: String,
    pub organization_id: Option<String>,
    pub centre_id: String,
    pub centre_code: String,
    pub centre_name: String,
    pub status: AppealStatus,
    pub subject: String,
    pub body: String,
    pub deadline: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub staff_deleted_at: Option<NaiveDateTime>,
    /// News the viewer has not opened yet (SPEC §2: shown bold).
    pub unread: bool,
}

/// One immutable line of an appeal's history.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = appeal_history)]
pub struct HistoryRow {
    pub id: String,
    pub appeal_id: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
    pub actor_id: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A history line with its codes parsed and the actor's role.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub id: String,
    pub from: Option<AppealStatus>,
    pub to: AppealStatus,
    pub comment: Option<String>,
    pub actor_role: Option<Role>,
    pub at: NaiveDateTime,
}

/// Why a request about appeals was refused.
#[derive(Debug, thiserror::Error)]
pub enum AppealError {
    #[error("appeal not found")]
    NotFound,
    #[error("this account cannot file appeals of type {0}")]
    NotFilable(AppealType),
    #[error("the service is not available: {0}")]
    Ineligible(Ineligibility),
    #[error("no centre to address the appeal to")]
    NoCentre,
    #[error("no such centre")]
    UnknownCentre,
    #[error("no such draft of this form")]
    UnknownDraft,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("the appeal changed meanwhile; reload it and try again")]
    Concurrent,
    #[error("only staff of the appeal's centre may do this")]
    NotStaff,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for AppealError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => AppealError::NotFound,
            other => AppealError::Store(other),
        }
    }
}

/// What an applicant sends.
#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub appeal_type: AppealType,
    pub subject: Option<String>,
    pub body: String,
    pub centre_id: Option<String>,
    /// The draft the form was sent from; it is deleted with the filing.
    pub draft_id: Option<String>,
}

/// List filters; every one optional. Dates are inclusive calendar days (UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AppealFilter {
    pub number: Option<String>,
    pub appeal_type: Option<AppealType>,
    pub status: Option<AppealStatus>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// Staff work lists leave out appeals staff removed.
    pub work_list: bool,
    /// Only this account's appeals (an employer admin looking at one contact's).
    pub applicant: Option<String>,
}

impl Appeal {
    /// The scopes whose lists show this appeal: a change to it changes their totals
    /// and pages.
    pub fn scopes(&self) -> impl Iterator<Item = Scope<'_>> {
        appeal_scope::of_appeal(
            &self.applicant_id,
            self.organization_id.as_deref(),
            &self.centre_id,
        )
    }

    /// Tells `watch` of every scope this appeal is in.
    pub(crate) fn announce(&self, watch: &dyn Watch) {
        self.scopes().for_each(|scope| watch.changed(scope));
    }

    /// [`Appeal::announce`] for a new appeal, whose filing also wrote the applicant's
    /// read mark.
    pub(crate) fn announce_filed(&self, watch: &dyn Watch) {
        self.announce(watch);
        watch.opened(&self.applicant_id);
    }
}

impl AppealRow {
    /// [`Appeal::announce`] for a row read without its viewer's extras.
    fn announce(&self, watch: &dyn Watch) {
        appeal_scope::of_appeal(
            &self.applicant_id,
            self.organization_id.as_deref(),
            &self.centre_id,
        )
        .for_each(|scope| watch.changed(scope));
    }
}

/// Narrows any boxed query over `appeals` (alone or joined) to what the actor may see
/// (`domain::appeal_scope`).
macro_rules! scoped {
    ($query:expr, $actor:expr) => {{
        let query = $query;
        match appeal_scope::scope($actor) {
            Scope::Applicant(id) => query.filter(appeals::applicant_id.eq(id)),
            Scope::Organization(org) => query.filter(appeals::organization_id.eq(org)),
            Scope::Centre(centre) => query.filter(appeals::centre_id.eq(centre)),
            Scope::Nothing => query.filter(appeals::id.is_null()),
        }
    }};
}

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
/// of starting from `centres` and sorting every match (100 ms for 20 000, `make bench`).
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
        channel: row.channel,
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

fn find_row(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<AppealRow, AppealError> {
    Ok(scoped!(appeals::table.into_boxed(), actor)
        .filter(appeals::id.eq(id))
        .select(AppealRow::as_select())
        .first(conn)?)
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

/// Records that `user_id` has seen the appeal as of `now`.
fn mark_read(
    conn: &mut DbConnection,
    appeal_id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        appeal_reads::table
            .filter(appeal_reads::appeal_id.eq(appeal_id))
            .filter(appeal_reads::user_id.eq(user_id)),
    )
    .set(appeal_reads::read_at.eq(now))
    .execute(conn)?;
    if updated == 0 {
        db::insert_unless_present(conn, |conn| {
            diesel::insert_into(appeal_reads::table)
                .values((
                    appeal_reads::appeal_id.eq(appeal_id),
                    appeal_reads::user_id.eq(user_id),
                    appeal_reads::read_at.eq(now),
                ))
                .execute(conn)
        })?;
    }
    Ok(())
}

/// Clears the appeal's unread flag for `actor` only, once [`get`] showed it to them
/// with news. Only news takes the write lock: re-reading an opened appeal is a pure
/// read.
pub fn mark_opened(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<(), AppealError> {
    db::write(conn, |conn| mark_read(conn, id, &actor.user_id, now))?;
    watch.opened(&actor.user_id);
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

/// Takes the next number of the centre's yearly sequence. Runs inside the caller's
/// write transaction, which holds the counter row until commit.
fn next_number(
    conn: &mut DbConnection,
    centre_id: &str,
    centre_code: &str,
    year: i32,
) -> Result<String, StoreError> {
    let seed = (
        appeal_counters::centre_id.eq(centre_id),
        appeal_counters::year.eq(year),
        appeal_counters::last_value.eq(0_i64),
    );
    // The one upsert: the two backends spell "insert unless present" differently.
    match conn {
        DbConnection::Postgresql(c) => diesel::insert_into(appeal_counters::table)
            .values(seed)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_or_ignore_into(appeal_counters::table)
            .values(seed)
            .execute(c)?,
    };
    let key = appeal_counters::table
        .filter(appeal_counters::centre_id.eq(centre_id))
        .filter(appeal_counters::year.eq(year));
    diesel::update(key)
        .set(appeal_counters::last_value.eq(appeal_counters::last_value + 1))
        .execute(conn)?;
    let value: i64 = key.select(appeal_counters::last_value).first(conn)?;
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
        channel: CHANNEL_PORTAL.to_owned(),
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
    mark_read(conn, &id, filing.applicant_id, now)?;
    Ok(id)
}

fn add_history(
    conn: &mut DbConnection,
    appeal_id: &str,
    from: Option<AppealStatus>,
    to: AppealStatus,
    comment: Option<&str>,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(appeal_history::table)
        .values((
            appeal_history::id.eq(&id),
            appeal_history::appeal_id.eq(appeal_id),
            appeal_history::from_status.eq(from.map(|s| s.code())),
            appeal_history::to_status.eq(to.code()),
            appeal_history::comment.eq(comment),
            appeal_history::actor_id.eq(actor_id),
            appeal_history::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Files an appeal for a citizen or an employer account. A service request is checked
/// against the citizen's personal cases first (SPEC §1).
pub fn file(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewAppeal,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<Appeal, AppealError> {
    if !new.appeal_type.filable_by(actor.role) {
        return Err(AppealError::NotFilable(new.appeal_type));
    }
    let written = db::write::<_, AppealError>(conn, |conn| {
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
        let centre_id = appeal_centre::addressee(
            new.centre_id.as_deref(),
            organization_centre.as_deref(),
            actor.centre_id.as_deref(),
        )
        .ok_or(AppealError::NoCentre)?;
        let subject = new
            .subject
            .clone()
            .unwrap_or_else(|| new.appeal_type.title().to_owned());
        let id = insert(
            conn,
            Filing {
                applicant_id: &actor.user_id,
                organization_id: actor.organization_id.as_deref(),
                centre_id,
                appeal_type: new.appeal_type,
                subject,
                body: new.body.clone(),
                status: AppealStatus::Registered,
            },
            now,
        )?;
        get(conn, actor, &id)
    })?;
    written.announce_filed(watch);
    Ok(written)
}

/// Moves an appeal. Staff of its centre run it; its applicant (or the organisation's
/// admin) may only answer a clarification request. The write is conditional on the
/// status read, so two concurrent moves cannot both pass from the same state.
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    to: AppealStatus,
    comment: Option<&str>,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<Appeal, AppealError> {
    let mover = actor.mover();
    let written = db::write::<_, AppealError>(conn, |conn| {
        let row = find_row(conn, actor, id)?;
        let from: AppealStatus = row.status.parse().map_err(StoreError::from)?;
        let step = from.transition(to, comment, mover)?;
        let changed = diesel::update(
            appeals::table
                .filter(appeals::id.eq(id))
                .filter(appeals::status.eq(from.code())),
        )
        .set((appeals::status.eq(to.code()), appeals::updated_at.eq(now)))
        .execute(conn)?;
        if changed != 1 {
            return Err(AppealError::Concurrent);
        }
        if mover == Mover::Applicant {
            // The applicant answered: the appeal needs staff again, so it returns to
            // the work list even if it had been removed.
            diesel::update(appeals::table.find(id))
                .set((
                    appeals::staff_deleted_at.eq(None::<NaiveDateTime>),
                    appeals::staff_deleted_by.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        add_history(
            conn,
            id,
            Some(from),
            to,
            step.comment.as_deref(),
            Some(&actor.user_id),
            now,
        )?;
        mark_read(conn, id, &actor.user_id, now)?;
        if row.applicant_id != actor.user_id {
            tell_applicant(conn, &row, to, step.comment.as_deref(), now)?;
        }
        get(conn, actor, id)
    })?;
    written.announce(watch);
    watch.opened(&actor.user_id);
    Ok(written)
}

/// SPEC §7: a status change reaches the applicant through their subscriptions to
/// «application status».
fn tell_applicant(
    conn: &mut DbConnection,
    row: &AppealRow,
    to: AppealStatus,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let role: String = users::table
        .find(&row.applicant_id)
        .select(users::role)
        .first(conn)?;
    let audience = Audience::of(role.parse()?);
    let text = messages::appeal_moved(&row.number, &row.subject, to, audience, comment);
    let link = format!("/api/v1/appeals/{}", row.id);
    let event = crate::notifications::Event {
        category: Category::ApplicationStatus,
        title: &text.title,
        body: &text.body,
        link: Some(&link),
    };
    crate::notifications::notify(conn, &row.applicant_id, &event, now)
}

/// Removes an appeal from the centre's work lists. The applicant still sees it, with
/// the mark; nothing is erased (SPEC §2 «Proof»). Removing twice is harmless.
pub fn remove_from_work_list(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
    watch: &dyn Watch,
) -> Result<(), AppealError> {
    if actor.role != Role::Staff {
        return Err(AppealError::NotStaff);
    }
    let row = db::write(conn, |conn| {
        let row = find_row(conn, actor, id)?;
        diesel::update(
            appeals::table
                .filter(appeals::id.eq(id))
                .filter(appeals::staff_deleted_at.is_null()),
        )
        .set((
            appeals::staff_deleted_at.eq(now),
            appeals::staff_deleted_by.eq(&actor.user_id),
        ))
        .execute(conn)?;
        Ok::<_, AppealError>(row)
    })?;
    // Only the centre's work lists leave it out, but every viewer sees the mark.
    row.announce(watch);
    Ok(())
}

/// Fills the store with `count` appeals of `applicants` at one centre, in the spread of
/// statuses a working centre has, each with a consistent history. For benchmarks: it
/// writes rows directly, in transactions of a thousand, and moves the centre's counter
/// past the numbers it used.
pub fn seed_bulk(
    conn: &mut DbConnection,
    centre_id: &str,
    centre_code: &str,
    staff_id: &str,
    applicants: &[String],
    count: usize,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use AppealStatus::*;
    const CHUNK: usize = 1000;
    let year = now.year();
    let mut done = 0;
    while done < count {
        let end = (done + CHUNK).min(count);
        db::write(conn, |conn| {
            for i in done..end {
                let applicant = &applicants[i % applicants.len().max(1)];
                let created = now - TimeDelta::minutes(i64::try_from((count - i) * 3).unwrap_or(0));
                let path: &[AppealStatus] = match i % 10 {
                    0..=5 => &[Registered],
                    6 | 7 => &[Registered, InProgress],
                    8 => &[Registered, InProgress, Completed],
                    _ => &[Registered, Rejected],
                };
                let status = *path.last().unwrap_or(&Registered);
                let id = new_id();
                let appeal_type = AppealType::GeneralInquiry;
                let row = AppealRow {
                    id: id.clone(),
                    number: appeal_number::format(
                        centre_code,
                        u64::try_from(i + 1).unwrap_or(0),
                        year,
                    ),
                    appeal_type: appeal_type.to_string(),
                    channel: CHANNEL_PORTAL.to_owned(),
                    applicant_id: applicant.clone(),
                    organization_id: None,
                    centre_id: centre_id.to_owned(),
                    status: status.to_string(),
                    subject: appeal_type.title().to_owned(),
                    body: format!("Обращение № {i}"),
                    deadline: (created + TimeDelta::days(30)).date(),
                    created_at: created,
                    updated_at: created,
                    staff_deleted_at: None,
                    staff_deleted_by: None,
                };
                diesel::insert_into(appeals::table)
                    .values(&row)
                    .execute(conn)?;
                let mut from = None;
                for (step, to) in path.iter().enumerate() {
                    let actor = if step == 0 {
                        applicant.as_str()
                    } else {
                        staff_id
                    };
                    let comment = (*to == Rejected).then_some("Не относится к компетенции центра");
                    add_history(conn, &id, from, *to, comment, Some(actor), created)?;
                    from = Some(*to);
                }
            }
            Ok::<_, StoreError>(())
        })?;
        done = end;
    }
    let last = i64::try_from(count).unwrap_or(i64::MAX);
    db::write(conn, |conn| {
        diesel::delete(
            appeal_counters::table
                .filter(appeal_counters::centre_id.eq(centre_id))
                .filter(appeal_counters::year.eq(year)),
        )
        .execute(conn)?;
        diesel::insert_into(appeal_counters::table)
            .values((
                appeal_counters::centre_id.eq(centre_id),
                appeal_counters::year.eq(year),
                appeal_counters::last_value.eq(last),
            ))
            .execute(conn)?;
        Ok(())
    })
}
