//! Interviews of the job-search negotiations (seed 004 «Отклик на вакансию.
//! Собеседование», шаги 4–6): the status machine, who makes each move, the rule that a
//! result follows the interview, and when an application's interviews are settled.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::job_search::ApplicationStatus;

/// Where an interview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Invited,
    Confirmed,
    Declined,
    RescheduleRequested,
    Rescheduled,
    Cancelled,
    Held,
}

crate::coded_enum!(InterviewStatus {
    Invited => ("invited", "Приглашение на собеседование"),
    Confirmed => ("confirmed", "Подтверждено"),
    Declined => ("declined", "Отказ соискателя"),
    RescheduleRequested => ("reschedule_requested", "Запрошен перенос"),
    Rescheduled => ("rescheduled", "Перенесено"),
    Cancelled => ("cancelled", "Отменено"),
    Held => ("held", "Проведено"),
});

/// Who moves an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Citizen,
    Employer,
}

/// The employer's result of a held interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Hired,
    NotHired,
}

crate::coded_enum!(Outcome {
    Hired => ("hired", "Принят на работу"),
    NotHired => ("not_hired", "Не принят"),
});

/// Why a move of an interview was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterviewError {
    #[error("the interview is {from} and can no longer change")]
    Final { from: InterviewStatus },
    #[error("an interview cannot move from {from} to {to}")]
    NotAllowed {
        from: InterviewStatus,
        to: InterviewStatus,
    },
    #[error("the move from {from} to {to} is the other party's")]
    NotYours {
        from: InterviewStatus,
        to: InterviewStatus,
    },
    /// A result is recorded once the interview's time has come.
    #[error("the interview has not taken place yet")]
    TooEarly,
    /// A reschedule request proposes a time still ahead.
    #[error("the proposed time must be in the future")]
    ProposedInPast,
}

impl InterviewStatus {
    /// Declined, cancelled and held interviews are over.
    pub fn is_final(self) -> bool {
        use InterviewStatus::*;
        matches!(self, Declined | Cancelled | Held)
    }

    /// Every allowed move with the party that makes it. Seed 004: the citizen accepts
    /// («Принять» → «Подтверждено»), declines, asks to reschedule or cancels; the
    /// employer answers a reschedule request with a new time, may cancel, and records
    /// the result of an interview that was confirmed.
    pub fn next(self) -> &'static [(InterviewStatus, Party)] {
        use InterviewStatus::*;
        use Party::*;
        match self {
            Invited | Rescheduled => &[
                (Confirmed, Citizen),
                (Declined, Citizen),
                (RescheduleRequested, Citizen),
                (Cancelled, Citizen),
                (Cancelled, Employer),
            ],
            Confirmed => &[
                (RescheduleRequested, Citizen),
                (Cancelled, Citizen),
                (Cancelled, Employer),
                (Held, Employer),
            ],
            RescheduleRequested => &[
                (Rescheduled, Employer),
                (Cancelled, Employer),
                (Cancelled, Citizen),
            ],
            Declined | Cancelled | Held => &[],
        }
    }

    /// Checks a move by `party`; `scheduled_at` is the interview's time, for a result.
    pub fn transition(
        self,
        to: InterviewStatus,
        party: Party,
        scheduled_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<(), InterviewError> {
        if self.is_final() {
            return Err(InterviewError::Final { from: self });
        }
        let moves = self.next();
        if !moves.iter().any(|(t, _)| *t == to) {
            return Err(InterviewError::NotAllowed { from: self, to });
        }
        if !moves.contains(&(to, party)) {
            return Err(InterviewError::NotYours { from: self, to });
        }
        if to == InterviewStatus::Held && now < scheduled_at {
            return Err(InterviewError::TooEarly);
        }
        Ok(())
    }
}

/// A proposed new time must lie ahead.
pub fn check_proposed(proposed: NaiveDateTime, now: NaiveDateTime) -> Result<(), InterviewError> {
    if proposed <= now {
        Err(InterviewError::ProposedInPast)
    } else {
        Ok(())
    }
}

/// Seed 004 «Отклик…», шаг 6: the citizen finishes once every interview is settled.
pub fn all_settled(statuses: &[InterviewStatus]) -> bool {
    statuses.iter().all(|s| s.is_final())
}

/// How the citizen closes the negotiations (seed 004 «Отклик…», шаг 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    RefuseAll,
    FinishNegotiations,
}

crate::coded_enum!(Finish {
    RefuseAll => ("refuse_all", "Отказаться от всех вакансий и отправить в центр занятости"),
    FinishNegotiations => ("finish_negotiations", "Завершить переговоры с работодателями и отправить результаты в центр занятости"),
});

/// Why the citizen may not finish the negotiations yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FinishError {
    /// Interviews still open (invited, confirmed, rescheduling): how many.
    #[error("{0} interview(s) are not settled yet")]
    Unsettled(usize),
}

/// Seed 004 «Отклик…», шаг 6 («Подтвердите прохождение всех собеседований»): either
/// choice is allowed once every interview is settled.
pub fn check_finish(_choice: Finish, statuses: &[InterviewStatus]) -> Result<(), FinishError> {
    let open = statuses.iter().filter(|s| !s.is_final()).count();
    if open > 0 {
        Err(FinishError::Unsettled(open))
    } else {
        Ok(())
    }
}

impl InterviewError {
    /// A stable machine code and the Russian words a person reads for a refusal.
    pub fn reason(&self) -> (&'static str, &'static str) {
        match self {
            InterviewError::Final { .. } => {
                ("interview_over", "Собеседование уже завершено или отменено")
            }
            InterviewError::NotAllowed { .. } => (
                "not_allowed_now",
                "В текущем статусе собеседования это действие недоступно",
            ),
            InterviewError::NotYours { .. } => {
                ("other_party", "Это действие выполняет другая сторона")
            }
            InterviewError::TooEarly => (
                "interview_not_held_yet",
                "Результат вносится после времени собеседования",
            ),
            InterviewError::ProposedInPast => (
                "proposed_in_past",
                "Предложенное время должно быть в будущем",
            ),
        }
    }
}

/// What the other party is told when an interview moves (category «Собеседования»):
/// a title and a body. `at` is the interview's time after the move, `proposed` the
/// citizen's proposal, `comment` what the mover wrote, `outcome` a result's.
pub fn move_notice(
    to: InterviewStatus,
    vacancy_title: &str,
    at: NaiveDateTime,
    proposed: Option<NaiveDateTime>,
    outcome: Option<Outcome>,
    comment: Option<&str>,
) -> (String, String) {
    use crate::Coded;
    let when = crate::job_response::when;
    let title = format!("Собеседование «{vacancy_title}»: {}", to.title());
    let mut body = match to {
        InterviewStatus::Invited => format!("Приглашение на собеседование {}.", when(at)),
        InterviewStatus::Confirmed => format!("Соискатель подтвердил участие в собеседовании {}.", when(at)),
        InterviewStatus::Declined => "Соискатель отказался от собеседования.".to_owned(),
        InterviewStatus::RescheduleRequested => match proposed {
            Some(p) => format!("Соискатель просит перенести собеседование на {}.", when(p)),
            None => "Соискатель просит перенести собеседование.".to_owned(),
        },
        InterviewStatus::Rescheduled => format!(
            "Работодатель перенёс собеседование на {}. Подтвердите участие в разделе «Отклики и приглашения».",
            when(at)
        ),
        InterviewStatus::Cancelled => "Собеседование отменено.".to_owned(),
        InterviewStatus::Held => match outcome {
            Some(o) => format!("Собеседование проведено. Результат: {}.", o.title()),
            None => "Собеседование проведено.".to_owned(),
        },
    };
    if let Some(c) = comment.map(str::trim).filter(|c| !c.is_empty()) {
        body.push_str(&format!(" Комментарий: {c}"));
    }
    (title, body)
}

/// Interviews move during the negotiations (seed 004, шаги 4–6). Once the application
/// has left them — withdrawn, refused, results sent, closed — an interview still open can
/// only be cancelled, by either side, so that nobody waits for a meeting that will not
/// take place; no invitation is accepted, moved or given a result any more.
pub fn moves_while(application: ApplicationStatus, to: InterviewStatus) -> bool {
    application == ApplicationStatus::Negotiations || to == InterviewStatus::Cancelled
}

#[cfg(test)]
mod tests {
    use super::InterviewStatus::*;
    use super::*;
    use crate::Coded;
    use chrono::{NaiveDate, TimeDelta};

    const MOVES: &[(InterviewStatus, InterviewStatus, Party)] = &[
        (Invited, Confirmed, Party::Citizen),
        (Invited, Declined, Party::Citizen),
        (Invited, RescheduleRequested, Party::Citizen),
        (Invited, Cancelled, Party::Citizen),
        (Invited, Cancelled, Party::Employer),
        (Rescheduled, Confirmed, Party::Citizen),
        (Rescheduled, Declined, Party::Citizen),
        (Rescheduled, RescheduleRequested, Party::Citizen),
        (Rescheduled, Cancelled, Party::Citizen),
        (Rescheduled, Cancelled, Party::Employer),
        (Confirmed, RescheduleRequested, Party::Citizen),
        (Confirmed, Cancelled, Party::Citizen),
        (Confirmed, Cancelled, Party::Employer),
        (Confirmed, Held, Party::Employer),
        (RescheduleRequested, Rescheduled, Party::Employer),
        (RescheduleRequested, Cancelled, Party::Employer),
        (RescheduleRequested, Cancelled, Party::Citizen),
    ];

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 10)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn every_pair_for_both_parties_matches_the_table() {
        for party in [Party::Citizen, Party::Employer] {
            for &from in InterviewStatus::ALL {
                for &to in InterviewStatus::ALL {
                    // After the interview time, so the result rule does not interfere.
                    let r = from.transition(to, party, at(10), at(12));
                    let expected = MOVES.contains(&(from, to, party));
                    assert_eq!(r.is_ok(), expected, "{from} -> {to} by {party:?}: {r:?}");
                    let exists = MOVES.iter().any(|(f, t, _)| (*f, *t) == (from, to));
                    match r {
                        Ok(()) => {}
                        Err(InterviewError::Final { .. }) => assert!(from.is_final()),
                        Err(InterviewError::NotYours { .. }) => assert!(exists),
                        Err(InterviewError::NotAllowed { .. }) => {
                            assert!(!exists && !from.is_final())
                        }
                        Err(e) => panic!("{from} -> {to}: {e:?}"),
                    }
                }
            }
        }
        let listed: usize = InterviewStatus::ALL.iter().map(|s| s.next().len()).sum();
        assert_eq!(listed, MOVES.len());
    }

    #[test]
    fn a_second_accept_is_refused() {
        assert_eq!(
            Confirmed.transition(Confirmed, Party::Citizen, at(10), at(9)),
            Err(InterviewError::NotAllowed {
                from: Confirmed,
                to: Confirmed
            })
        );
    }

    #[test]
    fn a_result_waits_for_the_interview_time() {
        let r = Confirmed.transition(
            Held,
            Party::Employer,
            at(10),
            at(10) - TimeDelta::seconds(1),
        );
        assert_eq!(r, Err(InterviewError::TooEarly));
        assert_eq!(
            Confirmed.transition(Held, Party::Employer, at(10), at(10)),
            Ok(())
        );
        // An invitation never confirmed has no result.
        assert!(Invited
            .transition(Held, Party::Employer, at(10), at(11))
            .is_err());
    }

    #[test]
    fn a_proposed_time_lies_ahead() {
        assert_eq!(
            check_proposed(at(10), at(10)),
            Err(InterviewError::ProposedInPast)
        );
        assert_eq!(check_proposed(at(11), at(10)), Ok(()));
    }

    #[test]
    fn settled_means_every_interview_is_over() {
        assert!(all_settled(&[]));
        assert!(all_settled(&[Held, Declined, Cancelled]));
        for s in InterviewStatus::ALL {
            assert_eq!(all_settled(&[Held, *s]), s.is_final());
            assert_eq!(s.is_final(), s.next().is_empty());
        }
    }

    #[test]
    fn labels_are_the_seeds() {
        assert_eq!(Confirmed.title(), "Подтверждено");
        assert_eq!(
            Finish::RefuseAll.title(),
            "Отказаться от всех вакансий и отправить в центр занятости"
        );
    }

    #[test]
    fn finishing_waits_for_every_interview() {
        for choice in Finish::ALL {
            assert_eq!(check_finish(*choice, &[]), Ok(()));
            assert_eq!(check_finish(*choice, &[Held, Declined, Cancelled]), Ok(()));
            for s in InterviewStatus::ALL {
                let r = check_finish(*choice, &[Held, *s, *s]);
                if s.is_final() {
                    assert_eq!(r, Ok(()));
                } else {
                    assert_eq!(r, Err(FinishError::Unsettled(2)));
                }
            }
        }
    }

    #[test]
    fn every_move_has_a_notice_and_every_refusal_a_reason() {
        for s in InterviewStatus::ALL {
            let (title, body) = move_notice(
                *s,
                "Повар",
                at(10),
                Some(at(12)),
                Some(Outcome::Hired),
                Some(" ок "),
            );
            assert!(title.starts_with("Собеседование «Повар»: "), "{title}");
            assert!(body.ends_with("Комментарий: ок"), "{body}");
        }
        let (_, body) = move_notice(
            RescheduleRequested,
            "Повар",
            at(10),
            Some(at(12)),
            None,
            None,
        );
        assert!(body.contains("10.12.2026 12:00"), "{body}");
        let (_, body) = move_notice(Held, "Повар", at(10), None, Some(Outcome::NotHired), None);
        assert!(body.contains("Не принят"), "{body}");
        let errors = [
            InterviewError::Final { from: Held },
            InterviewError::NotAllowed {
                from: Invited,
                to: Held,
            },
            InterviewError::NotYours {
                from: Invited,
                to: Confirmed,
            },
            InterviewError::TooEarly,
            InterviewError::ProposedInPast,
        ];
        let codes: std::collections::HashSet<_> = errors.iter().map(|e| e.reason().0).collect();
        assert_eq!(codes.len(), errors.len());
    }

    #[test]
    fn interviews_move_in_negotiations_and_are_only_cancelled_after() {
        for &app in ApplicationStatus::ALL {
            for &to in InterviewStatus::ALL {
                let expected = app == ApplicationStatus::Negotiations || to == Cancelled;
                assert_eq!(moves_while(app, to), expected, "{app:?} → {to:?}");
            }
        }
        assert!(!moves_while(ApplicationStatus::Withdrawn, Confirmed));
        assert!(moves_while(ApplicationStatus::Withdrawn, Cancelled));
        assert!(moves_while(ApplicationStatus::Negotiations, Held));
    }
}
