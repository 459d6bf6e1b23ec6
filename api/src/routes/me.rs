//! The signed-in account.

use actix_web::{get, put, web, HttpResponse};
use chrono::NaiveDate;
use domain::role::Role;
use persistence::profile::{self, Profile};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::AppState;
use crate::views::{CentreRef, Labelled};

/// The citizen's main data and identifiers: read-only here.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "last_name": "Иванов", "first_name": "Иван", "middle_name": "Иванович",
    "birth_date": "1988-04-17", "snils": "11223344595", "snils_verified": true,
    "phone": "+7 (916) 555-12-34",
    "registration_address": "г. Москва, ул. Профсоюзная, д. 56, кв. 12",
    "region_code": "77"
}))]
pub struct CitizenProfile {
    pub last_name: String,
    pub first_name: String,
    #[schema(required)]
    pub middle_name: Option<String>,
    #[schema(required)]
    pub birth_date: Option<NaiveDate>,
    /// 11 digits.
    #[schema(required)]
    pub snils: Option<String>,
    /// Whether the SNILS was confirmed (through Госуслуги or by centre staff who saw the
    /// document); a number typed in at registration is not, and gives way to the person
    /// who confirms it.
    pub snils_verified: bool,
    #[schema(required)]
    pub phone: Option<String>,
    #[schema(required)]
    pub registration_address: Option<String>,
    #[schema(required)]
    pub region_code: Option<String>,
}

impl From<persistence::citizens::Citizen> for CitizenProfile {
    fn from(c: persistence::citizens::Citizen) -> Self {
        CitizenProfile {
            snils: c.shown_snils().map(str::to_owned),
            snils_verified: c.snils.is_some(),
            last_name: c.last_name,
            first_name: c.first_name,
            middle_name: c.middle_name,
            birth_date: c.birth_date,
            phone: c.phone,
            registration_address: c.registration_address,
            region_code: c.region_code,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerProfile {
    #[schema(format = Uuid)]
    pub organization_id: String,
    pub organization_name: String,
    /// The organisation's administrator manages its contacts and accounts.
    pub is_admin: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-0000-7000-8000-000000000002",
    "role": {"code": "citizen", "title": "Гражданин"},
    "login": "demo.citizen",
    "email": "citizen@example.ru",
    "display_name": "Петрова Анна Сергеевна",
    "auth_method": "password",
    "centre": {"id": "01935f3e-0000-7000-8000-000000000001", "code": "770", "name": "ГКУ ЦЗН «Центральный»"},
    "citizen": {"last_name": "Петрова", "first_name": "Анна", "middle_name": "Сергеевна", "birth_date": "1988-03-14",
                "snils": "11223344595", "snils_verified": false, "phone": null, "registration_address": "г. Москва, ул. Тверская, д. 7", "region_code": "77"},
    "employer": null
}))]
pub struct Me {
    #[schema(format = Uuid)]
    pub id: String,
    pub role: Labelled<crate::codes::RoleCode>,
    pub login: String,
    #[schema(required)]
    pub email: Option<String>,
    pub display_name: String,
    /// How this session signed in: `password` or `esia`.
    #[schema(value_type = crate::codes::AuthMethodCode)]
    pub auth_method: String,
    #[schema(required)]
    pub centre: Option<CentreRef>,
    #[schema(required)]
    pub citizen: Option<CitizenProfile>,
    #[schema(required)]
    pub employer: Option<EmployerProfile>,
}

impl Me {
    fn new(p: Profile, role: Role) -> Me {
        Me {
            id: p.user.id,
            role: Labelled::of(role),
            login: p.user.login,
            email: p.user.email,
            display_name: p.user.display_name,
            auth_method: p.auth_method,
            centre: p.centre.map(|c| CentreRef {
                id: c.id,
                code: c.code,
                name: c.name,
            }),
            citizen: p.citizen.map(CitizenProfile::from),
            employer: p.organization.map(|(o, is_admin)| EmployerProfile {
                organization_id: o.id,
                organization_name: o.name,
                is_admin,
            }),
        }
    }
}

/// The signed-in account
///
/// Who the bearer is: role, login, contact e-mail, centre, and the citizen's main
/// data or the employer's organisation. Read afresh on every request: a change made
/// through any server shows on the next one.
#[utoipa::path(
    operation_id = "get_me",
    tag = "me",
    responses(
        (status = 200, description = "The account", body = Me),
    ),
    security(("bearer" = [])),
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, bearer: Bearer) -> Result<HttpResponse, ApiError> {
    let role = bearer.role;
    let profile = state.read_as_actor(&bearer, profile::load).await?;
    Ok(HttpResponse::Ok().json(Me::new(profile, role)))
}

#[derive(Debug, serde::Deserialize, validator::Validate, ToSchema)]
#[schema(example = json!({"current_password": "Demo-password-1", "new_password": "Novyi-parol-2026"}))]
pub struct PasswordChange {
    #[validate(length(min = 1, max = 128))]
    pub current_password: String,
    #[validate(custom(function = "crate::validation::password_policy"))]
    pub new_password: String,
}

/// Change password
///
/// Needs the current password; the new one must meet the policy (8+ characters,
/// upper and lower case letters, digits). Every other session of the account ends.
#[utoipa::path(
    tag = "me",
    operation_id = "change_password",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TooManyRequests]))),
    security(("bearer" = [])),
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: crate::extract::ValidJson<PasswordChange>,
    audit: crate::audit::Audit,
) -> Result<actix_web::HttpResponse, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.0;
    confirm_password(&state, &bearer, current_password, "current_password").await?;
    let hash = crate::routes::auth::hash_password(&state, new_password).await?;
    state
        .as_actor(&bearer, move |conn, actor| {
            persistence::accounts::change_password(
                conn,
                actor,
                &audit.0,
                &hash,
                crate::state::now(),
            )
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// Checks the account's password; a wrong one is a field error, not a 401, so that a
/// client does not sign the person out over a typo.
async fn confirm_password(
    state: &AppState,
    bearer: &Bearer,
    password: String,
    field: &'static str,
) -> Result<(), ApiError> {
    let user = state
        .as_actor(bearer, |conn, actor| {
            persistence::accounts::get_user(conn, &actor.user_id)
        })
        .await?;
    // The same budget as sign-in: a stolen access token must not become a way to
    // guess the password.
    state
        .check_budgets(crate::throttle::Hits::sign_in(&user.login, None))
        .await?;
    let ok = state
        .hashing
        .run(crate::auth::passwords::Lane::SignIn, move || {
            crate::auth::passwords::verify(&password, user.password_hash.as_deref())
        })
        .await?;
    if ok {
        Ok(())
    } else {
        Err(ApiError::field(
            field,
            "wrong_password",
            "Пароль указан неверно",
        ))
    }
}

#[derive(Debug, serde::Deserialize, validator::Validate, ToSchema)]
#[schema(example = json!({"email": "new.address@example.ru", "password": "Demo-password-1"}))]
pub struct EmailChange {
    #[validate(
        email(message = "Адрес электронной почты указан неверно"),
        length(max = 254)
    )]
    pub email: String,
    /// Required when the session signed in with a password; not asked after ESIA.
    #[validate(length(min = 1, max = 128))]
    pub password: Option<String>,
}

/// Change e-mail
///
/// Sets the contact e-mail. A session that signed in with a password must confirm
/// with it; a session that came through ESIA is not asked. Either way a notice of the
/// change goes to the old address.
#[utoipa::path(
    tag = "me",
    operation_id = "change_email",
    request_body = EmailChange,
    responses(
        (status = 200, description = "Changed; the account as it now stands", body = Me),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::TooManyRequests]))),
    security(("bearer" = [])),
)]
#[put("/me/email")]
pub async fn change_email(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: crate::extract::ValidJson<EmailChange>,
    audit: crate::audit::Audit,
) -> Result<web::Json<Me>, ApiError> {
    let EmailChange { email, password } = body.0;
    let method = state
        .as_actor(&bearer, |_, actor| {
            Ok::<_, ApiError>(actor.auth_method.clone())
        })
        .await?;
    if method != "esia" {
        let password = password.ok_or(ApiError::field(
            "password",
            "required",
            "Подтвердите смену адреса паролем",
        ))?;
        confirm_password(&state, &bearer, password, "password").await?;
    }
    let email = email.trim().to_owned();
    let profile = state
        .as_actor(&bearer, move |conn, actor| {
            persistence::accounts::change_email(
                conn,
                actor,
                &audit.0,
                &email,
                crate::state::now(),
            )?;
            profile::load(conn, actor)
        })
        .await?;
    Ok(web::Json(Me::new(profile, bearer.role)))
}
