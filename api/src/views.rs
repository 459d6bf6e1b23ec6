//! The JSON shapes clients see, kept apart from storage rows so either can change
//! without the other (crates.io's `views`). Enumerations go out as `{code, title}`.

use std::borrow::Cow;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::appeal::{AppealStatus, Audience};
use domain::role::Role;
use domain::Coded;
use persistence::appeals::{Appeal, HistoryEntry};
use persistence::citizens::Case;
use persistence::paging::Page;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;
use validator::Validate;

use crate::codes::{
    AppealChannelCode, AppealStatusCode, AppealTypeCode, CaseStatusCode, DictionaryCode, GoalCode,
    LabelCode, LabelFor,
};

/// A stored UTC timestamp as RFC 3339.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// An enumeration value: the code clients switch on and the Russian label people read.
/// `C` is the schema of the codes (`crate::codes`), which ties the value to its
/// domain enumeration: `Labelled::<AppealStatusCode>::of` takes only an
/// `AppealStatus`, and the document types `code` as that enum. A plain `Labelled`
/// carries a dictionary's code (a region, a profession), a string.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Labelled<C = DictionaryCode> {
    pub code: String,
    pub title: String,
    #[serde(skip)]
    schema: PhantomData<C>,
}

impl<C> Labelled<C> {
    pub fn of<T: Coded>(value: T) -> Labelled<C>
    where
        C: LabelFor<T>,
    {
        Labelled::titled(value, value.title())
    }

    /// A value with a title of its own (the viewer's wording).
    pub fn titled<T: Coded>(value: T, title: &str) -> Labelled<C>
    where
        C: LabelFor<T>,
    {
        Labelled::raw(value.code(), title)
    }

    /// A code as stored, when it cannot be read back into its enumeration.
    pub fn raw(code: impl Into<String>, title: impl Into<String>) -> Labelled<C> {
        Labelled {
            code: code.into(),
            title: title.into(),
            schema: PhantomData,
        }
    }
}

impl<C: LabelCode> utoipa::__dev::ComposeSchema for Labelled<C> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some(
                "An enumeration value: the code clients switch on and the Russian label people read.",
            ))
            .property("code", C::code_schema())
            .required("code")
            .property(
                "title",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("The Russian label, as the code's schema lists it.")),
            )
            .required("title")
            .examples([C::example()])
            .into()
    }
}

impl<C: LabelCode> ToSchema for Labelled<C> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Labelled")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        C::register(schemas);
    }
}

/// `?page=&per_page=` as API.md fixes them.
#[derive(Debug, Clone, Copy, Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

/// Paging and `updated_since`, for the lists that apps poll.
#[derive(Debug, Clone, Copy, Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolledPageQuery {
    /// Only items created or changed strictly after this moment, RFC 3339: for polling,
    /// send the newest `updated_at` seen minus 15 seconds and drop repeats by `id`: a change
    /// still being saved as you polled carries a moment slightly before its neighbours'.
    #[validate(custom(function = "crate::validation::calendar_instant"))]
    #[param(example = "2026-12-01T09:30:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
    /// Page number, from 1.
    #[validate(range(min = 1, max = 1_000_000, message = "Номер страницы — от 1"))]
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[validate(range(min = 1, max = 100, message = "На странице — от 1 до 100 записей"))]
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u32>,
}

impl PolledPageQuery {
    /// The moment as stored (UTC), and the page.
    pub fn split(self) -> (Option<NaiveDateTime>, persistence::paging::PageRequest) {
        let page = PageQuery {
            page: self.page,
            per_page: self.per_page,
        };
        (self.updated_since.map(|at| at.naive_utc()), page.request())
    }
}

impl PageQuery {
    pub fn request(self) -> persistence::paging::PageRequest {
        persistence::paging::PageRequest {
            page: self.page.unwrap_or(1),
            per_page: self.per_page.unwrap_or(10),
        }
    }
}

/// One page of a list. Its schema (`PageView_<T>`, composed by hand below) refers to
/// the items' own schema rather than copying it, and its example is a page of one
/// item, the example of `T`.
#[derive(Debug, Serialize)]
pub struct PageView<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub total_pages: u64,
}

impl<T: ToSchema> utoipa::__dev::ComposeSchema for PageView<T> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let count = |description: &str, format: KnownFormat, minimum: f64| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(format)))
                .minimum(Some(minimum))
                .description(Some(description))
        };
        let mut page = ObjectBuilder::new()
            .description(Some("One page of a list."))
            .property(
                "items",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name(T::name()))
                    .description(Some("The items of this page, in the list's order.")),
            )
            .required("items")
            .property(
                "page",
                count("The page number, from 1.", KnownFormat::Int32, 0.0),
            )
            .required("page")
            .property(
                "per_page",
                count(
                    "Items per page, as asked (10 by default).",
                    KnownFormat::Int32,
                    0.0,
                ),
            )
            .required("per_page")
            .property(
                "total",
                count("Items in the whole list.", KnownFormat::Int64, 0.0),
            )
            .required("total")
            .property(
                "total_pages",
                count(
                    "Pages in the whole list (0 when it is empty).",
                    KnownFormat::Int64,
                    0.0,
                ),
            )
            .required("total_pages");
        if let Some(item) = example_of::<T>() {
            page = page.examples([serde_json::json!({
                "items": [item], "page": 1, "per_page": 10, "total": 1, "total_pages": 1
            })]);
        }
        page.into()
    }
}

impl<T: ToSchema> ToSchema for PageView<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PageView")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

/// The example of an employer's appeal that a report or a vacancy filed, `completed`
/// at once (the document's examples of those answers).
pub fn filed_report_example(kind: domain::appeal_type::AppealType) -> serde_json::Value {
    let mut appeal = example_of::<AppealView>().unwrap_or_default();
    let status = AppealStatus::Completed;
    appeal["type"] = serde_json::json!({"code": kind.code(), "title": kind.title()});
    appeal["status"] =
        serde_json::json!({"code": status.code(), "title": status.title_for(Audience::Employer)});
    appeal["number"] = serde_json::json!("22800031/26СЗН");
    appeal["subject"] = serde_json::json!(kind.title());
    appeal["body"] = serde_json::json!("");
    appeal["applicant"] = serde_json::json!({
        "id": "01935f3e-3333-7000-8000-000000000012", "name": "Кузнецов Дмитрий Андреевич"
    });
    appeal["organization_id"] = serde_json::json!("01935f3e-0000-7000-8000-00000000000a");
    appeal["deadline"] = serde_json::json!("2026-12-04");
    appeal["created_at"] = serde_json::json!("2026-12-02T10:30:00Z");
    appeal["updated_at"] = serde_json::json!("2026-12-02T10:30:00Z");
    appeal
}

/// The example a schema carries (`example`, or the first of `examples`).
pub fn example_of<T: utoipa::PartialSchema>() -> Option<serde_json::Value> {
    let schema = serde_json::to_value(T::schema()).ok()?;
    schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
        .cloned()
}

impl<T: ToSchema> PageView<T> {
    pub fn from_page<S>(page: Page<S>, f: impl Fn(S) -> T) -> PageView<T> {
        let total_pages = page.total_pages();
        PageView {
            items: page.items.into_iter().map(f).collect(),
            page: page.page,
            per_page: page.per_page,
            total: page.total,
            total_pages,
        }
    }
}

/// A centre as other resources mention it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CentreRef {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "228")]
    pub code: String,
    #[schema(example = "ГКУ «Центр занятости населения города Москвы»")]
    pub name: String,
}

/// An appeal as its viewer sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "number": "22800019/26СЗН",
    "type": {"code": "vocational_training", "title": "Профессиональное обучение и дополнительное профобразование"},
    "channel": {"code": "portal", "title": "Интерактивный портал"},
    "status": {"code": "registered", "title": "Зарегистрировано"},
    "subject": "Профессиональное обучение и дополнительное профобразование",
    "body": "Прошу направить на курсы операторов ЭВМ",
    "centre": {"id": "01935f3e-0000-7000-8000-000000000001", "code": "228", "name": "ГКУ ЦЗН «Центральный»"},
    "applicant": {"id": "01935f3e-0000-7000-8000-000000000002", "name": "Иванов Иван Иванович"},
    "organization_id": null,
    "deadline": "2026-12-04",
    "created_at": "2026-11-24T09:30:00Z",
    "updated_at": "2026-11-24T09:30:00Z",
    "unread": false,
    "removed_by_staff": false
}))]
pub struct AppealView {
    #[schema(format = Uuid)]
    pub id: String,
    /// The human number: centre code, sequence, two-digit year, «СЗН».
    pub number: String,
    #[serde(rename = "type")]
    pub appeal_type: Labelled<AppealTypeCode>,
    /// How the appeal came in.
    pub channel: Labelled<AppealChannelCode>,
    /// Labelled for the viewer's cabinet (employers read «Принято ведомством»).
    pub status: Labelled<AppealStatusCode>,
    pub subject: String,
    pub body: String,
    pub centre: CentreRef,
    pub applicant: ApplicantRef,
    /// The applicant's organisation, for employers' appeals.
    #[schema(required, format = Uuid)]
    pub organization_id: Option<String>,
    /// The date by which the centre answers.
    pub deadline: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// When the appeal last had news.
    pub updated_at: DateTime<Utc>,
    /// News the viewer has not opened yet; opening the appeal clears it for them only.
    pub unread: bool,
    /// Staff removed it from their work lists; it stays here as proof of the request.
    pub removed_by_staff: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

pub fn audience(role: Role) -> Audience {
    match role {
        Role::Employer => Audience::Employer,
        Role::Citizen | Role::Staff => Audience::Citizen,
    }
}

fn status_label(status: AppealStatus, role: Role) -> Labelled<AppealStatusCode> {
    Labelled::titled(status, status.title_for(audience(role)))
}

impl AppealView {
    pub fn new(a: Appeal, viewer: Role) -> AppealView {
        AppealView {
            appeal_type: Labelled::of(a.appeal_type),
            channel: Labelled::of(a.channel),
            status: status_label(a.status, viewer),
            centre: CentreRef {
                id: a.centre_id,
                code: a.centre_code,
                name: a.centre_name,
            },
            applicant: ApplicantRef {
                id: a.applicant_id,
                name: a.applicant_name,
            },
            id: a.id,
            number: a.number,
            subject: a.subject,
            body: a.body,
            organization_id: a.organization_id,
            deadline: a.deadline,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
            unread: a.unread,
            removed_by_staff: a.staff_deleted_at.is_some(),
        }
    }
}

/// One immutable step of an appeal's life.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3f-1111-7000-8000-000000000009",
    "from": {"code": "in_progress", "title": "В работе"},
    "to": {"code": "clarification_required", "title": "Требуется уточнение"},
    "comment": "Приложите копию диплома",
    "actor_role": "staff",
    "at": "2026-11-25T10:00:00Z"
}))]
pub struct HistoryView {
    #[schema(format = Uuid)]
    pub id: String,
    /// Absent for the first entry, when the appeal was registered.
    #[schema(required)]
    pub from: Option<Labelled<AppealStatusCode>>,
    pub to: Labelled<AppealStatusCode>,
    #[schema(required)]
    pub comment: Option<String>,
    /// Who made the move: `citizen`, `employer`, `staff`, or null for the portal itself.
    #[schema(required, value_type = Option<crate::codes::RoleCode>)]
    pub actor_role: Option<String>,
    pub at: DateTime<Utc>,
}

impl HistoryView {
    pub fn new(e: HistoryEntry, viewer: Role) -> HistoryView {
        HistoryView {
            id: e.id,
            from: e.from.map(|s| status_label(s, viewer)),
            to: status_label(e.to, viewer),
            comment: e.comment,
            actor_role: e.actor_role.map(|r| r.code().to_owned()),
            at: utc(e.at),
        }
    }
}

/// A personal case (личное дело).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f40-2222-7000-8000-000000000003",
    "citizen_id": "01935f3e-0000-7000-8000-000000000002",
    "centre_id": "01935f3e-0000-7000-8000-000000000001",
    "open": true,
    "status": {"code": "unemployed", "title": "Безработный"},
    "goals": [{"code": "job_search", "title": "Поиск подходящей работы"}],
    "personal_account": "40817810099910004312",
    "opened_at": "2026-11-20T08:00:00Z",
    "closed_at": null,
    "updated_at": "2026-11-20T08:00:00Z"
}))]
pub struct CaseView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub citizen_id: String,
    #[schema(format = Uuid)]
    pub centre_id: String,
    pub open: bool,
    pub status: Labelled<CaseStatusCode>,
    pub goals: Vec<Labelled<GoalCode>>,
    #[schema(required)]
    pub personal_account: Option<String>,
    pub opened_at: DateTime<Utc>,
    #[schema(required)]
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<Case> for CaseView {
    fn from(c: Case) -> CaseView {
        CaseView {
            open: c.closed_at.is_none(),
            status: Labelled::of(c.status),
            goals: c.goals.into_iter().map(Labelled::of).collect(),
            id: c.id,
            citizen_id: c.citizen_id,
            centre_id: c.centre_id,
            personal_account: c.personal_account,
            opened_at: utc(c.opened_at),
            closed_at: c.closed_at.map(utc),
            updated_at: utc(c.updated_at),
        }
    }
}
