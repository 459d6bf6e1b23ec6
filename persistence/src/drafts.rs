//! Drafts of unsent forms (SPEC §3): any form, kept three months from its last edit,
//! removed when the form is sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::draft::{expires_at, DraftKind};
use domain::quota::Holding;
use domain::Coded;

use crate::paging::{self, Page, PageRequest};
use crate::schema::drafts;
use crate::{db, new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = drafts)]
pub struct Draft {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub payload: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    kind: DraftKind,
    payload: &str,
    now: NaiveDateTime,
) -> Result<Draft, StoreError> {
    let draft = Draft {
        id: new_id(),
        user_id: user_id.to_owned(),
        kind: kind.code().to_owned(),
        payload: payload.to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
        expires_at: expires_at(now),
    };
    db::write(conn, |conn| {
        // Expired drafts are hidden from every list: they do not count.
        diesel::delete(
            drafts::table
                .filter(drafts::user_id.eq(user_id))
                .filter(drafts::expires_at.le(now)),
        )
        .execute(conn)?;
        crate::quota::ensure_room(conn, Holding::Drafts, user_id)?;
        insert(conn, &draft)
    })?;
    Ok(draft)
}

fn insert(conn: &mut DbConnection, draft: &Draft) -> Result<(), StoreError> {
    let (user_id, payload, now) = (&draft.user_id, &draft.payload, draft.created_at);
    diesel::insert_into(drafts::table)
        .values((
            drafts::id.eq(&draft.id),
            drafts::user_id.eq(user_id),
            drafts::kind.eq(&draft.kind),
            drafts::payload.eq(payload),
            drafts::version.eq(1),
            drafts::created_at.eq(now),
            drafts::updated_at.eq(now),
            drafts::expires_at.eq(draft.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user's live drafts, most recently edited first; expired ones are never listed.
pub fn list(
    conn: &mut DbConnection,
    user_id: &str,
    kind: Option<DraftKind>,
    page: PageRequest,
    now: NaiveDateTime,
) -> Result<Page<Draft>, StoreError> {
    let query = || {
        let q = drafts::table
            .filter(drafts::user_id.eq(user_id))
            .filter(drafts::expires_at.gt(now))
            .into_boxed();
        match kind {
            Some(k) => q.filter(drafts::kind.eq(k.code())),
            None => q,
        }
    };
    Ok(paging::count_and_load(conn, page, query, |q| {
        q.order((drafts::updated_at.desc(), drafts::id.desc()))
            .select(Draft::as_select())
    })?)
}

/// One of the user's live drafts.
pub fn get(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<Draft, StoreError> {
    Ok(drafts::table
        .filter(drafts::id.eq(id))
        .filter(drafts::user_id.eq(user_id))
        .filter(drafts::expires_at.gt(now))
        .select(Draft::as_select())
        .first(conn)?)
}

/// Replaces the payload; the three months start again.
pub fn update(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    payload: &str,
    expected: Option<i32>,
    now: NaiveDateTime,
) -> Result<Draft, StoreError> {
    db::write(conn, |conn| {
        let current = get(conn, user_id, id, now)?;
        if expected.is_some_and(|v| v != current.version) {
            return Err(StoreError::Stale);
        }
        let changed = diesel::update(
            drafts::table
                .filter(drafts::id.eq(id))
                .filter(drafts::version.eq(current.version)),
        )
        .set((
            drafts::payload.eq(payload),
            drafts::version.eq(current.version + 1),
            drafts::updated_at.eq(now),
            drafts::expires_at.eq(expires_at(now)),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(StoreError::Stale);
        }
        get(conn, user_id, id, now)
    })
}

pub fn delete(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let deleted = diesel::delete(
        drafts::table
            .filter(drafts::id.eq(id))
            .filter(drafts::user_id.eq(user_id))
            .filter(drafts::expires_at.gt(now)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Removes the draft a form was sent from, inside the sending transaction. The draft
/// must be the user's, live, and of the form's kind, or nothing is sent.
pub fn consume(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    kind: DraftKind,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let draft = get(conn, user_id, id, now)?;
    if draft.kind != kind.code() {
        return Err(StoreError::NotFound);
    }
    // Two sends racing on one draft: only the one that deletes it goes on.
    if diesel::delete(drafts::table.find(id)).execute(conn)? != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Deletes drafts past their expiry; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(diesel::delete(drafts::table.filter(drafts::expires_at.le(now))).execute(conn)?)
}
