//! Employment-centre staff: the centre's work list, citizens and personal cases.

use actix_web::{delete, get, http::header, patch, post, web, HttpResponse};
use domain::personal_case::{CaseStatus, Goal};
use domain::role::Role;
use persistence::accounts::User;
use persistence::appeals;
use persistence::citizens::{self, CaseChange, Citizen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::audit::Audit;
use crate::auth::{passwords, Bearer};
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::appeals::{list_appeals, AppealQuery};
use crate::routes::auth::{hash_password, CitizenDetails};
use crate::routes::me::CitizenProfile;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{AppealView, CaseView, PageView};

/// A citizen registered in person at the centre.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "login": "sidorov.petr",
    "email": "sidorov@example.ru",
    "last_name": "Сидоров",
    "first_name": "Пётр",
    "middle_name": "Алексеевич",
    "birth_date": "1985-11-02",
    "snils": "12345678964",
    "phone": "+7 916 000-00-00",
    "registration_address": "г. Москва, ул. Ленина, д. 5",
    "region_code": "77"
}))]
pub struct StaffNewCitizen {
    #[validate(custom(function = "validation::login"))]
    pub login: String,
    /// An initial password; when absent one is generated and returned once.
    #[validate(custom(function = "validation::password_policy"))]
    pub password: Option<String>,
    #[validate(
        email(message = "Адрес электронной почты указан неверно"),
        length(max = 254)
    )]
    pub email: Option<String>,
    #[serde(flatten)]
    #[validate(nested)]
    pub details: CitizenDetails,
}

/// A citizen as centre staff see them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-0000-7000-8000-000000000002",
    "login": "ivanov.ii",
    "email": "ivanov.ii@example.ru",
    "display_name": "Иванов Иван Иванович",
    "centre_id": "01935f3e-0000-7000-8000-000000000001",
    "citizen": {
        "last_name": "Иванов", "first_name": "Иван", "middle_name": "Иванович",
        "birth_date": "1988-04-17", "snils": "11223344595", "snils_verified": true,
        "phone": "+7 (916) 555-12-34",
        "registration_address": "г. Москва, ул. Профсоюзная, д. 56, кв. 12",
        "region_code": "77"
    }
}))]
pub struct StaffCitizenView {
    #[schema(format = Uuid)]
    pub id: String,
    pub login: String,
    #[schema(required)]
    pub email: Option<String>,
    pub display_name: String,
    #[schema(required, format = Uuid)]
    pub centre_id: Option<String>,
    pub citizen: CitizenProfile,
    /// Only in the answer to registration, when the password was generated: hand it to
    /// the citizen, who should change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub initial_password: Option<String>,
}

impl StaffCitizenView {
    fn new(user: User, c: Citizen, initial_password: Option<String>) -> StaffCitizenView {
        StaffCitizenView {
            id: user.id,
            login: user.login,
            email: user.email,
            display_name: user.display_name,
            centre_id: user.centre_id,
            citizen: CitizenProfile::from(c),
            initial_password,
        }
    }
}

/// Limits on a case's goals: each at most once, and no more than there are goals.
fn goals_list(goals: &[Goal]) -> Result<(), ValidationError> {
    let mut seen = goals.to_vec();
    seen.sort();
    seen.dedup();
    if seen.len() == goals.len() {
        Ok(())
    } else {
        Err(ValidationError::new("duplicate").with_message("Цели не должны повторяться".into()))
    }
}

/// A personal account number: 5 to 34 Latin letters or digits.
fn account_number(value: &str) -> Result<(), ValidationError> {
    if (5..=34).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ValidationError::new("personal_account")
            .with_message("Номер лицевого счёта — от 5 до 34 латинских букв и цифр".into()))
    }
}

/// A new personal case.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"status": "unemployed", "goals": ["job_search"], "personal_account": "40817810099910004312"}))]
pub struct NewCaseBody {
    #[schema(value_type = crate::docs::CaseStatusCode)]
    pub status: CaseStatus,
    #[schema(value_type = Vec<crate::docs::GoalCode>)]
    #[validate(custom(function = "goals_list"))]
    pub goals: Vec<Goal>,
    #[validate(custom(function = "account_number"))]
    pub personal_account: Option<String>,
}

/// Changes to a personal case; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"status": "unemployed", "open": true}))]
pub struct CasePatch {
    #[schema(value_type = Option<crate::docs::CaseStatusCode>)]
    pub status: Option<CaseStatus>,
    #[schema(value_type = Option<Vec<crate::docs::GoalCode>>)]
    #[validate(custom(function = "goals_list"))]
    pub goals: Option<Vec<Goal>>,
    /// A new account number, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "account_number"))]
    pub personal_account: Option<Option<String>>,
    /// `false` closes the case, `true` reopens it.
    pub open: Option<bool>,
}

/// The centre's work list
///
/// The appeals addressed to the staff member's centre, without those staff removed
/// from the list. Same filters as `GET /appeals`, and remembered as its pages are.
#[utoipa::path(
    operation_id = "list_work_list",
    tag = "staff",
    params(AppealQuery),
    responses(
        (status = 200, description = "A page of the work list", body = PageView<AppealView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/appeals")]
pub async fn work_list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<AppealQuery>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    list_appeals(&state, bearer, query.0, true).await
}

/// Remove an appeal from the work list
///
/// Hides the appeal from the centre's work list. Nothing is erased: the applicant
/// still sees it, marked `removed_by_staff`, and its history stays whole.
#[utoipa::path(
    operation_id = "remove_from_work_list",
    tag = "staff",
    params(("id" = String, Path, description = "The appeal's id")),
    responses(
        (status = 204, description = "Removed from the work list"),
    ),
    security(("bearer" = [])),
)]
#[delete("/staff/appeals/{id}")]
pub async fn remove_from_work_list(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            appeals::remove_from_work_list(conn, actor, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Register a citizen at the centre
///
/// Creates the account of a citizen who came in person; the citizen belongs to the
/// staff member's centre. Without a password, one is generated and returned once. Staff
/// saw the documents, so the SNILS counts as confirmed (`snils_verified: true`): an
/// account that only typed the same number in gives it up and is told; one that holds
/// it confirmed already makes this 409 `snils_taken` (or `login_taken` for the login).
/// The citizen's journal (`GET /me/audit`) names who registered them.
#[utoipa::path(
    operation_id = "staff_register_citizen",
    tag = "staff",
    request_body = StaffNewCitizen,
    responses(
        (status = 201, description = "Registered", body = StaffCitizenView,
            headers(("Location" = String, description = "`/api/v1/staff/citizens/{id}`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LoginTaken, ProblemCode::SnilsTaken, ProblemCode::ServerBusy]))),
    security(("bearer" = [])),
)]
#[post("/staff/citizens")]
pub async fn register_citizen(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<StaffNewCitizen>,
    audit: Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let b = body.0;
    // A taken login or confirmed SNILS is answered before the password is hashed, as
    // on the public forms: the hashing lane is small and shared (`auth::passwords`).
    let login = b.login.clone();
    let snils = b.details.snils.as_ref().and_then(|s| s.valid()).cloned();
    let taken = state
        .as_actor(&bearer, move |conn, _| {
            citizens::refusal_before_hashing(conn, &login, snils.as_ref())
        })
        .await?;
    if let Some(taken) = taken {
        return Err(taken.into());
    }
    let generated = b.password.is_none().then(passwords::generate);
    let password = b.password.or_else(|| generated.clone()).unwrap_or_default();
    let hash = hash_password(&state, password).await?;
    let (user, citizen) = state
        .as_actor(&bearer, move |conn, actor| {
            let (user, citizen) =
                b.details
                    .into_rows(&b.login, hash, b.email, actor.centre_id.clone())?;
            let citizen = citizens::register_in_person(conn, actor, &audit.0, &user, &citizen)?;
            Ok::<_, ApiError>((user, citizen))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/staff/citizens/{}", user.id),
        ))
        .json(StaffCitizenView::new(user, citizen, generated)))
}

/// A citizen of the centre
///
/// The citizen's account and main data, for a citizen whose centre is the staff
/// member's; any other citizen is not found.
#[utoipa::path(
    operation_id = "staff_get_citizen",
    tag = "staff",
    params(("id" = String, Path, description = "The citizen's id")),
    responses(
        (status = 200, description = "The citizen", body = StaffCitizenView),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/citizens/{id}")]
pub async fn get_citizen(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: Audit,
) -> Result<web::Json<StaffCitizenView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let read = state
        .read_as_actor(&bearer, move |conn, actor| {
            citizens::read_card(conn, actor, &audit.0, &id, now())
        })
        .await?;
    let (user, citizen) = state.journal.serve(read).await?;
    Ok(web::Json(StaffCitizenView::new(user, citizen, None)))
}

/// A citizen's personal cases
///
/// Every personal case of a citizen of the centre, open and closed, newest first.
#[utoipa::path(
    operation_id = "staff_list_personal_cases",
    tag = "staff",
    params(("id" = String, Path, description = "The citizen's id")),
    responses(
        (status = 200, description = "The citizen's cases, newest first", body = Vec<CaseView>),
    ),
    security(("bearer" = [])),
)]
#[get("/staff/citizens/{id}/personal-cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: Audit,
) -> Result<web::Json<Vec<CaseView>>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let read = state
        .read_as_actor(&bearer, move |conn, actor| {
            citizens::read_cases(conn, actor, &audit.0, &id, now())
        })
        .await?;
    let cases = state.journal.serve(read).await?;
    Ok(web::Json(cases.into_iter().map(CaseView::from).collect()))
}

/// Open a personal case
///
/// Opens a case for a citizen of the centre. Its goals and status decide which
/// services the citizen may request.
#[utoipa::path(
    operation_id = "staff_open_personal_case",
    tag = "staff",
    params(("id" = String, Path, description = "The citizen's id")),
    request_body = NewCaseBody,
    responses(
        (status = 201, description = "Opened", body = CaseView,
            headers(("Location" = String, description = "`/api/v1/staff/personal-cases/{id}`"))),
    ),
    security(("bearer" = [])),
)]
#[post("/staff/citizens/{id}/personal-cases")]
pub async fn open_case(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<NewCaseBody>,
    audit: Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let b = body.0;
    let case = state
        .as_actor(&bearer, move |conn, actor| {
            citizens::open_case(
                conn,
                actor,
                &audit.0,
                &id,
                citizens::NewCase {
                    status: b.status,
                    goals: b.goals,
                    personal_account: b.personal_account,
                },
                now(),
            )
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/staff/personal-cases/{}", case.id),
        ))
        .json(CaseView::from(case)))
}

/// Change a personal case
///
/// Changes status, goals or personal account, or closes (`open: false`) or reopens a
/// case kept at the staff member's centre. Absent fields stay as they are.
#[utoipa::path(
    operation_id = "staff_update_personal_case",
    tag = "staff",
    params(("id" = String, Path, description = "The case's id")),
    request_body = CasePatch,
    responses(
        (status = 200, description = "The case as it now stands", body = CaseView),
    ),
    security(("bearer" = [])),
)]
#[patch("/staff/personal-cases/{id}")]
pub async fn update_case(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<CasePatch>,
    audit: Audit,
) -> Result<web::Json<CaseView>, ApiError> {
    bearer.require(Role::Staff)?;
    let id = id.into_inner();
    let b = body.0;
    let change = CaseChange {
        status: b.status,
        goals: b.goals,
        personal_account: b.personal_account,
        open: b.open,
    };
    let case = state
        .as_actor(&bearer, move |conn, actor| {
            citizens::update_case(conn, actor, &audit.0, &id, change, now())
        })
        .await?;
    Ok(web::Json(CaseView::from(case)))
}

/// News for employers.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Ярмарка вакансий 5 декабря", "body": "Приглашаем работодателей принять участие…"}))]
pub struct NewsBody {
    #[validate(length(min = 1, max = 300), custom(function = "validation::not_blank"))]
    pub title: String,
    #[validate(
        length(min = 1, max = 5000),
        custom(function = "validation::not_blank")
    )]
    pub body: String,
    /// One organisation of the centre; all of the centre's organisations when absent.
    pub organization_id: Option<String>,
}

/// What sending news did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"recipients": 14}))]
pub struct NewsSent {
    /// How many employer accounts it is going to (those not blocked when it was sent);
    /// each gets it through their subscriptions to `news`.
    pub recipients: usize,
}

/// Send news to employers
///
/// Staff send news to the employer accounts of one organisation of their centre, or of
/// all of them. It reaches each account through its subscriptions to `news` (by
/// default the cabinet's «Уведомления» tab), delivered in the background a few hundred
/// accounts at a time: within seconds for a centre of thousands of accounts, each
/// account at most once. An account blocked before its turn is skipped; one opened
/// while the news goes out may miss it.
#[utoipa::path(
    tag = "staff",
    operation_id = "send_news",
    request_body = NewsBody,
    responses(
        (status = 201, description = "Recorded; delivered in the background within seconds", body = NewsSent),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotFound]))),
    security(("bearer" = [])),
)]
#[post("/staff/notifications")]
pub async fn send_notification(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<NewsBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Staff)?;
    let b = body.0;
    let recipients = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::news::send(
                conn,
                actor,
                b.organization_id.as_deref(),
                b.title.trim(),
                b.body.trim(),
                now(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(NewsSent { recipients }))
}
