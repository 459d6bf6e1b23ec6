//! An appeal as stored and as one viewer sees it, and what every appeal use case
//! shares: narrowing a query to the viewer's scope, the viewer's read mark, and the
//! lines of the immutable history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::appeal::{AppealStatus, Channel, TransitionError};
use domain::appeal_scope::{self, Scope};
use domain::appeal_type::AppealType;
use domain::eligibility::Ineligibility;
use domain::role::Role;
use domain::Coded;

use crate::feed;
use crate::schema::{appeal_history, appeal_reads, appeals};
use crate::{db, new_id, DbConnection, StoreError};
use domain::change::Change;

/// Narrows any boxed query over `appeals` (alone or joined) to what the actor may see
/// (`domain::appeal_scope`).
macro_rules! scoped {
    ($query:expr, $actor:expr) => {{
        use ::domain::appeal_scope::{self, Scope};
        use $crate::schema::appeals;
        let query = $query;
        match appeal_scope::scope($actor) {
            Scope::Applicant(id) => query.filter(appeals::applicant_id.eq(id)),
            Scope::Organization(org) => query.filter(appeals::organization_id.eq(org)),
            Scope::Centre(centre) => query.filter(appeals::centre_id.eq(centre)),
            Scope::Nothing => query.filter(appeals::id.is_null()),
        }
    }};
}
pub(super) use scoped;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = appeals, treat_none_as_default_value = false)]
pub(super) struct AppealRow {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) appeal_type: String,
    pub(super) channel: String,
    pub(super) applicant_id: String,
    pub(super) organization_id: Option<String>,
    pub(super) centre_id: String,
    pub(super) status: String,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) deadline: NaiveDate,
    pub(super) created_at: NaiveDateTime,
    pub(super) updated_at: NaiveDateTime,
    pub(super) staff_deleted_at: Option<NaiveDateTime>,
    pub(super) staff_deleted_by: Option<String>,
}

/// An appeal as one particular user sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Appeal {
    pub id: String,
    pub number: String,
    pub appeal_type: AppealType,
    pub channel: Channel,
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
    /// The organisation is pending: it may not publish yet.
    #[error(transparent)]
    NotVerified(#[from] domain::organization::NotVerified),
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
    /// Only appeals filed or changed strictly after this moment (UTC).
    pub updated_since: Option<NaiveDateTime>,
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
}

impl AppealRow {
    /// Records, in the write that changed this appeal, a change of every scope whose
    /// lists show it (`feed`).
    pub(super) fn announce(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        let scopes: Vec<Change> = appeal_scope::of_appeal(
            &self.applicant_id,
            self.organization_id.as_deref(),
            &self.centre_id,
        )
        .filter_map(Change::appeals)
        .collect();
        feed::record_all(conn, scopes)
    }
}

/// The appeal's row if `actor` may see it (its scope); anyone else's is `NotFound`.
pub(super) fn find_row(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<AppealRow, AppealError> {
    Ok(scoped!(appeals::table.into_boxed(), actor)
        .filter(appeals::id.eq(id))
        .select(AppealRow::as_select())
        .first(conn)?)
}

/// Records that `user_id` has seen the appeal as of `now`, knowing they have no mark
/// yet: the applicant of an appeal being filed, or the caller of [`mark_read`].
pub(super) fn mark_read_new(
    conn: &mut DbConnection,
    appeal_id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    diesel::insert_into(appeal_reads::table)
        .values((
            appeal_reads::appeal_id.eq(appeal_id),
            appeal_reads::user_id.eq(user_id),
            appeal_reads::read_at.eq(now),
        ))
        .execute(conn)
}

/// Records that `user_id` has seen the appeal as of `now`.
pub(super) fn mark_read(
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
        db::insert_unless_present(conn, |conn| mark_read_new(conn, appeal_id, user_id, now))?;
    }
    Ok(())
}

/// Appends a line to the appeal's immutable history.
pub(super) fn add_history(
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

#[cfg(test)]
mod tests {
    use diesel::pg::Pg;
    use diesel::query_builder::QueryFragment;

    use super::*;

    /// Filing inserts an appeal without an organisation or a deletion: Diesel would
    /// write such an insert anew for every call (a `None` standing for the column's
    /// default), which PostgreSQL then parses and plans while the centre's counter is
    /// held. It must be the one prepared statement.
    #[test]
    fn a_new_appeal_is_one_prepared_statement() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let row = AppealRow {
            id: "a".into(),
            number: "1/26ЦЗН".into(),
            appeal_type: "complaint".into(),
            channel: "portal".into(),
            applicant_id: "u".into(),
            organization_id: None,
            centre_id: "c".into(),
            status: "registered".into(),
            subject: "s".into(),
            body: "b".into(),
            deadline: at.date(),
            created_at: at,
            updated_at: at,
            staff_deleted_at: None,
            staff_deleted_by: None,
        };
        let insert = diesel::insert_into(appeals::table).values(&row);
        assert!(insert.is_safe_to_cache_prepared(&Pg).unwrap());
    }
}
