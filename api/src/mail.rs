//! Delivers queued e-mail (the outbox) over SMTP, to `.eml` files, or (in demo mode
//! or when asked for with `PORTAL_MAIL_LOG`) to the log. Each pass claims a batch
//! first (`outbox::claim`), so several processes on one database never send a message
//! twice.

use chrono::{NaiveDateTime, TimeDelta};
use domain::backoff::Retry;
use domain::notification::Channel;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use persistence::{outbox, Database, StoreError};

use crate::config::MailSettings;

/// How many messages one pass claims at most.
const BATCH: i64 = 50;

/// How long before its claim runs out a pass stops sending: a message started later
/// might still be on its way (an SMTP server may take a minute to answer) when another
/// process claims it again, and go out twice.
const LEASE_MARGIN: TimeDelta = TimeDelta::minutes(2);

/// Whether a pass that has run for `elapsed` may still send a message of its claim.
fn within_claim(elapsed: std::time::Duration) -> bool {
    TimeDelta::from_std(elapsed).is_ok_and(|e| e < outbox::LEASE - LEASE_MARGIN)
}

/// Why the server does not start without a mail sink.
pub const NO_SINK: &str = "no mail sink: set PORTAL_SMTP_URL (an SMTP server) or \
     PORTAL_MAIL_DIR (a folder for .eml files); PORTAL_MAIL_LOG=1 writes e-mail to the \
     log and marks it sent, which loses it (for development only)";

enum Sink {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
    Log,
}

pub struct Mailer {
    sink: Sink,
    from: Mailbox,
}

impl Mailer {
    /// A sink as configured. With neither SMTP nor a mail folder, mail would only be
    /// logged and marked sent, so it is lost: that is refused unless `demo` or
    /// `PORTAL_MAIL_LOG` asks for it.
    pub fn new(settings: &MailSettings, demo: bool) -> Result<Mailer, String> {
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|e| format!("PORTAL_MAIL_FROM is not an address: {e}"))?;
        let sink = match (&settings.smtp_url, &settings.mail_dir) {
            (Some(url), _) => Sink::Smtp(Box::new(
                SmtpTransport::from_url(url)
                    .map_err(|e| format!("PORTAL_SMTP_URL is not usable: {e}"))?
                    .build(),
            )),
            (None, Some(dir)) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Sink::Files(FileTransport::new(dir))
            }
            (None, None) if settings.mail_log || demo => Sink::Log,
            (None, None) => return Err(NO_SINK.into()),
        };
        Ok(Mailer { sink, from })
    }

    fn send(&self, message: &outbox::Message) -> Result<(), String> {
        if let Sink::Log = self.sink {
            // The address and the body are personal data: only at debug level.
            tracing::info!(id = %message.id, "e-mail written to the log only (PORTAL_MAIL_LOG)");
            tracing::debug!(to = %message.recipient, subject = %message.subject, body = %message.body, "e-mail");
            return Ok(());
        }
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| e.to_string())?;
        match &self.sink {
            Sink::Smtp(t) => t.send(&email).map(|_| ()).map_err(|e| e.to_string()),
            Sink::Files(t) => t.send(&email).map(|_| ()).map_err(|e| e.to_string()),
            Sink::Log => Ok(()),
        }
    }

    /// Claims what is due at `now` and sends it; a failure is recorded on the message,
    /// which is retried later or, after `outbox::MAX_ATTEMPTS`, set aside. Returns how
    /// many were sent.
    pub fn deliver_due(&self, db: &Database, now: NaiveDateTime) -> Result<usize, StoreError> {
        let mut conn = db.conn()?;
        let started = std::time::Instant::now();
        let claimed = outbox::claim(&mut conn, Channel::Email, now, BATCH)?;
        let mut sent = 0;
        for (n, message) in claimed.iter().enumerate() {
            if !within_claim(started.elapsed()) {
                // Slow sends ate the claim: give the rest back for the next pass.
                let rest: Vec<&str> = claimed[n..].iter().map(|m| m.id.as_str()).collect();
                outbox::release(&mut conn, &rest)?;
                tracing::warn!(
                    left = rest.len(),
                    "e-mail pass stopped before its claim ran out"
                );
                break;
            }
            match self.send(message) {
                Ok(()) => {
                    outbox::mark_sent(&mut conn, &message.id, now)?;
                    sent += 1;
                }
                Err(error) => match outbox::mark_failed(&mut conn, message, &error, now)? {
                    Retry::At(at) => {
                        tracing::warn!(id = %message.id, %error, retry_at = %at, "e-mail not delivered; will retry")
                    }
                    Retry::GiveUp => {
                        tracing::error!(id = %message.id, %error, attempts = message.attempts + 1, "e-mail not delivered; given up (dead letter)")
                    }
                },
            }
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{within_claim, Mailer, NO_SINK};
    use crate::config::MailSettings;

    #[test]
    fn a_pass_stops_sending_well_before_its_claim_runs_out() {
        assert!(within_claim(Duration::ZERO));
        assert!(within_claim(Duration::from_secs(179)));
        assert!(!within_claim(Duration::from_secs(180)));
        assert!(!within_claim(Duration::from_secs(3_600)));
    }

    fn settings(mail_log: bool) -> MailSettings {
        MailSettings {
            mail_from: "Портал <noreply@portal.localhost>".into(),
            mail_log,
            ..MailSettings::default()
        }
    }

    #[test]
    fn mail_goes_to_the_log_only_when_asked_to() {
        assert_eq!(
            Mailer::new(&settings(false), false).err().as_deref(),
            Some(NO_SINK)
        );
        assert!(Mailer::new(&settings(true), false).is_ok());
        assert!(Mailer::new(&settings(false), true).is_ok(), "demo mode");
        let dir = tempfile::tempdir().unwrap();
        let files = MailSettings {
            mail_dir: Some(dir.path().to_owned()),
            ..settings(false)
        };
        assert!(Mailer::new(&files, false).is_ok());
    }
}
