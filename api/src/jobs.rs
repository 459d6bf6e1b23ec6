//! Background work of a running server, on one plain thread so it needs no async
//! runtime: delivering the outbox, purging expired drafts, reminding employers to
//! confirm old vacancies.

use std::time::{Duration, Instant};

use persistence::{drafts, vacancies, Database};

use crate::mail::Mailer;
use crate::state::now;

/// How often the hourly chores run: expired drafts (already hidden from every list) are
/// deleted and vacancy reminders go out.
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
                    match db
                        .conn()
                        .and_then(|mut c| vacancies::remind_unconfirmed(&mut c, now()))
                    {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(vacancies = n, "confirmation reminders sent"),
                        Err(e) => tracing::warn!(error = %e, "vacancy reminders failed"),
                    }
                    last_purge = Some(Instant::now());
                }
                std::thread::sleep(interval);
            }
        })
        .map(|_| ())
}
