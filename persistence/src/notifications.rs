//! Notifications and subscriptions (SPEC §7): an event reaches a person through each
//! channel they are subscribed to for its category — the cabinet as a notification
//! row, e-mail through the outbox.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::notification::{on_by_default, Category, Channel};
use domain::role::Role;
use domain::Coded;

use crate::paging::{self, Page, PageRequest};
use crate::schema::{notifications, subscriptions, users};
use crate::{db, new_id, outbox, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: String,
    pub user_id: String,
    pub category: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    /// When it was delivered or last changed (read).
    pub updated_at: NaiveDateTime,
    /// Its place among the person's notifications, 1, 2, 3 … in the order they were
    /// committed: the event stream's cursor.
    pub seq: i64,
}

/// Something to tell a person.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub category: Category,
    pub title: &'a str,
    pub body: &'a str,
    /// API path of what the event is about, e.g. `/api/v1/appeals/{id}`.
    pub link: Option<&'a str>,
}

/// Whether `user_id` gets `category` through `channel`.
fn subscribed(
    conn: &mut DbConnection,
    user_id: &str,
    category: Category,
    channel: Channel,
) -> Result<bool, StoreError> {
    let chosen: Option<bool> = subscriptions::table
        .find((user_id, category.code(), channel.code()))
        .select(subscriptions::enabled)
        .first(conn)
        .optional()?;
    Ok(chosen.unwrap_or_else(|| on_by_default(channel)))
}

/// Delivers an event to one person; runs inside the caller's transaction.
pub fn notify(
    conn: &mut DbConnection,
    user_id: &str,
    event: &Event<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if subscribed(conn, user_id, event.category, Channel::Cabinet)? {
        add_to_cabinet(conn, user_id, event, now)?;
    }
    if subscribed(conn, user_id, event.category, Channel::Email)? {
        let email: Option<String> = users::table
            .find(user_id)
            .select(users::email)
            .first(conn)?;
        if let Some(email) = email {
            outbox::enqueue(conn, Channel::Email, &email, event.title, event.body, now)?;
        }
    }
    Ok(())
}

/// Puts an event among `user_id`'s notifications in the cabinet, whatever their
/// subscriptions; runs inside the caller's transaction. [`notify`] calls it for those
/// subscribed; a benchmark's seed for the notices its appeals' moves gave.
pub(crate) fn add_to_cabinet(
    conn: &mut DbConnection,
    user_id: &str,
    event: &Event<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let seq = crate::event_stream::next_seq(conn, user_id)?;
    diesel::insert_into(notifications::table)
        .values((
            notifications::seq.eq(seq),
            notifications::id.eq(new_id()),
            notifications::user_id.eq(user_id),
            notifications::category.eq(event.category.code()),
            notifications::title.eq(event.title),
            notifications::body.eq(event.body),
            notifications::link.eq(event.link),
            notifications::created_at.eq(now),
            notifications::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::feed::record(
        conn,
        domain::change::Change::Notifications(user_id.to_owned()),
    )?;
    Ok(())
}

/// Whether to list new notifications, read ones, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadState {
    New,
    Read,
}

/// A page of the user's notifications, newest first; with `updated_since`, only those
/// delivered or changed strictly after it.
pub fn list(
    conn: &mut DbConnection,
    user_id: &str,
    state: Option<ReadState>,
    updated_since: Option<NaiveDateTime>,
    page: PageRequest,
) -> Result<Page<Notification>, StoreError> {
    let query = || {
        let mut q = notifications::table
            .filter(notifications::user_id.eq(user_id))
            .into_boxed();
        if let Some(since) = updated_since {
            q = q.filter(notifications::updated_at.gt(since));
        }
        match state {
            Some(ReadState::New) => q.filter(notifications::read_at.is_null()),
            Some(ReadState::Read) => q.filter(notifications::read_at.is_not_null()),
            None => q,
        }
    };
    Ok(paging::count_and_load(conn, page, query, |q| {
        q.order((notifications::created_at.desc(), notifications::id.desc()))
            .select(Notification::as_select())
    })?)
}

/// Marks one of the user's notifications read; reading twice keeps the first time.
pub fn mark_read(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let owned = notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user_id));
    let exists: bool = diesel::select(diesel::dsl::exists(owned)).get_result(conn)?;
    if !exists {
        return Err(StoreError::NotFound);
    }
    diesel::update(owned.filter(notifications::read_at.is_null()))
        .set((
            notifications::read_at.eq(now),
            notifications::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks read every unread notification of `user_id` about `link` (the API path of
/// what they tell of); runs inside the caller's transaction.
pub fn mark_read_about(
    conn: &mut DbConnection,
    user_id: &str,
    link: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::link.eq(link))
            .filter(notifications::read_at.is_null()),
    )
    .set((
        notifications::read_at.eq(now),
        notifications::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// One cell of the subscription matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subscription {
    pub category: Category,
    pub channel: Channel,
    pub enabled: bool,
}

/// The user's whole matrix: every category of the role × every channel, with the
/// defaults filled in where the user never chose.
pub fn subscriptions_of(
    conn: &mut DbConnection,
    user_id: &str,
    role: Role,
) -> Result<Vec<Subscription>, StoreError> {
    let chosen: Vec<(String, String, bool)> = subscriptions::table
        .filter(subscriptions::user_id.eq(user_id))
        .select((
            subscriptions::category,
            subscriptions::channel,
            subscriptions::enabled,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for &category in Category::for_role(role) {
        for &channel in Channel::ALL {
            let enabled = chosen
                .iter()
                .find(|(c, ch, _)| c == category.code() && ch == channel.code())
                .map_or_else(|| on_by_default(channel), |(_, _, e)| *e);
            out.push(Subscription {
                category,
                channel,
                enabled,
            });
        }
    }
    Ok(out)
}

/// Stores the given cells (others keep their state) in one transaction.
pub fn set_subscriptions(
    conn: &mut DbConnection,
    user_id: &str,
    cells: &[Subscription],
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        for cell in cells {
            let key =
                subscriptions::table.find((user_id, cell.category.code(), cell.channel.code()));
            let updated = diesel::update(key)
                .set(subscriptions::enabled.eq(cell.enabled))
                .execute(conn)?;
            if updated == 0 {
                db::insert_unless_present(conn, |conn| {
                    diesel::insert_into(subscriptions::table)
                        .values((
                            subscriptions::user_id.eq(user_id),
                            subscriptions::category.eq(cell.category.code()),
                            subscriptions::channel.eq(cell.channel.code()),
                            subscriptions::enabled.eq(cell.enabled),
                        ))
                        .execute(conn)
                })?;
                // A concurrent request may have inserted first; this one's choice wins.
                diesel::update(key)
                    .set(subscriptions::enabled.eq(cell.enabled))
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}
