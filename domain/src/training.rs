//! Vocational training (seeds 002, 003 «Запись на профессиональное обучение»; SPEC §1,
//! §7): the catalogue's dictionaries, what a course must hold, and who may enrol in
//! a course and cancel an enrolment. The vocational-training condition itself is
//! SPEC §1's, applied through [`Service::VocationalTraining`], not restated here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::eligibility::{Ineligibility, Service};
use crate::personal_case::PersonalCase;

/// How a course is taught (seed 003: «очно, онлайн, гибрид»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseFormat {
    InPerson,
    Online,
    Blended,
}

crate::coded_enum!(CourseFormat {
    InPerson => ("in_person", "Очно"),
    Online => ("online", "Онлайн"),
    Blended => ("blended", "Смешанный"),
});

/// The level of preparation a course gives (seed 003 «уровни подготовки»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseLevel {
    Basic,
    Advanced,
    Retraining,
}

crate::coded_enum!(CourseLevel {
    Basic => ("basic", "Профессиональное обучение"),
    Advanced => ("advanced", "Повышение квалификации"),
    Retraining => ("retraining", "Профессиональная переподготовка"),
});

/// The field a course belongs to (seed 003 «тематики»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseTheme {
    It,
    Office,
    Construction,
    Industry,
    Transport,
    Healthcare,
    Trade,
    Services,
    Agriculture,
}

crate::coded_enum!(CourseTheme {
    It => ("it", "Информационные технологии"),
    Office => ("office", "Бухгалтерия и делопроизводство"),
    Construction => ("construction", "Строительство и ЖКХ"),
    Industry => ("industry", "Промышленность и производство"),
    Transport => ("transport", "Транспорт и логистика"),
    Healthcare => ("healthcare", "Здравоохранение и уход"),
    Trade => ("trade", "Торговля"),
    Services => ("services", "Сфера услуг и общепит"),
    Agriculture => ("agriculture", "Сельское хозяйство"),
});

/// The order of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseSort {
    /// Soonest start first.
    #[default]
    StartDate,
    /// Cheapest first (free courses lead).
    Cost,
    /// Shortest first, by academic hours.
    Duration,
    /// Newest in the catalogue first.
    Newest,
}

crate::coded_enum!(CourseSort {
    StartDate => ("start_date", "По дате начала"),
    Cost => ("cost", "По стоимости"),
    Duration => ("duration", "По продолжительности"),
    Newest => ("newest", "Сначала новые"),
});

/// Whether a course takes enrolments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseStatus {
    Open,
    Withdrawn,
}

crate::coded_enum!(CourseStatus {
    Open => ("open", "Идёт набор"),
    Withdrawn => ("withdrawn", "Снят с публикации"),
});

/// An enrolment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    Active,
    Cancelled,
    /// The centre withdrew the course.
    CourseWithdrawn,
}

crate::coded_enum!(EnrolmentStatus {
    Active => ("active", "Вы записаны"),
    Cancelled => ("cancelled", "Запись отменена"),
    CourseWithdrawn => ("course_withdrawn", "Курс отменён центром занятости"),
});

/// Why a citizen may not enrol or cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentError {
    /// SPEC §1: vocational training needs a case in status «Безработный».
    #[error("vocational training is not available: {0:?}")]
    Ineligible(Ineligibility),
    #[error("the course was withdrawn")]
    Withdrawn,
    #[error("the course has started")]
    Started,
    #[error("no places left")]
    Full,
    #[error("already enrolled")]
    AlreadyEnrolled,
    #[error("the enrolment is not active")]
    NotActive,
}

impl EnrolmentError {
    /// What the citizen reads.
    pub fn message(self) -> String {
        match self {
            EnrolmentError::Ineligible(reason) => {
                format!(
                    "Запись на обучение недоступна. {}",
                    crate::Coded::title(reason)
                )
            }
            EnrolmentError::Withdrawn => "Курс снят с публикации, запись закрыта".into(),
            EnrolmentError::Started => "Курс уже начался".into(),
            EnrolmentError::Full => "Свободных мест на курсе нет".into(),
            EnrolmentError::AlreadyEnrolled => "Вы уже записаны на этот курс".into(),
            EnrolmentError::NotActive => "Запись уже отменена".into(),
        }
    }
}

/// What the enrolment rules look at about a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourseFacts {
    pub status: CourseStatus,
    pub starts_on: NaiveDate,
}

/// Whether the citizen with `cases` may enrol in the course on `today`: SPEC §1 first
/// (an ineligible citizen hears why whatever the course), then the course must take
/// enrolments and not have started. Places and duplicates are the store's to decide,
/// atomically.
pub fn may_enrol(
    cases: &[PersonalCase],
    course: CourseFacts,
    today: NaiveDate,
) -> Result<(), EnrolmentError> {
    Service::VocationalTraining
        .check(cases)
        .map_err(EnrolmentError::Ineligible)?;
    if course.status == CourseStatus::Withdrawn {
        return Err(EnrolmentError::Withdrawn);
    }
    if course.starts_on <= today {
        return Err(EnrolmentError::Started);
    }
    Ok(())
}

/// Whether an enrolment may be cancelled on `today`: while active and before the
/// course starts (the place then goes to someone else).
pub fn may_cancel(
    status: EnrolmentStatus,
    starts_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), EnrolmentError> {
    if status != EnrolmentStatus::Active {
        return Err(EnrolmentError::NotActive);
    }
    if starts_on <= today {
        return Err(EnrolmentError::Started);
    }
    Ok(())
}

/// The notification a citizen gets when the centre withdraws a course they enrolled in.
pub fn withdrawal_notice(course_title: &str) -> (String, String) {
    (
        "Курс отменён".to_owned(),
        format!(
            "Центр занятости отменил курс «{course_title}». Ваша запись аннулирована; выберите другой курс в каталоге."
        ),
    )
}

/// Why a course's details were refused; each names its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CourseError {
    #[error("the course ends before it starts")]
    EndsBeforeStart,
    #[error("capacity below the places taken")]
    CapacityBelowTaken { taken: i32 },
}

impl CourseError {
    /// The field and what staff read.
    pub fn field_and_message(self) -> (&'static str, String) {
        match self {
            CourseError::EndsBeforeStart => ("ends_on", "Дата окончания раньше даты начала".into()),
            CourseError::CapacityBelowTaken { taken } => (
                "capacity",
                format!("Мест не может быть меньше, чем уже записано: {taken}"),
            ),
        }
    }
}

/// The dates of a course, checked.
pub fn check_dates(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), CourseError> {
    if ends_on < starts_on {
        return Err(CourseError::EndsBeforeStart);
    }
    Ok(())
}

/// A new capacity, checked against the places already taken.
pub fn check_capacity(capacity: i32, taken: i32) -> Result<(), CourseError> {
    if capacity < taken {
        return Err(CourseError::CapacityBelowTaken { taken });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal_case::{CaseStatus, Goal};
    use crate::Coded;

    fn case(status: CaseStatus) -> PersonalCase {
        PersonalCase {
            open: true,
            goals: vec![Goal::JobSearch],
            status,
            has_personal_account: false,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn open_on(d: u32) -> CourseFacts {
        CourseFacts {
            status: CourseStatus::Open,
            starts_on: day(d),
        }
    }

    #[test]
    fn an_unemployed_citizen_enrols_in_an_open_course_not_yet_started() {
        let cases = [case(CaseStatus::Unemployed)];
        assert_eq!(may_enrol(&cases, open_on(10), day(9)), Ok(()));
        assert_eq!(
            may_enrol(&cases, open_on(10), day(10)),
            Err(EnrolmentError::Started)
        );
        assert_eq!(
            may_enrol(&cases, open_on(10), day(11)),
            Err(EnrolmentError::Started)
        );
        let withdrawn = CourseFacts {
            status: CourseStatus::Withdrawn,
            starts_on: day(10),
        };
        assert_eq!(
            may_enrol(&cases, withdrawn, day(1)),
            Err(EnrolmentError::Withdrawn)
        );
    }

    #[test]
    fn eligibility_is_spec_one_and_comes_first() {
        let withdrawn = CourseFacts {
            status: CourseStatus::Withdrawn,
            starts_on: day(1),
        };
        for cases in [vec![], vec![case(CaseStatus::JobSeeker)]] {
            assert_eq!(
                may_enrol(&cases, withdrawn, day(5)),
                Err(EnrolmentError::Ineligible(Ineligibility::NoUnemployedCase))
            );
            assert_eq!(
                may_enrol(&cases, open_on(10), day(1)),
                Err(EnrolmentError::Ineligible(Ineligibility::NoUnemployedCase))
            );
        }
        // The same rule the services list applies.
        let jobseeker = [case(CaseStatus::JobSeeker)];
        assert!(Service::VocationalTraining.check(&jobseeker).is_err());
    }

    #[test]
    fn only_an_active_enrolment_is_cancelled_and_only_before_the_start() {
        for status in EnrolmentStatus::ALL {
            let got = may_cancel(*status, day(10), day(9));
            match status {
                EnrolmentStatus::Active => assert_eq!(got, Ok(())),
                _ => assert_eq!(got, Err(EnrolmentError::NotActive)),
            }
        }
        assert_eq!(
            may_cancel(EnrolmentStatus::Active, day(10), day(10)),
            Err(EnrolmentError::Started)
        );
    }

    #[test]
    fn course_details_are_checked() {
        assert_eq!(check_dates(day(1), day(1)), Ok(()));
        assert_eq!(
            check_dates(day(2), day(1)),
            Err(CourseError::EndsBeforeStart)
        );
        assert_eq!(check_capacity(5, 5), Ok(()));
        assert_eq!(
            check_capacity(4, 5),
            Err(CourseError::CapacityBelowTaken { taken: 5 })
        );
        assert_eq!(
            CourseError::EndsBeforeStart.field_and_message().0,
            "ends_on"
        );
        assert!(CourseError::CapacityBelowTaken { taken: 3 }
            .field_and_message()
            .1
            .contains('3'));
    }

    #[test]
    fn every_refusal_has_a_russian_message() {
        let all = [
            EnrolmentError::Ineligible(Ineligibility::NoUnemployedCase),
            EnrolmentError::Withdrawn,
            EnrolmentError::Started,
            EnrolmentError::Full,
            EnrolmentError::AlreadyEnrolled,
            EnrolmentError::NotActive,
        ];
        for e in all {
            assert!(e.message().chars().any(|c| ('а'..='я').contains(&c)));
        }
        assert!(EnrolmentError::Ineligible(Ineligibility::NoUnemployedCase)
            .message()
            .contains("Безработный"));
    }

    #[test]
    fn a_withdrawal_names_the_course() {
        let (title, body) = withdrawal_notice("Оператор ЭВМ");
        assert_eq!(title, "Курс отменён");
        assert!(body.contains("«Оператор ЭВМ»"));
    }

    #[test]
    fn formats_have_the_catalogue_s_russian_titles() {
        let titles: Vec<_> = CourseFormat::ALL.iter().map(|f| f.title()).collect();
        assert_eq!(titles, ["Очно", "Онлайн", "Смешанный"]);
    }
}
