//! The job-search application («Заявление-анкета на поиск подходящей работы») on
//! «Работа в России» (SPEC §6, seed 004): its status machine, who makes each move,
//! and what the citizen is told when it moves.

use serde::{Deserialize, Serialize};

use crate::vacancy::{EmploymentType, Schedule};
use crate::Coded;

/// Where an application stands. The labels are the seed's own («Подобраны вакансии»,
/// «Проведение переговоров»); the seed names no label for the end states, so theirs
/// follow the portal's wording for appeals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    Accepted,
    VacanciesSelected,
    Negotiations,
    ResultsSent,
    Closed,
    Refused,
    Withdrawn,
}

crate::coded_enum!(ApplicationStatus {
    Submitted => ("submitted", "Подано"),
    Accepted => ("accepted", "Принято к рассмотрению"),
    VacanciesSelected => ("vacancies_selected", "Подобраны вакансии"),
    Negotiations => ("negotiations", "Проведение переговоров"),
    ResultsSent => ("results_sent", "Результаты направлены в ЦЗН"),
    Closed => ("closed", "Услуга оказана"),
    Refused => ("refused", "Отказано"),
    Withdrawn => ("withdrawn", "Отозвано заявителем"),
});

/// Who asks for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// Staff of the application's centre.
    Staff,
    /// The citizen who filed it.
    Citizen,
    /// The portal itself (the matching service selects vacancies, seed 004
    /// «Подбор подходящих вакансий», шаг 1).
    System,
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// `closed`, `refused` and `withdrawn` never move again.
    #[error("the application is {from} and can no longer change")]
    Final { from: ApplicationStatus },
    /// The pair is not one of the moves of the seed.
    #[error("an application cannot move from {from} to {to}")]
    NotAllowed {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    /// The move exists, but someone else makes it.
    #[error("the move from {from} to {to} is not made by this party")]
    NotYours {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    /// A refusal or a withdrawal says why.
    #[error("moving to {to} needs a reason")]
    ReasonRequired { to: ApplicationStatus },
}

/// A move that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
    pub reason: Option<String>,
}

impl ApplicationStatus {
    /// The end states: the application's life is over and a new one may be filed.
    pub fn is_final(self) -> bool {
        use ApplicationStatus::*;
        matches!(self, Closed | Refused | Withdrawn)
    }

    /// Whether the application still counts as the citizen's open one (one at a time).
    pub fn is_open(self) -> bool {
        !self.is_final()
    }

    /// The codes of the open statuses, for the database's one-open-application index.
    pub fn open_codes() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().filter(|s| s.is_open()).map(|s| s.code())
    }

    /// Every allowed move with the party that makes it.
    ///
    /// The seed's path: the centre accepts the application; the portal (or staff, who
    /// may add and remove vacancies) selects vacancies («Подобраны вакансии», step 1);
    /// staff agree the candidacy with employers («Проведение переговоров», step 5); the
    /// citizen finishes the negotiations and sends the results to the centre («Результаты
    /// направлены в ЦЗН», «Отклик… шаг 6»); the centre closes the case. The centre may
    /// refuse an application it has not started work on, or one whose citizen did not
    /// come to the personal visit; the citizen may withdraw until the results are sent.
    pub fn next(self) -> &'static [(ApplicationStatus, Mover)] {
        use ApplicationStatus::*;
        use Mover::*;
        match self {
            Submitted => &[(Accepted, Staff), (Refused, Staff), (Withdrawn, Citizen)],
            Accepted => &[
                (VacanciesSelected, System),
                (VacanciesSelected, Staff),
                (Refused, Staff),
                (Withdrawn, Citizen),
            ],
            VacanciesSelected => &[(Negotiations, Staff), (Withdrawn, Citizen)],
            Negotiations => &[(ResultsSent, Citizen), (Withdrawn, Citizen)],
            ResultsSent => &[(Closed, Staff)],
            Closed | Refused | Withdrawn => &[],
        }
    }

    /// Whether a move to `to` must say why.
    pub fn needs_reason(to: ApplicationStatus) -> bool {
        matches!(
            to,
            ApplicationStatus::Refused | ApplicationStatus::Withdrawn
        )
    }

    /// Checks a move. The reason is trimmed; a blank one counts as none.
    pub fn transition(
        self,
        to: ApplicationStatus,
        reason: Option<&str>,
        mover: Mover,
    ) -> Result<Transition, TransitionError> {
        if self.is_final() {
            return Err(TransitionError::Final { from: self });
        }
        let moves = self.next();
        if !moves.iter().any(|(t, _)| *t == to) {
            return Err(TransitionError::NotAllowed { from: self, to });
        }
        if !moves.contains(&(to, mover)) {
            return Err(TransitionError::NotYours { from: self, to });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if Self::needs_reason(to) && reason.is_none() {
            return Err(TransitionError::ReasonRequired { to });
        }
        Ok(Transition {
            from: self,
            to,
            reason: reason.map(str::to_owned),
        })
    }
}

/// What the citizen is told when their application moves (category «Статус заявлений
/// и обращений»): a title and a body.
pub fn status_notice(to: ApplicationStatus, reason: Option<&str>) -> (String, String) {
    let title = format!("Заявление на поиск работы: {}", to.title());
    let advice = match to {
        ApplicationStatus::Submitted => "Заявление отправлено в центр занятости.",
        ApplicationStatus::Accepted => {
            "Центр занятости принял заявление к рассмотрению. Дата личного посещения придёт отдельным сообщением."
        }
        ApplicationStatus::VacanciesSelected => {
            "Ознакомьтесь с подобранными вакансиями и расставьте приоритеты в личном кабинете."
        }
        ApplicationStatus::Negotiations => {
            "Центр занятости согласовал вашу кандидатуру с работодателями. Откликнитесь на вакансии из списка."
        }
        ApplicationStatus::ResultsSent => "Результаты переговоров направлены в центр занятости.",
        ApplicationStatus::Closed => "Работа по заявлению завершена.",
        ApplicationStatus::Refused => "Центр занятости отказал в рассмотрении заявления.",
        ApplicationStatus::Withdrawn => "Заявление отозвано.",
    };
    let body = match reason {
        Some(r) => format!("{advice} Причина: {r}"),
        None => advice.to_owned(),
    };
    (title, body)
}

/// Why an application waits for staff besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attention {
    /// The centre's calendar had no free slot by the visit deadline (seed 004
    /// «Личная явка в ЦЗН»): staff must arrange the visit by hand.
    NoSlotByDeadline,
}

crate::coded_enum!(Attention {
    NoSlotByDeadline => ("no_slot_by_deadline", "Нет свободного времени для личного посещения в установленный срок"),
});

/// What the citizen wants from a job (the application's «пожелания»): the matching
/// service selects vacancies by these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wishes {
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    pub salary_from: Option<i64>,
    pub employment_types: Vec<EmploymentType>,
    pub schedules: Vec<Schedule>,
}

/// The wishes a citizen named in the form; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishesInput {
    pub profession_code: Option<String>,
    pub category: Option<String>,
    pub region_code: Option<String>,
    pub salary_from: Option<i64>,
    pub employment_types: Option<Vec<EmploymentType>>,
    pub schedules: Option<Vec<Schedule>>,
}

impl Wishes {
    /// The wishes a resume implies: its profession, region, salary, employment type
    /// and schedule.
    pub fn of_resume(
        profession_code: Option<String>,
        category: String,
        region_code: String,
        salary: Option<i64>,
        employment_type: EmploymentType,
        schedule: Schedule,
    ) -> Wishes {
        Wishes {
            profession_code,
            category,
            region_code,
            salary_from: salary,
            employment_types: vec![employment_type],
            schedules: vec![schedule],
        }
    }

    /// The form's wishes, each one left out taken from the resume (issue 14: «defaults
    /// from the resume»). Lists are kept in the order given, without repeats; an empty
    /// list counts as left out.
    pub fn with(self, input: WishesInput) -> Wishes {
        fn unique<T: PartialEq + Copy>(items: Vec<T>) -> Vec<T> {
            let mut out: Vec<T> = Vec::new();
            for i in items {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            out
        }
        Wishes {
            profession_code: input.profession_code.or(self.profession_code),
            category: input.category.unwrap_or(self.category),
            region_code: input.region_code.unwrap_or(self.region_code),
            salary_from: input.salary_from.or(self.salary_from),
            employment_types: input
                .employment_types
                .filter(|v| !v.is_empty())
                .map(unique)
                .unwrap_or(self.employment_types),
            schedules: input
                .schedules
                .filter(|v| !v.is_empty())
                .map(unique)
                .unwrap_or(self.schedules),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus::*;
    use super::*;

    /// Every allowed move with its mover, exactly as [`ApplicationStatus::next`]'s doc
    /// derives them from seed 004.
    const SEED_MOVES: &[(ApplicationStatus, ApplicationStatus, Mover)] = &[
        (Submitted, Accepted, Mover::Staff),
        (Submitted, Refused, Mover::Staff),
        (Submitted, Withdrawn, Mover::Citizen),
        (Accepted, VacanciesSelected, Mover::System),
        (Accepted, VacanciesSelected, Mover::Staff),
        (Accepted, Refused, Mover::Staff),
        (Accepted, Withdrawn, Mover::Citizen),
        (VacanciesSelected, Negotiations, Mover::Staff),
        (VacanciesSelected, Withdrawn, Mover::Citizen),
        (Negotiations, ResultsSent, Mover::Citizen),
        (Negotiations, Withdrawn, Mover::Citizen),
        (ResultsSent, Closed, Mover::Staff),
    ];

    #[test]
    fn every_pair_for_every_mover_matches_the_seed() {
        for mover in [Mover::Staff, Mover::Citizen, Mover::System] {
            for &from in ApplicationStatus::ALL {
                for &to in ApplicationStatus::ALL {
                    let result = from.transition(to, Some("причина"), mover);
                    let expected = SEED_MOVES.contains(&(from, to, mover));
                    assert_eq!(result.is_ok(), expected, "{from} -> {to} by {mover:?}");
                    let exists = SEED_MOVES.iter().any(|(f, t, _)| (*f, *t) == (from, to));
                    match result {
                        Ok(t) => assert_eq!((t.from, t.to), (from, to)),
                        Err(TransitionError::Final { from: f }) => {
                            assert!(f.is_final() && f == from)
                        }
                        Err(TransitionError::NotYours { .. }) => assert!(exists),
                        Err(TransitionError::NotAllowed { .. }) => {
                            assert!(!exists && !from.is_final())
                        }
                        Err(e) => panic!("{from} -> {to}: unexpected {e:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn the_table_lists_no_move_twice_and_only_seed_moves() {
        let mut listed = 0;
        for &from in ApplicationStatus::ALL {
            for &(to, mover) in from.next() {
                assert!(SEED_MOVES.contains(&(from, to, mover)), "{from} -> {to}");
                listed += 1;
            }
        }
        assert_eq!(listed, SEED_MOVES.len());
    }

    #[test]
    fn refusal_and_withdrawal_need_a_real_reason() {
        for &(from, to, mover) in SEED_MOVES {
            for reason in [None, Some(""), Some("  \t")] {
                let result = from.transition(to, reason, mover);
                if matches!(to, Refused | Withdrawn) {
                    assert_eq!(result, Err(TransitionError::ReasonRequired { to }));
                } else {
                    assert_eq!(result.map(|t| t.reason), Ok(None));
                }
            }
        }
        let t = Submitted
            .transition(Withdrawn, Some("  нашёл работу "), Mover::Citizen)
            .unwrap();
        assert_eq!(t.reason.as_deref(), Some("нашёл работу"));
    }

    #[test]
    fn final_states_are_exactly_those_without_a_way_out() {
        for s in ApplicationStatus::ALL {
            assert_eq!(s.is_final(), s.next().is_empty(), "{s}");
            assert_eq!(s.is_open(), !s.is_final());
        }
        let open: Vec<_> = ApplicationStatus::open_codes().collect();
        assert_eq!(
            open,
            [
                "submitted",
                "accepted",
                "vacancies_selected",
                "negotiations",
                "results_sent"
            ]
        );
    }

    #[test]
    fn labels_are_the_seeds() {
        assert_eq!(Submitted.title(), "Подано");
        assert_eq!(Accepted.title(), "Принято к рассмотрению");
        assert_eq!(VacanciesSelected.title(), "Подобраны вакансии");
        assert_eq!(Negotiations.title(), "Проведение переговоров");
        assert_eq!(ResultsSent.title(), "Результаты направлены в ЦЗН");
    }

    #[test]
    fn the_notice_names_the_status_and_the_reason() {
        let (title, body) = status_notice(Refused, Some("нет паспортных данных"));
        assert_eq!(title, "Заявление на поиск работы: Отказано");
        assert!(body.ends_with("Причина: нет паспортных данных"), "{body}");
        let (title, body) = status_notice(VacanciesSelected, None);
        assert_eq!(title, "Заявление на поиск работы: Подобраны вакансии");
        assert!(body.contains("расставьте приоритеты"));
    }

    #[test]
    fn wishes_default_to_the_resume() {
        use EmploymentType::*;
        let resume = Wishes::of_resume(
            Some("16675".into()),
            "services".into(),
            "77".into(),
            Some(60_000),
            FullTime,
            Schedule::Shift,
        );
        assert_eq!(resume.clone().with(WishesInput::default()), resume);
        let chosen = resume.clone().with(WishesInput {
            region_code: Some("50".into()),
            salary_from: Some(70_000),
            employment_types: Some(vec![PartTime, Remote, PartTime]),
            schedules: Some(vec![]),
            ..Default::default()
        });
        assert_eq!(chosen.region_code, "50");
        assert_eq!(chosen.salary_from, Some(70_000));
        assert_eq!(chosen.employment_types, [PartTime, Remote]);
        assert_eq!(chosen.schedules, [Schedule::Shift]);
        assert_eq!(chosen.profession_code.as_deref(), Some("16675"));
        assert_eq!(chosen.category, "services");
    }
}
