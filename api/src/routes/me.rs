//! The signed-in account.

use actix_web::{get, web};
use chrono::NaiveDate;
use domain::role::Role;
use persistence::profile::{self, Profile};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Bearer;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::views::{CentreRef, Labelled};

/// The citizen's main data and identifiers: read-only here (SPEC §4).
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenProfile {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 11 digits.
    pub snils: Option<String>,
    pub phone: Option<String>,
    pub registration_address: Option<String>,
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerProfile {
    pub organization_id: String,
    pub organization_name: String,
    /// The organisation's administrator manages its contacts and accounts (SPEC §3).
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
                "snils": "11223344595", "phone": null, "registration_address": "г. Москва, ул. Тверская, д. 7", "region_code": "77"},
    "employer": null
}))]
pub struct Me {
    pub id: String,
    pub role: Labelled,
    pub login: String,
    pub email: Option<String>,
    pub display_name: String,
    /// How this session signed in: `password` or `esia`.
    pub auth_method: String,
    pub centre: Option<CentreRef>,
    pub citizen: Option<CitizenProfile>,
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
            citizen: p.citizen.map(|c| CitizenProfile {
                last_name: c.last_name,
                first_name: c.first_name,
                middle_name: c.middle_name,
                birth_date: c.birth_date,
                snils: c.snils,
                phone: c.phone,
                registration_address: c.registration_address,
                region_code: c.region_code,
            }),
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
/// data or the employer's organisation.
#[utoipa::path(
    operation_id = "get_me",
    tag = "me",
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, bearer: Bearer) -> Result<web::Json<Me>, ApiError> {
    let profile = state.as_actor(&bearer, profile::load).await?;
    Ok(web::Json(Me::new(profile, bearer.role)))
}
