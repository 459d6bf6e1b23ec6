//! What the full-text indexes are asked for a search's words and tags (issue 19): the
//! FTS5 query of SQLite's `vacancy_fts`, the `tsquery` text of PostgreSQL's
//! `search_vector` and `title_vector`, and the SQL conditions that ask them. Every
//! stem is quoted, so no query text can change either syntax (`crate::vacancy_search`
//! tells how the search reads them).

use domain::vacancy::VacancyFilter;
use domain::{vacancy_search, vacancy_tags};

use crate::schema::vacancies;

/// Which matches a query of the relevance sort reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Every match (any sort but relevance; relevance by `OFFSET`).
    All,
    /// Those whose title holds every word.
    Title,
    /// The others.
    BodyOnly,
}

/// The FTS5 query: every stem in any of its forms, quoted, in the title or the
/// description (never among the tags), or only in the title.
pub(crate) fn fts5_query(stems: &[String], title_only: bool) -> String {
    let all = stems
        .iter()
        .map(|s| term(s, |f| format!("\"{}\"", f.replace('"', "\"\"")), " OR "))
        .collect::<Vec<_>>()
        .join(" AND ");
    if title_only {
        format!("search_text : ({all})")
    } else {
        format!("{{search_text search_body}} : ({all})")
    }
}

/// The FTS5 query of a search's tags (`domain::vacancy_tags`), in their column.
fn fts5_tags(tags: &[String]) -> Option<String> {
    let all = tags
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ");
    (!tags.is_empty()).then(|| format!("search_tags : ({all})"))
}

/// What SQLite's full-text index is asked for a part of a search: its words (as the
/// part reads them) and its tags; none when the search has neither.
fn fts5_index(stems: &[String], tags: &[String], part: Part) -> Option<String> {
    let words = (!stems.is_empty()).then(|| fts5_part(stems, part));
    match (words, fts5_tags(tags)) {
        (Some(words), Some(tags)) => Some(format!("({words}) AND {tags}")),
        (words, tags) => words.or(tags),
    }
}

/// The `tsquery` text: every stem in any of its forms, quoted, among the title's and
/// the description's words (weights A and B: never a tag, weight D), or with
/// `title_only` among the title's only (weight A).
pub(crate) fn tsquery(stems: &[String], title_only: bool) -> String {
    let weight = if title_only { ":A" } else { ":AB" };
    stems
        .iter()
        .map(|s| term(s, |f| format!("'{}'{weight}", f.replace('\'', "''")), " | "))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// What a database's full-text index is asked for a search's words (at least one)
/// and tags: the FTS5 query on SQLite, the `tsquery` text on PostgreSQL, whose
/// `search_vector` holds the tags as weight-D lexemes (any weight asked: a word of a
/// text that looks like a tag is ruled out by the row's own filter).
pub(crate) fn words_and_tags(stems: &[String], tags: &[String], sqlite: bool) -> String {
    if sqlite {
        return fts5_index(stems, tags, Part::All).unwrap_or_default();
    }
    let words = tsquery(stems, false);
    let tags = tags
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "''")))
        .collect::<Vec<_>>();
    match tags.as_slice() {
        [] => words,
        _ => format!("{words} & {}", tags.join(" & ")),
    }
}

/// A stem as one term of a query: each of its forms quoted by `quote`, two of them
/// bracketed and joined by `or`.
fn term(stem: &str, quote: impl Fn(&str) -> String, or: &str) -> String {
    let forms: Vec<String> = vacancy_search::forms(stem)
        .iter()
        .map(|f| quote(f))
        .collect();
    match forms.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", forms.join(or)),
    }
}

/// What SQLite's full-text index is asked for a part of a search read along it: its
/// words and tags. A search without words is not: a list of tags is long (a region's
/// vacancies, a sixth of the bank for an employment type), and intersecting them cost
/// more than walking the tables' indexes.
pub(crate) fn along_index_query(filter: &VacancyFilter, part: Part) -> Option<String> {
    let stems = filter.stems();
    if stems.is_empty() {
        return None;
    }
    fts5_index(&stems, &vacancy_tags::of_filter(filter).tags, part)
}

/// The region of a search whose words can be asked of an index of words by region
/// (SQLite's `vacancy_regional_fts`, PostgreSQL's `vacancies_regional_words`): a code of
/// digits only, which both join to each word as it is (`r77zповар`; the `z` keeps the
/// code apart from a word that starts with a digit).
fn regional_code(filter: &VacancyFilter) -> Option<&str> {
    filter
        .region
        .as_deref()
        .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
}

/// Every stem in any of its forms, joined to the region as the indexes of words by
/// region hold them, each quoted by `quote`, forms joined by `or`, stems by `and`.
fn regional_terms(
    stems: &[String],
    region: &str,
    quote: impl Fn(&str) -> String,
    (or, and): (&str, &str),
) -> String {
    let joined = |f: &str| quote(&format!("r{region}z{f}"));
    stems
        .iter()
        .map(|s| term(s, joined, or))
        .collect::<Vec<_>>()
        .join(and)
}

/// SQLite: the query of `vacancy_regional_fts` (migrations 2026-12-30-000001 and
/// 2027-01-01-000001) that finds the same vacancies as [`along_index_query`]'s for the
/// part, when the search's only tag is its region. None for a search without words or
/// with other tags.
pub(crate) fn regional_query(filter: &VacancyFilter, part: Part) -> Option<String> {
    let stems = filter.stems();
    let region = regional_code(filter)?;
    let only_the_region = vacancy_tags::of_filter(filter).tags == [format!("reg{region}")];
    if stems.is_empty() || !only_the_region {
        return None;
    }
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let all = regional_terms(&stems, region, quote, (" OR ", " AND "));
    let title = || format!("search_regional_title : ({all})");
    Some(match part {
        Part::All => all.clone(),
        Part::Title => title(),
        Part::BodyOnly => format!("({all}) NOT {}", title()),
    })
}

/// PostgreSQL: the `tsquery` text of the index of words by region (migration
/// 2026-12-31-000001) for a search with words and a region: the vacancies of that
/// region whose title or description holds every stem. Its other filters are left to
/// the rows found. None for a search without words or region.
pub(crate) fn regional_tsquery(filter: &VacancyFilter) -> Option<String> {
    let stems = filter.stems();
    let region = regional_code(filter)?;
    if stems.is_empty() {
        return None;
    }
    let quote = |t: &str| format!("'{}'", t.replace('\'', "''"));
    Some(regional_terms(&stems, region, quote, (" | ", " & ")))
}

/// The FTS5 query of a part of the relevance sort: every stem anywhere, only in the
/// title, or anywhere but not all in the title.
fn fts5_part(stems: &[String], part: Part) -> String {
    match part {
        Part::All => fts5_query(stems, false),
        Part::Title => fts5_query(stems, true),
        Part::BodyOnly => format!(
            "({}) NOT {}",
            fts5_query(stems, false),
            fts5_query(stems, true)
        ),
    }
}

diesel::table! {
    /// SQLite's FTS5 index of the published vacancies' stems, its rowids their
    /// publication numbers (migration 2026-12-21-000001).
    vacancy_fts (rowid) {
        rowid -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(vacancy_fts, vacancies);

/// The vacancy holds every stem, anywhere, and every tag (a `sql` literal with its
/// bound query; a macro so that each backend's boxed query takes it).
macro_rules! matches_text {
    ($stems:expr, $tags:expr, $sqlite:expr) => {{
        let query = $crate::vacancy_full_text::words_and_tags($stems, $tags, $sqlite);
        if $sqlite {
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "vacancies.search_seq IN (SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ",
            )
            .bind::<diesel::sql_types::Text, _>(query)
            .sql(")")
        } else {
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "vacancies.search_vector @@ to_tsquery('simple'::regconfig, ",
            )
            .bind::<diesel::sql_types::Text, _>(query)
            .sql(")")
        }
    }};
}

/// PostgreSQL: the vacancy is published in the region and its title or description
/// holds every stem, asked of the index of words by region with its own expression
/// (`$query` from [`regional_tsquery`]; cast, not parsed again, so each term is one
/// lexeme).
macro_rules! matches_regional {
    ($query:expr) => {
        diesel::dsl::sql::<diesel::sql_types::Bool>(
            "vacancy_regional_lexemes(vacancies.status, vacancies.region_code, \
             vacancies.search_text, vacancies.search_body) @@ CAST(",
        )
        .bind::<diesel::sql_types::Text, _>($query)
        .sql(" AS tsquery)")
    };
}

/// The vacancy's title (and profession name) holds every stem.
macro_rules! matches_title {
    ($stems:expr, $sqlite:expr) => {
        if $sqlite {
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "vacancies.search_seq IN (SELECT rowid FROM vacancy_fts WHERE vacancy_fts MATCH ",
            )
            .bind::<diesel::sql_types::Text, _>($crate::vacancy_full_text::fts5_query($stems, true))
            .sql(")")
        } else {
            // The title's own column and index (migration 2026-12-26-000001), whose
            // statistics know how often a word is in a title.
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "vacancies.title_vector @@ to_tsquery('simple'::regconfig, ",
            )
            .bind::<diesel::sql_types::Text, _>($crate::vacancy_full_text::tsquery($stems, true))
            .sql(")")
        }
    };
}

pub(crate) use {matches_regional, matches_text, matches_title};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_is_quoted_term_by_term() {
        let stems = vec!["повар".to_owned(), "a\"b".to_owned()];
        assert_eq!(
            fts5_query(&stems, false),
            "{search_text search_body} : (\"повар\" AND \"a\"\"b\")"
        );
        assert_eq!(
            fts5_query(&stems, true),
            "search_text : (\"повар\" AND \"a\"\"b\")"
        );
        let stems = vec!["повар".to_owned(), "o'k".to_owned()];
        assert_eq!(tsquery(&stems, false), "'повар':AB & 'o''k':AB");
        let tags = vec!["reg77".to_owned()];
        assert_eq!(
            words_and_tags(&stems, &tags, false),
            "'повар':AB & 'o''k':AB & 'reg77'"
        );
        assert_eq!(tsquery(&stems, true), "'повар':A & 'o''k':A");
    }

    #[test]
    fn words_and_tags_are_asked_of_their_own_columns() {
        let stems = vec!["повар".to_owned()];
        let tags = vec!["reg77".to_owned(), "sal40000".to_owned()];
        assert_eq!(
            fts5_index(&stems, &tags, Part::Title).as_deref(),
            Some("(search_text : (\"повар\")) AND search_tags : (\"reg77\" AND \"sal40000\")")
        );
        assert_eq!(
            fts5_index(&[], &tags, Part::All).as_deref(),
            Some("search_tags : (\"reg77\" AND \"sal40000\")")
        );
        assert_eq!(
            fts5_index(&stems, &[], Part::All).as_deref(),
            Some("{search_text search_body} : (\"повар\")")
        );
        assert_eq!(fts5_index(&[], &[], Part::All), None);
    }

    #[test]
    fn a_stem_with_two_forms_is_either() {
        let stems = vec!["продавц".to_owned(), "повар".to_owned()];
        assert_eq!(
            fts5_query(&stems, true),
            "search_text : ((\"продавц\" OR \"продавец\") AND \"повар\")"
        );
        assert_eq!(
            tsquery(&stems, true),
            "('продавц':A | 'продавец':A) & 'повар':A"
        );
    }

    #[test]
    fn words_by_region_are_one_term_each_and_need_a_code_of_digits() {
        let filter = VacancyFilter {
            text: Some("продавцы повара".into()),
            region: Some("77".into()),
            ..VacancyFilter::default()
        };
        assert_eq!(
            regional_tsquery(&filter).as_deref(),
            Some("('r77zпродавц' | 'r77zпродавец') & 'r77zповар'")
        );
        let all = "(\"r77zпродавц\" OR \"r77zпродавец\") AND \"r77zповар\"";
        assert_eq!(regional_query(&filter, Part::All).as_deref(), Some(all));
        let title = format!("search_regional_title : ({all})");
        assert_eq!(regional_query(&filter, Part::Title), Some(title.clone()));
        assert_eq!(
            regional_query(&filter, Part::BodyOnly),
            Some(format!("({all}) NOT {title}"))
        );
        // PostgreSQL checks other filters on the rows; SQLite's index holds no tags.
        let typed = VacancyFilter {
            employment_type: Some(domain::vacancy::EmploymentType::FullTime),
            ..filter.clone()
        };
        assert!(regional_tsquery(&typed).is_some());
        assert_eq!(regional_query(&typed, Part::All), None);
        for region in [None, Some(""), Some("7a"), Some("77'")] {
            let other = VacancyFilter {
                region: region.map(Into::into),
                ..filter.clone()
            };
            assert_eq!(regional_tsquery(&other), None, "{region:?}");
            assert_eq!(regional_query(&other, Part::All), None, "{region:?}");
        }
        let no_words = VacancyFilter {
            text: None,
            ..filter
        };
        assert_eq!(regional_tsquery(&no_words), None);
    }
}
