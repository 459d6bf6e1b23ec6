//! The citizen's resumes and the candidate bank employers search (SPEC §5).

use actix_web::{delete, get, http::header, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use domain::vacancy::{EducationLevel, EmploymentType, Experience, Schedule};
use persistence::resumes::{self, Resume, ResumeFilter, ResumeInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{etag, IfMatch, ValidJson, ValidQuery};
use crate::problem::{ApiError, ProblemCode};
use crate::routes::vacancies::{
    category_label, known_category, known_profession, known_region, profession_label, region_label,
};
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{utc, Labelled, PageQuery, PageView};

/// A resume as written by the citizen.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "title": "Повар",
    "profession_code": "16675",
    "category": "services",
    "region_code": "77",
    "salary": 75000,
    "experience": "from_3_to_6",
    "education": "secondary_vocational",
    "employment_type": "full_time",
    "schedule": "shift",
    "skills": ["Европейская кухня", "Санитарная книжка"],
    "about": "Работал поваром горячего цеха в ресторане.",
    "published": true
}))]
pub struct ResumeBody {
    #[validate(length(min = 2, max = 200), custom(function = "validation::not_blank"))]
    pub title: String,
    #[validate(custom(function = "known_profession"))]
    pub profession_code: Option<String>,
    #[validate(custom(function = "known_category"))]
    pub category: String,
    #[validate(custom(function = "known_region"))]
    pub region_code: String,
    /// Expected salary a month, roubles.
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary: Option<i64>,
    #[schema(value_type = crate::docs::ExperienceCode)]
    pub experience: Experience,
    #[schema(value_type = crate::docs::EducationLevelCode)]
    pub education: EducationLevel,
    #[schema(value_type = crate::docs::EmploymentTypeCode)]
    pub employment_type: EmploymentType,
    #[schema(value_type = crate::docs::ScheduleCode)]
    pub schedule: Schedule,
    #[serde(default)]
    #[validate(length(max = 30), custom(function = "skill_list"))]
    pub skills: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 5000))]
    pub about: String,
    /// Whether employers find it in the candidate bank.
    #[serde(default)]
    pub published: bool,
    /// The draft this form was filled in; deleted when the resume is created.
    pub draft_id: Option<String>,
}

fn skill_list(skills: &[String]) -> Result<(), ValidationError> {
    if skills
        .iter()
        .all(|s| !s.trim().is_empty() && s.chars().count() <= 100)
    {
        Ok(())
    } else {
        Err(ValidationError::new("skills").with_message("Навык — от 1 до 100 символов".into()))
    }
}

impl ResumeBody {
    fn input(self) -> (ResumeInput, Option<String>) {
        let input = ResumeInput {
            title: self.title.trim().to_owned(),
            profession_code: self.profession_code,
            category: self.category,
            region_code: self.region_code,
            salary: self.salary,
            experience: self.experience,
            education: self.education,
            employment_type: self.employment_type,
            schedule: self.schedule,
            skills: self
                .skills
                .into_iter()
                .map(|s| s.trim().to_owned())
                .collect(),
            about: self.about.trim().to_owned(),
            published: self.published,
        };
        (input, self.draft_id)
    }
}

/// A resume.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-9999-7000-8000-0000000000a1",
    "title": "Повар",
    "profession": {"code": "16675", "title": "Повар"},
    "category": {"code": "services", "title": "Сфера услуг и общепит"},
    "region": {"code": "77", "title": "Москва"},
    "salary": 75000,
    "experience": {"code": "from_3_to_6", "title": "От 3 до 6 лет"},
    "education": {"code": "secondary_vocational", "title": "Среднее профессиональное"},
    "employment_type": {"code": "full_time", "title": "Полная занятость"},
    "schedule": {"code": "shift", "title": "Сменный график"},
    "skills": ["Европейская кухня", "Санитарная книжка"],
    "about": "Работал поваром горячего цеха в ресторане.",
    "published": true,
    "version": 1,
    "created_at": "2026-11-25T14:00:00Z",
    "updated_at": "2026-11-25T14:00:00Z"
}))]
pub struct ResumeView {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    #[schema(required)]
    pub profession: Option<Labelled>,
    pub category: Labelled,
    pub region: Labelled,
    #[schema(required)]
    pub salary: Option<i64>,
    pub experience: Labelled<crate::codes::ExperienceCode>,
    pub education: Labelled<crate::codes::EducationLevelCode>,
    pub employment_type: Labelled<crate::codes::EmploymentTypeCode>,
    pub schedule: Labelled<crate::codes::ScheduleCode>,
    pub skills: Vec<String>,
    pub about: String,
    pub published: bool,
    /// Sent back in `If-Match` to update.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Resume> for ResumeView {
    fn from(mut r: Resume) -> ResumeView {
        let skills = std::mem::take(&mut r.input.skills);
        let about = std::mem::take(&mut r.input.about);
        let (published, version, created_at) = (r.input.published, r.version, r.created_at);
        let s = ResumeSummary::from(r);
        ResumeView {
            id: s.id,
            title: s.title,
            profession: s.profession,
            category: s.category,
            region: s.region,
            salary: s.salary,
            experience: s.experience,
            education: s.education,
            employment_type: s.employment_type,
            schedule: s.schedule,
            skills,
            about,
            published,
            version,
            created_at: utc(created_at),
            updated_at: s.updated_at,
        }
    }
}

/// A resume as the candidate bank lists it: what an employer picks by, without the
/// skills and the free text, which only opening it (`GET /resumes/{id}`, journaled for
/// the candidate) shows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-9999-7000-8000-0000000000a1",
    "title": "Повар",
    "profession": {"code": "16675", "title": "Повар"},
    "category": {"code": "services", "title": "Сфера услуг и общепит"},
    "region": {"code": "77", "title": "Москва"},
    "salary": 75000,
    "experience": {"code": "from_3_to_6", "title": "От 3 до 6 лет"},
    "education": {"code": "secondary_vocational", "title": "Среднее профессиональное"},
    "employment_type": {"code": "full_time", "title": "Полная занятость"},
    "schedule": {"code": "shift", "title": "Сменный график"},
    "updated_at": "2026-11-25T14:00:00Z"
}))]
pub struct ResumeSummary {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    #[schema(required)]
    pub profession: Option<Labelled>,
    pub category: Labelled,
    pub region: Labelled,
    #[schema(required)]
    pub salary: Option<i64>,
    pub experience: Labelled<crate::codes::ExperienceCode>,
    pub education: Labelled<crate::codes::EducationLevelCode>,
    pub employment_type: Labelled<crate::codes::EmploymentTypeCode>,
    pub schedule: Labelled<crate::codes::ScheduleCode>,
    pub updated_at: DateTime<Utc>,
}

impl From<Resume> for ResumeSummary {
    fn from(r: Resume) -> ResumeSummary {
        let i = r.input;
        ResumeSummary {
            profession: i.profession_code.as_deref().map(profession_label),
            category: category_label(&i.category),
            region: region_label(&i.region_code),
            experience: Labelled::of(i.experience),
            education: Labelled::of(i.education),
            employment_type: Labelled::of(i.employment_type),
            schedule: Labelled::of(i.schedule),
            id: r.id,
            title: i.title,
            salary: i.salary,
            updated_at: utc(r.updated_at),
        }
    }
}

fn with_etag(status: actix_web::http::StatusCode, resume: Resume) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(resume.version)))
        .json(ResumeView::from(resume))
}

/// My resumes
#[utoipa::path(
    tag = "resumes",
    operation_id = "list_my_resumes",
    description = "Every resume of the citizen, published or not, most recently edited first.",
    responses(
        (status = 200, description = "The citizen's resumes", body = Vec<ResumeView>),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/resumes")]
pub async fn list_own(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<ResumeView>>, ApiError> {
    bearer.require(Role::Citizen)?;
    let list = state
        .as_actor(&bearer, |conn, actor| {
            resumes::list_own(conn, &actor.user_id)
        })
        .await?;
    Ok(web::Json(list.into_iter().map(ResumeView::from).collect()))
}

/// Create a resume
#[utoipa::path(
    tag = "resumes",
    operation_id = "create_resume",
    description = "Creates a resume; with `published: true` employers find it in the candidate bank. A citizen keeps at most 20 resumes (409 `limit_reached`).",
    request_body = ResumeBody,
    responses(
        (status = 201, description = "Created", body = ResumeView,
            headers(("Location" = String, description = "`/api/v1/citizen/resumes/{id}`"), ("ETag" = String, description = "The version, for `If-Match`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LimitReached]))),
    security(("bearer" = [])),
)]
#[post("/citizen/resumes")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<ResumeBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let (input, draft) = body.0.input();
    let resume = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::db::write(conn, |conn| {
                if let Some(draft) = &draft {
                    persistence::drafts::consume(
                        conn,
                        &actor.user_id,
                        draft,
                        domain::draft::DraftKind::Resume,
                        now(),
                    )
                    .map_err(|_| {
                        ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
                    })?;
                }
                Ok::<_, ApiError>(resumes::create(conn, &actor.user_id, &input, now())?)
            })
        })
        .await?;
    let location = format!("/api/v1/citizen/resumes/{}", resume.id);
    let mut response = with_etag(actix_web::http::StatusCode::CREATED, resume);
    response.headers_mut().insert(
        header::LOCATION,
        header::HeaderValue::from_str(&location).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(response)
}

/// One of my resumes
#[utoipa::path(
    tag = "resumes",
    operation_id = "get_my_resume",
    description = "One of the citizen's resumes, with its `ETag`.",
    params(("id" = String, Path, description = "The resume's id")),
    responses(
        (status = 200, description = "The resume", body = ResumeView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[get("/citizen/resumes/{id}")]
pub async fn get_own(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let resume = state
        .as_actor(&bearer, move |conn, actor| {
            resumes::get_own(conn, &actor.user_id, &id)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, resume))
}

/// Replace a resume
#[utoipa::path(
    tag = "resumes",
    operation_id = "update_resume",
    description = "Replaces the resume's content. Send `If-Match` with the `ETag` it was read with: a stale one gets 412.",
    params(
        ("id" = String, Path, description = "The resume's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the resume was read with"),
    ),
    request_body = ResumeBody,
    responses(
        (status = 200, description = "Updated", body = ResumeView, headers(("ETag" = String))),
    ),
    security(("bearer" = [])),
)]
#[put("/citizen/resumes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ResumeBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    let (input, _) = body.0.input();
    let resume = state
        .as_actor(&bearer, move |conn, actor| {
            resumes::update_own(conn, &actor.user_id, &id, &input, if_match.0, now())
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, resume))
}

/// Delete a resume
#[utoipa::path(
    tag = "resumes",
    operation_id = "delete_resume",
    description = "Deletes one of the citizen's resumes; it leaves the candidate bank at once.",
    params(("id" = String, Path, description = "The resume's id")),
    responses(
        (status = 204, description = "Deleted"),
    ),
    security(("bearer" = [])),
)]
#[delete("/citizen/resumes/{id}")]
pub async fn delete_own(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            resumes::delete_own(conn, &actor.user_id, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Filters of the candidate bank.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResumeQuery {
    /// Only resumes of this region (dictionary `regions`).
    #[validate(custom(function = "known_region"))]
    pub region: Option<String>,
    /// Words of the title, profession or skills.
    #[validate(length(max = 100))]
    pub text: Option<String>,
    /// Profession category code (dictionary `profession_categories`).
    #[validate(custom(function = "known_category"))]
    pub category: Option<String>,
    /// Candidates wanting this employment type.
    #[param(value_type = Option<crate::docs::EmploymentTypeCode>)]
    pub employment_type: Option<EmploymentType>,
    /// Candidates wanting this work schedule.
    #[param(value_type = Option<crate::docs::ScheduleCode>)]
    pub schedule: Option<Schedule>,
    /// Candidates with this much experience.
    #[param(value_type = Option<crate::docs::ExperienceCode>)]
    pub experience: Option<Experience>,
    /// Candidates expecting at most this much (or not saying).
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<i64>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// Only employers and staff search candidates; citizens see their own resumes.
fn may_search_candidates(bearer: &Bearer) -> Result<(), ApiError> {
    match bearer.role {
        Role::Employer | Role::Staff => Ok(()),
        Role::Citizen => Err(ApiError::forbidden(
            "The candidate bank is for employers and staff",
        )),
    }
}

/// Search the candidate bank
#[utoipa::path(
    tag = "resumes",
    operation_id = "search_resumes",
    description = "Published resumes, filtered like vacancies, most recently updated first, as \
        summaries: the skills and the free text show only when a resume is opened \
        (`GET /resumes/{id}`), which the candidate's journal records; listing writes nothing \
        there (`text` matches the skills too, as a search of the bank must). For employers \
        and centre staff.",
    params(ResumeQuery),
    responses(
        (status = 200, description = "A page of resume summaries", body = PageView<ResumeSummary>),
    ),
    security(("bearer" = [])),
)]
#[get("/resumes")]
pub async fn search(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<ResumeQuery>,
) -> Result<web::Json<PageView<ResumeSummary>>, ApiError> {
    may_search_candidates(&bearer)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let filter = ResumeFilter {
        region: q.region,
        text: q.text,
        category: q.category,
        employment_type: q.employment_type,
        schedule: q.schedule,
        experience: q.experience,
        salary_to: q.salary_to,
    };
    let found = state
        .as_actor(&bearer, move |conn, _| resumes::search(conn, &filter, page))
        .await?;
    Ok(web::Json(PageView::from_page(found, ResumeSummary::from)))
}

/// A candidate's resume
#[utoipa::path(
    tag = "resumes",
    operation_id = "get_resume",
    description = "A published resume of the candidate bank. Unpublished resumes are not found. \
        Each opening is written to the candidate's audit journal (`GET /me/audit`).",
    params(("id" = String, Path, description = "The resume's id")),
    responses(
        (status = 200, description = "The resume", body = ResumeView),
    ),
    security(("bearer" = [])),
)]
#[get("/resumes/{id}")]
pub async fn get_published(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ResumeView>, ApiError> {
    may_search_candidates(&bearer)?;
    let id = id.into_inner();
    let read = state
        .read_as_actor(&bearer, move |conn, actor| {
            resumes::open_published(conn, actor, &audit.0, &id, crate::state::now())
        })
        .await?;
    let resume = state.journal.serve(read).await?;
    Ok(web::Json(resume.into()))
}
