//! What the database says about itself. `serve --demo` seeds demo accounts with a
//! known password, so it may only run on a database it made itself: one that was
//! empty when demo mode first ran, and was marked then.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{self, DbConnection};
use crate::schema::{centres, instance_marks, users, vacancies};
use crate::StoreError;

const DEMO: &str = "demo";

/// What a database holds, as far as demo mode cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// No account, centre or vacancy: a fresh database.
    Empty,
    /// Made by demo mode (whatever was added since).
    Demo,
    /// Data demo mode did not make: real accounts may be in it.
    Other,
}

/// What the database holds.
pub fn contents(conn: &mut DbConnection) -> Result<Contents, StoreError> {
    let marked = instance_marks::table
        .find(DEMO)
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if marked {
        return Ok(Contents::Demo);
    }
    let any_user = diesel::select(diesel::dsl::exists(users::table.select(users::id)))
        .get_result::<bool>(conn)?;
    let any_centre = diesel::select(diesel::dsl::exists(centres::table.select(centres::id)))
        .get_result::<bool>(conn)?;
    let any_vacancy = diesel::select(diesel::dsl::exists(vacancies::table.select(vacancies::id)))
        .get_result::<bool>(conn)?;
    Ok(if any_user || any_centre || any_vacancy {
        Contents::Other
    } else {
        Contents::Empty
    })
}

/// Marks the database as demo mode's own, if it is empty or already marked; answers
/// what it held. One write transaction: on SQLite it holds the write lock from the
/// start; on PostgreSQL a second process marking at the same moment fails on the key.
pub fn claim_for_demo(conn: &mut DbConnection, at: NaiveDateTime) -> Result<Contents, StoreError> {
    db::write(conn, |conn| {
        let held = contents(conn)?;
        if held == Contents::Empty {
            diesel::insert_into(instance_marks::table)
                .values((instance_marks::name.eq(DEMO), instance_marks::set_at.eq(at)))
                .execute(conn)?;
        }
        Ok(held)
    })
}
