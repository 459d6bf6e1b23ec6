//! The vocational-training catalogue and enrolments (seeds 002, 003; SPEC §7). Who may
//! enrol and cancel is `domain::training`'s; this file keeps the places honest: an
//! enrolment takes a place with a conditional `UPDATE ... WHERE taken < capacity` in
//! the transaction that inserts it, so the capacity holds under any number of
//! concurrent requests and servers, on both backends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::actor::Actor;
use domain::payment::Kopecks;
use domain::role::Role;
use domain::training::{
    self, CourseError, CourseFacts, CourseFormat, CourseLevel, CourseSort, CourseStatus,
    CourseTheme, EnrolmentError, EnrolmentStatus,
};
use domain::Coded;

use crate::citizens::cases_of;
use crate::paging::{self, Page, PageRequest};
use crate::schema::{training_courses as courses, training_enrolments as enrolments};
use crate::{db, new_id, DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = courses)]
struct Row {
    id: String,
    centre_id: String,
    title: String,
    description: String,
    provider: String,
    theme: String,
    level: String,
    format: String,
    region_code: String,
    address: Option<String>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours: i32,
    cost_kopecks: i64,
    capacity: i32,
    taken: i32,
    status: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A course of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: String,
    pub centre_id: String,
    pub details: CourseDetails,
    pub taken: i32,
    pub status: CourseStatus,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What staff write about a course.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseDetails {
    pub title: String,
    pub description: String,
    pub provider: String,
    pub theme: CourseTheme,
    pub level: CourseLevel,
    pub format: CourseFormat,
    pub region_code: String,
    pub address: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub cost: Kopecks,
    pub capacity: i32,
}

fn course(r: Row) -> Result<Course, StoreError> {
    Ok(Course {
        details: CourseDetails {
            theme: r.theme.parse()?,
            level: r.level.parse()?,
            format: r.format.parse()?,
            title: r.title,
            description: r.description,
            provider: r.provider,
            region_code: r.region_code,
            address: r.address,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            hours: r.hours,
            cost: Kopecks(r.cost_kopecks),
            capacity: r.capacity,
        },
        status: r.status.parse()?,
        id: r.id,
        centre_id: r.centre_id,
        taken: r.taken,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Why a request about courses or enrolments was refused.
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    #[error("not found")]
    NotFound,
    #[error("only centre staff manage courses")]
    NotStaff,
    #[error(transparent)]
    Course(#[from] CourseError),
    #[error(transparent)]
    Enrolment(#[from] EnrolmentError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for TrainingError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => TrainingError::NotFound,
            // The partial unique index: a second enrolment by the same citizen raced.
            StoreError::Conflict(_) => TrainingError::Enrolment(EnrolmentError::AlreadyEnrolled),
            other => TrainingError::Store(other),
        }
    }
}

/// Which courses to list. Only open courses are listed.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    pub starts_from: Option<NaiveDate>,
    pub starts_to: Option<NaiveDate>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub format: Option<CourseFormat>,
    pub theme: Option<CourseTheme>,
    pub level: Option<CourseLevel>,
    pub region_code: Option<String>,
    /// Free courses only.
    pub free: bool,
    pub cost_max: Option<Kopecks>,
}

/// A page of the catalogue.
pub fn list(
    conn: &mut DbConnection,
    filter: &CourseFilter,
    sort: CourseSort,
    page: PageRequest,
) -> Result<Page<Course>, StoreError> {
    let query = || {
        let mut q = courses::table
            .filter(courses::status.eq(CourseStatus::Open.code()))
            .into_boxed();
        if let Some(d) = filter.starts_from {
            q = q.filter(courses::starts_on.ge(d));
        }
        if let Some(d) = filter.starts_to {
            q = q.filter(courses::starts_on.le(d));
        }
        if let Some(h) = filter.hours_min {
            q = q.filter(courses::hours.ge(h));
        }
        if let Some(h) = filter.hours_max {
            q = q.filter(courses::hours.le(h));
        }
        if let Some(f) = filter.format {
            q = q.filter(courses::format.eq(f.code()));
        }
        if let Some(t) = filter.theme {
            q = q.filter(courses::theme.eq(t.code()));
        }
        if let Some(l) = filter.level {
            q = q.filter(courses::level.eq(l.code()));
        }
        if let Some(r) = &filter.region_code {
            q = q.filter(courses::region_code.eq(r.clone()));
        }
        if filter.free {
            q = q.filter(courses::cost_kopecks.eq(0));
        }
        if let Some(max) = filter.cost_max {
            q = q.filter(courses::cost_kopecks.le(max.0));
        }
        q
    };
    paging::count_and_load(conn, page, query, |q| {
        let q = match sort {
            CourseSort::StartDate => q.order((courses::starts_on.asc(), courses::id.asc())),
            CourseSort::Cost => q.order((
                courses::cost_kopecks.asc(),
                courses::starts_on.asc(),
                courses::id.asc(),
            )),
            CourseSort::Duration => q.order((
                courses::hours.asc(),
                courses::starts_on.asc(),
                courses::id.asc(),
            )),
            CourseSort::Newest => q.order((courses::created_at.desc(), courses::id.desc())),
        };
        q.select(Row::as_select())
    })?
    .try_map(course)
}

fn read(conn: &mut DbConnection, id: &str) -> Result<Course, TrainingError> {
    let row: Row = courses::table
        .find(id)
        .select(Row::as_select())
        .first(conn)?;
    Ok(course(row)?)
}

/// A course as anyone sees it; a withdrawn course is shown only to staff of its centre.
pub fn get(
    conn: &mut DbConnection,
    viewer: Option<&Actor>,
    id: &str,
) -> Result<Course, TrainingError> {
    let c = read(conn, id)?;
    let own_centre = viewer
        .is_some_and(|a| a.role == Role::Staff && a.centre_id.as_deref() == Some(&c.centre_id));
    if c.status == CourseStatus::Withdrawn && !own_centre {
        return Err(TrainingError::NotFound);
    }
    Ok(c)
}

fn staff_centre(actor: &Actor) -> Result<String, TrainingError> {
    actor
        .centre_id
        .clone()
        .filter(|_| actor.role == Role::Staff)
        .ok_or(TrainingError::NotStaff)
}

/// A course of the staff member's centre, or `NotFound`.
fn own_course(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Course, TrainingError> {
    let centre = staff_centre(actor)?;
    let c = read(conn, id)?;
    if c.centre_id != centre {
        return Err(TrainingError::NotFound);
    }
    Ok(c)
}

/// Staff publish a course of their centre.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    details: &CourseDetails,
    now: NaiveDateTime,
) -> Result<Course, TrainingError> {
    let centre = staff_centre(actor)?;
    training::check_dates(details.starts_on, details.ends_on)?;
    db::write(conn, |conn| {
        let id = new_id();
        insert(conn, &id, &centre, details, now)?;
        read(conn, &id)
    })
}

/// Inserts a course inside the caller's transaction (also the demo catalogue's way in).
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    d: &CourseDetails,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(id),
            courses::centre_id.eq(centre_id),
            courses::title.eq(&d.title),
            courses::description.eq(&d.description),
            courses::provider.eq(&d.provider),
            courses::theme.eq(d.theme.code()),
            courses::level.eq(d.level.code()),
            courses::format.eq(d.format.code()),
            courses::region_code.eq(&d.region_code),
            courses::address.eq(d.address.as_deref()),
            courses::starts_on.eq(d.starts_on),
            courses::ends_on.eq(d.ends_on),
            courses::hours.eq(d.hours),
            courses::cost_kopecks.eq(d.cost.0),
            courses::capacity.eq(d.capacity),
            courses::taken.eq(0),
            courses::status.eq(CourseStatus::Open.code()),
            courses::version.eq(1),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Staff replace a course's details; `expected` is the version it was read at
/// (`If-Match`, `None` for `*`). The capacity may not fall below the places taken,
/// checked in the same statement that writes it.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected: Option<i32>,
    d: &CourseDetails,
    now: NaiveDateTime,
) -> Result<Course, TrainingError> {
    training::check_dates(d.starts_on, d.ends_on)?;
    db::write(conn, |conn| {
        let current = own_course(conn, actor, id)?;
        if expected.is_some_and(|v| v != current.version) {
            return Err(StoreError::Stale.into());
        }
        training::check_capacity(d.capacity, current.taken)?;
        let changed = diesel::update(
            courses::table
                .filter(courses::id.eq(id))
                .filter(courses::version.eq(current.version))
                .filter(courses::taken.le(d.capacity)),
        )
        .set((
            courses::title.eq(&d.title),
            courses::description.eq(&d.description),
            courses::provider.eq(&d.provider),
            courses::theme.eq(d.theme.code()),
            courses::level.eq(d.level.code()),
            courses::format.eq(d.format.code()),
            courses::region_code.eq(&d.region_code),
            courses::address.eq(d.address.as_deref()),
            courses::starts_on.eq(d.starts_on),
            courses::ends_on.eq(d.ends_on),
            courses::hours.eq(d.hours),
            courses::cost_kopecks.eq(d.cost.0),
            courses::capacity.eq(d.capacity),
            courses::version.eq(courses::version + 1),
            courses::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(StoreError::Stale.into());
        }
        read(conn, id)
    })
}

/// Staff withdraw a course: it leaves the catalogue, its active enrolments end and
/// their citizens are told.
pub fn withdraw(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Course, TrainingError> {
    db::write(conn, |conn| {
        let current = own_course(conn, actor, id)?;
        if current.status == CourseStatus::Withdrawn {
            return Ok(current);
        }
        let enrolled: Vec<String> = enrolments::table
            .filter(enrolments::course_id.eq(id))
            .filter(enrolments::status.eq(EnrolmentStatus::Active.code()))
            .select(enrolments::citizen_id)
            .load(conn)?;
        diesel::update(
            enrolments::table
                .filter(enrolments::course_id.eq(id))
                .filter(enrolments::status.eq(EnrolmentStatus::Active.code())),
        )
        .set((
            enrolments::status.eq(EnrolmentStatus::CourseWithdrawn.code()),
            enrolments::updated_at.eq(now),
        ))
        .execute(conn)?;
        diesel::update(courses::table.filter(courses::id.eq(id)))
            .set((
                courses::status.eq(CourseStatus::Withdrawn.code()),
                courses::taken.eq(0),
                courses::version.eq(courses::version + 1),
                courses::updated_at.eq(now),
            ))
            .execute(conn)?;
        let (title, body) = training::withdrawal_notice(&current.details.title);
        for citizen in enrolled {
            crate::notifications::notify(
                conn,
                &citizen,
                &crate::notifications::Event {
                    category: domain::notification::Category::ApplicationStatus,
                    title: &title,
                    body: &body,
                    link: Some("/api/v1/citizen/enrolments"),
                },
                now,
            )?;
        }
        read(conn, id)
    })
}

/// An enrolment with the course it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolment {
    pub id: String,
    pub status: EnrolmentStatus,
    pub course: Course,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

type EnrolmentRow = (String, String, String, NaiveDateTime, NaiveDateTime);

fn enrolment(conn: &mut DbConnection, r: EnrolmentRow) -> Result<Enrolment, TrainingError> {
    let (id, course_id, status, created_at, updated_at) = r;
    Ok(Enrolment {
        status: status.parse().map_err(StoreError::from)?,
        course: read(conn, &course_id)?,
        id,
        created_at,
        updated_at,
    })
}

const ENROLMENT_COLUMNS: (
    enrolments::id,
    enrolments::course_id,
    enrolments::status,
    enrolments::created_at,
    enrolments::updated_at,
) = (
    enrolments::id,
    enrolments::course_id,
    enrolments::status,
    enrolments::created_at,
    enrolments::updated_at,
);

/// Enrols the citizen: SPEC §1 and the course's state first, then a place is taken
/// only while one is free, and the enrolment is inserted under the one-active index.
pub fn enrol(
    conn: &mut DbConnection,
    actor: &Actor,
    course_id: &str,
    now: NaiveDateTime,
) -> Result<Enrolment, TrainingError> {
    db::write(conn, |conn| {
        let current = read(conn, course_id)?;
        let cases = cases_of(conn, &actor.user_id)?;
        let facts: Vec<_> = cases.iter().map(|c| c.facts()).collect();
        training::may_enrol(
            &facts,
            CourseFacts {
                status: current.status,
                starts_on: current.details.starts_on,
            },
            now.date(),
        )?;
        let already: bool = diesel::select(diesel::dsl::exists(
            enrolments::table
                .filter(enrolments::course_id.eq(course_id))
                .filter(enrolments::citizen_id.eq(&actor.user_id))
                .filter(enrolments::status.eq(EnrolmentStatus::Active.code())),
        ))
        .get_result(conn)?;
        if already {
            return Err(EnrolmentError::AlreadyEnrolled.into());
        }
        let took = diesel::update(
            courses::table
                .filter(courses::id.eq(course_id))
                .filter(courses::status.eq(CourseStatus::Open.code()))
                .filter(courses::taken.lt(courses::capacity)),
        )
        .set(courses::taken.eq(courses::taken + 1))
        .execute(conn)?;
        if took != 1 {
            return Err(EnrolmentError::Full.into());
        }
        let id = new_id();
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::id.eq(&id),
                enrolments::course_id.eq(course_id),
                enrolments::citizen_id.eq(&actor.user_id),
                enrolments::status.eq(EnrolmentStatus::Active.code()),
                enrolments::created_at.eq(now),
                enrolments::updated_at.eq(now),
            ))
            .execute(conn)?;
        own_enrolment(conn, actor, &id)
    })
}

/// One of the citizen's enrolments.
pub fn own_enrolment(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Enrolment, TrainingError> {
    let row: EnrolmentRow = enrolments::table
        .filter(enrolments::id.eq(id))
        .filter(enrolments::citizen_id.eq(&actor.user_id))
        .select(ENROLMENT_COLUMNS)
        .first(conn)?;
    enrolment(conn, row)
}

/// The citizen's enrolments, newest first.
pub fn my_enrolments(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<EnrolmentStatus>,
    page: PageRequest,
) -> Result<Page<Enrolment>, TrainingError> {
    let query = || {
        let q = enrolments::table
            .filter(enrolments::citizen_id.eq(actor.user_id.clone()))
            .into_boxed();
        match status {
            Some(s) => q.filter(enrolments::status.eq(s.code())),
            None => q,
        }
    };
    let found = paging::count_and_load(conn, page, query, |q| {
        q.order((enrolments::created_at.desc(), enrolments::id.desc()))
            .select(ENROLMENT_COLUMNS)
    })?;
    found.try_map(|r| enrolment(conn, r))
}

/// The citizen cancels an enrolment before the course starts; the place is freed in
/// the same transaction.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Enrolment, TrainingError> {
    db::write(conn, |conn| {
        let current = own_enrolment(conn, actor, id)?;
        training::may_cancel(current.status, current.course.details.starts_on, now.date())?;
        let changed = diesel::update(
            enrolments::table
                .filter(enrolments::id.eq(id))
                .filter(enrolments::status.eq(EnrolmentStatus::Active.code())),
        )
        .set((
            enrolments::status.eq(EnrolmentStatus::Cancelled.code()),
            enrolments::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Err(EnrolmentError::NotActive.into());
        }
        diesel::update(
            courses::table
                .filter(courses::id.eq(&current.course.id))
                .filter(courses::taken.gt(0)),
        )
        .set(courses::taken.eq(courses::taken - 1))
        .execute(conn)?;
        own_enrolment(conn, actor, id)
    })
}
