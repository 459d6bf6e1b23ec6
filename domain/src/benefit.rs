//! The unemployment benefit application (seed 002 «Оформление пособия по безработице»,
//! SPEC §7): who may apply, which of their documents it must cite, how it moves — by
//! the appeal machine of SPEC §2 (`crate::appeal`), with «требуется доработка» being
//! `clarification_required` and a resubmission the applicant's answer — and the
//! payments an approval schedules.

use chrono::{Datelike, Months, NaiveDate};

use crate::appeal::{AppealStatus, Mover, Transition, TransitionError};
use crate::document::{DocumentKind, DocumentStatus};
use crate::eligibility::Ineligibility;
use crate::payment::Kopecks;
use crate::personal_case::{CaseStatus, PersonalCase};

/// The documents an application cites (seed 002: паспорт, трудовая книжка).
pub const REQUIRED_DOCUMENTS: [DocumentKind; 2] =
    [DocumentKind::Passport, DocumentKind::EmploymentRecord];

/// The longest schedule an approval makes, in months.
pub const MAX_MONTHS: u32 = 12;

/// Why an application was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BenefitError {
    /// SPEC §1: the benefit is for citizens registered as unemployed.
    #[error("the benefit is not available: {0}")]
    Ineligible(Ineligibility),
    /// One application at a time.
    #[error("an application is already being considered")]
    AlreadyOpen,
    /// A required kind of document is not among those cited.
    #[error("a {0} is required")]
    MissingDocument(DocumentKind),
    /// A cited document was rejected: it must be replaced first.
    #[error("a cited document was rejected")]
    RejectedDocument,
    /// Only an application the centre sent back is resubmitted.
    #[error("only an application awaiting changes is resubmitted")]
    NotAwaitingChanges { status: AppealStatus },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// An approval names the monthly amount and the number of months.
    #[error("an approval needs a schedule of 1 to {MAX_MONTHS} months")]
    ScheduleRequired,
}

impl BenefitError {
    /// What the citizen or the reviewer reads.
    pub fn message(&self) -> String {
        use crate::Coded;
        match self {
            BenefitError::Ineligible(i) => i.title().into(),
            BenefitError::AlreadyOpen => "Заявление на пособие уже подано и рассматривается".into(),
            BenefitError::MissingDocument(kind) => {
                format!("Приложите документ «{}»", kind.title())
            }
            BenefitError::RejectedDocument => {
                "Среди документов есть отклонённый: загрузите документ взамен него".into()
            }
            BenefitError::NotAwaitingChanges { status } => format!(
                "Повторно подаётся только заявление, возвращённое на доработку; это — «{}»",
                status.title()
            ),
            BenefitError::Transition(t) => t.to_string(),
            BenefitError::ScheduleRequired => format!(
                "Для одобрения укажите ежемесячную сумму и число месяцев (от 1 до {MAX_MONTHS})"
            ),
        }
    }
}

/// SPEC §1 read for the benefit: an open personal case in status «Безработный».
pub fn eligibility(cases: &[PersonalCase]) -> Result<(), Ineligibility> {
    if cases
        .iter()
        .any(|c| c.open && c.status == CaseStatus::Unemployed)
    {
        Ok(())
    } else {
        Err(Ineligibility::NoUnemployedCase)
    }
}

/// Who sees an application: its applicant, and staff of the centre considering it.
pub fn visible_to(viewer: &crate::actor::Actor, citizen_id: &str, centre_id: &str) -> bool {
    use crate::role::Role;
    match viewer.role {
        Role::Citizen => viewer.user_id == citizen_id,
        Role::Staff => viewer.centre_id.as_deref() == Some(centre_id),
        Role::Employer => false,
    }
}

/// Whether an application in `status` is still being considered (it blocks a second
/// one, and the certificate of seed 002).
pub fn is_open(status: AppealStatus) -> bool {
    !status.is_final()
}

/// The cited documents (the citizen's own, as stored) cover every required kind, and
/// none of them is rejected.
pub fn check_documents(cited: &[(DocumentKind, DocumentStatus)]) -> Result<(), BenefitError> {
    if cited.iter().any(|(_, s)| *s == DocumentStatus::Rejected) {
        return Err(BenefitError::RejectedDocument);
    }
    for kind in REQUIRED_DOCUMENTS {
        if !cited.iter().any(|(k, _)| *k == kind) {
            return Err(BenefitError::MissingDocument(kind));
        }
    }
    Ok(())
}

/// A new application: eligible, none open, documents in order.
pub fn apply(
    cases: &[PersonalCase],
    open_application: bool,
    cited: &[(DocumentKind, DocumentStatus)],
) -> Result<(), BenefitError> {
    eligibility(cases).map_err(BenefitError::Ineligible)?;
    if open_application {
        return Err(BenefitError::AlreadyOpen);
    }
    check_documents(cited)
}

/// A resubmission after «требуется доработка»: the applicant's move back to work.
pub fn resubmit(
    status: AppealStatus,
    cited: &[(DocumentKind, DocumentStatus)],
) -> Result<Transition, BenefitError> {
    if status != AppealStatus::ClarificationRequired {
        return Err(BenefitError::NotAwaitingChanges { status });
    }
    check_documents(cited)?;
    Ok(status.transition(
        AppealStatus::InProgress,
        Some("Заявление исправлено и подано повторно"),
        Mover::Applicant,
    )?)
}

/// One scheduled payment of an approved benefit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Paid on the 15th of the month after the period.
    pub pay_date: NaiveDate,
    pub amount: Kopecks,
}

/// A staff decision: the move, and for an approval the payments it schedules, month by
/// month from the first day of `start`'s month.
pub fn decide(
    status: AppealStatus,
    to: AppealStatus,
    comment: Option<&str>,
    schedule: Option<(Kopecks, u32)>,
    start: NaiveDate,
) -> Result<(Transition, Vec<Planned>), BenefitError> {
    let step = status.transition(to, comment, Mover::Staff)?;
    if to != AppealStatus::Completed {
        return Ok((step, Vec::new()));
    }
    let (amount, months) = schedule
        .filter(|(a, m)| a.0 > 0 && (1..=MAX_MONTHS).contains(m))
        .ok_or(BenefitError::ScheduleRequired)?;
    let first = start.with_day(1).unwrap_or(start);
    let plan = (0..months)
        .filter_map(|i| {
            let from = first.checked_add_months(Months::new(i))?;
            let next = from.checked_add_months(Months::new(1))?;
            Some(Planned {
                period_from: from,
                period_to: next.pred_opt()?,
                pay_date: next.with_day(15)?,
                amount,
            })
        })
        .collect();
    Ok((step, plan))
}

/// The label of an application's status as the benefit service words it (seed 002:
/// «Принято», «Требуется доработка», «Одобрено»).
pub fn status_title(status: AppealStatus) -> &'static str {
    match status {
        AppealStatus::Registered => "Принято",
        AppealStatus::InProgress => "В работе",
        AppealStatus::ClarificationRequired => "Требуется доработка",
        AppealStatus::Completed => "Одобрено",
        AppealStatus::Rejected => "Отклонено",
    }
}

/// The notification the applicant gets when the centre moves the application.
pub fn status_notice(to: AppealStatus, comment: Option<&str>) -> (String, String) {
    let label = status_title(to);
    let title = format!("Заявление на пособие по безработице: {label}");
    let body = match comment {
        Some(c) => format!("Комментарий специалиста: {c}"),
        None => "Статус заявления изменился.".into(),
    };
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind as K;
    use DocumentStatus as S;

    fn case(open: bool, status: CaseStatus) -> PersonalCase {
        PersonalCase {
            open,
            goals: vec![],
            status,
            has_personal_account: false,
        }
    }

    const GOOD: [(DocumentKind, DocumentStatus); 2] = [
        (K::Passport, S::Accepted),
        (K::EmploymentRecord, S::OnReview),
    ];

    #[test]
    fn who_may_apply() {
        let unemployed = [case(true, CaseStatus::Unemployed)];
        assert_eq!(apply(&unemployed, false, &GOOD), Ok(()));
        assert_eq!(
            apply(&[case(false, CaseStatus::Unemployed)], false, &GOOD),
            Err(BenefitError::Ineligible(Ineligibility::NoUnemployedCase))
        );
        assert_eq!(
            apply(&[case(true, CaseStatus::JobSeeker)], false, &GOOD),
            Err(BenefitError::Ineligible(Ineligibility::NoUnemployedCase))
        );
        assert_eq!(
            apply(&unemployed, true, &GOOD),
            Err(BenefitError::AlreadyOpen)
        );
        assert_eq!(
            apply(&unemployed, false, &[(K::Passport, S::Accepted)]),
            Err(BenefitError::MissingDocument(K::EmploymentRecord))
        );
        assert_eq!(
            apply(
                &unemployed,
                false,
                &[
                    (K::Passport, S::Accepted),
                    (K::EmploymentRecord, S::Accepted),
                    (K::Other, S::Rejected)
                ]
            ),
            Err(BenefitError::RejectedDocument)
        );
    }

    #[test]
    fn who_sees_an_application() {
        use crate::actor::tests::actor;
        use crate::role::Role;
        assert!(visible_to(
            &actor(Role::Citizen, None, None, false),
            "u1",
            "c1"
        ));
        assert!(!visible_to(
            &actor(Role::Citizen, None, None, false),
            "u2",
            "c1"
        ));
        assert!(visible_to(
            &actor(Role::Staff, Some("c1"), None, false),
            "u2",
            "c1"
        ));
        assert!(!visible_to(
            &actor(Role::Staff, Some("c2"), None, false),
            "u2",
            "c1"
        ));
        assert!(!visible_to(
            &actor(Role::Employer, Some("c1"), Some("o"), true),
            "u2",
            "c1"
        ));
    }

    #[test]
    fn only_a_returned_application_is_resubmitted() {
        for &status in <AppealStatus as crate::Coded>::ALL {
            let got = resubmit(status, &GOOD);
            if status == AppealStatus::ClarificationRequired {
                assert_eq!(got.unwrap().to, AppealStatus::InProgress);
            } else {
                assert_eq!(got, Err(BenefitError::NotAwaitingChanges { status }));
            }
        }
        assert_eq!(
            resubmit(AppealStatus::ClarificationRequired, &[]),
            Err(BenefitError::MissingDocument(K::Passport))
        );
        assert!(is_open(AppealStatus::ClarificationRequired));
        assert!(!is_open(AppealStatus::Rejected));
    }

    #[test]
    fn the_applicant_reads_the_seed_labels() {
        let (t, b) = status_notice(AppealStatus::ClarificationRequired, Some("Нет трудовой"));
        assert_eq!(
            t,
            "Заявление на пособие по безработице: Требуется доработка"
        );
        assert!(b.contains("Нет трудовой"));
        let (t, _) = status_notice(AppealStatus::Completed, None);
        assert!(t.ends_with("Одобрено"));
    }

    #[test]
    fn an_approval_schedules_monthly_payments() {
        let start = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let (step, plan) = decide(
            AppealStatus::InProgress,
            AppealStatus::Completed,
            None,
            Some((Kopecks(1_500_000), 3)),
            start,
        )
        .unwrap();
        assert_eq!(step.to, AppealStatus::Completed);
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[0].period_from.to_string(), "2026-11-01");
        assert_eq!(plan[0].period_to.to_string(), "2026-11-30");
        assert_eq!(plan[0].pay_date.to_string(), "2026-12-15");
        assert_eq!(plan[2].period_to.to_string(), "2027-01-31");
        assert_eq!(
            decide(
                AppealStatus::InProgress,
                AppealStatus::Completed,
                None,
                None,
                start
            ),
            Err(BenefitError::ScheduleRequired)
        );
        assert_eq!(
            decide(
                AppealStatus::InProgress,
                AppealStatus::Completed,
                None,
                Some((Kopecks(1), 13)),
                start
            ),
            Err(BenefitError::ScheduleRequired)
        );
        let (_, none) = decide(
            AppealStatus::InProgress,
            AppealStatus::Rejected,
            Some("Нет оснований"),
            None,
            start,
        )
        .unwrap();
        assert!(none.is_empty());
        assert!(matches!(
            decide(
                AppealStatus::Completed,
                AppealStatus::InProgress,
                None,
                None,
                start
            ),
            Err(BenefitError::Transition(_))
        ));
    }
}
