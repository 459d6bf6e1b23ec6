//! A vacancy search's facets (issue 19): how its matches spread over regions,
//! employment types, schedules and salary bands, as hh.ru's clusters show them. All the
//! matches up to the exact bound are counted, else the first [`EXACT_BOUND`] + 1 the
//! database finds, scaled to the total (`crate::vacancy_totals`). A search that asks for
//! facets reads those first and takes its total from them where they tell it
//! ([`count_reading_facets`]).

use chrono::NaiveDateTime;
use domain::vacancy::VacancyFilter;
use domain::vacancy_search::SalaryBand;
use domain::Coded;

use crate::vacancy_entries::Asked;
use crate::vacancy_full_text::{along_index_query, Part};
use crate::vacancy_totals::{
    bound, count_with, dense_as_the_newest, matches, newest_published, region_code, Known, Match,
    Read, Total, EXACT_BOUND,
};
use crate::{DbConnection, StoreError};

/// What the search can count matches by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Region,
    EmploymentType,
    Schedule,
    SalaryBand,
}

/// The values of one facet (codes) and how many matches have each, most first.
pub type FacetCounts = Vec<(String, u64)>;

/// The matches a search's facets are counted from ([`facets`]), when counting the
/// search read them already ([`count_reading_facets`]).
#[derive(Debug)]
pub struct FacetSample(Vec<Match>);

/// `vacancy_totals::count`, for a search that asks for facets, reading first the
/// matches the facets are counted from (the first [`EXACT_BOUND`] + 1 the database
/// finds), and handing them on so that [`facets`] does not read them again. Fewer than
/// that are every match: the exact total, no count needed. Past it, on SQLite, for a
/// search its full-text index says whole (`vacancy_entries::Asked::whole`), the newest
/// entries of the index are its matches and those read give the estimate a count would
/// (the same entries, the same density); otherwise the count's estimate is taken without counting to the
/// bound again (`vacancy_totals::Known::PastTheBound`).
pub fn count_reading_facets(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    now: NaiveDateTime,
) -> Result<(Total, FacetSample), StoreError> {
    let asked = match conn {
        DbConnection::Sqlite(_) => {
            along_index_query(filter, Part::All).map(|query| Asked::of(filter, query))
        }
        DbConnection::Postgresql(_) => None,
    };
    let whole = asked.as_ref().is_some_and(|a| a.whole(filter));
    let limit = bound(EXACT_BOUND) + 1;
    let found = match asked.as_ref().filter(|a| whole && a.is_regional()) {
        Some(asked) => newest_by_region(conn, filter, asked, limit)?,
        None => matches(conn, filter, now, Read::Any, limit)?,
    };
    let last = match found.last() {
        Some(last) if found.len() > usize::try_from(EXACT_BOUND).unwrap_or(usize::MAX) => last.seq,
        _ => return Ok((Total::exact(found.len()), FacetSample(found))),
    };
    let total = if whole {
        let newest = newest_published(conn)?.unwrap_or(last);
        Total {
            count: dense_as_the_newest(conn, filter, now, (EXACT_BOUND + 1, last, newest))?,
            estimate: true,
        }
    } else {
        count_with(conn, filter, now, Known::PastTheBound)?
    };
    Ok((total, FacetSample(found)))
}

/// How many matches each value of each facet has (codes; values without matches are
/// left out), most first. `total` is the search's, as `vacancy_totals::count` gave it:
/// when it holds more matches than are read here, the counts are scaled from those read
/// to it.
pub fn facets(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    which: &[Facet],
    total: Total,
    now: NaiveDateTime,
) -> Result<Vec<(Facet, FacetCounts)>, StoreError> {
    let found = matches(conn, filter, now, Read::Any, bound(EXACT_BOUND) + 1)?;
    Ok(FacetSample(found).counts(which, total))
}

impl FacetSample {
    /// The counts of [`facets`], from these matches.
    pub fn counts(self, which: &[Facet], total: Total) -> Vec<(Facet, FacetCounts)> {
        let found = self.0;
        let read = u64::try_from(found.len()).unwrap_or(u64::MAX);
        let scale = |n: u64| -> u64 {
            if total.count > read && read > 0 {
                let scaled = u128::from(n) * u128::from(total.count) / u128::from(read);
                u64::try_from(scaled).unwrap_or(u64::MAX).max(1)
            } else {
                n
            }
        };
        which
            .iter()
            .map(|facet| {
                let counts = match facet {
                    Facet::Region => tally(&found, |m| m.region_code.as_ref()),
                    Facet::EmploymentType => coded(tally(&found, |m| m.employment_type)),
                    Facet::Schedule => coded(tally(&found, |m| m.schedule)),
                    Facet::SalaryBand => {
                        coded(tally(&found, |m| SalaryBand::of(Some(m.salary_sort))))
                    }
                };
                let mut counts: Vec<(String, u64)> = counts
                    .into_iter()
                    .map(|(c, n)| (c.to_owned(), scale(n)))
                    .collect();
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (*facet, counts)
            })
            .collect()
    }
}

/// How many of `found` have each value `key` gives, in the order first met: few
/// distinct values (a facet lists at most the regions), so a list searched in turn.
fn tally<'a, K: PartialEq>(found: &'a [Match], key: impl Fn(&'a Match) -> K) -> Vec<(K, u64)> {
    let mut counts: Vec<(K, u64)> = Vec::new();
    for m in found {
        let value = key(m);
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some(entry) => entry.1 += 1,
            None => counts.push((value, 1)),
        }
    }
    counts
}

/// [`tally`]'s counts by code.
fn coded<C: Coded>(counts: Vec<(C, u64)>) -> Vec<(&'static str, u64)> {
    counts.into_iter().map(|(v, n)| (v.code(), n)).collect()
}

/// SQLite: the `limit` newest matches of a search the index of words by region says
/// whole (`asked`), newest first, read in the index alone: its keys hold what the
/// facets count (the region is the search's; a salary figure past the keys' cap counts
/// in the top band all the same).
fn newest_by_region(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    asked: &Asked,
    limit: i64,
) -> Result<Vec<Match>, StoreError> {
    let region = region_code(filter.region.as_deref().unwrap_or_default());
    let found = asked.newest_facts(conn, limit)?;
    Ok(found
        .into_iter()
        .map(|f| Match {
            seq: f.seq,
            region_code: region.clone(),
            employment_type: f.employment_type,
            schedule: f.schedule,
            salary_sort: f.salary_top,
        })
        .collect())
}
