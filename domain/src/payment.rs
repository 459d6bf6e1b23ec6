//! Payments to a citizen (SPEC §7 «Payments»): amounts in whole kopecks (never a
//! float), the statuses the cabinet shows, and the operations that move them — each
//! kept in the payment's history, cancellations and refunds included.

use serde::{Deserialize, Serialize};

/// An amount of money in kopecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Kopecks(pub i64);

/// Why an amount was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an amount is rubles with at most two decimals, more than zero")]
pub struct AmountError;

impl Kopecks {
    /// Reads «1234.56», «1234,56», «1 234» or «1234.5» (rubles) exactly.
    pub fn parse_rubles(s: &str) -> Result<Kopecks, AmountError> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.replace(',', ".");
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        let all_digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || frac.len() > 2 || !all_digits(whole) || !all_digits(frac) {
            return Err(AmountError);
        }
        let rubles: i64 = whole.parse().map_err(|_| AmountError)?;
        let mut kopecks: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| AmountError)?
        };
        if frac.len() == 1 {
            kopecks *= 10;
        }
        let total = rubles
            .checked_mul(100)
            .and_then(|r| r.checked_add(kopecks))
            .ok_or(AmountError)?;
        Kopecks::positive(total)
    }

    /// An amount that is more than zero.
    pub fn positive(k: i64) -> Result<Kopecks, AmountError> {
        if k > 0 {
            Ok(Kopecks(k))
        } else {
            Err(AmountError)
        }
    }

    /// «12 345,67», as the cabinet prints rubles.
    pub fn rubles(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}", abs % 100)
    }
}

/// What a payment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    UnemploymentBenefit,
    Scholarship,
    MaterialAid,
    Relocation,
    Other,
}

crate::coded_enum!(PaymentKind {
    UnemploymentBenefit => ("unemployment_benefit", "Пособие по безработице"),
    Scholarship => ("scholarship", "Стипендия в период профессионального обучения"),
    MaterialAid => ("material_aid", "Материальная помощь"),
    Relocation => ("relocation", "Компенсация расходов на переезд"),
    Other => ("other", "Иная выплата"),
});

/// Where a payment stands (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Pending,
    InProgress,
    Paid,
    Cancelled,
    Refunded,
}

crate::coded_enum!(PaymentStatus {
    Pending => ("pending", "Ожидает перечисления"),
    InProgress => ("in_progress", "В процессе"),
    Paid => ("paid", "Перечислено"),
    Cancelled => ("cancelled", "Отменено"),
    Refunded => ("refunded", "Возвращено"),
});

/// Something that happened to a payment: a line of its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Scheduled,
    Sent,
    Credited,
    Cancelled,
    Refunded,
}

crate::coded_enum!(Operation {
    Scheduled => ("scheduled", "Выплата назначена"),
    Sent => ("sent", "Передана на перечисление"),
    Credited => ("credited", "Зачислена получателю"),
    Cancelled => ("cancelled", "Выплата отменена"),
    Refunded => ("refunded", "Средства возвращены"),
});

/// Why an operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} payment cannot be {operation}")]
pub struct OperationError {
    pub from: PaymentStatus,
    pub operation: Operation,
}

impl PaymentStatus {
    /// The status a payment enters with.
    pub const INITIAL: PaymentStatus = PaymentStatus::Pending;

    /// The status an operation moves this one to: pending → in progress → paid; a
    /// pending or sent payment may be cancelled, a paid one refunded.
    pub fn apply(self, operation: Operation) -> Result<PaymentStatus, OperationError> {
        use Operation as O;
        use PaymentStatus as S;
        match (self, operation) {
            (S::Pending, O::Sent) => Ok(S::InProgress),
            (S::InProgress, O::Credited) => Ok(S::Paid),
            (S::Pending | S::InProgress, O::Cancelled) => Ok(S::Cancelled),
            (S::Paid, O::Refunded) => Ok(S::Refunded),
            (from, operation) => Err(OperationError { from, operation }),
        }
    }

    /// The status a payment entered as `status` has gone through: the operations its
    /// history records, from scheduling.
    pub fn path(self) -> &'static [Operation] {
        use Operation as O;
        match self {
            PaymentStatus::Pending => &[O::Scheduled],
            PaymentStatus::InProgress => &[O::Scheduled, O::Sent],
            PaymentStatus::Paid => &[O::Scheduled, O::Sent, O::Credited],
            PaymentStatus::Cancelled => &[O::Scheduled, O::Cancelled],
            PaymentStatus::Refunded => &[O::Scheduled, O::Sent, O::Credited, O::Refunded],
        }
    }
}

/// The columns of a payments import file, in order (a header line comes first).
pub const IMPORT_COLUMNS: [&str; 8] = [
    "citizen",
    "kind",
    "amount",
    "period_from",
    "period_to",
    "pay_date",
    "status",
    "comment",
];

/// One line of an import file, read into domain values; the citizen (SNILS or login)
/// is resolved by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    pub citizen: String,
    pub kind: PaymentKind,
    pub amount: Kopecks,
    pub period_from: chrono::NaiveDate,
    pub period_to: chrono::NaiveDate,
    pub pay_date: chrono::NaiveDate,
    pub status: PaymentStatus,
    pub comment: Option<String>,
}

impl ImportLine {
    /// Reads the fields of one line; the error names the column.
    pub fn parse(fields: &[&str]) -> Result<ImportLine, String> {
        if fields.len() != IMPORT_COLUMNS.len() {
            return Err(format!(
                "ожидается {} полей ({}), получено {}",
                IMPORT_COLUMNS.len(),
                IMPORT_COLUMNS.join(", "),
                fields.len()
            ));
        }
        let date = |i: usize| {
            chrono::NaiveDate::parse_from_str(fields[i].trim(), "%Y-%m-%d")
                .map_err(|_| format!("{}: дата в формате ГГГГ-ММ-ДД", IMPORT_COLUMNS[i]))
        };
        let citizen = fields[0].trim();
        if citizen.is_empty() {
            return Err("citizen: укажите СНИЛС или логин".into());
        }
        let kind = fields[1]
            .trim()
            .parse()
            .map_err(|_| "kind: неизвестный вид выплаты".to_owned())?;
        let amount = Kopecks::parse_rubles(fields[2]).map_err(|_| {
            "amount: сумма в рублях, больше нуля, не более двух знаков после запятой".to_owned()
        })?;
        let (period_from, period_to, pay_date) = (date(3)?, date(4)?, date(5)?);
        if period_to < period_from {
            return Err("period_to: конец периода раньше начала".into());
        }
        let status = fields[6]
            .trim()
            .parse()
            .map_err(|_| "status: неизвестный статус выплаты".to_owned())?;
        let comment = Some(fields[7].trim())
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Ok(ImportLine {
            citizen: citizen.to_owned(),
            kind,
            amount,
            period_from,
            period_to,
            pay_date,
            status,
            comment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn amounts_are_read_exactly() {
        assert_eq!(Kopecks::parse_rubles("1234.56"), Ok(Kopecks(123_456)));
        assert_eq!(Kopecks::parse_rubles("1 234,5"), Ok(Kopecks(123_450)));
        assert_eq!(Kopecks::parse_rubles("12"), Ok(Kopecks(1_200)));
        assert_eq!(Kopecks::parse_rubles("0.01"), Ok(Kopecks(1)));
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "1.234",
            "1e3",
            "abc",
            ".5",
            "99999999999999999999",
        ] {
            assert_eq!(Kopecks::parse_rubles(bad), Err(AmountError), "{bad}");
        }
        assert_eq!(Kopecks(12_345_678).rubles(), "123\u{a0}456,78");
        assert_eq!(Kopecks(5).rubles(), "0,05");
    }

    #[test]
    fn import_lines_are_read_or_named() {
        let ok = ImportLine::parse(&[
            "112-233-445 95",
            "unemployment_benefit",
            "15000.50",
            "2026-10-01",
            "2026-10-31",
            "2026-11-15",
            "paid",
            "",
        ])
        .unwrap();
        assert_eq!(ok.amount, Kopecks(1_500_050));
        assert_eq!(ok.status, PaymentStatus::Paid);
        assert_eq!(ok.comment, None);
        let err = ImportLine::parse(&["x", "bonus", "1", "", "", "", "", ""]).unwrap_err();
        assert!(err.starts_with("kind:"), "{err}");
        let err = ImportLine::parse(&[
            "x",
            "other",
            "1",
            "2026-10-01",
            "2026-09-30",
            "2026-11-15",
            "paid",
            "",
        ])
        .unwrap_err();
        assert!(err.starts_with("period_to:"), "{err}");
        assert!(ImportLine::parse(&["x"])
            .unwrap_err()
            .contains("ожидается 8 полей"));
    }

    #[test]
    fn every_status_and_operation_pair() {
        use Operation as O;
        use PaymentStatus as S;
        let allowed = [
            (S::Pending, O::Sent, S::InProgress),
            (S::InProgress, O::Credited, S::Paid),
            (S::Pending, O::Cancelled, S::Cancelled),
            (S::InProgress, O::Cancelled, S::Cancelled),
            (S::Paid, O::Refunded, S::Refunded),
        ];
        for &from in PaymentStatus::ALL {
            for &op in Operation::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, o, _)| *f == from && *o == op)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(from.apply(op), Ok(to)),
                    None => assert_eq!(
                        from.apply(op),
                        Err(OperationError {
                            from,
                            operation: op
                        })
                    ),
                }
            }
        }
    }

    #[test]
    fn every_status_is_reached_along_its_path() {
        for &status in PaymentStatus::ALL {
            let path = status.path();
            assert_eq!(path[0], Operation::Scheduled);
            let reached = path[1..]
                .iter()
                .try_fold(PaymentStatus::INITIAL, |s, op| s.apply(*op));
            assert_eq!(reached, Ok(status));
        }
        assert_eq!(PaymentStatus::Pending.title(), "Ожидает перечисления");
        assert_eq!(PaymentStatus::InProgress.title(), "В процессе");
        assert_eq!(PaymentStatus::Paid.title(), "Перечислено");
    }
}
