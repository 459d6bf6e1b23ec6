//! The change feed's receiving end: the one place what this process remembers is
//! invalidated, and where live event streams wake.
//!
//! Every committed write records what it changed (`persistence::feed`). The changes
//! reach [`Feed::apply`] twice over on PostgreSQL, once on SQLite:
//!
//! - from this process's own commits, synchronously on the thread that committed,
//!   before the request is answered (so a client sees its own write at once);
//! - on PostgreSQL, from every process's commits (this one's too) as `NOTIFY`
//!   messages on the listener's own connection ([`listen`]). A change applied twice
//!   only costs a recount.
//!
//! Applying a change moves the generations remembered search pages and totals are filed under
//! (`remembered/changes.rs`), drops the checked sessions it concerns (`auth/sessions.rs`), and
//! hands it to the live streams (`routes/events.rs`). No handler touches a cache.

pub mod listen;
mod tls;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use domain::change::Change;
use tokio::sync::broadcast;

use crate::auth::sessions::SessionCache;
use crate::remembered::Changes;

/// Batches of changes a slow stream may fall behind by before it is told it lagged
/// (it then reads everything afresh).
const BACKLOG: usize = 1024;

/// What this process remembers, and the live streams' channel.
pub struct Feed {
    changes: Changes,
    sessions: SessionCache,
    streams: broadcast::Sender<Arc<[Change]>>,
    /// Whether the PostgreSQL listener has been on at least once since the start.
    listened: AtomicBool,
}

impl Feed {
    pub fn new(changes: Changes, sessions: SessionCache) -> Arc<Feed> {
        Arc::new(Feed {
            changes,
            sessions,
            streams: broadcast::channel(BACKLOG).0,
            listened: AtomicBool::new(false),
        })
    }

    /// Applies committed changes to everything remembered, then wakes the streams.
    pub fn apply(&self, changes: &[Change]) {
        for change in changes {
            self.changes.apply(change);
            self.sessions.apply(change);
        }
        // No stream listening is not an error.
        let _ = self.streams.send(changes.into());
    }

    /// The listener lost its connection: changes may go unheard until it is back, so
    /// nothing remembered is trusted meanwhile.
    pub fn lost(&self) {
        self.changes.set_live(false);
        self.sessions.set_live(false);
        let _ = self.streams.send([Change::Everything].into());
    }

    /// The listener is (back) on: whatever was missed, everything remembered before
    /// now is dropped, and memory is trusted again.
    pub fn connected(&self) {
        self.apply(&[Change::Everything]);
        self.changes.set_live(true);
        self.sessions.set_live(true);
        self.listened.store(true, Ordering::SeqCst);
    }

    /// Whether the listener has been on since the process started: until then the
    /// process hears nothing of the others' writes.
    pub fn has_listened(&self) -> bool {
        self.listened.load(Ordering::SeqCst)
    }

    /// The changes committed from now on, for a live stream.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<[Change]>> {
        self.streams.subscribe()
    }
}

/// This process's own commits, told by persistence right after each commit.
impl persistence::feed::Sink for Feed {
    fn committed(&self, changes: &[Change]) {
        self.apply(changes);
    }
}
