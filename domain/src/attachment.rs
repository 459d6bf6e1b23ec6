//! Files attached to an appeal (SPEC §2 «attachments», seed 003: «загрузить недостающие
//! документы через кнопку „Добавить файл“ … система автоматически меняет статус на „В
//! обработке“»). The applicant attaches while the appeal is open; an attachment that
//! answers a clarification request moves the appeal back to work through the appeal
//! machine itself, so the move is checked and recorded like any other.

use crate::appeal::{AppealStatus, Mover, Transition, TransitionError};

/// Why a file cannot be attached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    /// SPEC §2: a final appeal never changes, and nothing is added to it.
    #[error("the appeal is {status} and takes no more files")]
    Closed { status: AppealStatus },
}

impl AttachError {
    /// What the applicant reads.
    pub fn message(&self) -> String {
        match self {
            AttachError::Closed { status } => format!(
                "Обращение закрыто («{}»): файлы к нему больше не прикладываются",
                crate::Coded::title(*status)
            ),
        }
    }
}

/// What attaching a file does to an appeal in `status`: nothing to the status, or the
/// move the applicant's answer makes (clarification_required → in_progress).
pub fn on_attach(status: AppealStatus, file_name: &str) -> Result<Option<Transition>, AttachError> {
    if status.is_final() {
        return Err(AttachError::Closed { status });
    }
    if status != AppealStatus::ClarificationRequired {
        return Ok(None);
    }
    let comment = format!("Заявитель приложил файл «{file_name}»");
    status
        .transition(AppealStatus::InProgress, Some(&comment), Mover::Applicant)
        .map(Some)
        .map_err(|e| match e {
            // The machine allows this move to the applicant; anything else is a bug
            // in the machine, reported as the appeal being closed to change.
            TransitionError::Final { from }
            | TransitionError::NotAllowed { from, .. }
            | TransitionError::NotYours { from, .. } => AttachError::Closed { status: from },
            TransitionError::CommentRequired { .. } => AttachError::Closed { status },
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn every_status() {
        for &status in AppealStatus::ALL {
            let got = on_attach(status, "справка.pdf");
            match status {
                AppealStatus::Completed | AppealStatus::Rejected => {
                    assert_eq!(got, Err(AttachError::Closed { status }));
                    assert!(got.unwrap_err().message().contains("закрыто"));
                }
                AppealStatus::ClarificationRequired => {
                    let step = got.unwrap().unwrap();
                    assert_eq!(step.from, AppealStatus::ClarificationRequired);
                    assert_eq!(step.to, AppealStatus::InProgress);
                    assert_eq!(
                        step.comment.as_deref(),
                        Some("Заявитель приложил файл «справка.pdf»")
                    );
                }
                AppealStatus::Registered | AppealStatus::InProgress => {
                    assert_eq!(got, Ok(None));
                }
            }
        }
    }
}
