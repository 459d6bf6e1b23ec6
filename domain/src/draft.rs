//! Drafts of unsent forms (SPEC §3): kept three months from their last edit.

use chrono::{Months, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::role::Role;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    Appeal,
    ServiceRequest,
    Resume,
    JobSearchApplication,
    BenefitApplication,
    Report,
    Vacancy,
    OrganizationChange,
}

crate::coded_enum!(DraftKind {
    Appeal => ("appeal", "Обращение"),
    ServiceRequest => ("service_request", "Заявление на услугу"),
    Resume => ("resume", "Резюме"),
    JobSearchApplication => ("job_search_application", "Заявление на поиск работы"),
    BenefitApplication => ("benefit_application", "Заявление на пособие"),
    Report => ("report", "Предоставление сведений"),
    Vacancy => ("vacancy", "Вакансия"),
    OrganizationChange => ("organization_change", "Изменение сведений об организации"),
});

impl DraftKind {
    /// Whether an account of this role fills such forms.
    pub fn for_role(self, role: Role) -> bool {
        use DraftKind::*;
        match role {
            Role::Citizen => matches!(
                self,
                Appeal | ServiceRequest | Resume | JobSearchApplication | BenefitApplication
            ),
            Role::Employer => matches!(self, Appeal | Report | Vacancy | OrganizationChange),
            Role::Staff => false,
        }
    }
}

/// How long a draft lives after its last edit.
pub const LIFETIME_MONTHS: u32 = 3;

/// When a draft edited at `edited` disappears.
pub fn expires_at(edited: NaiveDateTime) -> NaiveDateTime {
    edited
        .checked_add_months(Months::new(LIFETIME_MONTHS))
        .unwrap_or(NaiveDateTime::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use chrono::NaiveDate;

    #[test]
    fn three_calendar_months() {
        let at = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        };
        assert_eq!(expires_at(at(2026, 1, 15)), at(2026, 4, 15));
        assert_eq!(expires_at(at(2026, 11, 30)), at(2027, 2, 28));
    }

    #[test]
    fn kinds_by_role() {
        assert!(DraftKind::Resume.for_role(Role::Citizen));
        assert!(!DraftKind::Resume.for_role(Role::Employer));
        assert!(DraftKind::Report.for_role(Role::Employer));
        assert!(
            DraftKind::Appeal.for_role(Role::Employer) && DraftKind::Appeal.for_role(Role::Citizen)
        );
        assert!(DraftKind::ALL.iter().all(|k| !k.for_role(Role::Staff)));
    }
}
