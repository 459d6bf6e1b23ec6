//! The certificate of registration as unemployed (seed 002 «Справка о регистрации в
//! качестве безработного», SPEC §7): who may have one, for which period, and what it
//! says. The PDF is drawn by the API from [`Certificate::lines`].

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::personal_case::CaseStatus;

/// The longest period a certificate is issued for, in days (a quarter).
pub const MAX_VALIDITY_DAYS: i64 = 92;

/// Why no certificate is issued (seed 002 «Требования к заявке»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No open personal case in status «Безработный».
    NotUnemployed,
    /// «Отсутствие незакрытых заявок на получение пособий».
    OpenBenefitApplication,
}

crate::coded_enum!(Refusal {
    NotUnemployed => ("not_unemployed", "Справка выдаётся гражданам, зарегистрированным в качестве безработных"),
    OpenBenefitApplication => ("open_benefit_application", "Справка не выдаётся, пока рассматривается заявление на пособие"),
});

/// Why the period asked for is not issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends before it starts")]
    Reversed,
    #[error("the period is over {MAX_VALIDITY_DAYS} days")]
    TooLong,
    #[error("the period has ended")]
    Ended,
    #[error("the period starts before the registration")]
    BeforeRegistration,
}

impl PeriodError {
    /// The field it concerns and what the citizen reads.
    pub fn field_and_message(&self) -> (&'static str, String) {
        match self {
            PeriodError::Reversed => ("valid_to", "Дата окончания раньше даты начала".into()),
            PeriodError::TooLong => (
                "valid_to",
                format!("Справка выдаётся не более чем на {MAX_VALIDITY_DAYS} дня"),
            ),
            PeriodError::Ended => ("valid_to", "Период действия уже закончился".into()),
            PeriodError::BeforeRegistration => (
                "valid_from",
                "Период действия начинается раньше регистрации в качестве безработного".into(),
            ),
        }
    }
}

/// What the rules need to know about one personal case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub number: String,
    pub open: bool,
    pub status: CaseStatus,
    pub registered_on: NaiveDate,
}

/// The case the certificate is about: the open unemployed one registered last.
pub fn eligible(
    cases: &[CaseFacts],
    open_benefit_application: bool,
) -> Result<&CaseFacts, Refusal> {
    let case = cases
        .iter()
        .filter(|c| c.open && c.status == CaseStatus::Unemployed)
        .max_by_key(|c| c.registered_on)
        .ok_or(Refusal::NotUnemployed)?;
    if open_benefit_application {
        return Err(Refusal::OpenBenefitApplication);
    }
    Ok(case)
}

/// The period the citizen chose, checked: it ends on or after `today`, lasts at most
/// [`MAX_VALIDITY_DAYS`], and starts no earlier than the registration.
pub fn period(
    from: NaiveDate,
    to: NaiveDate,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), PeriodError> {
    if to < from {
        return Err(PeriodError::Reversed);
    }
    if (to - from).num_days() + 1 > MAX_VALIDITY_DAYS {
        return Err(PeriodError::TooLong);
    }
    if to < today {
        return Err(PeriodError::Ended);
    }
    if from < registered_on {
        return Err(PeriodError::BeforeRegistration);
    }
    Ok((from, to))
}

/// The human number of a personal case: the centre's code, the year of registration
/// and the first characters of its id («228-2026-0193A4F2»).
pub fn case_number(centre_code: &str, registered_on: NaiveDate, case_id: &str) -> String {
    let short: String = case_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_uppercase();
    format!("{centre_code}-{}-{short}", registered_on.year())
}

/// Everything the certificate states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub centre_name: String,
    pub centre_address: String,
    pub case_number: String,
    pub registered_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub issued_on: NaiveDate,
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

impl Certificate {
    pub const TITLE: &'static str = "СПРАВКА";
    pub const SUBTITLE: &'static str = "о регистрации гражданина в качестве безработного";

    /// The body of the certificate, line by line, in Russian.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("Выдана: {}", self.full_name)];
        if let Some(born) = self.birth_date {
            lines.push(format!("Дата рождения: {}", date(born)));
        }
        lines.extend([
            format!(
                "в том, что он(а) зарегистрирован(а) в качестве безработного с {}",
                date(self.registered_on)
            ),
            format!("Номер личного дела: {}", self.case_number),
            format!("Центр занятости: {}", self.centre_name),
            format!("Адрес: {}", self.centre_address),
            format!(
                "Справка действительна с {} по {}",
                date(self.valid_from),
                date(self.valid_to)
            ),
            format!("Дата выдачи: {}", date(self.issued_on)),
        ]);
        lines
    }

    /// The file name it downloads under.
    pub fn file_name(&self) -> String {
        format!(
            "Справка о регистрации безработного {}.pdf",
            self.issued_on.format("%Y-%m-%d")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn case(open: bool, status: CaseStatus, on: NaiveDate) -> CaseFacts {
        CaseFacts {
            number: format!("228-{}", on),
            open,
            status,
            registered_on: on,
        }
    }

    #[test]
    fn only_an_open_unemployed_case_without_a_pending_benefit() {
        let seeker = case(true, CaseStatus::JobSeeker, d(2026, 1, 1));
        let closed = case(false, CaseStatus::Unemployed, d(2026, 2, 1));
        let old = case(true, CaseStatus::Unemployed, d(2026, 3, 1));
        let new = case(true, CaseStatus::Unemployed, d(2026, 4, 1));
        assert_eq!(eligible(&[], false), Err(Refusal::NotUnemployed));
        assert_eq!(
            eligible(&[seeker.clone(), closed.clone()], false),
            Err(Refusal::NotUnemployed)
        );
        assert_eq!(
            eligible(&[seeker, closed, old.clone(), new.clone()], false),
            Ok(&new)
        );
        assert_eq!(eligible(&[old], true), Err(Refusal::OpenBenefitApplication));
        for r in Refusal::ALL {
            assert!(!r.title().is_empty());
        }
    }

    #[test]
    fn the_period_is_checked() {
        let reg = d(2026, 10, 1);
        let today = d(2026, 11, 30);
        assert_eq!(
            period(d(2026, 11, 1), d(2026, 11, 30), reg, today),
            Ok((d(2026, 11, 1), d(2026, 11, 30)))
        );
        assert_eq!(
            period(d(2026, 12, 2), d(2026, 12, 1), reg, today),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            period(d(2026, 12, 1), d(2027, 3, 3), reg, today),
            Err(PeriodError::TooLong)
        );
        assert!(period(d(2026, 12, 1), d(2027, 3, 2), reg, today).is_ok());
        assert_eq!(
            period(d(2026, 10, 1), d(2026, 11, 29), reg, today),
            Err(PeriodError::Ended)
        );
        assert_eq!(
            period(d(2026, 9, 30), d(2026, 12, 1), reg, today),
            Err(PeriodError::BeforeRegistration)
        );
        for e in [
            PeriodError::Reversed,
            PeriodError::TooLong,
            PeriodError::Ended,
            PeriodError::BeforeRegistration,
        ] {
            let (field, message) = e.field_and_message();
            assert!(field.starts_with("valid_"));
            assert!(!message.is_empty());
        }
    }

    #[test]
    fn the_certificate_says_who_where_since_when_and_for_how_long() {
        assert_eq!(
            case_number("228", d(2026, 3, 4), "0193a4f2-7c1e-7000-8000-000000000000"),
            "228-2026-0193A4F2"
        );
        let c = Certificate {
            full_name: "Иванов Иван Иванович".into(),
            birth_date: Some(d(1990, 5, 17)),
            centre_name: "ГКУ ЦЗН «Центральный»".into(),
            centre_address: "г. Москва".into(),
            case_number: "228-2026-0193A4F2".into(),
            registered_on: d(2026, 3, 4),
            valid_from: d(2026, 11, 1),
            valid_to: d(2026, 11, 30),
            issued_on: d(2026, 11, 30),
        };
        let text = c.lines().join("\n");
        for needle in [
            "Иванов Иван Иванович",
            "17.05.1990",
            "с 04.03.2026",
            "228-2026-0193A4F2",
            "ГКУ ЦЗН «Центральный»",
            "с 01.11.2026 по 30.11.2026",
            "Дата выдачи: 30.11.2026",
        ] {
            assert!(text.contains(needle), "{needle} in {text}");
        }
        assert!(c.file_name().ends_with("2026-11-30.pdf"));
    }
}
