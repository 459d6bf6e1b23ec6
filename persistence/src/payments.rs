//! Payments to citizens and the history of their operations (SPEC §7). Which
//! operations a status allows, and the path a payment entered in a given status has
//! gone, are `domain::payment`'s. Payments come from approved benefit applications,
//! from staff, and from a bulk import that stores every row or none.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::payment::{Kopecks, Operation, PaymentKind, PaymentStatus};
use domain::role::Role;
use domain::Coded;

use crate::paging::{self, Page, PageRequest};
use crate::schema::{citizens, payment_operations as ops, payments, users};
use crate::{db, new_id, DbConnection, StoreError};
use domain::actor::Actor;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = payments)]
struct Row {
    id: String,
    citizen_id: String,
    application_id: Option<String>,
    kind: String,
    amount_kopecks: i64,
    period_from: NaiveDate,
    period_to: NaiveDate,
    pay_date: NaiveDate,
    status: String,
    comment: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// One line of a payment's history.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationEntry {
    pub operation: Operation,
    pub comment: Option<String>,
    pub at: NaiveDateTime,
}

/// A payment; `history` is filled when one payment is read, empty in lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: String,
    pub citizen_id: String,
    pub application_id: Option<String>,
    pub kind: PaymentKind,
    pub amount: Kopecks,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub pay_date: NaiveDate,
    pub status: PaymentStatus,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub history: Vec<OperationEntry>,
}

fn payment(r: Row) -> Result<Payment, StoreError> {
    Ok(Payment {
        kind: r.kind.parse()?,
        status: r.status.parse()?,
        amount: Kopecks(r.amount_kopecks),
        id: r.id,
        citizen_id: r.citizen_id,
        application_id: r.application_id,
        period_from: r.period_from,
        period_to: r.period_to,
        pay_date: r.pay_date,
        comment: r.comment,
        created_at: r.created_at,
        updated_at: r.updated_at,
        history: Vec::new(),
    })
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPayment {
    pub citizen_id: String,
    pub application_id: Option<String>,
    pub kind: PaymentKind,
    pub amount: Kopecks,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub pay_date: NaiveDate,
    /// The status it enters with; its history records the path there.
    pub status: PaymentStatus,
    pub comment: Option<String>,
}

/// Why a request about payments was refused.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("payment not found")]
    NotFound,
    #[error("no such citizen of this centre")]
    UnknownCitizen,
    #[error(transparent)]
    Rule(#[from] domain::payment::OperationError),
    #[error("the payment changed meanwhile")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for PaymentError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => PaymentError::NotFound,
            other => PaymentError::Store(other),
        }
    }
}

fn add_operation(
    conn: &mut DbConnection,
    payment_id: &str,
    operation: Operation,
    comment: Option<&str>,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(ops::table)
        .values((
            ops::id.eq(new_id()),
            ops::payment_id.eq(payment_id),
            ops::operation.eq(operation.code()),
            ops::comment.eq(comment),
            ops::actor_id.eq(actor_id),
            ops::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a payment inside the caller's transaction, its history along its path.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewPayment,
    actor_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(payments::table)
        .values((
            payments::id.eq(&id),
            payments::citizen_id.eq(&new.citizen_id),
            payments::application_id.eq(new.application_id.as_deref()),
            payments::kind.eq(new.kind.code()),
            payments::amount_kopecks.eq(new.amount.0),
            payments::period_from.eq(new.period_from),
            payments::period_to.eq(new.period_to),
            payments::pay_date.eq(new.pay_date),
            payments::status.eq(new.status.code()),
            payments::comment.eq(new.comment.as_deref()),
            payments::created_at.eq(now),
            payments::updated_at.eq(now),
        ))
        .execute(conn)?;
    for op in new.status.path() {
        add_operation(conn, &id, *op, None, actor_id, now)?;
    }
    Ok(id)
}

/// Staff record a payment for a citizen of their centre.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewPayment,
    now: NaiveDateTime,
) -> Result<Payment, PaymentError> {
    db::write(conn, |conn| {
        if actor.role != Role::Staff
            || !crate::benefits::citizen_of_centre(conn, actor, &new.citizen_id)?
        {
            return Err(PaymentError::UnknownCitizen);
        }
        let id = insert(conn, new, Some(&actor.user_id), now)?;
        read(conn, &id)
    })
}

fn read(conn: &mut DbConnection, id: &str) -> Result<Payment, PaymentError> {
    let row: Row = payments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)?;
    let mut p = payment(row)?;
    let lines: Vec<(String, Option<String>, NaiveDateTime)> = ops::table
        .filter(ops::payment_id.eq(id))
        .order((ops::created_at.asc(), ops::id.asc()))
        .select((ops::operation, ops::comment, ops::created_at))
        .load(conn)?;
    p.history = lines
        .into_iter()
        .map(|(op, comment, at)| {
            Ok(OperationEntry {
                operation: op.parse()?,
                comment,
                at,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(p)
}

/// One of the citizen's payments with its history.
pub fn get(conn: &mut DbConnection, citizen_id: &str, id: &str) -> Result<Payment, PaymentError> {
    let p = read(conn, id)?;
    if p.citizen_id != citizen_id {
        return Err(PaymentError::NotFound);
    }
    Ok(p)
}

/// Which payments to list.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub status: Option<PaymentStatus>,
    pub kind: Option<PaymentKind>,
    /// Payment dates from and to, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The citizen's payments, latest payment date first.
pub fn list(
    conn: &mut DbConnection,
    citizen_id: &str,
    filter: &PaymentFilter,
    page: PageRequest,
) -> Result<Page<Payment>, StoreError> {
    let query = || {
        let mut q = payments::table
            .filter(payments::citizen_id.eq(citizen_id))
            .into_boxed();
        if let Some(s) = filter.status {
            q = q.filter(payments::status.eq(s.code()));
        }
        if let Some(k) = filter.kind {
            q = q.filter(payments::kind.eq(k.code()));
        }
        if let Some(from) = filter.from {
            q = q.filter(payments::pay_date.ge(from));
        }
        if let Some(to) = filter.to {
            q = q.filter(payments::pay_date.le(to));
        }
        q
    };
    paging::count_and_load(conn, page, query, |q| {
        q.order((payments::pay_date.desc(), payments::id.desc()))
            .select(Row::as_select())
    })?
    .try_map(payment)
}

/// Staff record an operation on a payment of a citizen of their centre: it is sent,
/// credited, cancelled or refunded.
pub fn operate(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    operation: Operation,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> Result<Payment, PaymentError> {
    db::write(conn, |conn| {
        let current = read(conn, id)?;
        if actor.role != Role::Staff
            || !crate::benefits::citizen_of_centre(conn, actor, &current.citizen_id)?
        {
            return Err(PaymentError::NotFound);
        }
        let to = current.status.apply(operation)?;
        let changed = diesel::update(
            payments::table
                .filter(payments::id.eq(id))
                .filter(payments::status.eq(current.status.code())),
        )
        .set((payments::status.eq(to.code()), payments::updated_at.eq(now)))
        .execute(conn)?;
        if changed != 1 {
            return Err(PaymentError::Concurrent);
        }
        add_operation(conn, id, operation, comment, Some(&actor.user_id), now)?;
        read(conn, id)
    })
}

/// A payment of the import file: the citizen named by SNILS or login.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: usize,
    pub citizen: String,
    pub payment: NewPayment,
}

/// Why an import stored nothing: the first row that failed, by its line.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: no citizen {citizen}")]
    UnknownCitizen { line: usize, citizen: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The citizen a SNILS names: the one who holds it verified, else the one account that
/// claims it (a number two accounts claim names nobody until one of them verifies it).
fn holder_of_snils(conn: &mut DbConnection, snils: &str) -> Result<Option<String>, StoreError> {
    let verified: Option<String> = citizens::table
        .filter(citizens::snils.eq(snils))
        .select(citizens::user_id)
        .first(conn)
        .optional()?;
    if verified.is_some() {
        return Ok(verified);
    }
    let mut claimants: Vec<String> = citizens::table
        .filter(citizens::snils_claim.eq(snils))
        .select(citizens::user_id)
        .limit(2)
        .load(conn)?;
    Ok(if claimants.len() == 1 {
        claimants.pop()
    } else {
        None
    })
}

/// Stores every row or none, in one transaction.
pub fn import(
    conn: &mut DbConnection,
    rows: Vec<ImportRow>,
    now: NaiveDateTime,
) -> Result<usize, ImportError> {
    db::write(conn, |conn| {
        let count = rows.len();
        for row in rows {
            let by_snils = holder_of_snils(conn, &row.citizen)?;
            let id = match by_snils {
                Some(id) => Some(id),
                None => users::table
                    .filter(users::login.eq(row.citizen.to_lowercase()))
                    .filter(users::role.eq(Role::Citizen.code()))
                    .select(users::id)
                    .first(conn)
                    .optional()
                    .map_err(StoreError::from)?,
            };
            let Some(citizen_id) = id else {
                return Err(ImportError::UnknownCitizen {
                    line: row.line,
                    citizen: row.citizen,
                });
            };
            let mut payment = row.payment;
            payment.citizen_id = citizen_id;
            insert(conn, &payment, None, now)?;
        }
        Ok(count)
    })
}
