//! A real OpenID provider standing in for Госуслуги: `tests/oidc/provider.js` on the
//! `oidc-provider` package from npm, started on a free port for one test and stopped
//! with it. Its test people (`citizen`, `twin`, `staffmade`, `director`, `nosnils`)
//! carry SNILS and organisation claims; [`OidcProvider::authorize`] walks its pages
//! with plain HTTP to the code, as a browser would.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use api::config::EsiaSettings;

/// The redirect URI registered for the portal at the test provider.
pub const REDIRECT_URI: &str = "https://cabinet.example/esia/callback";
pub const CLIENT_ID: &str = "portal";
pub const CLIENT_SECRET: &str = "portal-test-secret";

fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("oidc")
}

/// Installs the provider's packages from `package-lock.json` once (`make test` and
/// `.ci/run` do it before the suite; this covers a bare `cargo test`).
fn installed() {
    static DONE: Mutex<bool> = Mutex::new(false);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if *done || directory().join("node_modules/oidc-provider").exists() {
        *done = true;
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--silent"])
        .current_dir(directory())
        .status()
        .expect("npm runs (Node.js is needed for the ESIA tests)");
    assert!(status.success(), "npm ci in tests/oidc failed");
    *done = true;
}

/// The running provider; stopped when dropped.
pub struct OidcProvider {
    child: Child,
    pub issuer: String,
}

impl OidcProvider {
    /// Starts the provider with extra environment (`ID_TOKEN_TTL`, `TAMPER_ID_TOKEN`).
    pub async fn start_with(env: &[(&str, &str)]) -> OidcProvider {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        tokio::task::spawn_blocking(move || {
            installed();
            let mut child = Command::new("node")
                .arg("provider.js")
                .current_dir(directory())
                .envs(env)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("node runs (Node.js is needed for the ESIA tests)");
            let stdout = child.stdout.take().expect("the provider's stdout");
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            reader
                .read_line(&mut line)
                .expect("the provider says where it listens");
            // Whatever it prints later is drained, so that it never writes to a closed pipe.
            std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
            let ready: serde_json::Value =
                serde_json::from_str(&line).expect("the provider's first line is JSON");
            let issuer = ready["issuer"].as_str().expect("an issuer").to_owned();
            OidcProvider { child, issuer }
        })
        .await
        .unwrap()
    }

    pub async fn start() -> OidcProvider {
        Self::start_with(&[]).await
    }

    /// The portal's settings for this provider.
    pub fn settings(&self) -> EsiaSettings {
        EsiaSettings {
            esia_issuer: Some(self.issuer.clone()),
            esia_client_id: Some(CLIENT_ID.into()),
            esia_client_secret: Some(CLIENT_SECRET.into()),
            esia_redirect_uri: Some(REDIRECT_URI.into()),
        }
    }

    /// Stops the provider now (the "Госуслуги are down" case).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Follows the authorization URL through the provider's pages as `person` (sent
    /// as `login_hint`) and returns what comes back to the redirect URI: the query
    /// parameters, `code` and `state` among them.
    pub async fn authorize(
        &self,
        authorization_url: &str,
        person: &str,
    ) -> BTreeMap<String, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut url = reqwest::Url::parse(authorization_url).expect("a URL");
        assert!(
            url.as_str().starts_with(&self.issuer),
            "the URL points at the provider: {url}"
        );
        url.query_pairs_mut().append_pair("login_hint", person);
        let mut cookies: BTreeMap<String, String> = BTreeMap::new();
        for _ in 0..10 {
            let cookie = cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let res = client
                .get(url.clone())
                .header("cookie", cookie)
                .send()
                .await
                .expect("the provider answers");
            for set in res.headers().get_all("set-cookie") {
                let set = set.to_str().unwrap_or_default();
                if let Some((name, value)) = set.split(';').next().and_then(|p| p.split_once('=')) {
                    cookies.insert(name.trim().to_owned(), value.to_owned());
                }
            }
            let location = res
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("a redirect from {url}, got {}", res.status()));
            let next = url.join(&location).expect("a redirect URL");
            if next.as_str().starts_with(REDIRECT_URI) {
                return next.query_pairs().into_owned().collect();
            }
            url = next;
        }
        panic!("the provider never sent the person back");
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.stop();
    }
}
