//! SQLite's writes, committed in groups.
//!
//! SQLite lets one connection write at a time, and a commit costs more than the
//! statements in it: every page the write touched goes to the write-ahead log whole,
//! and every other connection's next read drops its page cache and memory map on
//! finding the log moved. Requests that write at once queued for the lock one by one,
//! each paying all of that (bench/RESULTS.md, «Where a miss's time goes»).
//!
//! So on SQLite the writes of concurrent requests are combined. A request's write
//! joins a queue; the first caller to find no group running leads one: on its own
//! connection it takes the write lock (`BEGIN IMMEDIATE`), runs every queued write in
//! turn, each in a savepoint of its own, commits them all at once, publishes what they
//! changed (`feed`) and wakes their callers. Writes queued meanwhile make the next
//! group, led by one of their callers.
//!
//! For a caller nothing changes: `db::write` returns when its write is committed, with
//! its own result. A write that fails (or panics) rolls back to its savepoint and
//! fails alone, its changes unpublished; a commit that fails fails the whole group.
//! The writes of a group run one after another, as they would have taken the lock,
//! and each sees those before it, as it would have after their commits. A write must
//! not start another through a second connection (it would wait for its own group):
//! that fails at once; a write inside a write uses the connection it was given.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::Connection;
use domain::change::Change;

use crate::{DbConnection, StoreError};

type Manager = <DbConnection as Connection>::TransactionManager;

thread_local! {
    /// Whether this thread is running a group: a write it starts now, on another
    /// connection, would wait for the group it is part of.
    static LEADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The writes waiting for a group, and whether one is running. One per database.
#[derive(Default)]
pub(crate) struct Groups {
    queue: Mutex<Queue>,
    /// Signalled when a group ends.
    ended: Condvar,
    /// Writes and groups run so far (for the metrics).
    writes: AtomicU64,
    groups: AtomicU64,
}

impl std::fmt::Debug for Groups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (writes, groups) = self.counts();
        write!(f, "Groups {{ writes: {writes}, groups: {groups} }}")
    }
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Queued>,
    /// Every write numbered below this is done.
    done_below: u64,
    /// The number the next queued write gets.
    next: u64,
    /// Whether a caller is running a group.
    leading: bool,
}

/// A queued write, where its caller keeps it.
struct Queued(*mut (dyn Write + 'static));

// SAFETY: what the pointer reaches is `Send` (see `Write`), and its caller does not
// touch it from when it is queued until it is marked done, so only one thread uses it
// at a time; the queue's mutex orders the leader's writes before the caller's reads.
unsafe impl Send for Queued {}

/// One write of a group, its types erased.
trait Write: Send {
    /// Runs the write in a savepoint of the group's transaction. An error means the
    /// savepoint could be neither released nor rolled back: the group cannot go on.
    fn run(&mut self, conn: &mut DbConnection) -> Result<(), StoreError>;
    /// The group did not commit: a write that succeeded fails with `error`.
    fn fail(&mut self, error: &StoreError);
    /// What the write changed, if it succeeded, to publish after the commit.
    fn changes(&mut self) -> Vec<Change>;
}

/// A write and, once run, its outcome.
struct Slot<F, T, E> {
    work: Option<F>,
    outcome: Option<std::thread::Result<Result<T, E>>>,
    changes: Vec<Change>,
}

impl<F, T, E> Write for Slot<F, T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    T: Send,
    E: From<StoreError> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) -> Result<(), StoreError> {
        let Some(work) = self.work.take() else {
            return Ok(());
        };
        if let Err(e) = Manager::begin_transaction(conn) {
            self.outcome = Some(Ok(Err(StoreError::from(e).into())));
            return Ok(());
        }
        crate::feed::begin(conn);
        let outcome = catch_unwind(AssertUnwindSafe(|| work(&mut *conn)));
        let succeeded = matches!(outcome, Ok(Ok(_)));
        let changes = crate::feed::take(conn);
        let kept = if succeeded {
            Manager::commit_transaction(conn)
        } else {
            Manager::rollback_transaction(conn)
        };
        self.outcome = Some(outcome);
        match kept {
            Ok(()) if succeeded => {
                self.changes = changes;
                Ok(())
            }
            Ok(()) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn fail(&mut self, error: &StoreError) {
        self.changes.clear();
        if !matches!(self.outcome, Some(Err(_)) | Some(Ok(Err(_)))) {
            self.outcome = Some(Ok(Err(uncommitted(error).into())));
        }
    }

    fn changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }
}

/// What a write of a group that did not commit fails with.
fn uncommitted(error: &StoreError) -> StoreError {
    match error {
        StoreError::Unavailable(message) => StoreError::Unavailable(message.clone()),
        other => StoreError::Unavailable(format!("the write was not committed: {other}")),
    }
}

impl Groups {
    /// Runs `work` in the next group and returns its result once the group committed.
    /// `conn` is the caller's, used if the caller comes to lead a group.
    pub(crate) fn write<F, T, E>(&self, conn: &mut DbConnection, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send,
        T: Send,
        E: From<StoreError> + Send,
    {
        if LEADING.with(std::cell::Cell::get) {
            // A write begun inside another through a second connection: it would
            // wait forever for the group running it. A write inside a write takes the
            // connection it was given.
            return Err(StoreError::Query(diesel::result::Error::AlreadyInTransaction).into());
        }
        let mut slot = Slot {
            work: Some(work),
            outcome: None,
            changes: Vec::new(),
        };
        let queued: *mut (dyn Write + '_) = &mut slot;
        // SAFETY: only the lifetime is erased. This function returns only once the
        // write is marked done, and no one reaches it through the pointer after that.
        let queued: *mut (dyn Write + 'static) = unsafe { std::mem::transmute(queued) };
        let mut queue = self.lock();
        let number = queue.next;
        queue.next += 1;
        queue.waiting.push(Queued(queued));
        while queue.done_below <= number {
            if queue.leading {
                queue = self
                    .ended
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            queue.leading = true;
            let group = std::mem::take(&mut queue.waiting);
            drop(queue);
            self.lead(conn, group);
            queue = self.lock();
        }
        drop(queue);
        match slot.outcome.take() {
            Some(Ok(result)) => result,
            Some(Err(panic)) => resume_unwind(panic),
            None => Err(StoreError::Unavailable("the write's group was abandoned".into()).into()),
        }
    }

    /// How many writes ran so far, and in how many groups (commits).
    pub(crate) fn counts(&self) -> (u64, u64) {
        (
            self.writes.load(Ordering::Relaxed),
            self.groups.load(Ordering::Relaxed),
        )
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `group` in one transaction on `conn`, publishes what its writes changed
    /// and marks them done, even if this panics.
    fn lead(&self, conn: &mut DbConnection, group: Vec<Queued>) {
        let _done = Done {
            groups: self,
            count: group.len() as u64,
        };
        LEADING.with(|leading| leading.set(true));
        self.writes.fetch_add(group.len() as u64, Ordering::Relaxed);
        self.groups.fetch_add(1, Ordering::Relaxed);
        // SAFETY: see `Queued`; the group's callers wait until `_done` is dropped.
        let mut writes: Vec<&mut dyn Write> = group
            .iter()
            .map(|queued| unsafe { &mut *queued.0 })
            .collect();
        match run_group(conn, &mut writes) {
            Ok(()) => {
                let changes: Vec<Change> = writes.iter_mut().flat_map(|w| w.changes()).collect();
                if let Some(state) = crate::db::ConnState::of(conn) {
                    state.pending.hub().deliver(&changes);
                }
            }
            Err(e) => writes.iter_mut().for_each(|w| w.fail(&e)),
        }
    }
}

/// Marks a group's writes done and lets the next group start.
struct Done<'a> {
    groups: &'a Groups,
    count: u64,
}

impl Drop for Done<'_> {
    fn drop(&mut self) {
        LEADING.with(|leading| leading.set(false));
        let mut queue = self.groups.lock();
        queue.done_below += self.count;
        queue.leading = false;
        drop(queue);
        self.groups.ended.notify_all();
    }
}

/// The group's transaction: every write in its savepoint, then one commit.
fn run_group(conn: &mut DbConnection, writes: &mut [&mut dyn Write]) -> Result<(), StoreError> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(StoreError::Unavailable(
            "writes are grouped on SQLite only".into(),
        ));
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    for write in writes.iter_mut() {
        if let Err(e) = write.run(conn) {
            let _ = Manager::rollback_transaction(conn);
            return Err(e);
        }
    }
    if let Err(e) = Manager::commit_transaction(conn) {
        let _ = Manager::rollback_transaction(conn);
        return Err(e.into());
    }
    Ok(())
}
