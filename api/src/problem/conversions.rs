//! Every conversion of a domain or persistence error into an [`ApiError`], one
//! `From` per error type, each an exhaustive `match`: a new variant does not compile
//! until it is given a status and a stable `code` here.

use actix_web::http::StatusCode;
use domain::appeal::TransitionError;
use domain::benefit::BenefitError;
use domain::calendar::BookingError;
use domain::employer_admin::AdminError;
use domain::file::UploadError;
use domain::Coded;
use persistence::accounts::AuthError;
use persistence::appeals::AppealError;
use persistence::attachments::AttachmentError;
use persistence::benefits::BenefitUseError;
use persistence::certificates::CertificateError;
use persistence::citizens::RegisterError;
use persistence::documents::DocumentUseError;
use persistence::employer::EmployerError;
use persistence::password_resets::ResetError;
use persistence::payments::PaymentError;
use persistence::slots::SlotError;
use persistence::vacancy_lifecycle::LifecycleError;
use persistence::StoreError;

use super::{ApiError, ProblemCode, Reason};

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(cause) => {
                tracing::info!(%cause, "write refused by a uniqueness rule");
                ApiError::Conflict {
                    code: ProblemCode::Conflict,
                    detail: "A record with these values already exists".into(),
                    reason: None,
                }
            }
            StoreError::LimitReached(limit) => ApiError::Conflict {
                code: ProblemCode::LimitReached,
                detail: limit.message(),
                reason: Some(Reason {
                    code: limit.kind.code().into(),
                    title: limit.kind.title().into(),
                }),
            },
            StoreError::Unavailable(cause) => ApiError::Unavailable(cause),
            StoreError::Stale => ApiError::PreconditionFailed,
            StoreError::Migration(_) | StoreError::Corrupt(_) | StoreError::Query(_) => {
                ApiError::Internal(e.to_string())
            }
        }
    }
}

impl From<ResetError> for ApiError {
    fn from(e: ResetError) -> Self {
        match e {
            // One answer for all three: which links exist is nobody's business.
            ResetError::Unknown | ResetError::Used | ResetError::Expired => ApiError::field(
                "token",
                "reset_link_invalid",
                "Ссылка для смены пароля недействительна: она уже использована или устарела. \
                 Запросите новую.",
            ),
            ResetError::Store(e) => e.into(),
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::SessionEnded => {
                ApiError::token_invalid("The session has ended; sign in again")
            }
            AuthError::InvalidRefresh => {
                ApiError::token_invalid("The refresh token is invalid or expired")
            }
            AuthError::RefreshReused { .. } => ApiError::Unauthorized {
                code: ProblemCode::RefreshReused,
                detail: "The refresh token was already used; the session is revoked, sign in again",
            },
            AuthError::Blocked { by } => ApiError::blocked(&by),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::LoginTaken => ApiError::Conflict {
                code: ProblemCode::LoginTaken,
                detail: "This login is taken".into(),
                reason: None,
            },
            RegisterError::SnilsTaken => ApiError::Conflict {
                code: ProblemCode::SnilsTaken,
                detail: "Another account holds this SNILS as verified".into(),
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
                code: ProblemCode::ServiceNotAvailable,
                detail: "The service is not available to this citizen now".into(),
                reason: Some(Reason {
                    code: reason.code().into(),
                    title: reason.title().into(),
                }),
            },
            AppealError::NoCentre => ApiError::field(
                "centre_id",
                "required",
                "Укажите центр занятости: в профиле он не задан, а в вашем регионе их несколько",
            ),
            AppealError::UnknownCentre => {
                ApiError::field("centre_id", "unknown", "Центр занятости не найден")
            }
            AppealError::UnknownDraft => {
                ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
            }
            AppealError::Transition(t) => t.into(),
            AppealError::Concurrent => ApiError::Conflict {
                code: ProblemCode::ConcurrentUpdate,
                detail: "The appeal changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            AppealError::NotStaff => ApiError::forbidden("Only centre staff may do this"),
            AppealError::NotVerified(e) => e.into(),
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
                code: ProblemCode::TransitionNotPermitted,
                detail: e.to_string(),
                reason: None,
            },
            TransitionError::Final { .. } | TransitionError::NotAllowed { .. } => {
                ApiError::Conflict {
                    code: ProblemCode::InvalidTransition,
                    detail: e.to_string(),
                    reason: None,
                }
            }
        }
    }
}

impl From<persistence::organizations::VerifyError> for ApiError {
    fn from(e: persistence::organizations::VerifyError) -> Self {
        match e {
            persistence::organizations::VerifyError::OgrnTaken => ApiError::Conflict {
                code: ProblemCode::OgrnTaken,
                detail: "Another organisation with this OGRN is verified already".into(),
                reason: None,
            },
            persistence::organizations::VerifyError::Store(s) => s.into(),
        }
    }
}

impl From<EmployerError> for ApiError {
    fn from(e: EmployerError) -> Self {
        let conflict = |code: ProblemCode, detail: String| ApiError::Conflict {
            code,
            detail,
            reason: None,
        };
        match e {
            EmployerError::Admin(AdminError::NotAdmin) => ApiError::Forbidden {
                code: ProblemCode::NotAdmin,
                detail: "Only the organisation's administrator may do this".into(),
                reason: None,
            },
            EmployerError::Admin(AdminError::UnknownAccount) | EmployerError::NotFound => {
                ApiError::NotFound
            }
            EmployerError::Admin(AdminError::SelfAction) => {
                conflict(ProblemCode::AdminSelfAction, e.to_string())
            }
            EmployerError::Admin(AdminError::TargetBlocked) => {
                conflict(ProblemCode::TargetBlocked, e.to_string())
            }
            EmployerError::Admin(AdminError::AlreadyAdmin) => {
                conflict(ProblemCode::AlreadyAdmin, e.to_string())
            }
            EmployerError::Admin(AdminError::Corrupt) => ApiError::Internal(e.to_string()),
            EmployerError::LoginTaken => conflict(ProblemCode::LoginTaken, e.to_string()),
            EmployerError::HasCabinet => conflict(ProblemCode::HasCabinet, e.to_string()),
            EmployerError::NoCabinet => conflict(ProblemCode::NoCabinet, e.to_string()),
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
            EmployerError::NotVerified(e) => e.into(),
            EmployerError::Appeal(a) => a.into(),
            EmployerError::Store(s) => s.into(),
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
                        code: ProblemCode::AlreadyReviewed,
                        detail: message,
                        reason: None,
                    },
                    R::NotReplaceable { .. } => ApiError::Conflict {
                        code: ProblemCode::NotReplaceable,
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
                code: ProblemCode::ConcurrentUpdate,
                detail: "The document changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            DocumentUseError::Store(e) => e.into(),
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
                code: ProblemCode::AppealClosed,
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
                code: ProblemCode::CertificateRefused,
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
                        code: ProblemCode::ServiceNotAvailable,
                        detail: message,
                        reason: Some(Reason {
                            code: reason.code().into(),
                            title: reason.title().into(),
                        }),
                    },
                    BenefitError::AlreadyOpen => ApiError::Conflict {
                        code: ProblemCode::ApplicationOpen,
                        detail: message,
                        reason: None,
                    },
                    BenefitError::Transition(
                        domain::appeal::TransitionError::CommentRequired { .. },
                    ) => ApiError::field("comment", "required", &message),
                    BenefitError::NotAwaitingChanges { .. } | BenefitError::Transition(_) => {
                        ApiError::Conflict {
                            code: ProblemCode::InvalidTransition,
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
            BenefitUseError::NoPayoutDetails => ApiError::field(
                "payout_method",
                "required",
                "Укажите реквизиты для выплаты или сохраните их в профиле",
            ),
            BenefitUseError::Concurrent => ApiError::Conflict {
                code: ProblemCode::ConcurrentUpdate,
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
                code: ProblemCode::InvalidOperation,
                detail: rule.to_string(),
                reason: None,
            },
            PaymentError::Concurrent => ApiError::Conflict {
                code: ProblemCode::ConcurrentUpdate,
                detail: "The payment changed meanwhile; reload it and try again".into(),
                reason: None,
            },
            PaymentError::Store(e) => e.into(),
        }
    }
}

impl From<SlotError> for ApiError {
    fn from(e: SlotError) -> Self {
        match e {
            SlotError::NotFound => ApiError::NotFound,
            SlotError::Booking(BookingError::Taken) => ApiError::Conflict {
                code: ProblemCode::SlotTaken,
                detail: "The slot is already booked".into(),
                reason: None,
            },
            SlotError::Booking(BookingError::Started) => ApiError::Conflict {
                code: ProblemCode::SlotStarted,
                detail: "The slot has already started".into(),
                reason: None,
            },
            SlotError::AlreadyCancelled => ApiError::Conflict {
                code: ProblemCode::AlreadyCancelled,
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
                code: ProblemCode::FileTooLarge,
                detail,
            },
            UploadError::UnsupportedType { .. } => ApiError::File {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: ProblemCode::UnsupportedFileType,
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
                code: ProblemCode::VacancyClosed,
                detail: "The vacancy is closed".into(),
                reason: None,
            },
            LifecycleError::Salary(e) => ApiError::field(
                "salary_from",
                "salary",
                match e {
                    domain::vacancy::SalaryError::NotPositive => "Зарплата должна быть больше нуля",
                    domain::vacancy::SalaryError::Inverted => "Зарплата «от» больше зарплаты «до»",
                },
            ),
            LifecycleError::Store(e) => e.into(),
        }
    }
}

impl From<persistence::training::TrainingError> for ApiError {
    fn from(e: persistence::training::TrainingError) -> Self {
        use domain::training::EnrolmentError;
        use persistence::training::TrainingError;
        match e {
            TrainingError::NotFound => ApiError::NotFound,
            TrainingError::NotStaff => ApiError::forbidden("Only centre staff manage courses"),
            TrainingError::Course(rule) => {
                let (field, message) = rule.field_and_message();
                ApiError::field(field, "invalid", &message)
            }
            TrainingError::Enrolment(rule) => {
                let detail = rule.message();
                let (code, reason) = match rule {
                    EnrolmentError::Ineligible(reason) => (
                        ProblemCode::ServiceNotAvailable,
                        Some(Reason {
                            code: reason.code().into(),
                            title: reason.title().into(),
                        }),
                    ),
                    EnrolmentError::Withdrawn => (ProblemCode::CourseWithdrawn, None),
                    EnrolmentError::Started => (ProblemCode::CourseStarted, None),
                    EnrolmentError::Full => (ProblemCode::CourseFull, None),
                    EnrolmentError::AlreadyEnrolled => (ProblemCode::AlreadyEnrolled, None),
                    EnrolmentError::NotActive => (ProblemCode::EnrolmentNotActive, None),
                };
                ApiError::Conflict {
                    code,
                    detail,
                    reason,
                }
            }
            TrainingError::Store(e) => e.into(),
        }
    }
}

impl From<persistence::audit::CentreJournalError> for ApiError {
    fn from(e: persistence::audit::CentreJournalError) -> Self {
        use persistence::audit::CentreJournalError;
        match e {
            CentreJournalError::NotSupervisor => ApiError::Forbidden {
                code: ProblemCode::NotSupervisor,
                detail: "Only a centre's supervisors read its audit journal".into(),
                reason: None,
            },
            CentreJournalError::Store(e) => e.into(),
        }
    }
}

impl From<domain::organization::NotVerified> for ApiError {
    fn from(_: domain::organization::NotVerified) -> Self {
        ApiError::Conflict {
            code: ProblemCode::OrganizationNotVerified,
            detail: "The organisation is not verified yet: sign in through Госуслуги as its \
                     employee, or ask the employment centre to verify it"
                .into(),
            reason: Some(Reason {
                code: "pending".into(),
                title: "Организация ожидает подтверждения через Госуслуги или центр занятости"
                    .into(),
            }),
        }
    }
}
