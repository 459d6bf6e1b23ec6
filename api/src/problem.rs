//! The one mapping from failures to RFC 9457 `application/problem+json` responses.
//! Every error a client can see is built here, so all of them share one shape and one
//! documented schema: [`ApiError`], its rendering, and every conversion of a domain or
//! persistence error into it. The conversions match every variant by name, so a new
//! refusal does not compile until someone decides how it answers. Its length is that
//! one mapping's: splitting it would scatter what this file exists to gather.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use domain::appeal::TransitionError;
use domain::calendar::BookingError;
use domain::employer_admin::AdminError;
use domain::job_search::TransitionError as ApplicationTransitionError;
use domain::matching::PriorityError;
use domain::Coded;
use persistence::accounts::AuthError;
use persistence::appeals::AppealError;
use persistence::citizens::RegisterError;
use persistence::employer::EmployerError;
use persistence::job_search::JobSearchError;
use persistence::saved_searches::SaveError;
use persistence::slots::SlotError;
use persistence::vacancy_lifecycle::LifecycleError;
use persistence::StoreError;
use serde::Serialize;
// Documents and money (issue 15).
use domain::benefit::BenefitError;
use domain::file::UploadError;
use persistence::attachments::AttachmentError;
use persistence::benefits::BenefitUseError;
use persistence::certificates::CertificateError;
use persistence::documents::DocumentUseError;
use persistence::payments::PaymentError;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `birth_date` or `goals[1]`.
    #[schema(example = "password")]
    pub field: String,
    /// Machine code of the broken rule.
    #[schema(example = "too_short")]
    pub code: String,
    /// What a person should fix, in Russian.
    #[schema(example = "Пароль должен содержать не менее 8 символов")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A machine-readable reason next to a refusal (why a service is unavailable, who
/// blocked an account).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Reason {
    #[schema(example = "no_unemployed_case")]
    pub code: String,
    #[schema(example = "Нужно личное дело в статусе «Безработный»")]
    pub title: String,
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation-failed",
    "title": "Запрос содержит ошибки",
    "status": 422,
    "detail": "Исправьте отмеченные поля",
    "code": "validation_failed",
    "errors": [{"field": "password", "code": "too_short", "message": "Пароль должен содержать не менее 8 символов"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem: `/problems/{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind, in Russian.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened in this occurrence.
    pub detail: String,
    /// Stable machine code of the kind (the last segment of `type`, with underscores).
    pub code: String,
    /// Invalid fields, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Why a rule refused the request, where one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The id of the existing resource the request conflicts with (the citizen's open
    /// job-search application, say), where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

/// Everything a handler can fail with. `Clone` so that requests that waited on one
/// shared computation each answer with its error.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unauthenticated: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {detail}")]
    Forbidden {
        code: &'static str,
        detail: String,
        reason: Option<Reason>,
    },
    #[error("not found")]
    NotFound,
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        reason: Option<Reason>,
    },
    #[error("precondition failed")]
    PreconditionFailed,
    /// A conflict with one existing resource, named by its id in the problem.
    #[error("conflict with {existing_id}: {detail}")]
    ConflictWith {
        code: &'static str,
        detail: String,
        existing_id: String,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests; retry in {retry_after}s")]
    TooManyRequests { retry_after: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// An uploaded file refused for what it is (too large, not PDF/JPEG/PNG), or an
    /// upload form that is not multipart: the status and a detail the citizen reads.
    #[error("file refused: {detail}")]
    File {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::Forbidden {
            code: "forbidden",
            detail: detail.into(),
            reason: None,
        }
    }

    fn parts(&self) -> (&'static str, &'static str, String) {
        match self {
            ApiError::BadRequest(d) => ("bad_request", "Некорректный запрос", d.clone()),
            ApiError::Validation(_) => (
                "validation_failed",
                "Запрос содержит ошибки",
                "Исправьте отмеченные поля".into(),
            ),
            ApiError::Unauthorized(d) => ("unauthorized", "Требуется вход", (*d).into()),
            ApiError::Forbidden { code, detail, .. } => (code, "Доступ запрещён", detail.clone()),
            ApiError::NotFound => (
                "not_found",
                "Не найдено",
                "The resource does not exist or is not yours".into(),
            ),
            ApiError::MethodNotAllowed { allow } => (
                "method_not_allowed",
                "Метод не поддерживается",
                format!("This path answers {allow}"),
            ),
            ApiError::Conflict { code, detail, .. } => (code, "Конфликт", detail.clone()),
            ApiError::ConflictWith { code, detail, .. } => (code, "Конфликт", detail.clone()),
            ApiError::PreconditionFailed => (
                "precondition_failed",
                "Данные изменились",
                "The record changed since it was read (If-Match); reload it and try again".into(),
            ),
            ApiError::PayloadTooLarge => (
                "payload_too_large",
                "Слишком большой запрос",
                "The request body is over the limit".into(),
            ),
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                "Неподдерживаемый формат",
                "Send the body as application/json".into(),
            ),
            ApiError::TooManyRequests { retry_after } => (
                "too_many_requests",
                "Слишком много попыток",
                format!("Too many sign-in attempts; retry in {retry_after} s"),
            ),
            ApiError::Unavailable(_) => (
                "service_unavailable",
                "Сервис временно недоступен",
                "The database is not answering; try again shortly".into(),
            ),
            ApiError::Internal(_) => (
                "internal_error",
                "Внутренняя ошибка",
                "Something went wrong on our side; it has been logged".into(),
            ),
            ApiError::File { code, detail, .. } => (code, "Файл не принят", detail.clone()),
        }
    }

    pub fn problem(&self) -> Problem {
        let (code, title, detail) = self.parts();
        let (errors, reason) = match self {
            ApiError::Validation(errors) => (errors.clone(), None),
            ApiError::Forbidden { reason, .. } | ApiError::Conflict { reason, .. } => {
                (Vec::new(), reason.clone())
            }
            _ => (Vec::new(), None),
        };
        Problem {
            kind: format!("/problems/{}", code.replace('_', "-")),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail,
            code: code.into(),
            errors,
            reason,
            existing_id: match self {
                ApiError::ConflictWith { existing_id, .. } => Some(existing_id.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::ConflictWith { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::File { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl ApiError {
    /// A refusal naming who blocked the account (SPEC §5): `organization_admin` or
    /// `centre_staff`.
    pub fn blocked(by: &str) -> ApiError {
        // `by` is a stored code: anything but the organisation's administrator is the
        // centre, which may block every account.
        let title = match by {
            "organization_admin" => "Доступ заблокирован администратором организации",
            _ => "Доступ заблокирован сотрудником центра занятости",
        };
        ApiError::Forbidden {
            code: "account_blocked",
            detail: "The account is blocked".into(),
            reason: Some(Reason {
                code: by.to_owned(),
                title: title.to_owned(),
            }),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(cause) => {
                tracing::info!(%cause, "write refused by a uniqueness rule");
                ApiError::Conflict {
                    code: "conflict",
                    detail: "A record with these values already exists".into(),
                    reason: None,
                }
            }
            StoreError::Unavailable(cause) => ApiError::Unavailable(cause),
            StoreError::Stale => ApiError::PreconditionFailed,
            StoreError::Migration(_) | StoreError::Corrupt(_) | StoreError::Query(_) => {
                ApiError::Internal(e.to_string())
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::SessionEnded => {
                ApiError::Unauthorized("The session has ended; sign in again")
            }
            AuthError::InvalidRefresh => {
                ApiError::Unauthorized("The refresh token is invalid or expired")
            }
            AuthError::RefreshReused => ApiError::Unauthorized(
                "The refresh token was already used; the session is revoked, sign in again",
            ),
            AuthError::Blocked { by } => ApiError::blocked(&by),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::LoginTaken => ApiError::Conflict {
                code: "login_taken",
                detail: "This login is taken".into(),
                reason: None,
            },
            RegisterError::SnilsTaken => ApiError::Conflict {
                code: "snils_taken",
                detail: "A citizen with this SNILS is already registered".into(),
                reason: None,
            },
            RegisterError::UnknownCentre => {
                ApiError::field("centre_id", "unknown", "Центр занятости не найден")
            }
            RegisterError::Store(e) => e.into(),
        }
    }
}

impl From<AppealError> for ApiError {
    fn from(e: AppealError) -> Self {
        match e {
            AppealError::NotFound => ApiError::NotFound,
            AppealError::NotFilable(t) => ApiError::field(
                "type",
                "not_filable",
                &format!(
                    "Обращение типа «{}» нельзя подать из этого кабинета",
                    t.title()
                ),
            ),
            AppealError::Ineligible(reason) => ApiError::Conflict {
                code: "service_not_available",
                detail: "The service is not available to this citizen now".into(),
                reason: Some(Reason {
                    code: reason.code().into(),
                    title: reason.title().into(),
                }),
            },
            AppealError::NoCentre => ApiError::field(
                "centre_id",
                "required",
                "Укажите центр занятости: в профиле он не задан",
            ),
            AppealError::UnknownCentre => {
                ApiError::field("centre_id", "unknown", "Центр занятости не найден")
            }
            AppealError::UnknownDraft => {
                ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
            }
            AppealError::Transition(t) => t.into(),
            AppealError::Concurrent => ApiError::Conflict {
                code: "concurrent_update",
                detail: "The appeal changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            AppealError::NotStaff => ApiError::forbidden("Only centre staff may do this"),
            AppealError::Store(e) => e.into(),
        }
    }
}

impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::CommentRequired { .. } => ApiError::field(
                "comment",
                "required",
                "Для отклонения и запроса уточнения нужен комментарий",
            ),
            TransitionError::NotYours { .. } => ApiError::Forbidden {
                code: "transition_not_permitted",
                detail: e.to_string(),
                reason: None,
            },
            TransitionError::Final { .. } | TransitionError::NotAllowed { .. } => {
                ApiError::Conflict {
                    code: "invalid_transition",
                    detail: e.to_string(),
                    reason: None,
                }
            }
        }
    }
}

impl From<EmployerError> for ApiError {
    fn from(e: EmployerError) -> Self {
        let conflict = |code: &'static str, detail: String| ApiError::Conflict {
            code,
            detail,
            reason: None,
        };
        match e {
            EmployerError::Admin(AdminError::NotAdmin) => ApiError::Forbidden {
                code: "not_admin",
                detail: "Only the organisation's administrator may do this".into(),
                reason: None,
            },
            EmployerError::Admin(AdminError::UnknownAccount) | EmployerError::NotFound => {
                ApiError::NotFound
            }
            EmployerError::Admin(AdminError::SelfAction) => {
                conflict("admin_self_action", e.to_string())
            }
            EmployerError::Admin(AdminError::TargetBlocked) => {
                conflict("target_blocked", e.to_string())
            }
            EmployerError::Admin(AdminError::AlreadyAdmin) => {
                conflict("already_admin", e.to_string())
            }
            EmployerError::Admin(AdminError::Corrupt) => ApiError::Internal(e.to_string()),
            EmployerError::OgrnTaken => conflict("ogrn_taken", e.to_string()),
            EmployerError::LoginTaken => conflict("login_taken", e.to_string()),
            EmployerError::HasCabinet => conflict("has_cabinet", e.to_string()),
            EmployerError::NoCabinet => conflict("no_cabinet", e.to_string()),
            EmployerError::Stale => ApiError::PreconditionFailed,
            EmployerError::NoCentre => {
                ApiError::field("centre_id", "required", "Укажите центр занятости")
            }
            EmployerError::UnknownDraft => {
                ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
            }
            EmployerError::InconsistentRequisites => ApiError::field(
                "inn",
                "entity_kind",
                "Для организации нужны ИНН из 10 цифр и КПП; для ИП — ИНН из 12 цифр без КПП",
            ),
            EmployerError::Appeal(a) => a.into(),
            EmployerError::Store(s) => s.into(),
        }
    }
}

impl From<SaveError> for ApiError {
    fn from(e: SaveError) -> Self {
        match e {
            SaveError::TooMany => ApiError::Conflict {
                code: "too_many_saved_searches",
                detail: e.to_string(),
                reason: None,
            },
            SaveError::Store(e) => e.into(),
        }
    }
}

/// The refusals of document use cases as problems.
impl From<DocumentUseError> for ApiError {
    fn from(e: DocumentUseError) -> Self {
        use domain::document::DocumentError as R;
        match e {
            DocumentUseError::NotFound => ApiError::NotFound,
            DocumentUseError::Rule(rule) => {
                let message = rule.message();
                match rule {
                    R::AlreadyReviewed { .. } => ApiError::Conflict {
                        code: "already_reviewed",
                        detail: message,
                        reason: None,
                    },
                    R::NotReplaceable { .. } => ApiError::Conflict {
                        code: "not_replaceable",
                        detail: message,
                        reason: None,
                    },
                    R::NotADecision { .. } => ApiError::field("to", "not_a_decision", &message),
                    R::ReasonRequired => ApiError::field("reason", "required", &message),
                    R::KindMismatch { .. } => ApiError::field("kind", "kind_mismatch", &message),
                }
            }
            DocumentUseError::NotStaff => ApiError::forbidden("Only centre staff review documents"),
            DocumentUseError::Concurrent => ApiError::Conflict {
                code: "concurrent_update",
                detail: "The document changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            DocumentUseError::Store(e) => e.into(),
        }
    }
}

impl From<JobSearchError> for ApiError {
    fn from(e: JobSearchError) -> Self {
        match e {
            JobSearchError::NotFound => ApiError::NotFound,
            JobSearchError::AlreadyOpen(id) => ApiError::ConflictWith {
                code: "open_application_exists",
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
                code: "offers_closed",
                detail: format!("The application is {status}: its vacancies cannot change now"),
                reason: None,
            },
            JobSearchError::Concurrent => ApiError::Conflict {
                code: "concurrent_update",
                detail: "The application changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            JobSearchError::NotStaff => ApiError::forbidden("Only centre staff may do this"),
            JobSearchError::NotCitizen => ApiError::forbidden("This endpoint is for citizen accounts"),
            JobSearchError::Store(e) => e.into(),
        }
    }
}

impl From<AttachmentError> for ApiError {
    fn from(e: AttachmentError) -> Self {
        match e {
            AttachmentError::NotApplicant => {
                ApiError::forbidden("Only the applicant attaches files to the appeal")
            }
            AttachmentError::Rule(rule) => ApiError::Conflict {
                code: "appeal_closed",
                detail: rule.message(),
                reason: None,
            },
            AttachmentError::Appeal(e) => e.into(),
        }
    }
}

impl From<CertificateError> for ApiError {
    fn from(e: CertificateError) -> Self {
        match e {
            CertificateError::Refused(refusal) => ApiError::Conflict {
                code: "certificate_refused",
                detail: refusal.title().into(),
                reason: Some(Reason {
                    code: refusal.code().into(),
                    title: refusal.title().into(),
                }),
            },
            CertificateError::Period(p) => {
                let (field, message) = p.field_and_message();
                ApiError::field(field, "invalid_period", &message)
            }
            CertificateError::Store(e) => e.into(),
        }
    }
}

impl From<BenefitUseError> for ApiError {
    fn from(e: BenefitUseError) -> Self {
        match e {
            BenefitUseError::NotFound => ApiError::NotFound,
            BenefitUseError::UnknownDocument(_) => ApiError::field(
                "document_ids",
                "unknown",
                "Документ не найден среди ваших документов",
            ),
            BenefitUseError::Rule(rule) => {
                let message = rule.message();
                match rule {
                    BenefitError::Ineligible(reason) => ApiError::Conflict {
                        code: "service_not_available",
                        detail: message,
                        reason: Some(Reason {
                            code: reason.code().into(),
                            title: reason.title().into(),
                        }),
                    },
                    BenefitError::AlreadyOpen => ApiError::Conflict {
                        code: "application_open",
                        detail: message,
                        reason: None,
                    },
                    BenefitError::Transition(
                        domain::appeal::TransitionError::CommentRequired { .. },
                    ) => ApiError::field("comment", "required", &message),
                    BenefitError::NotAwaitingChanges { .. } | BenefitError::Transition(_) => {
                        ApiError::Conflict {
                            code: "invalid_transition",
                            detail: message,
                            reason: None,
                        }
                    }
                    BenefitError::MissingDocument(_) | BenefitError::RejectedDocument => {
                        ApiError::field("document_ids", "documents", &message)
                    }
                    BenefitError::ScheduleRequired => {
                        ApiError::field("months", "required", &message)
                    }
                }
            }
            BenefitUseError::NotStaff => ApiError::forbidden("Only centre staff decide"),
            BenefitUseError::Concurrent => ApiError::Conflict {
                code: "concurrent_update",
                detail: "The application changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            BenefitUseError::Store(e) => e.into(),
        }
    }
}

impl From<PaymentError> for ApiError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::NotFound => ApiError::NotFound,
            PaymentError::UnknownCitizen => ApiError::field(
                "citizen_id",
                "unknown",
                "Гражданин не найден среди граждан вашего центра",
            ),
            PaymentError::Rule(rule) => ApiError::Conflict {
                code: "invalid_operation",
                detail: rule.to_string(),
                reason: None,
            },
            PaymentError::Concurrent => ApiError::Conflict {
                code: "concurrent_update",
                detail: "The payment changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            PaymentError::Store(e) => e.into(),
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
            code: "transition_not_permitted",
            detail: e.to_string(),
            reason: None,
        },
        ApplicationTransitionError::Final { .. }
        | ApplicationTransitionError::NotAllowed { .. } => ApiError::Conflict {
            code: "invalid_transition",
            detail: e.to_string(),
            reason: None,
        },
    }
}

impl From<SlotError> for ApiError {
    fn from(e: SlotError) -> Self {
        match e {
            SlotError::NotFound => ApiError::NotFound,
            SlotError::Booking(BookingError::Taken) => ApiError::Conflict {
                code: "slot_taken",
                detail: "The slot is already booked".into(),
                reason: None,
            },
            SlotError::Booking(BookingError::Started) => ApiError::Conflict {
                code: "slot_started",
                detail: "The slot has already started".into(),
                reason: None,
            },
            SlotError::AlreadyCancelled => ApiError::Conflict {
                code: "already_cancelled",
                detail: "The booking is already cancelled".into(),
                reason: None,
            },
            SlotError::NotStaff => ApiError::forbidden("Only staff of a centre publish its slots"),
            SlotError::CannotBook => ApiError::forbidden("This account does not book appointments"),
            SlotError::Store(e) => e.into(),
        }
    }
}

/// The problem each refusal of `domain::file` is answered with.
impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> Self {
        let detail = e.message();
        match e {
            UploadError::TooLarge => ApiError::File {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "file_too_large",
                detail,
            },
            UploadError::UnsupportedType { .. } => ApiError::File {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_file_type",
                detail,
            },
            UploadError::Empty => ApiError::field("file", "empty", &detail),
            UploadError::TruncatedPdf => ApiError::field("file", "truncated", &detail),
        }
    }
}

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::NotFound => ApiError::NotFound,
            LifecycleError::Closed => ApiError::Conflict {
                code: "vacancy_closed",
                detail: "The vacancy is closed".into(),
                reason: None,
            },
            LifecycleError::Store(e) => e.into(),
        }
    }
}
