//! What SQLite's full-text indexes of the vacancies are asked for a search's total and
//! facets, and what their entries say by themselves (issue 19).
//!
//! Two indexes hold the published vacancies: `vacancy_fts`, keyed by publication
//! number (`search_seq`), with the words and the filters' tags; and
//! `vacancy_regional_fts`, each word joined to the vacancy's region (`r77zповар`),
//! keyed by [`regional key`](RegionalFacts): the publication number and, in the low
//! bits, the facts a search checks or counts most often (employment type, schedule,
//! top salary figure; migration 2027-01-01-000001). A search in one region with a
//! salary floor, or its facets, is then read in that index alone, without looking up
//! a row per entry.

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::sqlite::Sqlite;
use domain::vacancy::{EmploymentType, Schedule, VacancyFilter};
use domain::{vacancy_tags, Coded};

use crate::prepared::kept;
use crate::schema::vacancies;
use crate::vacancy_full_text::{regional_query, Part};
use crate::{DbConnection, StoreError};

/// Bits of a regional key below the publication number.
const SEQ_SHIFT: u32 = 27;
/// Where the employment type's place in [`EmploymentType::ALL`] starts (3 bits).
const KIND_SHIFT: u32 = 24;
/// Where the schedule's place in [`Schedule::ALL`] starts (3 bits).
const SCHEDULE_SHIFT: u32 = 21;
/// The highest top salary figure a key holds as it is; higher ones are held as this.
pub const SALARY_CAP: i64 = (1 << SCHEDULE_SHIFT) - 1;

/// What a regional key holds besides the region (which its words say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RegionalFacts {
    pub(crate) seq: i64,
    pub(crate) employment_type: EmploymentType,
    pub(crate) schedule: Schedule,
    /// The top salary figure (`salary_sort`), at most [`SALARY_CAP`].
    pub(crate) salary_top: i64,
}

impl RegionalFacts {
    /// The facts of a regional key; an error for a type or schedule it cannot hold
    /// (the migration's `7` for a code `domain` does not list).
    pub(crate) fn of_key(key: i64) -> Result<RegionalFacts, StoreError> {
        let place = |shift: u32| usize::try_from((key >> shift) & 7).unwrap_or(usize::MAX);
        let employment_type = EmploymentType::ALL.get(place(KIND_SHIFT));
        let schedule = Schedule::ALL.get(place(SCHEDULE_SHIFT));
        match (employment_type, schedule) {
            (Some(&employment_type), Some(&schedule)) => Ok(RegionalFacts {
                seq: key >> SEQ_SHIFT,
                employment_type,
                schedule,
                salary_top: key & SALARY_CAP,
            }),
            _ => Err(StoreError::Corrupt(format!(
                "regional key {key} holds an unknown employment type or schedule"
            ))),
        }
    }
}

/// Which of SQLite's full-text indexes a count asks, and what: `vacancy_fts` for the
/// words and tags, or `vacancy_regional_fts` for words in one region
/// ([`regional_query`]), with a salary floor its keys hold. Both hold the published
/// vacancies only.
#[derive(Debug, Clone)]
pub(crate) struct Asked {
    index: &'static str,
    query: String,
    /// A floor of the top salary figure, checked in the regional keys.
    salary_floor: Option<i64>,
}

impl Asked {
    /// The index of words by region for the part of a search whose only tag is its
    /// region ([`regional_query`]), with its salary floor when the keys hold it; else
    /// None.
    pub(crate) fn regional(filter: &VacancyFilter, part: Part) -> Option<Asked> {
        Some(Asked {
            index: "vacancy_regional_fts",
            query: regional_query(filter, part)?,
            salary_floor: filter
                .salary_from
                .map(|m| m.max(1))
                .filter(|m| *m <= SALARY_CAP),
        })
    }

    /// The shorter lists for a search: its words by region when its only tag is its
    /// region, else `words_and_tags` (`vacancy_full_text::along_index_query`) in
    /// `vacancy_fts`.
    pub(crate) fn of(filter: &VacancyFilter, words_and_tags: String) -> Asked {
        Asked::regional(filter, Part::All).unwrap_or(Asked {
            index: "vacancy_fts",
            query: words_and_tags,
            salary_floor: None,
        })
    }

    /// Whether the entries asked are the search's matches, every filter said: its
    /// tags say it whole, or (by region) they do but for a salary floor the keys hold.
    pub(crate) fn whole(&self, filter: &VacancyFilter) -> bool {
        let rest = match self.salary_floor {
            Some(_) => VacancyFilter {
                salary_from: None,
                ..filter.clone()
            },
            None => filter.clone(),
        };
        vacancy_tags::of_filter(&rest).exact
    }

    /// Whether the keys of the entries hold [`RegionalFacts`].
    pub(crate) fn is_regional(&self) -> bool {
        self.index == "vacancy_regional_fts"
    }

    /// The condition of a salary floor on the regional keys, one bound value.
    fn floor(&self) -> String {
        match self.salary_floor {
            Some(_) => format!(" AND (rowid & {SALARY_CAP}) >= ?"),
            None => String::new(),
        }
    }

    /// `SELECT {what}` of the `?` newest entries asked, with the values to bind
    /// ([`Asked::bound`]).
    fn newest(&self, what: &str) -> String {
        let (index, floor) = (self.index, self.floor());
        format!(
            "SELECT {what} FROM {index} WHERE {index} MATCH ?{floor} ORDER BY rowid DESC LIMIT ?"
        )
    }

    /// `sql` (of [`Asked::newest`]) with its values bound.
    fn bound(&self, sql: String, limit: i64) -> BoxedSqlQuery<'_, Sqlite, SqlQuery> {
        let mut q = diesel::sql_query(sql)
            .into_boxed::<Sqlite>()
            .bind::<Text, _>(&self.query);
        if let Some(floor) = self.salary_floor {
            q = q.bind::<BigInt, _>(floor);
        }
        q.bind::<BigInt, _>(limit)
    }

    /// The publication number of an entry, in SQL.
    fn seq(&self) -> String {
        if self.is_regional() {
            format!("rowid >> {SEQ_SHIFT}")
        } else {
            "rowid".to_owned()
        }
    }

    /// How many of the `limit` newest entries asked there are, and the publication
    /// number of the oldest of them (none when none is).
    pub(crate) fn count_newest(
        &self,
        conn: &mut DbConnection,
        limit: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        let DbConnection::Sqlite(c) = conn else {
            unreachable!("SQLite only")
        };
        let newest = self.newest(&format!("{} AS seq", self.seq()));
        let sql = format!("SELECT count(*) AS n, min(seq) AS oldest FROM ({newest})");
        let read = kept(self.bound(sql, limit)).get_result::<NewestRead>(c)?;
        Ok((read.n, read.oldest))
    }

    /// The facts of the `limit` newest entries asked, newest first: the index of words
    /// by region only.
    pub(crate) fn newest_facts(
        &self,
        conn: &mut DbConnection,
        limit: i64,
    ) -> Result<Vec<RegionalFacts>, StoreError> {
        assert!(self.is_regional(), "only regional keys hold facts");
        let DbConnection::Sqlite(c) = conn else {
            unreachable!("SQLite only")
        };
        let keys = self.bound(self.newest("rowid AS key"), limit);
        kept(keys)
            .load::<Key>(c)?
            .into_iter()
            .map(|k| RegionalFacts::of_key(k.key))
            .collect()
    }

    /// The vacancies among the `n` newest entries asked (a condition on `vacancies`,
    /// which SQLite answers by looking each entry up).
    pub(crate) fn among_newest(
        &self,
        n: i64,
    ) -> Box<dyn BoxableExpression<vacancies::table, Sqlite, SqlType = Bool>> {
        self.newest_from(None, 0, n)
    }

    /// The vacancies of `n` entries asked, newest first, from the `offset`-th of those
    /// published before the publication number `before` (all, when none): a page.
    pub(crate) fn newest_from(
        &self,
        before: Option<i64>,
        offset: i64,
        n: i64,
    ) -> Box<dyn BoxableExpression<vacancies::table, Sqlite, SqlType = Bool>> {
        let (index, seq) = (self.index, self.seq());
        // Both conditions always stand (the second for every entry when unasked), so
        // that one text serves every such page.
        let (mask, before) = if self.is_regional() {
            let before = before.map_or(i64::MAX, |b| b.saturating_mul(1 << SEQ_SHIFT));
            (SALARY_CAP, before)
        } else {
            (0, before.unwrap_or(i64::MAX))
        };
        Box::new(
            sql::<Bool>(&format!(
                "vacancies.search_seq IN (SELECT {seq} FROM {index} WHERE {index} MATCH "
            ))
            .bind::<Text, _>(self.query.clone())
            .sql(&format!(" AND (rowid & {mask}) >= "))
            .bind::<BigInt, _>(self.salary_floor.unwrap_or(0))
            .sql(" AND rowid < ")
            .bind::<BigInt, _>(before)
            .sql(" ORDER BY rowid DESC LIMIT ")
            .bind::<BigInt, _>(n)
            .sql(" OFFSET ")
            .bind::<BigInt, _>(offset)
            .sql(")"),
        )
    }
}

/// How many of the newest entries of a full-text query were read, and the oldest of
/// them (none when none was).
#[derive(QueryableByName)]
struct NewestRead {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    oldest: Option<i64>,
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = BigInt)]
    key: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seq: i64, kind: usize, schedule: usize, salary: i64) -> i64 {
        (seq << SEQ_SHIFT)
            + (i64::try_from(kind).unwrap() << KIND_SHIFT)
            + (i64::try_from(schedule).unwrap() << SCHEDULE_SHIFT)
            + salary
    }

    #[test]
    fn a_key_holds_every_type_schedule_and_salary_up_to_the_cap() {
        for (k, kind) in EmploymentType::ALL.iter().enumerate() {
            for (s, schedule) in Schedule::ALL.iter().enumerate() {
                for salary in [0, 1, 59_999, 150_000, SALARY_CAP] {
                    let facts = RegionalFacts::of_key(key(987_654_321, k, s, salary)).unwrap();
                    assert_eq!(
                        facts,
                        RegionalFacts {
                            seq: 987_654_321,
                            employment_type: *kind,
                            schedule: *schedule,
                            salary_top: salary,
                        }
                    );
                }
            }
        }
    }

    #[test]
    fn an_unknown_place_is_corrupt_not_a_guess() {
        assert!(RegionalFacts::of_key(key(5, 7, 0, 0)).is_err());
        assert!(RegionalFacts::of_key(key(5, 0, 7, 0)).is_err());
        assert!(RegionalFacts::of_key(key(5, EmploymentType::ALL.len(), 0, 0)).is_err());
    }

    #[test]
    fn keys_sort_as_their_publication_numbers() {
        let older = key(41, 5, 5, SALARY_CAP);
        let newer = key(42, 0, 0, 0);
        assert!(older < newer);
    }
}
