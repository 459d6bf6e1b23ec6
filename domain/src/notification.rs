//! Notification categories and delivery channels (SPEC §7, §3 «Уведомления»), and who
//! gets what by default.

use serde::{Deserialize, Serialize};

use crate::role::Role;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    NewVacancies,
    Interviews,
    ApplicationStatus,
    Deadlines,
    News,
    VacancyConfirmation,
    SuitableCandidates,
}

crate::coded_enum!(Category {
    NewVacancies => ("new_vacancies", "Новые вакансии"),
    Interviews => ("interviews", "Собеседования"),
    ApplicationStatus => ("application_status", "Статус заявлений и обращений"),
    Deadlines => ("deadlines", "Сроки и напоминания"),
    News => ("news", "Новости центра занятости"),
    VacancyConfirmation => ("vacancy_confirmation", "Напоминания о подтверждении вакансий"),
    SuitableCandidates => ("suitable_candidates", "Подходящие кандидаты"),
});

/// How a notification reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Cabinet,
    Email,
    Sms,
    Push,
}

crate::coded_enum!(Channel {
    Cabinet => ("cabinet", "Личный кабинет"),
    Email => ("email", "Электронная почта"),
    Sms => ("sms", "SMS"),
    Push => ("push", "Push-уведомления"),
});

impl Category {
    /// The categories a role can subscribe to.
    pub fn for_role(role: Role) -> &'static [Category] {
        use Category::*;
        match role {
            Role::Citizen => &[NewVacancies, Interviews, ApplicationStatus, Deadlines],
            Role::Employer => &[
                ApplicationStatus,
                Interviews,
                Deadlines,
                News,
                VacancyConfirmation,
                SuitableCandidates,
            ],
            Role::Staff => &[],
        }
    }
}

/// Whether a subscription is on when the person never chose: everything reaches the
/// cabinet; nothing else is sent uninvited.
pub fn on_by_default(channel: Channel) -> bool {
    channel == Channel::Cabinet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn roles_and_categories() {
        assert_eq!(Category::for_role(Role::Citizen).len(), 4);
        assert!(Category::for_role(Role::Employer).contains(&Category::News));
        assert!(!Category::for_role(Role::Citizen).contains(&Category::News));
        // Seed 004: responses and interview moves reach both sides.
        for role in [Role::Citizen, Role::Employer] {
            assert!(Category::for_role(role).contains(&Category::Interviews));
        }
        assert!(Category::for_role(Role::Staff).is_empty());
        for role in [Role::Citizen, Role::Employer] {
            assert!(Category::for_role(role).contains(&Category::ApplicationStatus));
        }
    }

    #[test]
    fn only_the_cabinet_is_on_by_default() {
        for c in Channel::ALL {
            assert_eq!(on_by_default(*c), *c == Channel::Cabinet);
        }
    }
}
