//! An organisation registering itself (SPEC §3): its requisites, its first contact
//! person, and its first account, which becomes the organisation's administrator.

use actix_web::{post, web, HttpResponse};
use domain::organization::Details;
use domain::role::Role;
use persistence::accounts::User;
use persistence::employer;
use persistence::organizations::NewOrganization;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::contacts::ContactBody;
use super::organization::OrganizationBody;
use crate::extract::ValidJson;
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::auth::{hash_password, signed_up, Registered};
use crate::state::{now, AppState};
use crate::validation;

/// An organisation registering itself; its first account becomes the admin.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = registration_example)]
pub struct RegisterEmployer {
    #[validate(custom(function = "validation::login"))]
    pub login: String,
    #[validate(custom(function = "validation::password_policy"))]
    pub password: String,
    #[validate(
        email(message = "Адрес электронной почты указан неверно"),
        length(max = 254)
    )]
    pub email: String,
    /// The person registering: the organisation's first contact and its admin.
    #[validate(nested)]
    pub contact: ContactBody,
    #[validate(nested)]
    pub organization: OrganizationBody,
}

fn registration_example() -> serde_json::Value {
    serde_json::json!({
        "login": "romashka.hr",
        "password": "Romashka-2026!",
        "email": "hr@romashka.example.ru",
        "contact": crate::views::example_of::<ContactBody>(),
        "organization": crate::views::example_of::<OrganizationBody>(),
    })
}

/// The organisation a validated registration describes, unrated.
fn new_organization(b: OrganizationBody) -> Result<NewOrganization, ApiError> {
    Ok(NewOrganization {
        details: Details {
            name: b.name.trim().to_owned(),
            full_name: b.full_name.trim().to_owned(),
            ogrn: b.ogrn.value("organization.ogrn")?,
            inn: b.inn.value("organization.inn")?,
            kpp: b.kpp.map(|k| k.value("organization.kpp")).transpose()?,
            legal_address: b.legal_address,
            actual_address: b.actual_address,
            legal_form: b.legal_form,
            email: b.email,
            site: b.site,
            okved: b.okved,
            ownership_form: b.ownership_form,
            headcount: b.headcount,
            transport: b.transport,
            social_guarantees: b.social_guarantees,
            quota_account_number: b.quota_account_number,
            quota_account_date: b.quota_account_date,
        },
        centre_id: Some(b.centre_id),
        rating: 0.0,
    })
}

/// Register an organisation
///
/// Registers an employer: the organisation with its requisites (OGRN/OGRNIP and INN
/// check digits and KPP format are verified) and its first account, which becomes the
/// organisation's administrator, signed in at once. The organisation is `pending`
/// until centre staff, or its head signing in through Госуслуги, verify it: it may
/// prepare vacancies but not publish them or send reports. The OGRN is not checked
/// against other registrations, so the answer says nothing of whether it is known; a
/// taken login is 409 `login_taken`.
/// Registrations are limited per client address (429 with `Retry-After`); when too
/// many are being handled at once the answer is 503 `server_busy` with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    operation_id = "register_employer",
    request_body = RegisterEmployer,
    responses(
        (status = 201, description = "Registered and signed in", body = Registered,
            headers(("Location" = String, description = "`/api/v1/employer/organization`"))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::LoginTaken, ProblemCode::ServerBusy, ProblemCode::TooManyRequests]))),
    security(()),
)]
#[post("/auth/register/employer")]
pub async fn register(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<RegisterEmployer>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    crate::routes::auth::before_registration(&state, &req, &b.login).await?;
    let hash = hash_password(&state, b.password).await?;
    let at = now();
    let contact = b.contact.input();
    let display = format!("{} {}", contact.last_name, contact.first_name);
    let centre = Some(b.organization.centre_id.clone());
    let org = new_organization(b.organization)?;
    let user = User::new(
        Role::Employer,
        &b.login,
        Some(hash),
        Some(b.email.trim().to_owned()),
        display,
        centre,
        at,
    );
    let stored = user.clone();
    state
        .run(move |conn| {
            if let Some(centre) = &org.centre_id {
                if !persistence::centres::exists(conn, centre)? {
                    return Err(ApiError::field(
                        "organization.centre_id",
                        "unknown",
                        "Центр занятости не найден",
                    ));
                }
            }
            employer::register(conn, &org, &stored, &contact, now()).map_err(ApiError::from)
        })
        .await?;
    signed_up(&state, user, "/api/v1/employer/organization").await
}
