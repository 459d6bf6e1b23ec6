//! PostgreSQL: which of a search's terms the planner's statistics hold.
//!
//! `ANALYZE` keeps the most common lexemes of a `tsvector` column with their
//! frequencies; for any other the planner guesses (about half a percent of the rows).
//! The search asks before trusting a plan or an estimate that rests on such a guess
//! (`crate::vacancy_totals`, `crate::vacancy_search`).

use diesel::prelude::*;
use diesel::sql_types::{Array, Text};

/// Which column's statistics are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// `search_vector`: title, description and tags.
    Everything,
    /// `title_vector`: the title and profession name.
    Title,
}

/// Whether every term (a list of forms, any of which will do) is among the most
/// common lexemes of `column`.
pub(crate) fn all_known(
    c: &mut diesel::PgConnection,
    column: Column,
    terms: &[Vec<String>],
) -> QueryResult<bool> {
    let asked: Vec<String> = terms.iter().flatten().cloned().collect();
    // Functions of the migrations 2026-12-25-000001 and 2026-12-26-000001: the catalog
    // view's plan is kept per connection.
    let statement = match column {
        Column::Everything => "SELECT vacancy_lexemes_in_statistics($1) AS lexemes",
        Column::Title => "SELECT vacancy_title_lexemes_in_statistics($1) AS lexemes",
    };
    let known = diesel::sql_query(statement)
        .bind::<Array<Text>, _>(&asked)
        .get_result::<Lexemes>(c)?
        .lexemes;
    Ok(terms
        .iter()
        .all(|term| term.iter().any(|f| known.contains(f))))
}

/// The forms of each stem, as [`all_known`] takes them.
pub(crate) fn forms_of(stems: &[String]) -> Vec<Vec<String>> {
    stems
        .iter()
        .map(|s| domain::vacancy_search::forms(s))
        .collect()
}

/// Lexemes read by [`diesel::sql_query`].
#[derive(QueryableByName)]
struct Lexemes {
    #[diesel(sql_type = Array<Text>)]
    lexemes: Vec<String>,
}
