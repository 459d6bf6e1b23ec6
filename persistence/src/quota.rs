//! The per-holder limits of `domain::quota`, applied inside the creating transaction.

use diesel::prelude::*;
use domain::quota::{self, Holding};

use crate::schema::{
    contacts, drafts, favourite_resumes, favourite_vacancies, organizations, resumes,
    saved_searches, users, webhook_subscriptions,
};
use crate::{DbConnection, StoreError};

/// Refuses one more record of `kind` when its holder (the organisation for contacts
/// and webhooks, else the account) keeps as many as it may: `StoreError::LimitReached`. Call inside
/// the creating write transaction, before the insert. On PostgreSQL the holder's row
/// is locked first, so two creations racing at the limit cannot both pass; SQLite's
/// write transaction already runs them one after the other. The lock is `FOR NO KEY
/// UPDATE`: it keeps creations of the holder apart without waiting for transactions
/// that only insert rows referring to the holder (a long batch of notifications).
pub(crate) fn ensure_room(
    conn: &mut DbConnection,
    kind: Holding,
    holder_id: &str,
) -> Result<(), StoreError> {
    if let DbConnection::Postgresql(pg) = conn {
        if matches!(kind, Holding::Contacts | Holding::Webhooks) {
            organizations::table
                .find(holder_id)
                .select(organizations::id)
                .for_no_key_update()
                .load::<String>(pg)?;
        } else {
            users::table
                .find(holder_id)
                .select(users::id)
                .for_no_key_update()
                .load::<String>(pg)?;
        }
    }
    let held: i64 = match kind {
        Holding::Drafts => drafts::table
            .filter(drafts::user_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::Resumes => resumes::table
            .filter(resumes::user_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::Contacts => contacts::table
            .filter(contacts::organization_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::FavouriteVacancies => favourite_vacancies::table
            .filter(favourite_vacancies::user_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::FavouriteResumes => favourite_resumes::table
            .filter(favourite_resumes::user_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::SavedSearches => saved_searches::table
            .filter(saved_searches::user_id.eq(holder_id))
            .count()
            .get_result(conn)?,
        Holding::Webhooks => webhook_subscriptions::table
            .filter(webhook_subscriptions::organization_id.eq(holder_id))
            .count()
            .get_result(conn)?,
    };
    quota::room_for_one(kind, held).map_err(StoreError::LimitReached)
}
