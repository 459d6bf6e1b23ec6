//! The organisation's contact persons (SPEC §3): their cards, which any account of
//! the organisation reads and the administrator edits, and the appeals a contact's
//! cabinet filed.

use actix_web::{delete, get, http::header, patch, post, web, HttpResponse};
use domain::role::Role;
use persistence::employer::{self, Contact, ContactInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{ValidJson, ValidQuery};
use crate::problem::ApiError;
use crate::problem::ProblemCode;
use crate::routes::appeals::{counted_page, AppealQuery};
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{AppealView, PageView};

fn valid_phones(list: &[String]) -> Result<(), ValidationError> {
    list.iter().try_for_each(|p| validation::phone(p))
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
    pub(super) fn input(self) -> ContactInput {
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

/// A contact person with the state of their cabinet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-3333-7000-8000-000000000011",
    "last_name": "Кузнецов",
    "first_name": "Дмитрий",
    "middle_name": "Андреевич",
    "position": "Менеджер по персоналу",
    "phones": ["+7 (495) 123-45-67"],
    "email": "kuznetsov@romashka.example.ru",
    "esia_registered": false,
    "has_cabinet": true,
    "login": "kuznetsov.da",
    "is_admin": false,
    "blocked": false
}))]
pub struct ContactView {
    #[schema(format = Uuid)]
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    #[schema(required)]
    pub middle_name: Option<String>,
    #[schema(required)]
    pub position: Option<String>,
    pub phones: Vec<String>,
    #[schema(required)]
    pub email: Option<String>,
    pub esia_registered: bool,
    pub has_cabinet: bool,
    #[schema(required)]
    pub login: Option<String>,
    pub is_admin: bool,
    pub blocked: bool,
    /// Only when a cabinet was just opened without a chosen password: hand it over once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
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
    description = "The administrator adds a contact person (without a cabinet). An organisation keeps at most 100 contact persons (409 `limit_reached`).",
    request_body = ContactBody,
    responses(
        (status = 201, description = "Added", body = ContactView, headers(("Location" = String))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::LimitReached]))),
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
    ),
    security(("bearer" = [])),
)]
#[patch("/employer/contacts/{id}")]
pub async fn edit_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    body: ValidJson<ContactBody>,
    audit: crate::audit::Audit,
) -> Result<web::Json<ContactView>, ApiError> {
    bearer.require(Role::Employer)?;
    let (id, input) = (id.into_inner(), body.0.input());
    let c = state
        .as_actor(&bearer, move |conn, actor| {
            employer::edit_contact(conn, actor, &audit.0, &id, &input, now())
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
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::HasCabinet, ProblemCode::AdminSelfAction]))),
    security(("bearer" = [])),
)]
#[delete("/employer/contacts/{id}")]
pub async fn delete_contact(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
    audit: crate::audit::Audit,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    state
        .as_actor(&bearer, move |conn, actor| {
            employer::delete_contact(conn, actor, &audit.0, &id, now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A contact's appeals
#[utoipa::path(
    tag = "employer",
    operation_id = "list_contact_appeals",
    description = "The administrator lists the appeals one contact's cabinet filed. Same filters as `GET /appeals`.",
    params(("id" = String, Path, description = "The contact's id"), AppealQuery),
    responses(
        (status = 200, description = "A page of appeals", body = PageView<AppealView>),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::NotAdmin, ProblemCode::NoCabinet]))),
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
            counted_page(&totals, conn, actor, &filter, page.request()).map_err(ApiError::from)
        })
        .await?;
    Ok(web::Json(PageView::from_page(found, |a| {
        AppealView::new(a, Role::Employer)
    })))
}
