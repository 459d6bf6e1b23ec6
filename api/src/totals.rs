//! Recently counted totals of the public vacancy search.
//!
//! Counting every match of a broad search over a bank of 100 000 vacancies costs tens of
//! milliseconds, the page itself a fraction of one: the index walk stops at the page's
//! end. The same few searches (a region, a profession) make up most of the traffic, so
//! each filter's total is kept for a short while and only the page is read. A total may
//! lag a new publication by at most [`TTL`]; the page never does.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use domain::vacancy::VacancyFilter;
use moka::future::Cache;

use crate::problem::ApiError;

/// How long a counted total is reused.
pub const TTL: Duration = Duration::from_secs(15);

/// Distinct filters remembered at once; the least used go first.
const CAPACITY: u64 = 10_000;

pub struct SearchTotals {
    cache: Cache<String, u64>,
}

impl Default for SearchTotals {
    fn default() -> Self {
        SearchTotals {
            cache: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl SearchTotals {
    /// The filter as a key: two filters that match the same vacancies share it.
    pub fn key(filter: &VacancyFilter) -> String {
        let mut normal = filter.clone();
        normal.text = filter.needle();
        normal.benefits.sort_unstable();
        normal.benefits.dedup();
        serde_json::to_string(&normal).unwrap_or_default()
    }

    /// The remembered total, or the one `count` finds. Requests that miss together
    /// wait for a single count instead of each running their own.
    pub async fn get_or_count(
        &self,
        key: String,
        count: impl Future<Output = Result<u64, ApiError>>,
    ) -> Result<u64, ApiError> {
        self.cache
            .try_get_with(key, count)
            .await
            .map_err(|e: Arc<ApiError>| match &*e {
                ApiError::Unavailable(why) => ApiError::Unavailable(why.clone()),
                other => ApiError::Internal(other.to_string()),
            })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use domain::vacancy::Benefit;

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
        assert_eq!(SearchTotals::key(&a), SearchTotals::key(&b));
        let c = VacancyFilter {
            region: Some("77".into()),
            ..b.clone()
        };
        assert_ne!(SearchTotals::key(&b), SearchTotals::key(&c));
    }

    #[actix_web::test]
    async fn a_total_is_counted_once_and_failures_are_not_remembered() {
        let totals = SearchTotals::default();
        let counted = AtomicU32::new(0);
        let count = || async {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(42)
        };
        assert_eq!(totals.get_or_count("k".into(), count()).await.unwrap(), 42);
        assert_eq!(totals.get_or_count("k".into(), count()).await.unwrap(), 42);
        assert_eq!(counted.load(Ordering::SeqCst), 1);

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            totals.get_or_count("other".into(), down).await,
            Err(ApiError::Unavailable(_))
        ));
        assert_eq!(
            totals.get_or_count("other".into(), count()).await.unwrap(),
            42
        );
        assert_eq!(counted.load(Ordering::SeqCst), 2);
    }
}
