//! Appeals (SPEC §2), one file per kind of use case: [`reading`] (lists, one appeal,
//! its history, read marks), [`filing`] (numbering and filing), [`moves`] (the status
//! machine and the staff work list); [`record`] holds the appeal itself and what they
//! share, and [`bench_seed`] fills a benchmark database.

pub mod bench_seed;
mod filing;
mod moves;
mod reading;
mod record;

pub use filing::file;
pub(crate) use filing::{insert, Filing};
pub use moves::{remove_from_work_list, transition};
pub use reading::{count, get, history, list, mark_opened, page_is_short};
pub use record::{Appeal, AppealError, AppealFilter, HistoryEntry, HistoryRow, NewAppeal};
