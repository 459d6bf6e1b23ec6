//! Remembered totals of lists, so that a page costs its page and not a count of
//! every match.
//!
//! Counting every match of a broad search over the vacancy bank, or every appeal of a
//! centre in one status, visits every match; the page itself costs far less, because
//! the index walk stops at the page's end. Lists are read far more often than what
//! they count changes.
//!
//! - [`SearchTotals`]: the public vacancy search. The same few searches make up most of
//!   the traffic. A vacancy published, edited or closed (through any process: the
//!   change feed) starts a new generation of its region's totals.
//! - [`AppealTotals`]: appeal lists. A total is kept until an appeal in its scope
//!   changes (the change feed moves the scope's generation), so it is exact for this
//!   process's writes once each write has been answered, and for other processes'
//!   once the feed has brought them.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::appeal_scope::Scope;
use domain::vacancy::VacancyFilter;
use moka::future::Cache;
use persistence::appeals::AppealFilter;

use crate::changes::Changes;

use crate::problem::ApiError;

/// Distinct filters remembered at once; the least used go first.
const CAPACITY: u64 = 10_000;

pub struct SearchTotals {
    /// Each total with when it was counted. None when remembering is off (a lifetime
    /// of 0).
    cache: Option<Cache<String, (u64, Instant)>>,
    /// Per region, and for searches of every region (`None`): moved by each
    /// publication there ([`Changes::of_region`]). Keys carry them, so a count started
    /// before a publication is filed under the old generation and never served after
    /// it, while other regions' searches stay remembered.
    changes: Changes,
}

impl SearchTotals {
    pub fn new(ttl: Duration, changes: Changes) -> Self {
        SearchTotals {
            cache: (!ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(ttl)
                    .build()
            }),
            changes,
        }
    }

    /// The filter as a key: two filters that match the same vacancies share it, until
    /// a vacancy is published where they look. Also the stem of the search's page keys.
    pub fn key(&self, filter: &VacancyFilter) -> String {
        let mut normal = filter.clone();
        // Texts with the same stems find the same vacancies.
        let stems = filter.stems();
        normal.text = (!stems.is_empty()).then(|| stems.join(" "));
        normal.benefits.sort_unstable();
        normal.benefits.dedup();
        let generation = self.changes.of_region(filter.region.as_deref());
        // Its `Debug` text: total, and two filters print alike only when they are equal
        // (strings print quoted and escaped), as appeal lists' keys do.
        format!("{generation}:{normal:?}")
    }

    /// The remembered total, or the one `count` finds. Requests that miss together
    /// wait for a single count instead of each running their own.
    pub async fn get_or_count(
        &self,
        key: String,
        count: impl Future<Output = Result<u64, ApiError>>,
    ) -> Result<Counted, ApiError> {
        // Dated from when the count began: it shows the bank as it was then.
        let counted = async {
            let at = Instant::now();
            Ok((count.await?, at))
        };
        let Some(cache) = &self.cache else {
            let (total, at) = counted.await?;
            return Ok(Counted {
                total,
                fresh: true,
                at,
            });
        };
        let entry = cache
            .entry(key)
            .or_try_insert_with(counted)
            .await
            .map_err(unshared)?;
        let fresh = entry.is_fresh();
        let (total, at) = entry.into_value();
        Ok(Counted { total, fresh, at })
    }
}

/// The error of a computation several waiting requests shared (moka hands each an
/// `Arc` of it), as one request's own.
pub(crate) fn unshared(e: Arc<ApiError>) -> ApiError {
    Arc::unwrap_or_clone(e)
}

/// A search's total, and whether it was counted just now rather than remembered: a
/// fresh total is as current as the page, so a page past it is known to be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub total: u64,
    pub fresh: bool,
    /// When it was counted: what is built on it is no fresher.
    pub at: Instant,
}

/// Totals of the appeal lists many readers share (a centre's, an organisation's), by
/// scope and filter, filed under the scope's generation ([`Changes::of_scope`]): a
/// change to an appeal through this process retires them at once. A citizen's own
/// list is counted every time: it holds a handful of appeals, and its one reader
/// rarely asks twice within the lifetime (measured in bench/RESULTS.md, «The
/// headline»: remembering per reader cost more than it saved). Each remembered total
/// is also dropped after `ttl`, a bound on memory rather than on staleness: the change
/// feed retires a total as soon as any process changes its scope.
#[derive(Clone)]
pub struct AppealTotals {
    /// `None` when turned off (`ttl` of zero): every list counts.
    totals: Option<moka::sync::Cache<TotalKey, u64>>,
    changes: Changes,
}

/// A scope, its generation and a filter.
type TotalKey = (String, u64, AppealFilter);

impl AppealTotals {
    pub fn new(ttl: Duration, changes: Changes) -> Self {
        AppealTotals {
            totals: (!ttl.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(ttl)
                    .build()
            }),
            changes,
        }
    }

    /// The remembered total of `scope`'s appeals matching `filter`, if there is one.
    pub fn get(&self, scope: Scope<'_>, filter: &AppealFilter) -> Option<u64> {
        self.remembered(scope)?.get(&self.key(scope, filter))
    }

    /// The remembered total, or the one `count` finds, remembered when the scope is
    /// shared.
    pub fn get_or_count<E>(
        &self,
        scope: Scope<'_>,
        filter: &AppealFilter,
        count: impl FnOnce() -> Result<u64, E>,
    ) -> Result<u64, E> {
        let Some(totals) = self.remembered(scope) else {
            return count();
        };
        // The key, and so the generation, is taken before counting.
        let key = self.key(scope, filter);
        if let Some(total) = totals.get(&key) {
            return Ok(total);
        }
        let total = count()?;
        totals.insert(key, total);
        Ok(total)
    }

    /// Where `scope`'s totals are kept: nowhere for one reader's own list.
    fn remembered(&self, scope: Scope<'_>) -> Option<&moka::sync::Cache<TotalKey, u64>> {
        match scope {
            Scope::Centre(_) | Scope::Organization(_) => self.totals.as_ref(),
            Scope::Applicant(_) | Scope::Nothing => None,
        }
    }

    fn key(&self, scope: Scope<'_>, filter: &AppealFilter) -> TotalKey {
        (
            scope.to_string(),
            self.changes.of_scope(scope),
            filter.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use domain::vacancy::Benefit;
    use persistence::appeals::Appeal;

    use domain::change::Change;

    use super::*;

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
        let totals = SearchTotals::new(Duration::from_secs(60), Changes::new());
        assert_eq!(totals.key(&a), totals.key(&b));
        let c = VacancyFilter {
            region: Some("77".into()),
            ..b.clone()
        };
        assert_ne!(totals.key(&b), totals.key(&c));
        let before = totals.key(&b);
        totals.changes.apply(&Change::Vacancies("78".into()));
        assert_ne!(
            totals.key(&b),
            before,
            "searches of every region are retired"
        );
    }

    #[test]
    fn a_publication_retires_its_own_region_and_the_searches_of_every_region() {
        let totals = SearchTotals::new(Duration::from_secs(60), Changes::new());
        let in_region = |code: &str| VacancyFilter {
            region: Some(code.into()),
            ..VacancyFilter::default()
        };
        let everywhere = VacancyFilter::default();
        let keys = |t: &SearchTotals| {
            [
                t.key(&in_region("77")),
                t.key(&in_region("78")),
                t.key(&everywhere),
            ]
        };
        let before = keys(&totals);
        totals.changes.apply(&Change::Vacancies("78".into()));
        let after = keys(&totals);
        assert_eq!(after[0], before[0], "Moscow's searches stay remembered");
        assert_ne!(after[1], before[1]);
        assert_ne!(after[2], before[2]);
    }

    fn counter() -> (AtomicU32, impl Fn(&AtomicU32) -> Result<u64, ()>) {
        (AtomicU32::new(0), |n: &AtomicU32| {
            Ok(u64::from(n.fetch_add(1, Ordering::SeqCst)) + 1)
        })
    }

    #[test]
    fn an_appeal_total_is_kept_until_its_scope_changes() {
        let changes = Changes::new();
        let totals = AppealTotals::new(Duration::from_secs(60), changes.clone());
        let (n, count) = counter();
        let centre = Scope::Centre("c1");
        let filter = AppealFilter::default();
        assert_eq!(totals.get_or_count(centre, &filter, || count(&n)), Ok(1));
        assert_eq!(totals.get_or_count(centre, &filter, || count(&n)), Ok(1));
        assert_eq!(totals.get(centre, &filter), Some(1));

        let other_filter = AppealFilter {
            work_list: true,
            ..AppealFilter::default()
        };
        assert_eq!(totals.get(centre, &other_filter), None);
        assert_eq!(totals.get(Scope::Centre("c2"), &filter), None);

        changes.apply(&Change::appeals(centre).unwrap());
        assert_eq!(totals.get(centre, &filter), None);
        assert_eq!(totals.get_or_count(centre, &filter, || count(&n)), Ok(2));
    }

    #[test]
    fn a_change_forgets_every_scope_of_the_appeal() {
        let changes = Changes::new();
        let totals = AppealTotals::new(Duration::from_secs(60), changes.clone());
        let filter = AppealFilter::default();
        let appeal = Appeal {
            id: "a".into(),
            number: "0001".into(),
            appeal_type: domain::appeal_type::AppealType::GeneralInquiry,
            channel: domain::appeal::Channel::Portal,
            applicant_id: "u1".into(),
            applicant_name: String::new(),
            organization_id: Some("o1".into()),
            centre_id: "c1".into(),
            centre_code: String::new(),
            centre_name: String::new(),
            status: domain::appeal::AppealStatus::Registered,
            subject: String::new(),
            body: String::new(),
            deadline: chrono::NaiveDate::MIN,
            created_at: chrono::NaiveDateTime::MIN,
            updated_at: chrono::NaiveDateTime::MIN,
            staff_deleted_at: None,
            unread: false,
        };
        let scopes = [Scope::Organization("o1"), Scope::Centre("c1")];
        for scope in scopes {
            let _ = totals.get_or_count(scope, &filter, || Ok::<_, ()>(7));
            assert_eq!(totals.get(scope, &filter), Some(7), "{scope}");
        }
        appeal
            .scopes()
            .filter_map(Change::appeals)
            .for_each(|c| changes.apply(&c));
        for scope in scopes {
            assert_eq!(totals.get(scope, &filter), None, "{scope}");
        }
    }

    #[test]
    fn a_count_overtaken_by_a_change_is_not_served_after_it() {
        let changes = Changes::new();
        let totals = AppealTotals::new(Duration::from_secs(60), changes.clone());
        let scope = Scope::Organization("o1");
        let filter = AppealFilter::default();
        // The change commits while the count is under way.
        let stale = totals.get_or_count(scope, &filter, || {
            changes.apply(&Change::appeals(scope).unwrap());
            Ok::<_, ()>(1)
        });
        assert_eq!(stale, Ok(1));
        assert_eq!(totals.get(scope, &filter), None);
    }

    #[test]
    fn turned_off_every_list_counts_and_failures_are_not_kept() {
        let changes = Changes::new();
        let off = AppealTotals::new(Duration::ZERO, changes.clone());
        let (n, count) = counter();
        let filter = AppealFilter::default();
        let scope = Scope::Centre("c1");
        assert_eq!(off.get_or_count(scope, &filter, || count(&n)), Ok(1));
        assert_eq!(off.get_or_count(scope, &filter, || count(&n)), Ok(2));
        assert_eq!(off.get(scope, &filter), None);

        let on = AppealTotals::new(Duration::from_secs(60), changes.clone());
        assert_eq!(
            on.get_or_count(scope, &filter, || Err::<u64, _>(())),
            Err(())
        );
        assert_eq!(on.get(scope, &filter), None);
    }

    #[test]
    fn a_readers_own_list_is_counted_every_time() {
        let totals = AppealTotals::new(Duration::from_secs(60), Changes::new());
        let (n, count) = counter();
        let filter = AppealFilter::default();
        for (scope, expected) in [(Scope::Applicant("u1"), 2), (Scope::Nothing, 4)] {
            let _ = totals.get_or_count(scope, &filter, || count(&n));
            assert_eq!(
                totals.get_or_count(scope, &filter, || count(&n)),
                Ok(expected)
            );
            assert_eq!(totals.get(scope, &filter), None);
        }
    }

    #[actix_web::test]
    async fn a_total_is_counted_once_and_failures_are_not_remembered() {
        let totals = SearchTotals::new(Duration::from_secs(60), Changes::new());
        let counted = AtomicU32::new(0);
        let count = || async {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(42)
        };
        let first = totals.get_or_count("k".into(), count()).await.unwrap();
        assert_eq!((first.total, first.fresh), (42, true));
        let again = totals.get_or_count("k".into(), count()).await.unwrap();
        assert_eq!((again.total, again.fresh), (42, false));
        assert_eq!(again.at, first.at, "the remembered total keeps its age");
        assert_eq!(counted.load(Ordering::SeqCst), 1);

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            totals.get_or_count("other".into(), down).await,
            Err(ApiError::Unavailable(_))
        ));
        assert_eq!(
            totals
                .get_or_count("other".into(), count())
                .await
                .unwrap()
                .total,
            42
        );
        assert_eq!(counted.load(Ordering::SeqCst), 2);
    }
}
