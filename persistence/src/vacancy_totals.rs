//! How many vacancies a search matches (issue 19).
//!
//! A total is exact up to [`EXACT_BOUND`] matches and estimated past it
//! (`total_is_estimate` in the API): counting every match of a broad search over a
//! national bank would cost in proportion to its matches, and nobody reads 50 pages to
//! check. The count stops at the bound; then
//! - PostgreSQL's planner estimates the rest from the table's statistics (`EXPLAIN`);
//!   when it expects more than [`PLANNED_PLENTY`] matches (or [`KNOWN_PLENTY`], when
//!   its statistics hold every term the search asks of the full-text index), nothing
//!   is counted;
//! - SQLite, which keeps no such statistics, reads the newest matches (among the
//!   [`WINDOW`] newest publications at most) and assumes the rest of the bank holds
//!   matches as densely as the publications it has read (publication numbers,
//!   `crate::vacancy_order`). With words, that is read first, along the full-text
//!   index, and past [`SAMPLED_PLENTY`] nothing is counted.
//! - SQLite, with words: the index holds the filter's values as tags too
//!   (`domain::vacancy_tags`). A search its words and tags say whole is counted in the
//!   index alone; otherwise the index's count bounds it from above: under the bound
//!   the matches among those entries are counted, past it the count is scaled by the
//!   share of the newest [`SHARE_SAMPLE`] entries that pass the rest of the filter.
//!
//! How the matches spread over the facets: `crate::vacancy_facets`.

use std::borrow::Cow;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};
use domain::vacancy::{EmploymentType, Schedule, VacancyFilter};
use domain::vacancy_tags;
use domain::Coded;

use crate::counting::rows_of;
use crate::prepared::kept;
use crate::schema::vacancies;
use crate::vacancies::PUBLISHED;
use crate::vacancy_entries::Asked;
use crate::vacancy_full_text::{along_index_query, matches_text, vacancy_fts, Part};
use crate::vacancy_search::{along_the_index, filtered, text_equals, tries_patterns};
use crate::{db, vacancy_statistics, DbConnection, StoreError};

/// Totals are exact up to this many matches and estimated past it.
pub const EXACT_BOUND: u64 = 1_000;

/// How many vacancies match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: u64,
    /// Past the exact bound: `count` is an estimate.
    pub estimate: bool,
}

impl Total {
    pub(crate) fn exact(count: usize) -> Total {
        Total {
            count: u64::try_from(count).unwrap_or(u64::MAX),
            estimate: false,
        }
    }
}

/// What the facets and the estimate read of a match: its facts as `domain`'s types, so
/// that counting a thousand of them compares small values rather than strings, and
/// reading them from index keys (`vacancy_facets`) allocates nothing per match.
#[derive(Debug)]
pub(crate) struct Match {
    pub(crate) seq: i64,
    /// Owned as its row holds it; borrowed from `domain`'s list of regions when it is
    /// a search's own (`vacancy_facets`: every match of a regional search's keys).
    pub(crate) region_code: Cow<'static, str>,
    pub(crate) employment_type: EmploymentType,
    pub(crate) schedule: Schedule,
    pub(crate) salary_sort: i64,
}

/// A [`Match`] as its row holds it.
#[derive(Queryable)]
struct MatchRow {
    seq: i64,
    region_code: String,
    employment_type: String,
    schedule: String,
    salary_sort: i64,
}

impl TryFrom<MatchRow> for Match {
    type Error = StoreError;
    fn try_from(r: MatchRow) -> Result<Match, StoreError> {
        Ok(Match {
            seq: r.seq,
            region_code: Cow::Owned(r.region_code),
            employment_type: r.employment_type.parse()?,
            schedule: r.schedule.parse()?,
            salary_sort: r.salary_sort,
        })
    }
}

/// A region's code, borrowed from `domain`'s list when it is there.
pub(crate) fn region_code(code: &str) -> Cow<'static, str> {
    match domain::reference::region(code) {
        Some(known) => Cow::Borrowed(known.code),
        None => Cow::Owned(code.to_owned()),
    }
}

pub(crate) fn bound(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// SQLite's estimate reads the matches among at most this many of the newest
/// publications: past it a search whose matches are rare would read on for long.
pub const WINDOW: i64 = 20_000;

/// Which matches [`matches`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Whichever the database finds first (words on SQLite: the newest).
    Any,
    /// The newest, among the publications numbered above this one only.
    NewestAbove(i64),
}

/// Up to `limit` matches, as `read` says.
pub(crate) fn matches(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    read: Read,
    limit: i64,
) -> Result<Vec<Match>, StoreError> {
    use vacancies::{employment_type, region_code, salary_sort, schedule, search_seq};
    let columns = (
        search_seq,
        region_code,
        employment_type,
        schedule,
        salary_sort,
    );
    let index_query = along_index_query(filter, Part::All);
    let found = db::planned_for_values(conn, tries_patterns(filter), |conn| {
        per_backend!(conn, |c, sqlite| {
            if let (true, Some(words)) = (sqlite, &index_query) {
                // Along the full-text index, newest first.
                let mut q = along_the_index!(filter, now, words.clone());
                if let Read::NewestAbove(seq) = read {
                    q = q.filter(vacancy_fts::rowid.gt(seq));
                }
                let q = q.order(vacancy_fts::rowid.desc()).limit(limit);
                return kept(q.select(columns)).load::<MatchRow>(c);
            }
            let mut q = filtered!(filter, now, sqlite);
            if let Read::NewestAbove(seq) = read {
                q = q.filter(search_seq.gt(seq)).order(search_seq.desc());
            }
            kept(q.limit(limit).select(columns)).load::<MatchRow>(c)
        })
    })?;
    found.into_iter().map(Match::try_from).collect()
}

/// How many match, counted up to `limit`, by the cheapest plan the database finds.
fn bounded(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    limit: i64,
) -> Result<i64, StoreError> {
    let index_query = along_index_query(filter, Part::All);
    let found = db::planned_for_values(conn, tries_patterns(filter), |conn| {
        per_backend!(conn, |c, sqlite| {
            // A bound value, not an SQL literal: Diesel keeps the statement prepared
            // only when its text has no literal.
            let one = 1_i32.into_sql::<Integer>();
            if let (true, Some(words)) = (sqlite, &index_query) {
                // Along the full-text index: a row is looked up only for an entry that
                // holds the words and the tags.
                let q = along_the_index!(filter, now, words.clone());
                return kept(rows_of(q.select(one).limit(limit))).get_result(c);
            }
            kept(rows_of(
                filtered!(filter, now, sqlite).select(one).limit(limit),
            ))
            .get_result(c)
        })
    })?;
    Ok(found)
}

/// How many published vacancies match: exact up to [`EXACT_BOUND`], estimated past it.
pub fn count(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<Total, StoreError> {
    count_with(conn, filter, now, Known::Nothing)
}

/// What the caller knows of a search's matches before [`count_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Nothing,
    /// More than [`EXACT_BOUND`] were read (the facets' read): counting to the bound
    /// would only find the bound, so the estimate is taken without it.
    PastTheBound,
}

/// [`count`], told what the caller knows already.
pub(crate) fn count_with(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    known: Known,
) -> Result<Total, StoreError> {
    let limit = bound(EXACT_BOUND) + 1;
    let to_the_bound = |conn: &mut DbConnection| match known {
        Known::PastTheBound => Ok(limit),
        Known::Nothing => bounded(conn, filter, now, limit),
    };
    if matches!(conn, DbConnection::Sqlite(_)) {
        match in_the_index_alone(conn, filter, now)? {
            InTheIndex::Counted(total) => return Ok(total),
            InTheIndex::Few { otherwise } => {
                let found = to_the_bound(conn)?;
                if found < limit {
                    return Ok(Total::exact(usize::try_from(found).unwrap_or(0)));
                }
                return Ok(Total {
                    count: otherwise.max(EXACT_BOUND + 1),
                    estimate: true,
                });
            }
            InTheIndex::Unknown => {}
        }
    }
    // What the statistics (PostgreSQL) or the newest matches of the words and tags
    // (SQLite, along the full-text index) let expect, before counting.
    let (expected, plenty) = match conn {
        DbConnection::Postgresql(_) => {
            let expected = planned(conn, filter, now, true)?;
            // Between the two: the statistics are asked only when they would spare a count.
            let known = (KNOWN_PLENTY + 1..=PLANNED_PLENTY).contains(&expected)
                && terms_in_statistics(conn, filter)?;
            let plenty = if known { KNOWN_PLENTY } else { PLANNED_PLENTY };
            let expected = match expected {
                e if e <= plenty && filter.stems().len() >= 2 => {
                    match in_the_window(conn, filter, now)? {
                        InTheWindow::All(total) => return Ok(total),
                        InTheWindow::Dense(dense) if dense > KNOWN_PLENTY => {
                            return Ok(Total {
                                count: dense,
                                estimate: true,
                            })
                        }
                        InTheWindow::Dense(dense) => e.max(dense),
                    }
                }
                e => e,
            };
            (Some(expected), plenty)
        }
        DbConnection::Sqlite(_) if along_index_query(filter, Part::All).is_some() => (
            Some(dense_in_the_window(conn, filter, now)?),
            SAMPLED_PLENTY,
        ),
        DbConnection::Sqlite(_) => (None, SAMPLED_PLENTY),
    };
    if let Some(expected) = expected.filter(|e| *e > plenty) {
        // Far past the bound: counting to it would only confirm the estimate (a page
        // that shows fewer matches corrects the total, see the API).
        return Ok(Total {
            count: expected,
            estimate: true,
        });
    }
    let found = to_the_bound(conn)?;
    if found < limit {
        return Ok(Total::exact(usize::try_from(found).unwrap_or(0)));
    }
    let estimate = match expected {
        Some(expected) => expected,
        None => dense_in_the_window(conn, filter, now)?,
    };
    Ok(Total {
        count: estimate.max(EXACT_BOUND + 1),
        estimate: true,
    })
}

/// SQLite's estimate: how densely the newest publications (the [`WINDOW`] newest at
/// most) match, extended to the bank.
fn dense_in_the_window(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<u64, StoreError> {
    let limit = bound(EXACT_BOUND) + 1;
    let Some(newest) = newest_published(conn)? else {
        return Ok(0);
    };
    let above = newest - WINDOW;
    let found = matches(conn, filter, now, Read::NewestAbove(above), limit)?;
    let seen = u64::try_from(found.len()).unwrap_or(0);
    let from = match found.last() {
        Some(last) if found.len() >= usize::try_from(limit).unwrap_or(usize::MAX) => last.seq,
        _ => above + 1,
    };
    dense_as_the_newest(conn, filter, now, (seen, from, newest))
}

/// Past this many matches planned by PostgreSQL the estimate is taken without
/// counting. Well above the bound: for a word its statistics do not hold, the planner
/// guesses a few thousand (about 5 000 at a million vacancies), and such a word most
/// often matches nothing.
pub const PLANNED_PLENTY: u64 = 10 * EXACT_BOUND;

/// Past this many matches planned by PostgreSQL for a search whose terms its statistics
/// hold (or a search without words), the estimate is taken without counting: the
/// planner then works from counted frequencies, not a guess.
pub const KNOWN_PLENTY: u64 = 2 * EXACT_BOUND;

/// PostgreSQL: whether the planner's estimate of the search's full-text terms rests on
/// counted frequencies: every word (in one of its forms) and every tag is among the
/// most common lexemes `ANALYZE` keeps for `search_vector`. A search without words asks
/// no such term (its filters' columns have their own statistics); one with benefits
/// asks patterns the planner guesses at.
fn terms_in_statistics(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
) -> Result<bool, StoreError> {
    if !filter.benefits.is_empty() {
        return Ok(false);
    }
    let stems = filter.stems();
    if stems.is_empty() {
        return Ok(true);
    }
    let DbConnection::Postgresql(c) = conn else {
        unreachable!("PostgreSQL only")
    };
    let tags = vacancy_tags::of_filter(filter).tags;
    let mut terms = vacancy_statistics::forms_of(&stems);
    terms.extend(tags.into_iter().map(|t| vec![t]));
    Ok(vacancy_statistics::all_known(
        c,
        vacancy_statistics::Column::Everything,
        &terms,
    )?)
}

/// Past this many matches estimated from the newest ones (SQLite, with words) the
/// estimate is taken without counting.
pub const SAMPLED_PLENTY: u64 = 2 * EXACT_BOUND;

/// How many matches PostgreSQL's planner expects (`EXPLAIN`, no rows read); without
/// `words`, how many rows pass the search's other filters.
fn planned(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    words: bool,
) -> Result<u64, StoreError> {
    db::planned_for_values(conn, tries_patterns(filter), |conn| {
        let DbConnection::Postgresql(c) = conn else {
            unreachable!("PostgreSQL only")
        };
        crate::counting::planned_rows(
            c,
            filtered!(vacancies::table.into_boxed(), filter, now, false, words: words, planned: true)
                .select(1_i32.into_sql::<Integer>()),
        )
    })
}

/// What the newest rows tell of a PostgreSQL search by several words.
enum InTheWindow {
    /// The window held every row that passes the other filters: the exact total.
    All(Total),
    /// The share of the window's rows that match, extended to the rows that pass the
    /// other filters (the planner's figure for those, from column statistics).
    Dense(u64),
}

/// PostgreSQL: the planner multiplies the frequencies of a search's words, so words
/// that come together are expected far rarer than they are (`crate::vacancy_window`);
/// the share of the newest rows that hold them tells better, reading a few hundred.
fn in_the_window(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<InTheWindow, StoreError> {
    let DbConnection::Postgresql(c) = conn else {
        unreachable!("PostgreSQL only")
    };
    let (held, whole) =
        db::planned_for_newest(c, |c| crate::vacancy_window::share(c, filter, now))?;
    let held = u64::try_from(held).unwrap_or(0);
    if whole {
        return Ok(InTheWindow::All(Total::exact(
            usize::try_from(held).unwrap_or(usize::MAX),
        )));
    }
    let rows = planned(conn, filter, now, false)?;
    let window = u64::try_from(crate::vacancy_window::WINDOW).unwrap_or(1);
    let dense = u128::from(held) * u128::from(rows) / u128::from(window);
    Ok(InTheWindow::Dense(u64::try_from(dense).unwrap_or(u64::MAX)))
}

/// What SQLite's full-text index tells of a search's total by itself.
enum InTheIndex {
    /// The total: counted in the index when its words and tags say the whole filter,
    /// else estimated from the share of the newest entries that pass the rest.
    Counted(Total),
    /// Maybe at most [`EXACT_BOUND`] match: count them, reading only the entries
    /// that hold the words and tags; past the bound, the total is `otherwise`.
    Few { otherwise: u64 },
    /// Nothing the total can be told from.
    Unknown,
}

/// How many of the newest entries that hold the words and tags are read for the
/// share of them that pass the rest of the filter.
pub const SHARE_SAMPLE: i64 = 200;

/// SQLite: what the full-text index (it holds the published vacancies only) says of
/// a search's total, reading few rows or none.
fn in_the_index_alone(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<InTheIndex, StoreError> {
    let Some(query) = along_index_query(filter, Part::All) else {
        return Ok(InTheIndex::Unknown);
    };
    let asked = Asked::of(filter, query);
    if asked.whole(filter) {
        return Ok(InTheIndex::Counted(in_the_index(
            conn,
            filter,
            now,
            &asked,
            EXACT_BOUND,
        )?));
    }
    // A period's matches are the newest: the share of the newest says nothing of the
    // rest (the estimate of `dense_in_the_window` knows where the period starts).
    if filter.published_within.is_some() || filter.updated_since.is_some() {
        return Ok(InTheIndex::Unknown);
    }
    let at_most = in_the_index(conn, filter, now, &asked, EXACT_BOUND)?;
    if !at_most.estimate {
        return Ok(InTheIndex::Few {
            otherwise: at_most.count,
        });
    }
    let passed = passing_among_newest(conn, filter, now, &asked)?;
    let passed = u64::try_from(passed).unwrap_or(0);
    let sample = u64::try_from(SHARE_SAMPLE).unwrap_or(1);
    let count = u128::from(at_most.count) * u128::from(passed) / u128::from(sample);
    let count = u64::try_from(count).unwrap_or(u64::MAX);
    if count <= EXACT_BOUND {
        // Maybe few after all: they must be counted.
        return Ok(InTheIndex::Few { otherwise: count });
    }
    Ok(InTheIndex::Counted(Total {
        count,
        estimate: true,
    }))
}

/// SQLite: how many of the [`SHARE_SAMPLE`] newest entries of the full-text query
/// `asked` pass the rest of the filter, in one statement: the entries are read in the
/// index, then each is checked in `vacancies_published_facts` (or its row, for a
/// filter that index does not hold).
fn passing_among_newest(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    asked: &Asked,
) -> Result<i64, StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("SQLite only")
    };
    let one = 1_i32.into_sql::<Integer>();
    let passing = filtered!(vacancies::table.into_boxed(), filter, now, true, words: false)
        .filter(asked.among_newest(SHARE_SAMPLE))
        .select(one);
    Ok(kept(rows_of(passing)).get_result(c)?)
}

/// SQLite: the entries of the full-text query `asked` counted exactly up to `limit`,
/// and past it estimated from how densely the newest hold them.
fn in_the_index(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    asked: &Asked,
    limit: u64,
) -> Result<Total, StoreError> {
    // One pass along the index, newest first: the count up to the bound, and where
    // the entries read end (the oldest of them) for the estimate past it.
    let (read, oldest) = asked.count_newest(conn, bound(limit) + 1)?;
    let last = match oldest {
        Some(last) if read > bound(limit) => last,
        _ => return Ok(Total::exact(usize::try_from(read).unwrap_or(0))),
    };
    let newest = newest_published(conn)?.unwrap_or(last);
    Ok(Total {
        count: dense_as_the_newest(conn, filter, now, (limit + 1, last, newest))?,
        estimate: true,
    })
}

/// The highest publication number of a published vacancy (SQLite), if any is.
pub(crate) fn newest_published(conn: &mut DbConnection) -> Result<Option<i64>, StoreError> {
    use vacancies::{search_seq, status};
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("SQLite only")
    };
    Ok(vacancies::table
        .filter(status.eq(PUBLISHED))
        .select(search_seq)
        .order(search_seq.desc())
        .first(c)
        .optional()?)
}

/// SQLite's estimate: `seen` matches were found among the publications numbered from
/// `from` to `newest` (the highest published, [`newest_published`]); the others the
/// search may show hold matches as densely.
pub(crate) fn dense_as_the_newest(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    (seen, from, newest): (u64, i64, i64),
) -> Result<u64, StoreError> {
    use vacancies::{published_at, search_seq, status};
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("SQLite only")
    };
    // The oldest the search may show: the whole bank, or the period asked for.
    let oldest: Option<i64> = match filter.published_within {
        Some(p) => vacancies::table
            .filter(status.eq(PUBLISHED))
            .filter(published_at.gt(now - TimeDelta::hours(p.hours())))
            .select(search_seq)
            .order(published_at.asc())
            .first(c)
            .optional()?,
        None => vacancies::table
            .filter(status.eq(PUBLISHED))
            .select(search_seq)
            .order(search_seq.asc())
            .first(c)
            .optional()?,
    };
    let Some(oldest) = oldest else {
        return Ok(seen);
    };
    let read = (newest - from + 1).max(1);
    let all = (newest - oldest.min(from) + 1).max(read);
    // seen × all / read, in whole vacancies.
    let estimate =
        u128::from(seen) * u128::try_from(all).unwrap_or(0) / u128::try_from(read).unwrap_or(1);
    Ok(u64::try_from(estimate).unwrap_or(u64::MAX).max(seen))
}
