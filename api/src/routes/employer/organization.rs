//! The organisation's requisites (SPEC §3): what registration and a change accept,
//! what its accounts read, and the change that files «Заявление на изменение сведений
//! об организации» when main data changes.

use actix_web::{get, http::header, patch, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::identifiers::{requisites_agree, Inn, Kpp, Ogrn};
use domain::organization::Change;
use domain::role::Role;
use persistence::employer;
use persistence::organizations::Organization;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{etag, IfMatch, ValidJson};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::state::{now, AppState};
use crate::validation::{self, Parsed};
use crate::views::{utc, AppealView};

/// An organisation's requisites.
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
    "quota_account_date": "2025-01-15",
    "centre_id": "01935f3e-0000-7000-8000-000000000001"
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
    #[validate(custom(function = "crate::validation::calendar_date"))]
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

/// The organisation as its accounts see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = view_example)]
pub struct OrganizationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub ogrn: String,
    pub inn: String,
    #[schema(required)]
    pub kpp: Option<String>,
    #[schema(required)]
    pub legal_address: Option<String>,
    #[schema(required)]
    pub actual_address: Option<String>,
    #[schema(required)]
    pub legal_form: Option<String>,
    #[schema(required)]
    pub email: Option<String>,
    #[schema(required)]
    pub site: Option<String>,
    #[schema(required)]
    pub okved: Option<String>,
    #[schema(required)]
    pub ownership_form: Option<String>,
    #[schema(required)]
    pub headcount: Option<i32>,
    #[schema(required)]
    pub transport: Option<String>,
    #[schema(required)]
    pub social_guarantees: Option<String>,
    #[schema(required)]
    pub quota_account_number: Option<String>,
    #[schema(required)]
    pub quota_account_date: Option<NaiveDate>,
    #[schema(required, format = Uuid)]
    pub centre_id: Option<String>,
    /// The employer's rating on the national platform, 0–5.
    pub rating: f64,
    /// Sent back in `If-Match` to change the organisation.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    /// `verified` (confirmed through Госуслуги or by centre staff) or `pending`
    /// (registered by hand: it may prepare vacancies and reports, not publish or send
    /// them).
    #[schema(example = "verified", value_type = crate::codes::VerificationCode)]
    pub verification: String,
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
            verification: if o.verified_at.is_some() {
                domain::organization::Verification::Verified
            } else {
                domain::organization::Verification::Pending
            }
            .code()
            .to_owned(),
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
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub quota_account_date: Option<Option<NaiveDate>>,
}

/// The organisation after a change, with the appeal it filed when main data changed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = changed_example)]
pub struct OrganizationChanged {
    pub organization: OrganizationView,
    /// «Заявление на изменение сведений об организации», filed when main data changed.
    #[schema(required)]
    pub appeal: Option<AppealView>,
}

/// The requisites of the body's example, as stored and verified.
fn view_example() -> serde_json::Value {
    let mut organization = crate::views::example_of::<OrganizationBody>().unwrap_or_default();
    organization["id"] = serde_json::json!("01935f3e-0000-7000-8000-00000000000a");
    organization["rating"] = serde_json::json!(4.5);
    organization["version"] = serde_json::json!(3);
    organization["updated_at"] = serde_json::json!("2026-12-01T12:00:00Z");
    organization["verification"] = serde_json::json!("verified");
    organization
}

/// A change of contact data only: no appeal is filed.
fn changed_example() -> serde_json::Value {
    let mut organization = crate::views::example_of::<OrganizationView>().unwrap_or_default();
    organization["site"] = serde_json::json!("https://romashka-cafe.example.ru");
    organization["version"] = serde_json::json!(4);
    organization["updated_at"] = serde_json::json!("2026-12-03T08:00:00Z");
    serde_json::json!({"organization": organization, "appeal": null})
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
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin]))),
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
    let (org, appeal) = state
        .as_actor(&bearer, move |conn, actor| {
            employer::update_organization(conn, actor, change, if_match.0, now())
        })
        .await?;
    Ok(organization_response(
        org,
        appeal.map(|a| AppealView::new(a, Role::Employer)),
    ))
}
