//! The citizen's personal case (личное дело), opened and kept by centre staff
//! (SPEC §1). Its goals and status decide which services the citizen may request.

use serde::{Deserialize, Serialize};

/// Why the citizen came to the centre (цель обращения).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    JobSearch,
    PublicWorks,
    MinorTemporaryEmployment,
    CareerGuidance,
    VocationalTraining,
    SelfEmployment,
}

crate::coded_enum!(Goal {
    JobSearch => ("job_search", "Поиск подходящей работы"),
    PublicWorks => ("public_works", "Участие в общественных работах"),
    MinorTemporaryEmployment => ("minor_temporary_employment", "Временное трудоустройство несовершеннолетних граждан"),
    CareerGuidance => ("career_guidance", "Профессиональная ориентация"),
    VocationalTraining => ("vocational_training", "Профессиональное обучение"),
    SelfEmployment => ("self_employment", "Содействие самозанятости"),
});

/// The citizen's standing in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    JobSeeker,
    Unemployed,
}

crate::coded_enum!(CaseStatus {
    JobSeeker => ("job_seeker", "Ищущий работу"),
    Unemployed => ("unemployed", "Безработный"),
});

/// What the eligibility rules need to know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalCase {
    pub open: bool,
    pub goals: Vec<Goal>,
    pub status: CaseStatus,
    pub has_personal_account: bool,
}

/// Goals are stored as a comma-separated list of codes; this keeps the two directions
/// in one place.
pub fn goals_to_codes(goals: &[Goal]) -> String {
    let mut goals = goals.to_vec();
    goals.sort();
    goals.dedup();
    goals
        .iter()
        .map(|g| crate::Coded::code(*g))
        .collect::<Vec<_>>()
        .join(",")
}

/// The inverse of [`goals_to_codes`]; unknown codes are an error, never dropped.
pub fn goals_from_codes(codes: &str) -> Result<Vec<Goal>, crate::UnknownCode> {
    codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn goals_round_trip_sorted_and_unique() {
        let stored = goals_to_codes(&[Goal::PublicWorks, Goal::JobSearch, Goal::PublicWorks]);
        assert_eq!(stored, "job_search,public_works");
        assert_eq!(
            goals_from_codes(&stored).unwrap(),
            vec![Goal::JobSearch, Goal::PublicWorks]
        );
        assert_eq!(goals_from_codes("").unwrap(), vec![]);
        assert!(goals_from_codes("job_search,flying").is_err());
    }

    #[test]
    fn every_goal_parses_from_its_code() {
        let all = goals_to_codes(Goal::ALL);
        assert_eq!(goals_from_codes(&all).unwrap(), Goal::ALL.to_vec());
    }
}
