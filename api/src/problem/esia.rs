//! The conversions of the Госуслуги (ESIA) refusals: the provider's failures, claims
//! that make no trusted person, and the sign-in's and the confirmation's refusals.
//! Kept beside `conversions` under the same rules.

use domain::esia::{ClaimsError, ConfirmError};
use persistence::esia::EsiaError;

use super::{ApiError, ProblemCode};
use crate::esia::EsiaFailure;

impl From<EsiaFailure> for ApiError {
    fn from(e: EsiaFailure) -> Self {
        match e {
            EsiaFailure::Unreachable(cause) => ApiError::ProviderUnavailable(cause),
            EsiaFailure::CodeRefused(detail) => ApiError::SignInRefused {
                code: ProblemCode::EsiaCodeRefused,
                detail: format!("Госуслуги refused the code: {detail}"),
            },
            EsiaFailure::InvalidToken(detail) => ApiError::SignInRefused {
                code: ProblemCode::EsiaTokenInvalid,
                detail: format!("The ID token from Госуслуги failed its checks: {detail}"),
            },
        }
    }
}

impl From<ClaimsError> for ApiError {
    fn from(e: ClaimsError) -> Self {
        let detail = match e {
            ClaimsError::NoSnils | ClaimsError::BadSnils => {
                "The Госуслуги account has no confirmed SNILS; confirm the account first"
            }
            ClaimsError::NoName => "The Госуслуги account has no name",
        };
        ApiError::Forbidden {
            code: ProblemCode::EsiaAccountUnconfirmed,
            detail: detail.into(),
            reason: None,
        }
    }
}

impl From<EsiaError> for ApiError {
    fn from(e: EsiaError) -> Self {
        match e {
            EsiaError::LinkedElsewhere | EsiaError::NotACitizen => ApiError::Conflict {
                code: ProblemCode::EsiaIdentityConflict,
                detail: "This SNILS belongs to another account; contact the employment centre"
                    .into(),
                reason: None,
            },
            EsiaError::OrganizationIncomplete => ApiError::Forbidden {
                code: ProblemCode::EsiaAccountUnconfirmed,
                detail: "Госуслуги named an organisation without its INN".into(),
                reason: None,
            },
            EsiaError::NotConfirmed(ConfirmError::AlreadyVerified) => ApiError::Conflict {
                code: ProblemCode::AlreadyVerified,
                detail: "The organisation is verified already".into(),
                reason: None,
            },
            EsiaError::NotConfirmed(why) => ApiError::Forbidden {
                code: ProblemCode::EsiaOrganizationUnconfirmed,
                detail: match why {
                    ConfirmError::NotHead => {
                        "Госуслуги names you an employee of the organisation, not its head"
                    }
                    _ => "Госуслуги named another organisation, or none: choose this one there",
                }
                .into(),
                reason: None,
            },
            EsiaError::OgrnTaken => persistence::organizations::VerifyError::OgrnTaken.into(),
            EsiaError::PersonLinkedElsewhere => ApiError::Conflict {
                code: ProblemCode::EsiaIdentityConflict,
                detail: "This Госуслуги person is linked to another account of the portal".into(),
                reason: None,
            },
            EsiaError::NotAdmin => ApiError::Forbidden {
                code: ProblemCode::NotAdmin,
                detail: "Only the organisation's administrator may confirm it".into(),
                reason: None,
            },
            EsiaError::Store(e) => e.into(),
        }
    }
}
