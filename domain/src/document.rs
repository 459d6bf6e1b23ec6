//! A citizen's documents and their review by the centre (SPEC §7, seed 002 «Загрузка и
//! хранение сканов документов»): each upload is checked by staff of the citizen's
//! centre; a rejected one carries its reason and is replaced by a new upload, which
//! keeps the rejected one in the history.

use serde::{Deserialize, Serialize};

/// What a document is (a dictionary, `document_kinds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    EmploymentRecord,
    Education,
    IncomeCertificate,
    Other,
}

crate::coded_enum!(DocumentKind {
    Passport => ("passport", "Паспорт"),
    EmploymentRecord => ("employment_record", "Трудовая книжка или сведения о трудовой деятельности"),
    Education => ("education", "Документ об образовании"),
    IncomeCertificate => ("income_certificate", "Справка о доходах"),
    Other => ("other", "Иной документ"),
});

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    OnReview,
    Accepted,
    Rejected,
}

crate::coded_enum!(DocumentStatus {
    OnReview => ("on_review", "На проверке"),
    Accepted => ("accepted", "Принят"),
    Rejected => ("rejected", "Отклонён"),
});

/// Why a review or a replacement was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Only a document on review is decided; a decision is never taken back.
    #[error("the document is {from} and is no longer on review")]
    AlreadyReviewed { from: DocumentStatus },
    /// A review decides: it accepts or rejects.
    #[error("a review cannot set {to}")]
    NotADecision { to: DocumentStatus },
    /// A rejection tells the citizen what to fix.
    #[error("a rejection needs a reason")]
    ReasonRequired,
    /// Only a rejected document is replaced; the others stand as they are.
    #[error("only a rejected document is replaced; this one is {status}")]
    NotReplaceable { status: DocumentStatus },
    /// A replacement is the same document again: a passport replaces a passport.
    #[error("a {was} is replaced by a {was}, not by a {sent}")]
    KindMismatch {
        was: DocumentKind,
        sent: DocumentKind,
    },
}

impl DocumentError {
    /// What a person reads.
    pub fn message(&self) -> String {
        match self {
            DocumentError::AlreadyReviewed { from } => {
                format!("Документ уже проверен: «{}»", crate::Coded::title(*from))
            }
            DocumentError::NotADecision { .. } => {
                "Решение по документу — «Принят» или «Отклонён»".into()
            }
            DocumentError::ReasonRequired => "Укажите причину отклонения".into(),
            DocumentError::NotReplaceable { status } => format!(
                "Заменить можно только отклонённый документ; этот — «{}»",
                crate::Coded::title(*status)
            ),
            DocumentError::KindMismatch { was, .. } => format!(
                "Взамен отклонённого загружается документ того же вида: «{}»",
                crate::Coded::title(*was)
            ),
        }
    }
}

/// A decision that passed the rules, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub to: DocumentStatus,
    pub reason: Option<String>,
}

impl DocumentStatus {
    /// The statuses a review may move this one to.
    pub fn next(self) -> &'static [DocumentStatus] {
        match self {
            DocumentStatus::OnReview => &[DocumentStatus::Accepted, DocumentStatus::Rejected],
            DocumentStatus::Accepted | DocumentStatus::Rejected => &[],
        }
    }

    /// Checks a reviewer's decision. The reason is trimmed; a blank one counts as none.
    pub fn review(self, to: DocumentStatus, reason: Option<&str>) -> Result<Review, DocumentError> {
        if self != DocumentStatus::OnReview {
            return Err(DocumentError::AlreadyReviewed { from: self });
        }
        if !self.next().contains(&to) {
            return Err(DocumentError::NotADecision { to });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if to == DocumentStatus::Rejected && reason.is_none() {
            return Err(DocumentError::ReasonRequired);
        }
        Ok(Review {
            to,
            reason: reason.map(str::to_owned),
        })
    }

    /// Whether a new upload of `sent` may take the place of a document of kind `was`
    /// in this status.
    pub fn replace(self, was: DocumentKind, sent: DocumentKind) -> Result<(), DocumentError> {
        if self != DocumentStatus::Rejected {
            return Err(DocumentError::NotReplaceable { status: self });
        }
        if was != sent {
            return Err(DocumentError::KindMismatch { was, sent });
        }
        Ok(())
    }
}

/// Who may see (and download) a citizen's document: the citizen, and staff of the
/// citizen's centre, who review it. Anyone else is told it does not exist.
pub fn visible_to(
    viewer: &crate::actor::Actor,
    citizen_id: &str,
    citizen_centre: Option<&str>,
) -> bool {
    use crate::role::Role;
    match viewer.role {
        Role::Citizen => viewer.user_id == citizen_id,
        Role::Staff => viewer.centre_id.is_some() && viewer.centre_id.as_deref() == citizen_centre,
        Role::Employer => false,
    }
}

/// The notification the citizen gets about a decision (SPEC §7 «своевременные
/// сведения о результатах проверок документов»): a title and a body.
pub fn review_notice(kind: DocumentKind, file_name: &str, review: &Review) -> (String, String) {
    use crate::Coded;
    let title = format!("Документ «{}»: {}", kind.title(), review.to.title());
    let body = match &review.reason {
        Some(reason) => format!(
            "Файл «{file_name}» отклонён. Причина: {reason}. Загрузите исправленный документ взамен отклонённого."
        ),
        None => format!("Файл «{file_name}» проверен и принят."),
    };
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::DocumentStatus::*;
    use super::*;
    use crate::Coded;

    /// Every pair of statuses: only on_review → accepted and on_review → rejected (with
    /// a reason) are decisions.
    #[test]
    fn every_pair_of_statuses() {
        for &from in DocumentStatus::ALL {
            for &to in DocumentStatus::ALL {
                let allowed = from == OnReview && to != OnReview;
                let got = from.review(to, Some("Нечитаемый скан"));
                assert_eq!(got.is_ok(), allowed, "{from} → {to}");
                if !allowed {
                    let expected = if from != OnReview {
                        DocumentError::AlreadyReviewed { from }
                    } else {
                        DocumentError::NotADecision { to }
                    };
                    assert_eq!(got, Err(expected));
                }
            }
        }
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert_eq!(
            OnReview.review(Rejected, None),
            Err(DocumentError::ReasonRequired)
        );
        assert_eq!(
            OnReview.review(Rejected, Some("   ")),
            Err(DocumentError::ReasonRequired)
        );
        assert_eq!(
            OnReview.review(Rejected, Some(" Нечитаемый скан ")),
            Ok(Review {
                to: Rejected,
                reason: Some("Нечитаемый скан".into())
            })
        );
        assert_eq!(
            OnReview.review(Accepted, Some("  ")),
            Ok(Review {
                to: Accepted,
                reason: None
            })
        );
    }

    #[test]
    fn only_a_rejected_document_is_replaced_by_one_of_its_kind() {
        use DocumentKind::*;
        assert_eq!(Rejected.replace(Passport, Passport), Ok(()));
        assert_eq!(
            OnReview.replace(Passport, Passport),
            Err(DocumentError::NotReplaceable { status: OnReview })
        );
        assert_eq!(
            Accepted.replace(Passport, Passport),
            Err(DocumentError::NotReplaceable { status: Accepted })
        );
        assert_eq!(
            Rejected.replace(Passport, Education),
            Err(DocumentError::KindMismatch {
                was: Passport,
                sent: Education
            })
        );
    }

    #[test]
    fn who_sees_a_document() {
        use crate::actor::tests::actor;
        use crate::role::Role;
        let c = Some("c1");
        // The test actor's id is `u1`.
        assert!(visible_to(
            &actor(Role::Citizen, None, None, false),
            "u1",
            c
        ));
        assert!(!visible_to(
            &actor(Role::Citizen, None, None, false),
            "u2",
            c
        ));
        assert!(visible_to(
            &actor(Role::Staff, Some("c1"), None, false),
            "u2",
            c
        ));
        assert!(!visible_to(
            &actor(Role::Staff, Some("c2"), None, false),
            "u2",
            c
        ));
        assert!(!visible_to(
            &actor(Role::Staff, None, None, false),
            "u2",
            None
        ));
        assert!(!visible_to(
            &actor(Role::Employer, Some("c1"), Some("o"), true),
            "u2",
            c
        ));
    }

    #[test]
    fn the_notice_names_the_kind_and_the_reason() {
        let review = OnReview.review(Rejected, Some("Нечитаемый скан")).unwrap();
        let (title, body) = review_notice(DocumentKind::Passport, "паспорт.pdf", &review);
        assert_eq!(title, "Документ «Паспорт»: Отклонён");
        assert!(body.contains("«паспорт.pdf»") && body.contains("Причина: Нечитаемый скан"));
        let review = OnReview.review(Accepted, None).unwrap();
        let (title, body) = review_notice(DocumentKind::Other, "a.png", &review);
        assert_eq!(title, "Документ «Иной документ»: Принят");
        assert_eq!(body, "Файл «a.png» проверен и принят.");
    }

    #[test]
    fn every_error_reads_in_russian() {
        for e in [
            DocumentError::AlreadyReviewed { from: Accepted },
            DocumentError::NotADecision { to: OnReview },
            DocumentError::ReasonRequired,
            DocumentError::NotReplaceable { status: OnReview },
            DocumentError::KindMismatch {
                was: DocumentKind::Passport,
                sent: DocumentKind::Other,
            },
        ] {
            assert!(e.message().chars().any(|c| ('а'..='я').contains(&c)));
        }
        assert!(!DocumentKind::ALL.is_empty());
    }
}
