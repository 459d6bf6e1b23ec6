//! Who is acting (SPEC "Actors").

use serde::{Deserialize, Serialize};

/// The three kinds of account; every permission check starts here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Employer,
    Staff,
}

crate::coded_enum!(Role {
    Citizen => ("citizen", "Гражданин"),
    Employer => ("employer", "Работодатель"),
    Staff => ("staff", "Сотрудник центра занятости"),
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(*role));
            assert_eq!(role.to_string(), role.code());
        }
        assert_eq!(
            "admin".parse::<Role>(),
            Err(crate::UnknownCode("admin".into()))
        );
    }
}
