//! The vacancies offered for a job-search application (seed 004 «Подбор подходящих
//! вакансий»): selected by the portal on acceptance, edited by staff, ordered by the
//! citizen, agreed with employers. The rules are `domain::matching`'s.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::job_search::Wishes;
use domain::matching::{self, Criterion, Fit, OfferSource, VacancyFacts};
use domain::notification::Category;
use domain::vacancy::Experience;
use domain::Coded;

use crate::notifications::{notify, Event};
use crate::schema::{employer_accounts, job_search_offers as offers, resumes, users, vacancies};
use crate::{DbConnection, StoreError};

/// How many of the newest vacancies of the region and the category, and as many of the
/// region and the profession, the matching scores.
const CANDIDATES: i64 = 300;

/// An offered vacancy with why it fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub vacancy_id: String,
    pub title: String,
    pub employer_name: String,
    pub organization_id: Option<String>,
    pub source: OfferSource,
    pub score: u32,
    pub matched: Vec<Criterion>,
    pub relaxed: Vec<Criterion>,
    /// The citizen's order, from 1; `None` until they send it.
    pub priority: Option<i32>,
    /// Agreed with the employer (the «Список вакансий» of negotiations).
    pub agreed: bool,
}

fn codes(list: &[Criterion]) -> String {
    list.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

fn parse(column: &str) -> Result<Vec<Criterion>, StoreError> {
    column
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| c.parse().map_err(StoreError::from))
        .collect()
}

type FactsRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
);

fn facts(
    (_, profession_code, category, region_code, et, sc, ex, from, to): &FactsRow,
) -> Result<VacancyFacts, StoreError> {
    Ok(VacancyFacts {
        profession_code: profession_code.clone(),
        category: category.clone(),
        region_code: region_code.clone(),
        employment_type: et.parse()?,
        schedule: sc.parse()?,
        experience: ex.parse()?,
        salary_from: *from,
        salary_to: *to,
    })
}

macro_rules! facts_query {
    () => {
        vacancies::table
            .filter(vacancies::status.eq(crate::vacancies::PUBLISHED))
            .select((
                vacancies::id,
                vacancies::profession_code,
                vacancies::category,
                vacancies::region_code,
                vacancies::employment_type,
                vacancies::schedule,
                vacancies::experience,
                vacancies::salary_from,
                vacancies::salary_to,
            ))
    };
}

/// The experience of the application's resume; none if it was deleted meanwhile.
pub(crate) fn experience_of(
    conn: &mut DbConnection,
    resume_id: &str,
) -> Result<Experience, StoreError> {
    let found: Option<String> = resumes::table
        .find(resume_id)
        .select(resumes::experience)
        .first(conn)
        .optional()?;
    Ok(match found {
        Some(code) => code.parse()?,
        None => Experience::None,
    })
}

fn insert(
    conn: &mut DbConnection,
    application_id: &str,
    vacancy_id: &str,
    source: OfferSource,
    fit: &Fit,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    crate::db::insert_unless_present(conn, |conn| {
        diesel::insert_into(offers::table)
            .values((
                offers::application_id.eq(application_id),
                offers::vacancy_id.eq(vacancy_id),
                offers::source.eq(source.code()),
                offers::score.eq(i32::try_from(fit.score).unwrap_or(0)),
                offers::matched.eq(codes(&fit.matched)),
                offers::relaxed.eq(codes(&fit.relaxed)),
                offers::agreed.eq(false),
                offers::created_at.eq(now),
            ))
            .execute(conn)
    })
}

/// Tells every live account of the vacancy's organisation that a candidate matched
/// («Списки подходящих кандидатов»).
fn tell_employer(
    conn: &mut DbConnection,
    vacancy_id: &str,
    score: u32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (title, org): (String, Option<String>) = vacancies::table
        .find(vacancy_id)
        .select((vacancies::title, vacancies::organization_id))
        .first(conn)?;
    let Some(org) = org else { return Ok(()) };
    let accounts: Vec<String> = employer_accounts::table
        .inner_join(users::table)
        .filter(employer_accounts::organization_id.eq(&org))
        .filter(users::blocked_at.is_null())
        .select(employer_accounts::user_id)
        .load(conn)?;
    let (title, body) = matching::candidate_notice(&title, score);
    let link = format!("/api/v1/vacancies/{vacancy_id}");
    let event = Event {
        category: Category::SuitableCandidates,
        title: &title,
        body: &body,
        link: Some(&link),
    };
    for account in accounts {
        notify(conn, &account, &event, now)?;
    }
    Ok(())
}

/// The published vacancies that fit the wishes, best first, at most
/// `matching::MAX_OFFERS`: the region and the profession or its category bound the
/// read; the newest `CANDIDATES` of the profession and the newest `CANDIDATES` of the
/// category are scored. Two reads, each walking its own index newest first, rather
/// than one with `OR`, which neither database can answer from an index in date order.
fn candidates(
    conn: &mut DbConnection,
    wishes: &Wishes,
    experience: Experience,
) -> Result<Vec<(FactsRow, Fit)>, StoreError> {
    let mut rows: Vec<FactsRow> = facts_query!()
        .filter(vacancies::region_code.eq(&wishes.region_code))
        .filter(vacancies::category.eq(&wishes.category))
        .order((vacancies::published_at.desc(), vacancies::id.desc()))
        .limit(CANDIDATES)
        .load(conn)?;
    if let Some(p) = &wishes.profession_code {
        let same_profession: Vec<FactsRow> = facts_query!()
            .filter(vacancies::region_code.eq(&wishes.region_code))
            .filter(vacancies::profession_code.eq(p))
            .order((vacancies::published_at.desc(), vacancies::id.desc()))
            .limit(CANDIDATES)
            .load(conn)?;
        let seen: std::collections::HashSet<String> = rows.iter().map(|r| r.0.clone()).collect();
        rows.extend(same_profession.into_iter().filter(|r| !seen.contains(&r.0)));
    }
    let mut scored = Vec::new();
    for row in rows {
        if let Some(fit) = matching::fit(wishes, experience, &facts(&row)?) {
            scored.push((row, fit));
        }
    }
    Ok(matching::best(scored))
}

/// Seed 004 «Подбор подходящих вакансий», шаг 1: selects published vacancies for the
/// wishes, stores the best as offers and tells their employers. Returns how many.
pub(crate) fn select(
    conn: &mut DbConnection,
    application_id: &str,
    wishes: &Wishes,
    experience: Experience,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let best = candidates(conn, wishes, experience)?;
    for (row, fit) in &best {
        insert(conn, application_id, &row.0, OfferSource::Matched, fit, now)?;
        tell_employer(conn, &row.0, fit.score, now)?;
    }
    Ok(best.len())
}

/// A vacancy the matching would offer now, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub vacancy_id: String,
    pub title: String,
    pub employer_name: String,
    pub fit: Fit,
}

/// What the matching selects for the application right now, without storing or telling
/// anyone: staff compare it with the offers before adding vacancies by hand. Staff of
/// the application's centre only.
pub fn preview(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    id: &str,
) -> Result<Vec<Candidate>, crate::job_search::JobSearchError> {
    use crate::job_search::{self as js, JobSearchError};
    if actor.role != domain::role::Role::Staff {
        return Err(JobSearchError::NotStaff);
    }
    let row = js::visible_row(conn, actor, id)?;
    let experience = experience_of(conn, &row.resume_id)?;
    let wishes = js::assemble_wishes(&row)?;
    let best = candidates(conn, &wishes, experience)?;
    let ids: Vec<&str> = best.iter().map(|(r, _)| r.0.as_str()).collect();
    let names: Vec<(String, String, String)> = vacancies::table
        .filter(vacancies::id.eq_any(&ids))
        .select((vacancies::id, vacancies::title, vacancies::employer_name))
        .load(conn)?;
    Ok(best
        .into_iter()
        .filter_map(|(r, fit)| {
            let (_, title, employer_name) = names.iter().find(|n| n.0 == r.0)?.clone();
            Some(Candidate {
                vacancy_id: r.0,
                title,
                employer_name,
                fit,
            })
        })
        .collect())
}

/// Staff add a published vacancy to the offers (scored as the matching would; a
/// vacancy the matching would not take scores 0). `Ok(false)` when no such published
/// vacancy exists.
pub(crate) fn add(
    conn: &mut DbConnection,
    application_id: &str,
    vacancy_id: &str,
    wishes: &Wishes,
    experience: Experience,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let row: Option<FactsRow> = facts_query!()
        .filter(vacancies::id.eq(vacancy_id))
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(false) };
    let fit = matching::fit(wishes, experience, &facts(&row)?).unwrap_or(Fit {
        score: 0,
        matched: Vec::new(),
        relaxed: Vec::new(),
    });
    insert(
        conn,
        application_id,
        vacancy_id,
        OfferSource::Staff,
        &fit,
        now,
    )?;
    tell_employer(conn, vacancy_id, fit.score, now)?;
    Ok(true)
}

/// Removes an offer; a change of the list also clears the citizen's priorities.
pub(crate) fn remove(
    conn: &mut DbConnection,
    application_id: &str,
    vacancy_id: &str,
) -> Result<(), StoreError> {
    diesel::delete(offers::table.find((application_id, vacancy_id))).execute(conn)?;
    Ok(())
}

/// Forgets the citizen's order (the list changed under it).
pub(crate) fn clear_priorities(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<(), StoreError> {
    diesel::update(offers::table.filter(offers::application_id.eq(application_id)))
        .set(offers::priority.eq(None::<i32>))
        .execute(conn)?;
    Ok(())
}

/// Stores the citizen's order: `order` must already be checked to be a permutation.
pub(crate) fn set_priorities(
    conn: &mut DbConnection,
    application_id: &str,
    order: &[String],
) -> Result<(), StoreError> {
    for (i, vacancy) in order.iter().enumerate() {
        diesel::update(offers::table.find((application_id, vacancy)))
            .set(offers::priority.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the vacancies staff agreed with employers.
pub(crate) fn agree(
    conn: &mut DbConnection,
    application_id: &str,
    agreed: &[String],
) -> Result<(), StoreError> {
    diesel::update(
        offers::table
            .filter(offers::application_id.eq(application_id))
            .filter(offers::vacancy_id.eq_any(agreed)),
    )
    .set(offers::agreed.eq(true))
    .execute(conn)?;
    Ok(())
}

/// The application's offers: in the citizen's order once sent, else best first.
pub fn of(conn: &mut DbConnection, application_id: &str) -> Result<Vec<Offer>, StoreError> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        String,
        i32,
        String,
        String,
        Option<i32>,
        bool,
    );
    let rows: Vec<Row> = offers::table
        .inner_join(vacancies::table)
        .filter(offers::application_id.eq(application_id))
        .select((
            offers::vacancy_id,
            vacancies::title,
            vacancies::employer_name,
            vacancies::organization_id,
            offers::source,
            offers::score,
            offers::matched,
            offers::relaxed,
            offers::priority,
            offers::agreed,
        ))
        .load(conn)?;
    let mut out = rows
        .into_iter()
        .map(|r| {
            Ok(Offer {
                source: r.4.parse()?,
                score: u32::try_from(r.5).unwrap_or(0),
                matched: parse(&r.6)?,
                relaxed: parse(&r.7)?,
                vacancy_id: r.0,
                title: r.1,
                employer_name: r.2,
                organization_id: r.3,
                priority: r.8,
                agreed: r.9,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    out.sort_by(|a, b| {
        (
            a.priority.is_none(),
            a.priority,
            std::cmp::Reverse(a.score),
            &a.vacancy_id,
        )
            .cmp(&(
                b.priority.is_none(),
                b.priority,
                std::cmp::Reverse(b.score),
                &b.vacancy_id,
            ))
    });
    Ok(out)
}

/// Staff add and remove offered vacancies (`POST …/{id}/vacancies`) while the
/// application is accepted or has its vacancies selected. A change clears the
/// citizen's priorities; the first offers of an accepted application move it to
/// `vacancies_selected`.
pub fn edit(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    id: &str,
    add_ids: &[String],
    remove_ids: &[String],
    now: NaiveDateTime,
) -> Result<crate::job_search::Application, crate::job_search::JobSearchError> {
    use crate::job_search::{self as js, JobSearchError};
    use domain::job_search::{ApplicationStatus, Mover};
    if actor.role != domain::role::Role::Staff {
        return Err(JobSearchError::NotStaff);
    }
    crate::db::write::<_, JobSearchError>(conn, |conn| {
        let row = js::visible_row(conn, actor, id)?;
        let status: ApplicationStatus = row.status.parse().map_err(StoreError::from)?;
        if !matches!(
            status,
            ApplicationStatus::Accepted | ApplicationStatus::VacanciesSelected
        ) {
            return Err(JobSearchError::OffersClosed(status));
        }
        let wishes = js::assemble(conn, row.clone())?.wishes;
        let experience = experience_of(conn, &row.resume_id)?;
        for (i, vacancy) in add_ids.iter().enumerate() {
            if !add(conn, id, vacancy, &wishes, experience, now)? {
                return Err(JobSearchError::UnknownVacancy(i));
            }
        }
        for vacancy in remove_ids {
            remove(conn, id, vacancy)?;
        }
        clear_priorities(conn, id)?;
        if status == ApplicationStatus::Accepted && !of(conn, id)?.is_empty() {
            let step =
                status.transition(ApplicationStatus::VacanciesSelected, None, Mover::Staff)?;
            js::move_status(
                conn,
                &row,
                step.from,
                step.to,
                None,
                Some(&actor.user_id),
                now,
            )?;
        }
        js::reload(conn, id)
    })
}

/// The citizen orders the offered vacancies and sends them to the centre (seed 004
/// «Расстановка приоритетов», шаги 3–4): a permutation of the offers, while the
/// application has its vacancies selected.
pub fn prioritise(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    id: &str,
    order: &[String],
) -> Result<crate::job_search::Application, crate::job_search::JobSearchError> {
    use crate::job_search::{self as js, JobSearchError};
    use domain::job_search::ApplicationStatus;
    if actor.role != domain::role::Role::Citizen {
        return Err(JobSearchError::NotCitizen);
    }
    crate::db::write::<_, JobSearchError>(conn, |conn| {
        let row = js::visible_row(conn, actor, id)?;
        let status: ApplicationStatus = row.status.parse().map_err(StoreError::from)?;
        if status != ApplicationStatus::VacanciesSelected {
            return Err(JobSearchError::OffersClosed(status));
        }
        let offered: Vec<String> = of(conn, id)?.into_iter().map(|o| o.vacancy_id).collect();
        matching::check_priorities(&offered, order).map_err(JobSearchError::Priorities)?;
        set_priorities(conn, id, order)?;
        js::reload(conn, id)
    })
}
