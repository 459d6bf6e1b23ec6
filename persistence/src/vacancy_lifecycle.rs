//! An employer's published vacancy after publication (issue 14): confirmed as still
//! open, which answers the 30-day reminder, or closed, which takes it out of the
//! search and of job-search matching at once (both read only published vacancies).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::role::Role;

use crate::schema::vacancies;
use crate::vacancies::{Vacancy, PUBLISHED};
use crate::{db, DbConnection, StoreError};
use domain::actor::Actor;

/// A vacancy closed by its organisation.
pub const CLOSED: &str = "closed";

/// Why a change of a vacancy was refused.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("not found")]
    NotFound,
    #[error("the vacancy is closed")]
    Closed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for LifecycleError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => LifecycleError::NotFound,
            other => LifecycleError::Store(other),
        }
    }
}

/// Applies `change` to a published vacancy of the employer's organisation; another
/// organisation's answers `NotFound`, a closed one `Closed`.
fn change(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    set_closed: bool,
    now: NaiveDateTime,
) -> Result<Vacancy, LifecycleError> {
    let org = match (actor.role, &actor.organization_id) {
        (Role::Employer, Some(org)) => org.clone(),
        _ => return Err(LifecycleError::NotFound),
    };
    db::write(conn, |conn| {
        let vacancy = crate::vacancies::get(conn, id, Some(&org)).map_err(|e| match e {
            StoreError::NotFound => LifecycleError::NotFound,
            other => other.into(),
        })?;
        if vacancy.organization_id.as_deref() != Some(org.as_str()) {
            return Err(LifecycleError::NotFound);
        }
        if vacancy.status != PUBLISHED {
            return Err(LifecycleError::Closed);
        }
        let target = vacancies::table
            .filter(vacancies::id.eq(id))
            .filter(vacancies::status.eq(PUBLISHED));
        let changed = if set_closed {
            diesel::update(target)
                .set((vacancies::status.eq(CLOSED), vacancies::updated_at.eq(now)))
                .execute(conn)?
        } else {
            // Confirmed as current: published anew today, and the 30-day reminder
            // starts over.
            diesel::update(target)
                .set((
                    vacancies::published_at.eq(now),
                    vacancies::updated_at.eq(now),
                    vacancies::confirmation_reminded_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?
        };
        if changed != 1 {
            return Err(LifecycleError::Closed);
        }
        crate::vacancies::get(conn, id, Some(&org)).map_err(Into::into)
    })
}

/// Closes a published vacancy of the employer's organisation.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Vacancy, LifecycleError> {
    change(conn, actor, id, true, now)
}

/// Confirms that a published vacancy of the employer's organisation is still open.
pub fn confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Vacancy, LifecycleError> {
    change(conn, actor, id, false, now)
}
