//! What happens to a filed appeal: the status machine's moves with their history and
//! the applicant's notice (SPEC §2, §7), and removal from the staff work list.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::appeal::{AppealStatus, Audience, Mover};
use domain::messages;
use domain::notification::Category;
use domain::role::Role;
use domain::Coded;

use super::reading::get;
use super::record::{add_history, find_row, mark_read, Appeal, AppealError, AppealRow};
use crate::schema::{appeals, users};
use crate::{db, DbConnection, StoreError};

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
        if let Some(org) = row.organization_id.as_deref() {
            let event = domain::webhook::EventData::AppealStatusChanged {
                appeal_id: row.id.clone(),
                appeal_number: row.number.clone(),
                appeal_type: row.appeal_type.clone(),
                from: from.code().to_owned(),
                to: to.code().to_owned(),
            };
            crate::webhooks::enqueue(conn, org, &event, now)?;
        }
        row.announce(conn)?;
        get(conn, actor, id)
    })?;
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
) -> Result<(), AppealError> {
    if actor.role != Role::Staff {
        return Err(AppealError::NotStaff);
    }
    db::write(conn, |conn| {
        let row = find_row(conn, actor, id)?;
        diesel::update(
            appeals::table
                .filter(appeals::id.eq(id))
                .filter(appeals::staff_deleted_at.is_null()),
        )
        .set((
            appeals::staff_deleted_at.eq(now),
            appeals::staff_deleted_by.eq(&actor.user_id),
            appeals::updated_at.eq(now),
        ))
        .execute(conn)?;
        // Only the centre's work lists leave it out, but every viewer sees the mark.
        row.announce(conn)?;
        Ok::<_, AppealError>(())
    })?;
    Ok(())
}
