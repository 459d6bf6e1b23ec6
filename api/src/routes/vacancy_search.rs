//! The vacancy bank's search (SPEC §5, issue 19): filters, full-text search with
//! Russian morphology, relevance, facets and keyset cursors (type-ahead:
//! `vacancy_suggest`).

use std::time::{Duration, Instant};

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::vacancy::{
    Benefit, EmploymentType, Experience, PublishedWithin, Schedule, VacancyFilter, VacancySort,
};
use domain::vacancy_search::SalaryBand;
use domain::Coded;
use persistence::suggestions;
use persistence::vacancy_facets::{self, Facet, FacetCounts};
use persistence::vacancy_search::{self, Found, Start};
use persistence::vacancy_totals;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use super::search_cursor::{self, Carried, CursorError};
use super::vacancies::{known_category, known_profession, known_region, region_label, VacancyView};
use crate::extract::ValidQuery;
use crate::problem::ApiError;
use crate::remembered::{Counted, SearchQuery, Total};
use crate::state::{now, AppState};
use crate::views::{Labelled, PageQuery};

const FACETS: &[(&str, Facet)] = &[
    ("region", Facet::Region),
    ("employment_type", Facet::EmploymentType),
    ("schedule", Facet::Schedule),
    ("salary_band", Facet::SalaryBand),
];

fn parse_facets(list: &str) -> Result<Vec<Facet>, ValidationError> {
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let facet = FACETS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                ValidationError::new("unknown").with_message(
                    "Счётчики бывают: region, employment_type, schedule, salary_band".into(),
                )
            })?;
        if !out.contains(&facet) {
            out.push(facet);
        }
    }
    Ok(out)
}

fn facet_list(list: &str) -> Result<(), ValidationError> {
    parse_facets(list).map(|_| ())
}

fn benefit_list(list: &str) -> Result<(), ValidationError> {
    parse_benefits(list).map(|_| ())
}

/// The distinct benefits of a comma-separated list: a code named twice filters once
/// (each would otherwise add a condition to every query of the search).
fn parse_benefits(list: &str) -> Result<Vec<Benefit>, ValidationError> {
    let mut benefits = list
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.parse().map_err(|_| {
                ValidationError::new("unknown")
                    .with_message("Социальная гарантия не найдена в справочнике benefits".into())
            })
        })
        .collect::<Result<Vec<Benefit>, _>>()?;
    benefits.sort();
    benefits.dedup();
    Ok(benefits)
}

/// Search filters, sort and paging of the vacancy bank.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "salary_range", skip_on_field_errors = false))]
pub struct VacancyQuery {
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: Option<String>,
    /// Words looked for in the title, the profession's name and the description, in
    /// any form: `поварами`, `повара` and `повар` find the same vacancies, as do
    /// `продавцы` and `продавец`. Every word must be found; punctuation is ignored.
    #[validate(length(max = 100))]
    #[param(example = "повара")]
    pub text: Option<String>,
    /// Profession category code (dictionary `profession_categories`).
    #[validate(custom(function = "known_category"))]
    pub category: Option<String>,
    /// Only vacancies of this employment type.
    #[param(value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<EmploymentType>,
    /// Only vacancies with this work schedule.
    #[param(value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<Schedule>,
    /// Only vacancies asking this much experience.
    #[param(value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<Experience>,
    /// The least a month, in roubles: vacancies whose range reaches it.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<i64>,
    /// The most: vacancies whose range starts within it.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<i64>,
    /// Comma-separated benefit codes, all of which must be offered, e.g. `meals,housing`
    /// (at most 300 characters; a code named twice counts once).
    #[validate(length(max = 300), custom(function = "benefit_list"))]
    pub benefits: Option<String>,
    /// Only vacancies published within this period.
    #[param(value_type = Option<crate::docs::PublishedWithinCode>)]
    pub published_within: Option<PublishedWithin>,
    /// ОКПДТР code of the profession (dictionary `professions`).
    #[validate(custom(function = "known_profession"))]
    #[param(example = "16675")]
    pub profession_code: Option<String>,
    /// The band of the top (or only) salary figure, as the `salary_band` facet counts.
    #[param(value_type = Option<crate::docs::SalaryBandCode>)]
    pub salary_band: Option<SalaryBand>,
    /// `relevance` (default when `text` has words: title matches first, then newest),
    /// `date` (default otherwise, newest first), `salary` (highest first) or `rating`.
    #[param(value_type = Option<crate::docs::VacancySortCode>)]
    pub sort: Option<VacancySort>,
    /// Facets to count for this search, comma-separated: `region`, `employment_type`,
    /// `schedule`, `salary_band`.
    #[validate(custom(function = "facet_list"))]
    #[param(example = "region,salary_band")]
    pub facets: Option<String>,
    /// Only vacancies published or changed (edited, republished) strictly after this
    /// moment, RFC 3339: for polling, send the newest `updated_at` seen minus 15 seconds and
    /// drop repeats by `id`: a change still being saved as you polled carries a moment
    /// slightly before its neighbours'. A closed vacancy leaves the search and is not
    /// listed.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
    /// The `next_cursor` of the page before: the next page of the same search and sort,
    /// as cheap however deep. Instead of `page`. The cursor carries the total the walk
    /// counted: for ten minutes from that count its pages show it again rather than
    /// count anew, as a point-in-time search does; after that it is counted again.
    #[validate(length(max = 512))]
    pub cursor: Option<String>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

fn salary_range(q: &VacancyQuery) -> Result<(), ValidationError> {
    match (q.salary_from, q.salary_to) {
        (Some(from), Some(to)) if from > to => Err(ValidationError::new("salary_range")
            .with_message("Зарплата «от» больше зарплаты «до»".into())),
        _ => Ok(()),
    }
}

impl VacancyQuery {
    /// The filter as the domain reads it; validation has already passed.
    pub fn filter(&self) -> VacancyFilter {
        VacancyFilter {
            region: self.region.clone(),
            text: self.text.clone(),
            category: self.category.clone(),
            employment_type: self.employment_type,
            schedule: self.schedule,
            experience: self.experience,
            salary_from: self.salary_from,
            salary_to: self.salary_to,
            benefits: self
                .benefits
                .as_deref()
                .map(|b| parse_benefits(b).unwrap_or_default())
                .unwrap_or_default(),
            published_within: self.published_within,
            profession_code: self.profession_code.clone(),
            salary_band: self.salary_band,
            updated_since: self.updated_since.map(|at| at.naive_utc()),
        }
    }

    /// The sort asked for, or the default: relevance when there are words.
    fn sort(&self, filter: &VacancyFilter) -> VacancySort {
        let default = if filter.stems().is_empty() {
            VacancySort::Date
        } else {
            VacancySort::Relevance
        };
        vacancy_search::effective_sort(filter, self.sort.unwrap_or(default))
    }

    fn page(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// One value of a facet and how many vacancies of the search have it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "77", "title": "Москва", "count": 120}))]
pub struct FacetValue {
    pub code: String,
    pub title: String,
    /// Equals the total of the same search filtered by this value.
    pub count: u64,
}

/// Counts per value of the facets asked for (`facets`), most first; values without
/// matches are left out.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct FacetsView {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub region: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub employment_type: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub schedule: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub salary_band: Option<Vec<FacetValue>>,
}

fn coded_label<T: Coded + std::str::FromStr>(code: &str) -> Labelled {
    match code.parse::<T>() {
        Ok(v) => Labelled::of(v),
        Err(_) => Labelled::raw(code, code),
    }
}

impl FacetsView {
    fn new(counts: Vec<(Facet, FacetCounts)>) -> FacetsView {
        let mut view = FacetsView::default();
        for (facet, values) in counts {
            let label: fn(&str) -> Labelled = match facet {
                Facet::Region => region_label,
                Facet::EmploymentType => coded_label::<EmploymentType>,
                Facet::Schedule => coded_label::<Schedule>,
                Facet::SalaryBand => coded_label::<SalaryBand>,
            };
            let values = Some(
                values
                    .into_iter()
                    .map(|(code, count)| {
                        let l = label(&code);
                        FacetValue {
                            code: l.code,
                            title: l.title,
                            count,
                        }
                    })
                    .collect(),
            );
            match facet {
                Facet::Region => view.region = values,
                Facet::EmploymentType => view.employment_type = values,
                Facet::Schedule => view.schedule = values,
                Facet::SalaryBand => view.salary_band = values,
            }
        }
        view
    }
}

/// A page of the vacancy search.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = search_page_example)]
pub struct VacancySearchPage {
    pub items: Vec<VacancyView>,
    /// The page number asked for; null on a page reached by `cursor`.
    #[schema(example = 1, required)]
    pub page: Option<u32>,
    #[schema(example = 10)]
    pub per_page: u32,
    /// Matches: exact up to 1 000; past that an estimate, and `total_is_estimate` is
    /// true.
    #[schema(example = 42)]
    pub total: u64,
    #[schema(example = 5)]
    pub total_pages: u64,
    /// `total` (and so `total_pages`) is an estimate.
    pub total_is_estimate: bool,
    /// When the words found nothing: the text they probably meant, which finds
    /// vacancies with the same filters (`бугалтер` → `бухгалтер`); offer it as «Возможно,
    /// вы имели в виду…». Null otherwise. Only on a first page asked by number.
    #[schema(example = json!(null), required)]
    pub did_you_mean: Option<String>,
    /// Pass as `cursor` for the page after this one; null on the last page.
    #[schema(example = "djF8ZGF0ZXwuLi4", required)]
    pub next_cursor: Option<String>,
    /// The facets asked for with `facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub facets: Option<FacetsView>,
}

/// The first page of a search that asked for the `region` facet.
fn search_page_example() -> serde_json::Value {
    serde_json::json!({
        "items": [crate::views::example_of::<VacancyView>()],
        "page": 1,
        "per_page": 10,
        "total": 1,
        "total_pages": 1,
        "total_is_estimate": false,
        "did_you_mean": null,
        "next_cursor": null,
        "facets": {"region": [{"code": "77", "title": "Москва", "count": 1}]}
    })
}

fn cursor_error(e: CursorError) -> ApiError {
    let message = match e {
        CursorError::Malformed => "Курсор повреждён: возьмите next_cursor из ответа",
        CursorError::OtherSearch => "Курсор выдан для другого поиска или сортировки",
    };
    ApiError::field("cursor", "invalid", message)
}

/// What one search request asks for, as validated.
struct Search {
    filter: VacancyFilter,
    sort: VacancySort,
    start: Start,
    page: persistence::paging::PageRequest,
    by_cursor: bool,
    /// The total the cursor carries, when it may still be shown.
    carried: Option<Carried>,
    facets: Vec<Facet>,
    fingerprint: String,
}

/// Search vacancies
///
/// Published vacancies filtered by region, words, category, profession, employment
/// type, schedule, experience, salary, salary band, benefits and publication period.
/// Words are matched in any grammatical form (`поварами` finds «Повар»). Sorted by
/// relevance (default with words: vacancies whose title holds every word first, then
/// newest), date (default otherwise), salary or employer rating. Public: the bank is
/// open to everyone.
///
/// Paging: `page` for the first pages, or `cursor` (the previous page's
/// `next_cursor`), which costs the same however deep and returns every match once
/// even while vacancies are published; its pages repeat the total the walk counted
/// (for ten minutes, then it is counted again). `total` is exact up to 1 000 matches and
/// estimated past that (`total_is_estimate`), as search engines do: counting every
/// match of a broad search over a national bank would cost more than the page.
/// `facets` adds counts per value of the search: exact up to 1 000 matches, past that
/// counted in 1 001 of them and scaled to the total.
///
/// Words that find nothing (up to four of them) are checked for typos against the
/// words of vacancy titles (a letter or two wrong, missing, extra or swapped; the first
/// letter as typed): the page then says what they probably meant in `did_you_mean`,
/// never silently searching for something else.
///
/// Pages and totals are remembered for a few seconds (5 by default; the operator may
/// change it): a vacancy published, edited or closed retires the remembered pages of
/// its region at once on the server it went through, and within moments (the change
/// feed) on the others, those seconds at most should the feed be slow.
#[utoipa::path(
    tag = "vacancies",
    operation_id = "search_vacancies",
    params(VacancyQuery),
    responses(
        (status = 200, description = "A page of vacancies", body = VacancySearchPage),
    ),
    security(()),
)]
#[get("/vacancies")]
pub async fn search(
    state: web::Data<AppState>,
    query: ValidQuery<VacancyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let filter = q.filter();
    let sort = q.sort(&filter);
    let page = q.page().request();
    let facets = q
        .facets
        .as_deref()
        .map(|f| parse_facets(f).unwrap_or_default())
        .unwrap_or_default();
    let fingerprint = search_cursor::fingerprint(&filter);
    let (start, carried) = match &q.cursor {
        None => (Start::Offset(page.offset()), None),
        Some(_) if page.page > 1 => {
            return Err(ApiError::field(
                "cursor",
                "with_page",
                "Курсор заменяет номер страницы: передайте что-то одно",
            ))
        }
        Some(c) => {
            let cursor = search_cursor::decode(c, &fingerprint, sort).map_err(cursor_error)?;
            let now = Utc::now().timestamp();
            let carried = cursor.total.filter(|t| t.kept_at(now));
            (Start::After(cursor.after), carried)
        }
    };
    let asked = state.vacancy_searches.asked(SearchQuery {
        filter: &filter,
        sort,
        page: page.page,
        per_page: page.per_page,
        cursor: q.cursor.as_deref(),
        facets: &facets,
    });
    let search = Search {
        filter,
        sort,
        start,
        page,
        by_cursor: q.cursor.is_some(),
        carried,
        facets,
        fingerprint,
    };
    let body = state
        .vacancy_searches
        .page(asked, |total| render(state.clone(), total, search))
        .await?;
    Ok(crate::remembered::ok(body))
}

/// One page of the search as JSON with its total, and when the total was counted.
async fn render(
    state: web::Data<AppState>,
    total: Total,
    s: Search,
) -> Result<(Vec<u8>, Instant), ApiError> {
    let at = now();
    let counted = s.filter.clone();
    // The matches the facets are counted from, when the count read them already.
    let mut sample = None;
    let Counted {
        total: matched,
        fresh,
        at: counted_at,
    } = match s.carried {
        Some(carried) => carried_count(carried),
        None if !s.facets.is_empty() => {
            let count = async {
                let (matched, read) = state
                    .run(move |conn| vacancy_facets::count_reading_facets(conn, &counted, at))
                    .await?;
                sample = Some(read);
                Ok(matched)
            };
            total.get_or_count(count).await?
        }
        None => {
            total
                .get_or_count(state.run(move |conn| vacancy_totals::count(conn, &counted, at)))
                .await?
        }
    };
    // What the next page's cursor carries: the carried total as it came, or this count.
    let carry = s.carried.unwrap_or_else(|| Carried {
        total: matched,
        counted_at: unix_seconds_at(counted_at),
    });
    let (mut total, mut estimate) = (matched.count, matched.estimate);
    // Counted just now and nothing at this offset: a word nobody uses (a typo, say)
    // would otherwise be looked for along the whole bank a second time.
    let past_the_end = matches!(s.start, Start::Offset(o)
        if fresh && !estimate && o >= i64::try_from(total).unwrap_or(i64::MAX));
    let offset = match s.start {
        Start::Offset(o) => Some(o),
        Start::After(_) => None,
    };
    let found = if past_the_end {
        Found {
            items: Vec::new(),
            next: None,
        }
    } else {
        let (filter, sort, start, limit) = (s.filter.clone(), s.sort, s.start, s.page.limit());
        let few = !estimate && total <= vacancy_totals::EXACT_BOUND;
        let page_of =
            move |conn: &mut _| vacancy_search::page(conn, &filter, sort, &start, limit, at, few);
        if vacancy_search::tries_patterns(&s.filter) {
            state.run(page_of).await?
        } else {
            state.read(page_of).await?
        }
    };
    // An estimate the last page contradicts: the matches end here.
    if let (true, Some(o), None) = (estimate, offset, &found.next) {
        total = u64::try_from(o).unwrap_or(0) + u64::try_from(found.items.len()).unwrap_or(0);
        estimate = false;
    }
    let matched = vacancy_totals::Total {
        count: total,
        estimate,
    };
    let did_you_mean = if total == 0 && offset == Some(0) {
        correction(&state, &s.filter, at).await?
    } else {
        None
    };
    let facets = match (s.facets.is_empty(), sample) {
        (true, _) => None,
        (false, Some(sample)) => Some(FacetsView::new(sample.counts(&s.facets, matched))),
        (false, None) => {
            let (filter, which) = (s.filter.clone(), s.facets.clone());
            let counts = state
                .run(move |conn| vacancy_facets::facets(conn, &filter, &which, matched, at))
                .await?;
            Some(FacetsView::new(counts))
        }
    };
    let per_page = s.page.per_page;
    let view = VacancySearchPage {
        next_cursor: found
            .next
            .as_ref()
            .map(|a| search_cursor::encode(&s.fingerprint, a, carry)),
        items: found.items.into_iter().map(VacancyView::from).collect(),
        page: (!s.by_cursor).then_some(s.page.page),
        per_page,
        total,
        total_pages: total.div_ceil(u64::from(per_page.max(1))),
        total_is_estimate: estimate,
        did_you_mean,
        facets,
    };
    Ok((crate::remembered::json(&view)?, counted_at))
}

/// A total carried by a cursor, as if remembered: counted when the cursor says.
fn carried_count(carried: Carried) -> Counted {
    let age = Utc::now().timestamp() - carried.counted_at;
    let age = Duration::from_secs(u64::try_from(age).unwrap_or(0));
    Counted {
        total: carried.total,
        fresh: false,
        at: Instant::now().checked_sub(age).unwrap_or_else(Instant::now),
    }
}

/// The Unix time of an instant of this process's clock.
fn unix_seconds_at(at: Instant) -> i64 {
    let ago = chrono::TimeDelta::from_std(at.elapsed()).unwrap_or_default();
    (Utc::now() - ago).timestamp()
}

/// The text a search that found nothing probably meant (a typo, most often), when
/// that text finds something with the same filters.
async fn correction(
    state: &web::Data<AppState>,
    filter: &VacancyFilter,
    at: chrono::NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    let Some(text) = filter.text.clone().filter(|_| !filter.stems().is_empty()) else {
        return Ok(None);
    };
    let mut asked = filter.clone();
    state
        .run(move |conn| {
            let Some(corrected) = suggestions::did_you_mean(conn, &text)? else {
                return Ok::<_, persistence::StoreError>(None);
            };
            asked.text = Some(corrected.clone());
            let found = vacancy_totals::count(conn, &asked, at)?;
            Ok((found.count > 0).then_some(corrected))
        })
        .await
}
