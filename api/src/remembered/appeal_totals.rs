//! Remembered totals of appeal lists, so that a page costs its page and not a count of
//! every match: counting every appeal of a centre in one status visits every one, while
//! the page's index walk stops at its end.

use std::time::Duration;

use domain::appeal_scope::Scope;
use domain::change::OwnedScope;
use persistence::appeals::AppealFilter;

use super::Changes;

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

/// What a total depends on: the appeals of its scope, by their generation, and the
/// filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TotalKey {
    scope: OwnedScope,
    generation: u64,
    filter: AppealFilter,
}

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
        self.remembered(scope)?.get(&self.key(scope, filter)?)
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
        let Some(key) = self.key(scope, filter) else {
            return count();
        };
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

    /// `None` for [`Scope::Nothing`], which holds no appeal to count.
    fn key(&self, scope: Scope<'_>, filter: &AppealFilter) -> Option<TotalKey> {
        Some(TotalKey {
            scope: OwnedScope::of(scope)?,
            generation: self.changes.of_scope(scope),
            filter: filter.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use persistence::appeals::Appeal;

    use domain::change::Change;

    use super::*;

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
}
