//! The employer account's favourite candidates (SPEC §3 «Избранные соискатели»):
//! published resumes it starred from the candidate bank.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::quota::Holding;

use super::admin::organization_of;
use super::error::EmployerError;
use crate::schema::favourite_resumes;
use crate::{db, DbConnection, StoreError};

/// Stars a published resume for this employer account; starring twice is once.
pub fn add_favourite_resume(
    conn: &mut DbConnection,
    actor: &Actor,
    resume_id: &str,
    now: NaiveDateTime,
) -> Result<(), EmployerError> {
    organization_of(actor)?;
    db::write(conn, |conn| {
        crate::resumes::get_published(conn, resume_id)?;
        let key = favourite_resumes::table.find((&actor.user_id, resume_id));
        let present: bool = diesel::select(diesel::dsl::exists(key)).get_result(conn)?;
        if !present {
            crate::quota::ensure_room(conn, Holding::FavouriteResumes, &actor.user_id)?;
            db::insert_unless_present(conn, |conn| {
                diesel::insert_into(favourite_resumes::table)
                    .values((
                        favourite_resumes::user_id.eq(&actor.user_id),
                        favourite_resumes::resume_id.eq(resume_id),
                        favourite_resumes::created_at.eq(now),
                    ))
                    .execute(conn)
            })?;
        }
        Ok(())
    })
}

pub fn remove_favourite_resume(
    conn: &mut DbConnection,
    actor: &Actor,
    resume_id: &str,
) -> Result<(), EmployerError> {
    organization_of(actor)?;
    diesel::delete(favourite_resumes::table.find((&actor.user_id, resume_id))).execute(conn)?;
    Ok(())
}

/// Favourites still published, each with when it was starred, sorted by profession
/// (the profession's title, else the resume's), as SPEC §3 lists them.
pub fn favourite_resumes(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<(crate::resumes::Resume, NaiveDateTime)>, EmployerError> {
    organization_of(actor)?;
    let starred: Vec<(String, NaiveDateTime)> = favourite_resumes::table
        .filter(favourite_resumes::user_id.eq(&actor.user_id))
        .select((favourite_resumes::resume_id, favourite_resumes::created_at))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, at) in starred {
        match crate::resumes::get_published(conn, &id) {
            Ok(r) => out.push((r, at)),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let profession = |r: &crate::resumes::Resume| {
        r.input
            .profession_code
            .as_deref()
            .and_then(domain::reference::profession)
            .map(|p| p.title.to_lowercase())
            .unwrap_or_else(|| r.input.title.to_lowercase())
    };
    out.sort_by(|a, b| profession(&a.0).cmp(&profession(&b.0)).then(b.1.cmp(&a.1)));
    Ok(out)
}
