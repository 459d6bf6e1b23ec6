//! The vacancy bank (SPEC §5) and the employer's own vacancies.

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::reference;
use domain::role::Role;
use domain::vacancy::{
    check_salary, Benefit, EducationLevel, EmploymentType, Experience, PublishedWithin,
    SalaryError, Schedule, VacancyFilter, VacancySort,
};
use persistence::paging::Page;
use persistence::vacancies::{self, NewVacancy, Vacancy};
use serde::Deserialize;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::state::{now, AppState};
use crate::totals::Counted;
use crate::validation;
use crate::views::{utc, AppealView, Labelled, PageQuery, PageView};

/// A vacancy as the bank shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f50-aaaa-7000-8000-000000000001",
    "title": "Повар горячего цеха",
    "profession": {"code": "16675", "title": "Повар"},
    "category": {"code": "services", "title": "Сфера услуг и общепит"},
    "region": {"code": "77", "title": "Москва"},
    "address": "г. Москва, ул. Арбат, д. 10",
    "employer": {"organization_id": "01935f3e-0000-7000-8000-00000000000a", "name": "ООО «Демо-Работодатель»", "rating": 4.5},
    "employment_type": {"code": "full_time", "title": "Полная занятость"},
    "schedule": {"code": "shift", "title": "Сменный график"},
    "experience": {"code": "from_1_to_3", "title": "От 1 года до 3 лет"},
    "education": {"code": "secondary_vocational", "title": "Среднее профессиональное"},
    "salary_from": 70000,
    "salary_to": 90000,
    "benefits": [{"code": "meals", "title": "Питание"}],
    "description": "Приготовление блюд по технологическим картам.",
    "status": "published",
    "published_at": "2026-11-20T09:00:00Z",
    "updated_at": "2026-11-20T09:00:00Z"
}))]
pub struct VacancyView {
    pub id: String,
    pub title: String,
    pub profession: Option<Labelled>,
    pub category: Labelled,
    pub region: Labelled,
    pub address: Option<String>,
    pub employer: EmployerRef,
    pub employment_type: Labelled,
    pub schedule: Labelled,
    pub experience: Labelled,
    pub education: Option<Labelled>,
    /// Roubles a month, before tax.
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
    pub benefits: Vec<Labelled>,
    pub description: String,
    /// `published` or `closed`.
    pub status: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerRef {
    pub organization_id: Option<String>,
    pub name: String,
    /// The employer's rating on the national platform, 0–5.
    pub rating: f64,
}

fn label(code: &str, title: Option<&str>) -> Labelled {
    Labelled {
        code: code.into(),
        title: title.unwrap_or(code).into(),
    }
}

pub fn category_label(code: &str) -> Labelled {
    let title = reference::PROFESSION_CATEGORIES
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.title);
    label(code, title)
}

pub fn region_label(code: &str) -> Labelled {
    label(code, reference::region_title(code))
}

pub fn profession_label(code: &str) -> Labelled {
    label(code, reference::profession(code).map(|p| p.title))
}

impl From<Vacancy> for VacancyView {
    fn from(v: Vacancy) -> VacancyView {
        VacancyView {
            profession: v.profession_code.as_deref().map(profession_label),
            category: category_label(&v.category),
            region: region_label(&v.region_code),
            employer: EmployerRef {
                organization_id: v.organization_id,
                name: v.employer_name,
                rating: v.employer_rating,
            },
            employment_type: Labelled::of(v.employment_type),
            schedule: Labelled::of(v.schedule),
            experience: Labelled::of(v.experience),
            education: v.education.map(Labelled::of),
            benefits: v.benefits.into_iter().map(Labelled::of).collect(),
            id: v.id,
            title: v.title,
            address: v.address,
            salary_from: v.salary_from,
            salary_to: v.salary_to,
            description: v.description,
            status: v.status,
            published_at: utc(v.published_at),
            updated_at: utc(v.updated_at),
        }
    }
}

pub fn known_region(code: &str) -> Result<(), ValidationError> {
    match reference::region_title(code) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new("unknown")
            .with_message("Регион не найден в справочнике regions".into())),
    }
}

pub fn known_category(code: &str) -> Result<(), ValidationError> {
    if reference::is_category(code) {
        Ok(())
    } else {
        Err(ValidationError::new("unknown")
            .with_message("Категория не найдена в справочнике profession_categories".into()))
    }
}

pub fn known_profession(code: &str) -> Result<(), ValidationError> {
    match reference::profession(code) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new("unknown")
            .with_message("Профессия не найдена в справочнике professions".into())),
    }
}

fn benefit_list(list: &str) -> Result<(), ValidationError> {
    parse_benefits(list).map(|_| ())
}

fn parse_benefits(list: &str) -> Result<Vec<Benefit>, ValidationError> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.parse().map_err(|_| {
                ValidationError::new("unknown")
                    .with_message("Социальная гарантия не найдена в справочнике benefits".into())
            })
        })
        .collect()
}

/// Search filters, sort and paging of the vacancy bank.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[validate(schema(function = "salary_range", skip_on_field_errors = false))]
pub struct VacancyQuery {
    /// Region code (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: Option<String>,
    /// Words of the position or profession, e.g. `повар`.
    #[validate(length(max = 100))]
    pub text: Option<String>,
    /// Profession category code (dictionary `profession_categories`).
    #[validate(custom(function = "known_category"))]
    pub category: Option<String>,
    #[param(value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<EmploymentType>,
    #[param(value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<Schedule>,
    #[param(value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<Experience>,
    /// The least a month, in roubles: vacancies whose range reaches it.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<i64>,
    /// The most: vacancies whose range starts within it.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<i64>,
    /// Comma-separated benefit codes, all of which must be offered, e.g. `meals,housing`.
    #[validate(custom(function = "benefit_list"))]
    pub benefits: Option<String>,
    #[param(value_type = Option<crate::docs::PublishedWithinCode>)]
    pub published_within: Option<PublishedWithin>,
    /// `date` (default, newest first), `salary` (highest first) or `rating`.
    #[param(value_type = Option<crate::docs::VacancySortCode>)]
    pub sort: Option<VacancySort>,
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
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
        }
    }

    fn page(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Search vacancies
///
/// Published vacancies filtered by region, text, category, employment type, schedule,
/// experience, salary, benefits and publication period, sorted by date (default),
/// salary or employer rating. Public: the bank is open to everyone.
///
/// Pages and totals are remembered for a few seconds (`PORTAL_VACANCY_SEARCH_SECONDS`,
/// 5 by default): a vacancy shows in every search at once on the server it was
/// published through, and within those seconds on the others.
#[utoipa::path(
    tag = "vacancies",
    operation_id = "search_vacancies",
    params(VacancyQuery),
    responses(
        (status = 200, description = "A page of vacancies", body = PageView<VacancyView>),
    ),
    security(()),
)]
#[get("/vacancies")]
pub async fn search(
    state: web::Data<AppState>,
    query: ValidQuery<VacancyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let (filter, sort, page) = (q.filter(), q.sort.unwrap_or_default(), q.page().request());
    let totals_key = state.search_totals.key(&filter);
    let page_key = format!("{totals_key}|{sort:?}|{}|{}", page.page, page.per_page);
    let body = state
        .search_pages
        .get_or_render(
            Some(page_key),
            render(state.clone(), totals_key, filter, sort, page),
        )
        .await?;
    Ok(crate::pages::ok(body))
}

/// One page of the search as JSON with its total, and when the total was counted.
async fn render(
    state: web::Data<AppState>,
    totals_key: String,
    filter: VacancyFilter,
    sort: VacancySort,
    page: persistence::paging::PageRequest,
) -> Result<(Vec<u8>, std::time::Instant), ApiError> {
    let at = now();
    let counted = filter.clone();
    let Counted {
        total,
        fresh,
        at: counted_at,
    } = state
        .search_totals
        .get_or_count(
            totals_key,
            state.run(move |conn| vacancies::count(conn, &counted, at)),
        )
        .await?;
    // Counted just now and nothing on this page: a word nobody uses (a typo, say) would
    // otherwise be looked for along the whole bank a second time.
    let found = if fresh && page.offset() >= i64::try_from(total).unwrap_or(i64::MAX) {
        Page {
            items: Vec::new(),
            page: page.page,
            per_page: page.per_page,
            total,
        }
    } else {
        // The count visits every match, so it runs on the blocking pool. The page stops
        // at its end, so it is a short read, unless a text pattern must be tried on row
        // after row until enough match.
        let scans = vacancies::tries_patterns(&filter);
        let page_of = move |conn: &mut _| vacancies::search(conn, &filter, sort, page, at, total);
        if scans {
            state.run(page_of).await?
        } else {
            state.read(page_of).await?
        }
    };
    let view = PageView::from_page(found, VacancyView::from);
    Ok((crate::pages::json(&view)?, counted_at))
}

/// A vacancy
///
/// A published vacancy of the bank. Public.
#[utoipa::path(
    tag = "vacancies",
    operation_id = "get_vacancy",
    params(("id" = String, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "The vacancy", body = VacancyView),
    ),
    security(()),
)]
#[get("/vacancies/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<VacancyView>, ApiError> {
    let id = id.into_inner();
    let vacancy = state
        .read(move |conn| vacancies::get(conn, &id, None))
        .await?;
    Ok(web::Json(vacancy.into()))
}

/// An employer's new vacancy.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[validate(schema(function = "offered_salary", skip_on_field_errors = false))]
#[schema(example = json!({
    "title": "Повар горячего цеха",
    "profession_code": "16675",
    "category": "services",
    "region_code": "77",
    "address": "г. Москва, ул. Арбат, д. 10",
    "employment_type": "full_time",
    "schedule": "shift",
    "experience": "from_1_to_3",
    "education": "secondary_vocational",
    "salary_from": 70000,
    "salary_to": 90000,
    "benefits": ["meals"],
    "description": "Приготовление блюд по технологическим картам."
}))]
pub struct NewVacancyBody {
    #[validate(length(min = 2, max = 200), custom(function = "validation::not_blank"))]
    pub title: String,
    /// ОКПДТР code (dictionary `professions`).
    #[validate(custom(function = "known_profession"))]
    pub profession_code: Option<String>,
    #[validate(custom(function = "known_category"))]
    pub category: String,
    #[validate(custom(function = "known_region"))]
    pub region_code: String,
    #[validate(length(max = 500))]
    pub address: Option<String>,
    #[schema(value_type = crate::docs::EmploymentTypeCode)]
    pub employment_type: EmploymentType,
    #[schema(value_type = crate::docs::ScheduleCode)]
    pub schedule: Schedule,
    #[schema(value_type = crate::docs::ExperienceCode)]
    pub experience: Experience,
    #[schema(value_type = Option<crate::docs::EducationLevelCode>)]
    pub education: Option<EducationLevel>,
    pub salary_from: Option<i64>,
    pub salary_to: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Vec<crate::docs::BenefitCode>)]
    pub benefits: Vec<Benefit>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "validation::not_blank")
    )]
    pub description: String,
    /// The draft this form was filled in; deleted when the vacancy is sent.
    pub draft_id: Option<String>,
}

fn offered_salary(b: &NewVacancyBody) -> Result<(), ValidationError> {
    check_salary(b.salary_from, b.salary_to).map_err(|e| {
        let message = match e {
            SalaryError::NotPositive => "Зарплата должна быть больше нуля",
            SalaryError::Inverted => "Зарплата «от» больше зарплаты «до»",
        };
        ValidationError::new("salary").with_message(message.into())
    })
}

/// A sent vacancy with the appeal that proves it reached the centre.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedVacancy {
    pub vacancy: VacancyView,
    /// The «vacancies» report's appeal, already `completed`.
    pub appeal: AppealView,
}

/// Submit a vacancy
///
/// Publishes a vacancy of the employer's organisation in the bank. This is the
/// «vacancies» report: it files an appeal to the centre that is `completed` at once,
/// with its history. Saved searches that match tell their owners.
#[utoipa::path(
    tag = "employer",
    operation_id = "submit_vacancy",
    request_body = NewVacancyBody,
    responses(
        (status = 201, description = "Published", body = SubmittedVacancy,
            headers(("Location" = String, description = "`/api/v1/vacancies/{id}`"))),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/vacancies")]
pub async fn submit(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewVacancyBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let b = body.0;
    let draft = b.draft_id.clone();
    let new = NewVacancy {
        organization_id: None,
        employer_name: String::new(),
        employer_rating: 0.0,
        title: b.title.trim().to_owned(),
        profession_code: b.profession_code,
        category: b.category,
        region_code: b.region_code,
        address: b.address,
        employment_type: b.employment_type,
        schedule: b.schedule,
        experience: b.experience,
        education: b.education,
        salary_from: b.salary_from,
        salary_to: b.salary_to,
        benefits: b.benefits,
        description: b.description.trim().to_owned(),
    };
    let changes = state.changes.clone();
    let searches = state.clone();
    let (vacancy, appeal) = state
        .as_actor(&bearer, move |conn, actor| {
            // Told on the thread that committed, so that a client gone meanwhile
            // cannot leave the search serving pages without the vacancy.
            vacancies::submit(conn, actor, new, draft.as_deref(), now(), &changes)
                .inspect(|(vacancy, _)| searches.search_totals.published(&vacancy.region_code))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/vacancies/{}", vacancy.id),
        ))
        .json(SubmittedVacancy {
            vacancy: vacancy.into(),
            appeal: AppealView::new(appeal, Role::Employer),
        }))
}

/// The organisation's vacancies
///
/// Every vacancy the employer's organisation sent, newest first.
#[utoipa::path(
    tag = "employer",
    operation_id = "list_employer_vacancies",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the organisation's vacancies", body = PageView<VacancyView>),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/vacancies")]
pub async fn of_organization(
    state: web::Data<AppState>,
    bearer: Bearer,
    page: ValidQuery<PageQuery>,
) -> Result<web::Json<PageView<VacancyView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let page = page.0.request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            let org = actor
                .organization_id
                .clone()
                .ok_or(persistence::StoreError::NotFound)?;
            vacancies::of_organization(conn, &org, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, VacancyView::from)))
}
