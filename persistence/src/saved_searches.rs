//! Saved vacancy searches: a citizen keeps a filter and hears of new vacancies that
//! match it (SPEC §5).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::quota::Holding;
use domain::vacancy::VacancyFilter;

use crate::schema::saved_searches;
use crate::{new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct SavedSearch {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub filter: VacancyFilter,
    pub created_at: NaiveDateTime,
}

type Row = (String, String, String, String, NaiveDateTime);

fn parse((id, user_id, name, filter, created_at): Row) -> Result<SavedSearch, StoreError> {
    Ok(SavedSearch {
        filter: serde_json::from_str(&filter).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        id,
        user_id,
        name,
        created_at,
    })
}

const COLUMNS: (
    saved_searches::id,
    saved_searches::user_id,
    saved_searches::name,
    saved_searches::filter,
    saved_searches::created_at,
) = (
    saved_searches::id,
    saved_searches::user_id,
    saved_searches::name,
    saved_searches::filter,
    saved_searches::created_at,
);

pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<SavedSearch, StoreError> {
    crate::db::write(conn, |conn| {
        // Each saved search is checked against every new vacancy: a bounded number.
        crate::quota::ensure_room(conn, Holding::SavedSearches, user_id)?;
        let search = SavedSearch {
            id: new_id(),
            user_id: user_id.to_owned(),
            name: name.to_owned(),
            filter: filter.clone(),
            created_at: now,
        };
        let json = serde_json::to_string(filter).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        diesel::insert_into(saved_searches::table)
            .values((
                saved_searches::id.eq(&search.id),
                saved_searches::user_id.eq(user_id),
                saved_searches::name.eq(name),
                saved_searches::filter.eq(json),
                saved_searches::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(search)
    })
}

pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<SavedSearch>, StoreError> {
    saved_searches::table
        .filter(saved_searches::user_id.eq(user_id))
        .order((saved_searches::created_at.desc(), saved_searches::id.desc()))
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(parse)
        .collect()
}

/// Every saved search, for matching a new vacancy.
pub fn all(conn: &mut DbConnection) -> Result<Vec<SavedSearch>, StoreError> {
    saved_searches::table
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(parse)
        .collect()
}

/// Deletes one of the user's searches; another's is `NotFound`.
pub fn delete(conn: &mut DbConnection, user_id: &str, id: &str) -> Result<(), StoreError> {
    let deleted = diesel::delete(
        saved_searches::table
            .filter(saved_searches::id.eq(id))
            .filter(saved_searches::user_id.eq(user_id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
