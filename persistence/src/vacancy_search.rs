//! The vacancy search (SPEC §5, issue 19): every filter of `VacancyFilter` in SQL,
//! full-text search with Russian morphology, relevance, facets and keyset pages.
//!
//! Text: both databases index the stems the application wrote (`search_text` for the
//! title and profession name, `search_body` for the description, see
//! `domain::vacancy_search`). SQLite looks them up in the FTS5 table `vacancy_fts`,
//! PostgreSQL in the GIN index over their weighted, stored `tsvector` (`search_vector`:
//! title A, description B; a title-only test asks for weight A).
//! A query's words are stemmed alike and passed as a bound value, each stem quoted,
//! so no query text can change the search's syntax. SQLite's index holds the published
//! vacancies only (its triggers), so a search by words alone is counted in it.
//! Both indexes also hold a vacancy's filterable values as tags
//! (`domain::vacancy_tags`): a search with words asks for its words and tags at once,
//! so that SQLite reads only the rows that hold them all. Each engine also keeps every
//! word joined to the vacancy's region (`r77zповар`, `crate::vacancy_full_text`): a
//! region's matches of a word are one list there. SQLite asks it when the region is
//! the search's only tag; its keys also hold each entry's employment type, schedule
//! and salary (`crate::vacancy_entries`), so a search whose only other filter is a
//! salary floor is counted, faceted and paged there without reading rows. PostgreSQL
//! asks it for counts, pages and facets whenever a search has words and a region.
//!
//! Relevance: a vacancy whose title holds every word comes before one that holds
//! some only in its description; newest first within each. A first page and every
//! keyset page read the title matches, then the description-only ones, each newest
//! first, so that page costs what the date sort's does; an `OFFSET` page orders by
//! the title match in one query.
//!
//! "Newest first" is the publication number, descending (`crate::vacancy_order`). On
//! SQLite a page of words in that order is read from the full-text index itself, whose
//! rowids are those numbers: FTS5 hands out a word's entries from the newest down and
//! the page stops after its rows, however many vacancies hold the word.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Text};
use domain::vacancy::{VacancyFilter, VacancySort};
use domain::vacancy_search;
use domain::Coded;

use crate::schema::vacancies;
use crate::vacancies::{Vacancy, VacancyRow, PUBLISHED};
use crate::vacancy_entries::Asked;
use crate::vacancy_full_text::{
    along_index_query, fts5_query, matches_text, matches_title, vacancy_fts, Part,
};
use crate::{db, vacancy_statistics, DbConnection, StoreError};

/// Where in the sort a keyset page starts: the key of the last row of the page before.
#[derive(Debug, Clone, PartialEq)]
pub struct After {
    pub key: Key,
    /// The row's publication number (`vacancies.search_seq`).
    pub seq: i64,
}

/// The sort's own part of a key; every sort then goes newest first (by publication
/// number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    Date,
    Salary(i64),
    Rating(f64),
    /// Whether the row's title holds every word (the first part of the relevance sort).
    Relevance {
        title: bool,
    },
}

impl Key {
    /// The sort the key belongs to.
    pub fn sort(self) -> VacancySort {
        match self {
            Key::Date => VacancySort::Date,
            Key::Salary(_) => VacancySort::Salary,
            Key::Rating(_) => VacancySort::Rating,
            Key::Relevance { .. } => VacancySort::Relevance,
        }
    }
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// Skip this many matches (`page`).
    Offset(i64),
    /// After this row (`cursor`).
    After(After),
}

/// A page of matches and the key to start the next one at, if there are more.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub items: Vec<Vacancy>,
    pub next: Option<After>,
}

/// The sort a search runs with: relevance needs words to be relevant to.
pub fn effective_sort(filter: &VacancyFilter, sort: VacancySort) -> VacancySort {
    match sort {
        VacancySort::Relevance if filter.stems().is_empty() => VacancySort::Date,
        other => other,
    }
}

/// The vacancy comes after the row `(key, seq)` in the sort by `column` (newest first
/// within a value): the row comparison `(column, search_seq) < (key, seq)`, which a
/// B-tree over the two starts at (see `load`).
macro_rules! before_row {
    ($column:literal, $sql_type:ty, $key:expr, $seq:expr) => {
        sql::<Bool>(concat!(
            "(vacancies.",
            $column,
            ", vacancies.search_seq) < ("
        ))
        .bind::<$sql_type, _>($key)
        .sql(", ")
        .bind::<BigInt, _>($seq)
        .sql(")")
    };
}

/// `$q` filtered to `$column = $value`: asked of the column's index, or with `$on_rows`
/// written so that no index answers it (`|| ''`) and only checked on the rows found.
macro_rules! text_equals {
    ($q:expr, $column:expr, $value:expr, $on_rows:expr) => {
        if $on_rows {
            $q.filter($column.concat("").eq($value))
        } else {
            $q.filter($column.eq($value))
        }
    };
}

/// Published vacancies matching the filter, as a boxed query of whichever backend the
/// caller runs it on (a macro so that [`per_backend!`] can compile it for each). With
/// `words: false` the words are left to the caller (a query that reads the full-text
/// index itself). With `planned: true` the query is only planned, for its estimate
/// (`vacancy_totals`): on PostgreSQL the filters its words' tags hold are left out.
macro_rules! filtered {
    ($filter:expr, $now:expr, $sqlite:expr) => {
        filtered!(vacancies::table.into_boxed(), $filter, $now, $sqlite)
    };
    ($base:expr, $filter:expr, $now:expr, $sqlite:expr) => {
        filtered!($base, $filter, $now, $sqlite, words: true)
    };
    ($base:expr, $filter:expr, $now:expr, $sqlite:expr, words: $words:expr) => {
        filtered!($base, $filter, $now, $sqlite, words: $words, planned: false)
    };
    ($base:expr, $filter:expr, $now:expr, $sqlite:expr, words: $words:expr,
        planned: $planned:expr) => {{
        let (f, now): (&VacancyFilter, NaiveDateTime) = ($filter, $now);
        let mut q = $base.filter(vacancies::status.eq(PUBLISHED));
        let stems = f.stems();
        let with_words = $words && !stems.is_empty();
        // PostgreSQL, with words: the tsquery holds the region, category, profession and
        // salary band as tags, so the rows its index finds have them already (with a
        // region, the index of words by region is asked instead, below). Asked of
        // their own indexes as well, they made the planner intersect the words' few
        // thousand entries with, say, a region's 90 000; written so that no index
        // answers them (`|| ''`, `+ 0`), they are only checked on the rows found. The
        // planner's estimate of the tags is right, and each such filter would shrink it
        // again (by a guess, for `|| ''`): a plan for an estimate leaves them out.
        let on_rows = with_words && !$sqlite;
        let asked = !(on_rows && $planned);
        if let Some(region) = f.region.as_ref().filter(|_| asked) {
            q = text_equals!(q, vacancies::region_code, region, on_rows);
        }
        // PostgreSQL, with words and a region: the index of words by region holds the
        // region's matches of each word as one list; the other filters, tags or not,
        // are checked on the rows it finds. An estimate's plan keeps the words and
        // tags, whose statistics it was tuned with.
        let regional = if on_rows && !$planned {
            $crate::vacancy_full_text::regional_tsquery(f)
        } else {
            None
        };
        if let Some(query) = regional {
            q = q.filter($crate::vacancy_full_text::matches_regional!(query));
        } else if with_words {
            let tags = domain::vacancy_tags::of_filter(f).tags;
            q = q.filter(matches_text!(&stems, &tags, $sqlite));
        }
        if let Some(category) = f.category.as_ref().filter(|_| asked) {
            q = text_equals!(q, vacancies::category, category, on_rows);
        }
        if let Some(code) = f.profession_code.as_ref().filter(|_| asked) {
            q = text_equals!(q, vacancies::profession_code, code, on_rows);
        }
        if let Some(t) = f.employment_type {
            q = q.filter(vacancies::employment_type.eq(t.code()));
        }
        if let Some(s) = f.schedule {
            q = q.filter(vacancies::schedule.eq(s.code()));
        }
        if let Some(e) = f.experience {
            q = q.filter(vacancies::experience.eq(e.code()));
        }
        if let Some(min) = f.salary_from {
            // salary_sort is the top figure, 0 when there is none.
            q = q.filter(vacancies::salary_sort.ge(min.max(1)));
        }
        if let Some(max) = f.salary_to {
            q = q.filter(
                vacancies::salary_from.le(max).or(vacancies::salary_from
                    .is_null()
                    .and(vacancies::salary_to.le(max))),
            );
        }
        if let Some(band) = f.salary_band.filter(|_| asked) {
            let (lo, hi) = band.bounds();
            let unindexed = vacancies::salary_sort + 0_i64;
            q = if on_rows {
                q.filter(unindexed.ge(lo))
            } else {
                q.filter(vacancies::salary_sort.ge(lo))
            };
            if hi < i64::MAX {
                q = if on_rows {
                    q.filter(unindexed.lt(hi))
                } else {
                    q.filter(vacancies::salary_sort.lt(hi))
                };
            }
        }
        for b in &f.benefits {
            q = q.filter(vacancies::benefits.like(format!("%,{},%", b.code())));
        }
        if let Some(p) = f.published_within {
            q = q.filter(vacancies::published_at.gt(now - TimeDelta::hours(p.hours())));
        }
        if let Some(since) = f.updated_since {
            q = q.filter(vacancies::updated_at.gt(since));
        }
        q
    }};
}

/// SQLite only: published vacancies matching the filter, read along the full-text index
/// for the FTS5 query `words` (ordered by `vacancy_fts::rowid`, the publication number,
/// when the caller asks).
macro_rules! along_the_index {
    ($filter:expr, $now:expr, $words:expr) => {{
        let base = vacancy_fts::table
            .inner_join(vacancies::table.on(vacancies::search_seq.eq(vacancy_fts::rowid)))
            .into_boxed();
        filtered!(base, $filter, $now, true, words: false)
            .filter(sql::<Bool>("vacancy_fts MATCH ").bind::<Text, _>($words))
    }};
}

pub(crate) use {along_the_index, filtered, text_equals};

/// Whether the search's plan depends on its values (the words, the benefits' patterns),
/// so that PostgreSQL plans it for them (`db::planned_for_values`).
pub fn tries_patterns(filter: &VacancyFilter) -> bool {
    !filter.stems().is_empty() || !filter.benefits.is_empty()
}

/// One query of a page: the matches of `part`, after `after` in `sort`, from `offset`.
fn load(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    sort: VacancySort,
    part: Part,
    after: Option<&After>,
    (offset, limit, few): (i64, i64, bool),
) -> Result<Vec<VacancyRow>, StoreError> {
    use vacancies::{employer_rating as rating, salary_sort as salary, search_seq as seq};
    let stems = filter.stems();
    let in_index_order = matches!(
        (sort, part),
        (VacancySort::Date, Part::All) | (VacancySort::Relevance, Part::Title | Part::BodyOnly)
    );
    let index_query = along_index_query(filter, part).filter(|_| in_index_order);
    if let DbConnection::Postgresql(c) = conn {
        if offset == 0 && crate::vacancy_window::applies(filter, in_index_order, few) {
            let window = db::planned_for_newest(c, |c| {
                crate::vacancy_window::page(c, filter, now, part, after, limit)
            })?;
            if let Some(rows) = window {
                return Ok(rows);
            }
        }
    }
    // SQLite, a search the index of words by region says whole (its words in one
    // region, at most a salary floor): the page's entries are read there, its rows
    // only looked up.
    let regional = match conn {
        DbConnection::Sqlite(_) if index_query.is_some() => {
            Asked::regional(filter, part).filter(|a| a.whole(filter))
        }
        _ => None,
    };
    if let (DbConnection::Sqlite(c), Some(asked)) = (&mut *conn, regional) {
        let q = vacancies::table
            .filter(asked.newest_from(after.map(|a| a.seq), offset, limit))
            .order(seq.desc())
            .select(VacancyRow::as_select());
        return Ok(crate::prepared::kept(q).load::<VacancyRow>(c)?);
    }
    // PostgreSQL: title words its statistics do not hold are rare in titles, though the
    // planner guesses them at half a percent and walked the whole bank to meet them.
    let few = few
        || match conn {
            DbConnection::Postgresql(c) if part == Part::Title && !stems.is_empty() => {
                let terms = vacancy_statistics::forms_of(&stems);
                !vacancy_statistics::all_known(c, vacancy_statistics::Column::Title, &terms)?
            }
            _ => false,
        };
    let rows = db::planned_for_values(conn, tries_patterns(filter), |conn| {
        per_backend!(conn, |c, sqlite| {
            if let (true, Some(words)) = (sqlite, &index_query) {
                // Along the full-text index, newest first: the page stops after its rows.
                let mut q = along_the_index!(filter, now, words.clone());
                if let Some(a) = after {
                    q = q.filter(vacancy_fts::rowid.lt(a.seq));
                }
                let q = q
                    .order(vacancy_fts::rowid.desc())
                    .offset(offset)
                    .limit(limit)
                    .select(VacancyRow::as_select());
                return crate::prepared::kept(q).load::<VacancyRow>(c);
            }
            // A title match is a match: the words are not asked for twice, which made
            // PostgreSQL expect a far rarer match and sort every match of a common word.
            // Sorted by salary or rating on SQLite, with matches known to be many: the
            // sort's index is walked and each row asked of the full-text index, which
            // stops after the page, rather than every match of the words read first.
            let probe = sqlite
                && !few
                && !stems.is_empty()
                && part == Part::All
                && matches!(sort, VacancySort::Salary | VacancySort::Rating);
            let base = vacancies::table.into_boxed();
            let words = part != Part::Title && !probe;
            // SQLite: the index by region, type and schedule (migration
            // 2026-12-28-000001) holds a page's matches, not their order. Sorted by
            // rating, or by date with the type alone, every match would be sorted; the
            // type is then tested on the rows the sort's own index walks.
            let kind_on_rows = sqlite
                && filter.employment_type.is_some()
                && (sort == VacancySort::Rating
                    || (sort == VacancySort::Date && filter.schedule.is_none()));
            let without_kind;
            let asked = if kind_on_rows {
                without_kind = VacancyFilter {
                    employment_type: None,
                    ..filter.clone()
                };
                &without_kind
            } else {
                filter
            };
            let mut q = filtered!(base, asked, now, sqlite, words: words);
            if let Some(t) = filter.employment_type.filter(|_| kind_on_rows) {
                q = q.filter(vacancies::employment_type.concat("").eq(t.code()));
            }
            if probe {
                q = q.filter(
                    sql::<Bool>("EXISTS (SELECT 1 FROM vacancy_fts WHERE vacancy_fts MATCH ")
                        .bind::<Text, _>(fts5_query(&stems, false))
                        .sql(" AND vacancy_fts.rowid = vacancies.search_seq)"),
                );
            }
            match part {
                Part::All => {}
                Part::Title => q = q.filter(matches_title!(&stems, sqlite)),
                Part::BodyOnly => q = q.filter(diesel::dsl::not(matches_title!(&stems, sqlite))),
            }
            if let Some(a) = after {
                q = match a.key {
                    Key::Date | Key::Relevance { .. } => q.filter(seq.lt(a.seq)),
                    // The outer bound lets the sort's index start at the key rather
                    // than walk every row above it. The rest is a row comparison, which
                    // PostgreSQL's B-tree starts at too: written as `rating < r OR seq <
                    // s` it was checked row by row, and with eight ratings a deep page
                    // read through the rest of its rating's rows first.
                    Key::Salary(s) => {
                        q.filter(salary.le(s))
                            .filter(before_row!("salary_sort", BigInt, s, a.seq))
                    }
                    Key::Rating(r) => q.filter(rating.le(r)).filter(before_row!(
                        "employer_rating",
                        Double,
                        r,
                        a.seq
                    )),
                };
            }
            q = if few && !sqlite && !stems.is_empty() {
                // Known to be few: read them through the words' index and sort them.
                // Walking an index in the order shown, PostgreSQL expects to meet its
                // page soon, and for a rare word it reads the whole bank instead.
                let unindexed = seq + 0_i64;
                match (sort, part) {
                    (VacancySort::Salary, _) => {
                        q.order(((salary + 0_i64).desc(), unindexed.desc()))
                    }
                    (VacancySort::Rating, _) => {
                        q.order(((rating + 0.0_f64).desc(), unindexed.desc()))
                    }
                    (VacancySort::Relevance, Part::All) => {
                        q.order((matches_title!(&stems, sqlite).desc(), unindexed.desc()))
                    }
                    _ => q.order(unindexed.desc()),
                }
            } else {
                match (sort, part) {
                    (VacancySort::Salary, _) => q.order((salary.desc(), seq.desc())),
                    (VacancySort::Rating, _) => q.order((rating.desc(), seq.desc())),
                    (VacancySort::Relevance, Part::All) if !stems.is_empty() => {
                        q.order((matches_title!(&stems, sqlite).desc(), seq.desc()))
                    }
                    _ => q.order(seq.desc()),
                }
            };
            // PostgreSQL, by date or rating with region, type and schedule: walking the
            // sort's index or sorting the matches, each row the filter tests is read
            // from the table; the index by all three (migration 2026-12-28-000001)
            // holds the numbers and ratings, so the page's are picked there and only
            // its rows read.
            let numbers_first = !sqlite
                && stems.is_empty()
                && matches!(sort, VacancySort::Date | VacancySort::Rating)
                && filter.region.is_some()
                && filter.employment_type.is_some()
                && filter.schedule.is_some();
            if numbers_first {
                // The page's publication numbers from the index alone, then its rows.
                let numbers = q.offset(offset).limit(limit).select(seq);
                let rows = vacancies::table.filter(seq.eq_any(numbers)).into_boxed();
                let rows = match sort {
                    VacancySort::Rating => rows.order((rating.desc(), seq.desc())),
                    _ => rows.order(seq.desc()),
                };
                let q = rows.select(VacancyRow::as_select());
                return crate::prepared::kept(q).load::<VacancyRow>(c);
            }
            let q = q
                .offset(offset)
                .limit(limit)
                .select(VacancyRow::as_select());
            crate::prepared::kept(q).load::<VacancyRow>(c)
        })
    })?;
    Ok(rows)
}

/// One page of `limit` matches in `sort` (see [`effective_sort`]) from `start`, and
/// the key of its last row when more follow. `few`: the search is known to have few
/// matches (an exact total, `crate::vacancy_totals`).
#[allow(clippy::too_many_arguments)]
pub fn page(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    sort: VacancySort,
    start: &Start,
    limit: i64,
    now: NaiveDateTime,
    few: bool,
) -> Result<Found, StoreError> {
    let sort = effective_sort(filter, sort);
    let stems = filter.stems();
    let wanted = limit + 1;
    let (after, offset) = match start {
        Start::Offset(o) => (None, *o),
        Start::After(a) => (Some(a), 0),
    };
    let rows = match sort {
        VacancySort::Relevance if offset == 0 => {
            let in_title = after.is_none_or(|a| a.key == Key::Relevance { title: true });
            let mut rows = Vec::new();
            if in_title {
                rows = load(
                    conn,
                    filter,
                    now,
                    sort,
                    Part::Title,
                    after,
                    (0, wanted, few),
                )?;
            }
            let missing = wanted - i64::try_from(rows.len()).unwrap_or(wanted);
            if missing > 0 {
                let after = if in_title { None } else { after };
                rows.extend(load(
                    conn,
                    filter,
                    now,
                    sort,
                    Part::BodyOnly,
                    after,
                    (0, missing, few),
                )?);
            }
            rows
        }
        _ => load(
            conn,
            filter,
            now,
            sort,
            Part::All,
            after,
            (offset, wanted, few),
        )?,
    };
    let mut rows = rows;
    let more = i64::try_from(rows.len()).unwrap_or(0) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next = match rows.last() {
        Some(last) if more => Some(After {
            key: match sort {
                VacancySort::Date => Key::Date,
                VacancySort::Salary => Key::Salary(last.salary_sort),
                VacancySort::Rating => Key::Rating(last.employer_rating),
                VacancySort::Relevance => Key::Relevance {
                    title: vacancy_search::holds_all(&[&last.search_text], &stems),
                },
            },
            seq: last.search_seq,
        }),
        _ => None,
    };
    let items = rows
        .into_iter()
        .map(Vacancy::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Found { items, next })
}
