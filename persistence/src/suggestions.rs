//! Type-ahead for the vacancy search (issue 19): vacancy titles and their words, with
//! how many vacancies used each, looked up by prefix along the primary key; and the
//! professions of the ОКПДТР dictionary. On PostgreSQL with `pg_trgm`, a text nothing
//! starts with is taken for a typo and matched by trigrams instead.

use std::collections::BTreeMap;

use diesel::prelude::*;
use domain::reference;
use domain::vacancy_search;

use crate::schema::search_suggestions;
use crate::{DbConnection, StoreError};

/// Phrases longer than this are not suggested.
const MAX_PHRASE_CHARS: usize = 80;
/// Words shorter than this are not suggested on their own.
const MIN_WORD_CHARS: usize = 3;
/// How many stored phrases of a prefix are weighed by use; the lookup reads no more.
const CANDIDATES: i64 = 200;

/// Where a suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    /// A profession of the ОКПДТР dictionary.
    Profession,
    /// A vacancy title.
    Title,
    /// A word of vacancy titles.
    Word,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub text: String,
    pub kind: SuggestionKind,
    /// The ОКПДТР code of a profession.
    pub profession_code: Option<String>,
    /// How many vacancies used it (0 for a profession nobody used yet).
    pub uses: u64,
}

/// The form phrases are stored and looked up in: words lower-cased, «ё» as «е», one
/// space between them.
pub fn normal(text: &str) -> String {
    vacancy_search::words(text).collect::<Vec<_>>().join(" ")
}

/// The phrases a title adds: itself (when of two words or more) and each word long
/// enough and not a number.
fn phrases(title: &str) -> Vec<String> {
    let words: Vec<String> = vacancy_search::words(title).collect();
    let mut out: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS && !w.chars().all(|c| c.is_numeric()))
        .cloned()
        .collect();
    let whole = words.join(" ");
    if words.len() > 1 && whole.chars().count() <= MAX_PHRASE_CHARS {
        out.push(whole);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Counts the titles' phrases, inside the caller's transaction.
pub fn remember(conn: &mut DbConnection, titles: &[&str]) -> Result<(), StoreError> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for title in titles {
        for p in phrases(title) {
            *counts.entry(p).or_default() += 1;
        }
    }
    for (phrase, n) in counts {
        let insert = diesel::insert_into(search_suggestions::table)
            .values((
                search_suggestions::phrase.eq(&phrase),
                search_suggestions::uses.eq(n),
            ))
            .on_conflict(search_suggestions::phrase)
            .do_update()
            .set(search_suggestions::uses.eq(search_suggestions::uses + n));
        per_backend!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

/// The first code point after every string that starts with `prefix`.
fn past(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// Up to `limit` suggestions for what has been typed: professions whose name (or a
/// word of it) starts with it first, then titles and words by how many vacancies used
/// them. When nothing starts with it, on PostgreSQL, titles and words that look like
/// it (a typo), the most alike first.
pub fn suggest(
    conn: &mut DbConnection,
    typed: &str,
    limit: usize,
) -> Result<Vec<Suggestion>, StoreError> {
    let prefix = normal(typed);
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Suggestion> = reference::PROFESSIONS
        .iter()
        .filter(|p| {
            let name = normal(p.title);
            name.starts_with(&prefix) || name.split(' ').any(|w| w.starts_with(&prefix))
        })
        .map(|p| Suggestion {
            text: p.title.to_owned(),
            kind: SuggestionKind::Profession,
            profession_code: Some(p.code.to_owned()),
            uses: 0,
        })
        .take(limit)
        .collect();
    let mut stored: Vec<(String, i64)> = search_suggestions::table
        .filter(search_suggestions::phrase.ge(&prefix))
        .filter(search_suggestions::phrase.lt(past(&prefix)))
        .order(search_suggestions::phrase)
        .select((search_suggestions::phrase, search_suggestions::uses))
        .limit(CANDIDATES)
        .load(conn)?;
    stored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (phrase, uses) in stored {
        if out.len() >= limit {
            break;
        }
        let uses = u64::try_from(uses).unwrap_or(0);
        if let Some(p) = out.iter_mut().find(|s| normal(&s.text) == phrase) {
            p.uses = uses;
            continue;
        }
        out.push(Suggestion {
            kind: if phrase.contains(' ') {
                SuggestionKind::Title
            } else {
                SuggestionKind::Word
            },
            text: phrase,
            profession_code: None,
            uses,
        });
    }
    if out.is_empty() {
        out = typo_of(conn, &prefix, limit)?;
    }
    Ok(out)
}

/// What a search for `text` that found nothing probably meant, from the words of
/// vacancy titles (see `domain::vacancy_search::corrected`); `None` when every word is
/// known or nothing known is near it.
pub fn did_you_mean(conn: &mut DbConnection, text: &str) -> Result<Option<String>, StoreError> {
    let mut failed = None;
    let corrected = vacancy_search::corrected(text, |word| {
        let allowed = vacancy_search::typos_allowed(word);
        known_near(conn, word, word.chars().count() + allowed).unwrap_or_else(|e| {
            failed = Some(e);
            Vec::new()
        })
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(corrected),
    }
}

/// The single words of titles that `word` could be a typo of: those sharing some of its
/// trigrams, the most alike first (SQLite's `suggestion_trigrams`, PostgreSQL's
/// `pg_trgm`; without it, every word of its first letter), kept when they start with
/// its first letter and are at least as long as the typos allowed let `word` be and at
/// most `longest` letters.
fn known_near(
    conn: &mut DbConnection,
    word: &str,
    longest: usize,
) -> Result<Vec<(String, u64)>, StoreError> {
    let Some(first) = word.chars().next() else {
        return Ok(Vec::new());
    };
    let length = word.chars().count();
    let shortest = length.saturating_sub(vacancy_search::typos_allowed(word));
    let trigrams = match conn {
        DbConnection::Postgresql(pg) => has_trigrams(pg)?,
        DbConnection::Sqlite(_) => true,
    };
    let found = match conn {
        DbConnection::Sqlite(c) => sharing_trigrams(c, word)?,
        DbConnection::Postgresql(pg) if trigrams => similar(pg, word)?,
        DbConnection::Postgresql(_) => of_first_letter(conn, first)?,
    };
    Ok(found
        .into_iter()
        .filter(|(w, _)| {
            let n = w.chars().count();
            w.starts_with(first) && !w.contains(' ') && shortest <= n && n <= longest
        })
        .map(|(w, n)| (w, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// How many words alike a look-up for a typo weighs at most.
const ALIKE: i64 = 200;

/// Words sharing trigrams with `word`, those sharing the most and rarest first (FTS5's
/// rank).
fn sharing_trigrams(
    conn: &mut diesel::SqliteConnection,
    word: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    use diesel::sql_types::{BigInt, Text};

    let chars: Vec<char> = word.chars().collect();
    let trigrams: Vec<String> = chars
        .windows(3)
        .map(|t| format!("\"{}\"", t.iter().collect::<String>().replace('"', "\"\"")))
        .collect();
    if trigrams.is_empty() {
        return Ok(Vec::new());
    }
    let alike = diesel::sql_query(
        "SELECT s.phrase, s.uses FROM suggestion_trigrams t \
         JOIN search_suggestions s ON s.phrase = t.word \
         WHERE suggestion_trigrams MATCH ? ORDER BY t.rank LIMIT ?",
    )
    .bind::<Text, _>(trigrams.join(" OR "))
    .bind::<BigInt, _>(ALIKE);
    let found: Vec<Alike> = crate::prepared::kept(alike).load(conn)?;
    Ok(found.into_iter().map(|a| (a.phrase, a.uses)).collect())
}

/// Single words similar to `word` by trigrams (`pg_trgm`'s `%`, through its index),
/// the most similar first.
fn similar(pg: &mut diesel::PgConnection, word: &str) -> Result<Vec<(String, i64)>, StoreError> {
    use diesel::sql_types::{BigInt, Text};

    let found: Vec<Alike> = diesel::sql_query(
        "SELECT phrase, uses FROM search_suggestions \
         WHERE phrase % $1 AND phrase NOT LIKE '% %' \
         ORDER BY similarity(phrase, $1) DESC, uses DESC LIMIT $2",
    )
    .bind::<Text, _>(word)
    .bind::<BigInt, _>(ALIKE)
    .load(pg)?;
    Ok(found.into_iter().map(|a| (a.phrase, a.uses)).collect())
}

/// Every single word of `first` letter, read along the primary key: where no trigram
/// index is to be had.
fn of_first_letter(conn: &mut DbConnection, first: char) -> Result<Vec<(String, i64)>, StoreError> {
    let first = first.to_string();
    Ok(search_suggestions::table
        .filter(search_suggestions::phrase.ge(&first))
        .filter(search_suggestions::phrase.lt(past(&first)))
        .filter(search_suggestions::phrase.not_like("% %"))
        .select((search_suggestions::phrase, search_suggestions::uses))
        .load(conn)?)
}

/// A phrase found alike, with its uses.
#[derive(QueryableByName)]
struct Alike {
    #[diesel(sql_type = diesel::sql_types::Text)]
    phrase: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    uses: i64,
}

/// Words of titles that what has been typed may be a typo of the start of, the
/// nearest first, then the most used: on SQLite, and on PostgreSQL where word
/// similarity finds nothing or `pg_trgm` is missing. One word typed; empty for more.
fn typo_of_start(
    conn: &mut DbConnection,
    typed: &str,
    limit: usize,
) -> Result<Vec<Suggestion>, StoreError> {
    if typed.contains(' ') || vacancy_search::typos_allowed(typed) == 0 {
        return Ok(Vec::new());
    }
    let mut near: Vec<(usize, u64, String)> = known_near(conn, typed, usize::MAX)?
        .into_iter()
        .filter_map(|(word, uses)| {
            vacancy_search::typos_from_start(typed, &word).map(|d| (d, uses, word))
        })
        .collect();
    near.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(near
        .into_iter()
        .take(limit)
        .map(|(_, uses, text)| Suggestion {
            text,
            kind: SuggestionKind::Word,
            profession_code: None,
            uses,
        })
        .collect())
}

/// Stored phrases with a word that looks like `typed`, the most alike first, then the
/// most used, by trigrams; [`typo_of_start`] where they find nothing, where PostgreSQL
/// lacks `pg_trgm`, and on SQLite.
fn typo_of(
    conn: &mut DbConnection,
    typed: &str,
    limit: usize,
) -> Result<Vec<Suggestion>, StoreError> {
    use diesel::sql_types::{BigInt, Text};

    let trigrams = match conn {
        DbConnection::Postgresql(pg) => has_trigrams(pg)?,
        DbConnection::Sqlite(_) => false,
    };
    let (DbConnection::Postgresql(pg), true) = (&mut *conn, trigrams) else {
        return typo_of_start(conn, typed, limit);
    };
    // `<%` finds the candidates through the trigram index, as alike as each
    // connection's threshold asks (`db::PG_SESSION`).
    let found: Vec<Alike> = diesel::sql_query(
        "SELECT phrase, uses FROM search_suggestions \
         WHERE $1 <% phrase \
         ORDER BY word_similarity($1, phrase) DESC, uses DESC, phrase \
         LIMIT $2",
    )
    .bind::<Text, _>(typed)
    .bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
    .load(pg)?;
    if found.is_empty() {
        // What word similarity misses may still be a typo of a word's start.
        return typo_of_start(conn, typed, limit);
    }
    Ok(found
        .into_iter()
        .map(|a| Suggestion {
            kind: if a.phrase.contains(' ') {
                SuggestionKind::Title
            } else {
                SuggestionKind::Word
            },
            text: a.phrase,
            profession_code: None,
            uses: u64::try_from(a.uses).unwrap_or(0),
        })
        .collect())
}

/// Whether the database has `pg_trgm` (its migration creates it where it can be had);
/// asked once per process.
fn has_trigrams(pg: &mut diesel::PgConnection) -> Result<bool, StoreError> {
    static KNOWN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if let Some(known) = KNOWN.get() {
        return Ok(*known);
    }
    let found = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')",
    ))
    .get_result::<bool>(pg)?;
    Ok(*KNOWN.get_or_init(|| found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_adds_itself_and_its_words() {
        assert_eq!(
            phrases("Повар горячего цеха, 2 разряд"),
            [
                "горячего",
                "повар",
                "повар горячего цеха 2 разряд",
                "разряд",
                "цеха"
            ]
        );
        assert_eq!(phrases("Ёж"), Vec::<String>::new());
        assert_eq!(normal("  Ёлочный   ПОВАР "), "елочный повар");
        assert!(past("пов").as_str() > "повар");
    }
}
