//! The personal visit booked when a job-search application is accepted (seed 004
//! «Личная явка в ЦЗН»), and what the citizen is told about it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::calendar::{self, Consultant};
use domain::job_search::Attention;
use domain::notification::Category;
use domain::Coded;

use crate::notifications::{notify, Event};
use crate::schema::{job_search_applications as apps, users};
use crate::{slots, DbConnection, StoreError};
use domain::actor::Actor;

/// The application being accepted.
pub(crate) struct Accepted<'a> {
    pub id: &'a str,
    pub centre_id: &'a str,
    pub citizen_id: &'a str,
    pub claims_unemployed: bool,
}

/// Seed 004 «Личная явка в ЦЗН»: the accepting staff member becomes the personal
/// consultant; the visit deadline is set and the first free slot by it is booked, or
/// the application waits for staff with the reason. The citizen is told either way.
pub(crate) fn accept(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &Accepted<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let deadline = calendar::visit_deadline(now.date(), row.claims_unemployed);
    let booked = slots::book_visit(conn, row.centre_id, row.citizen_id, row.id, now, deadline)?;
    let attention = booked.is_none().then_some(Attention::NoSlotByDeadline);
    diesel::update(apps::table.find(row.id))
        .set((
            apps::accepted_at.eq(now),
            apps::visit_deadline.eq(deadline),
            apps::consultant_id.eq(&actor.user_id),
            apps::attention.eq(attention.map(|a| a.code())),
            apps::updated_at.eq(now),
        ))
        .execute(conn)?;
    let (title, body) = match booked {
        Some(visit) => {
            let centre = crate::centres::get(conn, row.centre_id)?;
            let (name, email): (String, Option<String>) = users::table
                .find(&actor.user_id)
                .select((users::display_name, users::email))
                .first(conn)?;
            let consultant = Consultant {
                name,
                phone: centre.phone.clone(),
                email: email.or(centre.email.clone()),
            };
            let visit = calendar::Visit {
                starts_at: visit.starts_at,
                centre_name: centre.name,
                address: centre.address,
            };
            calendar::visit_notice(&visit, row.claims_unemployed, Some(&consultant))
        }
        None => calendar::visit_pending_notice(deadline),
    };
    let link = format!("/api/v1/citizen/job-search-applications/{}", row.id);
    let event = Event {
        category: Category::Deadlines,
        title: &title,
        body: &body,
        link: Some(&link),
    };
    notify(conn, row.citizen_id, &event, now)?;
    Ok(())
}
