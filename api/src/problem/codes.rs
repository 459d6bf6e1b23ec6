//! Every `code` a problem+json answer can carry, with its status and what it means.
//! [`ApiError`](super::ApiError) holds a [`ProblemCode`], so a code that is not listed
//! here does not compile; the spec lists them all on `Problem.code` and each
//! operation names the ones it answers (`x-problem-codes`, see `openapi`).

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

macro_rules! problem_codes {
    ($($variant:ident = ($code:literal, $status:literal, $meaning:literal);)+) => {
        /// A stable machine code of a problem.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ProblemCode {
            $($variant,)+
        }

        impl ProblemCode {
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)+];

            /// The code as clients see it.
            pub fn code(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)+
                }
            }

            /// The one HTTP status answered with it.
            pub fn status(self) -> u16 {
                match self {
                    $(ProblemCode::$variant => $status,)+
                }
            }

            /// What it means and what the client does about it.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $meaning,)+
                }
            }
        }
    };
}

problem_codes! {
    BadRequest = ("bad_request", 400, "The body is not valid JSON, or a path parameter or a header is malformed.");
    TokenInvalid = ("token_invalid", 401, "The access or refresh token is missing, malformed, not genuine, or of a session that has ended: sign in again.");
    TokenExpired = ("token_expired", 401, "The access token is past its expiry: refresh it (`POST /auth/refresh`) and retry.");
    BadCredentials = ("bad_credentials", 401, "The login or password is wrong (an unknown login answers the same).");
    RefreshReused = ("refresh_reused", 401, "The refresh token was used before: someone else may hold a copy, so the session is revoked; sign in again.");
    TicketInvalid = ("ticket_invalid", 401, "The stream ticket is unknown, used or expired: ask for a new one (`POST /events/ticket`).");
    EsiaStateInvalid = ("esia_state_invalid", 401, "The Госуслуги sign-in's `state` is unknown, used or expired: start the sign-in again.");
    EsiaCodeRefused = ("esia_code_refused", 401, "Госуслуги refused the authorisation code (used, expired or not theirs): start the sign-in again.");
    EsiaTokenInvalid = ("esia_token_invalid", 401, "The ID token from Госуслуги failed its checks (signature, issuer, audience, expiry or nonce).");
    Forbidden = ("forbidden", 403, "The account's role may not do this.");
    AccountBlocked = ("account_blocked", 403, "The account is blocked; `reason` says by whom (`organization_admin` or `centre_staff`).");
    NotAdmin = ("not_admin", 403, "Only the organisation's administrator may do this.");
    NotSupervisor = ("not_supervisor", 403, "Only a centre's supervisors may do this.");
    TransitionNotPermitted = ("transition_not_permitted", 403, "The status move is not the caller's to make (an applicant only answers a clarification request).");
    EsiaOrganizationUnconfirmed = ("esia_organization_unconfirmed", 403, "Госуслуги did not confirm the organisation: the authorization failed (start again), or it did not name the person the head of this very organisation (OGRN, INN); or ask the employment centre to verify it.");
    EsiaAccountUnconfirmed = ("esia_account_unconfirmed", 403, "The Госуслуги account is not confirmed, or its organisation data is incomplete.");
    NotFound = ("not_found", 404, "No such resource, or it belongs to someone else.");
    MethodNotAllowed = ("method_not_allowed", 405, "The path does not answer this method; `Allow` lists those it answers.");
    Conflict = ("conflict", 409, "A record with these values already exists.");
    LimitReached = ("limit_reached", 409, "The account (for contacts, the organisation) keeps as many records of this kind as it may; `reason.code` names the kind.");
    LoginTaken = ("login_taken", 409, "The login is taken: choose another.");
    SnilsTaken = ("snils_taken", 409, "Another account holds this SNILS as verified.");
    OgrnTaken = ("ogrn_taken", 409, "Another organisation with this OGRN is verified already.");
    ServiceNotAvailable = ("service_not_available", 409, "The service is not available to the citizen now; `reason` says why (SPEC's eligibility rules).");
    ConcurrentUpdate = ("concurrent_update", 409, "The record changed meanwhile: reload it and retry.");
    InvalidTransition = ("invalid_transition", 409, "The record's current status does not allow this move.");
    AdminSelfAction = ("admin_self_action", 409, "An administrator cannot do this to their own account.");
    TargetBlocked = ("target_blocked", 409, "The account is blocked: unblock it first.");
    AlreadyAdmin = ("already_admin", 409, "The account is the organisation's administrator already.");
    HasCabinet = ("has_cabinet", 409, "The contact person has a cabinet already.");
    NoCabinet = ("no_cabinet", 409, "The contact person has no cabinet.");
    AlreadyReviewed = ("already_reviewed", 409, "The document has been reviewed already.");
    NotReplaceable = ("not_replaceable", 409, "The document cannot be replaced in its current status.");
    AppealClosed = ("appeal_closed", 409, "The appeal is closed: nothing can be attached to it.");
    CertificateRefused = ("certificate_refused", 409, "The certificate cannot be issued; `reason` says why.");
    ApplicationOpen = ("application_open", 409, "Another application is under consideration already.");
    InvalidOperation = ("invalid_operation", 409, "The payment's current state does not allow this operation.");
    SlotTaken = ("slot_taken", 409, "The slot is booked already: choose another.");
    SlotStarted = ("slot_started", 409, "The slot has started already.");
    AlreadyCancelled = ("already_cancelled", 409, "The booking is cancelled already.");
    VacancyClosed = ("vacancy_closed", 409, "The vacancy is closed.");
    CourseWithdrawn = ("course_withdrawn", 409, "The course has been withdrawn.");
    CourseStarted = ("course_started", 409, "The course has started: enrolment is over.");
    CourseFull = ("course_full", 409, "The course has no free places.");
    AlreadyEnrolled = ("already_enrolled", 409, "The citizen is enrolled on the course already.");
    EnrolmentNotActive = ("enrolment_not_active", 409, "The enrolment is not active.");
    AlreadyVerified = ("already_verified", 409, "The organisation is verified already.");
    OrganizationNotVerified = ("organization_not_verified", 409, "The organisation is not verified yet (Госуслуги or centre staff verify it): it may prepare, not publish or send.");
    EsiaIdentityConflict = ("esia_identity_conflict", 409, "The Госуслуги identity is linked to another account, or is not a citizen's.");
    OpenApplicationExists = ("open_application_exists", 409, "The citizen has an open job-search application already; `existing_id` names it.");
    OffersClosed = ("offers_closed", 409, "The application no longer takes vacancy offers in its status.");
    InterviewsUnsettled = ("interviews_unsettled", 409, "Interviews are still unsettled: settle them first.");
    InvalidInterviewMove = ("invalid_interview_move", 409, "The interview's current status does not allow this move.");
    NegotiationsClosed = ("negotiations_closed", 409, "The application's negotiations are over.");
    AlreadyResponded = ("already_responded", 409, "A response to this vacancy exists already; `existing_id` names it.");
    ResponseAnswered = ("response_answered", 409, "The response has been answered already.");
    IdempotencyInProgress = ("idempotency_in_progress", 409, "A request with the same `Idempotency-Key` is still running: retry in a moment to get its answer.");
    PreconditionFailed = ("precondition_failed", 412, "The `If-Match` version is no longer current: reload and retry.");
    PayloadTooLarge = ("payload_too_large", 413, "The request body is over the limit.");
    FileTooLarge = ("file_too_large", 413, "The file is over the size limit.");
    UnsupportedMediaType = ("unsupported_media_type", 415, "The body is not sent in the media type the operation takes.");
    UnsupportedFileType = ("unsupported_file_type", 415, "The file is not a PDF, JPEG or PNG (by its content).");
    ValidationFailed = ("validation_failed", 422, "Some fields are invalid; each is listed in `errors` with its path and a Russian message.");
    IdempotencyKeyInvalid = ("idempotency_key_invalid", 422, "The `Idempotency-Key` is not 1–255 visible ASCII characters.");
    IdempotencyKeyReused = ("idempotency_key_reused", 422, "The `Idempotency-Key` came with another request within 24 hours: use a new key.");
    TooManyRequests = ("too_many_requests", 429, "Too many attempts: retry after `Retry-After` seconds.");
    InternalError = ("internal_error", 500, "Something went wrong on the server's side; it has been logged.");
    ServiceUnavailable = ("service_unavailable", 503, "The database is not answering: retry after `Retry-After` seconds.");
    ServerBusy = ("server_busy", 503, "Too many requests of this kind are queued (password checks): retry after `Retry-After` seconds.");
    EsiaUnavailable = ("esia_unavailable", 503, "Госуслуги is not answering: retry after `Retry-After` seconds.");
}

impl ProblemCode {
    /// The short Russian summary of the kind, the problem's `title`.
    pub fn title(self) -> &'static str {
        use ProblemCode::*;
        match self {
            EsiaStateInvalid | EsiaCodeRefused | EsiaTokenInvalid => "Вход не выполнен",
            FileTooLarge | UnsupportedFileType => "Файл не принят",
            IdempotencyKeyInvalid | IdempotencyKeyReused => "Запрос не может быть выполнен",
            MethodNotAllowed => "Метод не поддерживается",
            ServerBusy => "Сервер перегружен",
            EsiaUnavailable => "Госуслуги недоступны",
            _ => match self.status() {
                400 => "Некорректный запрос",
                401 => "Требуется вход",
                403 => "Доступ запрещён",
                404 => "Не найдено",
                409 => "Конфликт",
                412 => "Данные изменились",
                413 => "Слишком большой запрос",
                415 => "Неподдерживаемый формат",
                422 => "Запрос содержит ошибки",
                429 => "Слишком много попыток",
                500 => "Внутренняя ошибка",
                _ => "Сервис временно недоступен",
            },
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// As its code, so that `json!([ProblemCode::X])` names it in a handler's
/// `x-problem-codes`.
impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// A string enumeration of every code, its description a table of their statuses and
/// meanings.
impl PartialSchema for ProblemCode {
    fn schema() -> RefOr<Schema> {
        let mut description = String::from(
            "The stable machine code of a problem. Each operation lists the codes it \
             answers per status (`x-problem-codes` on its responses).\n\n\
             | code | status | meaning |\n|---|---|---|\n",
        );
        for code in ProblemCode::ALL {
            description.push_str(&format!(
                "| `{}` | {} | {} |\n",
                code.code(),
                code.status(),
                code.meaning()
            ));
        }
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ProblemCode::ALL.iter().map(|c| c.code())))
            .description(Some(description))
            .into()
    }
}

impl ToSchema for ProblemCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ProblemCode")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_explained() {
        let mut seen = HashSet::new();
        for code in ProblemCode::ALL {
            let text = code.code();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{text}"
            );
            assert!((400..600).contains(&code.status()), "{text}");
            assert!(code.meaning().ends_with('.'), "{text}");
        }
    }
}
