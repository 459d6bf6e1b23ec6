//! Citizens' resumes (SPEC §5) and the candidate bank employers search.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::quota::Holding;
use domain::vacancy::{EducationLevel, EmploymentType, Experience, Schedule};
use domain::Coded;

use crate::db::MultiBackend;
use crate::paging::{self, Page, PageRequest};
use crate::schema::resumes;
use crate::{db, new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = resumes, treat_none_as_default_value = false)]
struct ResumeRow {
    id: String,
    user_id: String,
    title: String,
    profession_code: Option<String>,
    category: String,
    region_code: String,
    salary: Option<i64>,
    experience: String,
    education: String,
    employment_type: String,
    schedule: String,
    skills: String,
    about: String,
    published: bool,
    search_text: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// What the citizen writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeInput {
    pub title: String,
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    pub salary: Option<i64>,
    pub experience: Experience,
    pub education: EducationLevel,
    pub employment_type: EmploymentType,
    pub schedule: Schedule,
    pub skills: Vec<String>,
    pub about: String,
    pub published: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    pub id: String,
    pub user_id: String,
    pub input: ResumeInput,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<ResumeRow> for Resume {
    type Error = StoreError;
    fn try_from(r: ResumeRow) -> Result<Resume, StoreError> {
        Ok(Resume {
            input: ResumeInput {
                experience: r.experience.parse()?,
                education: r.education.parse()?,
                employment_type: r.employment_type.parse()?,
                schedule: r.schedule.parse()?,
                skills: serde_json::from_str(&r.skills)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                title: r.title,
                profession_code: r.profession_code,
                category: r.category,
                region_code: r.region_code,
                salary: r.salary,
                about: r.about,
                published: r.published,
            },
            id: r.id,
            user_id: r.user_id,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn search_text(input: &ResumeInput) -> String {
    let profession = input
        .profession_code
        .as_deref()
        .and_then(domain::reference::profession)
        .map(|p| p.title)
        .unwrap_or("");
    format!("{} {profession} {}", input.title, input.skills.join(" "))
        .trim()
        .to_lowercase()
}

fn row(
    id: String,
    user_id: &str,
    input: &ResumeInput,
    version: i32,
    created: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<ResumeRow, StoreError> {
    Ok(ResumeRow {
        id,
        user_id: user_id.to_owned(),
        title: input.title.clone(),
        profession_code: input.profession_code.clone(),
        category: input.category.clone(),
        region_code: input.region_code.clone(),
        salary: input.salary,
        experience: input.experience.to_string(),
        education: input.education.to_string(),
        employment_type: input.employment_type.to_string(),
        schedule: input.schedule.to_string(),
        skills: serde_json::to_string(&input.skills)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        about: input.about.clone(),
        published: input.published,
        search_text: search_text(input),
        version,
        created_at: created,
        updated_at: now,
    })
}

/// Creates a resume within the citizen's limit. Run it in a write transaction
/// (`db::write`, which the caller also uses to consume the draft the resume came from):
/// the limit is counted and the resume stored in it.
pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    input: &ResumeInput,
    now: NaiveDateTime,
) -> Result<Resume, StoreError> {
    let r = row(new_id(), user_id, input, 1, now, now)?;
    crate::quota::ensure_room(conn, Holding::Resumes, user_id)?;
    diesel::insert_into(resumes::table)
        .values(&r)
        .execute(conn)?;
    Resume::try_from(r)
}

fn own_row(conn: &mut DbConnection, user_id: &str, id: &str) -> Result<ResumeRow, StoreError> {
    Ok(resumes::table
        .filter(resumes::id.eq(id))
        .filter(resumes::user_id.eq(user_id))
        .select(ResumeRow::as_select())
        .first(conn)?)
}

pub fn get_own(conn: &mut DbConnection, user_id: &str, id: &str) -> Result<Resume, StoreError> {
    Resume::try_from(own_row(conn, user_id, id)?)
}

pub fn list_own(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Resume>, StoreError> {
    resumes::table
        .filter(resumes::user_id.eq(user_id))
        .order((resumes::updated_at.desc(), resumes::id.desc()))
        .select(ResumeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Resume::try_from)
        .collect()
}

/// Replaces the resume's content. With `expected`, only if that is still the version.
pub fn update_own(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    input: &ResumeInput,
    expected: Option<i32>,
    now: NaiveDateTime,
) -> Result<Resume, StoreError> {
    db::write(conn, |conn| {
        let current = own_row(conn, user_id, id)?;
        if expected.is_some_and(|v| v != current.version) {
            return Err(StoreError::Stale);
        }
        let next = row(
            id.to_owned(),
            user_id,
            input,
            current.version + 1,
            current.created_at,
            now,
        )?;
        let changed = diesel::update(
            resumes::table
                .filter(resumes::id.eq(id))
                .filter(resumes::version.eq(current.version)),
        )
        .set((
            resumes::title.eq(&next.title),
            resumes::profession_code.eq(&next.profession_code),
            resumes::category.eq(&next.category),
            resumes::region_code.eq(&next.region_code),
            resumes::salary.eq(next.salary),
            resumes::experience.eq(&next.experience),
            resumes::education.eq(&next.education),
            resumes::employment_type.eq(&next.employment_type),
            resumes::schedule.eq(&next.schedule),
            resumes::skills.eq(&next.skills),
            resumes::about.eq(&next.about),
            resumes::published.eq(next.published),
            resumes::search_text.eq(&next.search_text),
            resumes::version.eq(next.version),
            resumes::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(StoreError::Stale);
        }
        Resume::try_from(next)
    })
}

pub fn delete_own(conn: &mut DbConnection, user_id: &str, id: &str) -> Result<(), StoreError> {
    let deleted = diesel::delete(
        resumes::table
            .filter(resumes::id.eq(id))
            .filter(resumes::user_id.eq(user_id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Filters of the candidate bank.
#[derive(Debug, Clone, Default)]
pub struct ResumeFilter {
    pub region: Option<String>,
    pub text: Option<String>,
    pub category: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub schedule: Option<Schedule>,
    pub experience: Option<Experience>,
    /// Candidates expecting at most this much (or not saying).
    pub salary_to: Option<i64>,
}

fn bank<'a>(f: &'a ResumeFilter) -> resumes::BoxedQuery<'a, MultiBackend> {
    let mut q = resumes::table
        .filter(resumes::published.eq(true))
        .into_boxed();
    if let Some(region) = &f.region {
        q = q.filter(resumes::region_code.eq(region));
    }
    if let Some(text) = domain::vacancy::needle(f.text.as_deref()) {
        q = q.filter(
            resumes::search_text
                .like(crate::paging::contains_pattern(&text))
                .escape('\\'),
        );
    }
    if let Some(category) = &f.category {
        q = q.filter(resumes::category.eq(category));
    }
    if let Some(t) = f.employment_type {
        q = q.filter(resumes::employment_type.eq(t.code()));
    }
    if let Some(s) = f.schedule {
        q = q.filter(resumes::schedule.eq(s.code()));
    }
    if let Some(e) = f.experience {
        q = q.filter(resumes::experience.eq(e.code()));
    }
    if let Some(max) = f.salary_to {
        q = q.filter(resumes::salary.le(max).or(resumes::salary.is_null()));
    }
    q
}

/// Published resumes, most recently updated first.
pub fn search(
    conn: &mut DbConnection,
    filter: &ResumeFilter,
    page: PageRequest,
) -> Result<Page<Resume>, StoreError> {
    let rows: Page<ResumeRow> = crate::db::planned_for_values(
        conn,
        domain::vacancy::needle(filter.text.as_deref()).is_some(),
        |conn| {
            paging::count_and_load(
                conn,
                page,
                || bank(filter),
                |q| {
                    q.order((resumes::updated_at.desc(), resumes::id.desc()))
                        .select(ResumeRow::as_select())
                },
            )
        },
    )?;
    rows.try_map(Resume::try_from)
}

/// A published resume; unpublished ones are `NotFound` to everyone but their owner.
pub fn get_published(conn: &mut DbConnection, id: &str) -> Result<Resume, StoreError> {
    let row: ResumeRow = resumes::table
        .filter(resumes::id.eq(id))
        .filter(resumes::published.eq(true))
        .select(ResumeRow::as_select())
        .first(conn)?;
    Resume::try_from(row)
}

/// A published resume opened by an employer or staff, with the entry for the resume
/// owner's journal.
pub fn open_published(
    conn: &mut DbConnection,
    actor: &domain::actor::Actor,
    ctx: &domain::audit::AuditContext,
    id: &str,
    now: NaiveDateTime,
) -> Result<crate::audit::Journaled<Resume>, StoreError> {
    let resume = get_published(conn, id)?;
    let entry = crate::audit::ReadEntry::new(
        actor,
        ctx,
        domain::audit::AuditAction::ResumeRead,
        crate::audit::Target {
            record_type: "resume",
            record_id: &resume.id,
            subject_id: &resume.user_id,
        },
        now,
    );
    Ok(crate::audit::Journaled::new(resume, entry))
}
