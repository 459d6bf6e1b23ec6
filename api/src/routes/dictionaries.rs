//! Reference data as dictionaries (SPEC §5): clients build forms and filters from
//! these lists, never from hard-coded ones. Every enumeration the API accepts is here.

use actix_web::{get, web};
use domain::reference::{PROFESSIONS, PROFESSION_CATEGORIES, REGIONS};
use domain::Coded;
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiError;

/// One value of a dictionary.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"code": "16675", "title": "Повар", "category": "services"}))]
pub struct DictionaryItem {
    pub code: String,
    pub title: String,
    /// For professions: the code of their category (dictionary `profession_categories`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub category: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "employment_types", "title": "Типы занятости", "size": 6}))]
pub struct DictionarySummary {
    pub name: String,
    pub title: String,
    /// How many values it has.
    pub size: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "schedules", "title": "Графики работы", "items": [
    {"code": "full_day", "title": "Полный рабочий день"}, {"code": "shift", "title": "Сменный график"}]}))]
pub struct Dictionary {
    pub name: String,
    pub title: String,
    pub items: Vec<DictionaryItem>,
}

fn coded<T: Coded>() -> Vec<DictionaryItem> {
    T::ALL
        .iter()
        .map(|v| DictionaryItem {
            code: v.code().into(),
            title: v.title().into(),
            category: None,
        })
        .collect()
}

fn entries(values: &[domain::reference::Entry]) -> Vec<DictionaryItem> {
    values
        .iter()
        .map(|e| DictionaryItem {
            code: e.code.into(),
            title: e.title.into(),
            category: None,
        })
        .collect()
}

/// Every dictionary: its name, Russian title and values.
fn catalogue() -> Vec<(&'static str, &'static str, Vec<DictionaryItem>)> {
    use domain::*;
    vec![
        ("regions", "Субъекты Российской Федерации", entries(REGIONS)),
        (
            "profession_categories",
            "Категории профессий",
            entries(PROFESSION_CATEGORIES),
        ),
        (
            "professions",
            "Профессии (ОКПДТР)",
            PROFESSIONS
                .iter()
                .map(|p| DictionaryItem {
                    code: p.code.into(),
                    title: p.title.into(),
                    category: Some(p.category.into()),
                })
                .collect(),
        ),
        (
            "employment_types",
            "Типы занятости",
            coded::<vacancy::EmploymentType>(),
        ),
        ("schedules", "Графики работы", coded::<vacancy::Schedule>()),
        ("experience", "Опыт работы", coded::<vacancy::Experience>()),
        (
            "education_levels",
            "Уровни образования",
            coded::<vacancy::EducationLevel>(),
        ),
        (
            "benefits",
            "Социальные гарантии",
            coded::<vacancy::Benefit>(),
        ),
        (
            "publication_periods",
            "Период публикации",
            coded::<vacancy::PublishedWithin>(),
        ),
        (
            "vacancy_sorts",
            "Сортировка вакансий",
            coded::<vacancy::VacancySort>(),
        ),
        (
            "salary_bands",
            "Диапазоны зарплат",
            coded::<vacancy_search::SalaryBand>(),
        ),
        (
            "appeal_types",
            "Типы обращений",
            coded::<appeal_type::AppealType>(),
        ),
        (
            "appeal_statuses",
            "Статусы обращений",
            coded::<appeal::AppealStatus>(),
        ),
        (
            "report_kinds",
            "Виды сведений работодателя",
            coded::<report::ReportKind>(),
        ),
        ("services", "Услуги", coded::<eligibility::Service>()),
        (
            "case_statuses",
            "Статусы личного дела",
            coded::<personal_case::CaseStatus>(),
        ),
        (
            "case_goals",
            "Цели обращения",
            coded::<personal_case::Goal>(),
        ),
        (
            "notification_categories",
            "Категории уведомлений",
            coded::<notification::Category>(),
        ),
        (
            "notification_channels",
            "Каналы уведомлений",
            coded::<notification::Channel>(),
        ),
        (
            "draft_kinds",
            "Виды черновиков",
            coded::<draft::DraftKind>(),
        ),
        ("roles", "Роли", coded::<role::Role>()),
        (
            "document_kinds",
            "Виды документов",
            coded::<domain::document::DocumentKind>(),
        ),
        (
            "document_statuses",
            "Статусы проверки документов",
            coded::<domain::document::DocumentStatus>(),
        ),
        (
            "file_types",
            "Принимаемые типы файлов",
            coded::<domain::file::FileType>(),
        ),
    ]
}

/// The dictionaries
///
/// The names of every dictionary with its title and size. Public: forms are built
/// before signing in.
#[utoipa::path(
    tag = "dictionaries",
    operation_id = "list_dictionaries",
    responses((status = 200, description = "Every dictionary", body = Vec<DictionarySummary>)),
    security(()),
    // Held in memory: never waits for the database.
    extensions(("x-not-answered" = json!([503]))),
)]
#[get("/dictionaries")]
pub async fn list() -> web::Json<Vec<DictionarySummary>> {
    web::Json(
        catalogue()
            .into_iter()
            .map(|(name, title, items)| DictionarySummary {
                name: name.into(),
                title: title.into(),
                size: items.len(),
            })
            .collect(),
    )
}

/// One dictionary
///
/// All values of a dictionary (`regions`, `professions`, `employment_types`,
/// `schedules`, `education_levels`, `appeal_types`, `report_kinds`, …), in display order.
#[utoipa::path(
    tag = "dictionaries",
    operation_id = "get_dictionary",
    params(("name" = String, Path, description = "The dictionary's name", example = "schedules")),
    responses(
        (status = 200, description = "The dictionary", body = Dictionary),
    ),
    security(()),
    // Held in memory: never waits for the database.
    extensions(("x-not-answered" = json!([503]))),
)]
#[get("/dictionaries/{name}")]
pub async fn get_one(name: web::Path<String>) -> Result<web::Json<Dictionary>, ApiError> {
    let (name, title, items) = catalogue()
        .into_iter()
        .find(|(n, _, _)| *n == name.as_str())
        .ok_or(ApiError::NotFound)?;
    Ok(web::Json(Dictionary {
        name: name.into(),
        title: title.into(),
        items,
    }))
}
