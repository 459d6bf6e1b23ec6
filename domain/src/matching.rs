//! Selecting vacancies for a job-search application (seed 004 «Подбор подходящих
//! вакансий»): which vacancies qualify, how they rank, and the machine-readable
//! reasons an offer carries; and the citizen's ordering of the offers.

use serde::{Deserialize, Serialize};

use crate::job_search::Wishes;
use crate::vacancy::{EmploymentType, Experience, Schedule};

/// A criterion the matching weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// The ОКПДТР code is the wished one.
    Profession,
    /// The category is the wished one (the profession may differ).
    Category,
    Region,
    Salary,
    EmploymentType,
    Schedule,
    Experience,
}

crate::coded_enum!(Criterion {
    Profession => ("profession", "Профессия"),
    Category => ("category", "Сфера деятельности"),
    Region => ("region", "Регион"),
    Salary => ("salary", "Заработная плата"),
    EmploymentType => ("employment_type", "Тип занятости"),
    Schedule => ("schedule", "График работы"),
    Experience => ("experience", "Опыт работы"),
});

/// What the matching reads of a vacancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyFacts {
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    pub employment_type: EmploymentType,
    pub schedule: Schedule,
    pub experience: Experience,
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
}

/// How well a vacancy fits: its score and, criterion by criterion, what matched and
/// what was relaxed to offer it anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    pub score: u32,
    pub matched: Vec<Criterion>,
    pub relaxed: Vec<Criterion>,
}

/// How many vacancies an application is offered at most.
pub const MAX_OFFERS: usize = 20;

/// Scores a vacancy for the wishes and the citizen's experience. Region and either the
/// profession or its category are required (`None` otherwise): a job elsewhere or in
/// another trade is not «подходящая работа». Salary, employment type, schedule and
/// experience add to the score when they fit and are reported relaxed when not.
pub fn fit(wishes: &Wishes, experience: Experience, v: &VacancyFacts) -> Option<Fit> {
    if v.region_code != wishes.region_code {
        return None;
    }
    let mut matched = vec![Criterion::Region];
    let mut relaxed = Vec::new();
    let mut score = 20;
    let same_profession = wishes.profession_code.is_some()
        && v.profession_code.as_deref() == wishes.profession_code.as_deref();
    if same_profession {
        matched.push(Criterion::Profession);
        score += 40;
    } else if v.category == wishes.category {
        matched.push(Criterion::Category);
        relaxed.push(Criterion::Profession);
        score += 20;
    } else {
        return None;
    }
    let pays = match wishes.salary_from {
        None => true,
        Some(floor) => v.salary_to.or(v.salary_from).is_some_and(|s| s >= floor),
    };
    let mut weigh = |ok: bool, c: Criterion, points: u32| {
        if ok {
            matched.push(c);
            score += points;
        } else {
            relaxed.push(c);
        }
    };
    weigh(pays, Criterion::Salary, 15);
    weigh(
        wishes.employment_types.contains(&v.employment_type),
        Criterion::EmploymentType,
        10,
    );
    weigh(
        wishes.schedules.contains(&v.schedule),
        Criterion::Schedule,
        10,
    );
    weigh(v.experience <= experience, Criterion::Experience, 5);
    Some(Fit {
        score,
        matched,
        relaxed,
    })
}

/// The best `MAX_OFFERS` of scored candidates, highest score first; ties keep the
/// order given (the caller's: newest first).
pub fn best<T>(mut scored: Vec<(T, Fit)>) -> Vec<(T, Fit)> {
    scored.sort_by_key(|(_, f)| std::cmp::Reverse(f.score));
    scored.truncate(MAX_OFFERS);
    scored
}

/// Why an ordering of the offers was refused (seed 004 «Расстановка приоритетов»: the
/// citizen orders the offered vacancies, all of them, each once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriorityError {
    #[error("vacancy #{0} is not among the offered ones")]
    NotOffered(usize),
    #[error("vacancy #{0} is listed twice")]
    Repeated(usize),
    #[error("every offered vacancy must be ordered")]
    Incomplete,
}

/// Checks that `order` is a permutation of `offered`.
pub fn check_priorities<S: AsRef<str>>(offered: &[S], order: &[S]) -> Result<(), PriorityError> {
    for (i, id) in order.iter().enumerate() {
        if !offered.iter().any(|o| o.as_ref() == id.as_ref()) {
            return Err(PriorityError::NotOffered(i));
        }
        if order[..i].iter().any(|o| o.as_ref() == id.as_ref()) {
            return Err(PriorityError::Repeated(i));
        }
    }
    if order.len() != offered.len() {
        return Err(PriorityError::Incomplete);
    }
    Ok(())
}

/// Checks the vacancies staff agreed with employers before negotiations (seed 004
/// «Отклик…», шаг 5): at least one, each offered, none twice.
pub fn check_agreed<S: AsRef<str>>(offered: &[S], agreed: &[S]) -> Result<(), PriorityError> {
    if agreed.is_empty() {
        return Err(PriorityError::Incomplete);
    }
    for (i, id) in agreed.iter().enumerate() {
        if !offered.iter().any(|o| o.as_ref() == id.as_ref()) {
            return Err(PriorityError::NotOffered(i));
        }
        if agreed[..i].iter().any(|o| o.as_ref() == id.as_ref()) {
            return Err(PriorityError::Repeated(i));
        }
    }
    Ok(())
}

/// Where an offered vacancy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferSource {
    /// Selected by the portal.
    Matched,
    /// Added by centre staff.
    Staff,
}

crate::coded_enum!(OfferSource {
    Matched => ("matched", "Подобрана порталом"),
    Staff => ("staff", "Добавлена сотрудником центра занятости"),
});

/// What the employer whose vacancy matched is told («Списки подходящих кандидатов»).
pub fn candidate_notice(vacancy_title: &str, score: u32) -> (String, String) {
    (
        format!("Подходящий кандидат на вакансию «{vacancy_title}»"),
        format!(
            "Центр занятости подобрал кандидата на вакансию «{vacancy_title}» (соответствие {score} из 100). Сотрудник центра свяжется с вами для согласования кандидатуры."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vacancy::{EmploymentType as Et, Experience as Ex, Schedule as Sc};
    use Criterion::{Category, Profession, Region, Salary};

    fn wishes() -> Wishes {
        Wishes {
            profession_code: Some("16675".into()),
            category: "services".into(),
            region_code: "77".into(),
            salary_from: Some(60_000),
            employment_types: vec![Et::FullTime],
            schedules: vec![Sc::Shift],
        }
    }

    fn vacancy() -> VacancyFacts {
        VacancyFacts {
            profession_code: Some("16675".into()),
            category: "services".into(),
            region_code: "77".into(),
            employment_type: Et::FullTime,
            schedule: Sc::Shift,
            experience: Ex::From1To3,
            salary_from: Some(50_000),
            salary_to: Some(80_000),
        }
    }

    #[test]
    fn a_perfect_fit_scores_100_with_every_criterion_matched() {
        let f = fit(&wishes(), Ex::From3To6, &vacancy()).unwrap();
        assert_eq!(f.score, 100);
        assert_eq!(
            f.matched,
            [
                Region,
                Profession,
                Salary,
                Criterion::EmploymentType,
                Criterion::Schedule,
                Criterion::Experience
            ]
        );
        assert!(f.relaxed.is_empty());
    }

    #[test]
    fn region_and_trade_are_required() {
        let mut v = vacancy();
        v.region_code = "50".into();
        assert_eq!(fit(&wishes(), Ex::From3To6, &v), None);
        let mut v = vacancy();
        v.profession_code = Some("11111".into());
        v.category = "it".into();
        assert_eq!(fit(&wishes(), Ex::From3To6, &v), None);
        // Same category, another profession: offered, the profession relaxed.
        v.category = "services".into();
        let f = fit(&wishes(), Ex::From3To6, &v).unwrap();
        assert_eq!(f.score, 80);
        assert!(f.matched.contains(&Category) && f.relaxed == [Profession]);
    }

    #[test]
    fn each_soft_criterion_is_relaxed_on_its_own() {
        let base = fit(&wishes(), Ex::From3To6, &vacancy()).unwrap().score;
        type Case = (fn(&mut VacancyFacts), Criterion, u32);
        let cases: [Case; 4] = [
            (|v| v.salary_to = Some(59_999), Salary, 15),
            (
                |v| v.employment_type = Et::PartTime,
                Criterion::EmploymentType,
                10,
            ),
            (|v| v.schedule = Sc::Flexible, Criterion::Schedule, 10),
            (|v| v.experience = Ex::Over6, Criterion::Experience, 5),
        ];
        for (change, criterion, points) in cases {
            let mut v = vacancy();
            change(&mut v);
            let f = fit(&wishes(), Ex::From3To6, &v).unwrap();
            assert_eq!(f.relaxed, [criterion]);
            assert_eq!(f.score, base - points, "{criterion:?}");
        }
    }

    #[test]
    fn salary_uses_the_figure_there_is_and_no_floor_takes_all() {
        let mut v = vacancy();
        v.salary_to = None;
        v.salary_from = Some(60_000);
        assert!(fit(&wishes(), Ex::None, &v)
            .unwrap()
            .matched
            .contains(&Salary));
        v.salary_from = None;
        assert!(fit(&wishes(), Ex::None, &v)
            .unwrap()
            .relaxed
            .contains(&Salary));
        let mut w = wishes();
        w.salary_from = None;
        assert!(fit(&w, Ex::None, &v).unwrap().matched.contains(&Salary));
    }

    #[test]
    fn best_keeps_the_top_twenty_by_score_stably() {
        let scored: Vec<(usize, Fit)> = (0..30)
            .map(|i| {
                let score = if i % 2 == 0 { 50 } else { 90 };
                (
                    i,
                    Fit {
                        score,
                        matched: vec![],
                        relaxed: vec![],
                    },
                )
            })
            .collect();
        let top = best(scored);
        assert_eq!(top.len(), MAX_OFFERS);
        assert!(top[..15].iter().all(|(_, f)| f.score == 90));
        assert_eq!(top[0].0, 1);
        assert_eq!(top[15].0, 0);
    }

    #[test]
    fn priorities_are_a_permutation_of_the_offers() {
        let offered = ["a", "b", "c"];
        assert_eq!(check_priorities(&offered, &["c", "a", "b"]), Ok(()));
        assert_eq!(
            check_priorities(&offered, &["c", "x", "b"]),
            Err(PriorityError::NotOffered(1))
        );
        assert_eq!(
            check_priorities(&offered, &["c", "c", "b"]),
            Err(PriorityError::Repeated(1))
        );
        assert_eq!(
            check_priorities(&offered, &["c", "a"]),
            Err(PriorityError::Incomplete)
        );
        assert_eq!(check_priorities::<&str>(&[], &[]), Ok(()));
    }

    #[test]
    fn agreed_vacancies_are_some_of_the_offers() {
        let offered = ["a", "b", "c"];
        assert_eq!(check_agreed(&offered, &["b"]), Ok(()));
        assert_eq!(check_agreed(&offered, &["c", "a", "b"]), Ok(()));
        assert_eq!(check_agreed(&offered, &[]), Err(PriorityError::Incomplete));
        assert_eq!(
            check_agreed(&offered, &["b", "z"]),
            Err(PriorityError::NotOffered(1))
        );
        assert_eq!(
            check_agreed(&offered, &["b", "b"]),
            Err(PriorityError::Repeated(1))
        );
    }

    #[test]
    fn the_employer_notice_names_the_vacancy() {
        let (title, body) = candidate_notice("Повар", 85);
        assert_eq!(title, "Подходящий кандидат на вакансию «Повар»");
        assert!(body.contains("85 из 100"));
    }
}
