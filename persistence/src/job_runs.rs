//! Periodic jobs (draft purge, vacancy reminders, retention) run once per period
//! however many server processes share the database. Each job has a row with the time
//! it is next due; a process runs a pass only if it moves that time on. On PostgreSQL
//! the pass also holds a session-level advisory lock of the job (taken with
//! `pg_try_advisory_lock`, never waited for), so that no two passes of one job overlap
//! even if one outlasts its period; a process that finds the lock taken skips the
//! pass. SQLite serves one process: its write lock orders the claims.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::schema::job_runs;
use crate::{db, DbConnection, StoreError};

diesel::define_sql_function! {
    fn pg_try_advisory_lock(key: BigInt) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    fn pg_advisory_unlock(key: BigInt) -> diesel::sql_types::Bool;
}

/// A job's schedule as stored, for support and tests.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = job_runs)]
pub struct JobRun {
    pub name: String,
    /// When the next pass is due.
    pub due_at: NaiveDateTime,
    /// When the last pass started.
    pub started_at: NaiveDateTime,
    /// How many passes have run.
    pub runs: i64,
    /// Which process ran the last pass.
    pub runner: String,
}

/// What became of an attempt to run a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass<T> {
    /// This process ran it.
    Ran(T),
    /// Another process is running it now: look again later.
    Busy,
    /// Not due before this time.
    NotBefore(NaiveDateTime),
}

/// Runs `pass` if `job` is due at `now`, and moves its due time to `now + every`.
/// `conn` is held for the pass (on PostgreSQL it carries the job's lock); `pass` does
/// its work on connections of its own.
pub fn run_if_due<T>(
    conn: &mut DbConnection,
    job: &str,
    every: TimeDelta,
    runner: &str,
    now: NaiveDateTime,
    pass: impl FnOnce() -> T,
) -> Result<Pass<T>, StoreError> {
    let key = lock_key(job);
    if let DbConnection::Postgresql(pg) = conn {
        if !diesel::select(pg_try_advisory_lock(key)).get_result::<bool>(pg)? {
            return Ok(Pass::Busy);
        }
    }
    let outcome = claim(conn, job, every, runner, now).map(|claimed| match claimed {
        Ok(()) => Pass::Ran(pass()),
        Err(due_at) => Pass::NotBefore(due_at),
    });
    if let DbConnection::Postgresql(pg) = conn {
        // Should this fail, the connection is broken: the pool drops it, and its
        // session's lock goes with it.
        diesel::select(pg_advisory_unlock(key)).get_result::<bool>(pg)?;
    }
    outcome
}

/// Moves the job's due time on if it has come: `Ok` for the caller to run the pass,
/// `Err` with the due time otherwise. A job never run before is due.
fn claim(
    conn: &mut DbConnection,
    job: &str,
    every: TimeDelta,
    runner: &str,
    now: NaiveDateTime,
) -> Result<Result<(), NaiveDateTime>, StoreError> {
    db::write(conn, |conn| {
        let due_at: Option<NaiveDateTime> = job_runs::table
            .find(job)
            .select(job_runs::due_at)
            .first(conn)
            .optional()?;
        match due_at {
            Some(due_at) if due_at > now => return Ok(Err(due_at)),
            Some(due_at) => {
                // Only while still due: should two claims ever read the same due time
                // (the lock is what keeps them apart on PostgreSQL), the second one
                // finds the row moved on and runs nothing.
                let claimed =
                    diesel::update(job_runs::table.find(job).filter(job_runs::due_at.le(now)))
                        .set((
                            job_runs::due_at.eq(now + every),
                            job_runs::started_at.eq(now),
                            job_runs::runs.eq(job_runs::runs + 1),
                            job_runs::runner.eq(runner),
                        ))
                        .execute(conn)?;
                if claimed != 1 {
                    let moved: NaiveDateTime = job_runs::table
                        .find(job)
                        .select(job_runs::due_at)
                        .first(conn)?;
                    return Ok(Err(moved.max(due_at)));
                }
            }
            None => {
                diesel::insert_into(job_runs::table)
                    .values((
                        job_runs::name.eq(job),
                        job_runs::due_at.eq(now + every),
                        job_runs::started_at.eq(now),
                        job_runs::runs.eq(1_i64),
                        job_runs::runner.eq(runner),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(Ok(()))
    })
}

/// Every job's schedule, by name.
pub fn all(conn: &mut DbConnection) -> Result<Vec<JobRun>, StoreError> {
    Ok(job_runs::table
        .order(job_runs::name.asc())
        .select(JobRun::as_select())
        .load(conn)?)
}

/// The job's advisory lock key on PostgreSQL: a stable hash (FNV-1a) of its name
/// under a prefix of ours, so it stays the same across builds and processes (and an
/// operator can see in `pg_locks` which process runs which job).
pub fn lock_key(job: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in "portal.job.".bytes().chain(job.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

#[cfg(test)]
mod tests {
    use super::lock_key;

    #[test]
    fn each_job_has_its_own_stable_key() {
        assert_eq!(lock_key("retention"), lock_key("retention"));
        assert_ne!(lock_key("retention"), lock_key("draft_purge"));
        assert_ne!(lock_key("draft_purge"), lock_key("vacancy_reminders"));
    }
}
