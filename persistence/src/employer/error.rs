//! Why an employer-cabinet request was refused, and how the refusals of the stores
//! it calls read as its own.

use domain::employer_admin::AdminError;

use crate::appeals::AppealError;
use crate::StoreError;

/// Why an employer-cabinet request was refused.
#[derive(Debug, thiserror::Error)]
pub enum EmployerError {
    #[error(transparent)]
    Admin(#[from] AdminError),
    #[error("not found")]
    NotFound,
    #[error("an organisation with this OGRN is registered already")]
    OgrnTaken,
    #[error("the login is taken")]
    LoginTaken,
    #[error("the contact already has a cabinet")]
    HasCabinet,
    #[error("the contact has no cabinet")]
    NoCabinet,
    #[error("the organisation changed since it was read")]
    Stale,
    #[error("no centre to address the change to")]
    NoCentre,
    #[error("no such draft of this form")]
    UnknownDraft,
    #[error("OGRN, INN and KPP describe different kinds of entity")]
    InconsistentRequisites,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EmployerError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => EmployerError::NotFound,
            StoreError::Stale => EmployerError::Stale,
            other => EmployerError::Store(other),
        }
    }
}

impl From<diesel::result::Error> for EmployerError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

/// An employer use case files appeals for the organisation and reads them back; every
/// refusal of an applicant's own filing or move is named, so a new one cannot slip by.
impl From<AppealError> for EmployerError {
    fn from(e: AppealError) -> Self {
        match e {
            AppealError::NotFound => EmployerError::NotFound,
            AppealError::NoCentre | AppealError::UnknownCentre => EmployerError::NoCentre,
            AppealError::UnknownDraft => EmployerError::UnknownDraft,
            AppealError::Concurrent => EmployerError::Stale,
            AppealError::Store(s) => s.into(),
            // What the portal files itself is never refused as an applicant's own
            // appeal would be: one of these is a broken invariant.
            e @ (AppealError::NotFilable(_)
            | AppealError::Ineligible(_)
            | AppealError::Transition(_)
            | AppealError::NotStaff) => EmployerError::Store(StoreError::Corrupt(e.to_string())),
        }
    }
}
