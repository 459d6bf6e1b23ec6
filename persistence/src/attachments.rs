//! Files attached to appeals (SPEC §2, seed 003). Whoever sees the appeal sees its
//! attachments; only its applicant attaches, while it is open. An attachment that
//! answers a clarification request moves the appeal back to work through
//! [`crate::appeals::transition`] — the one path that writes an appeal's history,
//! tells the applicant and retires what the server remembers — once the attachment
//! is committed. (That path is a transaction of its own; should the appeal have moved
//! meanwhile, the file stays attached and the appeal keeps the newer status.)

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::attachment::{on_attach, AttachError};

use crate::appeals::{self, Appeal, AppealError};
use crate::files::{self, FileRow, NewFile, Purpose, StoredFile};
use crate::schema::{appeal_attachments, files as files_table};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

/// One attached file.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: String,
    pub appeal_id: String,
    pub created_at: NaiveDateTime,
    pub file: StoredFile,
}

/// Why an attachment was refused.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    /// The appeal is someone else's: only its applicant adds files.
    #[error("only the applicant attaches files")]
    NotApplicant,
    #[error(transparent)]
    Rule(#[from] AttachError),
    #[error(transparent)]
    Appeal(#[from] AppealError),
}

impl From<StoreError> for AttachmentError {
    fn from(e: StoreError) -> Self {
        AttachmentError::Appeal(AppealError::from(e))
    }
}

impl From<diesel::result::Error> for AttachmentError {
    fn from(e: diesel::result::Error) -> Self {
        AttachmentError::Appeal(AppealError::from(e))
    }
}

/// Whether `actor` may attach a file to the appeal now: asked before an upload is
/// read, so that a file nobody may attach is never stored. [`attach`] asks again.
pub fn may_attach(
    conn: &mut DbConnection,
    actor: &Actor,
    appeal_id: &str,
) -> Result<(), AttachmentError> {
    let appeal = appeals::get(conn, actor, appeal_id)?;
    if appeal.applicant_id != actor.user_id {
        return Err(AttachmentError::NotApplicant);
    }
    on_attach(appeal.status, "")?;
    Ok(())
}

/// Attaches a stored file to the applicant's open appeal; returns the attachment and
/// the appeal as it stands afterwards.
pub fn attach(
    conn: &mut DbConnection,
    actor: &Actor,
    appeal_id: &str,
    file: &NewFile,
    now: NaiveDateTime,
) -> Result<(Attachment, Appeal), AttachmentError> {
    let (attachment, step) = db::write(conn, |conn| {
        let appeal = appeals::get(conn, actor, appeal_id)?;
        if appeal.applicant_id != actor.user_id {
            return Err(AttachmentError::NotApplicant);
        }
        let step = on_attach(appeal.status, &file.name)?;
        let stored = files::insert(conn, &actor.user_id, Purpose::AppealAttachment, file, now)?;
        let id = new_id();
        diesel::insert_into(appeal_attachments::table)
            .values((
                appeal_attachments::id.eq(&id),
                appeal_attachments::appeal_id.eq(appeal_id),
                appeal_attachments::file_id.eq(&stored.id),
                appeal_attachments::created_at.eq(now),
            ))
            .execute(conn)?;
        let attachment = Attachment {
            id,
            appeal_id: appeal_id.to_owned(),
            created_at: now,
            file: stored,
        };
        Ok::<_, AttachmentError>((attachment, step))
    })?;
    if let Some(step) = step {
        match appeals::transition(
            conn,
            actor,
            appeal_id,
            step.to,
            step.comment.as_deref(),
            now,
        ) {
            Ok(appeal) => return Ok((attachment, appeal)),
            Err(AppealError::Transition(_) | AppealError::Concurrent) => {
                tracing::info!(appeal_id, "the appeal moved before the attachment's answer");
            }
            Err(other) => return Err(other.into()),
        }
    }
    let appeal = appeals::get(conn, actor, appeal_id)?;
    Ok((attachment, appeal))
}

/// The appeal's attachments, oldest first, for anyone who sees the appeal.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    appeal_id: &str,
) -> Result<Vec<Attachment>, AttachmentError> {
    appeals::get(conn, actor, appeal_id)?;
    let rows: Vec<(String, NaiveDateTime, FileRow)> = appeal_attachments::table
        .inner_join(files_table::table)
        .filter(appeal_attachments::appeal_id.eq(appeal_id))
        .order((
            appeal_attachments::created_at.asc(),
            appeal_attachments::id.asc(),
        ))
        .select((
            appeal_attachments::id,
            appeal_attachments::created_at,
            FileRow::as_select(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, created_at, file)| {
            Ok(Attachment {
                id,
                appeal_id: appeal_id.to_owned(),
                created_at,
                file: file.try_into()?,
            })
        })
        .collect()
}

/// One attachment of an appeal the actor sees.
pub fn get(
    conn: &mut DbConnection,
    actor: &Actor,
    appeal_id: &str,
    id: &str,
) -> Result<Attachment, AttachmentError> {
    list(conn, actor, appeal_id)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AttachmentError::Appeal(AppealError::NotFound))
}
