//! Generations of what the server remembers between requests depends on. A remembered
//! value (a total, a rendered page) is filed under the generations of everything it
//! shows, read before computing it; every committed change moves the generations it
//! affects (persistence tells [`Changes`] through its `Watch`). So nothing computed
//! before a change is served after it, and forgetting never searches a cache: the old
//! keys are simply never asked for again and age out.

use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use domain::actor::Actor;
use domain::appeal_scope::{self, Scope};
use persistence::watch::Watch;

/// The generations of this process. Handlers pass it, as the `Watch`, to every
/// persistence function that changes an appeal, a read mark, an account or an
/// organisation.
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

/// Persistence tells it of each change once its transaction has committed.
impl Watch for Changes {
    fn changed(&self, scope: Scope<'_>) {
        self.generations.bump(Thing::Scope(scope));
    }

    fn opened(&self, user_id: &str) {
        self.generations.bump(Thing::Reader(user_id));
    }

    fn account_changed(&self, user_id: &str) {
        self.generations.bump(Thing::Account(user_id));
    }

    fn organization_changed(&self, organization_id: &str) {
        self.generations.bump(Thing::Organization(organization_id));
    }
}

/// Change counters of the things remembered values depend on. Things share counters
/// by hash: fixed memory, and a shared counter only costs a recount.
pub(crate) struct Generations {
    buckets: Box<[AtomicU64]>,
    hasher: std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>,
}

/// Counters kept; a power of two.
const BUCKETS: usize = 4096;

impl Generations {
    pub(crate) fn new() -> Self {
        Generations {
            buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            hasher: Default::default(),
        }
    }

    fn bucket(&self, thing: impl Hash) -> &AtomicU64 {
        let hash = self.hasher.hash_one(thing);
        &self.buckets[hash as usize & (BUCKETS - 1)]
    }

    pub(crate) fn of(&self, thing: impl Hash) -> u64 {
        self.bucket(thing).load(Ordering::SeqCst)
    }

    pub(crate) fn bump(&self, thing: impl Hash) {
        self.bucket(thing).fetch_add(1, Ordering::SeqCst);
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

        changes.opened("ann");
        let opened = stems();
        assert_ne!(opened[0], first[0], "Ann's unread flags changed");
        assert_eq!(opened[1..], first[1..], "nobody else's did");

        changes.changed(Scope::Centre("c1"));
        let moved = stems();
        assert_ne!(moved[0], opened[0]);
        assert_ne!(moved[1], opened[1]);
        assert_eq!(moved[2], opened[2], "another centre's pages stay");

        changes.account_changed("ann");
        changes.organization_changed("o1");
        assert_eq!(stems(), moved, "an e-mail, another organisation");

        let member = Actor {
            organization_id: Some("o1".into()),
            ..actor("max", "s4", Role::Employer, None)
        };
        let before = changes.reader_stem(&member);
        changes.organization_changed("o1");
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

        changes.account_changed("ann");
        let ann_changed = [changes.profile_stem(&ann), changes.profile_stem(&bob)];
        assert_ne!(ann_changed[0], first[0]);
        assert_eq!(ann_changed[1], first[1], "Bob's account did not change");

        changes.organization_changed("o2");
        assert_eq!(
            [changes.profile_stem(&ann), changes.profile_stem(&bob)],
            ann_changed,
            "another organisation"
        );
        changes.organization_changed("o1");
        let renamed = [changes.profile_stem(&ann), changes.profile_stem(&bob)];
        assert_ne!(renamed[0], ann_changed[0]);
        assert_ne!(renamed[1], ann_changed[1]);

        changes.opened("ann");
        changes.changed(Scope::Organization("o1"));
        assert_eq!(
            [changes.profile_stem(&ann), changes.profile_stem(&bob)],
            renamed,
            "appeals and read marks are not in the profile"
        );
    }
}
