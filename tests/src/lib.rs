//! Test harness: `spawn_app()` starts the real server on a free port against a fresh
//! database of the backend chosen by `TEST_BACKEND` (`sqlite`, the default, or
//! `postgres` with `TEST_POSTGRES_URL`), and `TestApp` talks to it over HTTP like any
//! client.

use std::time::Duration;

pub mod smtp;

pub mod events;
pub mod files;

pub mod oidc;

pub mod processes;
pub mod spec;

pub mod receiver;
pub mod tls_front;

use api::config::{DatabaseSettings, ServeSettings};
use api::startup::Application;
use diesel::{Connection, PgConnection, RunQueryDsl};
use domain::role::Role;
use persistence::accounts::{self, User};
use persistence::centres::{self, Centre};
use persistence::Database;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

pub const PASSWORD: &str = "Test-password-1";
/// The tests' signing key (random-looking, as `PORTAL_JWT_SECRET` must be).
pub const SECRET: &str = "tQ4m8Zr1Vx6Kc9Wn3Hb7Lp2Jf5Ds0Ga-Ye";

/// Test connections to the local server go without TLS. With TLS, OpenSSL's exit
/// handlers can free its state while a server thread of the finished test binary
/// still holds a connection, and the binary dies with SIGSEGV after every test passed.
const NO_TLS: &str = "?sslmode=disable";

/// A fresh database that disappears with the test.
enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { server, name } = self {
            if let Ok(mut conn) = PgConnection::establish(&format!("{server}/postgres{NO_TLS}")) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn);
            }
        }
    }
}

fn fresh_database() -> (String, TestDb) {
    fresh_database_made_with("")
}

/// [`fresh_database`], PostgreSQL's made with `options` after `CREATE DATABASE name`
/// (a collation, say).
fn fresh_database_made_with(options: &str) -> (String, TestDb) {
    match std::env::var("TEST_BACKEND").as_deref() {
        Ok("postgres") => {
            let server = std::env::var("TEST_POSTGRES_URL")
                .expect("TEST_BACKEND=postgres needs TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432")
                .trim_end_matches('/')
                .to_owned();
            let name = format!("portal_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = PgConnection::establish(&format!("{server}/postgres{NO_TLS}"))
                .expect("the PostgreSQL server of TEST_POSTGRES_URL answers");
            diesel::sql_query(format!("CREATE DATABASE \"{name}\" {options}"))
                .execute(&mut conn)
                .expect("create a test database");
            (
                format!("{server}/{name}{NO_TLS}"),
                TestDb::Postgres { server, name },
            )
        }
        Ok("sqlite") | Err(_) => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = dir.path().join("portal.db").to_string_lossy().into_owned();
            (url, TestDb::Sqlite(dir))
        }
        Ok(other) => panic!("unknown TEST_BACKEND {other}: use sqlite or postgres"),
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    /// The request answered: its method and path.
    pub request: (String, String),
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {:#}",
            self.body
        );
        self
    }

    /// Asserts a problem+json error of this status and code.
    #[track_caller]
    pub fn expect_problem(self, status: u16, code: &str) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {:#}",
            self.body
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "problem content type"
        );
        assert_eq!(self.body["status"], status, "{:#}", self.body);
        assert_eq!(self.body["code"], code, "{:#}", self.body);
        assert!(self.body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("/problems/")));
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
        spec::lists_problem(&self.request.0, &self.request.1, status, code);
        self
    }

    /// The fields named in a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub access: String,
    pub refresh: String,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Database,
    /// The centre every test starts with (code `228`).
    pub centre_id: String,
    _database: TestDb,
    /// The object store's directory: tests look inside it.
    pub files_dir: tempfile::TempDir,
    /// The settings the server runs with, for [`TestApp::another_server`].
    pub settings: ServeSettings,
}

/// A migrated database of the test's backend with nothing in it, and no server.
pub struct EmptyDatabase {
    pub db: Database,
    /// Its URL, for servers started as processes (`processes::Portal`).
    pub url: String,
    _database: TestDb,
}

/// A fresh database of the backend under test with no migration applied, for tests
/// that apply them one by one.
pub struct UnmigratedDatabase {
    pub url: String,
    _database: TestDb,
}

pub fn unmigrated_database() -> UnmigratedDatabase {
    unmigrated_database_made_with("")
}

/// [`unmigrated_database`], PostgreSQL's made with `options` (SQLite ignores them).
pub fn unmigrated_database_made_with(options: &str) -> UnmigratedDatabase {
    let (url, guard) = fresh_database_made_with(options);
    UnmigratedDatabase {
        url,
        _database: guard,
    }
}

pub async fn empty_database() -> EmptyDatabase {
    let (database_url, guard) = fresh_database();
    let url = database_url.clone();
    let config = DatabaseSettings {
        database_url,
        db_pool_size: Some(2),
        db_acquire_timeout: 5,
        sqlite_map_mib: 2048,
    }
    .db_config();
    let db = tokio::task::spawn_blocking(move || Database::open(&config))
        .await
        .unwrap()
        .expect("open and migrate the test database");
    EmptyDatabase {
        db,
        url,
        _database: guard,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with settings adjusted first (an SMTP server, say).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut ServeSettings)) -> TestApp {
    let (url, guard) = fresh_database();
    let files_dir = tempfile::tempdir().expect("a temporary directory for files");
    let mut settings = ServeSettings {
        database: DatabaseSettings {
            database_url: url,
            db_pool_size: Some(4),
            db_acquire_timeout: 5,
            // The server's default; the persistence suite reads unmapped.
            sqlite_map_mib: 2048,
        },
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some(SECRET.into()),
        access_token_ttl: 900,
        refresh_token_ttl: 3600,
        session_idle_timeout: 1800,
        public_url: "https://cabinet.example".into(),
        // On (it is off by default): the tests that end sessions prove the cache, for
        // deployments that turn it on, forgets them.
        session_cache_seconds: 5,
        // As deployed: the tests that change appeals prove that the shared lists'
        // totals follow.
        cabinet_cache_seconds: 5,
        // As deployed: the tests that publish vacancies prove the search follows.
        vacancy_search_seconds: 5,
        cors_origins: vec!["https://cabinet.example".into()],
        workers: Some(1),
        demo: false,
        allow_demo: false,
        mail: api::config::MailSettings {
            smtp_url: None,
            mail_dir: None,
            mail_from: "Портал <noreply@portal.localhost>".into(),
            // Idle unless a test needs delivery: every test's server has its own thread.
            mail_interval_ms: 3_600_000,
            // No sink to set up: mail that a test does not deliver stays in the outbox.
            mail_log: true,
        },
        // Saved-search notifications follow a publication at once: tests wait for
        // them with `TestApp::settle_jobs`.
        jobs: api::config::JobSettings {
            jobs_interval_ms: 50,
        },
        // Deliveries follow at once; a failure is retried a moment later. Private
        // addresses stay refused unless a test allows them (its receiver is local).
        webhooks: api::config::WebhookSettings {
            webhooks_interval_ms: 50,
            webhooks_retry_ms: 300,
            webhooks_allow_private: false,
        },
        metrics_token: None,
        // Heartbeats often enough for a test to see one.
        events: api::config::EventSettings {
            heartbeat_ms: 300,
            ticket_seconds: 60,
        },
        retention: Default::default(),
        esia: api::config::EsiaSettings::default(),
        login_attempts_per_account: 10,
        login_attempts_per_address: 60,
        // Tests register many people from one address; the throttle test lowers it.
        registrations_per_address: 10_000,
        refreshes_per_address: 10_000,
        // No proxy in front: the peer is the client. A test that plays the balancer sets
        // `s.trusted_proxies = "127.0.0.1".parse().unwrap()`.
        trusted_proxies: Default::default(),
        files: files_dir.path().to_string_lossy().into_owned(),
    };
    adjust(&mut settings);
    let config = settings.database.db_config();
    let db = tokio::task::spawn_blocking(move || Database::open(&config))
        .await
        .unwrap()
        .expect("open and migrate the test database");
    let centre_id = insert_centre(&db, "228", "ГКУ ЦЗН «Центральный»").await;
    let app = Application::build(&settings, db.clone(), SECRET.as_bytes()).expect("bind");
    let settings_kept = settings.clone();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        db,
        centre_id,
        _database: guard,
        files_dir,
        settings: settings_kept,
    }
}

/// Adds a centre in Moscow to `db`; returns its id.
pub async fn insert_centre(db: &Database, code: &str, name: &str) -> String {
    let db = db.clone();
    let centre = Centre {
        id: persistence::new_id(),
        code: code.into(),
        name: name.into(),
        region_code: "77".into(),
        address: "г. Москва".into(),
        phone: None,
        email: None,
        latitude: None,
        longitude: None,
        created_at: chrono::Utc::now().naive_utc(),
    };
    let id = centre.id.clone();
    tokio::task::spawn_blocking(move || centres::insert(&mut db.conn().unwrap(), &centre))
        .await
        .unwrap()
        .expect("insert a centre");
    id
}

/// A citizen's registration body with every field filled.
pub fn citizen_body(login: &str) -> Value {
    json!({
        "login": login,
        "password": PASSWORD,
        "email": format!("{login}@example.ru"),
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Иванович",
        "birth_date": "1990-05-17",
        "phone": "+7 (495) 123-45-67",
        "registration_address": "г. Москва, ул. Тверская, д. 1",
        "region_code": "77"
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("/health")
            || path.starts_with("/api-docs")
            || path.starts_with("/swagger")
        {
            format!("{}{path}", self.base)
        } else {
            format!("{}/api/v1{path}", self.base)
        }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let (client, request) = req.build_split();
        let request = request.expect("a well-formed request");
        let asked = (
            request.method().to_string(),
            request.url().path().to_owned(),
        );
        let res = client.execute(request).await.expect("the server answers");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("a body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Resp {
            status,
            headers,
            body,
            request: asked,
        }
    }

    fn authed(&self, req: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(self.authed(self.client.get(self.url(path)), token))
            .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.send(
            self.authed(self.client.post(self.url(path)), token)
                .json(&body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.send(
            self.authed(self.client.patch(self.url(path)), token)
                .json(&body),
        )
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(self.authed(self.client.delete(self.url(path)), token))
            .await
    }

    /// A raw body, for malformed input.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let req = self
            .authed(self.client.post(self.url(path)), token)
            .header("content-type", content_type)
            .body(body);
        self.send(req).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Resp {
        self.post(
            "/auth/login",
            None,
            json!({"login": login, "password": password}),
        )
        .await
    }

    /// Registers a citizen (at the default centre) and returns the session.
    pub async fn citizen(&self, login: &str) -> Session {
        let mut body = citizen_body(login);
        body["centre_id"] = json!(self.centre_id);
        let r = self.post("/auth/register", None, body).await.expect(201);
        session(&r.body)
    }

    /// Creates a staff account of `centre_id` (as `portal user create` does) and signs in.
    pub async fn staff_of(&self, login: &str, centre_id: &str) -> Session {
        let db = self.db.clone();
        let (login_owned, centre) = (login.to_owned(), centre_id.to_owned());
        tokio::task::spawn_blocking(move || {
            let hash = api::auth::passwords::hash(PASSWORD).unwrap();
            let user = User::new(
                Role::Staff,
                &login_owned,
                Some(hash),
                None,
                "Сотрудник ЦЗН".into(),
                Some(centre),
                chrono::Utc::now().naive_utc(),
            );
            accounts::insert_user(&mut db.conn().unwrap(), &user).unwrap();
        })
        .await
        .unwrap();
        let r = self.login(login, PASSWORD).await.expect(200);
        session(&r.body)
    }

    pub async fn staff(&self, login: &str) -> Session {
        self.staff_of(login, &self.centre_id.clone()).await
    }

    /// An organisation with its admin account and one ordinary account, both signed in.
    pub async fn organization(&self, ogrn: &str, inn: &str) -> (Session, Session) {
        let db = self.db.clone();
        let (ogrn, inn, centre) = (ogrn.to_owned(), inn.to_owned(), self.centre_id.clone());
        let prefix = format!("org{ogrn}");
        let logins = (format!("{prefix}.admin"), format!("{prefix}.member"));
        let (admin_login, member_login) = logins.clone();
        tokio::task::spawn_blocking(move || {
            let now = chrono::Utc::now().naive_utc();
            let hash = api::auth::passwords::hash(PASSWORD).unwrap();
            let org = persistence::organizations::NewOrganization {
                details: domain::organization::Details::new(
                    format!("ООО «{ogrn}»"),
                    format!("Общество с ограниченной ответственностью «{ogrn}»"),
                    domain::identifiers::Ogrn::parse(&ogrn).unwrap(),
                    domain::identifiers::Inn::parse(&inn).unwrap(),
                ),
                centre_id: Some(centre.clone()),
                rating: 4.0,
            };
            let user = |login: &str| {
                User::new(
                    Role::Employer,
                    login,
                    Some(hash.clone()),
                    None,
                    login.into(),
                    Some(centre.clone()),
                    now,
                )
            };
            let conn = &mut db.conn().unwrap();
            let id =
                persistence::organizations::register(conn, &org, &user(&admin_login), now).unwrap();
            persistence::organizations::mark_verified(conn, &id, "test", now).unwrap();
            persistence::organizations::add_account(conn, &id, &user(&member_login)).unwrap();
        })
        .await
        .unwrap();
        let admin = session(&self.login(&logins.0, PASSWORD).await.expect(200).body);
        let member = session(&self.login(&logins.1, PASSWORD).await.expect(200).body);
        (admin, member)
    }

    /// A centre with coordinates, for the nearest-centre search.
    pub async fn centre_at(
        &self,
        code: &str,
        region: &str,
        latitude: f64,
        longitude: f64,
    ) -> String {
        let db = self.db.clone();
        let centre = Centre {
            id: persistence::new_id(),
            code: code.into(),
            name: format!("ЦЗН {code}"),
            region_code: region.into(),
            address: format!("Адрес ЦЗН {code}"),
            phone: None,
            email: None,
            latitude: Some(latitude),
            longitude: Some(longitude),
            created_at: chrono::Utc::now().naive_utc(),
        };
        let id = centre.id.clone();
        tokio::task::spawn_blocking(move || centres::insert(&mut db.conn().unwrap(), &centre))
            .await
            .unwrap()
            .unwrap();
        id
    }

    /// A second server over the same database, as another process of one deployment
    /// would be: it shares nothing with the first but the data. Returns its API base
    /// (`http://127.0.0.1:PORT/api/v1`).
    pub fn another_server(&self) -> String {
        let app =
            Application::build(&self.settings, self.db.clone(), SECRET.as_bytes()).expect("bind");
        let base = format!("http://127.0.0.1:{}/api/v1", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }

    /// A session of `login` as if it had signed in through ESIA (the identity provider
    /// itself is outside this service): opened in the store, token minted with the
    /// server's key.
    pub async fn esia_session(&self, login: &str) -> Session {
        let db = self.db.clone();
        let login = login.to_owned();
        let session = tokio::task::spawn_blocking(move || {
            let conn = &mut db.conn().unwrap();
            let user = accounts::find_by_login(conn, &login)
                .unwrap()
                .expect("the account exists");
            let terms = accounts::SessionTerms {
                refresh_ttl: chrono::TimeDelta::hours(1),
                idle_ttl: chrono::TimeDelta::minutes(30),
            };
            let digest = api::auth::refresh::digest("esia-test-refresh");
            accounts::open_session(
                conn,
                &user,
                "esia",
                &digest,
                terms,
                chrono::Utc::now().naive_utc(),
            )
            .unwrap()
        })
        .await
        .unwrap();
        let keys = api::auth::jwt::Keys::new(SECRET.as_bytes(), 900);
        let access = keys
            .issue(
                &session.user_id,
                &session.session_id,
                "citizen",
                chrono::Utc::now().timestamp(),
            )
            .unwrap();
        Session {
            user_id: session.user_id,
            access,
            refresh: "esia-test-refresh".into(),
        }
    }

    /// Runs a closure with a database connection, to arrange or inspect state the API
    /// does not expose (time passing, the mail queue).
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut persistence::DbConnection) -> T + Send + 'static,
    ) -> T {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&mut db.conn().unwrap()))
            .await
            .unwrap()
    }

    /// Waits until this server's change feed listens, which it says by answering
    /// `/health/ready` (at once on SQLite, where there is nothing to listen to). Its
    /// first connection makes the server forget all it remembered, so a test that
    /// counts on a value being remembered starts after it.
    pub async fn wait_for_the_feed(&self) {
        for _ in 0..100 {
            if self.get("/health/ready", None).await.status == 200 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server was not ready (its change feed listening) within 5 s");
    }

    /// Waits for the echo of this server's own last write: on PostgreSQL a commit is
    /// applied to what the server remembers at once and again when its `NOTIFY`
    /// arrives, a moment later (later still on a loaded machine). A test that shows a
    /// remembered answer outliving a change the server was not told of remembers that
    /// answer only after the echo, or the echo would drop it.
    pub async fn let_the_feed_echo(&self) {
        tokio::time::sleep(Duration::from_millis(750)).await;
    }

    /// Waits until the background jobs have announced every published vacancy to the
    /// owners of matching saved searches and delivered every staff news (they run
    /// every 50 ms in tests).
    pub async fn settle_jobs(&self) {
        for _ in 0..500 {
            let pending = self
                .with_db(|conn| {
                    persistence::vacancy_fanout::pending(conn).unwrap()
                        + persistence::news::pending(conn).unwrap()
                })
                .await;
            if pending == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("saved-search notifications or news still pending after 10 s");
    }

    /// An organisation's registration body addressed to the default centre.
    pub fn employer_body(&self, login: &str, ogrn: &str, inn: &str, kpp: Option<&str>) -> Value {
        let mut body = employer_body(login, ogrn, inn, kpp);
        body["organization"]["centre_id"] = json!(self.centre_id);
        body
    }

    /// Registers an organisation through the API (addressed to the default centre) and
    /// returns its admin's session.
    pub async fn employer(&self, login: &str, ogrn: &str, inn: &str, kpp: Option<&str>) -> Session {
        let mut body = employer_body(login, ogrn, inn, kpp);
        body["organization"]["centre_id"] = json!(self.centre_id);
        let admin = session(
            &self
                .post("/auth/register/employer", None, body)
                .await
                .expect(201)
                .body,
        );
        self.verify_organization(ogrn).await;
        admin
    }

    /// Marks the organisation of `ogrn` verified, as centre staff would after seeing
    /// its documents: registered by hand it could not publish or send reports.
    pub async fn verify_organization(&self, ogrn: &str) {
        let ogrn = domain::identifiers::Ogrn::parse(ogrn).expect("a valid OGRN");
        self.with_db(move |conn| {
            let org = persistence::organizations::find_by_ogrn(conn, &ogrn)
                .unwrap()
                .expect("the organisation exists");
            let now = chrono::Utc::now().naive_utc();
            persistence::organizations::mark_verified(conn, &org.id, "test", now).unwrap();
        })
        .await;
    }

    /// Adds a contact with a cabinet to the admin's organisation; returns the contact id
    /// and the new account's session.
    pub async fn member(&self, admin: &Session, login: &str) -> (String, Session) {
        let contact = self
            .post(
                "/employer/contacts",
                Some(&admin.access),
                json!({"last_name": "Сотрудник", "first_name": login}),
            )
            .await
            .expect(201)
            .body;
        let id = contact["id"].as_str().unwrap().to_owned();
        self.post(
            &format!("/employer/contacts/{id}/account"),
            Some(&admin.access),
            json!({"login": login, "password": PASSWORD}),
        )
        .await
        .expect(201);
        (
            id,
            session(&self.login(login, PASSWORD).await.expect(200).body),
        )
    }

    /// Publishes a vacancy as `employer` and returns its body.
    pub async fn post_vacancy(&self, employer: &Session, body: Value) -> Value {
        self.post("/employer/vacancies", Some(&employer.access), body)
            .await
            .expect(201)
            .body["vacancy"]
            .clone()
    }

    /// Another centre, for tests of what staff elsewhere may not do.
    pub async fn other_centre(&self) -> String {
        insert_centre(&self.db, "555", "ГКУ ЦЗН «Северный»").await
    }

    /// Files a general inquiry and returns its body.
    pub async fn file_appeal(&self, token: &str, text: &str) -> Value {
        self.post(
            "/appeals",
            Some(token),
            json!({"type": "general_inquiry", "body": text}),
        )
        .await
        .expect(201)
        .body
    }

    pub async fn transition(
        &self,
        token: &str,
        appeal_id: &str,
        to: &str,
        comment: Option<&str>,
    ) -> Resp {
        self.post(
            &format!("/appeals/{appeal_id}/transitions"),
            Some(token),
            json!({"to": to, "comment": comment}),
        )
        .await
    }
}

/// Reads the tokens of a login or registration answer.
pub fn session(body: &Value) -> Session {
    let access = body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    Session {
        user_id: body["user_id"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default(),
        refresh: body["refresh_token"]
            .as_str()
            .expect("refresh_token")
            .to_owned(),
        access,
    }
}

/// A vacancy body with every required field; override what a test cares about.
/// A cook's vacancy of no registered employer, published behind the server's back.
pub fn new_vacancy(title: &str, region: &str) -> persistence::vacancies::NewVacancy {
    persistence::vacancies::NewVacancy {
        organization_id: None,
        employer_name: "ООО «Ромашка»".into(),
        employer_rating: 4.0,
        title: title.into(),
        profession_code: None,
        category: "services".into(),
        region_code: region.into(),
        address: None,
        employment_type: domain::vacancy::EmploymentType::FullTime,
        schedule: domain::vacancy::Schedule::Shift,
        experience: domain::vacancy::Experience::From1To3,
        education: None,
        salary_from: Some(60_000),
        salary_to: None,
        benefits: vec![],
        description: "Описание".into(),
    }
}

pub fn vacancy_body(title: &str, region: &str) -> Value {
    json!({
        "title": title,
        "profession_code": "16675",
        "category": "services",
        "region_code": region,
        "address": "г. Москва, ул. Арбат, д. 10",
        "employment_type": "full_time",
        "schedule": "shift",
        "experience": "from_1_to_3",
        "education": "secondary_vocational",
        "salary_from": 60000,
        "salary_to": 80000,
        "benefits": ["meals"],
        "description": "Описание вакансии"
    })
}

/// Merges `changes` into `base` (one level deep).
pub fn with(mut base: Value, changes: Value) -> Value {
    if let (Some(b), Some(c)) = (base.as_object_mut(), changes.as_object()) {
        for (k, v) in c {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

/// An organisation's self-registration with every field filled (an LLC by default).
pub fn employer_body(login: &str, ogrn: &str, inn: &str, kpp: Option<&str>) -> Value {
    json!({
        "login": login,
        "password": PASSWORD,
        "email": format!("{login}@example.ru"),
        "contact": {"last_name": "Кузнецов", "first_name": "Дмитрий", "position": "Директор", "phones": ["+7 495 000-00-01"]},
        "organization": {
            "name": format!("ООО «{login}»"),
            "full_name": format!("Общество с ограниченной ответственностью «{login}»"),
            "ogrn": ogrn, "inn": inn, "kpp": kpp,
            "legal_address": "г. Москва, ул. Вавилова, д. 19",
            "legal_form": "Общество с ограниченной ответственностью",
            "headcount": 100
        }
    })
}
