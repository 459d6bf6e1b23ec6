//! The vacancy filter in Rust (`VacancyFilter::matches`, which tells saved searches
//! of each new vacancy) against the SQL search (`GET /vacancies`): on generated
//! vacancies and filters, the search returns exactly the vacancies the filter
//! matches. Otherwise a seeker is told of a vacancy the search does not show, or is
//! never told of one it does.
//!
//! The vacancies are generated around the edges where the two could part: salary
//! figures equal to the filter's bounds, ranges with one figure or none, ages a
//! minute either side of a day, a week and a month, titles in mixed case with «ё»,
//! Latin, and the characters `LIKE` treats specially.

use std::collections::BTreeSet;

use chrono::{NaiveDateTime, TimeDelta, Timelike};
use domain::vacancy::{
    Benefit, EmploymentType, Experience, PublishedWithin, Schedule, VacancyFacts, VacancyFilter,
};
use domain::vacancy_search::SalaryBand;
use domain::Coded;
use portal_tests::{spawn_app_with, TestApp};
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Words of titles: mixed case, «ё», Latin, and `%`, `_`, `\`.
const WORDS: &[&str] = &[
    "Повар",
    "ПОВАР-кондитер",
    "старший",
    "Ёлочный",
    "ёжик",
    "Елена",
    "Инженер",
    "DevOps",
    "developer",
    "100%",
    "a_b",
    "C:\\temp",
    "Водитель",
    "Кладовщик",
];

/// Professions whose names join the title in the searched text.
const PROFESSIONS: &[&str] = &["16675", "11442", "12759", "12901"];
const REGIONS: &[&str] = &["77", "78", "50"];
const CATEGORIES: &[&str] = &["services", "transport", "it"];
/// Salary figures; the filters use them too, so bounds meet figures exactly.
const SALARIES: &[i64] = &[10_000, 30_000, 50_000, 80_000, 120_000];
/// Hours from publication at which the period filters cut (a day, a week, a month),
/// and beyond.
const EDGES: &[i64] = &[0, 24, 24 * 7, 24 * 30, 24 * 90];

/// A vacancy to publish, and how long ago.
#[derive(Debug, Clone)]
struct Spec {
    title: String,
    profession_code: Option<&'static str>,
    category: &'static str,
    region_code: &'static str,
    employment_type: EmploymentType,
    schedule: Schedule,
    experience: Experience,
    salary: (Option<i64>, Option<i64>),
    benefits: Vec<Benefit>,
    age_minutes: i64,
}

fn salary_range() -> impl Strategy<Value = (Option<i64>, Option<i64>)> {
    let figure = || proptest::option::of(select(SALARIES));
    (figure(), figure()).prop_map(|(from, to)| match (from, to) {
        (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
        range => range,
    })
}

/// A minute either side of each cut, on it, or anywhere up to it.
fn age_minutes() -> impl Strategy<Value = i64> {
    let near_edge = (select(EDGES), -1i64..=1).prop_map(|(h, m)| (h * 60 + m).max(0));
    prop_oneof![near_edge, 0i64..24 * 100 * 60]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            proptest::collection::vec(select(WORDS), 1..=3),
            proptest::option::of(select(PROFESSIONS)),
            select(CATEGORIES),
            select(REGIONS),
        ),
        (
            select(EmploymentType::ALL),
            select(Schedule::ALL),
            select(Experience::ALL),
        ),
        salary_range(),
        subsequence(Benefit::ALL, 0..=3),
        age_minutes(),
    )
        .prop_map(
            |(
                (words, profession_code, category, region_code),
                (employment_type, schedule, experience),
                salary,
                benefits,
                age_minutes,
            )| Spec {
                title: words.join(" "),
                profession_code,
                category,
                region_code,
                employment_type,
                schedule,
                experience,
                salary,
                benefits,
                age_minutes,
            },
        )
}

/// A text filter: a piece of a word in another case, or one of the awkward ones
/// (blank, padded, the `LIKE` wildcards, «ё» against «е»).
fn text() -> impl Strategy<Value = String> {
    let piece =
        (select(WORDS), any::<Index>(), any::<Index>(), 0..3u8).prop_map(|(word, a, b, case)| {
            let chars: Vec<char> = word.chars().collect();
            let (a, b) = (a.index(chars.len()), b.index(chars.len()));
            let piece: String = chars[a.min(b)..=a.max(b)].iter().collect();
            match case {
                0 => piece,
                1 => piece.to_uppercase(),
                _ => piece.to_lowercase(),
            }
        });
    let awkward = select(
        &[
            "  ",
            " повар ",
            "%",
            "_",
            "\\",
            "a_b",
            "100%",
            "е",
            "Ё",
            "ПОВАР",
            "водитель автомобиля",
        ][..],
    )
    .prop_map(str::to_owned);
    // Other forms of the words (the search stems both sides), and words only the
    // descriptions or profession names hold.
    let forms = select(
        &[
            "поварами",
            "повара горячего",
            "водителя",
            "инженеры",
            "кладовщиков",
            "developers",
            "описание",
            "автомобилей",
            "ёлочного",
            "елочный",
        ][..],
    )
    .prop_map(str::to_owned);
    prop_oneof![piece, awkward, forms]
}

/// A filter of a few conditions: each one is set a fifth of the time, so that about
/// half the filters match some of the vacancies and each condition meets the others.
fn filter() -> impl Strategy<Value = VacancyFilter> {
    fn sometimes<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
        proptest::option::weighted(0.2, s)
    }
    let figure = || {
        sometimes(prop_oneof![
            select(SALARIES),
            select(&[1i64, 29_999, 30_001, 100_000_000][..])
        ])
    };
    (
        (
            sometimes(select(&["77", "78", "50", "01"][..])),
            sometimes(text()),
            sometimes(select(&["services", "transport", "it", "education"][..])),
        ),
        (
            sometimes(select(EmploymentType::ALL)),
            sometimes(select(Schedule::ALL)),
            sometimes(select(Experience::ALL)),
        ),
        (figure(), figure()),
        sometimes(subsequence(Benefit::ALL, 1..=2)).prop_map(Option::unwrap_or_default),
        (
            sometimes(select(PublishedWithin::ALL)),
            sometimes(select(PROFESSIONS)),
            sometimes(select(SalaryBand::ALL)),
        ),
    )
        .prop_map(
            |(
                (region, text, category),
                (employment_type, schedule, experience),
                (from, to),
                benefits,
                (published_within, profession_code, salary_band),
            )| {
                // The API refuses an inverted range; both orders are worth a filter.
                let (salary_from, salary_to) = match (from, to) {
                    (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
                    range => range,
                };
                VacancyFilter {
                    region: region.map(str::to_owned),
                    text,
                    category: category.map(str::to_owned),
                    employment_type,
                    schedule,
                    experience,
                    salary_from,
                    salary_to,
                    benefits,
                    published_within,
                    profession_code: profession_code.map(str::to_owned),
                    salary_band,
                    updated_since: None,
                }
            },
        )
}

/// The filter as `GET /vacancies` takes it.
fn query(f: &VacancyFilter) -> Vec<(&'static str, String)> {
    let mut q = vec![("per_page", "100".to_owned())];
    let mut put = |key, value: Option<String>| q.extend(value.map(|v| (key, v)));
    put("region", f.region.clone());
    put("text", f.text.clone());
    put("category", f.category.clone());
    put(
        "employment_type",
        f.employment_type.map(|v| v.code().into()),
    );
    put("schedule", f.schedule.map(|v| v.code().into()));
    put("experience", f.experience.map(|v| v.code().into()));
    put("salary_from", f.salary_from.map(|v| v.to_string()));
    put("salary_to", f.salary_to.map(|v| v.to_string()));
    put(
        "published_within",
        f.published_within.map(|v| v.code().into()),
    );
    put("profession_code", f.profession_code.clone());
    put("salary_band", f.salary_band.map(|v| v.code().into()));
    // The order does not matter here, only the set: by date, like the Rust filter.
    put("sort", Some("date".into()));
    let benefits: Vec<&str> = f.benefits.iter().map(|b| b.code()).collect();
    put(
        "benefits",
        (!benefits.is_empty()).then(|| benefits.join(",")),
    );
    q
}

/// The one place this test writes behind the API's back: it replaces every vacancy
/// with `specs`, published at `now` less each one's age, and returns each one's id
/// with what the Rust filter looks at. (Publishing through the API cannot backdate,
/// and one organisation per vacancy would cost a registration each.)
async fn seed(app: &TestApp, specs: &[Spec], now: NaiveDateTime) -> Vec<(String, VacancyFacts)> {
    use diesel::RunQueryDsl;
    use persistence::vacancies::{self, NewVacancy};
    let specs = specs.to_vec();
    app.with_db(move |conn| {
        // An immediate transaction: it queues behind the server's background writes
        // where a deferred one could fail at once with "database is locked".
        persistence::db::write(conn, |conn| {
            diesel::delete(persistence::schema::vacancies::table).execute(conn)?;
            let mut published = Vec::new();
            for s in &specs {
                let new = NewVacancy {
                    organization_id: None,
                    employer_name: "ООО «Ромашка»".into(),
                    employer_rating: 4.0,
                    title: s.title.clone(),
                    profession_code: s.profession_code.map(str::to_owned),
                    category: s.category.into(),
                    region_code: s.region_code.into(),
                    address: None,
                    employment_type: s.employment_type,
                    schedule: s.schedule,
                    experience: s.experience,
                    education: None,
                    salary_from: s.salary.0,
                    salary_to: s.salary.1,
                    benefits: s.benefits.clone(),
                    description: format!("Описание: {}", s.title),
                };
                let at = now - TimeDelta::minutes(s.age_minutes);
                let v = vacancies::publish(conn, &new, at)?;
                published.push((v.id.clone(), v.facts(now)));
            }
            Ok::<_, persistence::StoreError>(published)
        })
        .expect("seed the vacancies")
    })
    .await
}

/// Publishes `specs` and asks the search each filter.
async fn agree(
    app: &TestApp,
    specs: Vec<Spec>,
    filters: Vec<VacancyFilter>,
) -> Result<(), TestCaseError> {
    // Whole seconds, and the search runs after: ages on a cut stay on it (excluded on
    // both sides), those a minute short stay inside.
    let now = chrono::Utc::now().naive_utc().with_nanosecond(0).unwrap();
    let published = seed(app, &specs, now).await;
    for filter in &filters {
        let expected: BTreeSet<&str> = published
            .iter()
            .filter(|(_, facts)| filter.matches(facts))
            .map(|(id, _)| id.as_str())
            .collect();
        let r = app
            .send(app.client.get(app.url("/vacancies")).query(&query(filter)))
            .await;
        prop_assert_eq!(r.status, 200, "{:#}", r.body);
        let found: BTreeSet<&str> = r.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["id"].as_str())
            .collect();
        let total = r.body["total"].as_u64();
        if found != expected || total != Some(expected.len() as u64) {
            let describe = |ids: Vec<&&str>| {
                ids.iter()
                    .map(|id| {
                        let (_, facts) = published.iter().find(|(i, _)| i == **id).unwrap();
                        format!("\n    {facts:?}")
                    })
                    .collect::<String>()
            };
            return Err(TestCaseError::fail(format!(
                "the search and VacancyFilter::matches disagree on {filter:?} at {now}\n  \
                 total {total:?}, matched {}\n  found by the search only:{}\n  \
                 matched by the filter only:{}",
                expected.len(),
                describe(found.difference(&expected).collect()),
                describe(expected.difference(&found).collect()),
            )));
        }
    }
    Ok(())
}

#[test]
fn the_search_finds_what_the_rust_filter_matches() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Nothing remembered: each case's vacancies replace the last ones behind the
    // server's back.
    let app = runtime.block_on(spawn_app_with(|s| s.vacancy_search_seconds = 0));
    // A few seconds per backend; PROPTEST_CASES=5000 for a longer hunt.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(cases)
    });
    let cases = (
        proptest::collection::vec(spec(), 4..=24),
        proptest::collection::vec(filter(), 1..=4),
    );
    let outcome = runner.run(&cases, |(specs, filters)| {
        runtime.block_on(agree(&app, specs, filters))
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
