//! The employer's cabinet (SPEC §3): registration of an organisation, its requisites,
//! contact persons and their cabinets under the admin flag, and favourite candidates.

use actix_web::{delete, get, http::header, patch, post, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::actor::Actor;
use domain::employer_admin::AdminError;
use domain::identifiers::{requisites_agree, Inn, Kpp, Ogrn};
use domain::organization::{Change, Details};
use domain::role::Role;
use persistence::accounts::User;
use persistence::employer::{self, Contact, ContactInput, EmployerError};
use persistence::organizations::{NewOrganization, Organization};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::sessions::SessionCache;
use crate::auth::{passwords, Bearer};
use crate::changes::Changes;
use crate::extract::{etag, IfMatch, ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::routes::appeals::AppealQuery;
use crate::routes::auth::{hash_password, signed_up, Registered};
use crate::routes::resumes::ResumeView;
use crate::state::{now, AppState};
use crate::validation::{self, Parsed};
use crate::views::{utc, AppealView, PageView};

impl From<EmployerError> for ApiError {
    fn from(e: EmployerError) -> Self {
        let conflict = |code: &'static str, detail: String| ApiError::Conflict {
            code,
            detail,
            reason: None,
        };
        match e {
            EmployerError::Admin(AdminError::NotAdmin) => ApiError::Forbidden {
                code: "not_admin",
                detail: "Only the organisation's administrator may do this".into(),
                reason: None,
            },
            EmployerError::Admin(AdminError::UnknownAccount) | EmployerError::NotFound => {
                ApiError::NotFound
            }
            EmployerError::Admin(AdminError::SelfAction) => {
                conflict("admin_self_action", e.to_string())
            }
            EmployerError::Admin(AdminError::TargetBlocked) => {
                conflict("target_blocked", e.to_string())
            }
            EmployerError::Admin(AdminError::AlreadyAdmin) => {
                conflict("already_admin", e.to_string())
            }
            EmployerError::Admin(AdminError::Corrupt) => ApiError::Internal(e.to_string()),
            EmployerError::OgrnTaken => conflict("ogrn_taken", e.to_string()),
            EmployerError::LoginTaken => conflict("login_taken", e.to_string()),
            EmployerError::HasCabinet => conflict("has_cabinet", e.to_string()),
            EmployerError::NoCabinet => conflict("no_cabinet", e.to_string()),
            EmployerError::Stale => ApiError::PreconditionFailed,
            EmployerError::NoCentre => {
                ApiError::field("centre_id", "required", "Укажите центр занятости")
            }
            EmployerError::UnknownDraft => {
                ApiError::field("draft_id", "unknown", "Черновик этой формы не найден")
            }
            EmployerError::InconsistentRequisites => ApiError::field(
                "inn",
                "entity_kind",
                "Для организации нужны ИНН из 10 цифр и КПП; для ИП — ИНН из 12 цифр без КПП",
            ),
            EmployerError::Store(s) => s.into(),
        }
    }
}

fn valid_phones(list: &[String]) -> Result<(), ValidationError> {
    list.iter().try_for_each(|p| validation::phone(p))
}

/// An organisation's requisites (SPEC §3).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[validate(schema(function = "entity_kind", skip_on_field_errors = false))]
#[schema(example = json!({
    "name": "ООО «Ромашка»",
    "full_name": "Общество с ограниченной ответственностью «Ромашка»",
    "ogrn": "1027700132195",
    "inn": "7707083893",
    "kpp": "773601001",
    "legal_address": "г. Москва, ул. Вавилова, д. 19",
    "actual_address": "г. Москва, ул. Вавилова, д. 19",
    "legal_form": "Общество с ограниченной ответственностью",
    "email": "hr@romashka.example.ru",
    "site": "https://romashka.example.ru",
    "okved": "56.10",
    "ownership_form": "Частная собственность",
    "headcount": 120,
    "transport": "Метро «Ленинский проспект», 5 минут пешком",
    "social_guarantees": "ДМС, питание",
    "quota_account_number": "КВ-77-0012",
    "quota_account_date": "2025-01-15"
}))]
pub struct OrganizationBody {
    #[validate(length(min = 2, max = 300), custom(function = "validation::not_blank"))]
    pub name: String,
    #[validate(
        length(min = 2, max = 1000),
        custom(function = "validation::not_blank")
    )]
    pub full_name: String,
    /// OGRN (13 digits) or, for an individual entrepreneur, OGRNIP (15); check digits are verified.
    #[schema(value_type = String)]
    #[validate(custom(function = "validation::parsed"))]
    pub ogrn: Parsed<Ogrn>,
    /// 10 digits for an organisation, 12 for an entrepreneur.
    #[schema(value_type = String)]
    #[validate(custom(function = "validation::parsed"))]
    pub inn: Parsed<Inn>,
    /// Required for organisations, absent for entrepreneurs.
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "validation::parsed"))]
    pub kpp: Option<Parsed<Kpp>>,
    #[validate(length(max = 500))]
    pub legal_address: Option<String>,
    #[validate(length(max = 500))]
    pub actual_address: Option<String>,
    #[validate(length(max = 200))]
    pub legal_form: Option<String>,
    #[validate(email(message = "Адрес электронной почты указан неверно"))]
    pub email: Option<String>,
    #[validate(url, length(max = 300))]
    pub site: Option<String>,
    #[validate(length(max = 20))]
    pub okved: Option<String>,
    #[validate(length(max = 200))]
    pub ownership_form: Option<String>,
    #[validate(range(min = 0, max = 10_000_000))]
    pub headcount: Option<i32>,
    #[validate(length(max = 1000))]
    pub transport: Option<String>,
    #[validate(length(max = 2000))]
    pub social_guarantees: Option<String>,
    #[validate(length(max = 50))]
    pub quota_account_number: Option<String>,
    pub quota_account_date: Option<NaiveDate>,
    /// The centre the organisation deals with: its reports and changes go there.
    pub centre_id: String,
}

/// OGRN and INN must describe the same kind of entity; only organisations have a KPP.
/// Checked once both parse: one that does not is reported as its own field's error.
fn entity_kind(b: &OrganizationBody) -> Result<(), ValidationError> {
    let agree = match (b.ogrn.valid(), b.inn.valid()) {
        (Some(ogrn), Some(inn)) => requisites_agree(ogrn, inn, b.kpp.is_some()),
        _ => true,
    };
    if agree {
        Ok(())
    } else {
        Err(ValidationError::new("entity_kind").with_message(
            "Для организации нужны ОГРН, ИНН из 10 цифр и КПП; для ИП — ОГРНИП и ИНН из 12 цифр без КПП".into(),
        ))
    }
}

/// A person of the organisation, as a contact card.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "last_name": "Кузнецов", "first_name": "Дмитрий", "middle_name": "Андреевич",
    "position": "Менеджер по персоналу", "phones": ["+7 (495) 123-45-67"], "email": "kuznetsov@romashka.example.ru",
    "esia_registered": false
}))]
pub struct ContactBody {
    #[validate(length(min = 1, max = 100), custom(function = "validation::not_blank"))]
    pub last_name: String,
    #[validate(length(min = 1, max = 100), custom(function = "validation::not_blank"))]
    pub first_name: String,
    #[validate(length(max = 100))]
    pub middle_name: Option<String>,
    #[validate(length(max = 200))]
    pub position: Option<String>,
    #[serde(default)]
    #[validate(length(max = 5), custom(function = "valid_phones"))]
    pub phones: Vec<String>,
    #[validate(email(message = "Адрес электронной почты указан неверно"))]
    pub email: Option<String>,
    /// Whether the person has an account on Госуслуги (ESIA).
    #[serde(default)]
    pub esia_registered: bool,
}

impl ContactBody {
    fn input(self) -> ContactInput {
        ContactInput {
            last_name: self.last_name.trim().to_owned(),
            first_name: self.first_name.trim().to_owned(),
            middle_name: self
                .middle_name
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty()),
            position: self.position,
            phones: self.phones,
            email: self.email,
            esia_registered: self.esia_registered,
        }
    }
}

/// An organisation registering itself; its first account becomes the admin.
#[derive(Debug, Deserialize, Validate, ToSchema)]
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
/// organisation's administrator, signed in at once. An OGRN registers once (409).
#[utoipa::path(
    tag = "auth",
    operation_id = "register_employer",
    request_body = RegisterEmployer,
    responses(
        (status = 201, description = "Registered and signed in", body = Registered,
            headers(("Location" = String, description = "`/api/v1/employer/organization`"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(()),
)]
#[post("/auth/register/employer")]
pub async fn register(
    state: web::Data<AppState>,
    body: ValidJson<RegisterEmployer>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let hash = hash_password(b.password).await?;
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

/// The organisation as its accounts see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub ogrn: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub legal_address: Option<String>,
    pub actual_address: Option<String>,
    pub legal_form: Option<String>,
    pub email: Option<String>,
    pub site: Option<String>,
    pub okved: Option<String>,
    pub ownership_form: Option<String>,
    pub headcount: Option<i32>,
    pub transport: Option<String>,
    pub social_guarantees: Option<String>,
    pub quota_account_number: Option<String>,
    pub quota_account_date: Option<NaiveDate>,
    pub centre_id: Option<String>,
    /// The employer's rating on the national platform, 0–5.
    pub rating: f64,
    /// Sent back in `If-Match` to change the organisation.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> OrganizationView {
        OrganizationView {
            id: o.id,
            name: o.name,
            full_name: o.full_name,
            ogrn: o.ogrn,
            inn: o.inn,
            kpp: o.kpp,
            legal_address: o.legal_address,
            actual_address: o.actual_address,
            legal_form: o.legal_form,
            email: o.email,
            site: o.site,
            okved: o.okved,
            ownership_form: o.ownership_form,
            headcount: o.headcount,
            transport: o.transport,
            social_guarantees: o.social_guarantees,
            quota_account_number: o.quota_account_number,
            quota_account_date: o.quota_account_date,
            centre_id: o.centre_id,
            rating: o.rating,
            version: o.version,
            updated_at: utc(o.updated_at),
        }
    }
}

fn organization_response(org: Organization, appeal: Option<AppealView>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(org.version)))
        .json(OrganizationChanged {
            organization: org.into(),
            appeal,
        })
}

/// The organisation
#[utoipa::path(
    tag = "employer",
    operation_id = "get_organization",
    description = "The caller's organisation with all requisites; the `ETag` goes back in `If-Match` to change it.",
    responses(
        (status = 200, description = "The organisation", body = OrganizationView, headers(("ETag" = String))),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/organization")]
pub async fn get_organization(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let org = state.as_actor(&bearer, employer::organization).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(org.version)))
        .json(OrganizationView::from(org)))
}

/// Changes to the organisation; absent fields stay, `null` clears. OGRN never changes.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "ООО «Ромашка-Плюс»", "headcount": 140}))]
pub struct OrganizationPatch {
    #[validate(length(min = 2, max = 300), custom(function = "validation::not_blank"))]
    pub name: Option<String>,
    #[validate(
        length(min = 2, max = 1000),
        custom(function = "validation::not_blank")
    )]
    pub full_name: Option<String>,
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "validation::parsed"))]
    pub inn: Option<Parsed<Inn>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(custom(function = "validation::parsed"))]
    pub kpp: Option<Option<Parsed<Kpp>>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 500))]
    pub legal_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 500))]
    pub actual_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    pub legal_form: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(email(message = "Адрес электронной почты указан неверно"))]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(url)]
    pub site: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 20))]
    pub okved: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    pub ownership_form: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<i32>)]
    #[validate(range(min = 0, max = 10_000_000))]
    pub headcount: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 1000))]
    pub transport: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 2000))]
    pub social_guarantees: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 50))]
    pub quota_account_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present_or_null")]
    #[schema(value_type = Option<NaiveDate>)]
    pub quota_account_date: Option<Option<NaiveDate>>,
}

/// The organisation after a change, with the appeal it filed when main data changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationChanged {
    pub organization: OrganizationView,
    /// «Заявление на изменение сведений об организации», filed when main data changed.
    pub appeal: Option<AppealView>,
}

/// Change the organisation
#[utoipa::path(
    tag = "employer",
    operation_id = "update_organization",
    description = "The administrator changes requisites. A change of main data (names, INN, KPP, legal address, \
legal or ownership form) files the appeal «Заявление на изменение сведений об организации» to the centre in the same \
transaction. With `If-Match`, a stale version gets 412.",
    params(("If-Match" = Option<String>, Header, description = "The `ETag` the organisation was read with")),
    request_body = OrganizationPatch,
    responses(
        (status = 200, description = "Changed", body = OrganizationChanged, headers(("ETag" = String))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 412, response = crate::openapi::PreconditionFailed),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[patch("/employer/organization")]
pub async fn update_organization(
    state: web::Data<AppState>,
    bearer: Bearer,
    if_match: IfMatch,
    body: ValidJson<OrganizationPatch>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let b = body.0;
    let change = Change {
        name: b.name.map(|n| n.trim().to_owned()),
        full_name: b.full_name.map(|n| n.trim().to_owned()),
        inn: b.inn.map(|i| i.value("inn")).transpose()?,
        kpp: b
            .kpp
            .map(|k| k.map(|k| k.value("kpp")).transpose())
            .transpose()?,
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
    };
    let changes = state.changes.clone();
    let (org, appeal) = state
        .as_actor(&bearer, move |conn, actor| {
            employer::update_organization(conn, actor, change, if_match.0, now(), &changes)
        })
        .await?;
    Ok(organization_response(
        org,
        appeal.map(|a| AppealView::new(a, Role::Employer)),
    ))
}

/// A contact person with the state of their cabinet.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub position: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub esia_registered: bool,
    pub has_cabinet: bool,
    pub login: Option<String>,
    pub is_admin: bool,
    pub blocked: bool,
    /// Only when a cabinet was just opened without a chosen password: hand it over once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_password: Option<String>,
}

impl From<Contact> for ContactView {
    fn from(c: Contact) -> ContactView {
        ContactView {
            has_cabinet: c.login.is_some(),
            id: c.row.id,
            last_name: c.row.last_name,
            first_name: c.row.first_name,
            middle_name: c.row.middle_name,
            position: c.row.position,
            phones: c.phones,
            email: c.row.email,
            esia_registered: c.row.esia_registered,
            login: c.login,
            is_admin: c.is_admin,
            blocked: c.blocked,
            initial_password: None,
        }
    }
}

/// Contact persons
#[utoipa::path(
    tag = "employer",
    operation_id = "list_contacts",
    description = "The organisation's contact persons by name, with their cabinets' state. Any account of the organisation may read them.",
    responses(
        (status = 200, description = "The contacts", body = Vec<ContactView>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/contacts")]
pub async fn list_contacts(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<ContactView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let list = state.as_actor(&bearer, employer::contacts).await?;
    Ok(web::Json(list.into_iter().map(ContactView::from).collect()))
}

/// Add a contact person
#[utoipa::path(
    tag = "employer",
    operation_id = "add_contact",
    description = "The administrator adds a contact person (without a cabinet).",
    request_body = ContactBody,
    responses(
        (status = 201, description = "Added", body = ContactView, headers(("Location" = String))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/contacts")]
pub async fn add_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<ContactBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let input = body.0.input();
    let contact = state
        .as_actor(&bearer, move |conn, actor| {
            employer::add_contact(conn, actor, &input, now())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/employer/contacts/{}", contact.row.id),
        ))
        .json(ContactView::from(contact)))
}

/// A contact person
#[utoipa::path(
    tag = "employer",
    operation_id = "get_contact",
    description = "One contact person of the organisation.",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The contact", body = ContactView),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/contacts/{id}")]
pub async fn get_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<ContactView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let c = state
        .as_actor(&bearer, move |conn, actor| {
            employer::contact(conn, actor, &id)
        })
        .await?;
    Ok(web::Json(c.into()))
}

/// Edit a contact person
#[utoipa::path(
    tag = "employer",
    operation_id = "edit_contact",
    description = "The administrator replaces a contact person's card.",
    params(("id" = String, Path, description = "The contact's id")),
    request_body = ContactBody,
    responses(
        (status = 200, description = "Edited", body = ContactView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[patch("/employer/contacts/{id}")]
pub async fn edit_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ContactBody>,
) -> Result<web::Json<ContactView>, ApiError> {
    bearer.require(Role::Employer)?;
    let (id, input) = (id.into_inner(), body.0.input());
    let c = state
        .as_actor(&bearer, move |conn, actor| {
            employer::edit_contact(conn, actor, &id, &input, now())
        })
        .await?;
    Ok(web::Json(c.into()))
}

/// Delete a contact person
#[utoipa::path(
    tag = "employer",
    operation_id = "delete_contact",
    description = "The administrator deletes a contact person; a cabinet it has is closed first. The administrator cannot delete itself (409).",
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[delete("/employer/contacts/{id}")]
pub async fn delete_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let (sessions, changes) = (state.sessions.clone(), state.changes.clone());
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::delete_contact(conn, actor, &id, now(), &changes)
                .inspect(|()| forget_members(&sessions, actor))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A cabinet for a contact.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "kuznetsov.hr"}))]
pub struct CabinetBody {
    #[validate(custom(function = "validation::login"))]
    pub login: String,
    /// When absent a password is generated and returned once.
    #[validate(custom(function = "validation::password_policy"))]
    pub password: Option<String>,
}

/// Open a cabinet for a contact
#[utoipa::path(
    tag = "employer",
    operation_id = "open_cabinet",
    description = "The administrator creates a cabinet (an ordinary employer account) for a contact person. Without a password one is generated and returned once.",
    params(("id" = String, Path, description = "The contact's id")),
    request_body = CabinetBody,
    responses(
        (status = 201, description = "Opened", body = ContactView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, response = crate::openapi::UnsupportedMediaType),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/contacts/{id}/account")]
pub async fn open_cabinet(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<CabinetBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let (id, b) = (id.into_inner(), body.0);
    let generated = b.password.is_none().then(passwords::generate);
    let hash = hash_password(b.password.or_else(|| generated.clone()).unwrap_or_default()).await?;
    let login = b.login;
    let contact = state
        .as_actor(&bearer, move |conn, actor| {
            let card = employer::contact(conn, actor, &id)?;
            let name = format!("{} {}", card.row.last_name, card.row.first_name);
            let user = User::new(
                Role::Employer,
                &login,
                Some(hash),
                card.row.email.clone(),
                name,
                actor.centre_id.clone(),
                now(),
            );
            employer::open_cabinet(conn, actor, &id, &user, now())
        })
        .await?;
    let mut view = ContactView::from(contact);
    view.initial_password = generated;
    Ok(HttpResponse::Created().json(view))
}

/// After a change to who may sign in or administer the organisation, as soon as it
/// commits: its members' sessions are checked against the database again on their
/// next request.
fn forget_members(sessions: &SessionCache, admin: &Actor) {
    if let Some(organization) = &admin.organization_id {
        sessions.forget_organization(organization);
    }
}

macro_rules! contact_action {
    ($name:ident, $method:ident, $path:literal, $op:literal, $doc:literal, $status:literal, $call:expr) => {
        #[doc = $doc]
        #[utoipa::path(
                            tag = "employer",
                            operation_id = $op,
                            description = $doc,
                            params(("id" = String, Path, description = "The contact's id")),
                            responses(
                                (status = $status, description = "Done"),
                                (status = 401, response = crate::openapi::Unauthorized),
                                (status = 403, response = crate::openapi::Forbidden),
                                (status = 404, response = crate::openapi::NotFound),
                                (status = 409, response = crate::openapi::Conflict),
                                (status = 503, response = crate::openapi::ServiceUnavailable),
                            ),
                            security(("bearer" = [])),
                        )]
        #[$method($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            bearer: Bearer,
            id: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            bearer.require(Role::Employer)?;
            let id = id.into_inner();
            let (sessions, changes) = (state.sessions.clone(), state.changes.clone());
            let result = state
                .as_actor(&bearer, move |conn, actor| {
                    ($call)(conn, actor, &id, &changes)
                        .inspect(|_| forget_members(&sessions, actor))
                })
                .await?;
            Ok(match result {
                Some(contact) => HttpResponse::Ok().json(ContactView::from(contact)),
                None => HttpResponse::NoContent().finish(),
            })
        }
    };
}

contact_action!(close_cabinet, delete, "/employer/contacts/{id}/account", "close_cabinet",
    "Close a contact's cabinet: the account can no longer sign in and its sessions end; its appeals stay with the organisation. The administrator cannot close its own (409).",
    204, |conn, actor, id: &str, changes: &Changes| employer::close_cabinet(conn, actor, id, now(), changes).map(|_| None::<Contact>));
contact_action!(block_contact, post, "/employer/contacts/{id}/block", "block_contact",
    "Block a contact's cabinet: it cannot sign in, and its live tokens stop at once (the refusal names the organisation's administrator). The administrator cannot block itself (409).",
    200, |conn, actor, id: &str, changes: &Changes| employer::set_blocked(conn, actor, id, true, now(), changes).map(Some));
contact_action!(
    unblock_contact,
    post,
    "/employer/contacts/{id}/unblock",
    "unblock_contact",
    "Unblock a contact's cabinet.",
    200,
    |conn, actor, id: &str, changes: &Changes| employer::set_blocked(
        conn,
        actor,
        id,
        false,
        now(),
        changes
    )
    .map(Some)
);
contact_action!(transfer_admin, post, "/employer/contacts/{id}/admin", "transfer_admin",
    "Transfer the administrator flag to this contact's cabinet, atomically: afterwards it is the organisation's only administrator and the caller an ordinary account. A blocked cabinet cannot take it (409).",
    200, |conn, actor, id: &str, changes: &Changes| employer::transfer_admin(conn, actor, id, changes).map(Some));

/// A contact's appeals
#[utoipa::path(
    tag = "employer",
    operation_id = "list_contact_appeals",
    description = "The administrator lists the appeals one contact's cabinet filed. Same filters as `GET /appeals`.",
    params(("id" = String, Path, description = "The contact's id"), AppealQuery),
    responses(
        (status = 200, description = "A page of appeals", body = PageView<AppealView>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 422, response = crate::openapi::ValidationFailed),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/contacts/{id}/appeals")]
pub async fn contact_appeals(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    query: ValidQuery<AppealQuery>,
) -> Result<web::Json<PageView<AppealView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let (mut filter, page) = query.0.split(false);
    let totals = state.appeal_totals.clone();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            filter.applicant = Some(employer::contact_user(conn, actor, &id)?);
            super::appeals::counted_page(&totals, conn, actor, &filter, page.request())
                .map(|(found, _)| found)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, |a| {
        AppealView::new(a, Role::Employer)
    })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FavouriteResume {
    pub resume: ResumeView,
    pub added_at: DateTime<Utc>,
}

/// Favourite candidates
#[utoipa::path(
    tag = "employer",
    operation_id = "list_favourite_resumes",
    description = "Resumes this account starred in the candidate bank, sorted by profession alphabetically (SPEC §3). Resumes no longer published drop out.",
    responses(
        (status = 200, description = "The favourites", body = Vec<FavouriteResume>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/favourite-resumes")]
pub async fn favourite_resumes(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<Vec<FavouriteResume>>, ApiError> {
    bearer.require(Role::Employer)?;
    let list = state.as_actor(&bearer, employer::favourite_resumes).await?;
    Ok(web::Json(
        list.into_iter()
            .map(|(r, at)| FavouriteResume {
                resume: r.into(),
                added_at: utc(at),
            })
            .collect(),
    ))
}

/// Star a candidate
#[utoipa::path(
    tag = "employer",
    operation_id = "add_favourite_resume",
    description = "Stars a published resume. Idempotent.",
    params(("resume_id" = String, Path, description = "The resume's id")),
    responses(
        (status = 204, description = "In favourites"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[put("/employer/favourite-resumes/{resume_id}")]
pub async fn add_favourite_resume(
    state: web::Data<AppState>,
    bearer: Bearer,
    resume_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = resume_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::add_favourite_resume(conn, actor, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Un-star a candidate
#[utoipa::path(
    tag = "employer",
    operation_id = "remove_favourite_resume",
    description = "Removes a resume from favourites. Idempotent.",
    params(("resume_id" = String, Path, description = "The resume's id")),
    responses(
        (status = 204, description = "Not in favourites"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    ),
    security(("bearer" = [])),
)]
#[delete("/employer/favourite-resumes/{resume_id}")]
pub async fn remove_favourite_resume(
    state: web::Data<AppState>,
    bearer: Bearer,
    resume_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = resume_id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::remove_favourite_resume(conn, actor, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
