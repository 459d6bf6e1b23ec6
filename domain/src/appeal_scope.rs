//! Which appeals an actor may see (SPEC §2): every list is one scope's appeals narrowed
//! by a filter, and every appeal belongs to the scopes [`of_appeal`] names, so that a
//! change to it is a change to exactly those lists.

use crate::actor::Actor;
use crate::role::Role;

/// The appeals one actor may see at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope<'a> {
    /// One applicant's own appeals.
    Applicant(&'a str),
    /// Every appeal filed by an account of the organisation.
    Organization(&'a str),
    /// Every appeal addressed to the centre.
    Centre(&'a str),
    /// None at all.
    Nothing,
}

impl std::fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Applicant(id) => write!(f, "applicant:{id}"),
            Scope::Organization(id) => write!(f, "organization:{id}"),
            Scope::Centre(id) => write!(f, "centre:{id}"),
            Scope::Nothing => f.write_str("nothing"),
        }
    }
}

/// The appeals `actor` may see. A citizen sees their own; the employer admin every
/// appeal of the organisation, other employer accounts only their own (SPEC §2
/// «Employer admin»); staff the appeals addressed to their centre, and a staff account
/// with no centre nothing.
pub fn scope(actor: &Actor) -> Scope<'_> {
    match (actor.role, &actor.organization_id, &actor.centre_id) {
        (Role::Citizen, _, _) => Scope::Applicant(&actor.user_id),
        (Role::Employer, Some(org), _) if actor.is_admin => Scope::Organization(org),
        (Role::Employer, _, _) => Scope::Applicant(&actor.user_id),
        (Role::Staff, _, Some(centre)) => Scope::Centre(centre),
        (Role::Staff, _, None) => Scope::Nothing,
    }
}

/// The scopes whose lists show an appeal of `applicant`, filed for `organization` if
/// any, addressed to `centre`: a change to the appeal changes their totals and pages.
pub fn of_appeal<'a>(
    applicant: &'a str,
    organization: Option<&'a str>,
    centre: &'a str,
) -> impl Iterator<Item = Scope<'a>> {
    [
        Some(Scope::Applicant(applicant)),
        organization.map(Scope::Organization),
        Some(Scope::Centre(centre)),
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::tests::actor;

    #[test]
    fn each_role_sees_its_scope() {
        let cases = [
            (
                actor(Role::Citizen, Some("c1"), None, false),
                Scope::Applicant("u1"),
            ),
            (
                actor(Role::Employer, Some("c1"), Some("o1"), true),
                Scope::Organization("o1"),
            ),
            (
                actor(Role::Employer, Some("c1"), Some("o1"), false),
                Scope::Applicant("u1"),
            ),
            // An admin flag without an organisation grants nothing beyond one's own.
            (
                actor(Role::Employer, None, None, true),
                Scope::Applicant("u1"),
            ),
            (
                actor(Role::Staff, Some("c1"), None, false),
                Scope::Centre("c1"),
            ),
            (actor(Role::Staff, None, None, false), Scope::Nothing),
        ];
        for (actor, expected) in cases {
            assert_eq!(scope(&actor), expected, "{actor:?}");
        }
    }

    #[test]
    fn an_appeal_is_in_its_applicants_organisations_and_centres_scope() {
        let with_org: Vec<_> = of_appeal("u1", Some("o1"), "c1").collect();
        assert_eq!(
            with_org,
            [
                Scope::Applicant("u1"),
                Scope::Organization("o1"),
                Scope::Centre("c1")
            ]
        );
        let citizen: Vec<_> = of_appeal("u1", None, "c1").collect();
        assert_eq!(citizen, [Scope::Applicant("u1"), Scope::Centre("c1")]);
    }

    /// Whoever may see an appeal finds it in one of the scopes it is filed under: no
    /// list misses a change.
    #[test]
    fn every_viewer_scope_is_among_the_appeals_scopes() {
        let viewers = [
            actor(Role::Citizen, Some("c1"), None, false),
            actor(Role::Employer, Some("c1"), Some("o1"), true),
            actor(Role::Employer, Some("c1"), Some("o1"), false),
            actor(Role::Staff, Some("c1"), None, false),
        ];
        let scopes: Vec<_> = of_appeal("u1", Some("o1"), "c1").collect();
        for viewer in &viewers {
            assert!(scopes.contains(&scope(viewer)), "{viewer:?}");
        }
    }

    #[test]
    fn scopes_print_as_distinct_keys() {
        assert_eq!(Scope::Applicant("x").to_string(), "applicant:x");
        assert_eq!(Scope::Organization("x").to_string(), "organization:x");
        assert_eq!(Scope::Centre("x").to_string(), "centre:x");
        assert_eq!(Scope::Nothing.to_string(), "nothing");
    }
}
