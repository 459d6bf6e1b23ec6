//! The business rules of the employment-service cabinet (SPEC.md), free of IO and
//! frameworks so that every rule can be unit-tested exhaustively and reused by any
//! transport or storage.

pub mod actor;
pub mod appeal;
pub mod appeal_centre;
pub mod appeal_number;
pub mod appeal_scope;
pub mod appeal_type;
pub mod audit;
pub mod backoff;
pub mod calendar;
pub mod change;
pub mod draft;
pub mod eligibility;
pub mod employer_admin;
pub mod esia;
pub mod idempotency;
pub mod identifiers;
pub mod interview;
pub mod job_response;
pub mod job_search;
pub mod matching;
pub mod messages;
pub mod notification;
pub mod organization;
pub mod password;
pub mod password_reset;
pub mod personal_case;
pub mod quota;
pub mod reference;
pub mod report;
pub mod role;
pub mod saved_search;
pub mod vacancy;
pub mod vacancy_search;
pub mod vacancy_tags;
pub mod webhook;

pub mod attachment;
pub mod benefit;
pub mod certificate;
pub mod document;
pub mod file;
pub mod payment;
pub mod payout;
pub mod training;

/// A value with a stable machine code and a Russian label a person reads (SPEC: every
/// user-visible label comes as `title` beside a `code`).
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in the order clients should present them.
    const ALL: &'static [Self];
    /// The stable English code clients switch on.
    fn code(self) -> &'static str;
    /// The Russian label shown to people.
    fn title(self) -> &'static str;
    /// Parses a code; `None` for anything not in [`Coded::ALL`].
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Implements [`Coded`] (and `Display`, `FromStr`) for a fieldless enum from a table of
/// `Variant => ("code", "Заголовок")` rows, so code and label live on one line.
#[macro_export]
macro_rules! coded_enum {
    ($ty:ident { $($variant:ident => ($code:literal, $title:literal)),+ $(,)? }) => {
        impl $crate::Coded for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }
            fn title(self) -> &'static str {
                match self { $($ty::$variant => $title),+ }
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::Coded::code(*self))
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty as $crate::Coded>::from_code(s).ok_or_else(|| $crate::UnknownCode(s.to_owned()))
            }
        }
    };
}

/// A code that names no value of the enumeration it was parsed for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code `{0}`")]
pub struct UnknownCode(pub String);

#[cfg(test)]
mod tests {
    use super::Coded;

    /// Wire formats serialise these enums with serde; the codes must be the same
    /// strings, or clients would see two spellings of one value.
    fn serde_matches_codes<
        T: Coded + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for v in T::ALL {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json, serde_json::Value::from(v.code()));
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), *v);
            assert!(!v.title().is_empty());
        }
    }

    #[test]
    fn every_enumeration_serialises_as_its_code() {
        serde_matches_codes::<crate::role::Role>();
        serde_matches_codes::<crate::audit::AuditKind>();
        serde_matches_codes::<crate::audit::AuditAction>();
        serde_matches_codes::<crate::appeal::AppealStatus>();
        serde_matches_codes::<crate::appeal_type::AppealType>();
        serde_matches_codes::<crate::eligibility::Service>();
        serde_matches_codes::<crate::eligibility::Ineligibility>();
        serde_matches_codes::<crate::personal_case::Goal>();
        serde_matches_codes::<crate::personal_case::CaseStatus>();
        serde_matches_codes::<crate::vacancy::EmploymentType>();
        serde_matches_codes::<crate::vacancy::Schedule>();
        serde_matches_codes::<crate::vacancy::Experience>();
        serde_matches_codes::<crate::vacancy::EducationLevel>();
        serde_matches_codes::<crate::vacancy::Benefit>();
        serde_matches_codes::<crate::vacancy::VacancySort>();
        serde_matches_codes::<crate::vacancy_search::SalaryBand>();
        serde_matches_codes::<crate::vacancy::PublishedWithin>();
        serde_matches_codes::<crate::vacancy::VacancySort>();
        serde_matches_codes::<crate::notification::Category>();
        serde_matches_codes::<crate::webhook::EventType>();
        serde_matches_codes::<crate::webhook::DeliveryStatus>();
        serde_matches_codes::<crate::notification::Channel>();
        serde_matches_codes::<crate::draft::DraftKind>();
        serde_matches_codes::<crate::report::ReportKind>();
        serde_matches_codes::<crate::file::FileType>();
        serde_matches_codes::<crate::document::DocumentKind>();
        serde_matches_codes::<crate::document::DocumentStatus>();
        serde_matches_codes::<crate::certificate::Refusal>();
        serde_matches_codes::<crate::payment::PaymentKind>();
        serde_matches_codes::<crate::payment::PaymentStatus>();
        serde_matches_codes::<crate::payment::Operation>();
        serde_matches_codes::<crate::job_search::ApplicationStatus>();
        serde_matches_codes::<crate::job_search::Attention>();
        serde_matches_codes::<crate::calendar::Purpose>();
        serde_matches_codes::<crate::matching::Criterion>();
        serde_matches_codes::<crate::matching::OfferSource>();
        serde_matches_codes::<crate::interview::InterviewStatus>();
        serde_matches_codes::<crate::interview::Outcome>();
        serde_matches_codes::<crate::interview::Finish>();
        serde_matches_codes::<crate::job_response::ResponseStatus>();
        serde_matches_codes::<crate::training::CourseFormat>();
        serde_matches_codes::<crate::training::CourseLevel>();
        serde_matches_codes::<crate::training::CourseTheme>();
        serde_matches_codes::<crate::training::CourseSort>();
        serde_matches_codes::<crate::training::CourseStatus>();
        serde_matches_codes::<crate::training::EnrolmentStatus>();
    }
}
