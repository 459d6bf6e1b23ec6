//! Type-ahead for the vacancy search (issue 19): professions, titles and words by
//! prefix, and what a typo probably meant.

use actix_web::{get, web};
use persistence::suggestions::{self, Suggestion, SuggestionKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::extract::ValidQuery;
use crate::problem::ApiError;
use crate::state::AppState;

/// What has been typed so far.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The beginning of a profession, a title or a word, e.g. `пов`.
    #[validate(length(min = 1, max = 100))]
    #[param(example = "пов")]
    pub text: String,
    /// How many suggestions, 1–20 (10 by default).
    #[validate(range(min = 1, max = 20))]
    #[param(minimum = 1, maximum = 20, default = 10)]
    pub limit: Option<u32>,
}

/// A suggestion for the search box.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"text": "Повар", "kind": "profession", "profession_code": "16675", "uses": 120}))]
pub struct SuggestionView {
    pub text: String,
    /// `profession` (the ОКПДТР dictionary), `title` (a vacancy title) or `word` (a
    /// word of vacancy titles).
    #[schema(value_type = crate::codes::SuggestionKindCode)]
    pub kind: String,
    /// The ОКПДТР code of a profession, to search with `profession_code`.
    #[schema(required)]
    pub profession_code: Option<String>,
    /// How many vacancies used it.
    pub uses: u64,
}

impl From<Suggestion> for SuggestionView {
    fn from(s: Suggestion) -> SuggestionView {
        SuggestionView {
            kind: match s.kind {
                SuggestionKind::Profession => "profession",
                SuggestionKind::Title => "title",
                SuggestionKind::Word => "word",
            }
            .into(),
            text: s.text,
            profession_code: s.profession_code,
            uses: s.uses,
        }
    }
}

/// Suggestions for the search box.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"items": [
    {"text": "Повар", "kind": "profession", "profession_code": "16675", "uses": 120},
    {"text": "Повар-кондитер", "kind": "title", "profession_code": null, "uses": 14}
]}))]
pub struct SuggestionsView {
    pub items: Vec<SuggestionView>,
}

/// Suggest search words
///
/// Type-ahead for the vacancy search: professions of the ОКПДТР dictionary whose name
/// (or a word of it) starts with `text`, then vacancy titles and their words that do,
/// most used first. A prefix lookup: cheap enough for every keystroke. When nothing
/// starts with `text`, it is taken for a typo: titles and words with a word that looks
/// like it («повр» → «повар», «бугалтер» → «бухгалтер»), the most alike first: by
/// word similarity on PostgreSQL (`pg_trgm`); else, and on SQLite, a single typed
/// word a letter or two off the start of a title word that shares its first letter and
/// some of its trigrams. Public.
#[utoipa::path(
    tag = "vacancies",
    operation_id = "suggest_vacancy_search",
    params(SuggestQuery),
    responses(
        (status = 200, description = "Suggestions", body = SuggestionsView),
    ),
    security(()),
)]
#[get("/vacancies/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    query: ValidQuery<SuggestQuery>,
) -> Result<web::Json<SuggestionsView>, ApiError> {
    let q = query.0;
    let limit = usize::try_from(q.limit.unwrap_or(10)).unwrap_or(10);
    let found = state
        .read(move |conn| suggestions::suggest(conn, &q.text, limit))
        .await?;
    Ok(web::Json(SuggestionsView {
        items: found.into_iter().map(SuggestionView::from).collect(),
    }))
}
