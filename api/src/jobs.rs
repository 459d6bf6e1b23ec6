//! Background work of a running server, on plain threads beside the server's runtime:
//! one delivers the outbox (`mail.rs`); one posts webhook deliveries (`webhooks/`, on
//! a small runtime of its own, several receivers at once); the other announces new
//! vacancies to the owners of matching saved searches, delivers staff news to
//! employers, and runs the periodic jobs
//! (purging expired drafts, reminding employers to confirm old vacancies, deleting
//! personal data past its retention, merging SQLite's full-text index).
//!
//! Every piece is done once however many processes share the database: outbox
//! messages, webhook deliveries (`persistence::webhooks::claim`), pending
//! announcements and news are claimed before they are worked on
//! (`persistence::outbox::claim`, `persistence::vacancy_fanout::step`,
//! `persistence::news::step`), and a periodic
//! job's pass runs only in the process that moves its due time on
//! (`persistence::job_runs`). The threads end when the [`Jobs`] handle is dropped.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use persistence::job_runs::{self, Pass};
use persistence::retention::{self, Retention};
use persistence::{
    drafts, news, search_index, vacancies, vacancy_fanout, Database, DbConnection, StoreError,
};

use crate::mail::Mailer;
use crate::state::now;
use crate::webhooks::sender::Sender as WebhookSender;

/// How many saved searches of a vacancy's region, and as many of any region, one
/// transaction of its announcement reads (`vacancy_fanout::step`): a thousand
/// notifications at most, so that the write lock is not held for long (bench/RESULTS.md,
/// «Announcing a vacancy a step at a time»).
const FANOUT_STEP: i64 = 500;

/// How many employer accounts one transaction of staff news reaches (`news::step`).
const NEWS_STEP: i64 = 500;

/// How long a periodic job waits after its pass failed before trying again.
const RETRY_AFTER_FAILURE: TimeDelta = TimeDelta::minutes(1);

/// How often the background threads look for work.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Between two passes over the outbox.
    pub mail_every: Duration,
    /// Between two looks for pending announcements and due periodic jobs.
    pub jobs_every: Duration,
    /// Between two passes over the webhook outbox.
    pub webhooks_every: Duration,
    /// What the retention job deletes.
    pub retention: Retention,
}

/// Keeps the background threads running; they stop at their next wake once it is
/// dropped (with the server that owns it).
pub struct Jobs {
    _alive: Vec<Sender<()>>,
}

/// Starts the background threads.
pub fn start(
    db: Database,
    mailer: Mailer,
    hooks: WebhookSender,
    plan: Plan,
) -> std::io::Result<Jobs> {
    let (mail_alive, mail_stop) = mpsc::channel();
    let (jobs_alive, jobs_stop) = mpsc::channel();
    let (hooks_alive, hooks_stop) = mpsc::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let hooks_db = db.clone();
    let hooks_every = plan.webhooks_every;
    std::thread::Builder::new()
        .name("portal-webhooks".into())
        .spawn(move || loop {
            if let Err(e) = runtime.block_on(hooks.deliver_due(&hooks_db, now())) {
                tracing::warn!(error = %e, "webhook delivery pass failed");
            }
            if stopped(&hooks_stop, hooks_every) {
                break;
            }
        })?;
    let mail_db = db.clone();
    let mail_every = plan.mail_every;
    std::thread::Builder::new()
        .name("portal-mail".into())
        .spawn(move || loop {
            if let Err(e) = mailer.deliver_due(&mail_db, now()) {
                tracing::warn!(error = %e, "mail delivery pass failed");
            }
            if stopped(&mail_stop, mail_every) {
                break;
            }
        })?;
    std::thread::Builder::new()
        .name("portal-jobs".into())
        .spawn(move || run_jobs(&db, &plan, &jobs_stop))?;
    Ok(Jobs {
        _alive: vec![mail_alive, jobs_alive, hooks_alive],
    })
}

/// Waits `wait`; true once the [`Jobs`] handle is gone.
fn stopped(stop: &Receiver<()>, wait: Duration) -> bool {
    matches!(stop.recv_timeout(wait), Err(RecvTimeoutError::Disconnected))
}

/// A job that runs once per period across every process.
#[derive(Debug, Clone, Copy)]
enum Periodic {
    /// Expired drafts (already hidden from every list) are deleted.
    DraftPurge,
    /// Employers are reminded to confirm vacancies published long ago.
    VacancyReminders,
    /// Personal data past its retention is deleted (152-FZ).
    Retention,
    /// SQLite's full-text index of the vacancies is merged into one segment
    /// (`persistence::search_index`); nothing on PostgreSQL.
    SearchIndexMerge,
}

impl Periodic {
    const ALL: [Periodic; 4] = [
        Periodic::DraftPurge,
        Periodic::VacancyReminders,
        Periodic::Retention,
        Periodic::SearchIndexMerge,
    ];

    /// The name of its row in `job_runs`.
    fn name(self) -> &'static str {
        match self {
            Periodic::DraftPurge => "draft_purge",
            Periodic::VacancyReminders => "vacancy_reminders",
            Periodic::Retention => "retention",
            Periodic::SearchIndexMerge => "search_index_merge",
        }
    }

    fn every(self) -> TimeDelta {
        TimeDelta::hours(1)
    }

    fn run(self, db: &Database, retention: &Retention) {
        match self {
            Periodic::DraftPurge => {
                match db
                    .conn()
                    .and_then(|mut c| drafts::purge_expired(&mut c, now()))
                {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(purged = n, "expired drafts deleted"),
                    Err(e) => tracing::warn!(error = %e, "draft purge failed"),
                }
            }
            Periodic::VacancyReminders => {
                match db
                    .conn()
                    .and_then(|mut c| vacancies::remind_unconfirmed(&mut c, now()))
                {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(vacancies = n, "confirmation reminders sent"),
                    Err(e) => tracing::warn!(error = %e, "vacancy reminders failed"),
                }
            }
            Periodic::Retention => purge_past_retention(db, retention),
            Periodic::SearchIndexMerge => {
                match db.conn().and_then(|mut c| search_index::merge(&mut c)) {
                    Ok(0) => {}
                    Ok(steps) => tracing::info!(steps, "full-text index merged"),
                    Err(e) => tracing::warn!(error = %e, "full-text index not merged"),
                }
            }
        }
    }
}

fn run_jobs(db: &Database, plan: &Plan, stop: &Receiver<()>) {
    let runner = runner();
    // After a failed pass, when to try that job again.
    let mut retry: [Option<NaiveDateTime>; Periodic::ALL.len()] = [None; Periodic::ALL.len()];
    loop {
        drain(db, stop, "saved-search notifications", |c| {
            vacancy_fanout::step(c, now(), FANOUT_STEP)
        });
        drain(db, stop, "news to employers", |c| {
            news::step(c, now(), NEWS_STEP)
        });
        // One read tells which jobs are due; only those are claimed.
        match db.conn().and_then(|mut c| job_runs::all(&mut c)) {
            Ok(schedule) => {
                for (job, retry) in Periodic::ALL.into_iter().zip(retry.iter_mut()) {
                    let now = now();
                    let due = schedule
                        .iter()
                        .find(|r| r.name == job.name())
                        .is_none_or(|r| r.due_at <= now);
                    if due && retry.is_none_or(|at| at <= now) {
                        *retry = run_if_due(db, job, &runner, &plan.retention);
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "periodic jobs not checked"),
        }
        if stopped(stop, plan.jobs_every) {
            break;
        }
    }
}

/// Takes steps of one kind of background work (`step` returns whether it found one)
/// until none is left, a step fails (the next look tries again), or the server stops.
fn drain(
    db: &Database,
    stop: &Receiver<()>,
    work: &str,
    step: impl Fn(&mut DbConnection) -> Result<bool, StoreError>,
) {
    loop {
        match db.conn().and_then(|mut c| step(&mut c)) {
            Ok(true) if !stopped(stop, Duration::ZERO) => {}
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, work, "background work failed");
                return;
            }
        }
    }
}

/// Runs the job's pass if it is due and no other process runs it; after a failure
/// returns when to try again.
fn run_if_due(
    db: &Database,
    job: Periodic,
    runner: &str,
    retention: &Retention,
) -> Option<NaiveDateTime> {
    let started = now();
    let outcome = db.conn().and_then(|mut conn| {
        job_runs::run_if_due(&mut conn, job.name(), job.every(), runner, started, || {
            job.run(db, retention)
        })
    });
    match outcome {
        Ok(Pass::Ran(())) => {
            tracing::debug!(job = job.name(), "periodic job ran");
            None
        }
        Ok(Pass::NotBefore(_) | Pass::Busy) => None,
        Err(e) => {
            tracing::warn!(job = job.name(), error = %e, "periodic job not run");
            Some(started + RETRY_AFTER_FAILURE)
        }
    }
}

/// Names this process in `job_runs`: the host and the process id.
fn runner() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    format!("{host}#{}", std::process::id())
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
            throttle_budgets = purged.throttle_budgets,
            webhook_deliveries = purged.webhook_deliveries,
            password_resets = purged.password_resets,
            esia_logins = purged.esia_logins,
            "data past retention deleted"
        ),
        Err(e) => tracing::warn!(error = %e, "retention purge failed"),
    }
}
