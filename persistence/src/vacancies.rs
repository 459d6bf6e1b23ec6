//! Vacancies (SPEC §5): publication, the search with every filter and sort, and the
//! citizen's favourites. The search applies `domain::vacancy::VacancyFilter` in SQL;
//! saved searches apply the same filter in Rust to each new vacancy.

use std::collections::BTreeSet;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::messages;
use domain::notification::Category;
use domain::vacancy::{
    benefits_from_column, benefits_to_column, Benefit, EducationLevel, EmploymentType, Experience,
    Schedule, VacancyFacts, VacancyFilter, VacancySort, CONFIRM_AFTER_DAYS,
};
use domain::Coded;

use crate::notifications::{self, Event};
use crate::paging::{self, Page, PageRequest};
use crate::schema::{favourite_vacancies, vacancies};
use crate::{db, new_id, saved_searches, DbConnection, StoreError};

/// A vacancy open to applicants.
pub const PUBLISHED: &str = "published";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = vacancies)]
struct VacancyRow {
    id: String,
    organization_id: Option<String>,
    employer_name: String,
    employer_rating: f64,
    title: String,
    profession_code: Option<String>,
    category: String,
    region_code: String,
    address: Option<String>,
    employment_type: String,
    schedule: String,
    experience: String,
    education: Option<String>,
    salary_from: Option<i64>,
    salary_to: Option<i64>,
    salary_sort: i64,
    benefits: String,
    description: String,
    search_text: String,
    status: String,
    published_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A vacancy with its codes parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Vacancy {
    pub id: String,
    pub organization_id: Option<String>,
    pub employer_name: String,
    pub employer_rating: f64,
    pub title: String,
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    pub address: Option<String>,
    pub employment_type: EmploymentType,
    pub schedule: Schedule,
    pub experience: Experience,
    pub education: Option<EducationLevel>,
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
    pub benefits: Vec<Benefit>,
    pub description: String,
    pub status: String,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<VacancyRow> for Vacancy {
    type Error = StoreError;
    fn try_from(r: VacancyRow) -> Result<Vacancy, StoreError> {
        Ok(Vacancy {
            employment_type: r.employment_type.parse()?,
            schedule: r.schedule.parse()?,
            experience: r.experience.parse()?,
            education: r.education.as_deref().map(str::parse).transpose()?,
            benefits: benefits_from_column(&r.benefits)?,
            id: r.id,
            organization_id: r.organization_id,
            employer_name: r.employer_name,
            employer_rating: r.employer_rating,
            title: r.title,
            profession_code: r.profession_code,
            category: r.category,
            region_code: r.region_code,
            address: r.address,
            salary_from: r.salary_from,
            salary_to: r.salary_to,
            description: r.description,
            status: r.status,
            published_at: r.published_at,
            updated_at: r.updated_at,
        })
    }
}

/// What an employer publishes.
#[derive(Debug, Clone)]
pub struct NewVacancy {
    pub organization_id: Option<String>,
    pub employer_name: String,
    pub employer_rating: f64,
    pub title: String,
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    pub address: Option<String>,
    pub employment_type: EmploymentType,
    pub schedule: Schedule,
    pub experience: Experience,
    pub education: Option<EducationLevel>,
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
    pub benefits: Vec<Benefit>,
    pub description: String,
}

/// The text the profession filter searches: title and profession name, lower-cased in
/// Rust because SQLite's `lower()` leaves Cyrillic alone.
pub(crate) fn search_text(title: &str, profession_code: Option<&str>) -> String {
    let profession = profession_code
        .and_then(domain::reference::profession)
        .map(|p| p.title)
        .unwrap_or("");
    format!("{title} {profession}").trim().to_lowercase()
}

impl NewVacancy {
    fn row(&self, id: String, now: NaiveDateTime) -> VacancyRow {
        VacancyRow {
            id,
            organization_id: self.organization_id.clone(),
            employer_name: self.employer_name.clone(),
            employer_rating: self.employer_rating,
            title: self.title.clone(),
            profession_code: self.profession_code.clone(),
            category: self.category.clone(),
            region_code: self.region_code.clone(),
            address: self.address.clone(),
            employment_type: self.employment_type.to_string(),
            schedule: self.schedule.to_string(),
            experience: self.experience.to_string(),
            education: self.education.map(|e| e.to_string()),
            salary_from: self.salary_from,
            salary_to: self.salary_to,
            salary_sort: self.salary_to.or(self.salary_from).unwrap_or(0),
            benefits: benefits_to_column(&self.benefits),
            description: self.description.clone(),
            search_text: search_text(&self.title, self.profession_code.as_deref()),
            status: PUBLISHED.to_owned(),
            published_at: now,
            created_at: now,
            updated_at: now,
        }
    }
}

impl Vacancy {
    /// What a saved search looks at.
    pub fn facts(&self, now: NaiveDateTime) -> VacancyFacts {
        VacancyFacts {
            region_code: self.region_code.clone(),
            search_text: search_text(&self.title, self.profession_code.as_deref()),
            category: self.category.clone(),
            employment_type: self.employment_type,
            schedule: self.schedule,
            experience: self.experience,
            salary_from: self.salary_from,
            salary_to: self.salary_to,
            benefits: self.benefits.clone(),
            age_hours: (now - self.published_at).num_hours(),
        }
    }
}

/// Publishes a vacancy inside the caller's transaction and tells every owner of a
/// matching saved search, once each.
pub fn publish(
    conn: &mut DbConnection,
    new: &NewVacancy,
    now: NaiveDateTime,
) -> Result<Vacancy, StoreError> {
    let row = new.row(new_id(), now);
    diesel::insert_into(vacancies::table)
        .values(&row)
        .execute(conn)?;
    let vacancy = Vacancy::try_from(row)?;
    let facts = vacancy.facts(now);
    let owners: BTreeSet<(String, String)> = saved_searches::all(conn)?
        .into_iter()
        .filter(|s| s.filter.matches(&facts))
        .map(|s| (s.user_id, s.name))
        .collect();
    let link = format!("/api/v1/vacancies/{}", vacancy.id);
    let mut told = BTreeSet::new();
    for (user_id, name) in owners {
        if !told.insert(user_id.clone()) {
            continue;
        }
        let text = messages::vacancy_found(&name, &vacancy.title, &vacancy.employer_name);
        let event = Event {
            category: Category::NewVacancies,
            title: &text.title,
            body: &text.body,
            link: Some(&link),
        };
        notifications::notify(conn, &user_id, &event, now)?;
    }
    Ok(vacancy)
}

/// Publishes many vacancies in one transaction without notifying anyone: for seeding
/// demo and benchmark data.
pub fn publish_quietly(
    conn: &mut DbConnection,
    batch: &[(NewVacancy, NaiveDateTime)],
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        for (new, at) in batch {
            diesel::insert_into(vacancies::table)
                .values(&new.row(new_id(), *at))
                .execute(conn)?;
        }
        Ok(())
    })
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQLite's position of `needle` in `haystack` from 1, or 0.
    fn instr(haystack: diesel::sql_types::Text, needle: diesel::sql_types::Text) -> Integer;
}

/// Published vacancies matching the filter, as a boxed query of whichever backend the
/// caller runs it on (a macro so that [`per_backend!`] can compile it for each).
///
/// The profession text is looked for with `instr` on SQLite: its `LIKE '%…%'` decodes
/// and folds every character of every row, several times the work of `instr`'s plain
/// byte search. Both sides are lower-cased already, so the case-blind `LIKE` and the
/// exact `instr` agree. On PostgreSQL `LIKE` is the faster of the two: it can use the
/// trigram index where there is one, and `strpos` never can.
macro_rules! filtered {
    ($filter:expr, $now:expr, $sqlite:expr) => {{
        let (f, now): (&VacancyFilter, NaiveDateTime) = ($filter, $now);
        let mut q = vacancies::table
            .filter(vacancies::status.eq(PUBLISHED))
            .into_boxed();
        if let Some(region) = &f.region {
            q = q.filter(vacancies::region_code.eq(region));
        }
        if let Some(needle) = f.needle() {
            q = if $sqlite {
                q.filter(instr(vacancies::search_text, needle).gt(0))
            } else {
                q.filter(
                    vacancies::search_text
                        .like(crate::paging::contains_pattern(&needle))
                        .escape('\\'),
                )
            };
        }
        if let Some(category) = &f.category {
            q = q.filter(vacancies::category.eq(category));
        }
        if let Some(t) = f.employment_type {
            q = q.filter(vacancies::employment_type.eq(t.code()));
        }
        if let Some(s) = f.schedule {
            q = q.filter(vacancies::schedule.eq(s.code()));
        }
        if let Some(e) = f.experience {
            q = q.filter(vacancies::experience.eq(e.code()));
        }
        if let Some(min) = f.salary_from {
            // salary_sort is the top figure, 0 when there is none.
            q = q.filter(vacancies::salary_sort.ge(min.max(1)));
        }
        if let Some(max) = f.salary_to {
            q = q.filter(
                vacancies::salary_from.le(max).or(vacancies::salary_from
                    .is_null()
                    .and(vacancies::salary_to.le(max))),
            );
        }
        for b in &f.benefits {
            q = q.filter(vacancies::benefits.like(format!("%,{},%", b.code())));
        }
        if let Some(p) = f.published_within {
            q = q.filter(vacancies::published_at.gt(now - TimeDelta::hours(p.hours())));
        }
        q
    }};
}

/// Whether the filter is matched by trying text patterns row after row (the text and
/// the benefits), rather than bounded by indexes alone: such a search costs more, and
/// its plan depends on the pattern.
pub fn tries_patterns(filter: &VacancyFilter) -> bool {
    filter.needle().is_some() || !filter.benefits.is_empty()
}

/// How many published vacancies match the filter.
pub fn count(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<u64, StoreError> {
    let counted: i64 = db::planned_for_values(conn, tries_patterns(filter), |conn| {
        per_backend!(conn, |c, sqlite| {
            filtered!(filter, now, sqlite).count().get_result(c)
        })
    })?;
    Ok(u64::try_from(counted).unwrap_or(0))
}

/// One page of published vacancies matching the filter, with `total` as [`count`] gave
/// it. The count is the caller's so that it can be reused: over a large bank it costs
/// far more than the page (it visits every match, the page only the first few).
pub fn search(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    sort: VacancySort,
    page: PageRequest,
    now: NaiveDateTime,
    total: u64,
) -> Result<Page<Vacancy>, StoreError> {
    let rows: Vec<VacancyRow> = db::planned_for_values(conn, tries_patterns(filter), |conn| {
        per_backend!(conn, |c, sqlite| {
            let q = filtered!(filter, now, sqlite);
            let q = match sort {
                VacancySort::Date => {
                    q.order((vacancies::published_at.desc(), vacancies::id.desc()))
                }
                VacancySort::Salary => q.order((
                    vacancies::salary_sort.desc(),
                    vacancies::published_at.desc(),
                    vacancies::id.desc(),
                )),
                VacancySort::Rating => q.order((
                    vacancies::employer_rating.desc(),
                    vacancies::published_at.desc(),
                    vacancies::id.desc(),
                )),
            };
            q.limit(page.limit())
                .offset(page.offset())
                .select(VacancyRow::as_select())
                .load(c)
        })
    })?;
    Page::new(page, total, rows).try_map(Vacancy::try_from)
}

/// A published vacancy, or one of the caller's own organisation whatever its state.
pub fn get(
    conn: &mut DbConnection,
    id: &str,
    own_organization: Option<&str>,
) -> Result<Vacancy, StoreError> {
    let row: VacancyRow = vacancies::table
        .find(id)
        .select(VacancyRow::as_select())
        .first(conn)?;
    let visible = row.status == PUBLISHED
        || own_organization.is_some_and(|org| row.organization_id.as_deref() == Some(org));
    if !visible {
        return Err(StoreError::NotFound);
    }
    Vacancy::try_from(row)
}

/// An organisation's vacancies, newest first.
pub fn of_organization(
    conn: &mut DbConnection,
    organization_id: &str,
    page: PageRequest,
) -> Result<Page<Vacancy>, StoreError> {
    let of_organization =
        || vacancies::table.filter(vacancies::organization_id.eq(organization_id));
    let rows: Page<VacancyRow> = paging::count_and_load(conn, page, of_organization, |q| {
        q.order((vacancies::created_at.desc(), vacancies::id.desc()))
            .select(VacancyRow::as_select())
    })?;
    rows.try_map(Vacancy::try_from)
}

/// Stars a published vacancy; starring twice is the same as once.
pub fn add_favourite(
    conn: &mut DbConnection,
    user_id: &str,
    vacancy_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    db::write(conn, |conn| {
        get(conn, vacancy_id, None)?;
        let key = favourite_vacancies::table.find((user_id, vacancy_id));
        let present: bool = diesel::select(diesel::dsl::exists(key)).get_result(conn)?;
        if !present {
            db::insert_unless_present(conn, |conn| {
                diesel::insert_into(favourite_vacancies::table)
                    .values((
                        favourite_vacancies::user_id.eq(user_id),
                        favourite_vacancies::vacancy_id.eq(vacancy_id),
                        favourite_vacancies::created_at.eq(now),
                    ))
                    .execute(conn)
            })?;
        }
        Ok(())
    })
}

/// Un-stars; un-starring what is not starred is no error.
pub fn remove_favourite(
    conn: &mut DbConnection,
    user_id: &str,
    vacancy_id: &str,
) -> Result<(), StoreError> {
    diesel::delete(favourite_vacancies::table.find((user_id, vacancy_id))).execute(conn)?;
    Ok(())
}

/// The user's favourites, most recently starred first, with when each was starred.
pub fn favourites(
    conn: &mut DbConnection,
    user_id: &str,
    page: PageRequest,
) -> Result<Page<(Vacancy, NaiveDateTime)>, StoreError> {
    let starred = || {
        favourite_vacancies::table
            .inner_join(vacancies::table)
            .filter(favourite_vacancies::user_id.eq(user_id))
    };
    let rows: Page<(VacancyRow, NaiveDateTime)> =
        paging::count_and_load(conn, page, starred, |q| {
            q.order((favourite_vacancies::created_at.desc(), vacancies::id.desc()))
                .select((VacancyRow::as_select(), favourite_vacancies::created_at))
        })?;
    rows.try_map(|(r, at)| Vacancy::try_from(r).map(|v| (v, at)))
}

/// SPEC §3: a vacancy is the «vacancies» report. Sending it publishes the vacancy and
/// files the report's appeal, which goes straight to `completed`, all in one
/// transaction; the form's draft, if named, goes with it.
pub fn submit(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    mut new: NewVacancy,
    draft_id: Option<&str>,
    now: NaiveDateTime,
    watch: &dyn crate::watch::Watch,
) -> Result<(Vacancy, crate::appeals::Appeal), crate::appeals::AppealError> {
    use crate::appeals::{self, AppealError, Filing};
    use domain::appeal::AppealStatus;
    use domain::report::ReportKind;
    let org_id = actor.organization_id.clone().ok_or(AppealError::NotFound)?;
    let written = db::write::<_, AppealError>(conn, |conn| {
        if let Some(draft) = draft_id {
            crate::drafts::consume(
                conn,
                &actor.user_id,
                draft,
                domain::draft::DraftKind::Vacancy,
                now,
            )
            .map_err(|e| match e {
                StoreError::NotFound => AppealError::UnknownDraft,
                other => other.into(),
            })?;
        }
        let org = crate::organizations::get(conn, &org_id)?;
        new.organization_id = Some(org.id.clone());
        new.employer_name = org.name.clone();
        new.employer_rating = org.rating;
        let vacancy = publish(conn, &new, now)?;
        let centre = domain::appeal_centre::addressee(
            None,
            org.centre_id.as_deref(),
            actor.centre_id.as_deref(),
        )
        .ok_or(AppealError::NoCentre)?;
        let kind = ReportKind::Vacancies;
        let text = messages::vacancy_report_appeal(&vacancy.title);
        let appeal_id = appeals::insert(
            conn,
            Filing {
                applicant_id: &actor.user_id,
                organization_id: Some(&org.id),
                centre_id: centre,
                appeal_type: kind.appeal_type(),
                subject: text.title,
                body: text.body,
                status: AppealStatus::Completed,
            },
            now,
        )?;
        // The report row, so that the vacancy is listed among the «vacancies» reports.
        let payload = serde_json::json!({
            "vacancy_id": vacancy.id,
            "positions": [{
                "title": vacancy.title,
                "profession_code": vacancy.profession_code,
                "count": 1,
                "salary_from": vacancy.salary_from,
                "salary_to": vacancy.salary_to,
            }],
        });
        diesel::insert_into(crate::schema::reports::table)
            .values(&crate::reports::Report {
                id: new_id(),
                organization_id: org.id.clone(),
                author_id: actor.user_id.clone(),
                kind: kind.code().to_owned(),
                payload: payload.to_string(),
                appeal_id: appeal_id.clone(),
                based_on: None,
                created_at: now,
            })
            .execute(conn)?;
        let appeal = appeals::get(conn, actor, &appeal_id)?;
        Ok((vacancy, appeal))
    })?;
    written.1.announce_filed(watch);
    Ok(written)
}

/// Reminds organisations to confirm vacancies published over
/// [`CONFIRM_AFTER_DAYS`] days ago and not yet reminded (SPEC §3: «напоминания о подтверждении вакансий»): every account of the
/// organisation hears of it through its subscriptions. Returns how many vacancies.
pub fn remind_unconfirmed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    use crate::schema::employer_accounts;
    let due: Vec<(String, String, Option<String>)> = vacancies::table
        .filter(vacancies::status.eq(PUBLISHED))
        .filter(vacancies::organization_id.is_not_null())
        .filter(vacancies::confirmation_reminded_at.is_null())
        .filter(vacancies::published_at.lt(now - TimeDelta::days(CONFIRM_AFTER_DAYS)))
        .select((vacancies::id, vacancies::title, vacancies::organization_id))
        .limit(500)
        .load(conn)?;
    for (id, title, org) in &due {
        db::write(conn, |conn| {
            // Claim the reminder first: another server running the same job, or a
            // vacancy closed meanwhile, makes this a no-op.
            let claimed = diesel::update(
                vacancies::table
                    .filter(vacancies::id.eq(id))
                    .filter(vacancies::confirmation_reminded_at.is_null())
                    .filter(vacancies::status.eq(PUBLISHED)),
            )
            .set(vacancies::confirmation_reminded_at.eq(now))
            .execute(conn)?;
            if claimed != 1 {
                return Ok(());
            }
            let accounts: Vec<String> = employer_accounts::table
                .filter(employer_accounts::organization_id.eq(org.as_deref().unwrap_or_default()))
                .select(employer_accounts::user_id)
                .load(conn)?;
            let link = format!("/api/v1/vacancies/{id}");
            let text = messages::confirm_vacancy(title);
            let event = Event {
                category: Category::VacancyConfirmation,
                title: &text.title,
                body: &text.body,
                link: Some(&link),
            };
            for account in &accounts {
                notifications::notify(conn, account, &event, now)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(due.len())
}
