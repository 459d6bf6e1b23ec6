//! The change feed's writing end: every use case records what it changed
//! ([`record`]) inside its own transaction, and the feed publishes it once, with the
//! transaction.
//!
//! - On PostgreSQL the changes go out as `NOTIFY` on [`CHANNEL`], issued in the
//!   writing transaction just before it commits: PostgreSQL delivers them to every
//!   listening process at commit, and never for a transaction that rolled back. Each
//!   process listens on a connection of its own (the api crate's `feed::listen`).
//! - In this process they go to the [`Hub`]'s sinks right after the commit, on
//!   either backend: a process sees its own writes at once, and on SQLite, which
//!   serves one process, this is the whole feed.
//!
//! What a connection has recorded in its open write is kept beside the connection
//! (its Diesel instrumentation, [`ConnState`]), so nothing is shared between requests.
//! A change recorded outside [`crate::db::write`] (a single statement in autocommit)
//! is published at once.

use std::sync::{Arc, RwLock};

use diesel::prelude::*;
use domain::change::{encode_batch, Change};

use crate::db::ConnState;
use crate::{DbConnection, StoreError};

/// The `LISTEN`/`NOTIFY` channel of the feed.
pub const CHANNEL: &str = "portal_feed";

/// A `NOTIFY` payload must stay under 8000 bytes; one of ours stays well under.
const PAYLOAD_LIMIT: usize = 7_000;

/// Messages one transaction sends at most; a larger batch is sent as "everything".
const MAX_MESSAGES: usize = 8;

/// Told of every batch of changes this process committed.
pub trait Sink: Send + Sync {
    fn committed(&self, changes: &[Change]);
}

/// Where this process's committed changes go: shared by the pool's connections.
#[derive(Clone, Default)]
pub struct Hub {
    sinks: Arc<RwLock<Vec<Arc<dyn Sink>>>>,
}

impl Hub {
    /// Adds a sink; it hears of every change committed from now on.
    pub fn subscribe(&self, sink: Arc<dyn Sink>) {
        if let Ok(mut sinks) = self.sinks.write() {
            sinks.push(sink);
        }
    }

    pub(crate) fn deliver(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        let sinks = match self.sinks.read() {
            Ok(sinks) => sinks.clone(),
            Err(_) => return,
        };
        for sink in sinks {
            sink.committed(changes);
        }
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hub")
    }
}

/// What one connection has recorded in the write it has open.
pub(crate) struct Pending {
    /// Open [`crate::db::write`]s (one, unless a use case nests them).
    depth: u32,
    changes: Vec<Change>,
    hub: Hub,
}

impl Pending {
    pub(crate) fn new(hub: &Hub) -> Pending {
        Pending {
            depth: 0,
            changes: Vec::new(),
            hub: hub.clone(),
        }
    }

    /// Where the connection's committed changes go.
    pub(crate) fn hub(&self) -> &Hub {
        &self.hub
    }
}

/// Records `change` as made by the write running on `conn`: published with its
/// commit, dropped with its rollback. Outside a write it is published at once.
pub fn record(conn: &mut DbConnection, change: Change) -> Result<(), StoreError> {
    if let Some(state) = ConnState::of(conn) {
        if state.pending.depth > 0 {
            state.pending.changes.push(change);
            return Ok(());
        }
    }
    let changes = [change];
    notify(conn, &changes)?;
    if let Some(state) = ConnState::of(conn) {
        state.pending.hub.deliver(&changes);
    }
    Ok(())
}

/// [`record`] for several changes.
pub fn record_all(
    conn: &mut DbConnection,
    changes: impl IntoIterator<Item = Change>,
) -> Result<(), StoreError> {
    changes
        .into_iter()
        .try_for_each(|change| record(conn, change))
}

/// A write begins on `conn`.
pub(crate) fn begin(conn: &mut DbConnection) {
    if let Some(state) = ConnState::of(conn) {
        if state.pending.depth == 0 {
            state.pending.changes.clear();
        }
        state.pending.depth += 1;
    }
}

/// The outermost write is about to commit: on PostgreSQL its changes go out as
/// notifications inside it.
pub(crate) fn before_commit(conn: &mut DbConnection) -> Result<(), StoreError> {
    let changes = match ConnState::of(conn) {
        Some(state) if state.pending.depth == 1 && !state.pending.changes.is_empty() => {
            std::mem::take(&mut state.pending.changes)
        }
        _ => return Ok(()),
    };
    let sent = notify(conn, &changes);
    if let Some(state) = ConnState::of(conn) {
        state.pending.changes = changes;
    }
    sent
}

/// A write ended, committed or not: the outermost one hands what it committed to the
/// hub.
pub(crate) fn end(conn: &mut DbConnection, committed: bool) {
    let Some(state) = ConnState::of(conn) else {
        return;
    };
    state.pending.depth = state.pending.depth.saturating_sub(1);
    if state.pending.depth > 0 {
        return;
    }
    let changes = std::mem::take(&mut state.pending.changes);
    if committed {
        state.pending.hub.deliver(&changes);
    }
}

/// A write ended and its caller publishes what it changed itself (a group of writes,
/// `crate::group_commit`): the outermost one's changes, taken rather than delivered.
pub(crate) fn take(conn: &mut DbConnection) -> Vec<Change> {
    let Some(state) = ConnState::of(conn) else {
        return Vec::new();
    };
    state.pending.depth = state.pending.depth.saturating_sub(1);
    if state.pending.depth > 0 {
        return Vec::new();
    }
    std::mem::take(&mut state.pending.changes)
}

/// Sends `changes` as `NOTIFY` on PostgreSQL, all in one statement; nothing on SQLite.
fn notify(conn: &mut DbConnection, changes: &[Change]) -> Result<(), StoreError> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    let messages = encode_batch(changes, PAYLOAD_LIMIT, MAX_MESSAGES);
    if messages.is_empty() {
        return Ok(());
    }
    diesel::sql_query("SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m")
        .bind::<diesel::sql_types::Text, _>(CHANNEL)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(messages)
        .execute(pg)?;
    Ok(())
}

/// Publishes "anything may have changed" at once, outside any write: after a bulk
/// load or an edit made behind the use cases' back.
pub fn everything(conn: &mut DbConnection) -> Result<(), StoreError> {
    record(conn, Change::Everything)
}
