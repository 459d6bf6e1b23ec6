//! Vacancies (SPEC §5): publication and the citizen's favourites. The search is
//! `crate::vacancy_search`; saved searches apply the same filter in Rust to each new
//! vacancy (`crate::vacancy_fanout`).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::messages;
use domain::notification::Category;
use domain::quota::Holding;
use domain::vacancy::{
    benefits_from_column, benefits_to_column, Benefit, EducationLevel, EmploymentType, Experience,
    Schedule, VacancyFacts, CONFIRM_AFTER_DAYS,
};
use domain::vacancy_search;
use domain::Coded;

use crate::notifications::{self, Event};
use crate::paging::{self, Page, PageRequest};
use crate::schema::{favourite_vacancies, vacancies};
use crate::{db, new_id, DbConnection, StoreError};

/// A vacancy open to applicants.
pub const PUBLISHED: &str = "published";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = vacancies, treat_none_as_default_value = false)]
pub(crate) struct VacancyRow {
    pub(crate) id: String,
    organization_id: Option<String>,
    employer_name: String,
    pub(crate) employer_rating: f64,
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
    pub(crate) salary_sort: i64,
    benefits: String,
    description: String,
    /// Stems of the title and the profession name (`vacancy_search::indexed`).
    pub(crate) search_text: String,
    /// Stems of the description.
    search_body: String,
    status: String,
    pub(crate) published_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    /// The publication's number: the search's "newest first" (`crate::vacancy_order`).
    pub(crate) search_seq: i64,
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

/// The stems the text search finds a vacancy's title by: the title's and the
/// profession name's (stemmed in Rust, see `domain::vacancy_search`).
pub(crate) fn search_text(title: &str, profession_code: Option<&str>) -> String {
    let profession = profession_code
        .and_then(domain::reference::profession)
        .map(|p| p.title)
        .unwrap_or("");
    vacancy_search::indexed(&format!("{title} {profession}"))
}

impl NewVacancy {
    fn row(&self, id: String, now: NaiveDateTime, search_seq: i64) -> VacancyRow {
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
            search_body: vacancy_search::indexed(&self.description),
            status: PUBLISHED.to_owned(),
            published_at: now,
            created_at: now,
            updated_at: now,
            search_seq,
        }
    }
}

impl Vacancy {
    /// What a saved search looks at.
    pub fn facts(&self, now: NaiveDateTime) -> VacancyFacts {
        VacancyFacts {
            region_code: self.region_code.clone(),
            title_stems: search_text(&self.title, self.profession_code.as_deref()),
            body_stems: vacancy_search::indexed(&self.description),
            profession_code: self.profession_code.clone(),
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

/// Publishes a vacancy inside the caller's transaction and leaves it for the owners
/// of matching saved searches to hear of (`crate::vacancy_fanout`).
pub fn publish(
    conn: &mut DbConnection,
    new: &NewVacancy,
    now: NaiveDateTime,
) -> Result<Vacancy, StoreError> {
    let seq = crate::vacancy_order::next(conn, 1)?[0];
    let row = new.row(new_id(), now, seq);
    diesel::insert_into(vacancies::table)
        .values(&row)
        .execute(conn)?;
    crate::suggestions::remember(conn, &[row.title.as_str()])?;
    crate::vacancy_fanout::record(conn, &row.id, now)?;
    crate::feed::record(
        conn,
        domain::change::Change::Vacancies(row.region_code.clone()),
    )?;
    Vacancy::try_from(row)
}

/// Publishes many vacancies in one transaction without notifying anyone: for seeding
/// demo and benchmark data.
pub fn publish_quietly(
    conn: &mut DbConnection,
    batch: &[(NewVacancy, NaiveDateTime)],
) -> Result<(), StoreError> {
    let order = by_date(batch);
    db::write(conn, |conn| insert_quietly(conn, &order))
}

/// The vacancies of a batch in the order of their dates: they are numbered in it, as if
/// published one after another.
pub(crate) fn by_date(batch: &[(NewVacancy, NaiveDateTime)]) -> Vec<&(NewVacancy, NaiveDateTime)> {
    let mut order: Vec<&(NewVacancy, NaiveDateTime)> = batch.iter().collect();
    order.sort_by_key(|(_, at)| *at);
    order
}

/// The rows of [`publish_quietly`], numbered in the order given, inside the caller's
/// transaction.
pub(crate) fn insert_quietly(
    conn: &mut DbConnection,
    order: &[&(NewVacancy, NaiveDateTime)],
) -> Result<(), StoreError> {
    let seqs = crate::vacancy_order::next(conn, order.len())?;
    let rows: Vec<VacancyRow> = order
        .iter()
        .zip(seqs)
        .map(|((new, at), seq)| new.row(new_id(), *at, seq))
        .collect();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    // A few hundred rows a statement: below SQLite's limit of bound values.
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(vacancies::table).values(chunk);
        per_backend!(conn, |c| insert.execute(c))?;
    }
    crate::suggestions::remember(conn, &titles)?;
    crate::feed::record(conn, domain::change::Change::Everything)
}

/// Stems the rows written before the search indexed stems (their `search_body` is
/// empty: a description never is), a batch at a time; returns how many.
pub fn restem_unindexed(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let mut done = 0;
    loop {
        let batch: Vec<(String, String, Option<String>, String)> = vacancies::table
            // A literal, which the partial index `vacancies_unstemmed` answers (a bound
            // value would not tell either planner that the row is in it).
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "vacancies.search_body = ''",
            ))
            .select((
                vacancies::id,
                vacancies::title,
                vacancies::profession_code,
                vacancies::description,
            ))
            .limit(500)
            .load(conn)?;
        if batch.is_empty() {
            return Ok(done);
        }
        db::write(conn, |conn| {
            for (id, title, profession, description) in &batch {
                let body = vacancy_search::indexed(description);
                diesel::update(vacancies::table.find(id))
                    .set((
                        vacancies::search_text.eq(search_text(title, profession.as_deref())),
                        // Never empty again, so the row is not met twice.
                        vacancies::search_body.eq(if body.is_empty() { " ".into() } else { body }),
                    ))
                    .execute(conn)?;
            }
            let titles: Vec<&str> = batch.iter().map(|b| b.1.as_str()).collect();
            crate::suggestions::remember(conn, &titles)?;
            Ok::<_, StoreError>(())
        })?;
        done += batch.len();
    }
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
    updated_since: Option<NaiveDateTime>,
    page: PageRequest,
) -> Result<Page<Vacancy>, StoreError> {
    let of_organization = || {
        let q = vacancies::table
            .filter(vacancies::organization_id.eq(organization_id))
            .into_boxed();
        match updated_since {
            Some(since) => q.filter(vacancies::updated_at.gt(since)),
            None => q,
        }
    };
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
            crate::quota::ensure_room(conn, Holding::FavouriteVacancies, user_id)?;
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
        domain::organization::may(
            crate::organizations::verification(conn, &org.id)?,
            domain::organization::PublicAct::PublishVacancy,
        )?;
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
