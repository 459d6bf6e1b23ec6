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

use domain::actor::Actor;
use domain::appeal_scope::{self, Scope};
use domain::change::Change;

/// The generations of this process, moved only by the change feed.
#[derive(Clone)]
pub struct Changes {
    generations: Arc<Generations>,
}

/// What a generation counts the changes of.
#[derive(Hash)]
enum Thing<'a> {
    /// The appeals one reader or another may see.
    Scope(Scope<'a>),
    /// One reader's read marks (their unread flags).
    Reader(&'a str),
    /// One account's own data.
    Account(&'a str),
    /// One organisation's data.
    Organization(&'a str),
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
            Change::ReadMarks(user) => Thing::Reader(user),
            Change::Account(user) => Thing::Account(user),
            Change::Organization(organization) => Thing::Organization(organization),
            Change::Vacancies(region) => {
                self.generations.bump(Thing::Region(None));
                Thing::Region(Some(region))
            }
            Change::Session(_) | Change::Notifications(_) => return,
            Change::Everything => return self.generations.bump_all(),
        };
        self.generations.bump(thing);
    }

    /// Whether generations may be trusted: false while changes may go unheard.
    pub fn set_live(&self, live: bool) {
        self.generations.live.store(live, Ordering::SeqCst);
    }

    /// The stem of the keys of the pages `actor` is shown of appeals (a list's page, an
    /// opened appeal), taken before they are read. Such a page depends on the appeals
    /// of the actor's scope, on the actor's read marks and on who is looking (the
    /// unread flags and the wording are per reader): the stem names the reader and
    /// carries the generations of both. The names beside each appeal (centre,
    /// applicant) are never changed once written.
    pub fn reader_stem(&self, actor: &Actor) -> String {
        let scope = appeal_scope::scope(actor);
        format!(
            "{}|{}|{}|{}",
            self.who(actor),
            scope,
            self.of_scope(scope),
            self.generations.of(Thing::Reader(&actor.user_id)),
        )
    }

    /// The stem of the key of `actor`'s profile (`GET /me`). The profile shows the
    /// account, its centre and citizen record (never changed once written) and its
    /// organisation with the admin flag: the stem names the reader and carries the
    /// generation of the account (the organisation's is in every stem).
    pub fn profile_stem(&self, actor: &Actor) -> String {
        format!(
            "{}|{}",
            self.who(actor),
            self.generations.of(Thing::Account(&actor.user_id)),
        )
    }

    /// Who is reading, as every stem starts: the account, the session, the role, the
    /// organisation with the admin flag, and the organisation's generation. An edit of
    /// the organisation or an admin action on one of its members' cabinets moves it
    /// (the admin flag, and so the scope, may have moved), so a page rendered for the
    /// actor as it became is never filed under the stem of the actor as it was.
    fn who(&self, actor: &Actor) -> String {
        let organization = actor.organization_id.as_deref().unwrap_or_default();
        format!(
            "{}|{}|{:?}|{}|{}|{}",
            actor.user_id,
            actor.session_id,
            actor.role,
            organization,
            actor.is_admin,
            self.generations.of(Thing::Organization(organization)),
        )
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
    use domain::role::Role;

    use super::*;

    fn actor(user: &str, session: &str, role: Role, centre: Option<&str>) -> Actor {
        Actor {
            user_id: user.into(),
            session_id: session.into(),
            role,
            centre_id: centre.map(Into::into),
            organization_id: None,
            is_admin: false,
            auth_method: "password".into(),
            session_expires_at: chrono::NaiveDateTime::MAX,
        }
    }

    #[test]
    fn a_reader_stem_moves_with_the_scope_and_the_readers_own_marks_only() {
        let changes = Changes::new();
        let ann = actor("ann", "s1", Role::Staff, Some("c1"));
        let bob = actor("bob", "s2", Role::Staff, Some("c1"));
        let eve = actor("eve", "s3", Role::Staff, Some("c2"));
        let stems = || [&ann, &bob, &eve].map(|a| changes.reader_stem(a));

        let first = stems();
        assert_eq!(stems(), first, "nothing changed");
        assert_ne!(first[0], first[1], "each reader has their own pages");
        let ann_elsewhere = actor("ann", "s9", Role::Staff, Some("c1"));
        assert_ne!(changes.reader_stem(&ann_elsewhere), first[0]);

        changes.apply(&Change::ReadMarks("ann".into()));
        let opened = stems();
        assert_ne!(opened[0], first[0], "Ann's unread flags changed");
        assert_eq!(opened[1..], first[1..], "nobody else's did");

        changes.apply(&Change::appeals(Scope::Centre("c1")).unwrap());
        let moved = stems();
        assert_ne!(moved[0], opened[0]);
        assert_ne!(moved[1], opened[1]);
        assert_eq!(moved[2], opened[2], "another centre's pages stay");

        changes.apply(&Change::Account("ann".into()));
        changes.apply(&Change::Organization("o1".into()));
        assert_eq!(stems(), moved, "an e-mail, another organisation");

        let member = Actor {
            organization_id: Some("o1".into()),
            ..actor("max", "s4", Role::Employer, None)
        };
        let before = changes.reader_stem(&member);
        changes.apply(&Change::Organization("o1".into()));
        assert_ne!(changes.reader_stem(&member), before, "an admin action");
    }

    #[test]
    fn a_profile_stem_moves_with_the_account_its_organisation_and_the_admin_flag() {
        let changes = Changes::new();
        let member = |user: &str, admin: bool| Actor {
            organization_id: Some("o1".into()),
            is_admin: admin,
            ..actor(user, "s", Role::Employer, None)
        };
        let (ann, bob) = (member("ann", true), member("bob", false));
        let first = [changes.profile_stem(&ann), changes.profile_stem(&bob)];
        assert_ne!(first[0], first[1]);
        assert_ne!(changes.profile_stem(&member("ann", false)), first[0]);

        changes.apply(&Change::Account("ann".into()));
        let ann_changed = [changes.profile_stem(&ann), changes.profile_stem(&bob)];
        assert_ne!(ann_changed[0], first[0]);
        assert_eq!(ann_changed[1], first[1], "Bob's account did not change");

        changes.apply(&Change::Organization("o2".into()));
        assert_eq!(
            [changes.profile_stem(&ann), changes.profile_stem(&bob)],
            ann_changed,
            "another organisation"
        );
        changes.apply(&Change::Organization("o1".into()));
        let renamed = [changes.profile_stem(&ann), changes.profile_stem(&bob)];
        assert_ne!(renamed[0], ann_changed[0]);
        assert_ne!(renamed[1], ann_changed[1]);

        changes.apply(&Change::ReadMarks("ann".into()));
        changes.apply(&Change::appeals(Scope::Organization("o1")).unwrap());
        assert_eq!(
            [changes.profile_stem(&ann), changes.profile_stem(&bob)],
            renamed,
            "appeals and read marks are not in the profile"
        );
    }

    #[test]
    fn everything_moves_every_stem_and_a_feed_that_is_down_never_repeats_one() {
        let changes = Changes::new();
        let ann = actor("ann", "s1", Role::Staff, Some("c1"));
        let first = (changes.reader_stem(&ann), changes.profile_stem(&ann));
        let region = changes.of_region(Some("78"));
        changes.apply(&Change::Session("s1".into()));
        changes.apply(&Change::Notifications("ann".into()));
        assert_eq!(
            (changes.reader_stem(&ann), changes.profile_stem(&ann)),
            first
        );
        changes.apply(&Change::Vacancies("77".into()));
        assert_eq!(changes.of_region(Some("78")), region, "another region");
        changes.apply(&Change::Everything);
        let after = (changes.reader_stem(&ann), changes.profile_stem(&ann));
        assert_ne!(after.0, first.0);
        assert_ne!(after.1, first.1);
        assert_ne!(changes.of_region(Some("78")), region);

        changes.set_live(false);
        assert_ne!(changes.reader_stem(&ann), changes.reader_stem(&ann));
        changes.set_live(true);
        assert_eq!(changes.reader_stem(&ann), changes.reader_stem(&ann));
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
