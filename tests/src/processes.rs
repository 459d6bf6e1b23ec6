//! The `portal` binary started as real processes, as a deployment runs several behind
//! a balancer on one PostgreSQL database: what they share is only the database (and
//! here a mail folder). The binary is the one built next to the test executable
//! (`target/debug/portal`); `make test-sqlite` and `make test-postgres` build it first.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running `portal serve`, stopped when dropped.
pub struct Portal {
    child: Child,
    /// `http://127.0.0.1:PORT/api/v1`.
    pub base: String,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `target/debug/portal`: the test executable lives in `target/debug/deps`.
/// `PORTAL_TEST_BINARY` names another (a release build, for a measurement).
pub fn binary() -> PathBuf {
    if let Some(chosen) = std::env::var_os("PORTAL_TEST_BINARY") {
        return PathBuf::from(chosen);
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test executable is in target/<profile>/deps");
    let portal = dir.join("portal");
    assert!(
        portal.exists(),
        "{} is missing: build it with `cargo build -p portal-api --bin portal`",
        portal.display()
    );
    portal
}

/// Whether the tests run on PostgreSQL, where several processes can share a database.
pub fn on_postgres() -> bool {
    std::env::var("TEST_BACKEND").as_deref() == Ok("postgres")
}

/// The environment every started server gets: its database, the tests' signing key, a
/// free port and a quiet log. `extra` adds or overrides.
fn command(database_url: &str, extra: &[(&str, String)]) -> Command {
    let mut command = Command::new(binary());
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("PORTAL_BIND", "127.0.0.1:0")
        .env("PORTAL_JWT_SECRET", crate::SECRET)
        .env("PORTAL_DB_POOL_SIZE", "4")
        .env("PORTAL_WORKERS", "1")
        .env("RUST_LOG", "warn");
    for (key, value) in extra {
        command.env(key, value);
    }
    command
}

/// Starts `portal serve` on `database_url` and waits until it says where it listens.
pub async fn start(database_url: &str, extra: &[(&str, String)]) -> Portal {
    let mut command = command(database_url, extra);
    command.stderr(Stdio::inherit());
    launch(command).await
}

/// What a started server wrote to standard error (its log), collected as it runs.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<String>>);

impl Log {
    pub fn text(&self) -> String {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

/// [`start`], keeping the server's log for the test to read.
pub async fn start_logged(database_url: &str, extra: &[(&str, String)]) -> (Portal, Log) {
    let mut command = command(database_url, extra);
    command.stderr(Stdio::piped());
    let log = Log::default();
    let portal = launch_keeping(command, |child| {
        let stderr = child.stderr.take().expect("its log");
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut text) = kept.0.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        });
    })
    .await;
    (portal, log)
}

async fn launch(command: Command) -> Portal {
    launch_keeping(command, |_| {}).await
}

async fn launch_keeping(mut command: Command, keep: impl FnOnce(&mut Child)) -> Portal {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the portal binary");
    keep(&mut child);
    let stdout = child.stdout.take().expect("its output");
    let base = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let base = lines.by_ref().map_while(Result::ok).find_map(|line| {
            line.strip_prefix("Serving the API at ")
                .map(|b| b.trim().to_owned())
        });
        // Keep reading so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        base
    });
    let base = tokio::time::timeout(Duration::from_secs(60), base)
        .await
        .expect("the server starts within a minute")
        .unwrap();
    match base {
        Some(base) => Portal { child, base },
        None => {
            let status = child.wait();
            panic!("the server ended before serving: {status:?}")
        }
    }
}

/// Runs `portal serve` expecting it to refuse to start; returns what it printed on
/// standard error.
pub async fn refused(database_url: &str, extra: &[(&str, String)]) -> String {
    let mut child = command(database_url, extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the portal binary");
    let mut stderr = child.stderr.take().expect("its errors");
    let pid = child.id();
    let outcome = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        (child.wait().expect("the server exits"), text)
    });
    let Ok(outcome) = tokio::time::timeout(Duration::from_secs(30), outcome).await else {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("the server started instead of refusing");
    };
    let (status, text) = outcome.unwrap();
    assert!(!status.success(), "the server started; it said: {text}");
    text
}
