//! `portal payments import FILE.csv`: payments from a file (SPEC §7 «Payments enter
//! through staff and a bulk import»). The file has a header line and the columns of
//! `domain::payment::IMPORT_COLUMNS`; every line is read into domain values first, and
//! the rows are stored in one transaction — all of them, or none, with the failing
//! line named.

use domain::payment::ImportLine;
use persistence::payments::{self, ImportError, ImportRow, NewPayment};
use persistence::Database;

use crate::state::now;

/// Reads and stores the file; the count of payments stored, or why none were.
pub fn payments_csv(db: &Database, path: &std::path::Path) -> Result<usize, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("line {line}: {e}")
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let fields: Vec<&str> = record.iter().collect();
        let parsed = ImportLine::parse(&fields).map_err(|e| format!("line {line}: {e}"))?;
        rows.push(ImportRow {
            line,
            citizen: parsed.citizen,
            payment: NewPayment {
                citizen_id: String::new(),
                application_id: None,
                kind: parsed.kind,
                amount: parsed.amount,
                period_from: parsed.period_from,
                period_to: parsed.period_to,
                pay_date: parsed.pay_date,
                status: parsed.status,
                comment: parsed.comment,
            },
        });
    }
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    payments::import(&mut conn, rows, now()).map_err(|e| match e {
        ImportError::UnknownCitizen { line, citizen } => {
            format!("line {line}: no citizen with SNILS or login «{citizen}»")
        }
        ImportError::Store(e) => e.to_string(),
    })
}
