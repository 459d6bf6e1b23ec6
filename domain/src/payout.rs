//! Where the unemployment benefit is paid (seed 002 «ссылка для получения выплаты через
//! банковскую карту»): a bank account named by its bank's BIK, checked with the Bank
//! of Russia control key, or a card number checked by Luhn. Each value exists only
//! valid (parse, don't validate).

use serde::{Deserialize, Serialize};

/// Why payout details were refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayoutError {
    #[error("a BIK is nine digits starting with 04")]
    Bik,
    #[error("an account number is twenty digits")]
    AccountFormat,
    #[error("the account number does not match the BIK's control key")]
    AccountKey,
    #[error("a card number is 16 to 19 digits")]
    CardFormat,
    #[error("the card number fails the Luhn check")]
    CardLuhn,
}

impl PayoutError {
    /// The field and what the citizen reads.
    pub fn field_and_message(&self) -> (&'static str, &'static str) {
        match self {
            PayoutError::Bik => ("bik", "БИК — 9 цифр, начинается с 04"),
            PayoutError::AccountFormat => ("account", "Номер счёта — 20 цифр"),
            PayoutError::AccountKey => (
                "account",
                "Номер счёта не соответствует БИК банка (не сходится контрольный ключ)",
            ),
            PayoutError::CardFormat => ("card_number", "Номер карты — от 16 до 19 цифр"),
            PayoutError::CardLuhn => ("card_number", "Номер карты введён с ошибкой"),
        }
    }
}

/// Digits of `s` with spaces and dashes (as people type them) removed; `None` when
/// anything else is there.
fn digits(s: &str) -> Option<Vec<u8>> {
    s.chars()
        .filter(|c| *c != ' ' && *c != '-')
        .map(|c| c.to_digit(10).map(|d| d as u8))
        .collect()
}

fn text(d: &[u8]) -> String {
    d.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A Russian bank identification code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bik(String);

impl Bik {
    pub fn parse(s: &str) -> Result<Bik, PayoutError> {
        let d = digits(s).ok_or(PayoutError::Bik)?;
        if d.len() != 9 || d[0] != 0 || d[1] != 4 {
            return Err(PayoutError::Bik);
        }
        Ok(Bik(text(&d)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A client's account at a credit organisation, valid for its bank's BIK.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankAccount {
    bik: Bik,
    account: String,
}

/// The Bank of Russia control key: over the BIK's last three digits followed by the
/// twenty digits of the account, weights 7, 1, 3 repeating; the sum of the last
/// digits of the products ends in 0.
fn key_holds(bik: &Bik, account: &[u8]) -> bool {
    let bik_digits: Vec<u8> = bik.0.bytes().map(|b| b - b'0').collect();
    let sum: u32 = bik_digits[6..]
        .iter()
        .chain(account)
        .zip([7u32, 1, 3].iter().cycle())
        .map(|(d, w)| (u32::from(*d) * w) % 10)
        .sum();
    sum % 10 == 0
}

impl BankAccount {
    pub fn parse(bik: &str, account: &str) -> Result<BankAccount, PayoutError> {
        let bik = Bik::parse(bik)?;
        let d = digits(account).ok_or(PayoutError::AccountFormat)?;
        if d.len() != 20 {
            return Err(PayoutError::AccountFormat);
        }
        if !key_holds(&bik, &d) {
            return Err(PayoutError::AccountKey);
        }
        Ok(BankAccount {
            bik,
            account: text(&d),
        })
    }

    pub fn bik(&self) -> &Bik {
        &self.bik
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    /// The account as shown back: only its last four digits.
    pub fn masked(&self) -> String {
        format!("•••• {}", &self.account[self.account.len() - 4..])
    }
}

/// A payment card number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CardNumber(String);

impl CardNumber {
    pub fn parse(s: &str) -> Result<CardNumber, PayoutError> {
        let d = digits(s).ok_or(PayoutError::CardFormat)?;
        if !(16..=19).contains(&d.len()) {
            return Err(PayoutError::CardFormat);
        }
        let sum: u32 = d
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &x)| {
                let x = u32::from(x);
                if i % 2 == 1 {
                    let y = x * 2;
                    if y > 9 {
                        y - 9
                    } else {
                        y
                    }
                } else {
                    x
                }
            })
            .sum();
        if sum % 10 != 0 {
            return Err(PayoutError::CardLuhn);
        }
        Ok(CardNumber(text(&d)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as shown back: only its last four digits.
    pub fn masked(&self) -> String {
        format!("•••• {}", &self.0[self.0.len() - 4..])
    }
}

/// Where the benefit goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payout {
    BankAccount(BankAccount),
    Card(CardNumber),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sets the account's key digit (the ninth) so that the control key holds.
    fn with_key(bik: &str, account: &str) -> String {
        let b = Bik::parse(bik).unwrap();
        (0..10)
            .map(|k| format!("{}{k}{}", &account[..8], &account[9..]))
            .find(|a| key_holds(&b, &digits(a).unwrap()))
            .unwrap()
    }

    #[test]
    fn a_bik_is_nine_digits_from_04() {
        assert_eq!(Bik::parse("044525225").unwrap().as_str(), "044525225");
        assert_eq!(Bik::parse("044 525 225").unwrap().as_str(), "044525225");
        for bad in ["04452522", "0445252250", "144525225", "04452522x", ""] {
            assert_eq!(Bik::parse(bad), Err(PayoutError::Bik), "{bad}");
        }
    }

    #[test]
    fn the_account_must_match_its_bik() {
        let good = with_key("044525225", "40817810000000000001");
        let acc = BankAccount::parse("044525225", &good).unwrap();
        assert_eq!(acc.account(), good);
        assert_eq!(acc.bik().as_str(), "044525225");
        // Exactly one key digit in ten holds; any other fails.
        let bad_key = (good.as_bytes()[8] - b'0' + 1) % 10;
        let bad = format!("{}{bad_key}{}", &good[..8], &good[9..]);
        assert_eq!(
            BankAccount::parse("044525225", &bad),
            Err(PayoutError::AccountKey)
        );
        // The same account at another bank fails too (most of the time: these do).
        assert_eq!(
            BankAccount::parse("044525593", &good),
            Err(PayoutError::AccountKey)
        );
        assert_eq!(
            BankAccount::parse("044525225", "4081781000000000000"),
            Err(PayoutError::AccountFormat)
        );
        assert_eq!(BankAccount::parse("x", &good), Err(PayoutError::Bik));
    }

    #[test]
    fn a_known_account_passes() {
        // A published example pair: Sberbank (Moscow) and a settlement account.
        let account = BankAccount::parse("044525225", "40702810438000034726").unwrap();
        assert_eq!(account.masked(), "•••• 4726");
    }

    #[test]
    fn cards_pass_luhn() {
        let card = CardNumber::parse("4111 1111 1111 1111").unwrap();
        assert_eq!(card.as_str(), "4111111111111111");
        assert_eq!(card.masked(), "•••• 1111");
        assert!(CardNumber::parse("2200-0000-0000-0004").is_ok());
        assert_eq!(
            CardNumber::parse("4111111111111112"),
            Err(PayoutError::CardLuhn)
        );
        assert_eq!(
            CardNumber::parse("411111111111"),
            Err(PayoutError::CardFormat)
        );
        assert_eq!(
            CardNumber::parse("4111a11111111111"),
            Err(PayoutError::CardFormat)
        );
    }

    #[test]
    fn every_error_names_a_field() {
        for e in [
            PayoutError::Bik,
            PayoutError::AccountFormat,
            PayoutError::AccountKey,
            PayoutError::CardFormat,
            PayoutError::CardLuhn,
        ] {
            let (field, message) = e.field_and_message();
            assert!(!field.is_empty() && !message.is_empty());
        }
    }
}
