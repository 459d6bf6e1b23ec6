//! Vacancies and their search (SPEC §5): the national platform's value lists for
//! employment type and schedule, and the filter that both the database query and the
//! saved-search matcher apply.

use serde::{Deserialize, Serialize};

use crate::vacancy_search::{self, SalaryBand};
use crate::Coded;

/// Тип занятости, as «Работа в России» lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Temporary,
    Internship,
    Seasonal,
    Remote,
}

crate::coded_enum!(EmploymentType {
    FullTime => ("full_time", "Полная занятость"),
    PartTime => ("part_time", "Частичная занятость"),
    Temporary => ("temporary", "Временная"),
    Internship => ("internship", "Стажировка"),
    Seasonal => ("seasonal", "Сезонная занятость"),
    Remote => ("remote", "Удаленная"),
});

/// График работы, as «Работа в России» lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    FullDay,
    Shift,
    Flexible,
    Rotation,
    Irregular,
    PartDay,
}

crate::coded_enum!(Schedule {
    FullDay => ("full_day", "Полный рабочий день"),
    Shift => ("shift", "Сменный график"),
    Flexible => ("flexible", "Гибкий график"),
    Rotation => ("rotation", "Вахтовый метод"),
    Irregular => ("irregular", "Ненормированный рабочий день"),
    PartDay => ("part_day", "Неполный рабочий день"),
});

/// Required work experience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Experience {
    None,
    #[serde(rename = "up_to_1")]
    UpTo1,
    #[serde(rename = "from_1_to_3")]
    From1To3,
    #[serde(rename = "from_3_to_6")]
    From3To6,
    #[serde(rename = "over_6")]
    Over6,
}

crate::coded_enum!(Experience {
    None => ("none", "Без опыта"),
    UpTo1 => ("up_to_1", "До 1 года"),
    From1To3 => ("from_1_to_3", "От 1 года до 3 лет"),
    From3To6 => ("from_3_to_6", "От 3 до 6 лет"),
    Over6 => ("over_6", "Более 6 лет"),
});

/// Level of education.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    BasicGeneral,
    SecondaryGeneral,
    SecondaryVocational,
    HigherBachelor,
    HigherSpecialistMaster,
    HigherQualification,
}

crate::coded_enum!(EducationLevel {
    BasicGeneral => ("basic_general", "Основное общее"),
    SecondaryGeneral => ("secondary_general", "Среднее общее"),
    SecondaryVocational => ("secondary_vocational", "Среднее профессиональное"),
    HigherBachelor => ("higher_bachelor", "Высшее — бакалавриат"),
    HigherSpecialistMaster => ("higher_specialist_master", "Высшее — специалитет, магистратура"),
    HigherQualification => ("higher_qualification", "Высшее — подготовка кадров высшей квалификации"),
});

/// Social guarantees an employer offers (социальные гарантии).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    Housing,
    Transport,
    Meals,
    MedicalInsurance,
    Childcare,
    Relocation,
    Training,
}

crate::coded_enum!(Benefit {
    Housing => ("housing", "Предоставление жилья"),
    Transport => ("transport", "Компенсация проезда"),
    Meals => ("meals", "Питание"),
    MedicalInsurance => ("medical_insurance", "Добровольное медицинское страхование"),
    Childcare => ("childcare", "Место в детском саду"),
    Relocation => ("relocation", "Помощь в переезде"),
    Training => ("training", "Обучение за счёт работодателя"),
});

/// Publication period filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedWithin {
    Day,
    Week,
    Month,
}

crate::coded_enum!(PublishedWithin {
    Day => ("day", "За 24 часа"),
    Week => ("week", "За 7 дней"),
    Month => ("month", "За 30 дней"),
});

impl PublishedWithin {
    pub fn hours(self) -> i64 {
        match self {
            PublishedWithin::Day => 24,
            PublishedWithin::Week => 24 * 7,
            PublishedWithin::Month => 24 * 30,
        }
    }
}

/// Sort orders of the vacancy search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VacancySort {
    #[default]
    Date,
    Salary,
    Rating,
    /// A match in the title before one only in the description, newest first within
    /// each; the default when the search has words. Without words, as `Date`.
    Relevance,
}

crate::coded_enum!(VacancySort {
    Date => ("date", "По дате публикации"),
    Salary => ("salary", "По зарплате"),
    Rating => ("rating", "По рейтингу работодателя"),
    Relevance => ("relevance", "По соответствию"),
});

/// Benefits are stored as `,a,b,` so that "has benefit x" is one `LIKE '%,x,%'`.
pub fn benefits_to_column(benefits: &[Benefit]) -> String {
    let mut list = benefits.to_vec();
    list.sort();
    list.dedup();
    if list.is_empty() {
        return String::new();
    }
    format!(
        ",{},",
        list.iter().map(|b| b.code()).collect::<Vec<_>>().join(",")
    )
}

pub fn benefits_from_column(column: &str) -> Result<Vec<Benefit>, crate::UnknownCode> {
    column
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::parse)
        .collect()
}

/// SPEC §3 «напоминания о подтверждении вакансий»: a vacancy open this many days is
/// due for its organisation to confirm it still stands.
pub const CONFIRM_AFTER_DAYS: i64 = 30;

/// Why a salary range was refused (SPEC §5: salary from > 0 and not above salary to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SalaryError {
    #[error("salary must be above zero")]
    NotPositive,
    #[error("salary from is above salary to")]
    Inverted,
}

/// Checks a salary range as offered in a vacancy.
pub fn check_salary(from: Option<i64>, to: Option<i64>) -> Result<(), SalaryError> {
    if from.is_some_and(|v| v <= 0) || to.is_some_and(|v| v <= 0) {
        return Err(SalaryError::NotPositive);
    }
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(SalaryError::Inverted),
        _ => Ok(()),
    }
}

/// The facts of a vacancy the search looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct VacancyFacts {
    pub region_code: String,
    /// Stems of the title and the profession name (`vacancy_search::indexed`).
    pub title_stems: String,
    /// Stems of the description.
    pub body_stems: String,
    /// ОКПДТР code.
    pub profession_code: Option<String>,
    pub category: String,
    pub employment_type: EmploymentType,
    pub schedule: Schedule,
    pub experience: Experience,
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
    pub benefits: Vec<Benefit>,
    /// Hours since publication.
    pub age_hours: i64,
}

/// A vacancy search. Every field narrows; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VacancyFilter {
    pub region: Option<String>,
    pub text: Option<String>,
    pub category: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub schedule: Option<Schedule>,
    pub experience: Option<Experience>,
    /// The least the seeker will take: vacancies whose top (or only) figure reaches it.
    pub salary_from: Option<i64>,
    /// The most: vacancies whose bottom (or only) figure is within it.
    pub salary_to: Option<i64>,
    /// Every listed benefit must be offered.
    #[serde(default)]
    pub benefits: Vec<Benefit>,
    pub published_within: Option<PublishedWithin>,
    /// ОКПДТР code of the profession.
    #[serde(default)]
    pub profession_code: Option<String>,
    /// The band of the top (or only) salary figure.
    #[serde(default)]
    pub salary_band: Option<SalaryBand>,
    /// Only vacancies published or changed strictly after this moment (UTC): a poll's
    /// cursor rather than a criterion, so a saved search never keeps it (it is not
    /// serialised) and [`VacancyFilter::matches`], which tells saved searches of new
    /// vacancies, does not look at it; the SQL search applies it.
    #[serde(skip)]
    pub updated_since: Option<chrono::NaiveDateTime>,
}

/// A text filter as searches match it (vacancies and the candidate bank alike):
/// trimmed and lower-cased, or none when blank.
pub fn needle(text: Option<&str>) -> Option<String> {
    text.map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
}

impl VacancyFilter {
    /// The text filter as matched (see [`needle`]).
    pub fn needle(&self) -> Option<String> {
        needle(self.text.as_deref())
    }

    /// The stems the text filter looks for (none: the text filters nothing).
    pub fn stems(&self) -> Vec<String> {
        vacancy_search::query(self.text.as_deref())
    }

    /// Whether a vacancy passes the filter. The SQL query in `persistence` applies the
    /// same conditions; saved searches use this one on each new vacancy.
    pub fn matches(&self, v: &VacancyFacts) -> bool {
        let top = v.salary_to.or(v.salary_from);
        let bottom = v.salary_from.or(v.salary_to);
        self.region.as_ref().is_none_or(|r| *r == v.region_code)
            && vacancy_search::holds_all(&[&v.title_stems, &v.body_stems], &self.stems())
            && self
                .profession_code
                .as_ref()
                .is_none_or(|p| v.profession_code.as_ref() == Some(p))
            && self.salary_band.is_none_or(|b| SalaryBand::of(top) == b)
            && self.category.as_ref().is_none_or(|c| *c == v.category)
            && self.employment_type.is_none_or(|t| t == v.employment_type)
            && self.schedule.is_none_or(|s| s == v.schedule)
            && self.experience.is_none_or(|e| e == v.experience)
            && self
                .salary_from
                .is_none_or(|min| top.is_some_and(|t| t >= min))
            && self
                .salary_to
                .is_none_or(|max| bottom.is_some_and(|b| b <= max))
            && self.benefits.iter().all(|b| v.benefits.contains(b))
            && self
                .published_within
                .is_none_or(|p| v.age_hours < p.hours())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> VacancyFacts {
        VacancyFacts {
            region_code: "77".into(),
            title_stems: vacancy_search::indexed("Повар горячего цеха повар"),
            body_stems: vacancy_search::indexed("Готовить супы"),
            profession_code: Some("16675".into()),
            category: "services".into(),
            employment_type: EmploymentType::FullTime,
            schedule: Schedule::Shift,
            experience: Experience::From1To3,
            salary_from: Some(60_000),
            salary_to: Some(80_000),
            benefits: vec![Benefit::Meals, Benefit::Transport],
            age_hours: 30,
        }
    }

    #[test]
    fn the_empty_filter_matches_everything() {
        assert!(VacancyFilter::default().matches(&facts()));
    }

    #[test]
    fn each_condition_narrows() {
        let v = facts();
        let cases: Vec<(VacancyFilter, bool)> = vec![
            (
                VacancyFilter {
                    region: Some("77".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    region: Some("78".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    text: Some("  ПОВАР ".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    text: Some("сварщик".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    text: Some("поварами горячих".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    text: Some("повара супов".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    text: Some("пов".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    profession_code: Some("16675".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    profession_code: Some("11442".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    salary_band: Some(SalaryBand::From60kTo100k),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    salary_band: Some(SalaryBand::From30kTo60k),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    text: Some("   ".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    category: Some("services".into()),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    category: Some("it".into()),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    employment_type: Some(EmploymentType::FullTime),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    employment_type: Some(EmploymentType::Remote),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    schedule: Some(Schedule::Shift),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    schedule: Some(Schedule::Rotation),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    experience: Some(Experience::From1To3),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    experience: Some(Experience::None),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    salary_from: Some(80_000),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    salary_from: Some(80_001),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    salary_to: Some(60_000),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    salary_to: Some(59_999),
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    benefits: vec![Benefit::Meals],
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    benefits: vec![Benefit::Meals, Benefit::Housing],
                    ..Default::default()
                },
                false,
            ),
            (
                VacancyFilter {
                    published_within: Some(PublishedWithin::Week),
                    ..Default::default()
                },
                true,
            ),
            (
                VacancyFilter {
                    published_within: Some(PublishedWithin::Day),
                    ..Default::default()
                },
                false,
            ),
        ];
        for (filter, expected) in cases {
            assert_eq!(filter.matches(&v), expected, "{filter:?}");
        }
    }

    #[test]
    fn salary_filters_use_the_figure_there_is() {
        let only_from = VacancyFacts {
            salary_to: None,
            ..facts()
        };
        assert!(VacancyFilter {
            salary_from: Some(60_000),
            ..Default::default()
        }
        .matches(&only_from));
        assert!(!VacancyFilter {
            salary_from: Some(70_000),
            ..Default::default()
        }
        .matches(&only_from));
        let unpaid = VacancyFacts {
            salary_from: None,
            salary_to: None,
            ..facts()
        };
        assert!(!VacancyFilter {
            salary_from: Some(1),
            ..Default::default()
        }
        .matches(&unpaid));
        assert!(!VacancyFilter {
            salary_to: Some(1_000_000),
            ..Default::default()
        }
        .matches(&unpaid));
    }

    #[test]
    fn salary_ranges() {
        assert_eq!(check_salary(Some(10), Some(20)), Ok(()));
        assert_eq!(check_salary(Some(20), Some(20)), Ok(()));
        assert_eq!(check_salary(None, None), Ok(()));
        assert_eq!(check_salary(Some(30), Some(20)), Err(SalaryError::Inverted));
        assert_eq!(check_salary(Some(0), None), Err(SalaryError::NotPositive));
        assert_eq!(check_salary(None, Some(-5)), Err(SalaryError::NotPositive));
    }

    #[test]
    fn benefits_column_round_trips() {
        let column = benefits_to_column(&[Benefit::Meals, Benefit::Housing, Benefit::Meals]);
        assert_eq!(column, ",housing,meals,");
        assert_eq!(
            benefits_from_column(&column).unwrap(),
            vec![Benefit::Housing, Benefit::Meals]
        );
        assert_eq!(benefits_to_column(&[]), "");
        assert_eq!(benefits_from_column("").unwrap(), vec![]);
        assert!(benefits_from_column(",spa,").is_err());
    }

    #[test]
    fn periods() {
        assert_eq!(PublishedWithin::Day.hours(), 24);
        assert_eq!(PublishedWithin::Week.hours(), 168);
        assert_eq!(PublishedWithin::Month.hours(), 720);
    }
}
