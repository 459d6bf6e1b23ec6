//! Field rules shared by request types, as `validator` custom functions so that one
//! response lists every broken field at once. The rules themselves live in `domain`.

use std::borrow::Cow;

use chrono::NaiveDate;
use domain::identifiers::InvalidIdentifier;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use validator::ValidationError;

use crate::problem::ApiError;

fn error(code: &'static str, message: impl Into<Cow<'static, str>>) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// SPEC §4 password policy; the message names every broken rule.
pub fn password_policy(candidate: &str) -> Result<(), ValidationError> {
    domain::password::Password::parse(candidate)
        .map(|_| ())
        .map_err(|rules| {
            let message = rules
                .iter()
                .map(|r| r.message())
                .collect::<Vec<_>>()
                .join("; ");
            error("password_policy", message)
        })
}

/// Logins: 3–64 of Latin letters, digits, `.`, `_`, `-`, `@`, starting with a letter
/// or digit.
pub fn login(candidate: &str) -> Result<(), ValidationError> {
    let ok = (3..=64).contains(&candidate.len())
        && candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(error(
            "login_format",
            "Логин — от 3 до 64 латинских букв, цифр и символов . _ - @",
        ))
    }
}

/// A request field holding an identifier with check digits (`domain::identifiers`):
/// parsed once, as the body is read, and carried typed from there. One that does not
/// parse keeps its refusal instead of failing the whole body, so that [`parsed`]
/// reports it beside every other bad field; a failed parse would stop at the first.
/// The spec shows it as the string it is on the wire (`#[schema(value_type = String)]`).
#[derive(Debug, Clone)]
pub struct Parsed<T>(Result<T, InvalidIdentifier>);

impl<'de, T: TryFrom<String, Error = InvalidIdentifier>> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Parsed(T::try_from(text)))
    }
}

/// `validator` records the value beside an error it reports; a refusal has none.
impl<T: Serialize> Serialize for Parsed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.valid().serialize(serializer)
    }
}

impl<T> Parsed<T> {
    /// The value, if it parsed.
    pub fn valid(&self) -> Option<&T> {
        self.0.as_ref().ok()
    }

    /// The value of a validated body. A value that did not parse answers as [`parsed`]
    /// reports it, at `field`, should a body ever skip its validation.
    pub fn value(self, field: &str) -> Result<T, ApiError> {
        self.0
            .map_err(|refused| ApiError::field(field, refused.code, &refused.to_string()))
    }
}

/// Refuses an identifier that did not parse, with its code (`snils`, `inn`, `ogrn`,
/// `kpp`) and its Russian message («ИНН указан неверно»).
pub fn parsed<T>(value: &Parsed<T>) -> Result<(), ValidationError> {
    match &value.0 {
        Ok(_) => Ok(()),
        Err(refused) => Err(error(refused.code, refused.to_string())),
    }
}

/// Phone numbers as people type them: digits with `+`, spaces, dashes, brackets.
pub fn phone(candidate: &str) -> Result<(), ValidationError> {
    let digits = candidate.chars().filter(char::is_ascii_digit).count();
    let ok = (10..=15).contains(&digits)
        && candidate
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if ok {
        Ok(())
    } else {
        Err(error("phone", "Телефон указан неверно"))
    }
}

/// A birth date in the past and not absurdly old.
pub fn birth_date(date: &NaiveDate) -> Result<(), ValidationError> {
    let today = chrono::Utc::now().date_naive();
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if *date < today && *date >= earliest {
        Ok(())
    } else {
        Err(error("birth_date", "Дата рождения указана неверно"))
    }
}

/// The dates the service deals in: from 1900 (the oldest birth dates) to 2100. Beyond
/// them a date is a typo or a probe, and the databases disagree on what they can store.
fn within_calendar(date: NaiveDate) -> bool {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    let latest = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    (earliest..=latest).contains(&date)
}

/// Any date a request carries: within 1900–2100.
pub fn calendar_date(date: &NaiveDate) -> Result<(), ValidationError> {
    if within_calendar(*date) {
        Ok(())
    } else {
        Err(error("date_range", "Дата — с 1900 по 2100 год"))
    }
}

/// Any moment a request carries: its date within 1900–2100.
pub fn calendar_instant(at: &chrono::DateTime<chrono::Utc>) -> Result<(), ValidationError> {
    calendar_date(&at.date_naive())
}

/// Text that must say something: not empty once trimmed.
pub fn not_blank(candidate: &str) -> Result<(), ValidationError> {
    if candidate.trim().is_empty() {
        Err(error("blank", "Поле не может быть пустым"))
    } else {
        Ok(())
    }
}

/// Each value at most once: a list of codes (benefits) names a set.
pub fn distinct<T: Ord>(items: &[T]) -> Result<(), ValidationError> {
    let mut seen: Vec<&T> = items.iter().collect();
    seen.sort();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        Err(ValidationError::new("duplicate").with_message("Значение указано дважды".into()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_1900_to_2100_are_refused() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for ok in [d(1900, 1, 1), d(2026, 12, 3), d(2100, 12, 31)] {
            assert!(calendar_date(&ok).is_ok(), "{ok}");
        }
        for bad in [
            d(-5000, 1, 1),
            d(0, 1, 1),
            d(1899, 12, 31),
            d(2101, 1, 1),
            d(99999, 1, 1),
        ] {
            assert!(calendar_date(&bad).is_err(), "{bad}");
        }
        let far = d(9999, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc();
        assert!(calendar_instant(&far).is_err());
        assert!(calendar_instant(&chrono::Utc::now()).is_ok());
    }

    #[test]
    fn logins() {
        for ok in ["ivanov", "demo.citizen", "a_b-c@d", "abc"] {
            assert!(login(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", ".abc", "иванов", "a b c", &"x".repeat(65)] {
            assert!(login(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(phone("+7 (495) 123-45-67").is_ok());
        assert!(phone("84951234567").is_ok());
        assert!(phone("12345").is_err());
        assert!(phone("+7 495 CALL-NOW").is_err());
    }

    #[test]
    fn password_message_lists_every_rule() {
        let e = password_policy("abc").unwrap_err();
        let message = e.message.unwrap().to_string();
        assert!(
            message.contains("8 символов")
                && message.contains("заглавную")
                && message.contains("цифру")
        );
    }

    #[test]
    fn a_list_of_codes_names_each_once() {
        assert!(distinct::<u8>(&[]).is_ok());
        assert!(distinct(&[3, 1, 2]).is_ok());
        assert!(distinct(&[3, 1, 3]).is_err());
    }
}
