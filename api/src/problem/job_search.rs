//! The conversions of the job-search refusals (seed 004): applications, offers,
//! responses, interviews and finishing. Kept beside `conversions` under the same
//! rules: one exhaustive `match` per error type, a stable `code` for each refusal.

use domain::interview::{FinishError, InterviewError};
use domain::job_response::{InvitationError, ResponseError};
use domain::job_search::TransitionError as ApplicationTransitionError;
use domain::matching::PriorityError;
use domain::Coded;
use persistence::interviews::InterviewUseError;
use persistence::job_search::JobSearchError;

use super::{ApiError, ProblemCode, Reason};

impl From<JobSearchError> for ApiError {
    fn from(e: JobSearchError) -> Self {
        match e {
            JobSearchError::NotFound => ApiError::NotFound,
            JobSearchError::AlreadyOpen(id) => ApiError::ConflictWith {
                code: ProblemCode::OpenApplicationExists,
                detail: "The citizen already has an open job-search application; its id is in `existing_id`".into(),
                existing_id: id,
            },
            JobSearchError::UnknownResume => {
                ApiError::field("resume_id", "unknown", "Резюме не найдено среди ваших")
            }
            JobSearchError::UnknownCentre => {
                ApiError::field("centre_id", "unknown", "Центр занятости не найден")
            }
            JobSearchError::NoCentre => ApiError::field(
                "centre_id",
                "required",
                "Укажите центр занятости: в профиле он не задан",
            ),
            JobSearchError::UnknownDraft => {
                ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
            }
            JobSearchError::NotFavourite(i) => ApiError::field(
                &format!("found_vacancy_ids[{i}]"),
                "not_favourite",
                "Вакансии нет в избранном",
            ),
            JobSearchError::Transition(t) => application_transition_error(t),
            JobSearchError::Agreed(e) => vacancy_list_error("agreed_vacancy_ids", e),
            JobSearchError::Priorities(e) => vacancy_list_error("vacancy_ids", e),
            JobSearchError::UnknownVacancy(i) => ApiError::field(
                &format!("add[{i}]"),
                "unknown",
                "Опубликованная вакансия не найдена",
            ),
            JobSearchError::OffersClosed(status) => ApiError::Conflict {
                code: ProblemCode::OffersClosed,
                detail: format!("The application is {status}: its vacancies cannot change now"),
                reason: None,
            },
            JobSearchError::Concurrent => ApiError::Conflict {
                code: ProblemCode::ConcurrentUpdate,
                detail: "The application changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            JobSearchError::NotStaff => ApiError::forbidden("Only centre staff may do this"),
            JobSearchError::NotCitizen => ApiError::forbidden("This endpoint is for citizen accounts"),
            JobSearchError::Unsettled(e) => finish_error(e),
            JobSearchError::Store(e) => e.into(),
        }
    }
}

/// A wrong list of vacancy ids, by the field and position at fault.
fn vacancy_list_error(field: &str, e: PriorityError) -> ApiError {
    match e {
        PriorityError::NotOffered(i) => ApiError::field(
            &format!("{field}[{i}]"),
            "not_offered",
            "Этой вакансии нет среди подобранных",
        ),
        PriorityError::Repeated(i) => ApiError::field(
            &format!("{field}[{i}]"),
            "repeated",
            "Вакансия указана дважды",
        ),
        PriorityError::Incomplete => ApiError::field(
            field,
            "incomplete",
            "Укажите все подобранные вакансии (для переговоров — хотя бы одну)",
        ),
    }
}

fn application_transition_error(e: ApplicationTransitionError) -> ApiError {
    match e {
        ApplicationTransitionError::ReasonRequired { .. } => ApiError::field(
            "comment",
            "required",
            "Для отказа и отзыва заявления нужна причина",
        ),
        ApplicationTransitionError::NotYours { .. } => ApiError::Forbidden {
            code: ProblemCode::TransitionNotPermitted,
            detail: e.to_string(),
            reason: None,
        },
        ApplicationTransitionError::Final { .. }
        | ApplicationTransitionError::NotAllowed { .. } => ApiError::Conflict {
            code: ProblemCode::InvalidTransition,
            detail: e.to_string(),
            reason: None,
        },
    }
}

fn finish_error(e: FinishError) -> ApiError {
    match e {
        FinishError::Unsettled(n) => ApiError::Conflict {
            code: ProblemCode::InterviewsUnsettled,
            detail: format!("{n} interview(s) are still open: settle them first"),
            reason: Some(Reason {
                code: "interviews_unsettled".into(),
                title:
                    "Сначала завершите все собеседования: примите решение по каждому приглашению"
                        .into(),
            }),
        },
    }
}

fn interview_error(e: InterviewError) -> ApiError {
    match e {
        InterviewError::ProposedInPast => ApiError::field(
            "proposed_at",
            "in_past",
            "Предложенное время должно быть в будущем",
        ),
        InterviewError::Final { .. }
        | InterviewError::NotAllowed { .. }
        | InterviewError::NotYours { .. }
        | InterviewError::TooEarly => {
            let (code, title) = e.reason();
            ApiError::Conflict {
                code: ProblemCode::InvalidInterviewMove,
                detail: e.to_string(),
                reason: Some(Reason {
                    code: code.into(),
                    title: title.into(),
                }),
            }
        }
    }
}

impl From<InterviewUseError> for ApiError {
    fn from(e: InterviewUseError) -> Self {
        match e {
            InterviewUseError::NotFound => ApiError::NotFound,
            InterviewUseError::ApplicationClosed(status) => ApiError::Conflict {
                code: ProblemCode::NegotiationsClosed,
                detail: format!("The application is {status}: responses and interviews move only during negotiations; an open interview can still be cancelled"),
                reason: Some(Reason {
                    code: status.code().into(),
                    title: status.title().into(),
                }),
            },
            InterviewUseError::NotAgreed => ApiError::field(
                "vacancy_id",
                "not_agreed",
                "Вакансии нет в списке согласованных с работодателями",
            ),
            InterviewUseError::VacancyClosed => ApiError::Conflict {
                code: ProblemCode::VacancyClosed,
                detail: "The vacancy is closed".into(),
                reason: None,
            },
            InterviewUseError::WrongResume => ApiError::field(
                "resume_id",
                "not_the_applications",
                "Откликнуться можно только резюме, указанным в заявлении",
            ),
            InterviewUseError::AlreadyResponded(id) => ApiError::ConflictWith {
                code: ProblemCode::AlreadyResponded,
                detail: "The application already has a response to this vacancy; its id is in `existing_id`".into(),
                existing_id: id,
            },
            InterviewUseError::Response(r) => match r {
                ResponseError::Answered { from } | ResponseError::NotAllowed { from, .. } => {
                    ApiError::Conflict {
                        code: ProblemCode::ResponseAnswered,
                        detail: r.to_string(),
                        reason: Some(Reason {
                            code: from.code().into(),
                            title: from.title().into(),
                        }),
                    }
                }
            },
            InterviewUseError::Invitation(i) => match i {
                InvitationError::InPast => ApiError::field(
                    "scheduled_at",
                    "in_past",
                    "Время собеседования должно быть в будущем",
                ),
                InvitationError::NoPlace => ApiError::field(
                    "place",
                    "required",
                    "Укажите место собеседования или ссылку на видеовстречу",
                ),
                InvitationError::NoContact => ApiError::field(
                    "contact_person",
                    "required",
                    "Укажите контактное лицо",
                ),
            },
            InterviewUseError::Interview(i) => interview_error(i),
            InterviewUseError::TimeInPast(field) => {
                ApiError::field(field, "in_past", "Время должно быть в будущем")
            }
            InterviewUseError::TimeRequired => ApiError::field(
                "scheduled_at",
                "required",
                "Укажите новое время: соискатель не предложил своё",
            ),
            InterviewUseError::Finish(f) => finish_error(f),
            InterviewUseError::Concurrent => ApiError::Conflict {
                code: ProblemCode::ConcurrentUpdate,
                detail: "The record changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            InterviewUseError::Store(e) => e.into(),
        }
    }
}
