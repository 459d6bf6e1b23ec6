//! The audit journal (SPEC §7): changes are journaled by the use cases they record,
//! inside their transaction ([`record`], [`record_by`]), so an action and its trace
//! commit or roll back together. Reads are journaled in batches ([`record_reads`]):
//! the server hands out what was read only after its entry is committed. The database
//! refuses to rewrite or erase a recent entry (see the migration
//! `2026-12-09-000001_audit_journal`); [`purge`] removes those past retention.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::actor::Actor;
use domain::audit::{AuditAction, AuditActor, AuditContext, AuditKind};
use domain::role::Role;

use crate::paging::{self, Page, PageRequest};
use crate::schema::{audit_events, centres, employer_accounts, organizations, users};
use crate::{new_id, DbConnection, StoreError};

/// Which record an entry is about, and whose it is.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// `citizen`, `personal_case`, `document`, `resume`, `account`.
    pub record_type: &'static str,
    pub record_id: &'a str,
    /// The person whose data it is; they read the entry in their journal.
    pub subject_id: &'a str,
}

impl<'a> Target<'a> {
    /// The person's own account (a sign-in, a password or e-mail change).
    pub fn account(user_id: &'a str) -> Target<'a> {
        Target {
            record_type: "account",
            record_id: user_id,
            subject_id: user_id,
        }
    }
}

/// An entry to append. A `None` is written as NULL (never as the column's default), so
/// that every entry is one statement text and `COPY` can take them.
#[derive(Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
struct NewRow<'a> {
    id: String,
    occurred_at: NaiveDateTime,
    kind: &'static str,
    action: &'static str,
    actor_id: Option<&'a str>,
    actor_role: Option<String>,
    actor_name: Option<String>,
    actor_centre_id: Option<String>,
    actor_organization_id: Option<String>,
    actor_unit_name: Option<String>,
    subject_id: Option<&'a str>,
    subject_centre_id: Option<String>,
    record_type: &'static str,
    record_id: &'a str,
    request_id: Option<&'a str>,
    client_addr: Option<&'a str>,
}

/// Appends an entry of what `actor` did, in the caller's transaction.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    ctx: &AuditContext,
    action: AuditAction,
    target: Target<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    record_by(conn, Some(&actor.user_id), ctx, action, target, now)
}

/// Appends an entry; `actor_id` is the acting account, `None` when nobody is signed
/// in (a failed sign-in). Names are copied as they are now.
pub fn record_by(
    conn: &mut DbConnection,
    actor_id: Option<&str>,
    ctx: &AuditContext,
    action: AuditAction,
    target: Target<'_>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = actor_id.map(|id| actor_columns(conn, id)).transpose()?;
    let subject_centre_id = subject_centre(conn, target.subject_id)?;
    let row = new_row(actor_id, actor, ctx, action, target, subject_centre_id, now);
    diesel::insert_into(audit_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// A read to journal, owned so that it can wait for the next batch of the journal's
/// writer (see [`record_reads`]).
#[derive(Debug, Clone)]
pub struct ReadEntry {
    pub actor_id: String,
    pub ctx: AuditContext,
    pub action: AuditAction,
    pub record_type: &'static str,
    pub record_id: String,
    pub subject_id: String,
    pub at: NaiveDateTime,
    /// The subject's centre when the read already knows it (`None`: look it up).
    pub subject_centre: Option<Option<String>>,
}

impl ReadEntry {
    /// `actor` read `target` at `at`.
    pub fn new(
        actor: &Actor,
        ctx: &AuditContext,
        action: AuditAction,
        target: Target<'_>,
        at: NaiveDateTime,
    ) -> ReadEntry {
        ReadEntry {
            actor_id: actor.user_id.clone(),
            ctx: ctx.clone(),
            action,
            record_type: target.record_type,
            record_id: target.record_id.to_owned(),
            subject_id: target.subject_id.to_owned(),
            at,
            subject_centre: None,
        }
    }

    /// The entry, saying which centre serves its subject, as the read found it: spares
    /// the journal's writer a lookup.
    pub fn serving(mut self, centre: Option<&str>) -> ReadEntry {
        self.subject_centre = Some(centre.map(str::to_owned));
        self
    }

    fn target(&self) -> Target<'_> {
        Target {
            record_type: self.record_type,
            record_id: &self.record_id,
            subject_id: &self.subject_id,
        }
    }
}

/// The entries of `actor` seeing a page that shows records of `people`: one per
/// person (however many of their records the page shows), none for the reader's own.
/// Each entry names the person as its record (`record_type` says what of theirs).
pub fn per_person<'a>(
    actor: &Actor,
    ctx: &AuditContext,
    action: AuditAction,
    record_type: &'static str,
    people: impl IntoIterator<Item = &'a str>,
    now: NaiveDateTime,
) -> Vec<ReadEntry> {
    let mut people: Vec<&str> = people
        .into_iter()
        .filter(|person| domain::audit::is_journaled_read(&actor.user_id, person))
        .collect();
    people.sort_unstable();
    people.dedup();
    people
        .into_iter()
        .map(|person| {
            let target = Target {
                record_type,
                record_id: person,
                subject_id: person,
            };
            ReadEntry::new(actor, ctx, action, target, now)
        })
        .collect()
}

/// What was read, with the entry to commit before it is handed out: a reading use
/// case returns this, and the server gives the value out only through the journal's
/// writer.
#[must_use = "the entries must be journaled before the value is served"]
#[derive(Debug)]
pub struct Journaled<T> {
    value: T,
    entries: Vec<ReadEntry>,
}

impl<T> Journaled<T> {
    pub fn new(value: T, entry: ReadEntry) -> Journaled<T> {
        Journaled::many(value, vec![entry])
    }

    /// A value that shows several records (a page of a list): one entry each.
    pub fn many(value: T, entries: Vec<ReadEntry>) -> Journaled<T> {
        Journaled { value, entries }
    }

    /// The value and its entries; whoever splits them must journal the entries first.
    pub fn into_parts(self) -> (T, Vec<ReadEntry>) {
        (self.value, self.entries)
    }
}

/// Appends many reads in one transaction: a reader's data is served only once its
/// entry is committed, and reads arriving together share the commit (group commit)
/// instead of each taking the write lock for one row. Each actor's and subject's
/// names are looked up once per batch.
pub fn record_reads(conn: &mut DbConnection, entries: &[ReadEntry]) -> Result<(), StoreError> {
    crate::db::write(conn, |conn| {
        let mut actors: HashMap<&str, ActorColumns> = HashMap::new();
        let mut subjects: HashMap<&str, Option<String>> = HashMap::new();
        let mut rows = Vec::with_capacity(entries.len());
        for entry in entries {
            let actor = match actors.get(entry.actor_id.as_str()) {
                Some(found) => found.clone(),
                None => {
                    let found = actor_columns(conn, &entry.actor_id)?;
                    actors.insert(&entry.actor_id, found.clone());
                    found
                }
            };
            let subject_centre_id = match (
                &entry.subject_centre,
                subjects.get(entry.subject_id.as_str()),
            ) {
                (Some(known), _) => known.clone(),
                (None, Some(found)) => found.clone(),
                (None, None) => {
                    let found = subject_centre(conn, &entry.subject_id)?;
                    subjects.insert(&entry.subject_id, found.clone());
                    found
                }
            };
            rows.push(new_row(
                Some(&entry.actor_id),
                Some(actor),
                &entry.ctx,
                entry.action,
                entry.target(),
                subject_centre_id,
                entry.at,
            ));
        }
        // PostgreSQL takes the batch by `COPY … FROM STDIN (FORMAT binary)`: one
        // statement whatever the batch's size, where a multi-row `INSERT` was a new
        // text, parsed and planned, for every size. SQLite takes the rows one by one
        // through the one prepared statement, inside the batch's transaction.
        match conn {
            DbConnection::Postgresql(c) => {
                diesel::copy_from(audit_events::table)
                    .from_insertable(&rows)
                    .execute(c)?;
            }
            DbConnection::Sqlite(c) => {
                for row in &rows {
                    diesel::insert_into(audit_events::table)
                        .values(row)
                        .execute(c)?;
                }
            }
        }
        Ok(())
    })
}

/// What an entry records of the acting account, as it is now.
#[derive(Debug, Clone)]
struct ActorColumns {
    role: String,
    name: String,
    centre_id: Option<String>,
    organization_id: Option<String>,
    unit_name: Option<String>,
}

fn actor_columns(conn: &mut DbConnection, id: &str) -> Result<ActorColumns, StoreError> {
    let (role, name, centre): (String, String, Option<String>) = users::table
        .find(id)
        .select((users::role, users::display_name, users::centre_id))
        .first(conn)?;
    let mut columns = ActorColumns {
        role: String::new(),
        name,
        centre_id: None,
        organization_id: None,
        unit_name: None,
    };
    match role.parse::<Role>()? {
        Role::Staff => {
            if let Some(centre) = &centre {
                columns.unit_name = centres::table
                    .find(centre)
                    .select(centres::name)
                    .first(conn)
                    .optional()?;
            }
            columns.centre_id = centre;
        }
        Role::Employer => {
            let org: Option<(String, String)> = employer_accounts::table
                .inner_join(organizations::table)
                .filter(employer_accounts::user_id.eq(id))
                .select((organizations::id, organizations::name))
                .first(conn)
                .optional()?;
            if let Some((org_id, org_name)) = org {
                columns.organization_id = Some(org_id);
                columns.unit_name = Some(org_name);
            }
        }
        Role::Citizen => {}
    }
    columns.role = role;
    Ok(columns)
}

/// The centre serving the person an entry is about (a centre's supervisors read it).
fn subject_centre(conn: &mut DbConnection, subject_id: &str) -> Result<Option<String>, StoreError> {
    Ok(users::table
        .find(subject_id)
        .select(users::centre_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

fn new_row<'a>(
    actor_id: Option<&'a str>,
    actor: Option<ActorColumns>,
    ctx: &'a AuditContext,
    action: AuditAction,
    target: Target<'a>,
    subject_centre_id: Option<String>,
    now: NaiveDateTime,
) -> NewRow<'a> {
    let (role, name, centre_id, organization_id, unit_name) = match actor {
        Some(a) => (
            Some(a.role),
            Some(a.name),
            a.centre_id,
            a.organization_id,
            a.unit_name,
        ),
        None => (None, None, None, None, None),
    };
    NewRow {
        id: new_id(),
        occurred_at: now,
        kind: domain::Coded::code(action.kind()),
        action: domain::Coded::code(action),
        actor_id,
        actor_role: role,
        actor_name: name,
        actor_centre_id: centre_id,
        actor_organization_id: organization_id,
        actor_unit_name: unit_name,
        subject_id: Some(target.subject_id),
        subject_centre_id,
        record_type: target.record_type,
        record_id: target.record_id,
        request_id: ctx.request_id.as_deref(),
        client_addr: ctx.client_addr.as_deref(),
    }
}

/// One entry as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub kind: AuditKind,
    pub action: AuditAction,
    pub actor_id: Option<String>,
    /// Who acted, as recorded; `None` when nobody was signed in.
    pub actor: Option<AuditActor>,
    pub actor_centre_id: Option<String>,
    pub subject_id: Option<String>,
    pub record_type: String,
    pub record_id: String,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_events)]
struct Row {
    id: String,
    occurred_at: NaiveDateTime,
    kind: String,
    action: String,
    actor_id: Option<String>,
    actor_role: Option<String>,
    actor_name: Option<String>,
    actor_centre_id: Option<String>,
    actor_unit_name: Option<String>,
    subject_id: Option<String>,
    record_type: String,
    record_id: String,
    request_id: Option<String>,
    client_addr: Option<String>,
}

impl TryFrom<Row> for Event {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Event, StoreError> {
        let actor = match (row.actor_role, row.actor_name) {
            (Some(role), Some(name)) => Some(AuditActor {
                role: role.parse()?,
                name,
                unit: row.actor_unit_name,
            }),
            _ => None,
        };
        Ok(Event {
            id: row.id,
            occurred_at: row.occurred_at,
            kind: row.kind.parse()?,
            action: row.action.parse()?,
            actor_id: row.actor_id,
            actor,
            actor_centre_id: row.actor_centre_id,
            subject_id: row.subject_id,
            record_type: row.record_type,
            record_id: row.record_id,
            request_id: row.request_id,
            client_addr: row.client_addr,
        })
    }
}

/// What a reader narrows the journal to; the bounds are inclusive.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub kind: Option<AuditKind>,
}

/// Whose entries a page lists.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Person(&'a str),
    Centre(&'a str),
}

fn page_of(
    conn: &mut DbConnection,
    scope: Scope<'_>,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<Event>, StoreError> {
    let filtered = || {
        let mut q = audit_events::table.into_boxed();
        q = match scope {
            Scope::Person(id) => q.filter(audit_events::subject_id.eq(id.to_owned())),
            Scope::Centre(centre) => q.filter(
                audit_events::actor_centre_id
                    .eq(centre.to_owned())
                    .or(audit_events::subject_centre_id.eq(centre.to_owned())),
            ),
        };
        if let Some(from) = filter.from {
            q = q.filter(audit_events::occurred_at.ge(from));
        }
        if let Some(to) = filter.to {
            q = q.filter(audit_events::occurred_at.le(to));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(audit_events::kind.eq(domain::Coded::code(kind)));
        }
        q
    };
    let rows = paging::count_and_load(conn, page, filtered, |q| {
        q.order((audit_events::occurred_at.desc(), audit_events::id.desc()))
            .select(Row::as_select())
    })?;
    rows.try_map(Event::try_from)
}

/// The journal of `actor`'s own data, newest first: what others and they themselves did.
pub fn of_person(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<Event>, StoreError> {
    page_of(conn, Scope::Person(&actor.user_id), filter, page)
}

/// Why a centre's journal was refused.
#[derive(Debug, thiserror::Error)]
pub enum CentreJournalError {
    #[error("only a centre's supervisors read its journal")]
    NotSupervisor,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The journal of the supervisor's centre, newest first: entries whose actor worked
/// there or whose subject is served there. Staff without the flag are refused.
pub fn of_centre(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<Event>, CentreJournalError> {
    let centre = match (actor.role, &actor.centre_id) {
        (Role::Staff, Some(centre)) => centre,
        _ => return Err(CentreJournalError::NotSupervisor),
    };
    let supervisor: bool = users::table
        .find(&actor.user_id)
        .select(users::is_supervisor)
        .first(conn)
        .map_err(StoreError::from)?;
    if !supervisor {
        return Err(CentreJournalError::NotSupervisor);
    }
    Ok(page_of(conn, Scope::Centre(centre), filter, page)?)
}

/// Deletes at most `at_most` entries that occurred before `before` (the retention's
/// start); returns how many. The database itself refuses to delete entries younger
/// than a year.
pub fn purge(
    conn: &mut DbConnection,
    before: NaiveDateTime,
    at_most: i64,
) -> Result<usize, StoreError> {
    let old: Vec<String> = audit_events::table
        .filter(audit_events::occurred_at.lt(before))
        .select(audit_events::id)
        .limit(at_most)
        .load(conn)?;
    Ok(diesel::delete(audit_events::table.filter(audit_events::id.eq_any(old))).execute(conn)?)
}

/// Gives or takes away the supervisor flag of a staff account (`portal`, demo data).
pub fn set_supervisor(
    conn: &mut DbConnection,
    user_id: &str,
    supervisor: bool,
) -> Result<(), StoreError> {
    let n = diesel::update(
        users::table
            .find(user_id)
            .filter(users::role.eq(Role::Staff.to_string())),
    )
    .set(users::is_supervisor.eq(supervisor))
    .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use diesel::pg::Pg;
    use diesel::query_builder::QueryFragment;

    use super::*;

    /// Diesel writes an insert anew for every call when a `None` may stand for the
    /// column's default: PostgreSQL then parses and plans it each time. An entry with
    /// every optional column empty must still be the one prepared statement.
    #[test]
    fn an_entry_with_empty_columns_is_one_prepared_statement() {
        let ctx = AuditContext {
            request_id: None,
            client_addr: None,
        };
        let row = new_row(
            None,
            None,
            &ctx,
            AuditAction::CardRead,
            Target::account("someone"),
            None,
            NaiveDateTime::default(),
        );
        let insert = diesel::insert_into(audit_events::table).values(&row);
        assert!(insert.is_safe_to_cache_prepared(&Pg).unwrap());
    }
}
