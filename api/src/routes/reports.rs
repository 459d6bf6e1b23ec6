//! Employer reports (предоставление сведений, SPEC §3): seven kinds, each with its own
//! validated content. Sending one stores it and files its appeal, already completed.

use actix_web::{get, http::header, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::report::ReportKind;
use domain::role::Role;
use persistence::reports::{self, Report};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Bearer;
use crate::extract::{parse_json, ValidJson, ValidQuery};
use crate::problem::ProblemCode;
use crate::problem::{ApiError, FieldError};
use crate::routes::drafts::DraftView;
use crate::routes::vacancies::known_profession;
use crate::state::{now, AppState};
use crate::validation;
use crate::views::{utc, AppealView, Labelled, PageQuery, PageView};

fn month(v: &str) -> Result<(), ValidationError> {
    let ok = v.len() == 7 && NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d").is_ok();
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("month").with_message("Месяц в формате ГГГГ-ММ".into()))
    }
}

/// «Вакансии»: the positions the employer needs.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct VacanciesReport {
    #[validate(length(min = 1, max = 200), nested)]
    pub positions: Vec<Position>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[validate(schema(function = "position_salary", skip_on_field_errors = false))]
pub struct Position {
    #[validate(length(min = 1, max = 200), custom(function = "validation::not_blank"))]
    pub title: String,
    #[validate(custom(function = "known_profession"))]
    pub profession_code: Option<String>,
    #[validate(range(min = 1, max = 10_000))]
    pub count: i32,
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_from: Option<i64>,
    #[validate(range(min = 1, max = 100_000_000))]
    pub salary_to: Option<i64>,
}

/// «Вакансии» as a stored report answers it: the form as checked, every field sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredVacanciesReport {
    pub positions: Vec<StoredPosition>,
}

/// A position of a stored «Вакансии» report: what was left out is `null`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredPosition {
    pub title: String,
    #[schema(required)]
    pub profession_code: Option<String>,
    pub count: i32,
    #[schema(required)]
    pub salary_from: Option<i64>,
    #[schema(required)]
    pub salary_to: Option<i64>,
}

fn position_salary(p: &Position) -> Result<(), ValidationError> {
    match (p.salary_from, p.salary_to) {
        (Some(from), Some(to)) if from > to => Err(ValidationError::new("salary_range")
            .with_message("Зарплата «от» больше зарплаты «до»".into())),
        _ => Ok(()),
    }
}

/// «Высвобождение»: planned layoffs.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[validate(schema(function = "layoff_dates", skip_on_field_errors = false))]
pub struct LayoffsReport {
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub notice_date: NaiveDate,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub layoff_date: NaiveDate,
    #[validate(range(min = 1, max = 1_000_000))]
    pub headcount: i32,
    #[validate(length(min = 1, max = 200))]
    pub positions: Vec<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "validation::not_blank")
    )]
    pub reason: String,
}

fn layoff_dates(r: &LayoffsReport) -> Result<(), ValidationError> {
    if r.layoff_date >= r.notice_date {
        Ok(())
    } else {
        Err(ValidationError::new("dates")
            .with_message("Дата высвобождения раньше даты уведомления".into()))
    }
}

/// «Кадровый состав».
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[validate(schema(function = "staffing_parts", skip_on_field_errors = false))]
pub struct StaffingReport {
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub report_date: NaiveDate,
    #[validate(range(min = 0, max = 10_000_000))]
    pub employees_total: i32,
    #[validate(range(min = 0, max = 10_000_000))]
    pub women: i32,
    #[validate(range(min = 0, max = 10_000_000))]
    pub disabled: i32,
    #[validate(range(min = 0, max = 10_000_000))]
    pub under_30: i32,
}

fn staffing_parts(r: &StaffingReport) -> Result<(), ValidationError> {
    if r.women <= r.employees_total
        && r.disabled <= r.employees_total
        && r.under_30 <= r.employees_total
    {
        Ok(())
    } else {
        Err(ValidationError::new("parts")
            .with_message("Часть численности больше общей численности".into()))
    }
}

/// «Квотирование»: compliance with the quota for hiring disabled persons.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct QuotaReport {
    /// `YYYY-MM`.
    #[validate(custom(function = "month"))]
    pub period: String,
    #[validate(range(min = 0, max = 10_000_000))]
    pub average_headcount: i32,
    #[validate(range(min = 0, max = 1_000_000))]
    pub quota_size: i32,
    #[validate(range(min = 0, max = 1_000_000))]
    pub employed_disabled: i32,
}

/// «Иностранные работники»: notices of engaging foreign workers.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct ForeignWorkersReport {
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub notice_date: NaiveDate,
    #[validate(length(min = 1, max = 500), nested)]
    pub workers: Vec<ForeignWorker>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct ForeignWorker {
    #[validate(length(min = 1, max = 300), custom(function = "validation::not_blank"))]
    pub full_name: String,
    #[validate(length(min = 1, max = 100))]
    pub citizenship: String,
    #[validate(length(min = 1, max = 200))]
    pub position: String,
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub contract_date: NaiveDate,
}

/// «Табель»: the month's time sheet.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct TimeSheetReport {
    #[validate(custom(function = "month"))]
    pub month: String,
    #[validate(length(min = 1, max = 5000), nested)]
    pub employees: Vec<TimeSheetLine>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct TimeSheetLine {
    #[validate(length(min = 1, max = 300), custom(function = "validation::not_blank"))]
    pub full_name: String,
    #[validate(range(min = 0, max = 31))]
    pub days_worked: i32,
    #[validate(range(min = 0, max = 744))]
    pub hours_worked: i32,
}

/// «Неформальная занятость».
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct InformalEmploymentReport {
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub detected_date: NaiveDate,
    #[validate(range(min = 1, max = 100_000))]
    pub persons: i32,
    #[validate(
        length(min = 1, max = 5000),
        custom(function = "validation::not_blank")
    )]
    pub description: String,
}

/// Checks a payload against its kind's form and returns it normalised; errors name
/// fields as `payload.…`.
fn checked<T: DeserializeOwned + Validate + Serialize>(
    payload: &serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let prefix = |errors: Vec<FieldError>| {
        ApiError::Validation(
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = if e.field.is_empty() {
                        "payload".into()
                    } else {
                        format!("payload.{}", e.field)
                    };
                    e
                })
                .collect(),
        )
    };
    let value: T = parse_json(payload.to_string().as_bytes()).map_err(|e| match e {
        ApiError::Validation(errors) => prefix(errors),
        other => other,
    })?;
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.to_string()))
}

fn validate_payload(
    kind: ReportKind,
    payload: &serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    match kind {
        ReportKind::Vacancies => checked::<VacanciesReport>(payload),
        ReportKind::Layoffs => checked::<LayoffsReport>(payload),
        ReportKind::Staffing => checked::<StaffingReport>(payload),
        ReportKind::Quota => checked::<QuotaReport>(payload),
        ReportKind::ForeignWorkers => checked::<ForeignWorkersReport>(payload),
        ReportKind::TimeSheet => checked::<TimeSheetReport>(payload),
        ReportKind::InformalEmployment => checked::<InformalEmploymentReport>(payload),
    }
}

/// A report to send. Its schema, one shape per kind, is in `report_forms`.
#[derive(Debug, Deserialize, Validate)]
pub struct ReportBody {
    pub kind: ReportKind,
    /// The kind's own form, checked by `validate_payload`.
    pub payload: serde_json::Value,
    /// The earlier report this one was copied from.
    pub based_on: Option<String>,
    /// The draft this form was filled in; deleted when the report is sent.
    pub draft_id: Option<String>,
}

/// A sent report.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f4e-8888-7000-8000-000000000091",
    "kind": {"code": "layoffs", "title": "Сведения о планируемом высвобождении работников"},
    "payload": {"notice_date": "2026-12-02", "layoff_date": "2027-02-02", "headcount": 12,
                "positions": ["Кладовщик", "Водитель автомобиля"], "reason": "Сокращение штата"},
    "appeal_id": "01938f4e-8888-7000-8000-000000000092",
    "based_on": null,
    "author_id": "01935f3e-3333-7000-8000-000000000012",
    "created_at": "2026-12-02T10:30:00Z"
}))]
pub struct ReportView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: Labelled<crate::codes::ReportKindCode>,
    /// The form of `kind`, as checked when it was sent.
    #[schema(value_type = super::report_forms::ReportPayload)]
    pub payload: serde_json::Value,
    #[schema(format = Uuid)]
    pub appeal_id: String,
    #[schema(required)]
    pub based_on: Option<String>,
    #[schema(format = Uuid)]
    pub author_id: String,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<Report> for ReportView {
    type Error = ApiError;
    fn try_from(r: Report) -> Result<ReportView, ApiError> {
        let kind: ReportKind = r
            .kind
            .parse()
            .map_err(|e: domain::UnknownCode| ApiError::Internal(e.to_string()))?;
        Ok(ReportView {
            kind: Labelled::of(kind),
            payload: serde_json::from_str(&r.payload)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            id: r.id,
            appeal_id: r.appeal_id,
            based_on: r.based_on,
            author_id: r.author_id,
            created_at: utc(r.created_at),
        })
    }
}

/// A sent report with the appeal that proves it reached the centre.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = sent_example)]
pub struct SentReport {
    pub report: ReportView,
    /// Already `completed` («Выполнено»), with its history.
    pub appeal: AppealView,
}

fn sent_example() -> serde_json::Value {
    let mut appeal =
        crate::views::filed_report_example(domain::appeal_type::AppealType::ReportLayoffs);
    appeal["id"] = serde_json::json!("01938f4e-8888-7000-8000-000000000092");
    serde_json::json!({
        "report": crate::views::example_of::<ReportView>(),
        "appeal": appeal,
    })
}

fn employer_error(e: persistence::employer::EmployerError) -> ApiError {
    match e {
        persistence::employer::EmployerError::NotFound => ApiError::field(
            "based_on",
            "unknown",
            "Исходный отчёт или черновик не найден",
        ),
        other => other.into(),
    }
}

/// Send a report
#[utoipa::path(
    tag = "employer",
    operation_id = "send_report",
    description = "Sends one of the seven kinds of report with its own validated content. The report and its appeal are \
created in one transaction; the appeal is `completed` at once, with history. `based_on` names an earlier report it was copied from.",
    params(crate::docs::IdempotencyKey),
    request_body = ReportBody,
    responses(
        (status = 201, description = "Sent", body = SentReport, headers(("Location" = String))),
    ),
    extensions(("x-problem-codes" = json!([ProblemCode::OrganizationNotVerified]))),
    security(("bearer" = [])),
)]
#[post("/employer/reports", wrap = "crate::idempotency::Idempotent::json()")]
pub async fn send(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: ValidJson<ReportBody>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let b = body.0;
    let payload = validate_payload(b.kind, &b.payload)?.to_string();
    let (report, appeal) = state
        .as_actor(&bearer, move |conn, actor| {
            let outgoing = reports::Outgoing {
                kind: b.kind,
                payload: &payload,
                based_on: b.based_on.as_deref(),
                draft_id: b.draft_id.as_deref(),
            };
            reports::send(conn, actor, outgoing, now()).map_err(employer_error)
        })
        .await?;
    let location = format!("/api/v1/employer/reports/{}", report.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(SentReport {
            report: report.try_into()?,
            appeal: AppealView::new(appeal, Role::Employer),
        }))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only reports of this kind.
    #[param(value_type = Option<crate::docs::ReportKindCode>)]
    pub kind: Option<ReportKind>,
    /// First sending day (inclusive, UTC).
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_from: Option<NaiveDate>,
    /// Last sending day (inclusive, UTC).
    #[validate(custom(function = "crate::validation::calendar_date"))]
    pub date_to: Option<NaiveDate>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// The organisation's reports
#[utoipa::path(
    tag = "employer",
    operation_id = "list_reports",
    description = "The organisation's reports, newest first, by kind and sending date.",
    params(ReportQuery),
    responses(
        (status = 200, description = "A page of reports", body = PageView<ReportView>),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/reports")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: ValidQuery<ReportQuery>,
) -> Result<web::Json<PageView<ReportView>>, ApiError> {
    bearer.require(Role::Employer)?;
    let q = query.0;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    let found = state
        .as_actor(&bearer, move |conn, actor| {
            reports::list(conn, actor, q.kind, q.date_from, q.date_to, page)
        })
        .await?;
    let total_pages = found.total_pages();
    Ok(web::Json(PageView {
        items: found
            .items
            .into_iter()
            .map(ReportView::try_from)
            .collect::<Result<_, _>>()?,
        page: found.page,
        per_page: found.per_page,
        total: found.total,
        total_pages,
    }))
}

/// A report
#[utoipa::path(
    tag = "employer",
    operation_id = "get_report",
    description = "One report of the organisation.",
    params(("id" = String, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The report", body = ReportView),
    ),
    security(("bearer" = [])),
)]
#[get("/employer/reports/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<web::Json<ReportView>, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let report = state
        .as_actor(&bearer, move |conn, actor| reports::get(conn, actor, &id))
        .await?;
    Ok(web::Json(report.try_into()?))
}

/// Start a report based on an earlier one
#[utoipa::path(
    tag = "employer",
    operation_id = "copy_report",
    description = "Copies one of the organisation's reports into a new draft (kind `report`) to edit and send; the draft's \
payload is `{kind, based_on, payload}`, ready for `POST /employer/reports`.",
    params(("id" = String, Path, description = "The report to copy")),
    responses(
        (status = 201, description = "The new draft", body = DraftView, headers(("Location" = String))),
    ),
    security(("bearer" = [])),
)]
#[post("/employer/reports/{id}/draft")]
pub async fn copy_to_draft(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    bearer.require(Role::Employer)?;
    let id = id.into_inner();
    let draft = state
        .as_actor(&bearer, move |conn, actor| {
            let report = reports::get(conn, actor, &id)?;
            let payload: serde_json::Value = serde_json::from_str(&report.payload)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let copy =
                serde_json::json!({"kind": report.kind, "based_on": report.id, "payload": payload});
            Ok::<_, ApiError>(persistence::drafts::create(
                conn,
                &actor.user_id,
                domain::draft::DraftKind::Report,
                &copy.to_string(),
                now(),
            )?)
        })
        .await?;
    let location = format!("/api/v1/drafts/{}", draft.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(DraftView::try_from(draft)?))
}
