//! Russian identifiers that carry check digits: SNILS for citizens; INN, OGRN/OGRNIP and
//! KPP for organisations (SPEC §3). Parse, don't validate: a value of these types is
//! always well-formed. They read from JSON as strings that must parse (the refusal
//! names the identifier in Russian) and are written as their digits.

use serde::{Deserialize, Serialize, Serializer};

/// Why an identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("wrong length or characters")]
    Format,
    #[error("the check digits do not match")]
    Checksum,
}

fn digits(s: &str, lens: &[usize]) -> Result<Vec<u32>, IdentifierError> {
    if !lens.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::Format);
    }
    Ok(s.bytes().map(|b| u32::from(b - b'0')).collect())
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum()
}

/// A value refused as one of these identifiers, named as people know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{name} указан неверно")]
pub struct InvalidIdentifier {
    /// The identifier's machine code: `snils`, `inn`, `ogrn` or `kpp`.
    pub code: &'static str,
    /// Its name in Russian: «СНИЛС», «ИНН», «ОГРН/ОГРНИП», «КПП».
    pub name: &'static str,
    pub reason: IdentifierError,
}

/// A newtype over the identifier's text, with its `parse` (below) as the only way in.
macro_rules! identifier {
    ($(#[$doc:meta])* $ty:ident, $code:literal, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $ty(String);
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = InvalidIdentifier;
            fn try_from(input: String) -> Result<$ty, InvalidIdentifier> {
                $ty::parse(&input).map_err(|reason| InvalidIdentifier {
                    code: $code,
                    name: $name,
                    reason,
                })
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
    };
}

identifier!(
    /// Insurance number of an individual's personal account, stored as 11 digits.
    Snils,
    "snils",
    "СНИЛС"
);
identifier!(
    /// Taxpayer number: 10 digits for organisations, 12 for individuals.
    Inn,
    "inn",
    "ИНН"
);
identifier!(
    /// State registration number: 13 digits (OGRN) or 15 for individual entrepreneurs
    /// (OGRNIP).
    Ogrn,
    "ogrn",
    "ОГРН/ОГРНИП"
);
identifier!(
    /// Tax registration reason code: 4 digits, 2 digits or capital Latin letters, 3 digits.
    Kpp,
    "kpp",
    "КПП"
);

impl Snils {
    /// Accepts `11223344595` or `112-233-445 95`. Numbers up to 001-001-998 predate the
    /// check digit and are accepted on format alone.
    pub fn parse(input: &str) -> Result<Snils, IdentifierError> {
        let compact: String = input.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        let d = digits(&compact, &[11])?;
        let body: u64 = compact[..9].parse().map_err(|_| IdentifierError::Format)?;
        if body > 1_001_998 {
            let sum = weighted(&d[..9], &[9, 8, 7, 6, 5, 4, 3, 2, 1]);
            let check = match sum % 101 {
                100 => 0,
                n => n,
            };
            if check != d[9] * 10 + d[10] {
                return Err(IdentifierError::Checksum);
            }
        }
        Ok(Snils(compact))
    }
}

impl Inn {
    pub fn parse(input: &str) -> Result<Inn, IdentifierError> {
        let d = digits(input, &[10, 12])?;
        let check = |n: usize, weights: &[u32]| (weighted(&d[..n], weights) % 11) % 10 == d[n];
        let ok = if d.len() == 10 {
            check(9, &[2, 4, 10, 3, 5, 9, 4, 6, 8])
        } else {
            check(10, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
                && check(11, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
        };
        if ok {
            Ok(Inn(input.to_owned()))
        } else {
            Err(IdentifierError::Checksum)
        }
    }

    /// Whether this is an organisation's 10-digit number.
    pub fn is_legal_entity(&self) -> bool {
        self.0.len() == 10
    }
}

impl Ogrn {
    pub fn parse(input: &str) -> Result<Ogrn, IdentifierError> {
        let d = digits(input, &[13, 15])?;
        let n = d.len() - 1;
        let body: u64 = input[..n].parse().map_err(|_| IdentifierError::Format)?;
        let modulus = if n == 12 { 11 } else { 13 };
        if (body % modulus) % 10 == u64::from(d[n]) {
            Ok(Ogrn(input.to_owned()))
        } else {
            Err(IdentifierError::Checksum)
        }
    }

    /// Whether this is an individual entrepreneur's 15-digit OGRNIP.
    pub fn is_entrepreneur(&self) -> bool {
        self.0.len() == 15
    }
}

impl Kpp {
    pub fn parse(input: &str) -> Result<Kpp, IdentifierError> {
        let b = input.as_bytes();
        let ok = b.len() == 9
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4..6]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && b[6..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Kpp(input.to_owned()))
        } else {
            Err(IdentifierError::Format)
        }
    }
}

/// SPEC §3: an organisation has a 13-digit OGRN, a 10-digit INN and a KPP; an
/// individual entrepreneur a 15-digit OGRNIP, a 12-digit INN and no KPP.
pub fn requisites_agree(ogrn: &Ogrn, inn: &Inn, has_kpp: bool) -> bool {
    if ogrn.is_entrepreneur() {
        !inn.is_legal_entity() && !has_kpp
    } else {
        inn.is_legal_entity() && has_kpp
    }
}

#[cfg(test)]
mod tests {
    use super::IdentifierError::*;
    use super::*;

    #[test]
    fn snils() {
        assert_eq!(
            Snils::parse("112-233-445 95").unwrap().as_str(),
            "11223344595"
        );
        assert_eq!(
            Snils::parse("11223344595").unwrap().to_string(),
            "11223344595"
        );
        assert_eq!(Snils::parse("11223344596"), Err(Checksum));
        assert_eq!(Snils::parse("1122334459"), Err(Format));
        assert_eq!(Snils::parse("1122334459a"), Err(Format));
        // Old numbers carry no valid check digit.
        assert!(Snils::parse("00100199800").is_ok());
        // Weighted sums of 100 and 101 both give the check number 00.
        assert!(Snils::parse("91100002000").is_ok());
        assert!(Snils::parse("91100002100").is_ok());
        assert_eq!(Snils::parse("91100002001"), Err(Checksum));
    }

    #[test]
    fn snils_check_digit_rules() {
        // Weights 9..1: 1·9+2·8+…+9·1 = 165, and 165 mod 101 = 64 is the only match.
        let valid: Vec<String> = (0..100)
            .map(|cc| format!("123456789{cc:02}"))
            .filter(|s| Snils::parse(s).is_ok())
            .collect();
        assert_eq!(valid, vec!["12345678964".to_owned()]);
    }

    #[test]
    fn inn() {
        assert!(Inn::parse("7707083893").unwrap().is_legal_entity());
        assert!(!Inn::parse("500100732259").unwrap().is_legal_entity());
        assert_eq!(Inn::parse("7707083894"), Err(Checksum));
        assert_eq!(Inn::parse("500100732258"), Err(Checksum));
        assert_eq!(Inn::parse("77070838"), Err(Format));
        assert_eq!(Inn::parse("77070838x3"), Err(Format));
    }

    #[test]
    fn ogrn() {
        assert!(!Ogrn::parse("1027700132195").unwrap().is_entrepreneur());
        assert!(Ogrn::parse("304500116000157").unwrap().is_entrepreneur());
        assert_eq!(Ogrn::parse("1027700132196"), Err(Checksum));
        assert_eq!(Ogrn::parse("304500116000158"), Err(Checksum));
        assert_eq!(Ogrn::parse("10277001321"), Err(Format));
    }

    #[test]
    fn requisites_of_one_kind_of_entity() {
        let agree = |ogrn: &str, inn: &str, has_kpp: bool| {
            requisites_agree(
                &Ogrn::parse(ogrn).unwrap(),
                &Inn::parse(inn).unwrap(),
                has_kpp,
            )
        };
        assert!(agree("1027700132195", "7707083893", true));
        assert!(!agree("1027700132195", "7707083893", false));
        assert!(!agree("1027700132195", "500100732259", true));
        assert!(agree("304500116000157", "500100732259", false));
        assert!(!agree("304500116000157", "500100732259", true));
        assert!(!agree("304500116000157", "7707083893", false));
    }

    #[test]
    fn json_reads_a_string_that_parses_and_writes_the_digits() {
        let snils: Snils = serde_json::from_str("\"112-233-445 95\"").unwrap();
        assert_eq!(serde_json::to_string(&snils).unwrap(), "\"11223344595\"");
        let ogrn: Ogrn = serde_json::from_str("\"1027700132195\"").unwrap();
        assert_eq!(serde_json::to_value(&ogrn).unwrap(), "1027700132195");
        for (json, message) in [
            ("\"11223344596\"", "СНИЛС указан неверно"),
            ("\"7707083894\"", "ИНН указан неверно"),
            ("\"77360100\"", "КПП указан неверно"),
        ] {
            let error = match message.split(' ').next() {
                Some("СНИЛС") => serde_json::from_str::<Snils>(json).unwrap_err(),
                Some("ИНН") => serde_json::from_str::<Inn>(json).unwrap_err(),
                _ => serde_json::from_str::<Kpp>(json).unwrap_err(),
            };
            assert!(error.to_string().starts_with(message), "{error}");
        }
        let refused = Ogrn::try_from("1027700132196".to_owned()).unwrap_err();
        assert_eq!(refused.to_string(), "ОГРН/ОГРНИП указан неверно");
        assert_eq!((refused.code, refused.reason), ("ogrn", Checksum));
        assert!(
            serde_json::from_str::<Inn>("7707083893").is_err(),
            "a number is no INN"
        );
    }

    #[test]
    fn kpp() {
        assert!(Kpp::parse("773601001").is_ok());
        assert!(Kpp::parse("7736AB001").is_ok());
        assert_eq!(Kpp::parse("7736ab001"), Err(Format));
        assert_eq!(Kpp::parse("77360100"), Err(Format));
        assert_eq!(Kpp::parse("A73601001"), Err(Format));
    }
}
