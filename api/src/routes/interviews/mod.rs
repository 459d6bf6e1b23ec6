//! Responses and interviews of seed 004 («Отклик на вакансию. Собеседование»): the
//! citizen responds to an agreed vacancy and moves the interview (`citizen`), the
//! employer reads responses, invites or refuses, answers a reschedule request and
//! records the result (`employer`). The JSON shapes both sides share live here.

pub mod citizen;
pub mod employer;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use domain::interview::InterviewStatus;
use domain::job_response::ResponseStatus;
use persistence::interviews::{Interview, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::routes::job_search::VacancyRefView;
use crate::views::{utc, Labelled, PageQuery};

/// An instant from a request, as stored: UTC, microseconds.
pub fn stored(at: DateTime<Utc>) -> NaiveDateTime {
    let t = at.naive_utc();
    t.with_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t)
}

/// The result an employer recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultView {
    /// `hired` or `not_hired`.
    pub outcome: Labelled<crate::codes::OutcomeCode>,
    #[schema(required)]
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// An interview as both sides see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-7777-7000-8000-000000000008",
    "response_id": "01935f3e-9999-7000-8000-000000000009",
    "application_id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "vacancy": {"id": "01935f3e-4444-7000-8000-000000000005", "title": "Повар", "employer_name": "ООО «Ромашка»"},
    "candidate_name": "Иванов Иван Иванович",
    "status": {"code": "confirmed", "title": "Подтверждено"},
    "scheduled_at": "2026-12-10T10:00:00Z",
    "place": "г. Москва, ул. Арбат, д. 10, каб. 5",
    "link": null,
    "contact_person": "Петров Пётр, +7 495 000-00-00",
    "proposed_at": null,
    "comment": null,
    "result": null,
    "created_at": "2026-12-04T09:00:00Z",
    "updated_at": "2026-12-04T10:00:00Z"
}))]
pub struct InterviewView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub response_id: String,
    #[schema(format = Uuid)]
    pub application_id: String,
    pub vacancy: VacancyRefView,
    pub candidate_name: String,
    /// `invited`, `confirmed` («Подтверждено»), `declined`, `reschedule_requested`,
    /// `rescheduled`, `cancelled` or `held`.
    pub status: Labelled<crate::codes::InterviewStatusCode>,
    pub scheduled_at: DateTime<Utc>,
    #[schema(required)]
    pub place: Option<String>,
    /// A video meeting's address.
    #[schema(required)]
    pub link: Option<String>,
    pub contact_person: String,
    /// The time the citizen proposed in a reschedule request.
    #[schema(required)]
    pub proposed_at: Option<DateTime<Utc>>,
    /// What the last mover wrote.
    #[schema(required)]
    pub comment: Option<String>,
    /// Once the interview is `held`.
    #[schema(required)]
    pub result: Option<ResultView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Interview> for InterviewView {
    fn from(i: Interview) -> Self {
        InterviewView {
            result: match (i.outcome, i.result_at) {
                (Some(outcome), Some(at)) => Some(ResultView {
                    outcome: Labelled::of(outcome),
                    comment: i.result_comment,
                    at: utc(at),
                }),
                _ => None,
            },
            id: i.id,
            response_id: i.response_id,
            application_id: i.application_id,
            vacancy: VacancyRefView {
                id: i.vacancy_id,
                title: i.vacancy_title,
                employer_name: i.employer_name,
            },
            candidate_name: i.citizen_name,
            status: Labelled::of(i.status),
            scheduled_at: utc(i.scheduled_at),
            place: i.place,
            link: i.link,
            contact_person: i.contact_person,
            proposed_at: i.proposed_at.map(utc),
            comment: i.comment,
            created_at: utc(i.created_at),
            updated_at: utc(i.updated_at),
        }
    }
}

/// A response to a vacancy.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-9999-7000-8000-000000000009",
    "application_id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "vacancy": {"id": "01935f3e-4444-7000-8000-000000000005", "title": "Повар", "employer_name": "ООО «Ромашка»"},
    "candidate_name": "Иванов Иван Иванович",
    "resume_id": "01935f3e-3333-7000-8000-000000000004",
    "cover_letter": "Работаю поваром шесть лет, готов выйти через неделю.",
    "status": {"code": "sent", "title": "Отклик отправлен работодателю"},
    "refusal_reason": null,
    "interview": null,
    "created_at": "2026-12-04T09:00:00Z",
    "updated_at": "2026-12-04T09:00:00Z"
}))]
pub struct ResponseView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub application_id: String,
    pub vacancy: VacancyRefView,
    pub candidate_name: String,
    /// The application's resume (`GET /resumes/{id}`).
    #[schema(format = Uuid)]
    pub resume_id: String,
    pub cover_letter: String,
    /// `sent`, `invited` or `refused`.
    pub status: Labelled<crate::codes::ResponseStatusCode>,
    #[schema(required)]
    pub refusal_reason: Option<String>,
    /// The interview an invitation opened.
    #[schema(required)]
    pub interview: Option<InterviewView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Response> for ResponseView {
    fn from(r: Response) -> Self {
        ResponseView {
            id: r.id,
            application_id: r.application_id,
            vacancy: VacancyRefView {
                id: r.vacancy_id,
                title: r.vacancy_title,
                employer_name: r.employer_name,
            },
            candidate_name: r.citizen_name,
            resume_id: r.resume_id,
            cover_letter: r.cover_letter,
            status: Labelled::of(r.status),
            refusal_reason: r.refusal_reason,
            interview: r.interview.map(Into::into),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// Filters and paging of interview lists.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InterviewQuery {
    /// An interview status code.
    #[param(value_type = Option<crate::docs::InterviewStatusCode>)]
    pub status: Option<InterviewStatus>,
    /// Only the interviews for this vacancy.
    #[validate(length(min = 1, max = 64))]
    pub vacancy_id: Option<String>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

impl InterviewQuery {
    pub fn split(
        self,
    ) -> (
        persistence::interviews::InterviewFilter,
        persistence::paging::PageRequest,
    ) {
        (
            persistence::interviews::InterviewFilter {
                status: self.status,
                vacancy_id: self.vacancy_id,
            },
            PageQuery {
                page: self.page,
                per_page: self.per_page,
            }
            .request(),
        )
    }
}

/// Filters and paging of the employer's responses.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResponseQuery {
    /// Only the responses to this vacancy.
    #[validate(length(min = 1, max = 64))]
    pub vacancy_id: Option<String>,
    /// A response status code.
    #[param(value_type = Option<crate::docs::ResponseStatusCode>)]
    pub status: Option<ResponseStatus>,
    /// Only responses sent or changed (invited, refused, withdrawn) strictly after this
    /// moment, RFC 3339: for polling, send the newest `updated_at` seen minus 15 seconds and
    /// drop repeats by `id`: a change still being saved as you polled carries a moment
    /// slightly before its neighbours'.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// A comment to a move (a reason to decline or cancel).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"comment": "Нашёл другую работу"}))]
pub struct CommentBody {
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}
