//! Employment centres (ЦЗН): where appeals go and where staff work.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::paging::{self, Page, PageRequest};
use crate::schema::centres;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = centres, treat_none_as_default_value = false)]
pub struct Centre {
    pub id: String,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, centre: &Centre) -> Result<(), StoreError> {
    diesel::insert_into(centres::table)
        .values(centre)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Centre, StoreError> {
    Ok(centres::table
        .find(id)
        .select(Centre::as_select())
        .first(conn)?)
}

pub fn find_by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Centre>, StoreError> {
    Ok(centres::table
        .filter(centres::code.eq(code))
        .select(Centre::as_select())
        .first(conn)
        .optional()?)
}

pub fn exists(conn: &mut DbConnection, id: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(centres::table.find(id))).get_result(conn)?)
}

/// The ids of a region's centres, at most `limit`.
pub fn ids_of_region(
    conn: &mut DbConnection,
    region: &str,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(centres::table
        .filter(centres::region_code.eq(region))
        .order(centres::code.asc())
        .limit(limit)
        .select(centres::id)
        .load(conn)?)
}

/// Centres, optionally of one region, ordered by region and code.
pub fn list(
    conn: &mut DbConnection,
    region: Option<&str>,
    page: PageRequest,
) -> Result<Page<Centre>, StoreError> {
    let query = || {
        let q = centres::table.into_boxed::<crate::db::MultiBackend>();
        match region {
            Some(r) => q.filter(centres::region_code.eq(r.to_owned())),
            None => q,
        }
    };
    Ok(paging::count_and_load(conn, page, query, |q| {
        q.order((centres::region_code.asc(), centres::code.asc()))
            .select(Centre::as_select())
    })?)
}

/// The centres nearest to a point, with their distance in kilometres. Centres are few
/// (hundreds), so distances are computed here rather than with a spatial index.
pub fn nearest(
    conn: &mut DbConnection,
    point: (f64, f64),
    limit: usize,
) -> Result<Vec<(Centre, f64)>, StoreError> {
    let located: Vec<Centre> = centres::table
        .filter(centres::latitude.is_not_null())
        .filter(centres::longitude.is_not_null())
        .select(Centre::as_select())
        .load(conn)?;
    let mut ranked: Vec<(Centre, f64)> = located
        .into_iter()
        .filter_map(|c| {
            let at = (c.latitude?, c.longitude?);
            Some((c, domain::reference::distance_km(point, at)))
        })
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    ranked.truncate(limit);
    Ok(ranked)
}
