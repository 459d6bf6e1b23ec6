//! Generations of what the server remembers between requests depends on. A remembered
//! value (a total, a rendered page) is filed under the generations of everything it
//! shows, read before computing it; every committed change moves the generations it
//! affects (the change feed applies each [`Change`], `feed.rs`). So nothing computed
//! before a change is served after it, and forgetting never searches a cache: the old
//! keys are simply never asked for again and age out.
//!
//! While the feed cannot promise to deliver every change (its PostgreSQL listener is
//! reconnecting), every generation read is a new one: nothing is served from memory
//! until the listener is back and has moved every generation.

use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use domain::appeal_scope::Scope;
use domain::change::Change;

/// The generations of this process, moved only by the change feed.
#[derive(Clone)]
pub struct Changes {
    generations: Arc<Generations>,
}

/// What a generation counts the changes of.
#[derive(Hash)]
enum Thing<'a> {
    /// The appeals of a centre or an organisation (their lists' totals).
    Scope(Scope<'a>),
    /// The vacancies of one region (`None`: of every region).
    Region(Option<&'a str>),
}

impl Changes {
    pub fn new() -> Self {
        Changes {
            generations: Arc::new(Generations::new()),
        }
    }

    /// Moved by every filing, move or removal of an appeal in `scope`.
    pub fn of_scope(&self, scope: Scope<'_>) -> u64 {
        self.generations.of(Thing::Scope(scope))
    }

    /// Moved by every publication, edit or closing of a vacancy in `region`; with
    /// `None`, in any region.
    pub fn of_region(&self, region: Option<&str>) -> u64 {
        self.generations.of(Thing::Region(region))
    }

    /// Moves the generations `change` affects.
    pub fn apply(&self, change: &Change) {
        let thing = match change {
            Change::Appeals(scope) => Thing::Scope(scope.as_scope()),
            Change::Vacancies(region) => {
                self.generations.bump(Thing::Region(None));
                Thing::Region(Some(region))
            }
            Change::Account(_)
            | Change::Organization(_)
            | Change::Session(_)
            | Change::Notifications(_) => return,
            Change::Everything => return self.generations.bump_all(),
        };
        self.generations.bump(thing);
    }

    /// Whether generations may be trusted: false while changes may go unheard.
    pub fn set_live(&self, live: bool) {
        self.generations.live.store(live, Ordering::SeqCst);
    }
}

impl Default for Changes {
    fn default() -> Self {
        Changes::new()
    }
}

/// Change counters of the things remembered values depend on. Things share counters
/// by hash: fixed memory, and a shared counter only costs a recount. A thing's
/// generation is its counter plus the counter of everything: both only grow, so the
/// sum moves whenever either does.
struct Generations {
    buckets: Box<[AtomicU64]>,
    all: AtomicU64,
    /// False while changes may go unheard: every read then moves `all`, so no key is
    /// ever asked for twice.
    live: AtomicBool,
    hasher: std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>,
}

/// Counters kept; a power of two.
const BUCKETS: usize = 4096;

impl Generations {
    fn new() -> Self {
        Generations {
            buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            all: AtomicU64::new(0),
            live: AtomicBool::new(true),
            hasher: Default::default(),
        }
    }

    fn bucket(&self, thing: impl Hash) -> &AtomicU64 {
        let hash = self.hasher.hash_one(thing);
        &self.buckets[hash as usize & (BUCKETS - 1)]
    }

    fn of(&self, thing: impl Hash) -> u64 {
        let all = if self.live.load(Ordering::SeqCst) {
            self.all.load(Ordering::SeqCst)
        } else {
            self.all.fetch_add(1, Ordering::SeqCst) + 1
        };
        self.bucket(thing).load(Ordering::SeqCst).wrapping_add(all)
    }

    fn bump(&self, thing: impl Hash) {
        self.bucket(thing).fetch_add(1, Ordering::SeqCst);
    }

    fn bump_all(&self) {
        self.all.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_moves_with_its_own_appeals_only() {
        let changes = Changes::new();
        let scopes = [
            Scope::Centre("c1"),
            Scope::Centre("c2"),
            Scope::Organization("o1"),
        ];
        let first = scopes.map(|s| changes.of_scope(s));
        assert_eq!(
            scopes.map(|s| changes.of_scope(s)),
            first,
            "nothing changed"
        );
        changes.apply(&Change::appeals(Scope::Centre("c1")).unwrap());
        let moved = scopes.map(|s| changes.of_scope(s));
        assert_ne!(moved[0], first[0]);
        assert_eq!(moved[1..], first[1..], "another centre, an organisation");
        for other in [
            Change::Account("ann".into()),
            Change::Organization("o1".into()),
            Change::Session("s1".into()),
            Change::Notifications("ann".into()),
            Change::Vacancies("77".into()),
        ] {
            changes.apply(&other);
        }
        assert_eq!(
            scopes.map(|s| changes.of_scope(s)),
            moved,
            "no appeal changed"
        );
    }

    #[test]
    fn everything_moves_every_generation_and_a_feed_that_is_down_never_repeats_one() {
        let changes = Changes::new();
        let scope = Scope::Centre("c1");
        let first = (changes.of_scope(scope), changes.of_region(Some("78")));
        changes.apply(&Change::Everything);
        let after = (changes.of_scope(scope), changes.of_region(Some("78")));
        assert_ne!(after.0, first.0);
        assert_ne!(after.1, first.1);

        changes.set_live(false);
        assert_ne!(changes.of_scope(scope), changes.of_scope(scope));
        changes.set_live(true);
        assert_eq!(changes.of_scope(scope), changes.of_scope(scope));
    }

    #[test]
    fn a_vacancy_moves_its_region_and_every_region_only() {
        let changes = Changes::new();
        let (here, there, any) = (Some("78"), Some("77"), None);
        let before = [here, there, any].map(|r| changes.of_region(r));
        changes.apply(&Change::Vacancies("78".into()));
        let after = [here, there, any].map(|r| changes.of_region(r));
        assert_ne!(after[0], before[0]);
        assert_eq!(after[1], before[1]);
        assert_ne!(after[2], before[2]);
    }
}
