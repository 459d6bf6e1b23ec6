//! The certificate of registration as unemployed, made on request as a PDF (seed 002,
//! SPEC §7).

use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::role::Role;
use persistence::certificates::{self};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Bearer;
use crate::extract::ValidJson;
use crate::problem::ProblemCode;
use crate::problem::{ApiError, Problem};
use crate::state::{now, AppState};

/// The period the certificate is valid for, chosen by the citizen.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"valid_from": "2026-12-01", "valid_to": "2026-12-31"}))]
pub struct CertificateRequest {
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub valid_from: NaiveDate,
    /// At most 92 days after `valid_from`, not already past.
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub valid_to: NaiveDate,
}

/// Get the certificate of registration as unemployed
#[utoipa::path(
    tag = "citizen",
    operation_id = "unemployment_certificate",
    description = "Makes the certificate of registration as unemployed (справка о регистрации в качестве безработного) as a PDF: the person, the centre, the registration date and personal case number, the validity period chosen, the date of issue. Refused (409 with a `reason`) without an open personal case in status «Безработный» (`not_unemployed`) or while a benefit application is being considered (`open_benefit_application`).",
    request_body = CertificateRequest,
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf",
            headers(("Content-Disposition" = String))),
        (status = 409, description = "No certificate for this citizen now; `reason` says why", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::CertificateRefused]))),
    security(("bearer" = [])),
)]
#[post("/citizen/certificates/unemployment")]
pub async fn unemployment(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<CertificateRequest>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Citizen)?;
    let CertificateRequest {
        valid_from,
        valid_to,
    } = body.0;
    let today = now().date();
    let certificate = state
        .as_actor(&bearer, move |conn, actor| {
            certificates::unemployment(conn, &actor.user_id, valid_from, valid_to, today)
        })
        .await?;
    let name = certificate.file_name();
    let pdf = web::block(move || crate::pdf::certificate(&certificate))
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![
                DispositionParam::Filename("unemployment-certificate.pdf".into()),
                DispositionParam::FilenameExt(ExtendedValue {
                    charset: Charset::Ext("UTF-8".into()),
                    language_tag: None,
                    value: name.into_bytes(),
                }),
            ],
        })
        .body(pdf))
}
