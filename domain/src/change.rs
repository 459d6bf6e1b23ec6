//! What a committed write changed, as every server process hears of it (the change
//! feed). A process remembers pages, totals and checked sessions; a [`Change`] names
//! what they depend on, so each process can drop exactly what is out of date, and a
//! live stream can wake for its own user.
//!
//! On the wire (a PostgreSQL `NOTIFY` payload) a change is one short line: a letter
//! for its kind, a colon, the id (`s:c:centre-1`, `n:user-1`); a batch is lines joined
//! by `\n`. A line this process does not know, from a newer process say, reads as
//! [`Change::Everything`]: dropping everything is always safe.

use crate::appeal_scope::Scope;

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// An appeal of this scope was filed, moved or removed from a work list.
    Appeals(OwnedScope),
    /// An account changed: its own data, its password (other sessions ended), blocked
    /// or unblocked. Its checked sessions and profile go.
    Account(String),
    /// One session ended (a sign-out, a replayed refresh token).
    Session(String),
    /// An organisation's data, or who may do what in it (the admin flag, a member's
    /// cabinet opened, blocked or closed): its members' sessions and pages go.
    Organization(String),
    /// A person has a new notification: their live streams read it (marking one read
    /// changes nothing anyone remembers, so it records no change).
    Notifications(String),
    /// A vacancy was published, edited or withdrawn in this region: searches there,
    /// and searches of every region, count again.
    Vacancies(String),
    /// Anything may have changed: a batch too large for one message, a change not
    /// understood, or a listener that reconnected and may have missed some.
    Everything,
}

/// A [`Scope`] that owns its id, as a change outlives the write that made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedScope {
    Applicant(String),
    Organization(String),
    Centre(String),
}

impl OwnedScope {
    /// `None` for [`Scope::Nothing`], which no appeal is in.
    pub fn of(scope: Scope<'_>) -> Option<OwnedScope> {
        match scope {
            Scope::Applicant(id) => Some(OwnedScope::Applicant(id.to_owned())),
            Scope::Organization(id) => Some(OwnedScope::Organization(id.to_owned())),
            Scope::Centre(id) => Some(OwnedScope::Centre(id.to_owned())),
            Scope::Nothing => None,
        }
    }

    pub fn as_scope(&self) -> Scope<'_> {
        match self {
            OwnedScope::Applicant(id) => Scope::Applicant(id),
            OwnedScope::Organization(id) => Scope::Organization(id),
            OwnedScope::Centre(id) => Scope::Centre(id),
        }
    }
}

impl Change {
    /// The change of the appeals of `scope`, if any appeal can be in it.
    pub fn appeals(scope: Scope<'_>) -> Option<Change> {
        OwnedScope::of(scope).map(Change::Appeals)
    }

    /// The change as one line; `None` when its id cannot be written on one (a line
    /// break in it), and only [`Change::Everything`] can stand for it.
    pub fn encode(&self) -> Option<String> {
        let (tag, id) = match self {
            Change::Appeals(OwnedScope::Applicant(id)) => ("s:a", id),
            Change::Appeals(OwnedScope::Organization(id)) => ("s:o", id),
            Change::Appeals(OwnedScope::Centre(id)) => ("s:c", id),
            Change::Account(id) => ("a", id),
            Change::Session(id) => ("x", id),
            Change::Organization(id) => ("o", id),
            Change::Notifications(id) => ("n", id),
            Change::Vacancies(id) => ("v", id),
            Change::Everything => return Some(EVERYTHING.to_owned()),
        };
        (!id.contains(['\n', '\r'])).then(|| format!("{tag}:{id}"))
    }

    /// One line back into a change; anything not understood is [`Change::Everything`].
    pub fn decode(line: &str) -> Change {
        let Some((tag, id)) = line.split_once(':') else {
            return Change::Everything;
        };
        let id = id.to_owned();
        match tag {
            "s" => match id.split_once(':') {
                Some(("a", id)) => Change::Appeals(OwnedScope::Applicant(id.into())),
                Some(("o", id)) => Change::Appeals(OwnedScope::Organization(id.into())),
                Some(("c", id)) => Change::Appeals(OwnedScope::Centre(id.into())),
                _ => Change::Everything,
            },
            "a" => Change::Account(id),
            "x" => Change::Session(id),
            "o" => Change::Organization(id),
            "n" => Change::Notifications(id),
            "v" => Change::Vacancies(id),
            _ => Change::Everything,
        }
    }
}

const EVERYTHING: &str = "*";

/// A batch of changes as messages of at most `limit` bytes each, at most
/// `max_messages` of them: a larger batch (or one with a change that has no line)
/// is the one message of [`Change::Everything`]. Repeated changes are sent once.
pub fn encode_batch(changes: &[Change], limit: usize, max_messages: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::with_capacity(changes.len());
    for change in changes {
        match change.encode() {
            Some(line) if line.len() < limit && line != EVERYTHING => {
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
            _ => return vec![EVERYTHING.to_owned()],
        }
    }
    let mut messages: Vec<String> = Vec::new();
    for line in lines {
        match messages.last_mut() {
            Some(last) if last.len() + 1 + line.len() <= limit => {
                last.push('\n');
                last.push_str(&line);
            }
            _ => messages.push(line),
        }
    }
    if messages.len() > max_messages {
        return vec![EVERYTHING.to_owned()];
    }
    messages
}

/// A message back into its changes.
pub fn decode_batch(message: &str) -> Vec<Change> {
    message
        .split('\n')
        .filter(|line| !line.is_empty())
        .map(Change::decode)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Change> {
        vec![
            Change::Appeals(OwnedScope::Applicant("u-1".into())),
            Change::Appeals(OwnedScope::Organization("o-1".into())),
            Change::Appeals(OwnedScope::Centre("c-1".into())),
            Change::Account("u-2".into()),
            Change::Session("s-1".into()),
            Change::Organization("o-2".into()),
            Change::Notifications("u-3".into()),
            Change::Vacancies("78".into()),
            Change::Everything,
        ]
    }

    #[test]
    fn every_kind_of_change_reads_back_as_itself() {
        for change in every_kind() {
            let line = change.encode().unwrap();
            assert!(!line.contains('\n'), "{line}");
            assert_eq!(Change::decode(&line), change, "{line}");
        }
        // Ids with colons (a scope's id may have one) survive.
        let odd = Change::Appeals(OwnedScope::Centre("a:b".into()));
        assert_eq!(Change::decode(&odd.encode().unwrap()), odd);
    }

    #[test]
    fn what_is_not_understood_is_everything() {
        for line in ["", "q:1", "s:z:1", "s:1", "nothing", "*"] {
            assert_eq!(Change::decode(line), Change::Everything, "{line:?}");
        }
        assert_eq!(Change::Account("a\nb".into()).encode(), None);
    }

    #[test]
    fn a_batch_reads_back_in_order_and_once() {
        let mut changes = every_kind();
        changes.pop();
        let doubled: Vec<Change> = changes.iter().chain(&changes).cloned().collect();
        let messages = encode_batch(&doubled, 8000, 4);
        assert_eq!(messages.len(), 1);
        assert_eq!(decode_batch(&messages[0]), changes);
    }

    #[test]
    fn a_batch_is_split_under_the_limit_and_collapses_when_too_large() {
        let many: Vec<Change> = (0..100)
            .map(|i| Change::Notifications(format!("user-{i:04}")))
            .collect();
        let messages = encode_batch(&many, 200, 100);
        assert!(messages.len() > 1);
        assert!(messages.iter().all(|m| m.len() <= 200));
        let back: Vec<Change> = messages.iter().flat_map(|m| decode_batch(m)).collect();
        assert_eq!(back, many);

        assert_eq!(encode_batch(&many, 200, 3), ["*"]);
        let with_everything = [Change::Account("u".into()), Change::Everything];
        assert_eq!(encode_batch(&with_everything, 8000, 4), ["*"]);
        assert_eq!(
            encode_batch(&[Change::Account("a\nb".into())], 8000, 4),
            ["*"]
        );
        assert!(encode_batch(&[], 8000, 4).is_empty());
    }

    #[test]
    fn scopes_own_their_ids_and_nothing_has_no_change() {
        assert_eq!(Change::appeals(Scope::Nothing), None);
        let scope = OwnedScope::of(Scope::Centre("c")).unwrap();
        assert_eq!(scope.as_scope(), Scope::Centre("c"));
    }
}
