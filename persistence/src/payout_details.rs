//! The citizen's payout details kept in the profile (seed 002), and their columns,
//! shared with the benefit applications that copy them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::payout::{BankAccount, CardNumber, Payout};

use crate::schema::payout_details as details;
use crate::{db, DbConnection, StoreError};

/// The stored shape of a payout: kind, BIK, account, card number.
pub(crate) type Columns<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

pub(crate) fn columns(p: &Payout) -> Columns<'_> {
    match p {
        Payout::BankAccount(a) => (
            "bank_account",
            Some(a.bik().as_str()),
            Some(a.account()),
            None,
        ),
        Payout::Card(c) => ("card", None, None, Some(c.as_str())),
    }
}

/// A payout read back from its columns; stored values were valid when written.
pub(crate) fn from_columns(
    kind: &str,
    bik: Option<&str>,
    account: Option<&str>,
    card: Option<&str>,
) -> Result<Payout, StoreError> {
    let corrupt = |e: domain::payout::PayoutError| StoreError::Corrupt(e.to_string());
    match (kind, bik, account, card) {
        ("bank_account", Some(bik), Some(account), _) => Ok(Payout::BankAccount(
            BankAccount::parse(bik, account).map_err(corrupt)?,
        )),
        ("card", _, _, Some(card)) => Ok(Payout::Card(CardNumber::parse(card).map_err(corrupt)?)),
        (kind, ..) => Err(StoreError::Corrupt(format!("payout {kind}"))),
    }
}

/// The citizen's details as kept, with their version and when they last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub payout: Payout,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i32,
    NaiveDateTime,
);

/// The citizen's payout details, if they saved any.
pub fn get(conn: &mut DbConnection, citizen_id: &str) -> Result<Option<Kept>, StoreError> {
    let row: Option<Row> = details::table
        .find(citizen_id)
        .select((
            details::payout_kind,
            details::bik,
            details::account,
            details::card_number,
            details::version,
            details::updated_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(kind, bik, account, card, version, updated_at)| {
        Ok(Kept {
            payout: from_columns(&kind, bik.as_deref(), account.as_deref(), card.as_deref())?,
            version,
            updated_at,
        })
    })
    .transpose()
}

/// Saves the citizen's payout details, replacing any; `expected` is the version they
/// were read at (`If-Match`), `None` to skip the check.
pub fn set(
    conn: &mut DbConnection,
    citizen_id: &str,
    ctx: &domain::audit::AuditContext,
    payout: &Payout,
    expected: Option<i32>,
    now: NaiveDateTime,
) -> Result<Kept, StoreError> {
    db::write(conn, |conn| {
        let current = get(conn, citizen_id)?;
        let version = current.as_ref().map_or(0, |k| k.version);
        if expected.is_some_and(|v| v != version) {
            return Err(StoreError::Stale);
        }
        let (kind, bik, account, card) = columns(payout);
        if current.is_some() {
            diesel::update(details::table.find(citizen_id))
                .set((
                    details::payout_kind.eq(kind),
                    details::bik.eq(bik),
                    details::account.eq(account),
                    details::card_number.eq(card),
                    details::version.eq(version + 1),
                    details::updated_at.eq(now),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(details::table)
                .values((
                    details::citizen_id.eq(citizen_id),
                    details::payout_kind.eq(kind),
                    details::bik.eq(bik),
                    details::account.eq(account),
                    details::card_number.eq(card),
                    details::version.eq(1),
                    details::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        crate::audit::record_by(
            conn,
            Some(citizen_id),
            ctx,
            domain::audit::AuditAction::ProfileChange,
            crate::audit::Target {
                record_type: "payout_details",
                record_id: citizen_id,
                subject_id: citizen_id,
            },
            now,
        )?;
        get(conn, citizen_id)?.ok_or(StoreError::NotFound)
    })
}
