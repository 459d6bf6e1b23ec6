//! Responses to the vacancies agreed for a job-search application (seed 004 «Отклик на
//! вакансию. Собеседование», шаги 1–4): the response's status machine, what an
//! invitation to an interview must say, and the Russian notices of each step.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Where a response stands: sent to the employer, who invites to an interview or
/// refuses (seed 004 «Отклик…», шаг 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    Sent,
    Invited,
    Refused,
}

crate::coded_enum!(ResponseStatus {
    Sent => ("sent", "Отклик отправлен работодателю"),
    Invited => ("invited", "Приглашение на собеседование"),
    Refused => ("refused", "Отказ в проведении собеседования"),
});

/// Why an answer to a response was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The employer already answered it.
    #[error("the response is already {from}")]
    Answered { from: ResponseStatus },
    #[error("a response cannot move from {from} to {to}")]
    NotAllowed {
        from: ResponseStatus,
        to: ResponseStatus,
    },
}

impl ResponseStatus {
    /// An answered response never changes again.
    pub fn is_final(self) -> bool {
        !matches!(self, ResponseStatus::Sent)
    }

    /// The employer's answers: an invitation or a refusal, once.
    pub fn next(self) -> &'static [ResponseStatus] {
        use ResponseStatus::*;
        match self {
            Sent => &[Invited, Refused],
            Invited | Refused => &[],
        }
    }

    pub fn transition(self, to: ResponseStatus) -> Result<(), ResponseError> {
        if self.is_final() {
            return Err(ResponseError::Answered { from: self });
        }
        if !self.next().contains(&to) {
            return Err(ResponseError::NotAllowed { from: self, to });
        }
        Ok(())
    }
}

/// What is wrong with an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error("the interview time must be in the future")]
    InPast,
    /// Seed: «место или ссылка» — one of them must be given.
    #[error("a place or a link is required")]
    NoPlace,
    #[error("a contact person is required")]
    NoContact,
}

/// Checks an invitation: a time still ahead, a place or a link, a contact person
/// (blank text counts as none).
pub fn check_invitation(
    scheduled_at: NaiveDateTime,
    place: Option<&str>,
    link: Option<&str>,
    contact_person: &str,
    now: NaiveDateTime,
) -> Result<(), InvitationError> {
    let given = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
    if scheduled_at <= now {
        return Err(InvitationError::InPast);
    }
    if !given(place) && !given(link) {
        return Err(InvitationError::NoPlace);
    }
    if contact_person.trim().is_empty() {
        return Err(InvitationError::NoContact);
    }
    Ok(())
}

/// A time as people read it in a notice.
pub fn when(at: NaiveDateTime) -> String {
    at.format("%d.%m.%Y %H:%M (UTC)").to_string()
}

/// What the employer is told of a new response (category «Собеседования»).
pub fn response_notice(vacancy_title: &str, citizen_name: &str) -> (String, String) {
    (
        format!("Новый отклик на вакансию «{vacancy_title}»"),
        format!(
            "{citizen_name} откликнулся на вакансию «{vacancy_title}» по направлению центра занятости. \
             Пригласите соискателя на собеседование или сообщите об отказе."
        ),
    )
}

/// What the citizen is told of an invitation (category «Собеседования»).
pub fn invitation_notice(
    vacancy_title: &str,
    employer_name: &str,
    at: NaiveDateTime,
    place: Option<&str>,
    link: Option<&str>,
    contact_person: &str,
) -> (String, String) {
    let mut body = format!(
        "{employer_name} приглашает вас на собеседование по вакансии «{vacancy_title}» {}.",
        when(at)
    );
    if let Some(place) = place.filter(|p| !p.trim().is_empty()) {
        body.push_str(&format!(" Место: {place}."));
    }
    if let Some(link) = link.filter(|l| !l.trim().is_empty()) {
        body.push_str(&format!(" Ссылка: {link}."));
    }
    body.push_str(&format!(
        " Контактное лицо: {contact_person}. Примите приглашение, откажитесь или попросите \
         перенести собеседование в разделе «Отклики и приглашения»."
    ));
    (
        format!("Приглашение на собеседование: {vacancy_title}"),
        body,
    )
}

/// What the citizen is told of a refusal (category «Собеседования»).
pub fn refusal_notice(vacancy_title: &str, employer_name: &str, reason: &str) -> (String, String) {
    (
        format!("Отказ по отклику: {vacancy_title}"),
        format!(
            "{employer_name} отказал в проведении собеседования по вакансии «{vacancy_title}». Причина: {reason}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::ResponseStatus::*;
    use super::*;
    use crate::Coded;
    use chrono::NaiveDate;

    const MOVES: &[(ResponseStatus, ResponseStatus)] = &[(Sent, Invited), (Sent, Refused)];

    #[test]
    fn every_pair_matches_the_table() {
        for &from in ResponseStatus::ALL {
            for &to in ResponseStatus::ALL {
                let r = from.transition(to);
                assert_eq!(r.is_ok(), MOVES.contains(&(from, to)), "{from} -> {to}");
                match r {
                    Ok(()) => {}
                    Err(ResponseError::Answered { from: f }) => assert!(f.is_final()),
                    Err(ResponseError::NotAllowed { .. }) => assert!(!from.is_final()),
                }
            }
        }
        let listed: usize = ResponseStatus::ALL.iter().map(|s| s.next().len()).sum();
        assert_eq!(listed, MOVES.len());
        for s in ResponseStatus::ALL {
            assert_eq!(s.is_final(), s.next().is_empty());
        }
    }

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 31)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn an_invitation_needs_a_future_time_a_place_and_a_contact() {
        let ok = check_invitation(at(11), Some("офис"), None, "Петров", at(10));
        assert_eq!(ok, Ok(()));
        assert_eq!(
            check_invitation(at(11), None, Some("https://meet"), "Петров", at(10)),
            Ok(())
        );
        assert_eq!(
            check_invitation(at(10), Some("офис"), None, "Петров", at(10)),
            Err(InvitationError::InPast)
        );
        assert_eq!(
            check_invitation(at(11), Some(" "), None, "Петров", at(10)),
            Err(InvitationError::NoPlace)
        );
        assert_eq!(
            check_invitation(at(11), None, None, "Петров", at(10)),
            Err(InvitationError::NoPlace)
        );
        assert_eq!(
            check_invitation(at(11), Some("офис"), None, "  ", at(10)),
            Err(InvitationError::NoContact)
        );
    }

    #[test]
    fn notices_name_the_vacancy_time_and_place() {
        let (title, body) = invitation_notice(
            "Повар",
            "ООО «Ромашка»",
            at(15),
            Some("ул. Арбат, 10"),
            None,
            "Петров Пётр, +7 495 000-00-00",
        );
        assert_eq!(title, "Приглашение на собеседование: Повар");
        assert!(body.contains("31.12.2026 15:00"), "{body}");
        assert!(body.contains("Место: ул. Арбат, 10."), "{body}");
        assert!(!body.contains("Ссылка"), "{body}");
        assert!(body.contains("Контактное лицо: Петров Пётр"), "{body}");
        let (_, body) = refusal_notice("Повар", "ООО «Ромашка»", "Вакансия закрыта");
        assert!(body.ends_with("Причина: Вакансия закрыта"));
        let (title, _) = response_notice("Повар", "Иванов Иван");
        assert_eq!(title, "Новый отклик на вакансию «Повар»");
        assert_eq!(Sent.title(), "Отклик отправлен работодателю");
    }
}
