//! A vacancy's filterable values as terms of the full-text index (issue 19), so that
//! «повар in Moscow, full time, from 40 000 ₽» is one look-up in the index rather
//! than every «повар» read and tested row by row.
//!
//! Each value becomes a tag: a prefix naming the field and the value's code without
//! its underscores (the index splits words at them): region 77 is `reg77`, full-time
//! employment `empfulltime`, the salary band `bandfrom60kto100k`. A salary floor, a
//! ceiling or a period are not values: the rows answer them. (Tags for salary steps
//! were tried: nearly every vacancy reaches a low step, and intersecting such a list
//! cost the index more than the rows it spared.)
//!
//! The databases compute a vacancy's tags themselves, in a generated column
//! (`vacancies.search_tags`, migration `2026-12-23-000001_search_tags`), which mirrors
//! [`of_vacancy`] here; a test of the persistence crate holds the two together. A
//! search asks for [`of_filter`]'s tags, restricted to that column.

use crate::vacancy::{VacancyFacts, VacancyFilter};
use crate::vacancy_search::SalaryBand;
use crate::Coded;

/// The tags a search asks for, and whether they say all its filter does: then the
/// index alone counts its matches (with the words, if any).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterTags {
    pub tags: Vec<String>,
    /// Every criterion of the filter but the words is one of `tags`.
    pub exact: bool,
}

/// A field's tag for a code, if the code can be one (letters, digits and underscores:
/// what the generated column's expression handles).
fn tag(prefix: &str, code: &str) -> Option<String> {
    let plain = !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    plain.then(|| format!("{prefix}{}", code.replace('_', "")))
}

/// The tags of a vacancy, as its generated column holds them (space-separated there).
pub fn of_vacancy(v: &VacancyFacts) -> Vec<String> {
    let top = v.salary_to.or(v.salary_from).unwrap_or(0);
    let mut tags: Vec<String> = [
        tag("reg", &v.region_code),
        tag("emp", v.employment_type.code()),
        tag("sch", v.schedule.code()),
        tag("cat", &v.category),
        tag("exp", v.experience.code()),
        v.profession_code.as_deref().and_then(|p| tag("prof", p)),
        tag("band", SalaryBand::of(Some(top)).code()),
    ]
    .into_iter()
    .flatten()
    .collect();
    tags.extend(v.benefits.iter().filter_map(|b| tag("ben", b.code())));
    tags
}

/// The tags every match of `filter` carries (a vacancy with them all may still fail
/// the filter unless [`FilterTags::exact`]).
pub fn of_filter(filter: &VacancyFilter) -> FilterTags {
    let mut tags = Vec::new();
    let mut exact = true;
    let mut want = |t: Option<String>| match t {
        Some(t) => tags.push(t),
        None => exact = false,
    };
    if let Some(r) = &filter.region {
        want(tag("reg", r));
    }
    if let Some(t) = filter.employment_type {
        want(tag("emp", t.code()));
    }
    if let Some(s) = filter.schedule {
        want(tag("sch", s.code()));
    }
    if let Some(c) = &filter.category {
        want(tag("cat", c));
    }
    if let Some(e) = filter.experience {
        want(tag("exp", e.code()));
    }
    if let Some(p) = &filter.profession_code {
        want(tag("prof", p));
    }
    if let Some(b) = filter.salary_band {
        want(tag("band", b.code()));
    }
    for b in &filter.benefits {
        want(tag("ben", b.code()));
    }
    exact &= filter.salary_from.is_none()
        && filter.salary_to.is_none()
        && filter.published_within.is_none()
        && filter.updated_since.is_none();
    FilterTags { tags, exact }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vacancy::{Benefit, EmploymentType, Experience, PublishedWithin, Schedule};
    use crate::vacancy_search;

    fn facts() -> VacancyFacts {
        VacancyFacts {
            region_code: "77".into(),
            title_stems: vacancy_search::indexed("Повар"),
            body_stems: String::new(),
            profession_code: Some("16675".into()),
            category: "services".into(),
            employment_type: EmploymentType::FullTime,
            schedule: Schedule::Shift,
            experience: Experience::From1To3,
            salary_from: Some(60_000),
            salary_to: Some(80_000),
            benefits: vec![Benefit::Meals, Benefit::MedicalInsurance],
            age_hours: 30,
        }
    }

    #[test]
    fn a_vacancy_carries_a_tag_per_value() {
        assert_eq!(
            of_vacancy(&facts()),
            [
                "reg77",
                "empfulltime",
                "schshift",
                "catservices",
                "expfrom1to3",
                "prof16675",
                "bandfrom60kto100k",
                "benmeals",
                "benmedicalinsurance",
            ]
        );
    }

    #[test]
    fn the_band_is_the_top_figure_s_and_not_stated_without_one() {
        let band = |from, to| {
            let v = VacancyFacts {
                salary_from: from,
                salary_to: to,
                ..facts()
            };
            of_vacancy(&v)
                .into_iter()
                .find(|t| t.starts_with("band"))
                .unwrap()
        };
        assert_eq!(band(None, None), "bandnotstated");
        assert_eq!(band(Some(25_000), None), "bandunder30k");
        assert_eq!(band(Some(25_000), Some(30_000)), "bandfrom30kto60k");
        assert_eq!(band(None, Some(150_000)), "bandfrom150k");
    }

    #[test]
    fn a_vacancy_without_a_profession_or_benefits_has_no_such_tags() {
        let v = VacancyFacts {
            profession_code: None,
            benefits: vec![],
            ..facts()
        };
        let tags = of_vacancy(&v);
        assert!(!tags
            .iter()
            .any(|t| t.starts_with("prof") || t.starts_with("ben")));
        assert_eq!(tags.len(), 6);
    }

    #[test]
    fn a_filter_of_coded_values_is_said_by_its_tags_alone() {
        let filter = VacancyFilter {
            text: Some("повар".into()),
            region: Some("77".into()),
            employment_type: Some(EmploymentType::FullTime),
            salary_band: Some(SalaryBand::From30kTo60k),
            benefits: vec![Benefit::Meals],
            ..VacancyFilter::default()
        };
        let t = of_filter(&filter);
        assert_eq!(
            t.tags,
            ["reg77", "empfulltime", "bandfrom30kto60k", "benmeals"]
        );
        assert!(t.exact, "the words are the index's own");
        assert_eq!(
            of_filter(&VacancyFilter::default()),
            FilterTags {
                tags: vec![],
                exact: true
            }
        );
    }

    #[test]
    fn criteria_that_are_not_values_make_the_tags_inexact() {
        let within = of_filter(&VacancyFilter {
            region: Some("77".into()),
            published_within: Some(PublishedWithin::Day),
            ..VacancyFilter::default()
        });
        assert_eq!(
            (within.tags, within.exact),
            (vec!["reg77".to_owned()], false)
        );
        for filter in [
            VacancyFilter {
                salary_from: Some(40_000),
                ..VacancyFilter::default()
            },
            VacancyFilter {
                salary_to: Some(50_000),
                ..VacancyFilter::default()
            },
            VacancyFilter {
                updated_since: Some(chrono::NaiveDateTime::default()),
                ..VacancyFilter::default()
            },
        ] {
            let t = of_filter(&filter);
            assert_eq!((t.tags.len(), t.exact), (0, false), "{filter:?}");
        }
    }

    #[test]
    fn a_code_the_index_could_not_hold_is_left_to_the_rows() {
        for odd in ["Services", "it-sector", "a b", "\"reg77\"", ""] {
            let t = of_filter(&VacancyFilter {
                category: Some(odd.into()),
                ..VacancyFilter::default()
            });
            assert_eq!((t.tags.len(), t.exact), (0, false), "{odd}");
        }
    }
}
