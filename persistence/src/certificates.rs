//! The facts of a certificate of registration as unemployed (seed 002): the citizen,
//! their cases and centres, whether a benefit application is open. Which case counts,
//! which period is allowed and what the certificate says are `domain::certificate`'s.

use chrono::NaiveDate;
use domain::certificate::{self, CaseFacts, Certificate, PeriodError, Refusal};

use crate::citizens::{self, cases_of};
use crate::{centres, DbConnection, StoreError};

/// Why no certificate was made.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The certificate for `citizen_id` valid from `from` to `to`, issued `today`.
pub fn unemployment(
    conn: &mut DbConnection,
    citizen_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Certificate, CertificateError> {
    let citizen = citizens::get(conn, citizen_id)?;
    let cases = cases_of(conn, citizen_id)?;
    let mut facts = Vec::with_capacity(cases.len());
    for case in &cases {
        let centre = centres::get(conn, &case.centre_id)?;
        let registered_on = case.opened_at.date();
        facts.push((
            CaseFacts {
                number: certificate::case_number(&centre.code, registered_on, &case.id),
                open: case.closed_at.is_none(),
                status: case.status,
                registered_on,
            },
            centre,
        ));
    }
    let open_benefit = crate::benefits::has_open_application(conn, citizen_id)?;
    let only: Vec<CaseFacts> = facts.iter().map(|(f, _)| f.clone()).collect();
    let chosen = certificate::eligible(&only, open_benefit).map_err(CertificateError::Refused)?;
    let (_, centre) = facts
        .iter()
        .find(|(f, _)| f == chosen)
        .ok_or_else(|| StoreError::Corrupt("the chosen case vanished".into()))?;
    let (valid_from, valid_to) = certificate::period(from, to, chosen.registered_on, today)?;
    Ok(Certificate {
        full_name: citizen.full_name(),
        birth_date: citizen.birth_date,
        centre_name: centre.name.clone(),
        centre_address: centre.address.clone(),
        case_number: chosen.number.clone(),
        registered_on: chosen.registered_on,
        valid_from,
        valid_to,
        issued_on: today,
    })
}
