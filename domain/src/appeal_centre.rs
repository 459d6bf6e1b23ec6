//! Which centre an appeal is addressed to (SPEC §2: every appeal names «the centre it
//! is addressed to»), whoever files it: the applicant, or the portal on an employer's
//! behalf (a report, a change of the organisation's main data).

/// The centre an appeal goes to: the one the applicant names; else, for an employer
/// account, the centre its organisation deals with (its reports and changes go there,
/// SPEC §3); else the applicant's own centre. `None` when nothing names one: the
/// appeal cannot be filed.
pub fn addressee<'a>(
    requested: Option<&'a str>,
    organization_centre: Option<&'a str>,
    own_centre: Option<&'a str>,
) -> Option<&'a str> {
    requested.or(organization_centre).or(own_centre)
}

/// The centre a citizen who names none and has none of their own is addressed to:
/// their region's centre when the region has exactly one; with several (or none) the
/// citizen must choose, as a guess could send the appeal across the region.
pub fn regional_default<'a>(centres_of_region: &[&'a str]) -> Option<&'a str> {
    match centres_of_region {
        [only] => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regions_single_centre_is_a_default() {
        assert_eq!(regional_default(&["one"]), Some("one"));
        assert_eq!(regional_default(&[]), None);
        assert_eq!(regional_default(&["one", "two"]), None);
    }

    #[test]
    fn the_named_centre_then_the_organisations_then_the_applicants_own() {
        let cases = [
            ((Some("named"), Some("org"), Some("own")), Some("named")),
            ((Some("named"), None, None), Some("named")),
            ((None, Some("org"), Some("own")), Some("org")),
            ((None, Some("org"), None), Some("org")),
            ((None, None, Some("own")), Some("own")),
            ((None, None, None), None),
        ];
        for ((requested, organization, own), expected) in cases {
            assert_eq!(
                addressee(requested, organization, own),
                expected,
                "{requested:?} {organization:?} {own:?}"
            );
        }
    }
}
