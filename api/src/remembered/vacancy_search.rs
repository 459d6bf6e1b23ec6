//! The public vacancy search's remembered totals and pages.
//!
//! Counting every match of a broad search over the vacancy bank visits every match; the
//! page itself costs far less, because the index walk stops at the page's end. And the
//! same few searches make up most of the traffic. So a search's total is remembered,
//! and so is each rendered page, until a vacancy is published, edited or closed where
//! the search looks (through any process: the change feed moves its region's
//! generation), or for the lifetime at most.

use std::future::Future;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use domain::vacancy::{VacancyFilter, VacancySort};
use moka::future::Cache;
use persistence::vacancy_facets::Facet;
use persistence::vacancy_totals::Total as Matches;

use super::pages::Pages;
use super::{unshared, Changes};
use crate::problem::ApiError;

/// Distinct filters whose totals are remembered at once; the least used go first.
const CAPACITY: u64 = 10_000;

/// What a search's total depends on: the vacancies of its region (of every region when
/// it names none), by their generation, and the filter, normalised so that two filters
/// that match the same vacancies are one key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TotalKey {
    generation: u64,
    filter: VacancyFilter,
}

/// What a rendered page depends on: its total, and which page of the search it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    total: TotalKey,
    sort: VacancySort,
    page: u32,
    per_page: u32,
    cursor: Option<String>,
    facets: Vec<Facet>,
}

/// A page of the search as asked for.
#[derive(Debug, Clone, Copy)]
pub struct SearchQuery<'a> {
    pub filter: &'a VacancyFilter,
    pub sort: VacancySort,
    pub page: u32,
    pub per_page: u32,
    pub cursor: Option<&'a str>,
    pub facets: &'a [Facet],
}

/// A page asked for, under the generations read when it was asked: what it is
/// remembered by ([`VacancySearches::asked`]).
pub struct Asked(PageKey);

/// The search's totals and pages, each kept at most `ttl`.
#[derive(Clone)]
pub struct VacancySearches {
    /// Each total with when it was counted. None when remembering is off (a lifetime
    /// of 0).
    totals: Option<Cache<TotalKey, (Matches, Instant)>>,
    pages: Pages<PageKey>,
    changes: Changes,
}

impl VacancySearches {
    pub fn new(ttl: Duration, changes: Changes) -> Self {
        VacancySearches {
            totals: (!ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(ttl)
                    .build()
            }),
            pages: Pages::new(ttl),
            changes,
        }
    }

    /// The page `query` asks for, as it will be remembered. The generations are read
    /// now, before anything is counted or read: what is computed after a change began
    /// is filed under the old generation and never served once the change is heard.
    pub fn asked(&self, query: SearchQuery<'_>) -> Asked {
        Asked(PageKey {
            total: self.total_key(query.filter),
            sort: query.sort,
            page: query.page,
            per_page: query.per_page,
            cursor: query.cursor.map(str::to_owned),
            facets: query.facets.to_vec(),
        })
    }

    /// The remembered page, or the one `render` makes (with the instant its oldest
    /// part, its total, was counted). `render` counts through the [`Total`] it is
    /// given, so that the total is remembered too.
    pub async fn page<F>(
        &self,
        asked: Asked,
        render: impl FnOnce(Total) -> F,
    ) -> Result<Bytes, ApiError>
    where
        F: Future<Output = Result<(Vec<u8>, Instant), ApiError>>,
    {
        let total = Total {
            key: asked.0.total.clone(),
            totals: self.totals.clone(),
        };
        self.pages.get_or_render(asked.0, render(total)).await
    }

    /// Two filters that match the same vacancies share a key, until a vacancy is
    /// published where they look.
    fn total_key(&self, filter: &VacancyFilter) -> TotalKey {
        let mut normal = filter.clone();
        // Texts with the same stems find the same vacancies.
        let stems = filter.stems();
        normal.text = (!stems.is_empty()).then(|| stems.join(" "));
        normal.benefits.sort_unstable();
        normal.benefits.dedup();
        TotalKey {
            generation: self.changes.of_region(filter.region.as_deref()),
            filter: normal,
        }
    }
}

/// A search's total, as remembered: count it with [`Total::get_or_count`].
pub struct Total {
    key: TotalKey,
    totals: Option<Cache<TotalKey, (Matches, Instant)>>,
}

impl Total {
    /// The remembered total, or the one `count` finds. Requests that miss together
    /// wait for a single count instead of each running their own.
    pub async fn get_or_count(
        self,
        count: impl Future<Output = Result<Matches, ApiError>>,
    ) -> Result<Counted, ApiError> {
        // Dated from when the count began: it shows the bank as it was then.
        let counted = async {
            let at = Instant::now();
            Ok((count.await?, at))
        };
        let Some(cache) = &self.totals else {
            let (total, at) = counted.await?;
            return Ok(Counted {
                total,
                fresh: true,
                at,
            });
        };
        let entry = cache
            .entry(self.key)
            .or_try_insert_with(counted)
            .await
            .map_err(unshared)?;
        let fresh = entry.is_fresh();
        let (total, at) = entry.into_value();
        Ok(Counted { total, fresh, at })
    }
}

/// A search's total, and whether it was counted just now rather than remembered: a
/// fresh total is as current as the page, so a page past it is known to be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub total: Matches,
    pub fresh: bool,
    /// When it was counted: what is built on it is no fresher.
    pub at: Instant,
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use domain::change::Change;
    use domain::vacancy::Benefit;

    use super::*;

    fn exact(count: u64) -> Matches {
        Matches {
            count,
            estimate: false,
        }
    }

    fn searches() -> VacancySearches {
        VacancySearches::new(Duration::from_secs(60), Changes::new())
    }

    #[test]
    fn equivalent_filters_share_a_key() {
        let a = VacancyFilter {
            text: Some("  Повар ".into()),
            benefits: vec![Benefit::Housing, Benefit::Meals, Benefit::Housing],
            ..VacancyFilter::default()
        };
        let b = VacancyFilter {
            text: Some("повар".into()),
            benefits: vec![Benefit::Meals, Benefit::Housing],
            ..VacancyFilter::default()
        };
        let searches = searches();
        assert_eq!(searches.total_key(&a), searches.total_key(&b));
        let c = VacancyFilter {
            region: Some("77".into()),
            ..b.clone()
        };
        assert_ne!(searches.total_key(&b), searches.total_key(&c));
        let before = searches.total_key(&b);
        searches.changes.apply(&Change::Vacancies("78".into()));
        assert_ne!(
            searches.total_key(&b),
            before,
            "searches of every region are retired"
        );
    }

    #[test]
    fn a_publication_retires_its_own_region_and_the_searches_of_every_region() {
        let searches = searches();
        let in_region = |code: &str| VacancyFilter {
            region: Some(code.into()),
            ..VacancyFilter::default()
        };
        let everywhere = VacancyFilter::default();
        let keys = |s: &VacancySearches| {
            [
                s.total_key(&in_region("77")),
                s.total_key(&in_region("78")),
                s.total_key(&everywhere),
            ]
        };
        let before = keys(&searches);
        searches.changes.apply(&Change::Vacancies("78".into()));
        let after = keys(&searches);
        assert_eq!(after[0], before[0], "Moscow's searches stay remembered");
        assert_ne!(after[1], before[1]);
        assert_ne!(after[2], before[2]);
    }

    fn asked<'a>(filter: &'a VacancyFilter, page: u32) -> SearchQuery<'a> {
        SearchQuery {
            filter,
            sort: VacancySort::Date,
            page,
            per_page: 20,
            cursor: None,
            facets: &[],
        }
    }

    #[actix_web::test]
    async fn a_page_and_its_total_are_kept_until_a_publication_in_its_region() {
        let searches = searches();
        let (counts, renders) = (AtomicU32::new(0), AtomicU32::new(0));
        let filter = VacancyFilter {
            region: Some("77".into()),
            ..VacancyFilter::default()
        };
        let get = |page: u32| {
            let (counts, renders) = (&counts, &renders);
            searches.page(
                searches.asked(asked(&filter, page)),
                move |total| async move {
                    let counted = total
                        .get_or_count(async {
                            counts.fetch_add(1, Ordering::SeqCst);
                            Ok(exact(42))
                        })
                        .await?;
                    let n = renders.fetch_add(1, Ordering::SeqCst);
                    Ok((
                        format!("{} #{n}", counted.total.count).into_bytes(),
                        counted.at,
                    ))
                },
            )
        };
        assert_eq!(get(1).await.unwrap(), "42 #0");
        assert_eq!(get(1).await.unwrap(), "42 #0", "the page is remembered");
        assert_eq!(
            get(2).await.unwrap(),
            "42 #1",
            "another page, the same total"
        );
        assert_eq!(counts.load(Ordering::SeqCst), 1);

        searches.changes.apply(&Change::Vacancies("78".into()));
        assert_eq!(
            get(1).await.unwrap(),
            "42 #0",
            "another region's publication"
        );
        searches.changes.apply(&Change::Vacancies("77".into()));
        assert_eq!(get(1).await.unwrap(), "42 #2");
        assert_eq!(counts.load(Ordering::SeqCst), 2);
    }

    #[actix_web::test]
    async fn a_total_is_counted_once_and_failures_are_not_remembered() {
        let searches = searches();
        let total = |text: &str| Total {
            key: searches.total_key(&VacancyFilter {
                text: Some(text.into()),
                ..VacancyFilter::default()
            }),
            totals: searches.totals.clone(),
        };
        let counted = AtomicU32::new(0);
        let count = || async {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(exact(42))
        };
        let first = total("повар").get_or_count(count()).await.unwrap();
        assert_eq!((first.total.count, first.fresh), (42, true));
        let again = total("повар").get_or_count(count()).await.unwrap();
        assert_eq!((again.total.count, again.fresh), (42, false));
        assert_eq!(again.at, first.at, "the remembered total keeps its age");
        assert_eq!(counted.load(Ordering::SeqCst), 1);

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            total("сварщик").get_or_count(down).await,
            Err(ApiError::Unavailable(_))
        ));
        let recounted = total("сварщик").get_or_count(count()).await.unwrap();
        assert_eq!(recounted.total.count, 42);
        assert_eq!(counted.load(Ordering::SeqCst), 2);
    }

    #[actix_web::test]
    async fn turned_off_every_page_is_rendered_and_every_total_counted() {
        let searches = VacancySearches::new(Duration::ZERO, Changes::new());
        let counts = AtomicU32::new(0);
        let filter = VacancyFilter::default();
        for expected in [1, 2] {
            let body = searches
                .page(searches.asked(asked(&filter, 1)), |total| async {
                    let counted = total
                        .get_or_count(async {
                            Ok(exact(u64::from(counts.fetch_add(1, Ordering::SeqCst))))
                        })
                        .await?;
                    Ok((counted.total.count.to_string().into_bytes(), counted.at))
                })
                .await
                .unwrap();
            assert_eq!(body, (expected - 1).to_string());
        }
        assert_eq!(counts.load(Ordering::SeqCst), 2);
    }
}
