//! Employment centres (ЦЗН): where appeals go and where staff work.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::centres;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = centres)]
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
