//! Delivers queued e-mail (the outbox) over SMTP, to `.eml` files, or to the log.

use lettre::message::{header::ContentType, Mailbox};
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use persistence::{outbox, Database, StoreError};

use crate::config::MailSettings;
use crate::state::now;

/// How many messages one pass sends at most.
const BATCH: i64 = 50;

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
    pub fn new(settings: &MailSettings) -> Result<Mailer, String> {
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
            (None, None) => Sink::Log,
        };
        Ok(Mailer { sink, from })
    }

    fn send(&self, message: &outbox::Message) -> Result<(), String> {
        if let Sink::Log = self.sink {
            // The body holds personal data: only at debug level.
            tracing::info!(to = %message.recipient, subject = %message.subject, "e-mail (no SMTP configured)");
            tracing::debug!(body = %message.body, "e-mail body");
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

    /// Sends what is due; a failure is recorded on the message and retried later.
    pub fn deliver_due(&self, db: &Database) -> Result<usize, StoreError> {
        let mut conn = db.conn()?;
        let due = outbox::due(
            &mut conn,
            domain::notification::Channel::Email,
            now(),
            BATCH,
        )?;
        let mut sent = 0;
        for message in &due {
            match self.send(message) {
                Ok(()) => {
                    outbox::mark_sent(&mut conn, &message.id, now())?;
                    sent += 1;
                }
                Err(error) => {
                    tracing::warn!(id = %message.id, %error, "e-mail not delivered; will retry");
                    outbox::mark_failed(&mut conn, message, &error, now())?;
                }
            }
        }
        Ok(sent)
    }
}
