//! The appeal status machine (SPEC §2).

use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::Coded;

/// Where an appeal stands. The labels differ by audience: the employer cabinet says
/// «Принято ведомством» / «Выполнено» where the citizen's says «Зарегистрировано» /
/// «Исполнено».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Registered,
    InProgress,
    ClarificationRequired,
    Completed,
    Rejected,
}

crate::coded_enum!(AppealStatus {
    Registered => ("registered", "Зарегистрировано"),
    InProgress => ("in_progress", "В работе"),
    ClarificationRequired => ("clarification_required", "Требуется уточнение"),
    Completed => ("completed", "Исполнено"),
    Rejected => ("rejected", "Отклонено"),
});

/// How an appeal came in. This API receives appeals through the portal only; the
/// centre's own system records the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Portal,
}

crate::coded_enum!(Channel {
    Portal => ("portal", "Интерактивный портал"),
});

/// Whose cabinet a label is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Citizen,
    Employer,
}

impl Audience {
    /// The cabinet an account of `role` reads labels in: the employer cabinet words
    /// some statuses its own way (SPEC §2 table); staff read the citizen's wording.
    pub fn of(role: Role) -> Audience {
        match role {
            Role::Employer => Audience::Employer,
            Role::Citizen | Role::Staff => Audience::Citizen,
        }
    }
}

/// Who asks for a move. Staff run the appeal; the applicant only answers a request for
/// clarification; the system alone completes a registered appeal (a delivered report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Staff,
    Applicant,
    System,
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// SPEC §2: `completed` and `rejected` never move again.
    #[error("the appeal is {from} and can no longer change")]
    Final { from: AppealStatus },
    /// The pair is not one of the allowed moves.
    #[error("an appeal cannot move from {from} to {to}")]
    NotAllowed {
        from: AppealStatus,
        to: AppealStatus,
    },
    /// The move exists, but not for this mover.
    #[error("this move from {from} to {to} is made by centre staff only")]
    NotYours {
        from: AppealStatus,
        to: AppealStatus,
    },
    /// SPEC §2: rejection and clarification need a comment.
    #[error("moving to {to} needs a comment")]
    CommentRequired { to: AppealStatus },
}

/// A move that passed every rule, ready to be stored with its history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: AppealStatus,
    pub to: AppealStatus,
    pub comment: Option<String>,
}

impl AppealStatus {
    /// The label for the given audience (SPEC §2 table).
    pub fn title_for(self, audience: Audience) -> &'static str {
        match (self, audience) {
            (AppealStatus::Registered, Audience::Employer) => "Принято ведомством",
            (AppealStatus::Completed, Audience::Employer) => "Выполнено",
            _ => self.title(),
        }
    }

    /// Final statuses end the appeal's life.
    pub fn is_final(self) -> bool {
        matches!(self, AppealStatus::Completed | AppealStatus::Rejected)
    }

    /// The statuses this one may move to, whoever asks.
    pub fn next(self) -> &'static [AppealStatus] {
        use AppealStatus::*;
        match self {
            Registered => &[InProgress, Completed, Rejected],
            InProgress => &[ClarificationRequired, Completed, Rejected],
            ClarificationRequired => &[InProgress],
            Completed | Rejected => &[],
        }
    }

    /// Whether a move to `to` must carry a comment.
    pub fn needs_comment(to: AppealStatus) -> bool {
        matches!(
            to,
            AppealStatus::Rejected | AppealStatus::ClarificationRequired
        )
    }

    /// Checks a move against SPEC §2. The comment is trimmed; a blank one counts as
    /// none, so "   " cannot satisfy the comment rule.
    pub fn transition(
        self,
        to: AppealStatus,
        comment: Option<&str>,
        mover: Mover,
    ) -> Result<Transition, TransitionError> {
        if self.is_final() {
            return Err(TransitionError::Final { from: self });
        }
        if !self.next().contains(&to) {
            return Err(TransitionError::NotAllowed { from: self, to });
        }
        let delivery = (self, to) == (AppealStatus::Registered, AppealStatus::Completed);
        let allowed = match mover {
            Mover::System => true,
            Mover::Staff => !delivery,
            Mover::Applicant => self == AppealStatus::ClarificationRequired,
        };
        if !allowed {
            return Err(TransitionError::NotYours { from: self, to });
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if Self::needs_comment(to) && comment.is_none() {
            return Err(TransitionError::CommentRequired { to });
        }
        Ok(Transition {
            from: self,
            to,
            comment: comment.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AppealStatus::*;
    use super::*;

    /// The allowed pairs exactly as SPEC §2 lists them.
    const SPEC_MOVES: &[(AppealStatus, AppealStatus)] = &[
        (Registered, InProgress),
        (Registered, Completed),
        (Registered, Rejected),
        (InProgress, ClarificationRequired),
        (ClarificationRequired, InProgress),
        (InProgress, Completed),
        (InProgress, Rejected),
    ];

    #[test]
    fn every_pair_for_staff_matches_the_spec() {
        for &from in AppealStatus::ALL {
            for &to in AppealStatus::ALL {
                let result = from.transition(to, Some("комментарий"), Mover::Staff);
                // SPEC §2: registered → completed is the automatic delivery of a report.
                let delivery = (from, to) == (Registered, Completed);
                let expected = SPEC_MOVES.contains(&(from, to)) && !delivery;
                assert_eq!(result.is_ok(), expected, "{from} -> {to}: {result:?}");
                match result {
                    Ok(t) => assert_eq!((t.from, t.to), (from, to)),
                    Err(TransitionError::NotYours { from: f, to: t }) => {
                        assert!(delivery);
                        assert_eq!((f, t), (from, to))
                    }
                    Err(TransitionError::Final { from: f }) => {
                        assert!(f.is_final());
                        assert_eq!(f, from)
                    }
                    Err(TransitionError::NotAllowed { from: f, to: t }) => {
                        assert!(!from.is_final());
                        assert_eq!((f, t), (from, to))
                    }
                    Err(other) => panic!("{from} -> {to}: unexpected {other:?}"),
                }
            }
        }
    }

    #[test]
    fn the_system_follows_the_same_machine() {
        for &from in AppealStatus::ALL {
            for &to in AppealStatus::ALL {
                let ok = from.transition(to, Some("x"), Mover::System).is_ok();
                assert_eq!(ok, SPEC_MOVES.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn the_applicant_only_answers_a_clarification() {
        for &from in AppealStatus::ALL {
            for &to in AppealStatus::ALL {
                let result = from.transition(to, Some("ответ"), Mover::Applicant);
                let expected = (from, to) == (ClarificationRequired, InProgress);
                assert_eq!(result.is_ok(), expected, "{from} -> {to}: {result:?}");
                if SPEC_MOVES.contains(&(from, to)) && !expected {
                    assert_eq!(result, Err(TransitionError::NotYours { from, to }));
                }
            }
        }
    }

    #[test]
    fn rejection_and_clarification_need_a_real_comment() {
        for (from, to) in SPEC_MOVES {
            for comment in [None, Some(""), Some("  \n ")] {
                let result = from.transition(*to, comment, Mover::System);
                if matches!(to, Rejected | ClarificationRequired) {
                    assert_eq!(result, Err(TransitionError::CommentRequired { to: *to }));
                } else {
                    let t = result.expect("no comment needed");
                    assert_eq!(t.comment, None);
                }
            }
        }
    }

    #[test]
    fn comments_are_trimmed() {
        let t = InProgress
            .transition(Rejected, Some("  нет документов "), Mover::Staff)
            .unwrap();
        assert_eq!(t.comment.as_deref(), Some("нет документов"));
    }

    #[test]
    fn final_states_have_no_way_out() {
        for status in AppealStatus::ALL {
            assert_eq!(status.is_final(), status.next().is_empty(), "{status}");
        }
        assert!(Completed.is_final() && Rejected.is_final());
    }

    #[test]
    fn labels_differ_by_audience_where_the_spec_says() {
        let expected = [
            (Registered, "Зарегистрировано", "Принято ведомством"),
            (InProgress, "В работе", "В работе"),
            (
                ClarificationRequired,
                "Требуется уточнение",
                "Требуется уточнение",
            ),
            (Completed, "Исполнено", "Выполнено"),
            (Rejected, "Отклонено", "Отклонено"),
        ];
        for (status, citizen, employer) in expected {
            assert_eq!(status.title_for(Audience::Citizen), citizen);
            assert_eq!(status.title_for(Audience::Employer), employer);
        }
        assert_eq!(expected.len(), AppealStatus::ALL.len());
    }

    #[test]
    fn codes_round_trip() {
        for status in AppealStatus::ALL {
            assert_eq!(AppealStatus::from_code(status.code()), Some(*status));
        }
        assert_eq!(AppealStatus::from_code("done"), None);
    }

    #[test]
    fn only_employers_read_the_employer_wording() {
        assert_eq!(Audience::of(Role::Employer), Audience::Employer);
        assert_eq!(Audience::of(Role::Citizen), Audience::Citizen);
        assert_eq!(Audience::of(Role::Staff), Audience::Citizen);
    }
}
