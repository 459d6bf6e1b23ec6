//! Typed settings, read from the environment (and flags) once at start and checked
//! there, so that a bad value stops the process before it serves anything.

use std::time::Duration;

use clap::{Args, ValueEnum};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseSettings {
    /// A `postgres://` URL, or a SQLite file path.
    #[arg(long, env = "DATABASE_URL", default_value = "./data/portal.db")]
    pub database_url: String,
    /// Pooled connections (default on PostgreSQL four per core, from 8 to 32; on
    /// SQLite 8).
    #[arg(long, env = "PORTAL_DB_POOL_SIZE")]
    pub db_pool_size: Option<u32>,
    /// Seconds to wait for a free connection before answering 503.
    #[arg(long, env = "PORTAL_DB_ACQUIRE_TIMEOUT", default_value_t = 5)]
    pub db_acquire_timeout: u64,
    /// MiB of a SQLite file each connection memory-maps (at most 65536, the default:
    /// the whole file); 0 reads through each connection's page cache instead, which
    /// costs more memory and serves reads slower, but saves the remapping that every
    /// commit forces (bench/RESULTS.md, «The memory map as a setting»).
    #[arg(long, env = "PORTAL_SQLITE_MAP_MIB", default_value_t = 65536,
          value_parser = clap::value_parser!(u64).range(0..=65536))]
    pub sqlite_map_mib: u64,
}

impl DatabaseSettings {
    pub fn db_config(&self) -> persistence::DbConfig {
        // Each PostgreSQL connection is a blocking thread here and a process on the
        // server. A few per core hide the network round trips; many more only queue in
        // the scheduler and stretch the slowest answers without adding throughput, and
        // too few cut the write throughput (measure with `make bench` before changing
        // it). The cap keeps a few instances under PostgreSQL's default 100
        // connections. SQLite's writers queue on one lock whatever the size, and its
        // short reads run on the workers.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        let default_size = match persistence::Backend::of(&self.database_url) {
            persistence::Backend::Postgres => (4 * cores).clamp(8, 32),
            persistence::Backend::Sqlite => 8,
        };
        persistence::DbConfig {
            url: self.database_url.clone(),
            pool_size: self.db_pool_size.unwrap_or(default_size).max(1),
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout.max(1)),
            sqlite_map_bytes: self.sqlite_map_mib * 1024 * 1024,
        }
    }
}

/// Everything `portal serve` needs.
#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, env = "PORTAL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// HMAC secret for access tokens, at least 32 bytes. Required unless `--demo`.
    #[arg(long, env = "PORTAL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "PORTAL_ACCESS_TOKEN_TTL", default_value_t = 900)]
    pub access_token_ttl: i64,
    /// Lifetime of a session's refresh token, in seconds (default 30 days).
    #[arg(long, env = "PORTAL_REFRESH_TOKEN_TTL", default_value_t = 2_592_000)]
    pub refresh_token_ttl: i64,
    /// Seconds a session lasts without a refresh (default 30 minutes): a refresh token
    /// not used within this time no longer works, so an abandoned session ends.
    #[arg(long, env = "PORTAL_SESSION_IDLE_TIMEOUT", default_value_t = 1_800)]
    pub session_idle_timeout: i64,
    /// The web cabinet's address; links in e-mails point there, e.g. a password reset
    /// link to `{PORTAL_PUBLIC_URL}/password-reset?token=…`.
    #[arg(
        long,
        env = "PORTAL_PUBLIC_URL",
        default_value = "http://localhost:8080"
    )]
    pub public_url: String,
    /// Seconds a session that passed its check is trusted for reads without asking the
    /// database again; 0 (the default, measured faster beside the database) turns
    /// this off. Sign-out, blocking and admin changes take effect at once regardless,
    /// through every process (the change feed).
    #[arg(long, env = "PORTAL_SESSION_CACHE_SECONDS", default_value_t = 0)]
    pub session_cache_seconds: u64,
    /// Seconds the total of a centre's or an organisation's appeal list is reused while
    /// none of its appeals changes; 0 turns this off. A change retires the totals it
    /// affects at once, through every process (the change feed). A citizen's own list
    /// and every page itself are read afresh each time.
    #[arg(long, env = "PORTAL_CABINET_CACHE_SECONDS", default_value_t = 5)]
    pub cabinet_cache_seconds: u64,
    /// Seconds a page of the public vacancy search, and its total, is reused; 0 turns
    /// this off. A vacancy published, edited or closed through any process shows at
    /// once (the change feed).
    #[arg(long, env = "PORTAL_VACANCY_SEARCH_SECONDS", default_value_t = 5)]
    pub vacancy_search_seconds: u64,
    /// Comma-separated origins allowed by CORS, e.g. `https://cabinet.example`.
    #[arg(long, env = "PORTAL_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "PORTAL_WORKERS")]
    pub workers: Option<usize>,
    /// Seed demo data and accounts if absent, and allow a generated JWT secret. Runs
    /// only on a database that was empty when demo mode first ran, and on PostgreSQL
    /// only with `PORTAL_ALLOW_DEMO=1`.
    #[arg(long)]
    pub demo: bool,
    /// Allows `--demo` on PostgreSQL (a production engine: demo accounts have a known
    /// password).
    #[arg(
        long,
        env = "PORTAL_ALLOW_DEMO",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub allow_demo: bool,
    #[command(flatten)]
    pub mail: MailSettings,
    #[command(flatten)]
    pub jobs: JobSettings,
    #[command(flatten)]
    pub webhooks: WebhookSettings,
    /// Serves `GET /metrics` (Prometheus text format) to requests bearing this token
    /// (`Authorization: Bearer …`); unset, `/metrics` answers 404.
    #[arg(long, env = "PORTAL_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    #[command(flatten)]
    pub events: EventSettings,
    #[command(flatten)]
    pub retention: RetentionSettings,
    #[command(flatten)]
    pub esia: EsiaSettings,
    /// Sign-in attempts allowed per account per minute (guessing a password).
    #[arg(long, env = "PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT", default_value_t = 10)]
    pub login_attempts_per_account: u32,
    /// Sign-in attempts allowed per client address per minute (trying many accounts).
    #[arg(long, env = "PORTAL_LOGIN_ATTEMPTS_PER_ADDRESS", default_value_t = 60)]
    pub login_attempts_per_address: u32,
    /// Registrations allowed per client address per minute (each costs a password
    /// hash; a centre's terminal registers a few people an hour).
    #[arg(long, env = "PORTAL_REGISTRATIONS_PER_ADDRESS", default_value_t = 10)]
    pub registrations_per_address: u32,
    /// Token refreshes allowed per client address per minute (generous: many phones
    /// share a carrier's address).
    #[arg(long, env = "PORTAL_REFRESHES_PER_ADDRESS", default_value_t = 600)]
    pub refreshes_per_address: u32,
    /// Comma-separated addresses or CIDR networks of the balancers and proxies in
    /// front of the server, e.g. `10.0.0.0/8, 192.0.2.10`. A request from one of them
    /// counts as coming from the right-most address in its `X-Forwarded-For` that is
    /// not itself listed here; from any other peer the header is ignored. Empty (the
    /// default): the peer is the client.
    #[arg(long, env = "PORTAL_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// Where uploaded files are kept: a directory (created at start) or an
    /// S3-compatible URL such as `s3://bucket/prefix` (credentials from `AWS_*`).
    #[arg(long, env = "PORTAL_FILES", default_value = "./data/files")]
    pub files: String,
}

/// The proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// Whether `address` is one of the trusted proxies.
    pub fn contains(&self, address: &std::net::IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of addresses (`192.0.2.10`, `::1`) and networks
    /// (`10.0.0.0/8`, `fd00::/8`); blanks around the items are ignored.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        format!(
                            "PORTAL_TRUSTED_PROXIES: `{item}` is neither an IP address nor a network such as 10.0.0.0/8"
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

/// Sign-in through Госуслуги (ESIA, OpenID Connect). Without an issuer, client id,
/// secret and redirect URI the ESIA operations answer 404.
#[derive(Debug, Clone, Args, Default)]
pub struct EsiaSettings {
    /// The provider's issuer URL; its discovery document is
    /// `{issuer}/.well-known/openid-configuration`.
    #[arg(long, env = "PORTAL_ESIA_ISSUER")]
    pub esia_issuer: Option<String>,
    /// The portal's client id at the provider.
    #[arg(long, env = "PORTAL_ESIA_CLIENT_ID")]
    pub esia_client_id: Option<String>,
    /// The portal's client secret at the provider.
    #[arg(long, env = "PORTAL_ESIA_CLIENT_SECRET", hide_env_values = true)]
    pub esia_client_secret: Option<String>,
    /// Where the provider sends the person back with `code` and `state`: a page of the
    /// web cabinet, which posts them to `POST /api/v1/auth/esia/callback`.
    #[arg(long, env = "PORTAL_ESIA_REDIRECT_URI")]
    pub esia_redirect_uri: Option<String>,
}

/// Where outgoing e-mail goes: an SMTP server (`PORTAL_SMTP_URL`) or `.eml` files
/// (`PORTAL_MAIL_DIR`). With neither the server refuses to start, since mail written
/// only to the log is lost, unless `--demo` or `PORTAL_MAIL_LOG=1` asks for the log.
#[derive(Debug, Clone, Args, Default)]
pub struct MailSettings {
    /// e.g. `smtps://user:password@smtp.example.ru` or `smtp://127.0.0.1:2525`.
    #[arg(long, env = "PORTAL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// A folder for `.eml` files when there is no SMTP server.
    #[arg(long, env = "PORTAL_MAIL_DIR")]
    pub mail_dir: Option<std::path::PathBuf>,
    /// The sender address.
    #[arg(
        long,
        env = "PORTAL_MAIL_FROM",
        default_value = "Интерактивный портал <noreply@portal.localhost>"
    )]
    pub mail_from: String,
    /// Milliseconds between two passes over the outbox.
    #[arg(long, env = "PORTAL_MAIL_INTERVAL_MS", default_value_t = 5000)]
    pub mail_interval_ms: u64,
    /// With neither SMTP nor a mail folder, write e-mail to the log and mark it sent
    /// (development only: the mail is lost). `--demo` implies it.
    #[arg(
        long,
        env = "PORTAL_MAIL_LOG",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub mail_log: bool,
}

/// How the live event streams run (`GET /api/v1/events`, `api/src/routes/events.rs`).
#[derive(Debug, Clone, Args)]
pub struct EventSettings {
    /// Milliseconds between two heartbeats (an SSE comment) of a stream with nothing
    /// to say, which keep proxies from closing it; each also re-checks the session
    /// and the notifications in the database.
    #[arg(long, env = "PORTAL_EVENTS_HEARTBEAT_MS", default_value_t = 15_000)]
    pub heartbeat_ms: u64,
    /// Seconds a stream ticket (`POST /api/v1/events/ticket`) may be used, once.
    #[arg(long, env = "PORTAL_EVENTS_TICKET_SECONDS", default_value_t = 60)]
    pub ticket_seconds: u64,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            heartbeat_ms: 15_000,
            ticket_seconds: 60,
        }
    }
}

/// How often the background jobs look for work (`api/src/jobs.rs`).
#[derive(Debug, Clone, Args)]
pub struct JobSettings {
    /// Milliseconds between two looks for pending work: the notifications of saved
    /// searches that a new vacancy matches, and whether a periodic job (draft purge,
    /// vacancy reminders, retention) is due.
    #[arg(long, env = "PORTAL_JOBS_INTERVAL_MS", default_value_t = 1000)]
    pub jobs_interval_ms: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            jobs_interval_ms: 1000,
        }
    }
}

/// Delivering webhooks (`api/src/webhooks/`).
#[derive(Debug, Clone, Args)]
pub struct WebhookSettings {
    /// Milliseconds between two passes over the webhook outbox.
    #[arg(long, env = "PORTAL_WEBHOOKS_INTERVAL_MS", default_value_t = 1000)]
    pub webhooks_interval_ms: u64,
    /// Milliseconds from a failed delivery to its first retry; each further failure
    /// doubles the wait (at most six hours), and the tenth gives up.
    #[arg(long, env = "PORTAL_WEBHOOKS_RETRY_MS", default_value_t = 60_000)]
    pub webhooks_retry_ms: u64,
    /// For tests only: subscriptions may name http URLs and private, loopback or
    /// link-local addresses, which are otherwise refused (SSRF).
    #[arg(
        long,
        env = "PORTAL_WEBHOOKS_ALLOW_PRIVATE",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub webhooks_allow_private: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            webhooks_interval_ms: 1000,
            webhooks_retry_ms: 60_000,
            webhooks_allow_private: false,
        }
    }
}

impl WebhookSettings {
    pub fn policy(&self) -> crate::webhooks::Policy {
        crate::webhooks::Policy {
            allow_private: self.webhooks_allow_private,
        }
    }
}

/// How long personal data is kept once it no longer serves (152-FZ); the hourly job
/// deletes what is older.
#[derive(Debug, Clone, Args)]
pub struct RetentionSettings {
    /// Days the audit journal is kept. The database refuses to delete an entry younger
    /// than a year, so a smaller value is raised to 365.
    #[arg(long, env = "PORTAL_AUDIT_RETENTION_DAYS", default_value_t = 1095)]
    pub audit_retention_days: u32,
    /// Days an ended (expired or revoked) session and its refresh tokens are kept.
    #[arg(long, env = "PORTAL_SESSION_RETENTION_DAYS", default_value_t = 30)]
    pub session_retention_days: u32,
    /// Days a delivered e-mail stays in the outbox, and a delivered webhook in the log
    /// of its subscription.
    #[arg(long, env = "PORTAL_SENT_MAIL_RETENTION_DAYS", default_value_t = 30)]
    pub sent_mail_retention_days: u32,
    /// Days a read notification is kept.
    #[arg(
        long,
        env = "PORTAL_READ_NOTIFICATION_RETENTION_DAYS",
        default_value_t = 180
    )]
    pub read_notification_retention_days: u32,
}

/// The least the journal is kept: the database's own floor for deletions.
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 365;

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings {
            audit_retention_days: 1095,
            session_retention_days: 30,
            sent_mail_retention_days: 30,
            read_notification_retention_days: 180,
        }
    }
}

impl RetentionSettings {
    pub fn retention(&self) -> persistence::retention::Retention {
        let days = |d: u32| chrono::TimeDelta::days(i64::from(d));
        persistence::retention::Retention {
            audit: days(self.audit_retention_days.max(MIN_AUDIT_RETENTION_DAYS)),
            sessions: days(self.session_retention_days),
            sent_mail: days(self.sent_mail_retention_days),
            read_notifications: days(self.read_notification_retention_days),
        }
    }
}

/// The minimum length of the JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

/// Why a configured JWT secret is refused, or `None` for one that looks random: at
/// least `MIN_SECRET_LEN` bytes, not a short piece repeated, and about 128 bits by the
/// spread of its characters (a word or a pattern has far less than its length says).
pub fn weak_secret(secret: &str) -> Option<&'static str> {
    let bytes = secret.as_bytes();
    if bytes.len() < MIN_SECRET_LEN {
        return Some("it is shorter than 32 bytes");
    }
    let repeats = (1..=bytes.len() / 2).any(|period| {
        bytes
            .iter()
            .zip(&bytes[period..])
            .filter(|(a, b)| a == b)
            .count()
            * 10
            >= (bytes.len() - period) * 6
    });
    if repeats {
        return Some("it repeats itself");
    }
    let mut counts = [0usize; 256];
    for b in bytes {
        counts[usize::from(*b)] += 1;
    }
    let n = bytes.len() as f64;
    let bits_per_byte: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum();
    if bits_per_byte * n < 128.0 {
        return Some("it has too little variety to be random");
    }
    None
}

impl ServeSettings {
    /// The secret to sign with: the configured one, or in demo mode a random one.
    pub fn resolve_secret(&self) -> Result<Vec<u8>, String> {
        match &self.jwt_secret {
            Some(s) => match weak_secret(s) {
                None => Ok(s.as_bytes().to_vec()),
                Some(why) => Err(format!(
                    "PORTAL_JWT_SECRET is too weak: {why}; use a random one, e.g. `openssl rand -base64 48`"
                )),
            },
            None if self.demo => {
                tracing::warn!(
                    "PORTAL_JWT_SECRET is not set: using a random secret; tokens will not survive a restart"
                );
                Ok(crate::auth::refresh::generate().into_bytes())
            }
            None => Err(format!(
                "PORTAL_JWT_SECRET is required: a random secret of at least {MIN_SECRET_LEN} bytes, e.g. `openssl rand -base64 48`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{weak_secret, DatabaseSettings, TrustedProxies};

    #[derive(Parser)]
    struct Database {
        #[command(flatten)]
        settings: DatabaseSettings,
    }

    #[test]
    fn sqlite_maps_the_whole_file_unless_told_and_at_most_64_gib() {
        let map = |args: &[&str]| {
            Database::try_parse_from(std::iter::once("portal").chain(args.iter().copied()))
                .map(|d| d.settings.db_config().sqlite_map_bytes)
        };
        if std::env::var_os("PORTAL_SQLITE_MAP_MIB").is_none() {
            assert_eq!(map(&[]).unwrap(), persistence::SQLITE_MAP_MAX_BYTES);
        }
        assert_eq!(map(&["--sqlite-map-mib", "0"]).unwrap(), 0);
        assert_eq!(map(&["--sqlite-map-mib", "64"]).unwrap(), 64 << 20);
        assert_eq!(map(&["--sqlite-map-mib", "4096"]).unwrap(), 4096 << 20);
        for bad in ["65537", "-1", "much"] {
            assert!(map(&["--sqlite-map-mib", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let proxies: TrustedProxies = " 10.0.0.0/8, 192.0.2.10 ,fd00::/8,".parse().unwrap();
        for inside in ["10.1.2.3", "192.0.2.10", "fd00::1", "::ffff:10.9.9.9"] {
            assert!(proxies.contains(&inside.parse().unwrap()), "{inside}");
        }
        for outside in ["11.0.0.1", "192.0.2.11", "fe80::1", "127.0.0.1"] {
            assert!(!proxies.contains(&outside.parse().unwrap()), "{outside}");
        }
        assert!("".parse::<TrustedProxies>().unwrap().is_empty());
        for bad in ["10.0.0.0/33", "localhost", "10.0.0", "192.0.2.1, nonsense"] {
            let why = bad.parse::<TrustedProxies>().unwrap_err();
            assert!(why.contains("PORTAL_TRUSTED_PROXIES"), "{why}");
        }
    }

    #[test]
    fn random_secrets_pass_and_patterns_do_not() {
        for strong in [
            "q8Vn2LxR7tKp4WzH9mYc3JdF6sBg1NaE0uQiTo5Xv",
            "3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f0a9c7e5b3d1f8a2c4e6b0d9f7a",
            "Jx7Qm2Vt9Lp4Rz8Kw1Nc6Hs3Bd5Fg0Ya",
        ] {
            assert_eq!(weak_secret(strong), None, "{strong}");
        }
        for weak in [
            "short",
            "bench-secret-bench-secret-bench-secret",
            "test-secret-test-secret-test-secret-42",
            "abababababababababababababababababab",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "passwordpasswordpasswordpassword1",
            "0000000000000000000000000000000000000001",
        ] {
            assert!(weak_secret(weak).is_some(), "{weak}");
        }
    }
}
