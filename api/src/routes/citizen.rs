//! The citizen's cabinet: services and personal cases.

use actix_web::{delete, get, post, put, web};
use domain::eligibility::{self, ServiceAvailability};
use domain::role::Role;
use domain::Coded;
use persistence::citizens;
use serde::Serialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::AppState;
use crate::views::CaseView;

/// One service of the cabinet and whether this citizen may request it now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "vocational_training",
    "title": "Профессиональное обучение и дополнительное профобразование",
    "available": false,
    "reason": "no_unemployed_case",
    "reason_text": "Нужно личное дело в статусе «Безработный»"
}))]
pub struct ServiceView {
    /// The code `POST /citizen/services/{code}/requests` takes.
    #[schema(value_type = crate::codes::ServiceCode)]
    pub code: String,
    pub title: String,
    pub available: bool,
    /// Which condition failed, when unavailable (null when available).
    #[schema(value_type = Option<crate::codes::IneligibilityCode>, required)]
    pub reason: Option<String>,
    /// The condition's Russian wording (null when available).
    #[schema(required)]
    pub reason_text: Option<String>,
}

impl From<ServiceAvailability> for ServiceView {
    fn from(a: ServiceAvailability) -> ServiceView {
        ServiceView {
            code: a.service.code().to_owned(),
            title: a.service.title().to_owned(),
            available: a.available(),
            reason: a.refusal.map(|r| r.code().to_owned()),
            reason_text: a.refusal.map(|r| r.title().to_owned()),
        }
    }
}

/// The citizen's services
///
/// All thirteen services of the cabinet in its order, each with `available` worked out
/// from the citizen's personal cases and, when unavailable, the reason.
#[utoipa::path(
    operation_id = "list_citizen_services",
    tag = "citizen",
    responses(
        (status = 200, description = "Every service with its availability", body = Vec<ServiceView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/services")]
pub async fn services(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<ServiceView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let cases = state
        .as_actor(&bearer, |conn, actor| {
            citizens::cases_of(conn, &actor.user_id)
        })
        .await?;
    let facts: Vec<_> = cases.iter().map(|c| c.facts()).collect();
    Ok(web::Json(
        eligibility::evaluate(&facts)
            .into_iter()
            .map(ServiceView::from)
            .collect(),
    ))
}

/// The citizen's personal cases
///
/// The personal cases (личные дела) centre staff keep for this citizen, newest first.
/// Read-only: staff open and change them.
#[utoipa::path(
    operation_id = "list_my_personal_cases",
    tag = "citizen",
    responses(
        (status = 200, description = "The citizen's cases", body = Vec<CaseView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/personal-cases")]
pub async fn personal_cases(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<CaseView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let cases = state
        .as_actor(&bearer, |conn, actor| {
            citizens::cases_of(conn, &actor.user_id)
        })
        .await?;
    Ok(web::Json(cases.into_iter().map(CaseView::from).collect()))
}

/// A request for a service.
#[derive(Debug, serde::Deserialize, Validate, ToSchema)]
#[schema(example = json!({"body": "Прошу направить на курсы повышения квалификации бухгалтеров"}))]
pub struct ServiceRequestBody {
    /// What the citizen asks for; defaults to the service's title.
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::validation::not_blank")
    )]
    pub body: Option<String>,
    /// The centre to address; defaults to the citizen's own.
    pub centre_id: Option<String>,
    /// The draft this form was filled in; deleted when the request is filed.
    pub draft_id: Option<String>,
}

/// Request a service
///
/// Files an appeal of the service's type to the citizen's centre. Refused (409,
/// `service_not_available`) with the same machine reason as the services list when the
/// citizen's personal cases do not allow it.
#[utoipa::path(
    tag = "citizen",
    operation_id = "request_service",
    params(
        ("code" = crate::docs::ServiceCode, Path, description = "The service's code"),
        crate::docs::IdempotencyKey,
    ),
    request_body = ServiceRequestBody,
    responses(
        (status = 201, description = "Filed", body = crate::views::AppealView,
            headers(("Location" = String, description = "`/api/v1/appeals/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::ServiceNotAvailable]))),
    security(("bearer" = [])),
)]
#[post(
    "/citizen/services/{code}/requests",
    wrap = "crate::idempotency::Idempotent::json()"
)]
pub async fn request_service(
    state: web::Data<AppState>,
    bearer: Bearer,
    code: web::Path<String>,
    body: crate::extract::ValidJson<ServiceRequestBody>,
) -> Result<actix_web::HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let service = domain::eligibility::Service::from_code(&code).ok_or(ApiError::NotFound)?;
    let b = body.0;
    let new = persistence::appeals::NewAppeal {
        appeal_type: domain::appeal_type::AppealType::for_service(service),
        subject: None,
        body: b
            .body
            .map(|t| t.trim().to_owned())
            .unwrap_or_else(|| service.title().to_owned()),
        centre_id: b.centre_id,
        draft_id: b.draft_id,
    };
    let appeal = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::appeals::file(conn, actor, new, crate::state::now())
        })
        .await?;
    Ok(actix_web::HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/appeals/{}", appeal.id),
        ))
        .json(crate::views::AppealView::new(appeal, Role::Citizen)))
}

/// A starred vacancy.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = favourite_example)]
pub struct FavouriteVacancy {
    pub vacancy: crate::routes::vacancies::VacancyView,
    pub added_at: chrono::DateTime<chrono::Utc>,
}

fn favourite_example() -> serde_json::Value {
    serde_json::json!({
        "vacancy": crate::views::example_of::<crate::routes::vacancies::VacancyView>(),
        "added_at": "2026-11-28T18:05:00Z"
    })
}

/// Favourite vacancies
///
/// Vacancies the citizen starred in the bank, most recently starred first. A
/// job-search application can cite them as «самостоятельно найденные вакансии».
#[utoipa::path(
    tag = "citizen",
    operation_id = "list_favourite_vacancies",
    params(crate::views::PageQuery),
    responses(
        (status = 200, description = "A page of favourites", body = crate::views::PageView<FavouriteVacancy>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/favourite-vacancies")]
pub async fn favourites(
    state: web::Data<AppState>,
    bearer: Bearer,
    page: crate::extract::ValidQuery<crate::views::PageQuery>,
) -> Result<web::Json<crate::views::PageView<FavouriteVacancy>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let page = page.0.request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::vacancies::favourites(conn, &actor.user_id, page)
        })
        .await?;
    Ok(web::Json(crate::views::PageView::from_page(
        found,
        |(v, at)| FavouriteVacancy {
            vacancy: v.into(),
            added_at: crate::views::utc(at),
        },
    )))
}

/// Star a vacancy
///
/// Adds a published vacancy to favourites. Idempotent: starring it again changes nothing.
/// A citizen keeps at most 500 favourites (409 `limit_reached`).
#[utoipa::path(
    tag = "citizen",
    operation_id = "add_favourite_vacancy",
    params(("vacancy_id" = String, Path, description = "The vacancy's id")),
    responses(
        (status = 204, description = "In favourites"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[put("/citizen/favourite-vacancies/{vacancy_id}")]
pub async fn add_favourite(
    state: web::Data<AppState>,
    bearer: Bearer,
    vacancy_id: web::Path<String>,
) -> Result<actix_web::HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = vacancy_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            persistence::vacancies::add_favourite(conn, &actor.user_id, &id, crate::state::now())
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// Un-star a vacancy
///
/// Removes a vacancy from favourites. Idempotent: removing one that is not there is no error.
#[utoipa::path(
    tag = "citizen",
    operation_id = "remove_favourite_vacancy",
    params(("vacancy_id" = String, Path, description = "The vacancy's id")),
    responses(
        (status = 204, description = "Not in favourites"),
    ),
    security(("bearer" = [])),
    // Idempotent: removing what is not there is no error.
    extensions(("x-not-answered" = json!([404]))),
)]
#[delete("/citizen/favourite-vacancies/{vacancy_id}")]
pub async fn remove_favourite(
    state: web::Data<AppState>,
    bearer: Bearer,
    vacancy_id: web::Path<String>,
) -> Result<actix_web::HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = vacancy_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            persistence::vacancies::remove_favourite(conn, &actor.user_id, &id)
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// A saved vacancy search.
#[derive(Debug, serde::Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "Повар в Москве", "filter": {"region": "77", "text": "повар", "salary_from": 60000}}))]
pub struct SavedSearchBody {
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::validation::not_blank")
    )]
    pub name: String,
    /// The same filters as `GET /vacancies` (without sort and paging).
    #[validate(nested)]
    pub filter: SearchFilterBody,
}

/// The filters of a saved search, as sent: each optional.
#[derive(Debug, Clone, serde::Deserialize, Validate, ToSchema)]
#[validate(schema(function = "saved_salary_range", skip_on_field_errors = false))]
pub struct SearchFilterBody {
    #[validate(custom(function = "crate::routes::vacancies::known_region"))]
    pub region: Option<String>,
    #[validate(length(max = 100))]
    pub text: Option<String>,
    #[validate(custom(function = "crate::routes::vacancies::known_category"))]
    pub category: Option<String>,
    #[schema(value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<domain::vacancy::EmploymentType>,
    #[schema(value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<domain::vacancy::Schedule>,
    #[schema(value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<domain::vacancy::Experience>,
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<i64>,
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<i64>,
    #[serde(default)]
    #[validate(custom(function = "crate::validation::distinct"))]
    #[schema(value_type = Vec<crate::docs::BenefitCode>)]
    pub benefits: Vec<domain::vacancy::Benefit>,
}

fn saved_salary_range(f: &SearchFilterBody) -> Result<(), validator::ValidationError> {
    match (f.salary_from, f.salary_to) {
        (Some(from), Some(to)) if from > to => Err(validator::ValidationError::new("salary_range")
            .with_message("Зарплата «от» больше зарплаты «до»".into())),
        _ => Ok(()),
    }
}

impl SearchFilterBody {
    fn filter(&self) -> domain::vacancy::VacancyFilter {
        domain::vacancy::VacancyFilter {
            region: self.region.clone(),
            text: self.text.clone(),
            category: self.category.clone(),
            employment_type: self.employment_type,
            schedule: self.schedule,
            experience: self.experience,
            salary_from: self.salary_from,
            salary_to: self.salary_to,
            benefits: self.benefits.clone(),
            published_within: None,
            profession_code: None,
            salary_band: None,
            updated_since: None,
        }
    }
}

/// The filters of a saved search, as answered: every one sent, `null` when not set.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"region": "77", "text": "повар", "category": null, "employment_type": "full_time",
    "schedule": null, "experience": null, "salary_from": 60000, "salary_to": null, "benefits": []}))]
pub struct SearchFilterView {
    #[schema(required)]
    pub region: Option<String>,
    #[schema(required)]
    pub text: Option<String>,
    #[schema(required)]
    pub category: Option<String>,
    #[schema(required, value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<domain::vacancy::EmploymentType>,
    #[schema(required, value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<domain::vacancy::Schedule>,
    #[schema(required, value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<domain::vacancy::Experience>,
    #[schema(required)]
    pub salary_from: Option<i64>,
    #[schema(required)]
    pub salary_to: Option<i64>,
    #[schema(value_type = Vec<crate::docs::BenefitCode>)]
    pub benefits: Vec<domain::vacancy::Benefit>,
}

impl SearchFilterView {
    fn from_filter(f: domain::vacancy::VacancyFilter) -> SearchFilterView {
        SearchFilterView {
            region: f.region,
            text: f.text,
            category: f.category,
            employment_type: f.employment_type,
            schedule: f.schedule,
            experience: f.experience,
            salary_from: f.salary_from,
            salary_to: f.salary_to,
            benefits: f.benefits,
        }
    }
}

/// A saved vacancy search.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-6666-7000-8000-000000000071",
    "name": "Повар в Москве",
    "filter": {"region": "77", "text": "повар", "category": null, "employment_type": "full_time",
               "schedule": null, "experience": null, "salary_from": 60000, "salary_to": null, "benefits": []},
    "created_at": "2026-11-29T16:30:00Z"
}))]
pub struct SavedSearchView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub filter: SearchFilterView,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<persistence::saved_searches::SavedSearch> for SavedSearchView {
    fn from(s: persistence::saved_searches::SavedSearch) -> SavedSearchView {
        SavedSearchView {
            id: s.id,
            name: s.name,
            filter: SearchFilterView::from_filter(s.filter),
            created_at: crate::views::utc(s.created_at),
        }
    }
}

/// Saved searches
///
/// The citizen's saved vacancy searches. Each new vacancy that matches one notifies
/// the citizen (category `new_vacancies`).
#[utoipa::path(
    tag = "vacancies",
    operation_id = "list_saved_searches",
    responses(
        (status = 200, description = "The saved searches", body = Vec<SavedSearchView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/saved-searches")]
pub async fn saved_searches(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<SavedSearchView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let list = state
        .as_actor(&bearer, |conn, actor| {
            persistence::saved_searches::of_user(conn, &actor.user_id)
        })
        .await?;
    Ok(web::Json(
        list.into_iter().map(SavedSearchView::from).collect(),
    ))
}

/// Save a search
///
/// Keeps a vacancy filter; new matching vacancies will notify the citizen. At most 20
/// (409 `limit_reached`).
#[utoipa::path(
    tag = "vacancies",
    operation_id = "save_search",
    request_body = SavedSearchBody,
    responses(
        (status = 201, description = "Saved", body = SavedSearchView,
            headers(("Location" = String, description = "`/api/v1/citizen/saved-searches/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[post("/citizen/saved-searches")]
pub async fn save_search(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: crate::extract::ValidJson<SavedSearchBody>,
) -> Result<actix_web::HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let b = body.0;
    let (name, filter) = (b.name.trim().to_owned(), b.filter.filter());
    let saved = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::saved_searches::create(
                conn,
                &actor.user_id,
                &name,
                &filter,
                crate::state::now(),
            )
        })
        .await?;
    Ok(actix_web::HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/citizen/saved-searches/{}", saved.id),
        ))
        .json(SavedSearchView::from(saved)))
}

/// Delete a saved search
///
/// Stops the notifications of one of the citizen's saved searches.
#[utoipa::path(
    tag = "vacancies",
    operation_id = "delete_saved_search",
    params(("id" = String, Path, description = "The saved search's id")),
    responses(
        (status = 204, description = "Deleted"),
    ),
    security(("bearer" = [])),
)]
#[delete("/citizen/saved-searches/{id}")]
pub async fn delete_saved_search(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<actix_web::HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            persistence::saved_searches::delete(conn, &actor.user_id, &id)
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}
