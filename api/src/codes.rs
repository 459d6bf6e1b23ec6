//! The schemas of domain codes: one named string enum per domain enumeration, each
//! value labelled with its Russian title (in the description and in
//! `x-enum-descriptions`), and the link from a schema to its domain type that
//! `views::Labelled<C>` uses, so a response's `{code, title}` can only carry a code of
//! the enumeration its schema names. Nothing here imports the handlers.

use std::borrow::Cow;

use domain::Coded;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// The schema of the `code` of a `Labelled<Self>`.
pub trait LabelCode: ToSchema {
    /// How `code` is typed: a reference to the named enum.
    fn code_schema() -> RefOr<Schema> {
        Ref::from_schema_name(Self::name()).into()
    }
    /// An example of a `Labelled<Self>`: the first value with its title.
    fn example() -> serde_json::Value;
    /// Adds the named enum to the document's schemas.
    fn register(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Self::name().into_owned(), Self::schema()));
    }
}

/// `Self` is the schema of the domain enumeration `T`: `Labelled::<Self>::of` takes
/// only values of `T`.
pub trait LabelFor<T>: LabelCode {}

/// A code the document does not enumerate: a dictionary's own codes (regions,
/// professions, categories), which live in `GET /dictionaries/{name}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DictionaryCode;

impl PartialSchema for DictionaryCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).into()
    }
}

impl ToSchema for DictionaryCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DictionaryCode")
    }
}

impl LabelCode for DictionaryCode {
    fn code_schema() -> RefOr<Schema> {
        Self::schema()
    }
    fn example() -> serde_json::Value {
        serde_json::json!({"code": "77", "title": "Москва"})
    }
    fn register(_: &mut Vec<(String, RefOr<Schema>)>) {}
}

impl<T: Coded> LabelFor<T> for DictionaryCode {}

/// The schema of a domain enumeration: its codes, in the order clients present them,
/// each with its Russian title.
pub fn coded<T: Coded>(summary: &str) -> RefOr<Schema> {
    let values = T::ALL;
    let listing: Vec<String> = values
        .iter()
        .map(|v| format!("- `{}`: {}", v.code(), v.title()))
        .collect();
    let description = format!(
        "{}\n\nThe values and their Russian titles (`title` beside a `code`):\n{}",
        summary.trim(),
        listing.join("\n")
    );
    let titles: Vec<&str> = values.iter().map(|v| v.title()).collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().map(|v| v.code())))
        .description(Some(description))
        .extensions(Some(Extensions::from_iter([(
            "x-enum-descriptions",
            serde_json::json!(titles),
        )])))
        .into()
}

fn labelled_example<T: Coded>() -> serde_json::Value {
    match T::ALL.first() {
        Some(v) => serde_json::json!({"code": v.code(), "title": v.title()}),
        None => serde_json::Value::Null,
    }
}

/// Declares a schema-only type listing the codes of a domain enumeration, so fields
/// typed with the domain enum (requests) or `Labelled<Name>` (responses) are
/// documented as a named, labelled string enum.
macro_rules! code_schema {
    ($($(#[doc = $doc:literal])+ $name:ident => $ty:ty;)+) => {$(
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name;
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                coded::<$ty>(concat!($($doc),+))
            }
        }
        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
        impl LabelCode for $name {
            fn example() -> serde_json::Value {
                labelled_example::<$ty>()
            }
        }
        impl LabelFor<$ty> for $name {}
    )+};
}

code_schema! {
    /// An appeal's status. Employers read «Принято ведомством» for `registered` and «Выполнено» for `completed`.
    AppealStatusCode => domain::appeal::AppealStatus;
    /// How an appeal came in.
    AppealChannelCode => domain::appeal::Channel;
    /// An appeal's type.
    AppealTypeCode => domain::appeal_type::AppealType;
    /// A goal of a personal case.
    GoalCode => domain::personal_case::Goal;
    /// A personal case's status.
    CaseStatusCode => domain::personal_case::CaseStatus;
    /// A citizen service.
    ServiceCode => domain::eligibility::Service;
    /// Why a service is not available to the citizen.
    IneligibilityCode => domain::eligibility::Ineligibility;
    /// An employment type (dictionary `employment_types`).
    EmploymentTypeCode => domain::vacancy::EmploymentType;
    /// A work schedule (dictionary `schedules`).
    ScheduleCode => domain::vacancy::Schedule;
    /// Required experience (dictionary `experience`).
    ExperienceCode => domain::vacancy::Experience;
    /// An education level (dictionary `education_levels`).
    EducationLevelCode => domain::vacancy::EducationLevel;
    /// A social guarantee (dictionary `benefits`).
    BenefitCode => domain::vacancy::Benefit;
    /// A publication period (dictionary `publication_periods`).
    PublishedWithinCode => domain::vacancy::PublishedWithin;
    /// A vacancy sort order (dictionary `vacancy_sorts`).
    VacancySortCode => domain::vacancy::VacancySort;
    /// A salary band of the vacancy search (dictionary `salary_bands`).
    SalaryBandCode => domain::vacancy_search::SalaryBand;
    /// A kind of draft (dictionary `draft_kinds`).
    DraftKindCode => domain::draft::DraftKind;
    /// A notification category (dictionary `notification_categories`).
    NotificationCategoryCode => domain::notification::Category;
    /// A notification channel (dictionary `notification_channels`).
    NotificationChannelCode => domain::notification::Channel;
    /// A kind of employer report (dictionary `report_kinds`).
    ReportKindCode => domain::report::ReportKind;
    /// A job-search application's status.
    ApplicationStatusCode => domain::job_search::ApplicationStatus;
    /// Why a job-search application waits for staff.
    AttentionCode => domain::job_search::Attention;
    /// An interview's status.
    InterviewStatusCode => domain::interview::InterviewStatus;
    /// A response's status.
    ResponseStatusCode => domain::job_response::ResponseStatus;
    /// An interview's result.
    OutcomeCode => domain::interview::Outcome;
    /// How the citizen finishes the negotiations.
    FinishCode => domain::interview::Finish;
    /// A kind of audit journal entry.
    AuditKindCode => domain::audit::AuditKind;
    /// What an audit journal entry records.
    AuditActionCode => domain::audit::AuditAction;
    /// An account's role.
    RoleCode => domain::role::Role;
    /// A criterion of the vacancy matching.
    CriterionCode => domain::matching::Criterion;
    /// Where an offered vacancy came from.
    OfferSourceCode => domain::matching::OfferSource;
    /// What a visit to the centre is for.
    PurposeCode => domain::calendar::Purpose;
    /// A stored file's type.
    FileTypeCode => domain::file::FileType;
    /// A kind of the citizen's document.
    DocumentKindCode => domain::document::DocumentKind;
    /// A document's review status.
    DocumentStatusCode => domain::document::DocumentStatus;
    /// A training course's format.
    CourseFormatCode => domain::training::CourseFormat;
    /// A training course's level.
    CourseLevelCode => domain::training::CourseLevel;
    /// A training course's theme.
    CourseThemeCode => domain::training::CourseTheme;
    /// A training course's status.
    CourseStatusCode => domain::training::CourseStatus;
    /// An enrolment's status.
    EnrolmentStatusCode => domain::training::EnrolmentStatus;
    /// A kind of payment.
    PaymentKindCode => domain::payment::PaymentKind;
    /// A payment's status.
    PaymentStatusCode => domain::payment::PaymentStatus;
    /// An operation on a payment.
    PaymentOperationCode => domain::payment::Operation;
    /// An event a webhook subscription may ask for.
    WebhookEventCode => domain::webhook::EventType;
    /// Where a webhook delivery stands.
    DeliveryStatusCode => domain::webhook::DeliveryStatus;
}

/// Declares a schema-only type for a set of codes the server writes as strings (no
/// domain enumeration behind them), with what each means.
macro_rules! string_codes {
    ($($(#[doc = $doc:literal])+ $name:ident = [$($code:literal => $meaning:literal),+ $(,)?];)+) => {$(
        $(#[doc = $doc])+
        pub struct $name;
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let listing = [$(concat!("- `", $code, "`: ", $meaning)),+].join("\n");
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([$($code),+]))
                    .description(Some(format!("{}\n\n{listing}", concat!($($doc),+).trim())))
                    .extensions(Some(Extensions::from_iter([(
                        "x-enum-descriptions",
                        serde_json::json!([$($meaning),+]),
                    )])))
                    .into()
            }
        }
        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    )+};
}

string_codes! {
    /// Whether a vacancy is in the bank.
    VacancyStatusCode = ["published" => "в банке вакансий", "closed" => "закрыта"];
    /// Whether an organisation is confirmed: only a confirmed one publishes and reports.
    VerificationCode = [
        "pending" => "не подтверждена: готовит, но не публикует и не отправляет",
        "verified" => "подтверждена через Госуслуги или сотрудником центра",
    ];
    /// How a session signed in.
    AuthMethodCode = ["password" => "логин и пароль", "esia" => "Госуслуги (ЕСИА)"];
    /// Where a search suggestion comes from.
    SuggestionKindCode = [
        "profession" => "профессия из справочника ОКПДТР",
        "title" => "название вакансии",
        "word" => "слово из названий вакансий",
    ];
}
