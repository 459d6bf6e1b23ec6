//! The audit journal (SPEC §7, «Журнал действий»): what was done with a person's
//! data, by whom, and the Russian line the person reads about it. Modelled on
//! Estonia's Data Tracker: a citizen sees which official read their data and when.
//!
//! Russian verbs carry the actor's gender, which the data does not give; each entry
//! is therefore phrased as a noun («Просмотр личного дела») followed by who did it.

use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::Coded;

/// The broad kind of an entry, which a reader filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// Someone looked at the person's data.
    Read,
    /// Someone changed the person's data or account.
    Change,
    /// A sign-in to the person's account, or an attempt.
    SignIn,
}

crate::coded_enum!(AuditKind {
    Read => ("read", "Просмотр"),
    Change => ("change", "Изменение"),
    SignIn => ("sign_in", "Вход"),
});

/// What was done; each action belongs to one [`AuditKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    CardRead,
    CasesRead,
    DocumentRead,
    ResumeRead,
    DocumentsListed,
    ApplicationRead,
    ApplicationsListed,
    BenefitApplicationsListed,
    AccountCreate,
    ProfileChange,
    EmailChange,
    PasswordChange,
    PasswordReset,
    CaseOpen,
    CaseChange,
    DocumentUpload,
    DocumentReview,
    AccountBlock,
    AccountUnblock,
    AccountClose,
    AdminTransfer,
    EsiaLink,
    SignIn,
    SignInFailed,
}

crate::coded_enum!(AuditAction {
    CardRead => ("card_read", "Просмотр ваших данных"),
    CasesRead => ("cases_read", "Просмотр личного дела"),
    DocumentRead => ("document_read", "Просмотр документа"),
    ResumeRead => ("resume_read", "Просмотр резюме"),
    DocumentsListed => ("documents_listed", "Просмотр ваших документов в списке документов ЦЗН"),
    ApplicationRead => ("application_read", "Просмотр заявления о содействии в поиске работы"),
    ApplicationsListed => ("applications_listed", "Просмотр вашего заявления в списке заявлений ЦЗН"),
    BenefitApplicationsListed => ("benefit_applications_listed", "Просмотр вашего заявления о пособии в списке заявлений ЦЗН"),
    AccountCreate => ("account_create", "Регистрация учётной записи"),
    ProfileChange => ("profile_change", "Изменение личных данных"),
    EmailChange => ("email_change", "Изменение адреса электронной почты"),
    PasswordChange => ("password_change", "Смена пароля"),
    PasswordReset => ("password_reset", "Восстановление пароля по ссылке из письма"),
    CaseOpen => ("case_open", "Открытие личного дела"),
    CaseChange => ("case_change", "Изменение личного дела"),
    DocumentUpload => ("document_upload", "Загрузка документа"),
    DocumentReview => ("document_review", "Проверка документа"),
    AccountBlock => ("account_block", "Блокировка учётной записи"),
    AccountUnblock => ("account_unblock", "Разблокировка учётной записи"),
    AccountClose => ("account_close", "Закрытие учётной записи"),
    AdminTransfer => ("admin_transfer", "Передача прав администратора организации"),
    EsiaLink => ("esia_link", "Привязка учётной записи Госуслуг"),
    SignIn => ("sign_in", "Вход в кабинет"),
    SignInFailed => ("sign_in_failed", "Неудачная попытка входа"),
});

impl AuditAction {
    pub fn kind(self) -> AuditKind {
        use AuditAction::*;
        match self {
            CardRead
            | CasesRead
            | DocumentRead
            | ResumeRead
            | DocumentsListed
            | ApplicationRead
            | ApplicationsListed
            | BenefitApplicationsListed => AuditKind::Read,
            AccountCreate | ProfileChange | EmailChange | PasswordChange | PasswordReset
            | CaseOpen | CaseChange | DocumentUpload | DocumentReview | AccountBlock
            | AccountUnblock | AccountClose | AdminTransfer | EsiaLink => AuditKind::Change,
            SignIn | SignInFailed => AuditKind::SignIn,
        }
    }
}

/// Whether `actor_id` reading the data of `subject_id` goes to the subject's journal:
/// reads by anyone else do; a person reading their own data leaves no entry.
pub fn is_journaled_read(actor_id: &str, subject_id: &str) -> bool {
    actor_id != subject_id
}

/// Where the request that caused an entry came from, recorded beside it: the
/// request's `X-Request-Id` (one grep finds its log lines) and the client address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditContext {
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
}

/// Who did it, as recorded at the time (names are snapshots: a later rename or a
/// move to another centre does not rewrite the journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    pub role: Role,
    /// The person's name as the account shows it («Смирнова Ольга Викторовна»).
    pub name: String,
    /// Their centre's or organisation's name, when the role has one.
    pub unit: Option<String>,
}

/// «Смирнова О. В.» from «Смирнова Ольга Викторовна»: the surname and initials, the
/// way an official signs. A single word stays as it is.
pub fn short_name(full: &str) -> String {
    let mut words = full.split_whitespace();
    let Some(surname) = words.next() else {
        return String::new();
    };
    let initials: Vec<String> = words
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    if initials.is_empty() {
        surname.to_owned()
    } else {
        format!("{surname} {}", initials.join(" "))
    }
}

/// «сотрудник ЦЗН Смирнова О. В. (ЦЗН г. Москвы)»: who did it, as the person reads it.
pub fn describe_actor(actor: &AuditActor) -> String {
    let label = match actor.role {
        Role::Staff => "сотрудник ЦЗН",
        Role::Employer => "работодатель",
        Role::Citizen => "гражданин",
    };
    let name = short_name(&actor.name);
    match &actor.unit {
        Some(unit) => format!("{label} {name} ({unit})"),
        None => format!("{label} {name}"),
    }
}

/// The line the person reads in their journal. `actor` is `None` when nobody was
/// signed in (a failed sign-in, a password reset by link); `by_self` when the person
/// acted on their own account.
pub fn sentence(action: AuditAction, actor: Option<&AuditActor>, by_self: bool) -> String {
    let what = action.title();
    match (actor, by_self) {
        (_, true) => format!("{what}: вы"),
        (Some(actor), false) => format!("{what}: {}", describe_actor(actor)),
        (None, false) => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> AuditActor {
        AuditActor {
            role: Role::Staff,
            name: "Смирнова Ольга Викторовна".into(),
            unit: Some("ЦЗН г. Москвы".into()),
        }
    }

    #[test]
    fn only_others_reads_are_journaled() {
        assert!(is_journaled_read("staff-1", "citizen-1"));
        assert!(!is_journaled_read("citizen-1", "citizen-1"));
    }

    #[test]
    fn names_shorten_to_surname_and_initials() {
        assert_eq!(short_name("Смирнова Ольга Викторовна"), "Смирнова О. В.");
        assert_eq!(short_name("  Петров   Пётр "), "Петров П.");
        assert_eq!(short_name("Администратор"), "Администратор");
        assert_eq!(short_name(""), "");
    }

    #[test]
    fn every_action_has_its_kind() {
        use AuditAction::*;
        let expected = [
            (CardRead, AuditKind::Read),
            (CasesRead, AuditKind::Read),
            (DocumentRead, AuditKind::Read),
            (ResumeRead, AuditKind::Read),
            (DocumentsListed, AuditKind::Read),
            (ApplicationRead, AuditKind::Read),
            (ApplicationsListed, AuditKind::Read),
            (BenefitApplicationsListed, AuditKind::Read),
            (AccountCreate, AuditKind::Change),
            (ProfileChange, AuditKind::Change),
            (EmailChange, AuditKind::Change),
            (PasswordChange, AuditKind::Change),
            (PasswordReset, AuditKind::Change),
            (CaseOpen, AuditKind::Change),
            (CaseChange, AuditKind::Change),
            (DocumentUpload, AuditKind::Change),
            (DocumentReview, AuditKind::Change),
            (AccountBlock, AuditKind::Change),
            (AccountUnblock, AuditKind::Change),
            (AccountClose, AuditKind::Change),
            (AdminTransfer, AuditKind::Change),
            (EsiaLink, AuditKind::Change),
            (SignIn, AuditKind::SignIn),
            (SignInFailed, AuditKind::SignIn),
        ];
        assert_eq!(expected.len(), AuditAction::ALL.len());
        for (action, kind) in expected {
            assert_eq!(action.kind(), kind, "{action}");
        }
    }

    #[test]
    fn every_action_reads_as_its_russian_sentence() {
        use AuditAction::*;
        let by_staff = [
            (CardRead, "Просмотр ваших данных"),
            (CasesRead, "Просмотр личного дела"),
            (DocumentRead, "Просмотр документа"),
            (ResumeRead, "Просмотр резюме"),
            (
                DocumentsListed,
                "Просмотр ваших документов в списке документов ЦЗН",
            ),
            (
                ApplicationRead,
                "Просмотр заявления о содействии в поиске работы",
            ),
            (
                ApplicationsListed,
                "Просмотр вашего заявления в списке заявлений ЦЗН",
            ),
            (
                BenefitApplicationsListed,
                "Просмотр вашего заявления о пособии в списке заявлений ЦЗН",
            ),
            (AccountCreate, "Регистрация учётной записи"),
            (ProfileChange, "Изменение личных данных"),
            (EmailChange, "Изменение адреса электронной почты"),
            (PasswordChange, "Смена пароля"),
            (PasswordReset, "Восстановление пароля по ссылке из письма"),
            (CaseOpen, "Открытие личного дела"),
            (CaseChange, "Изменение личного дела"),
            (DocumentUpload, "Загрузка документа"),
            (DocumentReview, "Проверка документа"),
            (AccountBlock, "Блокировка учётной записи"),
            (AccountUnblock, "Разблокировка учётной записи"),
            (AccountClose, "Закрытие учётной записи"),
            (AdminTransfer, "Передача прав администратора организации"),
            (EsiaLink, "Привязка учётной записи Госуслуг"),
            (SignIn, "Вход в кабинет"),
            (SignInFailed, "Неудачная попытка входа"),
        ];
        assert_eq!(by_staff.len(), AuditAction::ALL.len());
        for (action, what) in by_staff {
            assert_eq!(
                sentence(action, Some(&staff()), false),
                format!("{what}: сотрудник ЦЗН Смирнова О. В. (ЦЗН г. Москвы)")
            );
            assert_eq!(
                sentence(action, Some(&staff()), true),
                format!("{what}: вы")
            );
            assert_eq!(sentence(action, None, false), what);
        }
    }

    #[test]
    fn employers_and_citizens_are_named_by_role() {
        let employer = AuditActor {
            role: Role::Employer,
            name: "Иванов Иван Иванович".into(),
            unit: Some("ООО «Ромашка»".into()),
        };
        assert_eq!(
            sentence(AuditAction::ResumeRead, Some(&employer), false),
            "Просмотр резюме: работодатель Иванов И. И. (ООО «Ромашка»)"
        );
        let citizen = AuditActor {
            role: Role::Citizen,
            name: "Петрова Анна Сергеевна".into(),
            unit: None,
        };
        assert_eq!(describe_actor(&citizen), "гражданин Петрова А. С.");
    }
}
