//! The password policy (SPEC §4): at least 8 characters with upper- and lower-case
//! letters and digits.

/// A password that satisfies the policy. It can only be built through [`Password::parse`].
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Each rule a candidate password breaks, so a form can show them all at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    TooShort,
    TooLong,
    NoUppercase,
    NoLowercase,
    NoDigit,
}

/// The shortest acceptable password.
pub const MIN_LEN: usize = 8;
/// Argon2 hashes anything, but an unbounded input is a denial-of-service lever.
pub const MAX_LEN: usize = 128;

impl PasswordRule {
    pub fn message(self) -> &'static str {
        match self {
            PasswordRule::TooShort => "Пароль должен содержать не менее 8 символов",
            PasswordRule::TooLong => "Пароль должен содержать не более 128 символов",
            PasswordRule::NoUppercase => "Пароль должен содержать заглавную букву",
            PasswordRule::NoLowercase => "Пароль должен содержать строчную букву",
            PasswordRule::NoDigit => "Пароль должен содержать цифру",
        }
    }
}

impl Password {
    /// Accepts the password or lists every rule it breaks. Letters of any script count,
    /// so «Пароль2026» is as good as «Password2026».
    pub fn parse(candidate: &str) -> Result<Password, Vec<PasswordRule>> {
        let mut broken = Vec::new();
        let len = candidate.chars().count();
        if len < MIN_LEN {
            broken.push(PasswordRule::TooShort);
        }
        if len > MAX_LEN {
            broken.push(PasswordRule::TooLong);
        }
        if !candidate.chars().any(char::is_uppercase) {
            broken.push(PasswordRule::NoUppercase);
        }
        if !candidate.chars().any(char::is_lowercase) {
            broken.push(PasswordRule::NoLowercase);
        }
        if !candidate.chars().any(|c| c.is_ascii_digit()) {
            broken.push(PasswordRule::NoDigit);
        }
        if broken.is_empty() {
            Ok(Password(candidate.to_owned()))
        } else {
            Err(broken)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::PasswordRule::*;
    use super::*;

    #[test]
    fn accepts_a_policy_password() {
        assert_eq!(
            Password::parse("Demo-password-1").unwrap().expose(),
            "Demo-password-1"
        );
        assert!(Password::parse("Пароль2026").is_ok());
        assert!(Password::parse("Abcdefg1").is_ok());
    }

    #[test]
    fn names_each_broken_rule() {
        assert_eq!(Password::parse("Abcdef1"), Err(vec![TooShort]));
        assert_eq!(Password::parse("abcdefg1"), Err(vec![NoUppercase]));
        assert_eq!(Password::parse("ABCDEFG1"), Err(vec![NoLowercase]));
        assert_eq!(Password::parse("Abcdefgh"), Err(vec![NoDigit]));
        assert_eq!(
            Password::parse(""),
            Err(vec![TooShort, NoUppercase, NoLowercase, NoDigit])
        );
        let long = format!("Aa1{}", "x".repeat(MAX_LEN));
        assert_eq!(Password::parse(&long), Err(vec![TooLong]));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(Password::parse("Пар1ь"), Err(vec![TooShort]));
    }

    #[test]
    fn never_prints_itself() {
        let p = Password::parse("Secret-word-9").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
