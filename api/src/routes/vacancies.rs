//! The vacancy bank (SPEC §5) and the employer's own vacancies.

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::reference;
use domain::role::Role;
use domain::vacancy::{
    check_salary, Benefit, EducationLevel, EmploymentType, Experience, SalaryError, Schedule,
};
use persistence::vacancies::{self, NewVacancy, Vacancy};
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{utc, AppealView, Labelled, PageView, PolledPageQuery};

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
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    #[schema(required)]
    pub profession: Option<Labelled>,
    pub category: Labelled,
    pub region: Labelled,
    #[schema(required)]
    pub address: Option<String>,
    pub employer: EmployerRef,
    pub employment_type: Labelled<crate::codes::EmploymentTypeCode>,
    pub schedule: Labelled<crate::codes::ScheduleCode>,
    pub experience: Labelled<crate::codes::ExperienceCode>,
    #[schema(required)]
    pub education: Option<Labelled<crate::codes::EducationLevelCode>>,
    /// Roubles a month, before tax.
    #[schema(required)]
    pub salary_from: Option<i64>,
    #[schema(required)]
    pub salary_to: Option<i64>,
    pub benefits: Vec<Labelled<crate::codes::BenefitCode>>,
    pub description: String,
    /// `published` or `closed`.
    #[schema(value_type = crate::codes::VacancyStatusCode)]
    pub status: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerRef {
    #[schema(required, format = Uuid)]
    pub organization_id: Option<String>,
    pub name: String,
    /// The employer's rating on the national platform, 0–5.
    pub rating: f64,
}

fn label(code: &str, title: Option<&str>) -> Labelled {
    Labelled::raw(code, title.unwrap_or(code))
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
    #[validate(custom(function = "crate::validation::distinct"))]
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
#[schema(example = submitted_example)]
pub struct SubmittedVacancy {
    pub vacancy: VacancyView,
    /// The «vacancies» report's appeal, already `completed`.
    pub appeal: AppealView,
}

fn submitted_example() -> serde_json::Value {
    serde_json::json!({
        "vacancy": crate::views::example_of::<VacancyView>(),
        "appeal": crate::views::filed_report_example(
            domain::appeal_type::AppealType::ReportVacancies
        ),
    })
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
    extensions(("x-problem-codes" = json!([ProblemCode::OrganizationNotVerified]))),
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
    let (vacancy, appeal) = state
        .as_actor(&bearer, move |conn, actor| {
            vacancies::submit(conn, actor, new, draft.as_deref(), now())
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
/// Every vacancy the employer's organisation sent, newest first. With
/// `updated_since`, only those sent or changed (edited, published, closed) after it.
#[utoipa::path(
    tag = "employer",
    operation_id = "list_employer_vacancies",
    params(PolledPageQuery),
    responses(
        (status = 200, description = "A page of the organisation's vacancies", body = PageView<VacancyView>),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/vacancies")]
pub async fn of_organization(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<PolledPageQuery>,
) -> Result<web::Json<PageView<VacancyView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let (since, page) = query.0.split();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            let org = actor
                .organization_id
                .clone()
                .ok_or(persistence::StoreError::NotFound)?;
            vacancies::of_organization(conn, &org, since, page)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, VacancyView::from)))
}
