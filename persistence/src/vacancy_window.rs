//! PostgreSQL: a page of a search by several words, read among the newest rows first.
//!
//! The planner multiplies the words' frequencies, as if they were independent, so
//! words that come together (a profession's «медицинская сестра») are expected far
//! rarer than they are: it then reads every match through the words' GIN index and
//! sorts them, where walking the publication numbers down would meet a page's worth
//! soon. A page in publication order (the date sort, either part of relevance) of a
//! search known to have many matches (no exact total, `crate::vacancy_totals`) is
//! therefore first looked for among the [`WINDOW`] newest rows that pass the search's
//! other filters, the words checked on each row only; when the window holds fewer
//! than the page, the planner's own plan reads it. The window's first row is found
//! before, so that the page's plan knows where the window starts. The planner's figure
//! was also the total such a search showed (a quarter of the truth for two words that
//! always come together); the share of the window's rows that hold the words, extended
//! to the rows that pass the other filters, tells it better ([`share`],
//! `crate::vacancy_totals`).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};
use domain::vacancy::VacancyFilter;
use domain::Coded;

use crate::schema::vacancies;
use crate::vacancies::{VacancyRow, PUBLISHED};
use crate::vacancy_full_text::{matches_text, tsquery, Part};
use crate::vacancy_search::{filtered, text_equals, After};

/// The row's `search_vector` matches the `tsquery` text `$query`, checked on the row:
/// `ts_match_vq` is `@@` as a function, which no index answers.
macro_rules! on_rows {
    ($query:expr) => {
        sql::<Bool>("ts_match_vq(vacancies.search_vector, to_tsquery('simple'::regconfig, ")
            .bind::<Text, _>($query.clone())
            .sql("))")
    };
}

/// How many of the newest rows that pass the search's other filters the words are
/// looked for in before the planner's plan is asked: a page of 10 is met there when
/// one row in 45 holds the words. A window that holds fewer is read in vain, so it is
/// kept small.
pub const WINDOW: i64 = 500;

/// Whether a page is looked for in the window first: on PostgreSQL, for several words
/// whose matches are not known to be few, read in publication order.
pub(crate) fn applies(filter: &VacancyFilter, in_index_order: bool, few: bool) -> bool {
    in_index_order && !few && filter.stems().len() >= 2
}

/// The first `limit` matches of `part` (after `after`) among the [`WINDOW`] newest rows
/// that pass the other filters, newest first; `None` when the window holds fewer and
/// older rows remain, so that the caller's plan must read the page.
pub(crate) fn page(
    c: &mut diesel::PgConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    part: Part,
    after: Option<&After>,
    limit: i64,
) -> QueryResult<Option<Vec<VacancyRow>>> {
    use vacancies::search_seq as seq;
    let oldest = window_start(c, filter, now, after)?;
    let stems = filter.stems();
    let mut q = filtered!(vacancies::table.into_boxed(), filter, now, false, words: false);
    if let Some(a) = after {
        q = q.filter(seq.lt(a.seq));
    }
    if let Some(oldest) = oldest {
        q = q.filter(seq.ge(oldest));
    }
    let all = tsquery(&stems, false);
    let title = tsquery(&stems, true);
    q = match part {
        Part::All => q.filter(on_rows!(all)),
        Part::Title => q.filter(on_rows!(title)),
        Part::BodyOnly => q
            .filter(on_rows!(all))
            .filter(diesel::dsl::not(on_rows!(title))),
    };
    let rows = q
        .order(seq.desc())
        .limit(limit)
        .select(VacancyRow::as_select())
        .load::<VacancyRow>(c)?;
    let settled = oldest.is_none() || i64::try_from(rows.len()).unwrap_or(0) >= limit;
    Ok(settled.then_some(rows))
}

/// How many of the window's rows hold the words (and tags: every match), and whether
/// the window is the whole search (fewer rows than [`WINDOW`] pass its other filters).
pub(crate) fn share(
    c: &mut diesel::PgConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> QueryResult<(i64, bool)> {
    let oldest = window_start(c, filter, now, None)?;
    let mut q = filtered!(vacancies::table.into_boxed(), filter, now, false, words: false);
    if let Some(oldest) = oldest {
        q = q.filter(vacancies::search_seq.ge(oldest));
    }
    let all = tsquery(&filter.stems(), false);
    let one = 1_i32.into_sql::<Integer>();
    let held = crate::counting::rows_of(q.filter(on_rows!(all)).select(one)).get_result(c)?;
    Ok((held, oldest.is_none()))
}

/// The publication number of the window's oldest row: the [`WINDOW`]th newest that
/// passes the search's filters but its words (after `after`); `None` when fewer do.
fn window_start(
    c: &mut diesel::PgConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
    after: Option<&After>,
) -> QueryResult<Option<i64>> {
    use vacancies::search_seq as seq;
    let mut rest = filtered!(vacancies::table.into_boxed(), filter, now, false, words: false);
    if let Some(a) = after {
        rest = rest.filter(seq.lt(a.seq));
    }
    rest.select(seq)
        .order(seq.desc())
        .offset(WINDOW - 1)
        .limit(1)
        .first(c)
        .optional()
}
