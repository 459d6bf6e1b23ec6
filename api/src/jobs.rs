//! Background work of a running server, on one plain thread so it needs no async
//! runtime: delivering the outbox, purging expired drafts, reminding employers to
//! confirm old vacancies, deleting personal data past its retention.

use std::time::{Duration, Instant};

use persistence::retention::{self, Retention};
use persistence::{drafts, vacancies, Database};

use crate::mail::Mailer;
use crate::state::now;

/// How often the hourly chores run: expired drafts (already hidden from every list) are
/// deleted and vacancy reminders go out.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub fn start(
    db: Database,
    mailer: Mailer,
    interval: Duration,
    retention: Retention,
) -> std::io::Result<()> {
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
                    purge_past_retention(&db, &retention);
                    last_purge = Some(Instant::now());
                }
                std::thread::sleep(interval);
            }
        })
        .map(|_| ())
}

/// Deletes the journal entries, ended sessions, sent mail and read notifications that
/// `retention` no longer keeps (152-FZ).
pub fn purge_past_retention(db: &Database, retention: &Retention) {
    match db
        .conn()
        .and_then(|mut c| retention::purge(&mut c, retention, now()))
    {
        Ok(purged) if purged.total() == 0 => {}
        Ok(purged) => tracing::info!(
            audit_events = purged.audit_events,
            sessions = purged.sessions,
            refresh_tokens = purged.refresh_tokens,
            sent_mail = purged.sent_mail,
            read_notifications = purged.read_notifications,
            "data past retention deleted"
        ),
        Err(e) => tracing::warn!(error = %e, "retention purge failed"),
    }
}
