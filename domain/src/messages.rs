//! Every sentence the portal writes on someone's behalf: notifications and e-mails
//! (SPEC §7, §4), and the appeals it files for an employer (SPEC §3). Each is a
//! function of domain values, so the wording is read, reviewed and tested here;
//! storage only keeps what these return.

use crate::appeal::{AppealStatus, Audience};
use crate::appeal_type::AppealType;
use crate::organization::FieldChange;
use crate::report::ReportKind;
use crate::vacancy::CONFIRM_AFTER_DAYS;
use crate::Coded;

/// A text with its heading: a notification's title, an e-mail's subject or an
/// appeal's subject, and the body under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    pub body: String,
}

/// SPEC §4: the notice sent to the account's old address when its e-mail changes, so
/// that a hijacked session cannot quietly take the account.
pub fn email_changed(login: &str, new_email: &str) -> Message {
    Message {
        title: "Адрес электронной почты изменён".to_owned(),
        body: format!(
            "Адрес электронной почты учётной записи «{login}» на Интерактивном портале \
             изменён на {new_email}. Если вы этого не делали, обратитесь в центр занятости."
        ),
    }
}

/// «Забыли пароль?»: the one-time link, sent to the account's e-mail.
pub fn password_reset(login: &str, link: &str, minutes: i64) -> Message {
    Message {
        title: "Восстановление пароля".to_owned(),
        body: format!(
            "Для учётной записи «{login}» на Интерактивном портале запрошена смена пароля. \
             Чтобы задать новый пароль, перейдите по ссылке (она действует {minutes} минут \
             и только один раз): {link}\n\nЕсли вы не запрашивали смену пароля, ничего не \
             делайте: пароль останется прежним."
        ),
    }
}

/// SPEC §7: the applicant hears of their appeal's new status, in their cabinet's
/// wording, with the staff comment if there is one.
pub fn appeal_moved(
    number: &str,
    subject: &str,
    to: AppealStatus,
    audience: Audience,
    comment: Option<&str>,
) -> Message {
    Message {
        title: format!("Обращение № {number}: {}", to.title_for(audience)),
        body: match comment {
            Some(c) => format!("{subject}. Комментарий: {c}"),
            None => subject.to_owned(),
        },
    }
}

/// SPEC §5: a new vacancy matches one of the citizen's saved searches.
pub fn vacancy_found(search_name: &str, vacancy_title: &str, employer_name: &str) -> Message {
    Message {
        title: format!("Новая вакансия по поиску «{search_name}»"),
        body: format!("{vacancy_title} — {employer_name}"),
    }
}

/// SPEC §3 «напоминания о подтверждении вакансий»: a vacancy has been open long enough
/// that its organisation is asked whether it still stands.
pub fn confirm_vacancy(vacancy_title: &str) -> Message {
    Message {
        title: format!("Подтвердите актуальность вакансии «{vacancy_title}»"),
        body: format!("Вакансия опубликована более {CONFIRM_AFTER_DAYS} дней назад."),
    }
}

/// SPEC §3: the appeal a sent report files.
pub fn report_appeal(kind: ReportKind, organization_name: &str) -> Message {
    Message {
        title: kind.title().to_owned(),
        body: format!("{} — {organization_name}", kind.title()),
    }
}

/// SPEC §3: a published vacancy is the «vacancies» report; the appeal it files names
/// the vacancy.
pub fn vacancy_report_appeal(vacancy_title: &str) -> Message {
    Message {
        title: format!("{}: {vacancy_title}", ReportKind::Vacancies.title()),
        body: format!("Вакансия «{vacancy_title}» опубликована"),
    }
}

/// SPEC §3: the appeal «Заявление на изменение сведений об организации» that a change
/// of main data files, one line per changed field of main data as staff read it
/// («КПП: 770101001 → 773601002»). `None` when no main data changed: the centre need
/// not hear of the rest.
pub fn organization_change_appeal(
    organization_name: &str,
    changes: &[FieldChange],
) -> Option<Message> {
    let lines: Vec<String> = changes
        .iter()
        .filter(|c| c.field.is_main_data())
        .map(ToString::to_string)
        .collect();
    (!lines.is_empty()).then(|| Message {
        title: format!(
            "{}: {organization_name}",
            AppealType::OrganizationDataChange.title()
        ),
        body: lines.join("\n"),
    })
}

/// The notice to an account whose self-typed SNILS was taken by the person it belongs
/// to, who signed in through Госуслуги.
pub fn snils_released(login: &str) -> Message {
    Message {
        title: "СНИЛС удалён из учётной записи".to_owned(),
        body: format!(
            "СНИЛС, указанный в учётной записи «{login}», подтвердил его владелец (через \
             Госуслуги или в центре занятости), и он удалён из вашей учётной записи. Если \
             это ваш СНИЛС, войдите через Госуслуги или обратитесь в центр занятости."
        ),
    }
}

/// The notice to the admin of an organisation registered by hand whose OGRN an
/// organisation confirmed through Госуслуги now holds.
pub fn ogrn_verified_elsewhere(organization_name: &str, ogrn: &str) -> Message {
    Message {
        title: "ОГРН подтверждён другой учётной записью".to_owned(),
        body: format!(
            "Руководитель организации с ОГРН {ogrn} вошёл через Госуслуги, и организация \
             подтверждена под его учётной записью. Регистрация «{organization_name}», \
             выполненная вручную, не может быть подтверждена. Если вы работаете в этой \
             организации, попросите её администратора добавить вас в контактные лица."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organization::Field;

    #[test]
    fn the_old_address_hears_of_the_new_one() {
        let m = email_changed("ivanov", "new@example.ru");
        assert_eq!(m.title, "Адрес электронной почты изменён");
        assert_eq!(
            m.body,
            "Адрес электронной почты учётной записи «ivanov» на Интерактивном портале изменён \
             на new@example.ru. Если вы этого не делали, обратитесь в центр занятости."
        );
    }

    #[test]
    fn a_moved_appeal_is_told_in_the_applicants_wording() {
        let employer = appeal_moved(
            "770-1/26",
            "Отчёт",
            AppealStatus::Registered,
            Audience::Employer,
            None,
        );
        assert_eq!(employer.title, "Обращение № 770-1/26: Принято ведомством");
        assert_eq!(employer.body, "Отчёт");
        let citizen = appeal_moved(
            "770-1/26",
            "Вопрос",
            AppealStatus::Rejected,
            Audience::Citizen,
            Some("Не относится к компетенции"),
        );
        assert_eq!(citizen.title, "Обращение № 770-1/26: Отклонено");
        assert_eq!(
            citizen.body,
            "Вопрос. Комментарий: Не относится к компетенции"
        );
    }

    #[test]
    fn vacancy_notices() {
        let found = vacancy_found("Повар в Москве", "Повар", "ООО «Ромашка»");
        assert_eq!(found.title, "Новая вакансия по поиску «Повар в Москве»");
        assert_eq!(found.body, "Повар — ООО «Ромашка»");
        let confirm = confirm_vacancy("Повар");
        assert_eq!(confirm.title, "Подтвердите актуальность вакансии «Повар»");
        assert_eq!(confirm.body, "Вакансия опубликована более 30 дней назад.");
    }

    #[test]
    fn appeals_filed_for_reports() {
        let report = report_appeal(ReportKind::Staffing, "ООО «Ромашка»");
        assert_eq!(report.title, "Сведения о кадровом составе");
        assert_eq!(report.body, "Сведения о кадровом составе — ООО «Ромашка»");
        let vacancy = vacancy_report_appeal("Повар");
        assert_eq!(
            vacancy.title,
            "Сведения о потребности в работниках (вакансии): Повар"
        );
        assert_eq!(vacancy.body, "Вакансия «Повар» опубликована");
    }

    #[test]
    fn a_change_of_main_data_files_one_line_per_main_field() {
        let change = |field, before: Option<&str>, after: Option<&str>| FieldChange {
            field,
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
        };
        let changes = [
            change(Field::Name, Some("ООО «Ромашка»"), Some("ООО «Лютик»")),
            change(Field::Kpp, Some("770101001"), Some("773601002")),
            change(Field::Headcount, Some("120"), Some("140")),
            change(Field::LegalAddress, None, Some("г. Москва")),
        ];
        let appeal = organization_change_appeal("ООО «Лютик»", &changes).unwrap();
        assert_eq!(
            appeal.title,
            "Заявление на изменение сведений об организации: ООО «Лютик»"
        );
        assert_eq!(
            appeal.body,
            "Наименование: ООО «Ромашка» → ООО «Лютик»\n\
             КПП: 770101001 → 773601002\n\
             Юридический адрес: — → г. Москва"
        );
        let not_main = [change(Field::Site, None, Some("https://example.ru"))];
        assert_eq!(organization_change_appeal("ООО «Лютик»", &not_main), None);
        assert_eq!(organization_change_appeal("ООО «Лютик»", &[]), None);
    }
}
