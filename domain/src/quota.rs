//! How many records of each kind one account (or one organisation) may keep. A person
//! needs a handful; the bounds stop a script with a stolen or a throwaway account from
//! making the server store without end.

use serde::Serialize;

/// A kind of record an account creates by itself and keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holding {
    /// Unfinished forms (drafts) of one account.
    Drafts,
    /// A citizen's resumes.
    Resumes,
    /// The contact persons (accounts) of one organisation.
    Contacts,
    /// Vacancies a citizen starred.
    FavouriteVacancies,
    /// Resumes an employer account starred.
    FavouriteResumes,
    /// Vacancy searches a citizen saved for notifications.
    SavedSearches,
    /// Webhook subscriptions of one organisation.
    Webhooks,
}

crate::coded_enum!(Holding {
    Drafts => ("drafts", "Черновики"),
    Resumes => ("resumes", "Резюме"),
    Contacts => ("contacts", "Контактные лица организации"),
    FavouriteVacancies => ("favourite_vacancies", "Избранные вакансии"),
    FavouriteResumes => ("favourite_resumes", "Избранные соискатели"),
    SavedSearches => ("saved_searches", "Сохранённые поиски"),
    Webhooks => ("webhooks", "Подписки на события (вебхуки)"),
});

impl Holding {
    /// The most one holder may keep.
    pub const fn limit(self) -> i64 {
        match self {
            Holding::Drafts => 50,
            Holding::Resumes => 20,
            Holding::Contacts => 100,
            Holding::FavouriteVacancies => 500,
            Holding::FavouriteResumes => 500,
            Holding::SavedSearches => 20,
            Holding::Webhooks => 10,
        }
    }
}

/// A holder already keeps as many records of the kind as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("at most {limit} {kind} may be kept; delete one first")]
pub struct LimitReached {
    pub kind: Holding,
    pub limit: i64,
}

impl LimitReached {
    /// What a person reads, in Russian.
    pub fn message(self) -> String {
        format!(
            "Достигнут предел «{}»: не больше {}. Удалите ненужное и повторите",
            crate::Coded::title(self.kind),
            self.limit
        )
    }
}

/// Whether a holder of `held` records of `kind` may create one more.
pub fn room_for_one(kind: Holding, held: i64) -> Result<(), LimitReached> {
    if held >= kind.limit() {
        Err(LimitReached {
            kind,
            limit: kind.limit(),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn one_more_fits_below_the_limit_and_not_at_it() {
        for &kind in Holding::ALL {
            let limit = kind.limit();
            assert!(limit > 0, "{kind}");
            assert_eq!(room_for_one(kind, 0), Ok(()));
            assert_eq!(room_for_one(kind, limit - 1), Ok(()));
            for held in [limit, limit + 1, i64::MAX] {
                assert_eq!(room_for_one(kind, held), Err(LimitReached { kind, limit }));
            }
        }
    }

    #[test]
    fn the_message_names_the_kind_and_the_limit_in_russian() {
        let e = room_for_one(Holding::Resumes, 20).unwrap_err();
        assert_eq!(
            e.message(),
            "Достигнут предел «Резюме»: не больше 20. Удалите ненужное и повторите"
        );
    }
}
