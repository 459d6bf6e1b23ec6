//! What staff seeing job-search applications leaves in the applicants' journals: an
//! application opened, or listed on a page of the centre's work list. A citizen's own
//! reads leave nothing.

use chrono::NaiveDateTime;
use domain::actor::Actor;
use domain::audit::{is_journaled_read, AuditAction, AuditContext};

use super::Application;
use crate::audit::{ReadEntry, Target};

/// The entry of `actor` opening `app`, unless it is their own.
pub fn opened(
    actor: &Actor,
    ctx: &AuditContext,
    app: &Application,
    now: NaiveDateTime,
) -> Vec<ReadEntry> {
    if !is_journaled_read(&actor.user_id, &app.citizen_id) {
        return Vec::new();
    }
    let target = Target {
        record_type: "job_search_application",
        record_id: &app.id,
        subject_id: &app.citizen_id,
    };
    vec![ReadEntry::new(
        actor,
        ctx,
        AuditAction::ApplicationRead,
        target,
        now,
    )]
}

/// The entries of `actor` seeing a page of applications: one per applicant other
/// than themselves.
pub fn listed(
    actor: &Actor,
    ctx: &AuditContext,
    apps: &[Application],
    now: NaiveDateTime,
) -> Vec<ReadEntry> {
    crate::audit::per_person(
        actor,
        ctx,
        AuditAction::ApplicationsListed,
        "job_search_applications",
        apps.iter().map(|a| a.citizen_id.as_str()),
        now,
    )
}
