//! Background work of a running server, on one plain thread so it needs no async
//! runtime: delivering the outbox and purging expired drafts.

use std::time::{Duration, Instant};

use persistence::{drafts, Database};

use crate::mail::Mailer;
use crate::state::now;

/// How often expired drafts are deleted (they are already hidden from every list).
const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub fn start(db: Database, mailer: Mailer, interval: Duration) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("portal-jobs".into())
        .spawn(move || {
            let mut last_purge: Option<Instant> = None;
            loop {
                if let Err(e) = mailer.deliver_due(&db) {
                    tracing::warn!(error = %e, "mail delivery pass failed");
                }
                if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
                    match db
                        .conn()
                        .and_then(|mut c| drafts::purge_expired(&mut c, now()))
                    {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(purged = n, "expired drafts deleted"),
                        Err(e) => tracing::warn!(error = %e, "draft purge failed"),
                    }
                    last_purge = Some(Instant::now());
                }
                std::thread::sleep(interval);
            }
        })
        .map(|_| ())
}
