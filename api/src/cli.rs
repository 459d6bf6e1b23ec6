//! The `portal` command: serve, migrate, print the OpenAPI document, manage accounts.

use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};
use domain::identifiers::Ogrn;
use domain::role::Role;
use persistence::accounts::{self, User};
use persistence::centres::{self, Centre};
use persistence::citizens::{self, NewCitizen};
use persistence::{new_id, organizations, Database};

use crate::auth::passwords;
use crate::config::{DatabaseSettings, LogFormat, ServeSettings};
use crate::startup::Application;
use crate::state::now;
use crate::{demo, openapi, telemetry};

#[derive(Debug, Parser)]
#[command(name = "portal", version, about = "The employment-service cabinet API")]
pub struct Cli {
    /// Log lines as `text` or `json`.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API.
    Serve(Box<ServeSettings>),
    /// Apply pending migrations and exit.
    Migrate(DatabaseSettings),
    /// Print the OpenAPI document as YAML.
    Openapi,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage employment centres.
    #[command(subcommand)]
    Centre(CentreCommand),
    /// Payments to citizens.
    #[command(subcommand)]
    Payments(PaymentsCommand),
    /// The outgoing mail queue.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Fill an empty database with a benchmark data set.
    Seed {
        #[arg(long, default_value_t = 10_000)]
        citizens: usize,
        #[arg(long, default_value_t = 100_000)]
        appeals: usize,
        #[arg(long, default_value_t = 100_000)]
        vacancies: usize,
        /// Monthly payments of each citizen, the latest pending, the rest paid.
        #[arg(long, default_value_t = 12)]
        payments_per_citizen: usize,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Citizen,
    Employer,
    Staff,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Create {
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
        /// The centre's code: required for staff, the default addressee for citizens.
        #[arg(long)]
        centre: Option<String>,
        /// The person's name as shown in the cabinet.
        #[arg(long)]
        name: Option<String>,
        /// For employers: the OGRN of the organisation the account joins (not as admin).
        #[arg(long)]
        organization: Option<String>,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Make a staff account a supervisor of its centre (reads the centre's audit
    /// journal), or with `--revoke` an ordinary one again.
    Supervisor {
        #[arg(long)]
        login: String,
        #[arg(long)]
        revoke: bool,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Debug, Subcommand)]
pub enum CentreCommand {
    /// Create an employment centre.
    Create {
        /// The code that starts its appeal numbers, e.g. `228`.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// Region code, e.g. `77`.
        #[arg(long)]
        region: String,
        #[arg(long)]
        address: String,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Debug, Subcommand)]
pub enum PaymentsCommand {
    /// Import payments from a CSV file with a header line and the columns citizen (SNILS
    /// or login), kind, amount (rubles), period_from, period_to, pay_date, status,
    /// comment. All rows or none are stored; a failing row is named by its line.
    Import {
        file: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// List the messages given up on after repeated failures (dead letters), most
    /// recent first.
    DeadLetters {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Give a dead letter a new round of attempts, from now (once its cause is fixed).
    Retry {
        id: String,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

fn say(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

pub async fn run(cli: Cli) -> Result<(), String> {
    telemetry::init(cli.log_format);
    match cli.command {
        Command::Serve(settings) => serve(*settings).await,
        Command::Migrate(database) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            // Opening the database applies them.
            let applied = db.migrated_at_open();
            say(format!(
                "Migrations are up to date ({applied} applied now)."
            ));
            Ok(())
        }
        Command::Openapi => {
            say(openapi::yaml()?.trim_end());
            Ok(())
        }
        Command::User(UserCommand::Create {
            role,
            login,
            password,
            centre,
            name,
            organization,
            database,
        }) => create_user(database, role, login, password, centre, name, organization),
        Command::User(UserCommand::Supervisor {
            login,
            revoke,
            database,
        }) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let mut conn = db.conn().map_err(|e| e.to_string())?;
            let user = accounts::find_by_login(&mut conn, &login)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no account {login}"))?;
            persistence::audit::set_supervisor(&mut conn, &user.id, !revoke)
                .map_err(|e| format!("{login} is not a staff account ({e})"))?;
            say(if revoke {
                format!("{login} is no longer a supervisor.")
            } else {
                format!("{login} now supervises its centre.")
            });
            Ok(())
        }
        Command::Payments(PaymentsCommand::Import { file, database }) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let stored =
                tokio::task::spawn_blocking(move || crate::import::payments_csv(&db, &file))
                    .await
                    .map_err(|e| e.to_string())??;
            say(format!("Imported {stored} payments."));
            Ok(())
        }
        Command::Mail(MailCommand::DeadLetters { limit, database }) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let mut conn = db.conn().map_err(|e| e.to_string())?;
            let dead = persistence::outbox::dead_letters(&mut conn, limit.max(1))
                .map_err(|e| e.to_string())?;
            for m in &dead {
                say(format!(
                    "{}\t{}\t{}\t{} attempts\t{}",
                    m.id,
                    m.dead_at.map(|t| t.to_string()).unwrap_or_default(),
                    m.recipient,
                    m.attempts,
                    m.last_error.as_deref().unwrap_or("")
                ));
            }
            say(format!("{} dead letters.", dead.len()));
            Ok(())
        }
        Command::Mail(MailCommand::Retry { id, database }) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let mut conn = db.conn().map_err(|e| e.to_string())?;
            if persistence::outbox::revive(&mut conn, &id, now()).map_err(|e| e.to_string())? {
                say(format!("{id} will be sent again."));
                Ok(())
            } else {
                Err(format!("{id} is not a dead letter"))
            }
        }
        Command::Seed {
            citizens,
            appeals,
            vacancies,
            payments_per_citizen,
            database,
        } => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let volume = crate::seed::Volume {
                citizens,
                appeals,
                vacancies,
                payments_per_citizen,
            };
            crate::seed::run(&db, volume, |step| say(format!("seeded {step}")))?;
            say(format!(
                "Accounts: bench.staff and bench.citizen.0 … bench.citizen.{}, password {}",
                citizens.saturating_sub(1),
                crate::seed::PASSWORD
            ));
            Ok(())
        }
        Command::Centre(CentreCommand::Create {
            code,
            name,
            region,
            address,
            database,
        }) => {
            let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
            let centre = Centre {
                id: new_id(),
                code,
                name,
                region_code: region,
                address,
                phone: None,
                email: None,
                latitude: None,
                longitude: None,
                created_at: now(),
            };
            let mut conn = db.conn().map_err(|e| e.to_string())?;
            centres::insert(&mut conn, &centre).map_err(|e| e.to_string())?;
            say(format!("Created centre {} ({}).", centre.code, centre.id));
            Ok(())
        }
    }
}

async fn serve(settings: ServeSettings) -> Result<(), String> {
    // Renamed once (it covered each reader's pages for a while): one set to 0 for
    // strict reads must not be ignored in silence.
    if std::env::var_os("PORTAL_APPEAL_TOTALS_SECONDS").is_some() {
        return Err("PORTAL_APPEAL_TOTALS_SECONDS is no longer read; \
                    set PORTAL_CABINET_CACHE_SECONDS instead"
            .into());
    }
    let secret = settings.resolve_secret()?;
    let config = settings.database.db_config();
    let db = actix_web::web::block(move || Database::open(&config))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot open the database: {e}"))?;
    if settings.demo {
        let seeding = db.clone();
        let allow_postgres = settings.allow_demo;
        actix_web::web::block(move || demo::prepare(&seeding, allow_postgres))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
    }
    let app = Application::build(&settings, db, &secret).map_err(|e| e.to_string())?;
    let host = settings
        .bind
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or("127.0.0.1");
    let base = format!("http://{host}:{}", app.port());
    say(format!("Serving the API at {base}/api/v1"));
    say(format!("Swagger UI: {base}/swagger-ui/"));
    if settings.demo {
        say(format!(
            "Demo accounts (password {}): {}, {} (organisation admin), {}, {}",
            demo::PASSWORD,
            demo::CITIZEN,
            demo::EMPLOYER,
            demo::EMPLOYER_MEMBER,
            demo::STAFF
        ));
    }
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

fn create_user(
    database: DatabaseSettings,
    role: RoleArg,
    login: String,
    password: String,
    centre: Option<String>,
    name: Option<String>,
    organization: Option<String>,
) -> Result<(), String> {
    crate::validation::login(&login)
        .map_err(|_| "the login must be 3-64 of a-z 0-9 . _ - @".to_string())?;
    domain::password::Password::parse(&password).map_err(|rules| {
        rules
            .iter()
            .map(|r| r.message())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let db = Database::open(&database.db_config()).map_err(|e| e.to_string())?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let conn = &mut *conn;
    let centre_id = match &centre {
        Some(code) => Some(
            centres::find_by_code(conn, code)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no centre with code {code}"))?
                .id,
        ),
        None => None,
    };
    let hash = passwords::hash(&password).map_err(|e| e.to_string())?;
    let display = name.clone().unwrap_or_else(|| login.clone());
    let role = match role {
        RoleArg::Citizen => Role::Citizen,
        RoleArg::Employer => Role::Employer,
        RoleArg::Staff => Role::Staff,
    };
    let user = User::new(
        role,
        &login,
        Some(hash),
        None,
        display.clone(),
        centre_id.clone(),
        now(),
    );
    match role {
        Role::Staff => {
            if centre_id.is_none() {
                return Err("staff accounts need --centre".into());
            }
            accounts::insert_user(conn, &user).map_err(|e| e.to_string())?;
        }
        Role::Citizen => {
            let mut parts = display.split_whitespace();
            let citizen = NewCitizen {
                last_name: parts.next().unwrap_or(&login).to_owned(),
                first_name: parts.next().unwrap_or("").to_owned(),
                middle_name: parts.next().map(str::to_owned),
                birth_date: None,
                snils: None,
                phone: None,
                registration_address: None,
                region_code: None,
            };
            citizens::register(conn, &user, &citizen).map_err(|e| e.to_string())?;
        }
        Role::Employer => {
            let ogrn = organization.ok_or("employer accounts need --organization OGRN")?;
            let ogrn = Ogrn::parse(&ogrn).map_err(|e| format!("OGRN {ogrn}: {e}"))?;
            let org = organizations::find_by_ogrn(conn, &ogrn)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no organisation with OGRN {ogrn}"))?;
            organizations::add_account(conn, &org.id, &user).map_err(|e| e.to_string())?;
        }
    }
    say(format!(
        "Created {role} account {} ({}).",
        user.login, user.id
    ));
    Ok(())
}
