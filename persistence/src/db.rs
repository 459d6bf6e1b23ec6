//! Connections: one code base over SQLite and PostgreSQL through Diesel's
//! `MultiConnection`, pooled by r2d2, migrated at start.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{
    Instrumentation, InstrumentationEvent, SimpleConnection, TransactionManager,
};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;
use crate::group_commit::Groups;

/// A connection to whichever backend `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// The backend, chosen from the URL's scheme rather than by trying each driver in
/// turn: a PostgreSQL server that is down must fail loudly, not quietly turn the URL
/// into a SQLite file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The file a SQLite URL names: `sqlite://data/portal.db` and `data/portal.db` are the
/// same file. Every use of a SQLite URL goes through here.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// How long a SQLite writer waits for the lock before giving up; long enough that a
/// burst of concurrent writes queues instead of failing with "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

/// The most of a SQLite file a connection can memory-map: what the bundled SQLite is
/// built to map at most (`SQLITE_MAX_MMAP_SIZE` in `.cargo/config.toml`; SQLite's own
/// default is just under 2 GiB, less than a national vacancy bank's file).
/// [`DbConfig::sqlite_map_bytes`] above it is cut to it.
pub const SQLITE_MAP_MAX_BYTES: u64 = 64 * 1024 * 1024 * 1024;

/// Each PostgreSQL connection plans a prepared statement once and keeps that plan.
///
/// Left to choose, PostgreSQL planned our statements anew on every execution: Diesel
/// binds `LIMIT` and `OFFSET`, a generic plan must then assume a tenth of the rows
/// are wanted, looks dear, and is never picked. Planning a list's page then took
/// longer than running it, and with one plan per statement the hot lists serve
/// markedly more requests (`bench/RESULTS.md`). Our statements are bounded by
/// indexes whatever their values, so one plan serves them all; the exception, a
/// `LIKE` pattern, asks for its own (see [`planned_for_values`]).
const PG_GENERIC_PLANS: &str = "SET plan_cache_mode = force_generic_plan";

/// Set once on each PostgreSQL connection besides [`PG_GENERIC_PLANS`]:
/// - how alike a typed text and a word of a stored phrase must be for type-ahead to
///   offer it as what a typo meant (`pg_trgm`'s word similarity, 0–1; its default,
///   0.6, missed «бугалтер» for «бухгалтер» at 0.58 and «вадитель» for «водитель» at
///   0.56);
/// - no parallel workers: with many requests at once each already has a core's worth
///   of company, and a query that hands a scan to two more processes only adds the
///   cost of starting them (bench/RESULTS.md, «The search on PostgreSQL»).
const PG_SESSION: &str = "SET pg_trgm.word_similarity_threshold = 0.5; \
    SET max_parallel_workers_per_gather = 0";

/// Runs `f` with each PostgreSQL statement planned for its actual values when
/// `pattern` is set: a `LIKE '%…%'` filter's best plan depends on its text. A common
/// word is met soon along the date index; a rare one is best found through the
/// trigram index; a generic plan, blind to the text, took the trigram path for every
/// word, many times slower for a common one than the date index. The setting is
/// switched around `f` rather than in a transaction: two round trips instead of
/// three, which the text search feels. SQLite has no plan cache to steer, so there
/// `f` just runs.
pub fn planned_for_values<T, E>(
    conn: &mut DbConnection,
    pattern: bool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if !pattern || matches!(conn, DbConnection::Sqlite(_)) {
        return f(conn);
    }
    with_settings(
        conn,
        "SET plan_cache_mode = force_custom_plan",
        PG_GENERIC_PLANS,
        f,
    )
}

/// Runs `f` between the statements `set` and `restore`; `restore` runs whether `f`
/// fails or not.
fn with_settings<C: SimpleConnection, T, E>(
    conn: &mut C,
    set: &str,
    restore: &str,
    f: impl FnOnce(&mut C) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.batch_execute(set)?;
    let result = f(conn);
    let restored = conn.batch_execute(restore);
    let value = result?;
    restored?;
    Ok(value)
}

/// [`planned_for_values`] for statements that read a few hundred of the newest rows
/// (`crate::vacancy_window`): they are in memory, and with the default
/// `random_page_cost` the planner took the publication numbers' index, correlated with
/// the table, over a region's, reading seven times the rows to save page jumps that
/// cost nothing there. PostgreSQL only.
pub fn planned_for_newest<T, E>(
    conn: &mut diesel::PgConnection,
    f: impl FnOnce(&mut diesel::PgConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    with_settings(
        conn,
        "SET plan_cache_mode = force_custom_plan; SET random_page_cost = 1.1",
        &format!("{PG_GENERIC_PLANS}; RESET random_page_cost"),
        f,
    )
}

/// Opens connections of the configured backend and prepares each SQLite one.
#[derive(Debug, Clone)]
pub struct Connector {
    url: String,
    backend: Backend,
    /// Where each connection's committed changes go (`feed`).
    hub: crate::feed::Hub,
    /// The queue of SQLite's writes (`group_commit`), shared by the pool's connections.
    groups: Arc<Groups>,
    /// [`DbConfig::sqlite_map_bytes`].
    sqlite_map_bytes: u64,
}

impl ManageConnection for Connector {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&self.url)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(PG_GENERIC_PLANS)
                    .and_then(|()| conn.batch_execute(PG_SESSION))
                    .map_err(r2d2::Error::QueryError)?;
                conn.set_instrumentation(ConnState::new(&self.hub, &self.groups));
                Ok(DbConnection::Postgresql(conn))
            }
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                // Sort and savepoint scratch stays in memory rather than in temporary
                // files. Pages are memory-mapped only when configured
                // (`DbConfig::sqlite_map_bytes`).
                let map_bytes = self.sqlite_map_bytes.min(SQLITE_MAP_MAX_BYTES);
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA temp_store = MEMORY;
                     PRAGMA mmap_size = {map_bytes};"
                ))
                .map_err(r2d2::Error::QueryError)?;
                conn.set_instrumentation(ConnState::new(&self.hub, &self.groups));
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// Checked at checkout. A PostgreSQL connection can die with its server unnoticed,
    /// so one that has been idle is pinged; one whose last statement succeeded moments
    /// ago is not (under load that would be a round trip on every request). A SQLite
    /// file does not go away.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        let DbConnection::Postgresql(pg) = conn else {
            return Ok(());
        };
        if Liveness::of(pg).is_some_and(|l| l.recently_ok()) {
            return Ok(());
        }
        pg.ping().map_err(r2d2::Error::QueryError)
    }

    /// Checked as a connection returns to the pool: one whose statements failed is
    /// pinged, and dropped if its server went away.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        if std::thread::panicking() || conn.is_broken() {
            return true;
        }
        let DbConnection::Postgresql(pg) = conn else {
            return false;
        };
        let failed = Liveness::of(pg).is_some_and(|l| std::mem::take(&mut l.failed));
        failed && pg.ping().is_err()
    }
}

/// How long after a successful statement a PostgreSQL connection is taken as alive
/// without a ping (HikariCP's "alive bypass window" has the same purpose).
const ALIVE_WINDOW: Duration = Duration::from_millis(500);

/// What the server keeps beside each connection, as its Diesel instrumentation: how
/// its statements went (for the pool's checks on PostgreSQL) and the changes recorded
/// in its open write (`feed`).
pub(crate) struct ConnState {
    liveness: Liveness,
    pub(crate) pending: crate::feed::Pending,
    /// SQLite's writes of this database, committed in groups (`group_commit`).
    groups: Arc<Groups>,
}

impl ConnState {
    fn new(hub: &crate::feed::Hub, groups: &Arc<Groups>) -> ConnState {
        ConnState {
            liveness: Liveness::default(),
            pending: crate::feed::Pending::new(hub),
            groups: groups.clone(),
        }
    }

    pub(crate) fn of(conn: &mut DbConnection) -> Option<&mut ConnState> {
        match conn {
            DbConnection::Postgresql(c) => c.instrumentation().downcast_mut::<ConnState>(),
            DbConnection::Sqlite(c) => c.instrumentation().downcast_mut::<ConnState>(),
        }
    }
}

impl Instrumentation for ConnState {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        self.liveness.on_connection_event(event);
    }
}

/// What a PostgreSQL connection's own statements say about it, for the pool's checks.
#[derive(Debug, Default)]
struct Liveness {
    failed: bool,
    last_ok: Option<std::time::Instant>,
}

impl Liveness {
    fn of(pg: &mut diesel::PgConnection) -> Option<&mut Liveness> {
        pg.instrumentation()
            .downcast_mut::<ConnState>()
            .map(|state| &mut state.liveness)
    }

    fn recently_ok(&self) -> bool {
        !self.failed && self.last_ok.is_some_and(|at| at.elapsed() < ALIVE_WINDOW)
    }
}

impl Liveness {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            if error.is_some() {
                self.failed = true;
                self.last_ok = None;
            } else {
                self.last_ok = Some(std::time::Instant::now());
            }
        }
    }
}

pub type Pool = r2d2::Pool<Connector>;
pub type PooledConn = r2d2::PooledConnection<Connector>;

/// Settings for [`Database::open`].
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: String,
    pub pool_size: u32,
    pub acquire_timeout: Duration,
    /// How much of a SQLite file each connection memory-maps (`PRAGMA mmap_size`,
    /// at most [`SQLITE_MAP_MAX_BYTES`]); 0 reads every page through the connection's
    /// own page cache. A map serves reads faster and keeps pages in the OS's cache
    /// rather than in each connection's memory, but after any commit SQLite unmaps
    /// the whole file before each connection's next read (bench/RESULTS.md, «The
    /// memory map as a setting»). PostgreSQL ignores it.
    pub sqlite_map_bytes: u64,
}

/// The pool, shared by every request.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    backend: Backend,
    hub: crate::feed::Hub,
    groups: Arc<Groups>,
    /// How many migrations [`Database::open`] applied.
    migrated_at_open: usize,
}

impl Database {
    /// Opens the pool and applies pending migrations. A SQLite file's folder is created
    /// so that a fresh checkout runs with no set-up.
    pub fn open(config: &DbConfig) -> Result<Database, StoreError> {
        let backend = Backend::of(&config.url);
        if backend == Backend::Sqlite {
            let path = std::path::Path::new(sqlite_path(&config.url));
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        let hub = crate::feed::Hub::default();
        let groups = Arc::<Groups>::default();
        let connector = Connector {
            url: config.url.clone(),
            backend,
            hub: hub.clone(),
            groups: groups.clone(),
            sqlite_map_bytes: config.sqlite_map_bytes,
        };
        let pool = r2d2::Pool::builder()
            .max_size(config.pool_size)
            .min_idle(Some(1))
            .test_on_check_out(true)
            .connection_timeout(config.acquire_timeout)
            .build(connector)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let mut db = Database {
            pool,
            backend,
            hub,
            groups,
            migrated_at_open: 0,
        };
        db.migrated_at_open = db.migrate()?;
        db.optimize()?;
        Ok(db)
    }

    /// How many migrations were pending when the database was opened (and were
    /// applied then).
    pub fn migrated_at_open(&self) -> usize {
        self.migrated_at_open
    }

    /// Applies pending migrations of this backend's set; returns how many ran.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        }
        .map_err(|e| StoreError::Migration(e.to_string()))?;
        // Rows written before the search indexed stems get theirs (issue 19).
        let applied = applied.len();
        crate::vacancies::restem_unindexed(&mut conn)?;
        Ok(applied)
    }

    /// Refreshes the query planner's statistics where they are missing or stale. SQLite
    /// has none until told (and then picks poor indexes for filtered lists); PostgreSQL
    /// keeps its own through autovacuum, so there this only runs on demand (`analyze`).
    pub fn optimize(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        if let DbConnection::Sqlite(c) = &mut *conn {
            c.batch_execute("PRAGMA optimize = 0x10002;")?;
        }
        Ok(())
    }

    /// Readies `conn` for a bulk load (`portal seed`): on SQLite its page cache grows to
    /// 512 MiB. With the default (2 MiB) a load of a million vacancies crawled once the
    /// indexes outgrew it, each insert into a random place of each index (a UUID key,
    /// a salary, a date) spilling and rereading pages.
    pub fn prepare_bulk_load(conn: &mut DbConnection) -> Result<(), StoreError> {
        if let DbConnection::Sqlite(c) = conn {
            c.batch_execute("PRAGMA cache_size = -524288;")?;
        }
        Ok(())
    }

    /// Gathers statistics now, after a bulk load. On PostgreSQL it also vacuums, which
    /// marks the new pages all-visible: until then a count cannot be answered from an
    /// index alone and the planner scans the table instead, several times slower for a
    /// large work list. Autovacuum does the same later.
    pub fn analyze(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let sql = match &*conn {
            DbConnection::Postgresql(_) => "VACUUM ANALYZE;",
            DbConnection::Sqlite(_) => "ANALYZE;",
        };
        conn.batch_execute(sql)?;
        Ok(())
    }

    /// A pooled connection; a database that does not answer in time is `Unavailable`.
    pub fn conn(&self) -> Result<PooledConn, StoreError> {
        self.pool
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Which engine the pool talks to: callers run SQLite reads differently (see the
    /// api crate's `AppState::read`).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the changes this process commits go (`feed`): subscribe to hear of them.
    pub fn hub(&self) -> &crate::feed::Hub {
        &self.hub
    }

    /// SQLite's writes so far and the groups they were committed in
    /// (`group_commit`); none on PostgreSQL.
    pub fn write_groups(&self) -> (u64, u64) {
        self.groups.counts()
    }

    /// How many connections the pool holds at most.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// The pool's connections now: open, and of those idle (for the metrics).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Whether the database answers a trivial query right now.
    pub fn ping(&self) -> Result<(), StoreError> {
        ping(&mut *self.conn()?)
    }
}

/// Whether the database behind `conn` answers a trivial query right now.
pub fn ping(conn: &mut DbConnection) -> Result<(), StoreError> {
    conn.ping().map_err(StoreError::from)
}

/// Runs `f` in one write transaction. On SQLite it begins `IMMEDIATE`, taking the write
/// lock up front: a deferred transaction that reads and then writes can fail with
/// "database is locked" without waiting, where an immediate one queues behind the
/// busy timeout.
///
/// The changes the use case records (`feed::record`) are published with the commit:
/// as `NOTIFY` inside the transaction on PostgreSQL, to this process's own sinks
/// right after it on both backends.
///
/// On SQLite the writes of concurrent requests are committed in groups
/// (`group_commit`): `f` may run on another request's thread and connection, and this
/// returns once its group committed.
pub fn write<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send,
) -> Result<T, E>
where
    T: Send,
    E: From<StoreError> + Send,
{
    if let Some(groups) = grouped(conn) {
        return groups.write(conn, f);
    }
    crate::feed::begin(conn);
    let result = transaction(conn, f);
    crate::feed::end(conn, result.is_ok());
    result
}

/// The queue of the database's writes, for a SQLite connection not in a transaction
/// already (a write inside another is a savepoint of it). Every pooled connection
/// carries its `ConnState`, so every SQLite write that is not nested is grouped.
fn grouped(conn: &mut DbConnection) -> Option<Arc<Groups>> {
    if !matches!(conn, DbConnection::Sqlite(_)) || in_transaction(conn) {
        return None;
    }
    ConnState::of(conn).map(|state| state.groups.clone())
}

fn in_transaction(conn: &mut DbConnection) -> bool {
    type Manager = <DbConnection as Connection>::TransactionManager;
    !matches!(
        Manager::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(None)
    )
}

/// A write not grouped: on PostgreSQL, or inside another write (a savepoint of it).
fn transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    conn.transaction(|conn| {
        let value = f(conn).map_err(TxError::App)?;
        crate::feed::before_commit(conn).map_err(|e| TxError::App(e.into()))?;
        Ok(value)
    })
    .map_err(TxError::into_app)
}

/// Lets `Connection::transaction` carry an application error next to Diesel's own.
enum TxError<E> {
    App(E),
    Db(diesel::result::Error),
}

impl<E> From<diesel::result::Error> for TxError<E> {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Db(e)
    }
}

impl<E: From<StoreError>> TxError<E> {
    fn into_app(self) -> E {
        match self {
            TxError::App(e) => e,
            TxError::Db(e) => StoreError::from(e).into(),
        }
    }
}

/// Runs an insert that may lose a race to an identical one: a duplicate key is not an
/// error. The insert gets its own savepoint, so on PostgreSQL a lost race does not
/// abort the surrounding transaction.
pub fn insert_unless_present(
    conn: &mut DbConnection,
    insert: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<usize>,
) -> Result<(), StoreError> {
    use diesel::result::{DatabaseErrorKind, Error};
    match conn.transaction(insert) {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_names_the_backend_and_a_sqlite_url_its_file() {
        assert_eq!(Backend::of("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of("postgresql://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of("sqlite://data/portal.db"), Backend::Sqlite);
        assert_eq!(Backend::of("data/portal.db"), Backend::Sqlite);
        assert_eq!(sqlite_path("sqlite://data/portal.db"), "data/portal.db");
        assert_eq!(sqlite_path("data/portal.db"), "data/portal.db");
        assert_eq!(sqlite_path(":memory:"), ":memory:");
    }
}
