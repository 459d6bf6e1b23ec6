//! Job-search applications (SPEC §6, seed 004): filing from a resume and favourites,
//! the citizen's and the centre's views, and the status machine with its history. On
//! acceptance the personal visit is booked (`crate::slots`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::calendar::Consultant;
use domain::draft::DraftKind;
use domain::job_search::{
    status_notice, ApplicationStatus, Attention, Mover, TransitionError, Wishes, WishesInput,
};
use domain::notification::Category;
use domain::role::Role;
use domain::vacancy::{EmploymentType, Schedule};
use domain::Coded;

use crate::notifications::{notify, Event};
use crate::paging::{Page, PageRequest};
use crate::schema::{
    favourite_vacancies, job_search_applications as apps, job_search_found_vacancies as found,
    users, vacancies,
};
use crate::slots::{self, Appointment};
use domain::actor::Actor;

mod finish;
mod history;
pub mod journal;
use crate::{db, new_id, DbConnection, StoreError};
pub use finish::finish;
pub(crate) use history::add_history;
pub use history::{history_of, HistoryEntry};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = apps, treat_none_as_default_value = false)]
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) citizen_id: String,
    pub(crate) centre_id: String,
    pub(crate) resume_id: String,
    pub(crate) claims_unemployed: bool,
    pub(crate) profession_code: Option<String>,
    pub(crate) category: String,
    pub(crate) region_code: String,
    pub(crate) salary_from: Option<i64>,
    pub(crate) employment_types: String,
    pub(crate) schedules: String,
    pub(crate) status: String,
    pub(crate) attention: Option<String>,
    pub(crate) consultant_id: Option<String>,
    pub(crate) accepted_at: Option<NaiveDateTime>,
    pub(crate) visit_deadline: Option<NaiveDate>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
    pub(crate) finish_choice: Option<String>,
}

impl Row {
    fn as_accepted(&self) -> crate::visits::Accepted<'_> {
        crate::visits::Accepted {
            id: &self.id,
            centre_id: &self.centre_id,
            citizen_id: &self.citizen_id,
            claims_unemployed: self.claims_unemployed,
        }
    }
}

/// A vacancy named in an application, as a reference.
#[derive(Debug, Clone, PartialEq)]
pub struct VacancyRef {
    pub id: String,
    pub title: String,
    pub employer_name: String,
}

/// An application with what its readers see beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: String,
    pub citizen_id: String,
    pub citizen_name: String,
    pub centre: crate::centres::Centre,
    pub resume_id: String,
    pub claims_unemployed: bool,
    pub wishes: Wishes,
    pub status: ApplicationStatus,
    pub attention: Option<Attention>,
    pub consultant: Option<Consultant>,
    pub accepted_at: Option<NaiveDateTime>,
    pub visit_deadline: Option<NaiveDate>,
    /// The vacancies offered (seed 004 «Подобраны вакансии»).
    pub offers: Vec<crate::offers::Offer>,
    /// The booked personal visit, if any.
    pub visit: Option<Appointment>,
    /// «Самостоятельно найденные вакансии».
    pub found_vacancies: Vec<VacancyRef>,
    /// The citizen's responses to agreed vacancies, with their interviews.
    pub responses: Vec<crate::interviews::Response>,
    /// How the citizen finished the negotiations (seed 004 «Отклик…», шаг 6).
    pub finish: Option<domain::interview::Finish>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Why a request about applications was refused.
#[derive(Debug, thiserror::Error)]
pub enum JobSearchError {
    #[error("application not found")]
    NotFound,
    #[error("the citizen already has an open application {0}")]
    AlreadyOpen(String),
    #[error("no such resume of this citizen")]
    UnknownResume,
    #[error("no such centre")]
    UnknownCentre,
    #[error("no centre to address the application to")]
    NoCentre,
    #[error("no such draft of this form")]
    UnknownDraft,
    /// The vacancy at this position of the list is not among the citizen's favourites.
    #[error("vacancy #{0} is not among the favourites")]
    NotFavourite(usize),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The agreed vacancies of a move to negotiations are wrong.
    #[error("agreed vacancies: {0}")]
    Agreed(domain::matching::PriorityError),
    /// The citizen's order of the offers is not a permutation of them.
    #[error("priorities: {0}")]
    Priorities(domain::matching::PriorityError),
    /// A vacancy to add is not a published one (its position in the list).
    #[error("vacancy #{0} is not published")]
    UnknownVacancy(usize),
    /// The offers change only while the application is accepted or has its vacancies
    /// selected; priorities only in the latter.
    #[error("the application is {0}: its vacancies cannot change now")]
    OffersClosed(ApplicationStatus),
    #[error("the application changed meanwhile; reload it and try again")]
    Concurrent,
    #[error("only staff of the application's centre may do this")]
    NotStaff,
    #[error("only the citizen may do this")]
    NotCitizen,
    /// The negotiations cannot be finished while interviews are open.
    #[error(transparent)]
    Unsettled(#[from] domain::interview::FinishError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for JobSearchError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => JobSearchError::NotFound,
            other => JobSearchError::Store(other),
        }
    }
}

/// What a citizen sends.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub resume_id: String,
    pub claims_unemployed: bool,
    pub centre_id: Option<String>,
    pub wishes: WishesInput,
    pub found_vacancy_ids: Vec<String>,
    pub draft_id: Option<String>,
}

fn codes<T: Coded>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_codes<T: Coded>(column: &str) -> Result<Vec<T>, StoreError> {
    column
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| T::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("unknown code {c}"))))
        .collect()
}

/// Files an application. Refused when the citizen has an open one (its id in the
/// error), the resume is not theirs, or a cited vacancy is not among their favourites.
pub fn file(
    conn: &mut DbConnection,
    actor: &Actor,
    new: NewApplication,
    now: NaiveDateTime,
) -> Result<Application, JobSearchError> {
    if actor.role != Role::Citizen {
        return Err(JobSearchError::NotCitizen);
    }
    let written = db::write::<_, JobSearchError>(conn, |conn| {
        if let Some(id) = open_of(conn, &actor.user_id)? {
            return Err(JobSearchError::AlreadyOpen(id));
        }
        if let Some(draft) = &new.draft_id {
            crate::drafts::consume(
                conn,
                &actor.user_id,
                draft,
                DraftKind::JobSearchApplication,
                now,
            )
            .map_err(|e| match e {
                StoreError::NotFound => JobSearchError::UnknownDraft,
                other => other.into(),
            })?;
        }
        let resume =
            crate::resumes::get_own(conn, &actor.user_id, &new.resume_id).map_err(|e| match e {
                StoreError::NotFound => JobSearchError::UnknownResume,
                other => other.into(),
            })?;
        let r = resume.input;
        let wishes = Wishes::of_resume(
            r.profession_code,
            r.category,
            r.region_code,
            r.salary,
            r.employment_type,
            r.schedule,
        )
        .with(new.wishes.clone());
        let centre_id = new
            .centre_id
            .clone()
            .or_else(|| actor.centre_id.clone())
            .ok_or(JobSearchError::NoCentre)?;
        if !crate::centres::exists(conn, &centre_id)? {
            return Err(JobSearchError::UnknownCentre);
        }
        let id = new_id();
        diesel::insert_into(apps::table)
            .values(&Row {
                id: id.clone(),
                citizen_id: actor.user_id.clone(),
                centre_id,
                resume_id: resume.id,
                claims_unemployed: new.claims_unemployed,
                profession_code: wishes.profession_code,
                category: wishes.category,
                region_code: wishes.region_code,
                salary_from: wishes.salary_from,
                employment_types: codes(&wishes.employment_types),
                schedules: codes(&wishes.schedules),
                status: ApplicationStatus::Submitted.code().to_owned(),
                attention: None,
                consultant_id: None,
                accepted_at: None,
                visit_deadline: None,
                created_at: now,
                updated_at: now,
                finish_choice: None,
            })
            .execute(conn)?;
        for (i, vacancy) in new.found_vacancy_ids.iter().enumerate() {
            let starred: bool = diesel::select(diesel::dsl::exists(
                favourite_vacancies::table
                    .filter(favourite_vacancies::user_id.eq(&actor.user_id))
                    .filter(favourite_vacancies::vacancy_id.eq(vacancy)),
            ))
            .get_result(conn)?;
            if !starred {
                return Err(JobSearchError::NotFavourite(i));
            }
            db::insert_unless_present(conn, |conn| {
                diesel::insert_into(found::table)
                    .values((found::application_id.eq(&id), found::vacancy_id.eq(vacancy)))
                    .execute(conn)
            })?;
        }
        add_history(
            conn,
            &id,
            None,
            ApplicationStatus::Submitted,
            None,
            Some(&actor.user_id),
            now,
        )?;
        get_row(conn, &id).and_then(|row| assemble(conn, row))
    });
    match written {
        // Two filings raced past the check: the database's one-open index refused the
        // second one.
        Err(JobSearchError::Store(StoreError::Conflict(_))) => match open_of(conn, &actor.user_id)?
        {
            Some(id) => Err(JobSearchError::AlreadyOpen(id)),
            None => Err(JobSearchError::Concurrent),
        },
        other => other,
    }
}

/// The citizen's open application, if any.
fn open_of(conn: &mut DbConnection, citizen_id: &str) -> Result<Option<String>, StoreError> {
    let open: Vec<&str> = ApplicationStatus::open_codes().collect();
    Ok(apps::table
        .filter(apps::citizen_id.eq(citizen_id))
        .filter(apps::status.eq_any(open))
        .select(apps::id)
        .first(conn)
        .optional()?)
}

pub(crate) fn get_row(conn: &mut DbConnection, id: &str) -> Result<Row, JobSearchError> {
    Ok(apps::table.find(id).select(Row::as_select()).first(conn)?)
}

/// The row if `actor` may see it: the citizen their own, staff their centre's.
pub(crate) fn visible_row(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Row, JobSearchError> {
    let row = get_row(conn, id)?;
    let visible = match actor.role {
        Role::Citizen => row.citizen_id == actor.user_id,
        Role::Staff => actor.centre_id.as_deref() == Some(row.centre_id.as_str()),
        Role::Employer => false,
    };
    if visible {
        Ok(row)
    } else {
        Err(JobSearchError::NotFound)
    }
}

/// The wishes stored in a row.
pub(crate) fn assemble_wishes(row: &Row) -> Result<Wishes, StoreError> {
    Ok(Wishes {
        employment_types: parse_codes::<EmploymentType>(&row.employment_types)?,
        schedules: parse_codes::<Schedule>(&row.schedules)?,
        profession_code: row.profession_code.clone(),
        category: row.category.clone(),
        region_code: row.region_code.clone(),
        salary_from: row.salary_from,
    })
}

pub(crate) fn assemble(conn: &mut DbConnection, row: Row) -> Result<Application, JobSearchError> {
    let centre = crate::centres::get(conn, &row.centre_id)?;
    let citizen_name = crate::citizens::get(conn, &row.citizen_id)
        .map(|c| c.full_name())
        .or_else(|e| match e {
            StoreError::NotFound => Ok(String::new()),
            other => Err(other),
        })?;
    let consultant = match &row.consultant_id {
        Some(id) => {
            let (name, email): (String, Option<String>) = users::table
                .find(id)
                .select((users::display_name, users::email))
                .first(conn)?;
            Some(Consultant {
                name,
                phone: centre.phone.clone(),
                email: email.or_else(|| centre.email.clone()),
            })
        }
        None => None,
    };
    let found_vacancies = found::table
        .inner_join(vacancies::table)
        .filter(found::application_id.eq(&row.id))
        .order(vacancies::title.asc())
        .select((vacancies::id, vacancies::title, vacancies::employer_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, title, employer_name)| VacancyRef {
            id,
            title,
            employer_name,
        })
        .collect();
    let visit = slots::visit_of(conn, &row.id)?;
    let offers = crate::offers::of(conn, &row.id)?;
    let responses = crate::interviews::of_application(conn, &row.id)?;
    let finish = row
        .finish_choice
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(StoreError::from)?;
    Ok(Application {
        responses,
        finish,
        wishes: assemble_wishes(&row)?,
        status: row.status.parse().map_err(StoreError::from)?,
        attention: row
            .attention
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(StoreError::from)?,
        id: row.id,
        citizen_id: row.citizen_id,
        citizen_name,
        centre,
        resume_id: row.resume_id,
        claims_unemployed: row.claims_unemployed,
        consultant,
        accepted_at: row.accepted_at,
        visit_deadline: row.visit_deadline,
        visit,
        offers,
        found_vacancies,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The application as stored now, whoever asks (after a checked write).
pub(crate) fn reload(conn: &mut DbConnection, id: &str) -> Result<Application, JobSearchError> {
    let row = get_row(conn, id)?;
    assemble(conn, row)
}

/// An application `actor` may see.
pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Application, JobSearchError> {
    let row = visible_row(conn, actor, id)?;
    assemble(conn, row)
}

/// Filters of the application lists.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub status: Option<ApplicationStatus>,
    pub attention: Option<Attention>,
    /// Only applications filed or changed strictly after this moment (UTC).
    pub updated_since: Option<NaiveDateTime>,
}

/// A page of the applications `actor` may see, newest first: a citizen's own, or a
/// staff member's centre's.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &ApplicationFilter,
    page: PageRequest,
) -> Result<Page<Application>, JobSearchError> {
    let query = || {
        let mut q = apps::table.into_boxed();
        q = match (actor.role, &actor.centre_id) {
            (Role::Citizen, _) => q.filter(apps::citizen_id.eq(actor.user_id.clone())),
            (Role::Staff, Some(centre)) => q.filter(apps::centre_id.eq(centre.clone())),
            _ => q.filter(apps::id.is_null()),
        };
        if let Some(s) = filter.status {
            q = q.filter(apps::status.eq(s.code()));
        }
        if let Some(a) = filter.attention {
            q = q.filter(apps::attention.eq(a.code()));
        }
        if let Some(since) = filter.updated_since {
            q = q.filter(apps::updated_at.gt(since));
        }
        q
    };
    let total: i64 = query().count().get_result(conn)?;
    let rows: Vec<Row> = query()
        .order((apps::created_at.desc(), apps::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(Row::as_select())
        .load(conn)?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| assemble(conn, r))
            .collect::<Result<_, _>>()?,
        page: page.page,
        per_page: page.per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// Moves an application. Staff of its centre accept, refuse and close it, and move
/// it to negotiations naming the vacancies agreed with employers (`agreed`); the
/// citizen withdraws it. The write is conditional on the status read, so two
/// concurrent moves cannot both pass from one state. Accepting it books the personal
/// visit and selects vacancies (then the portal moves it on to `vacancies_selected`).
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    to: ApplicationStatus,
    reason: Option<&str>,
    agreed: &[String],
    now: NaiveDateTime,
) -> Result<Application, JobSearchError> {
    let mover = match actor.role {
        Role::Staff => Mover::Staff,
        Role::Citizen => Mover::Citizen,
        Role::Employer => return Err(JobSearchError::NotFound),
    };
    db::write::<_, JobSearchError>(conn, |conn| {
        let row = visible_row(conn, actor, id)?;
        let from: ApplicationStatus = row.status.parse().map_err(StoreError::from)?;
        let step = from.transition(to, reason, mover)?;
        if to == ApplicationStatus::Negotiations {
            let offered: Vec<String> = crate::offers::of(conn, id)?
                .into_iter()
                .map(|o| o.vacancy_id)
                .collect();
            domain::matching::check_agreed(&offered, agreed).map_err(JobSearchError::Agreed)?;
            crate::offers::agree(conn, id, agreed)?;
        }
        move_status(
            conn,
            &row,
            from,
            step.to,
            step.reason.as_deref(),
            Some(&actor.user_id),
            now,
        )?;
        if to == ApplicationStatus::Accepted {
            crate::visits::accept(conn, actor, &row.as_accepted(), now)?;
            let wishes = reload(conn, id)?.wishes;
            let experience = crate::offers::experience_of(conn, &row.resume_id)?;
            if crate::offers::select(conn, id, &wishes, experience, now)? > 0 {
                let step =
                    to.transition(ApplicationStatus::VacanciesSelected, None, Mover::System)?;
                move_status(conn, &row, step.from, step.to, None, None, now)?;
            }
        }
        if matches!(
            to,
            ApplicationStatus::Refused | ApplicationStatus::Withdrawn
        ) {
            slots::cancel_visit(conn, id, now)?;
        }
        reload(conn, id)
    })
}

/// Stores a checked move with its history line, conditional on the status read, and
/// tells the citizen unless they made it. Runs inside the caller's transaction.
pub(crate) fn move_status(
    conn: &mut DbConnection,
    row: &Row,
    from: ApplicationStatus,
    to: ApplicationStatus,
    reason: Option<&str>,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), JobSearchError> {
    let changed = diesel::update(
        apps::table
            .filter(apps::id.eq(&row.id))
            .filter(apps::status.eq(from.code())),
    )
    .set((apps::status.eq(to.code()), apps::updated_at.eq(now)))
    .execute(conn)?;
    if changed != 1 {
        return Err(JobSearchError::Concurrent);
    }
    add_history(conn, &row.id, Some(from), to, reason, actor_id, now)?;
    if actor_id != Some(row.citizen_id.as_str()) {
        let (title, body) = status_notice(to, reason);
        let link = format!("/api/v1/citizen/job-search-applications/{}", row.id);
        let event = Event {
            category: Category::ApplicationStatus,
            title: &title,
            body: &body,
            link: Some(&link),
        };
        notify(conn, &row.citizen_id, &event, now)?;
    }
    Ok(())
}
