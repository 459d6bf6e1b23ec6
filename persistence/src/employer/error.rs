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
    /// The organisation is pending: it may not send reports yet.
    #[error(transparent)]
    NotVerified(#[from] domain::organization::NotVerified),
    /// A refusal of the appeal an employer's change files, answered as the appeal's own.
    #[error(transparent)]
    Appeal(AppealError),
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
/// refusal is named, so a new one cannot slip by. Those with no employer meaning are
/// answered as the appeals endpoints answer them.
impl From<AppealError> for EmployerError {
    fn from(e: AppealError) -> Self {
        match e {
            AppealError::NotFound => EmployerError::NotFound,
            AppealError::NoCentre | AppealError::UnknownCentre => EmployerError::NoCentre,
            AppealError::UnknownDraft => EmployerError::UnknownDraft,
            AppealError::NotVerified(e) => EmployerError::NotVerified(e),
            AppealError::Store(s) => s.into(),
            AppealError::NotFilable(_)
            | AppealError::Ineligible(_)
            | AppealError::Transition(_)
            | AppealError::Concurrent
            | AppealError::NotStaff => EmployerError::Appeal(e),
        }
    }
}
