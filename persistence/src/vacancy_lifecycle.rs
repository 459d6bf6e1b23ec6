//! An employer's published vacancy after publication (issue 14): confirmed as still
//! open, which answers the 30-day reminder, or closed, which takes it out of the
//! search and of job-search matching at once (both read only published vacancies).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::change::Change;
use domain::role::Role;
use domain::vacancy::{
    benefits_to_column, check_salary, Benefit, EducationLevel, EmploymentType, Experience,
    SalaryError, Schedule,
};

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
    /// The salary range after the edit is not one a vacancy may offer.
    #[error(transparent)]
    Salary(#[from] SalaryError),
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
            let seq = crate::vacancy_order::next(conn, 1)?[0];
            diesel::update(target)
                .set((
                    vacancies::published_at.eq(now),
                    vacancies::search_seq.eq(seq),
                    vacancies::updated_at.eq(now),
                    vacancies::confirmation_reminded_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?
        };
        if changed != 1 {
            return Err(LifecycleError::Closed);
        }
        let vacancy = crate::vacancies::get(conn, id, Some(&org))?;
        crate::feed::record(conn, Change::Vacancies(vacancy.region_code.clone()))?;
        Ok(vacancy)
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

/// An edit of a vacancy: `None` keeps a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct VacancyChanges {
    pub title: Option<String>,
    pub profession_code: Option<Option<String>>,
    pub category: Option<String>,
    pub region_code: Option<String>,
    pub address: Option<Option<String>>,
    pub employment_type: Option<EmploymentType>,
    pub schedule: Option<Schedule>,
    pub experience: Option<Experience>,
    pub education: Option<Option<EducationLevel>>,
    pub salary_from: Option<Option<i64>>,
    pub salary_to: Option<Option<i64>>,
    pub benefits: Option<Vec<Benefit>>,
    pub description: Option<String>,
}

/// Edits a published vacancy of the employer's organisation (issue 14: «Employers
/// confirm, edit and close their vacancies»). The salary range is checked as it
/// stands after the edit. Search and matching read the table, so they see the edit
/// at once, and the search's memory of both regions hears of it through the feed.
/// Returns the region before the edit and the vacancy after it.
pub fn edit(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    changes: VacancyChanges,
    now: NaiveDateTime,
) -> Result<(String, Vacancy), LifecycleError> {
    let org = match (actor.role, &actor.organization_id) {
        (Role::Employer, Some(org)) => org.clone(),
        _ => return Err(LifecycleError::NotFound),
    };
    db::write(conn, |conn| {
        let v = crate::vacancies::get(conn, id, Some(&org)).map_err(|e| match e {
            StoreError::NotFound => LifecycleError::NotFound,
            other => other.into(),
        })?;
        if v.organization_id.as_deref() != Some(org.as_str()) {
            return Err(LifecycleError::NotFound);
        }
        if v.status != PUBLISHED {
            return Err(LifecycleError::Closed);
        }
        let c = changes;
        let title_changed = c.title.as_ref().is_some_and(|t| *t != v.title);
        let title = c.title.unwrap_or(v.title);
        let profession_code = c.profession_code.unwrap_or(v.profession_code);
        let salary_from = c.salary_from.unwrap_or(v.salary_from);
        let salary_to = c.salary_to.unwrap_or(v.salary_to);
        check_salary(salary_from, salary_to)?;
        let benefits = c.benefits.unwrap_or(v.benefits);
        let description = c.description.unwrap_or(v.description);
        // The text search reads these stems (kept in its index by the same statement).
        let body_stems = domain::vacancy_search::indexed(&description);
        let changed = diesel::update(
            vacancies::table
                .filter(vacancies::id.eq(id))
                .filter(vacancies::status.eq(PUBLISHED)),
        )
        .set((
            (
                vacancies::search_text.eq(crate::vacancies::search_text(
                    &title,
                    profession_code.as_deref(),
                )),
                vacancies::title.eq(&title),
                vacancies::profession_code.eq(&profession_code),
                vacancies::category.eq(c.category.unwrap_or(v.category)),
                vacancies::region_code.eq(c.region_code.unwrap_or(v.region_code.clone())),
                vacancies::address.eq(c.address.unwrap_or(v.address)),
                vacancies::employment_type
                    .eq(c.employment_type.unwrap_or(v.employment_type).to_string()),
                vacancies::schedule.eq(c.schedule.unwrap_or(v.schedule).to_string()),
            ),
            (
                vacancies::experience.eq(c.experience.unwrap_or(v.experience).to_string()),
                vacancies::education.eq(c.education.unwrap_or(v.education).map(|e| e.to_string())),
                vacancies::salary_from.eq(salary_from),
                vacancies::salary_to.eq(salary_to),
                vacancies::salary_sort.eq(salary_to.or(salary_from).unwrap_or(0)),
                vacancies::benefits.eq(benefits_to_column(&benefits)),
                vacancies::search_body.eq(if body_stems.is_empty() {
                    " ".to_owned()
                } else {
                    body_stems
                }),
                vacancies::description.eq(description),
                vacancies::updated_at.eq(now),
            ),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(LifecycleError::Closed);
        }
        if title_changed {
            crate::suggestions::remember(conn, &[title.as_str()])?;
        }
        let after = crate::vacancies::get(conn, id, Some(&org))?;
        crate::feed::record_all(
            conn,
            [
                Change::Vacancies(v.region_code.clone()),
                Change::Vacancies(after.region_code.clone()),
            ],
        )?;
        Ok((v.region_code, after))
    })
}
