//! Sign-in through Госуслуги (ESIA): the person an ID token vouches for, and which
//! account of the portal that person reaches.
//!
//! A SNILS typed in at self-registration proves nothing: anyone may type anyone's.
//! ESIA's SNILS is checked against the Pension Fund, and one entered by centre staff was
//! read off the document. So an ESIA person is linked to an existing account only
//! when that account's SNILS was verified; a self-asserted one gives way (the account
//! loses the SNILS and is told), and the person gets an account of their own.

use chrono::NaiveDate;

use crate::identifiers::{Inn, Ogrn, Snils};

/// What a verified ID token says about the person.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedPerson {
    /// The provider's stable id of the person (`sub`).
    pub subject: String,
    pub snils: Snils,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The organisation the person acts for, when ESIA names one.
    pub organization: Option<OrganizationClaim>,
}

/// An organisation named by the ID token, with the person's role in it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationClaim {
    pub ogrn: Ogrn,
    pub inn: Option<Inn>,
    pub name: String,
    /// ESIA's role code: `chief` (the head, who may sign for it) or another.
    pub role: String,
}

impl OrganizationClaim {
    /// The head of the organisation administers its cabinet.
    pub fn is_head(&self) -> bool {
        self.role == "chief"
    }
}

/// Why the claims do not make a person the portal can trust.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    /// ESIA accounts below «подтверждённая» carry no SNILS.
    #[error("the ESIA account has no confirmed SNILS")]
    NoSnils,
    #[error("the SNILS of the ESIA account is not valid")]
    BadSnils,
    #[error("the ESIA account has no name")]
    NoName,
}

/// Raw claims as the provider sends them.
#[derive(Debug, Clone, Default)]
pub struct RawClaims {
    pub subject: String,
    pub snils: Option<String>,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub birthdate: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<(String, Option<String>, String, String)>,
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl VerifiedPerson {
    /// The person of verified claims. A malformed birth date, phone or organisation is
    /// left out rather than refusing the sign-in; no SNILS or no name refuses it.
    pub fn from_claims(raw: RawClaims) -> Result<VerifiedPerson, ClaimsError> {
        let snils = clean(raw.snils).ok_or(ClaimsError::NoSnils)?;
        let snils = Snils::parse(&snils).map_err(|_| ClaimsError::BadSnils)?;
        let last_name = clean(raw.family_name).ok_or(ClaimsError::NoName)?;
        let first_name = clean(raw.given_name).ok_or(ClaimsError::NoName)?;
        let organization = raw.organization.and_then(|(ogrn, inn, name, role)| {
            Some(OrganizationClaim {
                ogrn: Ogrn::parse(ogrn.trim()).ok()?,
                inn: inn.and_then(|i| Inn::parse(i.trim()).ok()),
                name: clean(Some(name))?,
                role: role.trim().to_owned(),
            })
        });
        Ok(VerifiedPerson {
            subject: raw.subject,
            snils,
            last_name,
            first_name,
            middle_name: clean(raw.middle_name),
            birth_date: clean(raw.birthdate)
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            email: clean(raw.email),
            phone: clean(raw.phone),
            organization,
        })
    }
}

/// Where a signed-in ESIA person lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// The account already linked to this ESIA person.
    Known { user_id: String },
    /// The account holding the same verified SNILS, linked now.
    Link { user_id: String },
    /// A new citizen account with the verified SNILS. Accounts that only claimed the
    /// number (typed it in at registration) give the claim up and are told.
    Create,
}

/// Decides the account of an ESIA person from the account already linked to their
/// `sub` (if any) and the account holding their SNILS as verified (if any). A SNILS
/// typed in at registration is only a claim: it never decides where anyone lands.
pub fn land(linked: Option<String>, verified_holder: Option<String>) -> Landing {
    match (linked, verified_holder) {
        (Some(user_id), _) => Landing::Known { user_id },
        (None, Some(user_id)) => Landing::Link { user_id },
        (None, None) => Landing::Create,
    }
}

/// Why ESIA's answer does not confirm a hand-registered organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfirmError {
    /// The organisation is verified already: there is nothing to confirm.
    #[error("the organisation is verified already")]
    AlreadyVerified,
    /// ESIA named no organisation, or another OGRN.
    #[error("Госуслуги named another organisation, or none")]
    OtherOrganization,
    /// ESIA names the person an employee, not the head: only the head may vouch for
    /// an organisation someone registered by hand.
    #[error("only the organisation's head may confirm it")]
    NotHead,
}

/// Whether the ESIA sign-in of a hand-registered organisation's admin confirms it.
/// A hand-made registration may be anyone's, so it is confirmed only when ESIA names
/// its very OGRN (and its INN, when ESIA gives one) and the person as that
/// organisation's head; the portal then trusts it as if the head had registered it
/// through Госуслуги.
pub fn confirms(
    registered: (&Ogrn, &Inn),
    verified: bool,
    claim: Option<&OrganizationClaim>,
) -> Result<(), ConfirmError> {
    if verified {
        return Err(ConfirmError::AlreadyVerified);
    }
    let (ogrn, inn) = registered;
    let same = |c: &OrganizationClaim| c.ogrn == *ogrn && c.inn.as_ref().is_none_or(|i| i == inn);
    match claim {
        Some(c) if same(c) && c.is_head() => Ok(()),
        Some(c) if same(c) => Err(ConfirmError::NotHead),
        _ => Err(ConfirmError::OtherOrganization),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawClaims {
        RawClaims {
            subject: "esia-1".into(),
            snils: Some("123-456-789 64".into()),
            family_name: Some("Иванов".into()),
            given_name: Some(" Иван ".into()),
            birthdate: Some("1990-05-17".into()),
            ..RawClaims::default()
        }
    }

    #[test]
    fn a_linked_person_reaches_their_account_whoever_holds_the_snils() {
        for holder in [None, Some("b".to_owned())] {
            assert_eq!(
                land(Some("a".into()), holder),
                Landing::Known {
                    user_id: "a".into()
                }
            );
        }
    }

    #[test]
    fn a_verified_snils_links_and_else_a_new_account_is_made() {
        assert_eq!(
            land(None, Some("b".into())),
            Landing::Link {
                user_id: "b".into()
            }
        );
        assert_eq!(land(None, None), Landing::Create);
    }

    #[test]
    fn claims_need_a_valid_snils_and_a_name() {
        let p = VerifiedPerson::from_claims(raw()).unwrap();
        assert_eq!(p.first_name, "Иван");
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1990, 5, 17));
        let no_snils = RawClaims {
            snils: None,
            ..raw()
        };
        assert_eq!(
            VerifiedPerson::from_claims(no_snils),
            Err(ClaimsError::NoSnils)
        );
        let bad = RawClaims {
            snils: Some("123-456-789 65".into()),
            ..raw()
        };
        assert_eq!(VerifiedPerson::from_claims(bad), Err(ClaimsError::BadSnils));
        let nameless = RawClaims {
            given_name: Some("  ".into()),
            ..raw()
        };
        assert_eq!(
            VerifiedPerson::from_claims(nameless),
            Err(ClaimsError::NoName)
        );
    }

    #[test]
    fn a_malformed_organisation_or_date_is_left_out() {
        let p = VerifiedPerson::from_claims(RawClaims {
            birthdate: Some("17.05.1990".into()),
            organization: Some(("123".into(), None, "ООО «Ромашка»".into(), "chief".into())),
            ..raw()
        })
        .unwrap();
        assert_eq!(p.birth_date, None);
        assert_eq!(p.organization, None);
        let p = VerifiedPerson::from_claims(RawClaims {
            organization: Some((
                "1147746000005".into(),
                Some("7707083893".into()),
                "ООО «Ромашка»".into(),
                "chief".into(),
            )),
            ..raw()
        })
        .unwrap();
        assert!(p.organization.unwrap().is_head());
    }

    fn claim(ogrn: &str, role: &str) -> OrganizationClaim {
        OrganizationClaim {
            ogrn: Ogrn::parse(ogrn).unwrap(),
            inn: None,
            name: "ООО «Ромашка»".into(),
            role: role.into(),
        }
    }

    #[test]
    fn only_the_head_esia_names_for_the_same_organisation_confirms_a_pending_one() {
        let ogrn = Ogrn::parse("1147746000005").unwrap();
        let inn = Inn::parse("7707083893").unwrap();
        let ours = (&ogrn, &inn);
        let head = claim("1147746000005", "chief");
        assert_eq!(confirms(ours, false, Some(&head)), Ok(()));
        let with_inn = OrganizationClaim {
            inn: Some(inn.clone()),
            ..head.clone()
        };
        assert_eq!(confirms(ours, false, Some(&with_inn)), Ok(()));
        let other_inn = OrganizationClaim {
            inn: Some(Inn::parse("500100732259").unwrap()),
            ..head.clone()
        };
        assert_eq!(
            confirms(ours, false, Some(&other_inn)),
            Err(ConfirmError::OtherOrganization),
            "the same OGRN under another INN is not the registration"
        );
        assert_eq!(
            confirms(ours, true, Some(&head)),
            Err(ConfirmError::AlreadyVerified)
        );
        assert_eq!(
            confirms(ours, false, Some(&claim("1147746000005", "employee"))),
            Err(ConfirmError::NotHead)
        );
        assert_eq!(
            confirms(ours, false, Some(&claim("1027700132195", "chief"))),
            Err(ConfirmError::OtherOrganization)
        );
        assert_eq!(
            confirms(ours, false, None),
            Err(ConfirmError::OtherOrganization)
        );
        assert_eq!(
            confirms(ours, true, None),
            Err(ConfirmError::AlreadyVerified),
            "a verified organisation answers so whatever ESIA says"
        );
    }
}
