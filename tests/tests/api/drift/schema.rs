//! `persistence/src/schema.rs` against the tables the migrations create, on the
//! backend under test: every table, its primary key, and each column's name, type
//! and nullability. Diesel trusts `schema.rs` blindly, so a migration that changes a
//! column without it (or the reverse) compiles and fails only on the rows that meet
//! the difference, and perhaps on one backend only.
//!
//! The declaration is read as text (the `diesel::table!` blocks); the database is
//! introspected (SQLite's `pragma_table_info`, PostgreSQL's `information_schema`).

use std::collections::BTreeMap;

use diesel::sql_types::{Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use persistence::DbConnection;
use portal_tests::spawn_app;

const SCHEMA_RS: &str = include_str!("../../../../persistence/src/schema.rs");

/// Tables (and `table.column`s) a migrated database holds that `schema.rs` need not
/// declare: Diesel's own record of the migrations run, SQLite's statistics, which
/// `Database::open` gathers (`PRAGMA optimize`), and the FTS5 indexes of the vacancy
/// search and of typo look-ups with their shadow tables, which only SQL reads.
/// Anything else undeclared is drift.
const UNDECLARED: &[&str] = &[
    "__diesel_schema_migrations",
    "sqlite_stat1",
    "vacancy_fts",
    "vacancy_fts_data",
    "vacancy_fts_idx",
    "vacancy_fts_docsize",
    "vacancy_fts_config",
    // SQLite's index of words by region (migration 2026-12-30-000001), read only by SQL
    // in `vacancy_totals.rs`, and the generated column it indexes.
    "vacancy_regional_fts",
    "vacancy_regional_fts_data",
    "vacancy_regional_fts_idx",
    "vacancy_regional_fts_config",
    "vacancy_regional_fts_docsize",
    "vacancies.search_regional_title",
    "vacancies.search_regional_body",
    // The index's keys: the publication number and the facts a search checks or counts
    // (migration 2027-01-01-000001, `persistence/src/vacancy_entries.rs`).
    "vacancies.search_regional_key",
    // The title words' trigram index (SQLite), read only by SQL in `suggestions.rs`.
    "suggestion_trigrams",
    "suggestion_trigrams_data",
    "suggestion_trigrams_idx",
    "suggestion_trigrams_content",
    "suggestion_trigrams_docsize",
    "suggestion_trigrams_config",
    // PostgreSQL's stored search vector, a generated column the search reads through
    // SQL only (`persistence/src/vacancy_search.rs`); Diesel has no type for it.
    "vacancies.search_vector",
    // Its title part alone, with an index of its own (migration 2026-12-26-000001).
    "vacancies.title_vector",
    // SQLite's tags of a vacancy for its full-text index, a generated column only the
    // index reads (`domain::vacancy_tags`).
    "vacancies.search_tags",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A column as one side sees it: `ty` is a Diesel SQL type on the `schema.rs` side
/// (`Text`), the database's own name on the other (`TEXT`, `character varying`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    ty: String,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    name: String,
    primary_key: Vec<String>,
    columns: Vec<Column>,
}

/// The tables of the `diesel::table!` blocks of a `schema.rs`. Panics, naming the
/// line, on anything it does not understand, so that a new construct in `schema.rs`
/// is taught here rather than skipped.
fn declared(text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut current: Option<Table> = None;
    let mut sql_name: Option<String> = None;
    let mut in_macro = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if !in_macro {
            // joinable!, allow_tables_to_appear_in_same_query! and the like are skipped.
            in_macro = line == "diesel::table! {";
            continue;
        }
        let understood = match &mut current {
            None if line == "}" => {
                in_macro = false;
                Some(())
            }
            None if line.starts_with("use ") => Some(()),
            None => table_head(line).map(|t| current = Some(t)),
            Some(_) if line == "}" => {
                tables.extend(current.take());
                Some(())
            }
            Some(table) => match line.strip_prefix("#[sql_name = \"") {
                Some(attr) => attr
                    .strip_suffix("\"]")
                    .map(|name| sql_name = Some(name.to_owned())),
                None => column(line).map(|mut c| {
                    c.name = sql_name.take().unwrap_or(c.name);
                    table.columns.push(c);
                }),
            },
        };
        assert!(
            understood.is_some(),
            "schema.rs line {}: not understood: {raw}",
            n + 1
        );
    }
    assert!(
        current.is_none() && !in_macro,
        "schema.rs: a table! block is not closed"
    );
    tables
}

/// `name (key, …) {`
fn table_head(line: &str) -> Option<Table> {
    let (name, key) = line.strip_suffix('{')?.trim().split_once('(')?;
    Some(Table {
        name: name.trim().to_owned(),
        primary_key: key
            .trim()
            .strip_suffix(')')?
            .split(',')
            .map(|k| k.trim().to_owned())
            .collect(),
        columns: Vec::new(),
    })
}

/// `name -> Type,` or `name -> Nullable<Type>,`, the type perhaps with its path.
fn column(line: &str) -> Option<Column> {
    let (name, ty) = line.split_once("->")?;
    let ty = ty.trim().strip_suffix(',')?.trim();
    let unpath = |t: &str| {
        t.strip_prefix("diesel::sql_types::")
            .unwrap_or(t)
            .to_owned()
    };
    let ty = unpath(ty);
    let (ty, nullable) = match ty.strip_prefix("Nullable<") {
        Some(inner) => (unpath(inner.strip_suffix('>')?), true),
        None => (ty, false),
    };
    Some(Column {
        name: name.trim().to_owned(),
        ty,
        nullable,
    })
}

/// The database types a Diesel SQL type may be stored as.
fn stored_as(backend: Backend, diesel: &str) -> &'static [&'static str] {
    match (backend, diesel) {
        (Backend::Sqlite, "Text") => &["TEXT"],
        (Backend::Sqlite, "Integer") => &["INTEGER"],
        (Backend::Sqlite, "BigInt") => &["BIGINT"],
        (Backend::Sqlite, "Bool") => &["BOOLEAN"],
        (Backend::Sqlite, "Timestamp") => &["TIMESTAMP"],
        (Backend::Sqlite, "Date") => &["DATE"],
        (Backend::Sqlite, "Double") => &["DOUBLE", "REAL", "DOUBLE PRECISION"],
        (Backend::Postgres, "Text") => &["text", "character varying"],
        (Backend::Postgres, "Integer") => &["integer"],
        (Backend::Postgres, "BigInt") => &["bigint"],
        (Backend::Postgres, "Bool") => &["boolean"],
        (Backend::Postgres, "Timestamp") => &["timestamp without time zone"],
        (Backend::Postgres, "Date") => &["date"],
        (Backend::Postgres, "Double") => &["double precision"],
        _ => &[],
    }
}

fn declared_type(c: &Column) -> String {
    if c.nullable {
        format!("Nullable<{}>", c.ty)
    } else {
        c.ty.clone()
    }
}

fn stored_type(c: &Column) -> String {
    format!("{} {}", c.ty, if c.nullable { "NULL" } else { "NOT NULL" })
}

/// Every difference between the declared tables and the database's, one line each,
/// naming the table, the column and both sides. Empty when they agree.
fn differences(
    backend: Backend,
    declared: &[Table],
    database: &[Table],
    undeclared: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    let in_db: BTreeMap<&str, &Table> = database.iter().map(|t| (t.name.as_str(), t)).collect();
    for want in declared {
        let t = &want.name;
        let Some(have) = in_db.get(t.as_str()) else {
            out.push(format!(
                "table {t}: schema.rs declares it, the migrations do not create it"
            ));
            continue;
        };
        if want.primary_key != have.primary_key {
            out.push(format!(
                "table {t}: schema.rs says primary key ({}), the database ({})",
                want.primary_key.join(", "),
                have.primary_key.join(", ")
            ));
        }
        for w in &want.columns {
            let c = &w.name;
            let Some(h) = have.columns.iter().find(|h| h.name == *c) else {
                out.push(format!(
                    "{t}.{c}: schema.rs declares {}, the database has no such column",
                    declared_type(w)
                ));
                continue;
            };
            let types = stored_as(backend, &w.ty);
            let type_ok = types.iter().any(|ty| ty.eq_ignore_ascii_case(&h.ty));
            if !type_ok || w.nullable != h.nullable {
                let expected = if types.is_empty() {
                    format!(
                        "no mapping for {:?} on {backend:?}: teach `stored_as`",
                        w.ty
                    )
                } else {
                    format!(
                        "{} {}",
                        types.join(" or "),
                        if w.nullable { "NULL" } else { "NOT NULL" }
                    )
                };
                out.push(format!(
                    "{t}.{c}: schema.rs declares {}, the database has {} (expected {expected})",
                    declared_type(w),
                    stored_type(h)
                ));
            }
        }
        for h in &have.columns {
            let named = format!("{t}.{}", h.name);
            if !want.columns.iter().any(|w| w.name == h.name)
                && !undeclared.contains(&named.as_str())
            {
                out.push(format!(
                    "{t}.{}: the database has {}, schema.rs does not declare it",
                    h.name,
                    stored_type(h)
                ));
            }
        }
    }
    for have in database {
        let t = &have.name;
        if !declared.iter().any(|w| w.name == *t) && !undeclared.contains(&t.as_str()) {
            out.push(format!(
                "table {t}: the migrations create it, schema.rs does not declare it \
                 (nor is it in the list of tables it need not declare)"
            ));
        }
    }
    out
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    /// The column's place in the primary key from 1, or 0.
    #[diesel(sql_type = Integer)]
    pk: i32,
}

const SQLITE_COLUMNS: &str = "\
    SELECT m.name AS table_name, p.name AS name, p.type AS ty, p.\"notnull\" AS not_null, \
           p.pk AS pk \
    FROM sqlite_master m JOIN pragma_table_info(m.name) p \
    WHERE m.type = 'table' \
    ORDER BY m.name, p.cid";

const POSTGRES_COLUMNS: &str = "\
    SELECT c.table_name::text AS table_name, c.column_name::text AS name, \
           c.data_type::text AS ty, \
           CASE WHEN c.is_nullable = 'YES' THEN 0 ELSE 1 END AS not_null, \
           COALESCE(k.ordinal_position, 0)::int AS pk \
    FROM information_schema.columns c \
    JOIN information_schema.tables t \
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
     AND t.table_type = 'BASE TABLE' \
    LEFT JOIN information_schema.table_constraints tc \
      ON tc.table_schema = c.table_schema AND tc.table_name = c.table_name \
     AND tc.constraint_type = 'PRIMARY KEY' \
    LEFT JOIN information_schema.key_column_usage k \
      ON k.constraint_schema = tc.constraint_schema \
     AND k.constraint_name = tc.constraint_name AND k.column_name = c.column_name \
    WHERE c.table_schema = 'public' \
    ORDER BY c.table_name, c.ordinal_position";

/// The tables of the migrated database, as its catalogue describes them.
fn introspect(conn: &mut DbConnection) -> (Backend, Vec<Table>) {
    let (backend, rows) = match conn {
        DbConnection::Sqlite(c) => (
            Backend::Sqlite,
            diesel::sql_query(SQLITE_COLUMNS).load::<ColumnRow>(c),
        ),
        DbConnection::Postgresql(c) => (
            Backend::Postgres,
            diesel::sql_query(POSTGRES_COLUMNS).load::<ColumnRow>(c),
        ),
    };
    let rows = rows.expect("the catalogue answers");
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    // Each table's key columns by their place in the key.
    let mut keys: BTreeMap<String, BTreeMap<i32, String>> = BTreeMap::new();
    for r in rows {
        if r.pk > 0 {
            let key = keys.entry(r.table_name.clone()).or_default();
            key.insert(r.pk, r.name.clone());
        }
        let table = tables.entry(r.table_name.clone()).or_insert_with(|| Table {
            name: r.table_name,
            primary_key: Vec::new(),
            columns: Vec::new(),
        });
        table.columns.push(Column {
            name: r.name,
            ty: r.ty,
            nullable: r.not_null == 0,
        });
    }
    let tables = tables
        .into_values()
        .map(|mut t| {
            t.primary_key = keys
                .remove(&t.name)
                .unwrap_or_default()
                .into_values()
                .collect();
            t
        })
        .collect();
    (backend, tables)
}

#[tokio::test]
async fn schema_rs_matches_the_migrated_database() {
    let app = spawn_app().await;
    let (backend, database) = app.with_db(introspect).await;
    let tables = declared(SCHEMA_RS);
    assert!(
        tables.len() > 20,
        "schema.rs read as {} tables",
        tables.len()
    );
    let found = differences(backend, &tables, &database, UNDECLARED);
    assert!(
        found.is_empty(),
        "persistence/src/schema.rs and the {backend:?} migrations disagree:\n  {}",
        found.join("\n  ")
    );

    // The guard bites: the same database against a schema.rs with one type, one
    // nullability and one column wrong.
    let wrong = SCHEMA_RS
        .replacen("rating -> Double,", "rating -> Integer,", 1)
        .replacen("kpp -> Nullable<Text>,", "kpp -> Text,", 1)
        .replacen(
            "        confirmation_reminded_at -> Nullable<Timestamp>,\n",
            "",
            1,
        );
    let found = differences(backend, &declared(&wrong), &database, UNDECLARED);
    let (double, text) = match backend {
        Backend::Sqlite => ("DOUBLE", "TEXT"),
        Backend::Postgres => ("double precision", "text"),
    };
    let integer = stored_as(backend, "Integer")[0];
    assert_eq!(
        found,
        [
            format!(
                "organizations.kpp: schema.rs declares Text, the database has {text} NULL \
                 (expected {} NOT NULL)",
                stored_as(backend, "Text").join(" or ")
            ),
            format!(
                "organizations.rating: schema.rs declares Integer, the database has \
                 {double} NOT NULL (expected {integer} NOT NULL)"
            ),
            "vacancies.confirmation_reminded_at: the database has ".to_owned()
                + stored_as(backend, "Timestamp")[0]
                + " NULL, schema.rs does not declare it",
        ]
    );
}

/// The comparison on its own: each kind of difference is named with both sides.
#[test]
fn each_kind_of_difference_is_named() {
    let tables = declared(
        "diesel::table! {\n    a (id) {\n        id -> Text,\n        n -> Nullable<BigInt>,\n\
         \n        gone -> Bool,\n    }\n}\n\ndiesel::table! {\n    b (x, y) {\n        \
         x -> Text,\n        y -> diesel::sql_types::Integer,\n    }\n}\n\
         diesel::table! {\n    never (id) {\n        #[sql_name = \"key\"]\n        \
         id -> Text,\n    }\n}\n",
    );
    assert_eq!(tables[2].columns[0].name, "key");
    let column = |name: &str, ty: &str, nullable| Column {
        name: name.into(),
        ty: ty.into(),
        nullable,
    };
    let database = vec![
        Table {
            name: "a".into(),
            primary_key: vec!["id".into()],
            columns: vec![
                column("id", "TEXT", false),
                column("n", "INTEGER", true),
                column("extra", "TEXT", true),
            ],
        },
        Table {
            name: "b".into(),
            primary_key: vec!["x".into()],
            columns: vec![column("x", "TEXT", false), column("y", "INTEGER", true)],
        },
        Table {
            name: "stray".into(),
            primary_key: vec![],
            columns: vec![column("id", "TEXT", false)],
        },
        Table {
            name: "__diesel_schema_migrations".into(),
            primary_key: vec![],
            columns: vec![],
        },
    ];
    assert_eq!(
        differences(Backend::Sqlite, &tables, &database, UNDECLARED),
        [
            "a.n: schema.rs declares Nullable<BigInt>, the database has INTEGER NULL \
             (expected BIGINT NULL)",
            "a.gone: schema.rs declares Bool, the database has no such column",
            "a.extra: the database has TEXT NULL, schema.rs does not declare it",
            "table b: schema.rs says primary key (x, y), the database (x)",
            "b.y: schema.rs declares Integer, the database has INTEGER NULL \
             (expected INTEGER NOT NULL)",
            "table never: schema.rs declares it, the migrations do not create it",
            "table stray: the migrations create it, schema.rs does not declare it \
             (nor is it in the list of tables it need not declare)",
        ]
    );
}
