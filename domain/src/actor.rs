//! Who is acting on a request (SPEC "Actors"): the account, its role and what the role
//! hangs on (a staff member's centre, an employer's organisation and admin flag).

use chrono::NaiveDateTime;

use crate::appeal::Mover;
use crate::role::Role;

/// Who is acting on a request, as the database says now (not as the token claimed):
/// a blocked account or a revoked session stops at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub session_id: String,
    pub role: Role,
    /// A staff member's centre; a citizen's or employer's own centre, which their
    /// appeals go to when nothing else names one.
    pub centre_id: Option<String>,
    /// An employer account's organisation.
    pub organization_id: Option<String>,
    /// Whether the employer account holds its organisation's admin flag (SPEC §3).
    pub is_admin: bool,
    pub auth_method: String,
    /// When the session ends by itself: whoever keeps an `Actor` must not trust it
    /// past this.
    pub session_expires_at: NaiveDateTime,
}

impl Actor {
    /// SPEC §2: staff run an appeal; its applicant only answers a clarification request.
    pub fn mover(&self) -> Mover {
        match self.role {
            Role::Staff => Mover::Staff,
            Role::Citizen | Role::Employer => Mover::Applicant,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An actor of `role`, with a centre and an organisation as given.
    pub(crate) fn actor(
        role: Role,
        centre: Option<&str>,
        organization: Option<&str>,
        is_admin: bool,
    ) -> Actor {
        Actor {
            user_id: "u1".into(),
            session_id: "s1".into(),
            role,
            centre_id: centre.map(str::to_owned),
            organization_id: organization.map(str::to_owned),
            is_admin,
            auth_method: "password".into(),
            session_expires_at: NaiveDateTime::MIN,
        }
    }

    #[test]
    fn only_staff_run_an_appeal() {
        assert_eq!(
            actor(Role::Staff, Some("c"), None, false).mover(),
            Mover::Staff
        );
        assert_eq!(
            actor(Role::Citizen, None, None, false).mover(),
            Mover::Applicant
        );
        assert_eq!(
            actor(Role::Employer, None, Some("o"), true).mover(),
            Mover::Applicant
        );
    }
}
