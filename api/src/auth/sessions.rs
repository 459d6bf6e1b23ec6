//! Recently checked sessions.
//!
//! Every authenticated request must know that its session is still open and its
//! account not blocked. A session that passed the check can be trusted for a few
//! seconds (`PORTAL_SESSION_CACHE_SECONDS`). It is off by default: with 10 000
//! distinct citizens, even sending a page's requests in bursts of four with one
//! token, it made the mix 13 % slower on SQLite and did not move it on PostgreSQL
//! (bench/RESULTS.md): the check is one indexed read on the connection the request
//! holds anyway. It stays for a database far from the server, where that read is a
//! long round trip.
//!
//! A revoked session, a blocked account or a changed admin flag must still stop at
//! once, through every process: the use cases that make those changes record them
//! in the change feed, and each process applies them here ([`SessionCache::apply`]):
//! its own as the change commits (in the same blocking task, so a client that hangs
//! up cannot skip it), another process's as its `NOTIFY` arrives. A check that was
//! already reading the database when such a change landed could bring back the old
//! answer, so every forgetting also moves an epoch, and a check only keeps its answer
//! if the epoch did not move while it ran. The cache is consulted when the request's
//! work is about to run, not when it starts waiting for a connection, so a queued
//! request sees a change made while it waited. While the feed may miss changes (its
//! listener reconnecting) nothing is trusted. Writes never trust it: they check the
//! session in the database (`AppState::as_actor`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use domain::actor::Actor;
use domain::change::Change;
use moka::sync::Cache;

/// Sessions remembered at once; the least used go first.
const CAPACITY: u64 = 100_000;

#[derive(Clone)]
pub struct SessionCache {
    /// `None` when turned off.
    cache: Option<Cache<String, Arc<Actor>>>,
    epoch: Arc<AtomicU64>,
    /// False while the change feed may miss changes: nothing is trusted then.
    live: Arc<AtomicBool>,
}

/// Where a session check started: hand it back to [`SessionCache::remember`].
#[derive(Debug, Clone, Copy)]
pub struct Epoch(u64);

impl SessionCache {
    /// A cache that trusts a checked session for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> SessionCache {
        let cache = (!ttl.is_zero()).then(|| {
            Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(ttl)
                .support_invalidation_closures()
                .build()
        });
        SessionCache {
            cache,
            epoch: Arc::new(AtomicU64::new(0)),
            live: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Forgets what `change` may have made untrue.
    pub fn apply(&self, change: &Change) {
        match change {
            Change::Session(session) => self.forget_session(session),
            Change::Account(user) => self.forget_user(user),
            Change::Organization(organization) => self.forget_organization(organization),
            Change::Everything => self.forget_all(),
            Change::Appeals(_) | Change::Notifications(_) | Change::Vacancies(_) => {}
        }
    }

    /// Whether the change feed delivers every change: while it does not, every check
    /// goes to the database.
    pub fn set_live(&self, live: bool) {
        self.bump();
        self.live.store(live, Ordering::SeqCst);
        if !live {
            self.forget_all();
        }
    }

    /// The acting account of `session_id`, if it was checked recently, belongs to
    /// `user_id` and has not expired by `now`. Shared, not copied: this runs on every
    /// authenticated request.
    pub fn get(&self, user_id: &str, session_id: &str, now: NaiveDateTime) -> Option<Arc<Actor>> {
        if !self.live.load(Ordering::SeqCst) {
            return None;
        }
        let actor = self.cache.as_ref()?.get(session_id)?;
        (actor.user_id == user_id && actor.session_expires_at > now).then_some(actor)
    }

    /// Call before reading a session from the database.
    pub fn epoch(&self) -> Epoch {
        Epoch(self.epoch.load(Ordering::SeqCst))
    }

    /// Keeps a session the database has just admitted, unless something was forgotten
    /// since `read_at` (the answer may predate that change). A forgetting that lands
    /// between the check and the insert is caught by the second look: either it sees
    /// the insert and drops it itself, or this sees its epoch and drops it here.
    pub fn remember(&self, read_at: Epoch, actor: &Arc<Actor>) {
        let Some(cache) = &self.cache else { return };
        if self.epoch.load(Ordering::SeqCst) != read_at.0 || !self.live.load(Ordering::SeqCst) {
            return;
        }
        cache.insert(actor.session_id.clone(), Arc::clone(actor));
        if self.epoch.load(Ordering::SeqCst) != read_at.0 {
            cache.invalidate(&actor.session_id);
        }
    }

    /// After a sign-out or a revoked refresh token.
    fn forget_session(&self, session_id: &str) {
        self.bump();
        if let Some(cache) = &self.cache {
            cache.invalidate(session_id);
        }
    }

    /// After a change to the account itself: a password change, blocking, unblocking.
    fn forget_user(&self, user_id: &str) {
        let user_id = user_id.to_owned();
        self.forget_where(move |actor| actor.user_id == user_id);
    }

    /// After a change to who may do what in an organisation (the admin flag moved, a
    /// cabinet closed): every member's session is checked afresh.
    fn forget_organization(&self, organization_id: &str) {
        let organization_id = organization_id.to_owned();
        self.forget_where(move |actor| actor.organization_id.as_deref() == Some(&organization_id));
    }

    /// When the change cannot be pinned to one account.
    fn forget_all(&self) {
        self.bump();
        if let Some(cache) = &self.cache {
            cache.invalidate_all();
        }
    }

    fn forget_where(&self, matches: impl Fn(&Actor) -> bool + Send + Sync + 'static) {
        self.bump();
        if let Some(cache) = &self.cache {
            // Only fails when closures are not enabled, which `new` always does.
            if cache
                .invalidate_entries_if(move |_, actor| matches(actor))
                .is_err()
            {
                cache.invalidate_all();
            }
        }
    }

    fn bump(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::role::Role;

    fn actor(user: &str, session: &str, org: Option<&str>) -> Arc<Actor> {
        Arc::new(Actor {
            user_id: user.into(),
            session_id: session.into(),
            role: Role::Employer,
            centre_id: None,
            organization_id: org.map(Into::into),
            is_admin: true,
            auth_method: "password".into(),
            session_expires_at: at(3600),
        })
    }

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0)
            .unwrap()
            .naive_utc()
    }

    fn cache() -> SessionCache {
        SessionCache::new(Duration::from_secs(60))
    }

    #[test]
    fn a_remembered_session_is_found_only_for_its_own_user_and_before_it_expires() {
        let c = cache();
        c.remember(c.epoch(), &actor("u1", "s1", None));
        c.cache.as_ref().unwrap().run_pending_tasks();
        assert_eq!(c.get("u1", "s1", at(0)).unwrap().user_id, "u1");
        assert!(c.get("u2", "s1", at(0)).is_none());
        assert!(c.get("u1", "s2", at(0)).is_none());
        assert!(c.get("u1", "s1", at(3600)).is_none());
    }

    #[test]
    fn each_kind_of_forgetting_drops_exactly_its_sessions() {
        let c = cache();
        let all = [
            actor("u1", "s1", Some("o1")),
            actor("u1", "s2", Some("o1")),
            actor("u2", "s3", Some("o1")),
            actor("u3", "s4", Some("o2")),
            actor("u4", "s5", None),
        ];
        let present = |c: &SessionCache| -> Vec<&str> {
            c.cache.as_ref().unwrap().run_pending_tasks();
            all.iter()
                .filter(|a| c.get(&a.user_id, &a.session_id, at(0)).is_some())
                .map(|a| a.session_id.as_str())
                .collect()
        };
        let fill = |c: &SessionCache| all.iter().for_each(|a| c.remember(c.epoch(), a));

        fill(&c);
        c.forget_session("s1");
        assert_eq!(present(&c), ["s2", "s3", "s4", "s5"]);
        fill(&c);
        c.forget_user("u1");
        assert_eq!(present(&c), ["s3", "s4", "s5"]);
        fill(&c);
        c.forget_organization("o1");
        assert_eq!(present(&c), ["s4", "s5"]);
        fill(&c);
        c.forget_all();
        assert!(present(&c).is_empty());
    }

    #[test]
    fn a_check_that_raced_a_change_is_not_kept() {
        let c = cache();
        let before = c.epoch();
        c.forget_user("u1");
        c.remember(before, &actor("u1", "s1", None));
        c.cache.as_ref().unwrap().run_pending_tasks();
        assert!(c.get("u1", "s1", at(0)).is_none());
        c.remember(c.epoch(), &actor("u1", "s1", None));
        assert!(c.get("u1", "s1", at(0)).is_some());
    }

    #[test]
    fn a_zero_time_to_live_keeps_nothing() {
        let c = SessionCache::new(Duration::ZERO);
        c.remember(c.epoch(), &actor("u1", "s1", None));
        assert!(c.get("u1", "s1", at(0)).is_none());
    }

    #[test]
    fn changes_from_the_feed_forget_their_sessions_and_a_feed_that_is_down_trusts_none() {
        let c = cache();
        let (ann, bob) = (actor("u1", "s1", Some("o1")), actor("u2", "s2", None));
        let fill = |c: &SessionCache| [&ann, &bob].iter().for_each(|a| c.remember(c.epoch(), a));
        let present = |c: &SessionCache| -> Vec<bool> {
            c.cache.as_ref().unwrap().run_pending_tasks();
            [&ann, &bob]
                .iter()
                .map(|a| c.get(&a.user_id, &a.session_id, at(0)).is_some())
                .collect()
        };
        fill(&c);
        c.apply(&Change::Notifications("u1".into()));
        assert_eq!(present(&c), [true, true]);
        c.apply(&Change::Session("s1".into()));
        assert_eq!(present(&c), [false, true]);
        fill(&c);
        c.apply(&Change::Account("u2".into()));
        assert_eq!(present(&c), [true, false]);
        fill(&c);
        c.apply(&Change::Organization("o1".into()));
        assert_eq!(present(&c), [false, true]);
        fill(&c);
        c.apply(&Change::Everything);
        assert_eq!(present(&c), [false, false]);

        c.set_live(false);
        fill(&c);
        assert_eq!(present(&c), [false, false], "nothing is kept while down");
        c.set_live(true);
        fill(&c);
        assert_eq!(present(&c), [true, true]);
    }
}
