//! Saved vacancy searches: a citizen keeps a filter and hears of new vacancies that
//! match it (SPEC §5).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
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
                saved_searches::region_code.eq(filter.region.as_deref()),
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

/// Saved searches of whole owners, for a step of a new vacancy's announcement.
#[derive(Debug)]
pub struct Watchers {
    /// Every search of these owners that a vacancy of the region may match.
    pub searches: Vec<SavedSearch>,
    /// The last owner read when more may follow them (the next step reads after them);
    /// `None` when there are no more.
    pub through: Option<String>,
}

#[derive(QueryableByName)]
struct WatchRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    filter: String,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
}

/// The saved searches that a vacancy of `region` may match (those of that region and
/// those of any region) of the owners after `after` (by the ids' bytes, on both
/// engines), in order of owner: about `limit` searches of each kind, and never part of
/// an owner's searches, so that each owner is told once, in one step.
pub fn watching_after(
    conn: &mut DbConnection,
    region: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Watchers, StoreError> {
    let after = after.unwrap_or("");
    // An empty list would look like the last one and end the announcement.
    let limit = limit.max(1);
    let regional = watches_after(conn, Some(region), after, limit)?;
    let anywhere = watches_after(conn, None, after, limit)?;
    // A kind that came back full may end partway through its last owner's searches.
    let bound = [&regional, &anywhere]
        .into_iter()
        .filter(|rows| rows.len() as i64 == limit)
        .filter_map(|rows| rows.last())
        .map(|row| row.user_id.clone())
        .min();
    let rows = regional.into_iter().chain(anywhere);
    let (mut rows, through): (Vec<WatchRow>, _) = match bound {
        None => (rows.collect(), None),
        Some(bound) => {
            let whole: Vec<WatchRow> = rows.filter(|row| row.user_id < bound).collect();
            match whole.iter().map(|row| row.user_id.clone()).max() {
                Some(last) => (whole, Some(last)),
                // One owner has more than `limit` searches of a kind: all of theirs.
                None => (of_owner_in(conn, &bound, region)?, Some(bound)),
            }
        }
    };
    rows.sort_by(|a, b| (&a.user_id, &a.id).cmp(&(&b.user_id, &b.id)));
    let searches = rows
        .into_iter()
        .map(|r| parse((r.id, r.user_id, r.name, r.filter, r.created_at)))
        .collect::<Result<_, _>>()?;
    Ok(Watchers { searches, through })
}

impl From<Row> for WatchRow {
    fn from((id, user_id, name, filter, created_at): Row) -> WatchRow {
        WatchRow {
            id,
            user_id,
            name,
            filter,
            created_at,
        }
    }
}

/// Up to `limit` searches of `region` (`None`: of any region) of owners after `after`.
fn watches_after(
    conn: &mut DbConnection,
    region: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<WatchRow>, StoreError> {
    // The owner's order is the bytes': PostgreSQL's index is on `user_id COLLATE "C"`
    // (migration 2027-01-03), SQLite compares bytes anyway.
    let (owner, mark) = match conn {
        DbConnection::Postgresql(_) => (r#"user_id COLLATE "C""#, '$'),
        DbConnection::Sqlite(_) => ("user_id", '?'),
    };
    let columns = "SELECT id, user_id, name, filter, created_at FROM saved_searches";
    // The index's order: an owner's own searches come in any order (one cut off at the
    // end of a list is read again), and the step sorts what it keeps.
    let order = format!("ORDER BY region_code, {owner} LIMIT");
    let rows = match region {
        Some(region) => diesel::sql_query(format!(
            "{columns} WHERE region_code = {mark}1 AND {owner} > {mark}2 {order} {mark}3"
        ))
        .bind::<Text, _>(region)
        .bind::<Text, _>(after)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
        None => diesel::sql_query(format!(
            "{columns} WHERE region_code IS NULL AND {owner} > {mark}1 {order} {mark}2"
        ))
        .bind::<Text, _>(after)
        .bind::<BigInt, _>(limit)
        .load(conn)?,
    };
    Ok(rows)
}

/// Every search of `owner` that a vacancy of `region` may match.
fn of_owner_in(
    conn: &mut DbConnection,
    owner: &str,
    region: &str,
) -> Result<Vec<WatchRow>, StoreError> {
    let rows = saved_searches::table
        .filter(saved_searches::user_id.eq(owner))
        .filter(
            saved_searches::region_code
                .eq(region)
                .or(saved_searches::region_code.is_null()),
        )
        .select(COLUMNS)
        .load::<Row>(conn)?;
    Ok(rows.into_iter().map(WatchRow::from).collect())
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
