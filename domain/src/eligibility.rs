//! The thirteen citizen services and when each is available (SPEC §1, seed 000 tab
//! «Услуги»).

use serde::{Deserialize, Serialize};

use crate::personal_case::{CaseStatus, Goal, PersonalCase};
use crate::Coded;

/// A service the citizen cabinet offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    JobSearchAssistance,
    LabourMarketInfo,
    PaidPublicWorks,
    TemporaryEmployment,
    CareerGuidance,
    VocationalTraining,
    SelfEmploymentSupport,
    AppointmentBooking,
    ResumeManagement,
    SocialPaymentsInfo,
    InteractionsAndVisits,
    NotificationSubscriptions,
    ServiceQualityRating,
}

crate::coded_enum!(Service {
    JobSearchAssistance => ("job_search_assistance", "Содействие в поиске подходящей работы"),
    LabourMarketInfo => ("labour_market_info", "Информирование о положении на рынке труда субъекта РФ"),
    PaidPublicWorks => ("paid_public_works", "Участие в оплачиваемых общественных работах"),
    TemporaryEmployment => ("temporary_employment", "Временное трудоустройство"),
    CareerGuidance => ("career_guidance", "Профессиональная ориентация"),
    VocationalTraining => ("vocational_training", "Профессиональное обучение и дополнительное профобразование"),
    SelfEmploymentSupport => ("self_employment_support", "Содействие самозанятости безработных граждан"),
    AppointmentBooking => ("appointment_booking", "Запись на прием в службу занятости"),
    ResumeManagement => ("resume_management", "Формирование и работа с резюме"),
    SocialPaymentsInfo => ("social_payments_info", "Информирование о социальных выплатах"),
    InteractionsAndVisits => ("interactions_and_visits", "Просмотр взаимодействий и назначенных посещений"),
    NotificationSubscriptions => ("notification_subscriptions", "Подписка граждан на автоматические уведомления"),
    ServiceQualityRating => ("service_quality_rating", "Оценка гражданином качества предоставления услуг"),
});

/// Which condition of SPEC §1 a citizen does not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ineligibility {
    /// No open case lists `job_search`, `public_works` or `minor_temporary_employment`.
    NoOpenCaseWithEmploymentGoal,
    /// No case is in status `unemployed`.
    NoUnemployedCase,
    /// No case has a personal account.
    NoPersonalAccount,
}

crate::coded_enum!(Ineligibility {
    NoOpenCaseWithEmploymentGoal => (
        "no_open_case_with_employment_goal",
        "Нужно открытое личное дело с целью обращения «поиск подходящей работы», «участие в общественных работах» или «временное трудоустройство несовершеннолетних граждан»"
    ),
    NoUnemployedCase => (
        "no_unemployed_case",
        "Нужно личное дело в статусе «Безработный»"
    ),
    NoPersonalAccount => (
        "no_personal_account",
        "Нужен лицевой счёт в личном деле"
    ),
});

impl Ineligibility {
    /// Whether the citizen's cases meet the condition this refusal names. Only the goal
    /// rule asks for an *open* case, exactly as the seed words it; the status and
    /// account rules accept any case that says so (a closed case's account still has
    /// payments to show).
    pub fn met_by(self, cases: &[PersonalCase]) -> bool {
        match self {
            Ineligibility::NoOpenCaseWithEmploymentGoal => cases
                .iter()
                .any(|c| c.open && c.goals.iter().any(|g| EMPLOYMENT_GOALS.contains(g))),
            Ineligibility::NoUnemployedCase => {
                cases.iter().any(|c| c.status == CaseStatus::Unemployed)
            }
            Ineligibility::NoPersonalAccount => cases.iter().any(|c| c.has_personal_account),
        }
    }
}

/// The goals that open public works and temporary employment (SPEC §1).
pub const EMPLOYMENT_GOALS: [Goal; 3] = [
    Goal::JobSearch,
    Goal::PublicWorks,
    Goal::MinorTemporaryEmployment,
];

/// One row of the services list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAvailability {
    pub service: Service,
    pub refusal: Option<Ineligibility>,
}

impl ServiceAvailability {
    pub fn available(&self) -> bool {
        self.refusal.is_none()
    }
}

impl Service {
    /// Checks this service against the citizen's cases: a service with a condition is
    /// available when the cases meet it (SPEC §1), any other always.
    pub fn check(self, cases: &[PersonalCase]) -> Result<(), Ineligibility> {
        match self.condition() {
            Some(condition) if !condition.met_by(cases) => Err(condition),
            _ => Ok(()),
        }
    }

    /// The condition a service depends on; `None` for services always available.
    pub fn condition(self) -> Option<Ineligibility> {
        match self {
            Service::PaidPublicWorks | Service::TemporaryEmployment => {
                Some(Ineligibility::NoOpenCaseWithEmploymentGoal)
            }
            Service::VocationalTraining | Service::SelfEmploymentSupport => {
                Some(Ineligibility::NoUnemployedCase)
            }
            Service::SocialPaymentsInfo => Some(Ineligibility::NoPersonalAccount),
            _ => None,
        }
    }
}

/// Every service with its availability, in the cabinet's order.
pub fn evaluate(cases: &[PersonalCase]) -> Vec<ServiceAvailability> {
    Service::ALL
        .iter()
        .map(|&service| ServiceAvailability {
            service,
            refusal: service.check(cases).err(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(open: bool, goals: &[Goal], status: CaseStatus, account: bool) -> PersonalCase {
        PersonalCase {
            open,
            goals: goals.to_vec(),
            status,
            has_personal_account: account,
        }
    }

    fn available(cases: &[PersonalCase]) -> Vec<Service> {
        evaluate(cases)
            .into_iter()
            .filter(|a| a.available())
            .map(|a| a.service)
            .collect()
    }

    const ALWAYS: [Service; 8] = [
        Service::JobSearchAssistance,
        Service::LabourMarketInfo,
        Service::CareerGuidance,
        Service::AppointmentBooking,
        Service::ResumeManagement,
        Service::InteractionsAndVisits,
        Service::NotificationSubscriptions,
        Service::ServiceQualityRating,
    ];

    #[test]
    fn thirteen_services_in_order() {
        assert_eq!(Service::ALL.len(), 13);
        let listed: Vec<_> = evaluate(&[]).into_iter().map(|a| a.service).collect();
        assert_eq!(listed, Service::ALL.to_vec());
    }

    #[test]
    fn without_cases_only_the_unconditional_services() {
        assert_eq!(available(&[]), ALWAYS.to_vec());
        for a in evaluate(&[]) {
            assert_eq!(a.refusal, a.service.condition(), "{}", a.service);
        }
    }

    #[test]
    fn always_available_services_have_no_condition() {
        for s in Service::ALL {
            assert_eq!(ALWAYS.contains(s), s.condition().is_none(), "{s}");
        }
    }

    #[test]
    fn each_employment_goal_in_an_open_case_opens_public_works_and_temporary_jobs() {
        for goal in EMPLOYMENT_GOALS {
            let cases = [case(true, &[goal], CaseStatus::JobSeeker, false)];
            assert_eq!(Service::PaidPublicWorks.check(&cases), Ok(()), "{goal}");
            assert_eq!(Service::TemporaryEmployment.check(&cases), Ok(()), "{goal}");
        }
    }

    #[test]
    fn a_closed_case_with_an_employment_goal_does_not_count() {
        for goal in EMPLOYMENT_GOALS {
            let cases = [case(false, &[goal], CaseStatus::JobSeeker, false)];
            for s in [Service::PaidPublicWorks, Service::TemporaryEmployment] {
                assert_eq!(
                    s.check(&cases),
                    Err(Ineligibility::NoOpenCaseWithEmploymentGoal),
                    "{s} {goal}"
                );
            }
        }
    }

    #[test]
    fn an_open_case_with_other_goals_does_not_count() {
        let others: Vec<Goal> = Goal::ALL
            .iter()
            .copied()
            .filter(|g| !EMPLOYMENT_GOALS.contains(g))
            .collect();
        assert!(!others.is_empty());
        let cases = [
            case(true, &others, CaseStatus::Unemployed, true),
            case(true, &[], CaseStatus::JobSeeker, false),
        ];
        assert_eq!(
            Service::PaidPublicWorks.check(&cases),
            Err(Ineligibility::NoOpenCaseWithEmploymentGoal)
        );
    }

    #[test]
    fn one_qualifying_case_among_others_is_enough() {
        let cases = [
            case(false, &[Goal::JobSearch], CaseStatus::JobSeeker, false),
            case(
                true,
                &[Goal::CareerGuidance, Goal::PublicWorks],
                CaseStatus::JobSeeker,
                false,
            ),
        ];
        assert_eq!(Service::TemporaryEmployment.check(&cases), Ok(()));
    }

    #[test]
    fn unemployed_status_opens_training_and_self_employment() {
        for open in [true, false] {
            let cases = [case(open, &[], CaseStatus::Unemployed, false)];
            assert_eq!(Service::VocationalTraining.check(&cases), Ok(()));
            assert_eq!(Service::SelfEmploymentSupport.check(&cases), Ok(()));
        }
        let seeker = [case(
            true,
            &[Goal::VocationalTraining],
            CaseStatus::JobSeeker,
            true,
        )];
        for s in [Service::VocationalTraining, Service::SelfEmploymentSupport] {
            assert_eq!(s.check(&seeker), Err(Ineligibility::NoUnemployedCase));
        }
    }

    #[test]
    fn a_personal_account_opens_social_payment_info() {
        for open in [true, false] {
            let cases = [case(open, &[], CaseStatus::JobSeeker, true)];
            assert_eq!(Service::SocialPaymentsInfo.check(&cases), Ok(()));
        }
        let without = [case(true, &EMPLOYMENT_GOALS, CaseStatus::Unemployed, false)];
        assert_eq!(
            Service::SocialPaymentsInfo.check(&without),
            Err(Ineligibility::NoPersonalAccount)
        );
    }

    #[test]
    fn everything_available_with_a_complete_case() {
        let cases = [case(true, &[Goal::JobSearch], CaseStatus::Unemployed, true)];
        assert_eq!(available(&cases), Service::ALL.to_vec());
    }

    #[test]
    fn reasons_have_codes_and_texts() {
        for r in Ineligibility::ALL {
            assert!(!r.title().is_empty());
            assert_eq!(Ineligibility::from_code(r.code()), Some(*r));
        }
    }
}
