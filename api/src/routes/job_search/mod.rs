//! The job-search application of seed 004 (SPEC §6): the citizen's side (`citizen`),
//! the centre's (`staff`), and the JSON shapes and refusals both share.

pub mod citizen;
pub mod staff;

use chrono::{DateTime, NaiveDate, Utc};
use domain::job_search::ApplicationStatus;
use domain::Coded;
use persistence::job_search::{Application, HistoryEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::routes::calendar::AppointmentView;
use crate::views::{utc, CentreRef, Labelled};

/// The wishes of an application (defaults from the resume).
#[derive(Debug, Serialize, ToSchema)]
pub struct WishesView {
    /// ОКПДТР code.
    #[schema(required)]
    pub profession_code: Option<String>,
    pub category: String,
    pub region_code: String,
    #[schema(required)]
    pub salary_from: Option<i64>,
    pub employment_types: Vec<Labelled<crate::codes::EmploymentTypeCode>>,
    pub schedules: Vec<Labelled<crate::codes::ScheduleCode>>,
}

/// Seed 004: «Ваш персональный консультант».
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultantView {
    pub name: String,
    #[schema(required)]
    pub phone: Option<String>,
    #[schema(required)]
    pub email: Option<String>,
}

/// A vacancy an application names.
#[derive(Debug, Serialize, ToSchema)]
pub struct VacancyRefView {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    pub employer_name: String,
}

/// A vacancy offered for an application, with why it fits.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "vacancy": {"id": "01935f3e-4444-7000-8000-000000000005", "title": "Повар", "employer_name": "ООО «Ромашка»"},
    "source": {"code": "matched", "title": "Подобрана порталом"},
    "score": 90,
    "matched": [{"code": "region", "title": "Регион"}, {"code": "profession", "title": "Профессия"}],
    "relaxed": [{"code": "schedule", "title": "График работы"}],
    "priority": 1,
    "agreed": false
}))]
pub struct OfferView {
    pub vacancy: VacancyRefView,
    /// `matched` (the portal) or `staff`.
    pub source: Labelled<crate::codes::OfferSourceCode>,
    /// 0–100: region 20, profession 40 (or its category 20), salary 15, employment
    /// type 10, schedule 10, experience 5.
    pub score: u32,
    /// Criteria the vacancy meets.
    pub matched: Vec<Labelled<crate::codes::CriterionCode>>,
    /// Criteria relaxed to offer it.
    pub relaxed: Vec<Labelled<crate::codes::CriterionCode>>,
    /// The citizen's order, from 1, once sent.
    #[schema(required)]
    pub priority: Option<i32>,
    /// Agreed with the employer: in the «Список вакансий» of negotiations.
    pub agreed: bool,
}

impl From<persistence::offers::Offer> for OfferView {
    fn from(o: persistence::offers::Offer) -> Self {
        OfferView {
            vacancy: VacancyRefView {
                id: o.vacancy_id,
                title: o.title,
                employer_name: o.employer_name,
            },
            source: Labelled::of(o.source),
            score: o.score,
            matched: o.matched.into_iter().map(Labelled::of).collect(),
            relaxed: o.relaxed.into_iter().map(Labelled::of).collect(),
            priority: o.priority,
            agreed: o.agreed,
        }
    }
}

/// A line of an application's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationHistoryView {
    /// Absent for the filing.
    #[schema(required)]
    pub from: Option<Labelled<crate::codes::ApplicationStatusCode>>,
    pub to: Labelled<crate::codes::ApplicationStatusCode>,
    /// The reason of a refusal or withdrawal.
    #[schema(required)]
    pub comment: Option<String>,
    /// `citizen`, `staff`, or null for the portal itself.
    #[schema(required, value_type = Option<crate::codes::RoleCode>)]
    pub actor_role: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<HistoryEntry> for ApplicationHistoryView {
    fn from(e: HistoryEntry) -> Self {
        ApplicationHistoryView {
            from: e.from.map(Labelled::of),
            to: Labelled::of(e.to),
            comment: e.comment,
            actor_role: e.actor_role.map(|r| r.code().to_owned()),
            at: utc(e.at),
        }
    }
}

/// A job-search application («Заявление-анкета на поиск подходящей работы»).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01935f3e-8a7c-7b1e-9f0a-3c5d2e1f4a6b",
    "status": {"code": "accepted", "title": "Принято к рассмотрению"},
    "citizen": {"id": "01935f3e-0000-7000-8000-000000000002", "name": "Иванов Иван Иванович"},
    "centre": {"id": "01935f3e-0000-7000-8000-000000000001", "code": "228", "name": "ГКУ ЦЗН «Центральный»"},
    "resume_id": "01935f3e-3333-7000-8000-000000000004",
    "claims_unemployed": true,
    "wishes": {
        "profession_code": "16675", "category": "services", "region_code": "77", "salary_from": 60000,
        "employment_types": [{"code": "full_time", "title": "Полная занятость"}],
        "schedules": [{"code": "shift", "title": "Сменный график"}]
    },
    "attention": null,
    "consultant": {"name": "Петрова Анна Сергеевна", "phone": "+7 495 000-00-00", "email": "petrova@czn.example"},
    "accepted_at": "2026-12-01T09:00:00Z",
    "visit_deadline": "2026-12-12",
    "visit": null,
    "found_vacancies": [{"id": "01935f3e-4444-7000-8000-000000000005", "title": "Повар", "employer_name": "ООО «Ромашка»"}],
    "offers": [],
    "responses": [],
    "finish": null,
    "history": [],
    "created_at": "2026-11-30T09:00:00Z",
    "updated_at": "2026-12-01T09:00:00Z"
}))]
pub struct ApplicationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub status: Labelled<crate::codes::ApplicationStatusCode>,
    pub citizen: CitizenRef,
    pub centre: CentreRef,
    #[schema(format = Uuid)]
    pub resume_id: String,
    /// «Претендую на признание безработным».
    pub claims_unemployed: bool,
    pub wishes: WishesView,
    /// Why the application waits for staff besides its status (`no_slot_by_deadline`).
    #[schema(required)]
    pub attention: Option<Labelled<crate::codes::AttentionCode>>,
    /// The staff member who accepted the application.
    #[schema(required)]
    pub consultant: Option<ConsultantView>,
    #[schema(required)]
    pub accepted_at: Option<DateTime<Utc>>,
    /// The last day of the personal visit (11 days after acceptance when claiming
    /// unemployed status, 5 otherwise).
    #[schema(required)]
    pub visit_deadline: Option<NaiveDate>,
    /// The booked personal visit.
    #[schema(required)]
    pub visit: Option<AppointmentView>,
    /// «Самостоятельно найденные вакансии».
    pub found_vacancies: Vec<VacancyRefView>,
    /// The vacancies offered («Подобраны вакансии»), in the citizen's order
    /// once sent, else best first.
    pub offers: Vec<OfferView>,
    /// The citizen's responses to agreed vacancies with their interviews and results
    /// («Отклик на вакансию. Собеседование»).
    pub responses: Vec<crate::routes::interviews::ResponseView>,
    /// How the citizen finished the negotiations: `refuse_all` or
    /// `finish_negotiations`.
    #[schema(required)]
    pub finish: Option<Labelled<crate::codes::FinishCode>>,
    /// Every status change, oldest first (in a single application's answer only).
    pub history: Vec<ApplicationHistoryView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The citizen an application is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

impl ApplicationView {
    pub fn new(a: Application, history: Vec<HistoryEntry>) -> ApplicationView {
        ApplicationView {
            id: a.id,
            status: Labelled::of(a.status),
            citizen: CitizenRef {
                id: a.citizen_id,
                name: a.citizen_name,
            },
            centre: CentreRef {
                id: a.centre.id,
                code: a.centre.code,
                name: a.centre.name,
            },
            resume_id: a.resume_id,
            claims_unemployed: a.claims_unemployed,
            wishes: WishesView {
                profession_code: a.wishes.profession_code,
                category: a.wishes.category,
                region_code: a.wishes.region_code,
                salary_from: a.wishes.salary_from,
                employment_types: a
                    .wishes
                    .employment_types
                    .into_iter()
                    .map(Labelled::of)
                    .collect(),
                schedules: a.wishes.schedules.into_iter().map(Labelled::of).collect(),
            },
            attention: a.attention.map(Labelled::of),
            consultant: a.consultant.map(|c| ConsultantView {
                name: c.name,
                phone: c.phone,
                email: c.email,
            }),
            accepted_at: a.accepted_at.map(utc),
            visit_deadline: a.visit_deadline,
            visit: a.visit.map(AppointmentView::from),
            found_vacancies: a
                .found_vacancies
                .into_iter()
                .map(|v| VacancyRefView {
                    id: v.id,
                    title: v.title,
                    employer_name: v.employer_name,
                })
                .collect(),
            offers: a.offers.into_iter().map(Into::into).collect(),
            responses: a.responses.into_iter().map(Into::into).collect(),
            finish: a.finish.map(Labelled::of),
            history: history.into_iter().map(Into::into).collect(),
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }
    }
}

/// A status change of an application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to": "withdrawn", "comment": "Нашёл работу самостоятельно"}))]
pub struct ApplicationTransitionBody {
    #[schema(value_type = crate::docs::ApplicationStatusCode)]
    pub to: ApplicationStatus,
    /// Required for `refused` and `withdrawn`.
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
    /// For `negotiations` (staff): the offered vacancies agreed with employers, at
    /// least one.
    #[serde(default)]
    #[validate(length(max = 100))]
    pub agreed_vacancy_ids: Vec<String>,
}
