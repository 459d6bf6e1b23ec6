//! The centre's calendar and the personal visit (SPEC §6–7, seed 004 «Личная явка в
//! ЦЗН»): the visit deadline, slots cut from opening hours, which slot a visit gets,
//! what may be booked and cancelled when, and what the citizen is told.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

/// Seed 004: the visit is «не позднее 11 дня с дня принятия заявления» for a citizen
/// who claims unemployed status, «не позднее 5 дня» for one who does not. Days are
/// calendar days counted from the day after acceptance, so the deadline is the
/// acceptance date plus 11 (or 5) days, inclusive.
pub fn visit_deadline(accepted_on: NaiveDate, claims_unemployed: bool) -> NaiveDate {
    let days = if claims_unemployed { 11 } else { 5 };
    accepted_on + TimeDelta::days(days)
}

/// A half-open span of time `[starts_at, ends_at)` in the centre's calendar (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// The earliest of `slots` a visit may take: it starts after `now` and on or before
/// the `deadline` day. `None` sends the application to staff.
pub fn first_slot_by(slots: &[Span], now: NaiveDateTime, deadline: NaiveDate) -> Option<Span> {
    slots
        .iter()
        .filter(|s| s.starts_at > now && s.starts_at.date() <= deadline)
        .min()
        .copied()
}

/// A week of opening hours to publish slots from: the days the centre receives, the
/// hours, an optional break, and the length of one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    pub weekdays: Vec<Weekday>,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub break_from: Option<NaiveTime>,
    pub break_to: Option<NaiveTime>,
    pub slot_minutes: u32,
}

/// Why opening hours cannot be cut into slots. Each names the field at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("the centre must open before it closes")]
    ClosesBeforeOpening,
    #[error("a slot lasts from 5 to 240 minutes")]
    SlotLength,
    #[error("the break must lie inside the opening hours and end after it starts")]
    Break,
    #[error("name at least one weekday")]
    NoWeekdays,
    #[error("the period must end on or after its first day and span at most 92 days")]
    Period,
    #[error("slots can only be published for days from today on")]
    Past,
}

impl HoursError {
    /// The request field the error is about.
    pub fn field(self) -> &'static str {
        match self {
            HoursError::ClosesBeforeOpening => "closes",
            HoursError::SlotLength => "slot_minutes",
            HoursError::Break => "break_from",
            HoursError::NoWeekdays => "weekdays",
            HoursError::Period => "date_to",
            HoursError::Past => "date_from",
        }
    }

    /// What a person should fix.
    pub fn message(self) -> &'static str {
        match self {
            HoursError::ClosesBeforeOpening => "Время окончания приёма должно быть позже начала",
            HoursError::SlotLength => "Продолжительность приёма — от 5 до 240 минут",
            HoursError::Break => "Перерыв должен быть внутри часов приёма",
            HoursError::NoWeekdays => "Укажите хотя бы один день недели",
            HoursError::Period => "Период — не более 92 дней, окончание не раньше начала",
            HoursError::Past => "Нельзя публиковать время приёма в прошедших днях",
        }
    }
}

/// The longest period published at once: a quarter.
pub const MAX_PERIOD_DAYS: i64 = 92;

impl OpeningHours {
    /// Cuts the days `from..=to` into slots: each receiving day from opening to
    /// closing, `slot_minutes` each, none overlapping the break, none running past
    /// closing. `today` keeps slots out of days already gone.
    pub fn slots(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<Span>, HoursError> {
        if self.closes <= self.opens {
            return Err(HoursError::ClosesBeforeOpening);
        }
        if !(5..=240).contains(&self.slot_minutes) {
            return Err(HoursError::SlotLength);
        }
        let pause = match (self.break_from, self.break_to) {
            (None, None) => None,
            (Some(a), Some(b)) if a < b && a >= self.opens && b <= self.closes => Some((a, b)),
            _ => return Err(HoursError::Break),
        };
        if self.weekdays.is_empty() {
            return Err(HoursError::NoWeekdays);
        }
        if to < from || (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(HoursError::Period);
        }
        if from < today {
            return Err(HoursError::Past);
        }
        let step = TimeDelta::minutes(i64::from(self.slot_minutes));
        let mut out = Vec::new();
        for day in from.iter_days().take_while(|d| *d <= to) {
            if !self.weekdays.contains(&day.weekday()) {
                continue;
            }
            let close = day.and_time(self.closes);
            let mut start = day.and_time(self.opens);
            while start + step <= close {
                let end = start + step;
                match pause.map(|(a, b)| (day.and_time(a), day.and_time(b))) {
                    Some((a, b)) if start < b && end > a => start = b,
                    _ => {
                        out.push(Span {
                            starts_at: start,
                            ends_at: end,
                        });
                        start = end;
                    }
                }
            }
        }
        Ok(out)
    }
}

/// What an appointment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The personal visit of a job-search application (seed 004).
    JobSearchVisit,
    /// «Запись на прием в службу занятости» (SPEC §1).
    Consultation,
    /// «Запись на приём к руководителю», for employers.
    ManagerMeeting,
}

crate::coded_enum!(Purpose {
    JobSearchVisit => ("job_search_visit", "Личная явка по заявлению на поиск работы"),
    Consultation => ("consultation", "Приём в центре занятости"),
    ManagerMeeting => ("manager_meeting", "Приём у руководителя центра занятости"),
});

/// Why a booking or its cancellation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    #[error("the slot has already started")]
    Started,
    #[error("the slot is taken")]
    Taken,
}

/// A slot may be booked while it has not started.
pub fn may_book(slot: Span, now: NaiveDateTime) -> Result<(), BookingError> {
    if slot.starts_at <= now {
        Err(BookingError::Started)
    } else {
        Ok(())
    }
}

/// A booking may be cancelled until its slot starts; afterwards the visit happened
/// (or was missed) and stays on record.
pub fn may_cancel(slot: Span, now: NaiveDateTime) -> Result<(), BookingError> {
    may_book(slot, now)
}

/// Who books what: a citizen a consultation, an employer a meeting with the
/// centre's manager; the job-search visit is booked by the portal on acceptance.
pub fn purpose_for(role: crate::role::Role) -> Option<Purpose> {
    match role {
        crate::role::Role::Citizen => Some(Purpose::Consultation),
        crate::role::Role::Employer => Some(Purpose::ManagerMeeting),
        crate::role::Role::Staff => None,
    }
}

/// The documents to bring to the personal visit. Seed 004 says the portal sends «перечень
/// документов»; the list follows the rules of registration with the employment service
/// (a claim to unemployed status also needs the earnings certificate).
pub fn documents_to_bring(claims_unemployed: bool) -> Vec<&'static str> {
    let mut list = vec![
        "Паспорт или иной документ, удостоверяющий личность",
        "Документы об образовании и о квалификации",
        "Сведения о трудовой деятельности (трудовая книжка или выписка)",
        "СНИЛС",
    ];
    if claims_unemployed {
        list.push("Справка о среднем заработке за последние три месяца по последнему месту работы");
    }
    list.push("Индивидуальная программа реабилитации или абилитации — для граждан с инвалидностью");
    list
}

/// Seed 004 (back cover): «Ваш персональный консультант» — name, phone, e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultant {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The place and time of a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub starts_at: NaiveDateTime,
    pub centre_name: String,
    pub address: String,
}

/// Seed 004: «Сервис портала уведомит Вас о назначенной дате посещения и перечне
/// документов… путем направления сообщения на адрес электронной почты и личный
/// кабинет». The same text goes to both; it names the date, the address, the documents
/// and the personal consultant. Times are written in UTC, as the API keeps them.
pub fn visit_notice(
    visit: &Visit,
    claims_unemployed: bool,
    consultant: Option<&Consultant>,
) -> (String, String) {
    let when = visit.starts_at.format("%d.%m.%Y %H:%M");
    let title = format!("Личное посещение центра занятости {when} (UTC)");
    let mut body = format!(
        "Вам назначено личное посещение центра занятости «{}» {when} (UTC) по адресу: {}.\n\nВозьмите с собой:\n",
        visit.centre_name, visit.address
    );
    for doc in documents_to_bring(claims_unemployed) {
        body.push_str("— ");
        body.push_str(doc);
        body.push('\n');
    }
    if let Some(c) = consultant {
        body.push_str("\nВаш персональный консультант: ");
        body.push_str(&c.name);
        if let Some(phone) = &c.phone {
            body.push_str(&format!(", телефон {phone}"));
        }
        if let Some(email) = &c.email {
            body.push_str(&format!(", эл. почта {email}"));
        }
        body.push('.');
    }
    (title, body)
}

/// When no slot is free by the deadline the citizen is told the centre will call.
pub fn visit_pending_notice(deadline: NaiveDate) -> (String, String) {
    (
        "Личное посещение центра занятости".to_owned(),
        format!(
            "Свободного времени для личного посещения пока нет. Сотрудник центра занятости назначит дату не позднее {}.",
            deadline.format("%d.%m.%Y")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn deadline_is_eleven_or_five_days_after_acceptance() {
        assert_eq!(visit_deadline(d(2026, 3, 2), true), d(2026, 3, 13));
        assert_eq!(visit_deadline(d(2026, 3, 2), false), d(2026, 3, 7));
    }

    #[test]
    fn deadline_crosses_month_and_year_ends() {
        // Month ends of every length, leap and common Februaries, and New Year.
        let cases = [
            (d(2026, 1, 31), true, d(2026, 2, 11)),
            (d(2026, 1, 31), false, d(2026, 2, 5)),
            (d(2026, 2, 20), true, d(2026, 3, 3)),
            (d(2028, 2, 20), true, d(2028, 3, 2)),
            (d(2028, 2, 24), false, d(2028, 2, 29)),
            (d(2026, 2, 24), false, d(2026, 3, 1)),
            (d(2026, 4, 30), true, d(2026, 5, 11)),
            (d(2026, 12, 20), true, d(2026, 12, 31)),
            (d(2026, 12, 21), true, d(2027, 1, 1)),
            (d(2026, 12, 26), false, d(2026, 12, 31)),
            (d(2026, 12, 27), false, d(2027, 1, 1)),
            (d(2026, 12, 31), true, d(2027, 1, 11)),
            (d(2026, 12, 31), false, d(2027, 1, 5)),
        ];
        for (accepted, claims, expected) in cases {
            assert_eq!(
                visit_deadline(accepted, claims),
                expected,
                "{accepted} {claims}"
            );
        }
    }

    fn span(day: NaiveDate, h: u32) -> Span {
        Span {
            starts_at: day.and_time(t(h, 0)),
            ends_at: day.and_time(t(h, 30)),
        }
    }

    #[test]
    fn the_first_slot_is_the_earliest_future_one_by_the_deadline() {
        let now = d(2026, 12, 28).and_time(t(10, 0));
        let deadline = d(2027, 1, 2);
        let slots = [
            span(d(2027, 1, 2), 17),
            span(d(2026, 12, 28), 10),
            span(d(2026, 12, 28), 9),
            span(d(2026, 12, 29), 9),
            span(d(2027, 1, 3), 9),
        ];
        assert_eq!(
            first_slot_by(&slots, now, deadline),
            Some(span(d(2026, 12, 29), 9))
        );
        // The deadline day itself counts, to its last slot; the day after does not.
        assert_eq!(first_slot_by(&slots[..1], now, deadline), Some(slots[0]));
        assert_eq!(first_slot_by(&slots[4..], now, deadline), None);
        // A slot starting right now has begun.
        assert_eq!(first_slot_by(&slots[1..2], now, deadline), None);
        assert_eq!(first_slot_by(&[], now, deadline), None);
    }

    fn hours() -> OpeningHours {
        OpeningHours {
            weekdays: vec![Weekday::Mon, Weekday::Wed],
            opens: t(9, 0),
            closes: t(12, 0),
            break_from: Some(t(10, 0)),
            break_to: Some(t(10, 45)),
            slot_minutes: 30,
        }
    }

    #[test]
    fn slots_fill_receiving_days_around_the_break() {
        // 2026-12-28 is a Monday; the week runs to Sunday 2027-01-03.
        let slots = hours()
            .slots(d(2026, 12, 28), d(2027, 1, 3), d(2026, 12, 1))
            .unwrap();
        let starts: Vec<String> = slots
            .iter()
            .map(|s| s.starts_at.format("%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(
            starts,
            [
                "12-28 09:00",
                "12-28 09:30",
                "12-28 10:45",
                "12-28 11:15",
                "12-30 09:00",
                "12-30 09:30",
                "12-30 10:45",
                "12-30 11:15",
            ]
        );
        assert!(slots
            .iter()
            .all(|s| s.ends_at - s.starts_at == TimeDelta::minutes(30)));
    }

    #[test]
    fn bad_hours_name_their_field() {
        let day = d(2026, 12, 28);
        let mut h = hours();
        h.closes = t(9, 0);
        assert_eq!(h.slots(day, day, day), Err(HoursError::ClosesBeforeOpening));
        let mut h = hours();
        h.slot_minutes = 4;
        assert_eq!(h.slots(day, day, day).unwrap_err().field(), "slot_minutes");
        h.slot_minutes = 241;
        assert_eq!(h.slots(day, day, day), Err(HoursError::SlotLength));
        let mut h = hours();
        h.break_to = None;
        assert_eq!(h.slots(day, day, day), Err(HoursError::Break));
        h.break_to = Some(t(13, 0));
        assert_eq!(h.slots(day, day, day), Err(HoursError::Break));
        let mut h = hours();
        h.weekdays.clear();
        assert_eq!(h.slots(day, day, day), Err(HoursError::NoWeekdays));
        let h = hours();
        assert_eq!(
            h.slots(day, day - TimeDelta::days(1), day),
            Err(HoursError::Period)
        );
        assert_eq!(
            h.slots(day, day + TimeDelta::days(MAX_PERIOD_DAYS), day),
            Err(HoursError::Period)
        );
        assert!(h
            .slots(day, day + TimeDelta::days(MAX_PERIOD_DAYS - 1), day)
            .is_ok());
        assert_eq!(
            h.slots(day, day, day + TimeDelta::days(1)),
            Err(HoursError::Past)
        );
    }

    #[test]
    fn a_slot_that_started_cannot_be_booked_or_cancelled() {
        let s = span(d(2026, 12, 28), 10);
        let before = s.starts_at - TimeDelta::seconds(1);
        assert_eq!(may_book(s, before), Ok(()));
        assert_eq!(may_book(s, s.starts_at), Err(BookingError::Started));
        assert_eq!(may_cancel(s, before), Ok(()));
        assert_eq!(may_cancel(s, s.ends_at), Err(BookingError::Started));
    }

    #[test]
    fn the_visit_notice_has_date_address_documents_and_consultant() {
        let visit = Visit {
            starts_at: d(2027, 1, 5).and_time(t(9, 30)),
            centre_name: "ГКУ ЦЗН «Центральный»".into(),
            address: "г. Москва, ул. Ленина, д. 1".into(),
        };
        let consultant = Consultant {
            name: "Петрова Анна".into(),
            phone: Some("+7 495 000-00-00".into()),
            email: Some("petrova@czn.example".into()),
        };
        let (title, body) = visit_notice(&visit, true, Some(&consultant));
        assert_eq!(
            title,
            "Личное посещение центра занятости 05.01.2027 09:30 (UTC)"
        );
        assert!(body.contains("05.01.2027 09:30"));
        assert!(body.contains("по адресу: г. Москва, ул. Ленина, д. 1"));
        assert!(body.contains("— Паспорт"));
        assert!(body.contains("Справка о среднем заработке"));
        assert!(body.ends_with(
            "Ваш персональный консультант: Петрова Анна, телефон +7 495 000-00-00, эл. почта petrova@czn.example."
        ));
        let (_, body) = visit_notice(&visit, false, None);
        assert!(!body.contains("Справка о среднем заработке"));
        assert!(!body.contains("консультант"));
    }

    #[test]
    fn purposes_by_role() {
        use crate::role::Role;
        assert_eq!(purpose_for(Role::Citizen), Some(Purpose::Consultation));
        assert_eq!(purpose_for(Role::Employer), Some(Purpose::ManagerMeeting));
        assert_eq!(purpose_for(Role::Staff), None);
    }
}
