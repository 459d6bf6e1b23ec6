//! The employer admin-flag invariant (SPEC §3): at most one account of an organisation
//! is admin; the flag moves only by an atomic transfer; the admin cannot block or
//! delete its own account. Storage enforces the same with a partial unique index; this
//! rule object decides what a request may do before anything is written.

/// What the rules need to know about one employer account of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account<Id> {
    pub id: Id,
    pub is_admin: bool,
    pub blocked: bool,
}

/// Why a management action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    #[error("only the organisation's administrator may do this")]
    NotAdmin,
    #[error("the administrator cannot block or delete its own account")]
    SelfAction,
    #[error("the account is not one of the organisation's")]
    UnknownAccount,
    #[error("a blocked account cannot become the administrator")]
    TargetBlocked,
    #[error("the account is already the administrator")]
    AlreadyAdmin,
    #[error("the organisation's accounts already have more than one administrator")]
    Corrupt,
}

/// The accounts of one organisation, as read inside the transaction that will change them.
#[derive(Debug, Clone)]
pub struct Roster<Id> {
    accounts: Vec<Account<Id>>,
}

/// A flag change to write: both rows in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<Id> {
    pub from: Id,
    pub to: Id,
}

impl<Id: PartialEq + Clone> Roster<Id> {
    /// Refuses a roster that already breaks the invariant, so no rule ever reasons from
    /// a corrupt state.
    pub fn new(accounts: Vec<Account<Id>>) -> Result<Self, AdminError> {
        if accounts.iter().filter(|a| a.is_admin).count() > 1 {
            return Err(AdminError::Corrupt);
        }
        Ok(Roster { accounts })
    }

    pub fn admin(&self) -> Option<&Account<Id>> {
        self.accounts.iter().find(|a| a.is_admin)
    }

    fn get(&self, id: &Id) -> Result<&Account<Id>, AdminError> {
        self.accounts
            .iter()
            .find(|a| &a.id == id)
            .ok_or(AdminError::UnknownAccount)
    }

    /// Management actions (contacts, cabinets, blocking) belong to the admin alone.
    pub fn ensure_admin(&self, actor: &Id) -> Result<(), AdminError> {
        if self.get(actor)?.is_admin {
            Ok(())
        } else {
            Err(AdminError::NotAdmin)
        }
    }

    /// Blocking or deleting `target`: the admin may, but never on itself.
    pub fn check_block_or_delete(&self, actor: &Id, target: &Id) -> Result<(), AdminError> {
        self.ensure_admin(actor)?;
        self.get(target)?;
        if actor == target {
            return Err(AdminError::SelfAction);
        }
        Ok(())
    }

    /// Moving the flag from the acting admin to `target`; afterwards exactly one
    /// account is admin.
    pub fn transfer(&self, actor: &Id, target: &Id) -> Result<Transfer<Id>, AdminError> {
        self.ensure_admin(actor)?;
        let to = self.get(target)?;
        if to.is_admin {
            return Err(AdminError::AlreadyAdmin);
        }
        if to.blocked {
            return Err(AdminError::TargetBlocked);
        }
        Ok(Transfer {
            from: actor.clone(),
            to: target.clone(),
        })
    }
}

impl<Id: PartialEq + Clone> Transfer<Id> {
    /// The roster after the transfer, to check the invariant holds.
    pub fn apply(&self, roster: &Roster<Id>) -> Roster<Id> {
        let accounts = roster
            .accounts
            .iter()
            .cloned()
            .map(|mut a| {
                a.is_admin = a.id == self.to;
                a
            })
            .collect();
        Roster { accounts }
    }
}

#[cfg(test)]
mod tests {
    use super::AdminError::*;
    use super::*;

    fn roster() -> Roster<u32> {
        Roster::new(vec![
            Account {
                id: 1,
                is_admin: true,
                blocked: false,
            },
            Account {
                id: 2,
                is_admin: false,
                blocked: false,
            },
            Account {
                id: 3,
                is_admin: false,
                blocked: true,
            },
        ])
        .unwrap()
    }

    #[test]
    fn two_admins_are_refused_outright() {
        let accounts = vec![
            Account {
                id: 1,
                is_admin: true,
                blocked: false,
            },
            Account {
                id: 2,
                is_admin: true,
                blocked: false,
            },
        ];
        assert_eq!(Roster::new(accounts).unwrap_err(), Corrupt);
        assert!(Roster::<u32>::new(vec![]).unwrap().admin().is_none());
    }

    #[test]
    fn only_the_admin_manages() {
        let r = roster();
        assert_eq!(r.ensure_admin(&1), Ok(()));
        assert_eq!(r.ensure_admin(&2), Err(NotAdmin));
        assert_eq!(r.ensure_admin(&9), Err(UnknownAccount));
        assert_eq!(r.check_block_or_delete(&2, &3), Err(NotAdmin));
        assert_eq!(r.transfer(&2, &2), Err(NotAdmin));
    }

    #[test]
    fn the_admin_cannot_block_or_delete_itself() {
        let r = roster();
        assert_eq!(r.check_block_or_delete(&1, &1), Err(SelfAction));
        assert_eq!(r.check_block_or_delete(&1, &2), Ok(()));
        assert_eq!(r.check_block_or_delete(&1, &3), Ok(()));
        assert_eq!(r.check_block_or_delete(&1, &7), Err(UnknownAccount));
    }

    #[test]
    fn transfer_leaves_exactly_one_admin() {
        let r = roster();
        let t = r.transfer(&1, &2).unwrap();
        assert_eq!(t, Transfer { from: 1, to: 2 });
        let after = t.apply(&r);
        assert_eq!(after.admin().map(|a| a.id), Some(2));
        assert_eq!(after.accounts.iter().filter(|a| a.is_admin).count(), 1);
        // The old admin lost its powers.
        assert_eq!(after.ensure_admin(&1), Err(NotAdmin));
    }

    #[test]
    fn transfer_refusals() {
        let r = roster();
        assert_eq!(r.transfer(&1, &1), Err(AlreadyAdmin));
        assert_eq!(r.transfer(&1, &3), Err(TargetBlocked));
        assert_eq!(r.transfer(&1, &4), Err(UnknownAccount));
    }
}
