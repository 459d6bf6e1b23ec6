//! What the server remembers between requests (list totals, rendered pages) must not
//! outlive a change to what it shows. Every function here that makes such a change
//! takes a [`Watch`] and tells it once its transaction commits: no caller can forget
//! to, and nothing is told of a change that rolled back.

use domain::appeal_scope::Scope;

/// Told of every committed change to what an appeal list, an opened appeal or an
/// account's profile shows (`api`'s `Changes` moves the generations that remembered
/// totals and pages are filed under).
pub trait Watch {
    /// An appeal of `scope` was filed, moved or removed from the work list.
    fn changed(&self, scope: Scope<'_>);
    /// `user_id`'s read marks changed: only their own unread flags differ.
    fn opened(&self, user_id: &str);
    /// The account's own data changed (its e-mail).
    fn account_changed(&self, user_id: &str);
    /// The organisation's data changed (its name, requisites), or an admin action
    /// changed one of its members' cabinets (the admin flag, blocking, closing):
    /// every member's profile and pages may differ.
    fn organization_changed(&self, organization_id: &str);
}

/// For callers that remember nothing: the demo seed, the command line, tests.
impl Watch for () {
    fn changed(&self, _: Scope<'_>) {}
    fn opened(&self, _: &str) {}
    fn account_changed(&self, _: &str) {}
    fn organization_changed(&self, _: &str) {}
}
