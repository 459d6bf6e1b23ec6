//! The centre's calendar (SPEC §7): slots staff publish from opening hours, bookings
//! of them, and the personal visit of a job-search application (seed 004). A slot is
//! never booked twice: the unique index `appointments_one_per_slot` refuses a second
//! live booking even when two requests pass the check at once.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use diesel::prelude::*;
use domain::calendar::{self, BookingError, Purpose, Span};
use domain::role::Role;
use domain::Coded;

use crate::schema::{appointments, centre_slots, centres};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

/// A slot of a centre's calendar.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = centre_slots)]
pub struct Slot {
    pub id: String,
    pub centre_id: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

impl Slot {
    fn span(&self) -> Span {
        Span {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

/// A booking with its slot and the centre's name and address.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub id: String,
    pub slot_id: String,
    pub user_id: String,
    pub purpose: Purpose,
    pub application_id: Option<String>,
    pub centre_id: String,
    pub centre_name: String,
    pub centre_address: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

/// Why a calendar request was refused.
#[derive(Debug, thiserror::Error)]
pub enum SlotError {
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Booking(#[from] BookingError),
    #[error("the booking is already cancelled")]
    AlreadyCancelled,
    #[error("only staff of a centre publish its slots")]
    NotStaff,
    #[error("this account does not book appointments")]
    CannotBook,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for SlotError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => SlotError::NotFound,
            other => SlotError::Store(other),
        }
    }
}

/// Publishes slots in the staff member's centre; a slot already there (same start) is
/// kept as it is. Returns how many were new.
pub fn publish(
    conn: &mut DbConnection,
    actor: &Actor,
    spans: &[Span],
    now: NaiveDateTime,
) -> Result<usize, SlotError> {
    let centre = match (actor.role, &actor.centre_id) {
        (Role::Staff, Some(c)) => c.clone(),
        _ => return Err(SlotError::NotStaff),
    };
    db::write(conn, |conn| {
        let mut created = 0;
        for span in spans {
            let exists: bool = diesel::select(diesel::dsl::exists(
                centre_slots::table
                    .filter(centre_slots::centre_id.eq(&centre))
                    .filter(centre_slots::starts_at.eq(span.starts_at)),
            ))
            .get_result(conn)?;
            if exists {
                continue;
            }
            diesel::insert_into(centre_slots::table)
                .values((
                    centre_slots::id.eq(new_id()),
                    centre_slots::centre_id.eq(&centre),
                    centre_slots::starts_at.eq(span.starts_at),
                    centre_slots::ends_at.eq(span.ends_at),
                    centre_slots::created_by.eq(&actor.user_id),
                    centre_slots::created_at.eq(now),
                ))
                .execute(conn)?;
            created += 1;
        }
        Ok(created)
    })
}

/// Free slots of a centre that start after `now`, from `from` to `to` (days,
/// inclusive), earliest first, at most `limit`.
pub fn free(
    conn: &mut DbConnection,
    centre_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Slot>, SlotError> {
    if !crate::centres::exists(conn, centre_id)? {
        return Err(SlotError::NotFound);
    }
    Ok(free_between(
        conn,
        centre_id,
        from.and_time(NaiveTime::MIN),
        day_after(to),
        now,
        limit,
    )?)
}

fn day_after(day: NaiveDate) -> NaiveDateTime {
    (day + TimeDelta::days(1)).and_time(NaiveTime::MIN)
}

fn free_between(
    conn: &mut DbConnection,
    centre_id: &str,
    from: NaiveDateTime,
    before: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Slot>, StoreError> {
    Ok(centre_slots::table
        .left_join(
            appointments::table.on(appointments::slot_id
                .eq(centre_slots::id)
                .and(appointments::cancelled_at.is_null())),
        )
        .filter(centre_slots::centre_id.eq(centre_id))
        .filter(centre_slots::starts_at.ge(from))
        .filter(centre_slots::starts_at.gt(now))
        .filter(centre_slots::starts_at.lt(before))
        .filter(appointments::id.is_null())
        .order((centre_slots::starts_at.asc(), centre_slots::id.asc()))
        .limit(limit)
        .select(Slot::as_select())
        .load(conn)?)
}

/// Inserts a booking in its own savepoint: a slot taken meanwhile (the unique index)
/// is `Taken`, and on PostgreSQL the surrounding transaction goes on.
fn insert_booking(
    conn: &mut DbConnection,
    slot: &Slot,
    user_id: &str,
    purpose: Purpose,
    application_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<String, SlotError> {
    use diesel::result::{DatabaseErrorKind, Error};
    let id = new_id();
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(appointments::table)
            .values((
                appointments::id.eq(&id),
                appointments::slot_id.eq(&slot.id),
                appointments::user_id.eq(user_id),
                appointments::purpose.eq(purpose.code()),
                appointments::application_id.eq(application_id),
                appointments::created_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(id),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(BookingError::Taken.into())
        }
        Err(e) => Err(StoreError::from(e).into()),
    }
}

/// Books a slot for `actor`: a citizen's consultation, an employer's meeting with the
/// centre's manager.
pub fn book(
    conn: &mut DbConnection,
    actor: &Actor,
    slot_id: &str,
    now: NaiveDateTime,
) -> Result<Appointment, SlotError> {
    let purpose = calendar::purpose_for(actor.role).ok_or(SlotError::CannotBook)?;
    let result = db::write::<_, SlotError>(conn, |conn| {
        let slot: Slot = centre_slots::table
            .find(slot_id)
            .select(Slot::as_select())
            .first(conn)?;
        calendar::may_book(slot.span(), now)?;
        let taken: bool = diesel::select(diesel::dsl::exists(
            appointments::table
                .filter(appointments::slot_id.eq(slot_id))
                .filter(appointments::cancelled_at.is_null()),
        ))
        .get_result(conn)?;
        if taken {
            return Err(BookingError::Taken.into());
        }
        let id = insert_booking(conn, &slot, &actor.user_id, purpose, None, now)?;
        get_any(conn, &id)
    });
    match result {
        // PostgreSQL: the losing insert of a race may surface at commit.
        Err(SlotError::Store(StoreError::Conflict(_))) => Err(BookingError::Taken.into()),
        other => other,
    }
}

/// Seed 004: books the first free slot of the centre by `deadline` for an accepted
/// application's visit, inside the caller's transaction. `None` when there is none.
pub fn book_visit(
    conn: &mut DbConnection,
    centre_id: &str,
    citizen_id: &str,
    application_id: &str,
    now: NaiveDateTime,
    deadline: NaiveDate,
) -> Result<Option<Appointment>, StoreError> {
    // A few candidates: one taken by a concurrent booking is skipped for the next.
    let candidates = free_between(conn, centre_id, now, day_after(deadline), now, 8)?;
    let mut spans: Vec<(Span, &Slot)> = candidates.iter().map(|s| (s.span(), s)).collect();
    while let Some(first) = calendar::first_slot_by(
        &spans.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        now,
        deadline,
    ) {
        let Some(pos) = spans.iter().position(|(s, _)| *s == first) else {
            break;
        };
        let (_, slot) = spans.remove(pos);
        match insert_booking(
            conn,
            slot,
            citizen_id,
            Purpose::JobSearchVisit,
            Some(application_id),
            now,
        ) {
            Ok(id) => {
                return get_any(conn, &id).map(Some).map_err(|e| match e {
                    SlotError::Store(s) => s,
                    _ => StoreError::NotFound,
                })
            }
            Err(SlotError::Booking(BookingError::Taken)) => continue,
            Err(SlotError::Store(e)) => return Err(e),
            Err(_) => return Err(StoreError::NotFound),
        }
    }
    Ok(None)
}

/// The live visit booked for an application.
pub fn visit_of(
    conn: &mut DbConnection,
    application_id: &str,
) -> Result<Option<Appointment>, StoreError> {
    let id: Option<String> = appointments::table
        .filter(appointments::application_id.eq(application_id))
        .filter(appointments::cancelled_at.is_null())
        .select(appointments::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => get_any(conn, &id).map(Some).map_err(|e| match e {
            SlotError::Store(s) => s,
            _ => StoreError::NotFound,
        }),
        None => Ok(None),
    }
}

/// Frees the visit of an application refused or withdrawn, inside the caller's
/// transaction.
pub fn cancel_visit(
    conn: &mut DbConnection,
    application_id: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(
        appointments::table
            .filter(appointments::application_id.eq(application_id))
            .filter(appointments::cancelled_at.is_null())
            .filter(
                appointments::slot_id.eq_any(
                    centre_slots::table
                        .filter(centre_slots::starts_at.gt(now))
                        .select(centre_slots::id),
                ),
            ),
    )
    .set(appointments::cancelled_at.eq(now))
    .execute(conn)?;
    Ok(())
}

type AppointmentRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    NaiveDateTime,
    NaiveDateTime,
    String,
    String,
);

macro_rules! appointment_rows {
    () => {
        appointments::table
            .inner_join(centre_slots::table.inner_join(centres::table))
            .select((
                appointments::id,
                appointments::slot_id,
                appointments::user_id,
                appointments::purpose,
                appointments::application_id,
                appointments::created_at,
                appointments::cancelled_at,
                centre_slots::centre_id,
                centre_slots::starts_at,
                centre_slots::ends_at,
                centres::name,
                centres::address,
            ))
    };
}

fn appointment(r: AppointmentRow) -> Result<Appointment, StoreError> {
    Ok(Appointment {
        purpose: r.3.parse()?,
        id: r.0,
        slot_id: r.1,
        user_id: r.2,
        application_id: r.4,
        created_at: r.5,
        cancelled_at: r.6,
        centre_id: r.7,
        starts_at: r.8,
        ends_at: r.9,
        centre_name: r.10,
        centre_address: r.11,
    })
}

fn get_any(conn: &mut DbConnection, id: &str) -> Result<Appointment, SlotError> {
    let row: AppointmentRow = appointment_rows!()
        .filter(appointments::id.eq(id))
        .first(conn)?;
    Ok(appointment(row)?)
}

/// One of the user's bookings; another's answers `NotFound`.
pub fn get_own(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Appointment, SlotError> {
    let a = get_any(conn, id)?;
    if a.user_id != actor.user_id {
        return Err(SlotError::NotFound);
    }
    Ok(a)
}

/// The user's bookings, soonest first, cancelled ones included (they are the record of
/// «взаимодействия»).
pub fn of_user(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<Appointment>, SlotError> {
    let rows: Vec<AppointmentRow> = appointment_rows!()
        .filter(appointments::user_id.eq(&actor.user_id))
        .order((centre_slots::starts_at.asc(), appointments::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(appointment)
        .collect::<Result<_, _>>()?)
}

/// Cancels one of the user's bookings before its slot starts; the slot is free again.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: NaiveDateTime,
) -> Result<Appointment, SlotError> {
    db::write(conn, |conn| {
        let a = get_own(conn, actor, id)?;
        if a.cancelled_at.is_some() {
            return Err(SlotError::AlreadyCancelled);
        }
        calendar::may_cancel(
            Span {
                starts_at: a.starts_at,
                ends_at: a.ends_at,
            },
            now,
        )?;
        diesel::update(
            appointments::table
                .filter(appointments::id.eq(id))
                .filter(appointments::cancelled_at.is_null()),
        )
        .set(appointments::cancelled_at.eq(now))
        .execute(conn)?;
        get_any(conn, id)
    })
}
