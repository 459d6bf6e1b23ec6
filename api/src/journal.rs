//! The journal's writer for reads. A staff member opening a citizen's card, an
//! employer opening a resume: each read leaves an entry, committed before the data is
//! handed out. Committing one row per read would make every such read a write
//! transaction of its own, queueing on SQLite's single writer and paying a flush on
//! PostgreSQL each time; instead a thread of each process writes the entries of all
//! reads that arrive together in one transaction (group commit), and each reader
//! waits for the commit that holds its entry. A failed commit fails those reads.

use persistence::audit::{self, Journaled, ReadEntry};
use persistence::Database;
use tokio::sync::{mpsc, oneshot};

use crate::problem::ApiError;

/// Entries written in one transaction, about (a page of a list may pass it).
const BATCH: usize = 256;
/// Reads waiting for the writer at most; more wait to be queued.
const QUEUE: usize = 4 * BATCH;

struct Pending {
    entries: Vec<ReadEntry>,
    done: oneshot::Sender<Result<(), String>>,
}

/// Hands reads' entries to the writer thread; cloned into every handler's state.
pub struct ReadJournal {
    queue: mpsc::Sender<Pending>,
}

impl ReadJournal {
    /// Starts the writer; it ends when the last `ReadJournal` is dropped.
    pub fn start(db: Database) -> std::io::Result<ReadJournal> {
        let (queue, waiting) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || write_batches(db, waiting))?;
        Ok(ReadJournal { queue })
    }

    /// Reads waiting for their entries to be taken by the writer (for the metrics).
    pub fn queued(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    /// The value read, once its entry is committed.
    pub async fn serve<T>(&self, read: Journaled<T>) -> Result<T, ApiError> {
        let (value, entries) = read.into_parts();
        if entries.is_empty() || cfg!(feature = "unjournaled-reads") {
            // Only in the binary `make bench` builds to measure what the journal costs.
            return Ok(value);
        }
        let (done, committed) = oneshot::channel();
        self.queue
            .send(Pending { entries, done })
            .await
            .map_err(|_| ApiError::Unavailable("the journal's writer has stopped".into()))?;
        match committed.await {
            Ok(Ok(())) => Ok(value),
            Ok(Err(cause)) => Err(ApiError::Unavailable(cause)),
            Err(_) => Err(ApiError::Unavailable(
                "the journal's writer has stopped".into(),
            )),
        }
    }
}

fn write_batches(db: Database, mut waiting: mpsc::Receiver<Pending>) {
    while let Some(first) = waiting.blocking_recv() {
        let mut entries = first.entries;
        let mut batch = vec![first.done];
        while entries.len() < BATCH {
            match waiting.try_recv() {
                Ok(next) => {
                    entries.extend(next.entries);
                    batch.push(next.done);
                }
                Err(_) => break,
            }
        }
        let outcome = db
            .conn()
            .and_then(|mut conn| audit::record_reads(&mut conn, &entries))
            .map_err(|e| {
                tracing::error!(error = %e, entries = entries.len(), "journal write failed");
                format!("the journal could not be written: {e}")
            });
        for done in batch {
            // A reader that gave up (its client went away) no longer listens.
            let _ = done.send(outcome.clone());
        }
    }
}
