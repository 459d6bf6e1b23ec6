//! Who hears of a new vacancy through their saved searches (SPEC §5, «Сохранённые
//! поиски»).

use std::collections::BTreeMap;

use crate::vacancy::{VacancyFacts, VacancyFilter};

/// One saved search as the announcement reads it: its owner, the name they gave it,
/// and what it asks.
#[derive(Debug, Clone, Copy)]
pub struct Watch<'a> {
    pub owner: &'a str,
    pub name: &'a str,
    pub filter: &'a VacancyFilter,
}

/// The owners to tell of a vacancy with these facts, each with the name of the search
/// to mention: every owner of a search that matches it, once however many of their
/// searches match, named by the least of those names (compared as bytes: the same one
/// whatever order the searches are read in, so a retry names the same one). Ordered by
/// owner.
pub fn owners_to_tell<'a>(
    watches: impl IntoIterator<Item = Watch<'a>>,
    facts: &VacancyFacts,
) -> BTreeMap<&'a str, &'a str> {
    let mut told: BTreeMap<&str, &str> = BTreeMap::new();
    for watch in watches {
        if !watch.filter.matches(facts) {
            continue;
        }
        told.entry(watch.owner)
            .and_modify(|name| *name = (*name).min(watch.name))
            .or_insert(watch.name);
    }
    told
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vacancy::{EmploymentType, Experience, Schedule};
    use crate::vacancy_search;

    fn cook_in_moscow() -> VacancyFacts {
        VacancyFacts {
            region_code: "77".into(),
            title_stems: vacancy_search::indexed("Повар"),
            body_stems: vacancy_search::indexed("Готовить супы"),
            profession_code: None,
            category: "services".into(),
            employment_type: EmploymentType::FullTime,
            schedule: Schedule::Shift,
            experience: Experience::From1To3,
            salary_from: Some(60_000),
            salary_to: None,
            benefits: vec![],
            age_hours: 0,
        }
    }

    fn filter(region: Option<&str>, text: Option<&str>) -> VacancyFilter {
        VacancyFilter {
            region: region.map(str::to_owned),
            text: text.map(str::to_owned),
            ..VacancyFilter::default()
        }
    }

    #[test]
    fn each_owner_is_told_once_by_the_first_matching_name() {
        let (anything, cooks, moscow) = (
            filter(None, None),
            filter(Some("77"), Some("поварами")),
            filter(Some("77"), None),
        );
        let watches = [
            Watch {
                owner: "b",
                name: "Я — повар",
                filter: &cooks,
            },
            Watch {
                owner: "b",
                name: "Любая работа",
                filter: &anything,
            },
            Watch {
                owner: "b",
                name: "Москва",
                filter: &moscow,
            },
            Watch {
                owner: "a",
                name: "Москва",
                filter: &moscow,
            },
        ];
        let told = owners_to_tell(watches, &cook_in_moscow());
        assert_eq!(
            told.into_iter().collect::<Vec<_>>(),
            [("a", "Москва"), ("b", "Любая работа")]
        );
    }

    #[test]
    fn an_owner_whose_searches_do_not_match_is_not_told() {
        let (elsewhere, drivers, moscow) = (
            filter(Some("50"), None),
            filter(None, Some("водитель")),
            filter(Some("77"), None),
        );
        let watches = [
            Watch {
                owner: "a",
                name: "Подмосковье",
                filter: &elsewhere,
            },
            Watch {
                owner: "a",
                name: "Водитель",
                filter: &drivers,
            },
            Watch {
                owner: "c",
                name: "Москва",
                filter: &moscow,
            },
        ];
        let told = owners_to_tell(watches, &cook_in_moscow());
        assert_eq!(told.into_iter().collect::<Vec<_>>(), [("c", "Москва")]);
    }

    #[test]
    fn the_name_does_not_depend_on_the_order_searches_are_read_in() {
        let anything = filter(None, None);
        let names = ["Вечер", "Апрель", "Бег"];
        let forwards = names.map(|name| Watch {
            owner: "a",
            name,
            filter: &anything,
        });
        let mut backwards = forwards;
        backwards.reverse();
        let facts = cook_in_moscow();
        assert_eq!(owners_to_tell(forwards, &facts)["a"], "Апрель");
        assert_eq!(owners_to_tell(backwards, &facts)["a"], "Апрель");
    }

    #[test]
    fn nobody_is_told_without_searches() {
        assert!(owners_to_tell([], &cook_in_moscow()).is_empty());
    }
}
