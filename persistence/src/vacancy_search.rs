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
//! so that SQLite reads only the rows that hold them all.
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
use domain::Coded;
use domain::{vacancy_search, vacancy_tags};

use crate::schema::vacancies;
use crate::vacancies::{Vacancy, VacancyRow, PUBLISHED};
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

/// The FTS5 query: every stem in any of its forms, quoted, in the title or the
/// description (never among the tags), or only in the title.
pub(crate) fn fts5_query(stems: &[String], title_only: bool) -> String {
    let all = stems
        .iter()
        .map(|s| term(s, |f| format!("\"{}\"", f.replace('"', "\"\"")), " OR "))
        .collect::<Vec<_>>()
        .join(" AND ");
    if title_only {
        format!("search_text : ({all})")
    } else {
        format!("{{search_text search_body}} : ({all})")
    }
}

/// The FTS5 query of a search's tags (`domain::vacancy_tags`), in their column.
fn fts5_tags(tags: &[String]) -> Option<String> {
    let all = tags
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ");
    (!tags.is_empty()).then(|| format!("search_tags : ({all})"))
}

/// What SQLite's full-text index is asked for a part of a search: its words (as the
/// part reads them) and its tags; none when the search has neither.
fn fts5_index(stems: &[String], tags: &[String], part: Part) -> Option<String> {
    let words = (!stems.is_empty()).then(|| fts5_part(stems, part));
    match (words, fts5_tags(tags)) {
        (Some(words), Some(tags)) => Some(format!("({words}) AND {tags}")),
        (words, tags) => words.or(tags),
    }
}

/// The `tsquery` text: every stem in any of its forms, quoted, among the title's and
/// the description's words (weights A and B: never a tag, weight D), or with
/// `title_only` among the title's only (weight A).
pub(crate) fn tsquery(stems: &[String], title_only: bool) -> String {
    let weight = if title_only { ":A" } else { ":AB" };
    stems
        .iter()
        .map(|s| term(s, |f| format!("'{}'{weight}", f.replace('\'', "''")), " | "))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// What a database's full-text index is asked for a search's words (at least one)
/// and tags: the FTS5 query on SQLite, the `tsquery` text on PostgreSQL, whose
/// `search_vector` holds the tags as weight-D lexemes (any weight asked: a word of a
/// text that looks like a tag is ruled out by the row's own filter).
pub(crate) fn words_and_tags(stems: &[String], tags: &[String], sqlite: bool) -> String {
    if sqlite {
        return fts5_index(stems, tags, Part::All).unwrap_or_default();
    }
    let words = tsquery(stems, false);
    let tags = tags
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "''")))
        .collect::<Vec<_>>();
    match tags.as_slice() {
        [] => words,
        _ => format!("{words} & {}", tags.join(" & ")),
    }
}

/// A stem as one term of a query: each of its forms quoted by `quote`, two of them
/// bracketed and joined by `or`.
fn term(stem: &str, quote: impl Fn(&str) -> String, or: &str) -> String {
    let forms: Vec<String> = vacancy_search::forms(stem)
        .iter()
        .map(|f| quote(f))
        .collect();
    match forms.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", forms.join(or)),
    }
}

/// What SQLite's full-text index is asked for a part of a search read along it: its
/// words and tags. A search without words is not: a list of tags is long (a region's
/// vacancies, a sixth of the bank for an employment type), and intersecting them cost
/// more than walking the tables' indexes.
pub(crate) fn along_index_query(filter: &VacancyFilter, part: Part) -> Option<String> {
    let stems = filter.stems();
    if stems.is_empty() {
        return None;
    }
    fts5_index(&stems, &vacancy_tags::of_filter(filter).tags, part)
}

/// The FTS5 query of a part of the relevance sort: every stem anywhere, only in the
/// title, or anywhere but not all in the title.
fn fts5_part(stems: &[String], part: Part) -> String {
    match part {
        Part::All => fts5_query(stems, false),
        Part::Title => fts5_query(stems, true),
        Part::BodyOnly => format!(
            "({}) NOT {}",
            fts5_query(stems, false),
            fts5_query(stems, true)
        ),
    }
}

diesel::table! {
    /// SQLite's FTS5 index of the published vacancies' stems, its rowids their
    /// publication numbers (migration 2026-12-21-000001).
    vacancy_fts (rowid) {
        rowid -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(vacancy_fts, vacancies);

/// The vacancy holds every stem, anywhere, and every tag (a `sql` literal with its
/// bound query; a macro so that each backend's boxed query takes it).
macro_rules! matches_text {
    ($stems:expr, $tags:expr, $sqlite:expr) => {{
        let query = $crate::vacancy_search::words_and_tags($stems, $tags, $sqlite);
        if $sqlite {
            sql::<Bool>(
                "vacancies.search_seq IN (SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ",
            )
            .bind::<Text, _>(query)
            .sql(")")
        } else {
            sql::<Bool>("vacancies.search_vector @@ to_tsquery('simple'::regconfig, ")
                .bind::<Text, _>(query)
                .sql(")")
        }
    }};
}

/// The vacancy's title (and profession name) holds every stem.
macro_rules! matches_title {
    ($stems:expr, $sqlite:expr) => {
        if $sqlite {
            sql::<Bool>(
                "vacancies.search_seq IN (SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ",
            )
            .bind::<Text, _>(fts5_query($stems, true))
            .sql(")")
        } else {
            // The title's own column and index (migration 2026-12-26-000001), whose
            // statistics know how often a word is in a title.
            sql::<Bool>("vacancies.title_vector @@ to_tsquery('simple'::regconfig, ")
                .bind::<Text, _>(tsquery($stems, true))
                .sql(")")
        }
    };
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
        // salary band as tags, so the rows its index finds have them already. Asked of
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
        if with_words {
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

pub(crate) use {along_the_index, filtered, matches_text, text_equals};

/// Whether the search's plan depends on its values (the words, the benefits' patterns),
/// so that PostgreSQL plans it for them (`db::planned_for_values`).
pub fn tries_patterns(filter: &VacancyFilter) -> bool {
    !filter.stems().is_empty() || !filter.benefits.is_empty()
}

/// Which matches a query of the relevance sort reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Every match (any sort but relevance; relevance by `OFFSET`).
    All,
    /// Those whose title holds every word.
    Title,
    /// The others.
    BodyOnly,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_is_quoted_term_by_term() {
        let stems = vec!["повар".to_owned(), "a\"b".to_owned()];
        assert_eq!(
            fts5_query(&stems, false),
            "{search_text search_body} : (\"повар\" AND \"a\"\"b\")"
        );
        assert_eq!(
            fts5_query(&stems, true),
            "search_text : (\"повар\" AND \"a\"\"b\")"
        );
        let stems = vec!["повар".to_owned(), "o'k".to_owned()];
        assert_eq!(tsquery(&stems, false), "'повар':AB & 'o''k':AB");
        let tags = vec!["reg77".to_owned()];
        assert_eq!(
            words_and_tags(&stems, &tags, false),
            "'повар':AB & 'o''k':AB & 'reg77'"
        );
        assert_eq!(tsquery(&stems, true), "'повар':A & 'o''k':A");
    }

    #[test]
    fn words_and_tags_are_asked_of_their_own_columns() {
        let stems = vec!["повар".to_owned()];
        let tags = vec!["reg77".to_owned(), "sal40000".to_owned()];
        assert_eq!(
            fts5_index(&stems, &tags, Part::Title).as_deref(),
            Some("(search_text : (\"повар\")) AND search_tags : (\"reg77\" AND \"sal40000\")")
        );
        assert_eq!(
            fts5_index(&[], &tags, Part::All).as_deref(),
            Some("search_tags : (\"reg77\" AND \"sal40000\")")
        );
        assert_eq!(
            fts5_index(&stems, &[], Part::All).as_deref(),
            Some("{search_text search_body} : (\"повар\")")
        );
        assert_eq!(fts5_index(&[], &[], Part::All), None);
    }

    #[test]
    fn a_stem_with_two_forms_is_either() {
        let stems = vec!["продавц".to_owned(), "повар".to_owned()];
        assert_eq!(
            fts5_query(&stems, true),
            "search_text : ((\"продавц\" OR \"продавец\") AND \"повар\")"
        );
        assert_eq!(
            tsquery(&stems, true),
            "('продавц':A | 'продавец':A) & 'повар':A"
        );
    }
}
