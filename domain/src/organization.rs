//! An organisation's card as its admin keeps it (SPEC §3 «Организация», seed 001
//! «Сведения об организации»): which fields are main data, what a change changes, and
//! how a changed field reads for the centre's staff.

use chrono::NaiveDate;

use crate::identifiers::{requisites_agree, Inn, Kpp, Ogrn};

/// Everything the organisation states about itself. OGRN is set at registration and
/// never changes; every other field is the admin's to edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub name: String,
    pub full_name: String,
    pub ogrn: Ogrn,
    pub inn: Inn,
    pub kpp: Option<Kpp>,
    pub legal_address: Option<String>,
    pub actual_address: Option<String>,
    pub legal_form: Option<String>,
    pub email: Option<String>,
    pub site: Option<String>,
    pub okved: Option<String>,
    pub ownership_form: Option<String>,
    pub headcount: Option<i32>,
    pub transport: Option<String>,
    pub social_guarantees: Option<String>,
    pub quota_account_number: Option<String>,
    pub quota_account_date: Option<NaiveDate>,
}

impl Details {
    /// An organisation known only by its names and registration numbers (what a
    /// Госуслуги claim carries); the admin fills in the rest.
    pub fn new(name: String, full_name: String, ogrn: Ogrn, inn: Inn) -> Details {
        Details {
            name,
            full_name,
            ogrn,
            inn,
            kpp: None,
            legal_address: None,
            actual_address: None,
            legal_form: None,
            email: None,
            site: None,
            okved: None,
            ownership_form: None,
            headcount: None,
            transport: None,
            social_guarantees: None,
            quota_account_number: None,
            quota_account_date: None,
        }
    }
}

/// A change to the card: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub name: Option<String>,
    pub full_name: Option<String>,
    pub inn: Option<Inn>,
    pub kpp: Option<Option<Kpp>>,
    pub legal_address: Option<Option<String>>,
    pub actual_address: Option<Option<String>>,
    pub legal_form: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub site: Option<Option<String>>,
    pub okved: Option<Option<String>>,
    pub ownership_form: Option<Option<String>>,
    pub headcount: Option<Option<i32>>,
    pub transport: Option<Option<String>>,
    pub social_guarantees: Option<Option<String>>,
    pub quota_account_number: Option<Option<String>>,
    pub quota_account_date: Option<Option<NaiveDate>>,
}

impl Details {
    /// The card with `change` made.
    pub fn apply(self, change: Change) -> Details {
        Details {
            name: change.name.unwrap_or(self.name),
            full_name: change.full_name.unwrap_or(self.full_name),
            ogrn: self.ogrn,
            inn: change.inn.unwrap_or(self.inn),
            kpp: change.kpp.unwrap_or(self.kpp),
            legal_address: change.legal_address.unwrap_or(self.legal_address),
            actual_address: change.actual_address.unwrap_or(self.actual_address),
            legal_form: change.legal_form.unwrap_or(self.legal_form),
            email: change.email.unwrap_or(self.email),
            site: change.site.unwrap_or(self.site),
            okved: change.okved.unwrap_or(self.okved),
            ownership_form: change.ownership_form.unwrap_or(self.ownership_form),
            headcount: change.headcount.unwrap_or(self.headcount),
            transport: change.transport.unwrap_or(self.transport),
            social_guarantees: change.social_guarantees.unwrap_or(self.social_guarantees),
            quota_account_number: change
                .quota_account_number
                .unwrap_or(self.quota_account_number),
            quota_account_date: change.quota_account_date.unwrap_or(self.quota_account_date),
        }
    }

    /// SPEC §3: OGRN, INN and KPP describe one kind of entity (see
    /// [`requisites_agree`]).
    pub fn requisites_agree(&self) -> bool {
        requisites_agree(&self.ogrn, &self.inn, self.kpp.is_some())
    }
}

/// A field of the card an admin may change, in the card's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    FullName,
    Inn,
    Kpp,
    LegalAddress,
    ActualAddress,
    LegalForm,
    Email,
    Site,
    Okved,
    OwnershipForm,
    Headcount,
    Transport,
    SocialGuarantees,
    QuotaAccountNumber,
    QuotaAccountDate,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Field::Name,
        Field::FullName,
        Field::Inn,
        Field::Kpp,
        Field::LegalAddress,
        Field::ActualAddress,
        Field::LegalForm,
        Field::Email,
        Field::Site,
        Field::Okved,
        Field::OwnershipForm,
        Field::Headcount,
        Field::Transport,
        Field::SocialGuarantees,
        Field::QuotaAccountNumber,
        Field::QuotaAccountDate,
    ];

    /// The field's name as the card shows it to people.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Наименование",
            Field::FullName => "Полное наименование",
            Field::Inn => "ИНН",
            Field::Kpp => "КПП",
            Field::LegalAddress => "Юридический адрес",
            Field::ActualAddress => "Фактический адрес",
            Field::LegalForm => "Организационно-правовая форма",
            Field::Email => "Адрес электронной почты",
            Field::Site => "Сайт",
            Field::Okved => "ОКВЭД",
            Field::OwnershipForm => "Форма собственности",
            Field::Headcount => "Численность работников",
            Field::Transport => "Транспорт",
            Field::SocialGuarantees => "Социальные гарантии",
            Field::QuotaAccountNumber => "Учётный номер квотирования",
            Field::QuotaAccountDate => "Дата учётного номера квотирования",
        }
    }

    /// SPEC §3 «основные сведения»: the names, INN, KPP, legal address, legal and
    /// ownership form. A change of any of them files an appeal to the centre; the
    /// rest of the card is the organisation's own business.
    pub fn is_main_data(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::FullName
                | Field::Inn
                | Field::Kpp
                | Field::LegalAddress
                | Field::LegalForm
                | Field::OwnershipForm
        )
    }
}

/// One changed field with its value before and after, as people read them (`None`:
/// empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What an empty value reads as.
pub const EMPTY: &str = "—";

/// «КПП: 770101001 → 773601002»: the label, the old value, the new one; an empty value
/// as «—».
impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} → {}",
            self.field.label(),
            self.before.as_deref().unwrap_or(EMPTY),
            self.after.as_deref().unwrap_or(EMPTY)
        )
    }
}

/// The fields whose value differs between `before` and `after`, in the card's order.
pub fn diff(before: &Details, after: &Details) -> Vec<FieldChange> {
    let mut out = Vec::new();
    compare(&mut out, Field::Name, &before.name, &after.name);
    compare(
        &mut out,
        Field::FullName,
        &before.full_name,
        &after.full_name,
    );
    compare(&mut out, Field::Inn, &before.inn, &after.inn);
    compare(&mut out, Field::Kpp, &before.kpp, &after.kpp);
    compare(
        &mut out,
        Field::LegalAddress,
        &before.legal_address,
        &after.legal_address,
    );
    compare(
        &mut out,
        Field::ActualAddress,
        &before.actual_address,
        &after.actual_address,
    );
    compare(
        &mut out,
        Field::LegalForm,
        &before.legal_form,
        &after.legal_form,
    );
    compare(&mut out, Field::Email, &before.email, &after.email);
    compare(&mut out, Field::Site, &before.site, &after.site);
    compare(&mut out, Field::Okved, &before.okved, &after.okved);
    compare(
        &mut out,
        Field::OwnershipForm,
        &before.ownership_form,
        &after.ownership_form,
    );
    compare(
        &mut out,
        Field::Headcount,
        &before.headcount,
        &after.headcount,
    );
    compare(
        &mut out,
        Field::Transport,
        &before.transport,
        &after.transport,
    );
    compare(
        &mut out,
        Field::SocialGuarantees,
        &before.social_guarantees,
        &after.social_guarantees,
    );
    compare(
        &mut out,
        Field::QuotaAccountNumber,
        &before.quota_account_number,
        &after.quota_account_number,
    );
    compare(
        &mut out,
        Field::QuotaAccountDate,
        &before.quota_account_date,
        &after.quota_account_date,
    );
    out
}

/// Adds `field` to `out` if its value changed.
fn compare<T: PartialEq + Shown>(out: &mut Vec<FieldChange>, field: Field, before: &T, after: &T) {
    if before != after {
        out.push(FieldChange {
            field,
            before: before.shown(),
            after: after.shown(),
        });
    }
}

/// A value as people read it; `None` when there is nothing to show.
trait Shown {
    fn shown(&self) -> Option<String>;
}

impl Shown for String {
    fn shown(&self) -> Option<String> {
        Some(self.trim().to_owned()).filter(|s| !s.is_empty())
    }
}

impl Shown for Inn {
    fn shown(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Shown for Kpp {
    fn shown(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Shown for i32 {
    fn shown(&self) -> Option<String> {
        Some(self.to_string())
    }
}

/// Dates as Russian documents write them: DD.MM.YYYY.
impl Shown for NaiveDate {
    fn shown(&self) -> Option<String> {
        Some(self.format("%d.%m.%Y").to_string())
    }
}

impl<T: Shown> Shown for Option<T> {
    fn shown(&self) -> Option<String> {
        self.as_ref().and_then(Shown::shown)
    }
}

/// Whether the organisation is who it says it is: confirmed by ESIA (a signed-in
/// person whose ID token names it) or by centre staff, or only registered by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Pending,
    Verified,
}

impl Verification {
    pub fn code(self) -> &'static str {
        match self {
            Verification::Pending => "pending",
            Verification::Verified => "verified",
        }
    }
}

/// What an organisation does in public: a published vacancy, a report sent to the
/// centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicAct {
    PublishVacancy,
    SendReport,
}

/// A pending organisation may prepare (drafts, its card, contacts) but not act in
/// public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the organisation is not verified yet")]
pub struct NotVerified;

pub fn may(verification: Verification, _act: PublicAct) -> Result<(), NotVerified> {
    match verification {
        Verification::Verified => Ok(()),
        Verification::Pending => Err(NotVerified),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn romashka() -> Details {
        Details {
            name: "ООО «Ромашка»".into(),
            full_name: "Общество с ограниченной ответственностью «Ромашка»".into(),
            ogrn: Ogrn::parse("1027700132195").unwrap(),
            inn: Inn::parse("7707083893").unwrap(),
            kpp: Some(Kpp::parse("770101001").unwrap()),
            legal_address: Some("г. Москва, ул. Вавилова, д. 19".into()),
            actual_address: None,
            legal_form: None,
            email: None,
            site: None,
            okved: None,
            ownership_form: Some("Частная".into()),
            headcount: Some(120),
            transport: None,
            social_guarantees: None,
            quota_account_number: None,
            quota_account_date: None,
        }
    }

    #[test]
    fn an_empty_change_changes_nothing() {
        let before = romashka();
        assert_eq!(before.clone().apply(Change::default()), before);
        assert_eq!(diff(&before, &before), []);
    }

    #[test]
    fn a_change_reads_as_one_line_per_field_in_russian() {
        let before = romashka();
        let after = before.clone().apply(Change {
            kpp: Some(Some(Kpp::parse("773601002").unwrap())),
            legal_form: Some(Some("Общество с ограниченной ответственностью".into())),
            ownership_form: Some(None),
            headcount: Some(Some(140)),
            quota_account_date: Some(Some(NaiveDate::from_ymd_opt(2018, 3, 29).unwrap())),
            ..Change::default()
        });
        let lines: Vec<String> = diff(&before, &after)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "КПП: 770101001 → 773601002",
                "Организационно-правовая форма: — → Общество с ограниченной ответственностью",
                "Форма собственности: Частная → —",
                "Численность работников: 120 → 140",
                "Дата учётного номера квотирования: — → 29.03.2018",
            ]
        );
    }

    #[test]
    fn a_value_set_to_itself_is_no_change() {
        let before = romashka();
        let after = before.clone().apply(Change {
            name: Some(before.name.clone()),
            kpp: Some(before.kpp.clone()),
            ..Change::default()
        });
        assert_eq!(diff(&before, &after), []);
    }

    #[test]
    fn every_field_is_compared() {
        let before = romashka();
        let date = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        let after = before.clone().apply(Change {
            name: Some("ООО «Ромашка-Плюс»".into()),
            full_name: Some("ООО «Ромашка-Плюс» полностью".into()),
            inn: Some(Inn::parse("500100732259").unwrap()),
            kpp: Some(None),
            legal_address: Some(None),
            actual_address: Some(Some("Москва".into())),
            legal_form: Some(Some("ООО".into())),
            email: Some(Some("hr@example.ru".into())),
            site: Some(Some("https://example.ru".into())),
            okved: Some(Some("56.10".into())),
            ownership_form: Some(None),
            headcount: Some(None),
            transport: Some(Some("Метро".into())),
            social_guarantees: Some(Some("ДМС".into())),
            quota_account_number: Some(Some("КВ-1".into())),
            quota_account_date: Some(Some(date)),
        });
        let fields: Vec<Field> = diff(&before, &after).iter().map(|c| c.field).collect();
        assert_eq!(fields, Field::ALL);
    }

    #[test]
    fn main_data_is_the_names_requisites_legal_address_and_forms() {
        let main: Vec<&str> = Field::ALL
            .iter()
            .filter(|f| f.is_main_data())
            .map(|f| f.label())
            .collect();
        assert_eq!(
            main,
            [
                "Наименование",
                "Полное наименование",
                "ИНН",
                "КПП",
                "Юридический адрес",
                "Организационно-правовая форма",
                "Форма собственности",
            ]
        );
    }

    #[test]
    fn blank_text_reads_as_empty() {
        let change = FieldChange {
            field: Field::Site,
            before: "  ".to_owned().shown(),
            after: None,
        };
        assert_eq!(change.to_string(), "Сайт: — → —");
    }

    #[test]
    fn requisites_must_describe_one_kind_of_entity() {
        let company = romashka();
        assert!(company.requisites_agree());
        let without_kpp = company.clone().apply(Change {
            kpp: Some(None),
            ..Change::default()
        });
        assert!(!without_kpp.requisites_agree());
        let entrepreneurs_inn = company.apply(Change {
            inn: Some(Inn::parse("500100732259").unwrap()),
            ..Change::default()
        });
        assert!(!entrepreneurs_inn.requisites_agree());
    }

    #[test]
    fn only_a_verified_organisation_publishes_or_sends() {
        for act in [PublicAct::PublishVacancy, PublicAct::SendReport] {
            assert_eq!(may(Verification::Verified, act), Ok(()));
            assert_eq!(may(Verification::Pending, act), Err(NotVerified));
        }
        assert_eq!(Verification::Pending.code(), "pending");
        assert_eq!(Verification::Verified.code(), "verified");
    }
}
