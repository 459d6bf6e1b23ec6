//! TLS for the listener's connection, read from the same `DATABASE_URL` as the pool's.
//!
//! The pool connects through libpq, which knows `sslmode` (`disable`, `allow`,
//! `prefer`, `require`, `verify-ca`, `verify-full`) and `sslrootcert`; `tokio-postgres`
//! knows only the first three modes and refuses any other TLS option. So those two are
//! taken out of the URL here and applied as libpq would: `prefer` (the default) and
//! `require` encrypt without checking the server's certificate, unless `sslrootcert`
//! names the authorities to check it against; `verify-ca` checks that it was issued by
//! one of them; `verify-full` also that it names the host. A client certificate
//! (`sslcert`, `sslkey`) is refused with a clear error rather than left out silently.

use postgres_native_tls::MakeTlsConnector;
use tokio_postgres::config::SslMode;

/// TLS options libpq knows that the listener does not.
const UNSUPPORTED: [&str; 4] = ["sslcert", "sslkey", "sslpassword", "sslcrl"];

/// What the server's certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Nothing: the connection is encrypted, not authenticated.
    Nothing,
    /// Issued by a trusted authority.
    Authority,
    /// Issued by a trusted authority, for the host connected to.
    AuthorityAndHost,
}

/// The TLS settings of a connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    mode: SslMode,
    check: Check,
    /// A file of PEM certificates; `None`: the system's authorities.
    root_certificates: Option<String>,
}

/// The listener's configuration and TLS connector for `url`.
pub fn configure(url: &str) -> Result<(tokio_postgres::Config, MakeTlsConnector), String> {
    let (rest, options) = split_tls_options(url)?;
    let settings = settings(&options)?;
    let mut config: tokio_postgres::Config = rest.parse().map_err(|e| format!("{e}"))?;
    config.ssl_mode(settings.mode);
    Ok((config, MakeTlsConnector::new(connector(&settings)?)))
}

/// The connection string without its TLS options, and those options.
fn split_tls_options(url: &str) -> Result<(String, Vec<(String, String)>), String> {
    let is_tls = |key: &str| key == "sslmode" || key == "sslrootcert";
    let refuse = |key: &str| {
        Err(format!(
            "`{key}` in DATABASE_URL is not supported by the change feed's listener"
        ))
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let mut parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
        let (mut tls, mut others) = (Vec::new(), Vec::new());
        for (key, value) in parsed.query_pairs() {
            if UNSUPPORTED.contains(&key.as_ref()) {
                return refuse(&key);
            }
            let pair = (key.into_owned(), value.into_owned());
            if is_tls(&pair.0) {
                tls.push(pair);
            } else {
                others.push(pair);
            }
        }
        if others.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(others);
        }
        return Ok((parsed.into(), tls));
    }
    // `key=value` words (values with spaces in quotes are not read here).
    let (mut tls, mut others) = (Vec::new(), Vec::new());
    for word in url.split_whitespace() {
        match word.split_once('=') {
            Some((key, _)) if UNSUPPORTED.contains(&key) => return refuse(key),
            Some((key, value)) if is_tls(key) => tls.push((key.to_owned(), value.to_owned())),
            _ => others.push(word),
        }
    }
    Ok((others.join(" "), tls))
}

/// What libpq would make of these options.
fn settings(options: &[(String, String)]) -> Result<Settings, String> {
    let value = |name: &str| {
        options
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let root_certificates = value("sslrootcert")
        .filter(|path| *path != "system")
        .map(str::to_owned);
    let checks_authority = value("sslrootcert").is_some();
    let (mode, check) = match value("sslmode").unwrap_or("prefer") {
        "disable" => (SslMode::Disable, Check::Nothing),
        // Neither checks the certificate unless told whom to trust.
        "allow" | "prefer" if checks_authority => (SslMode::Prefer, Check::Authority),
        "allow" | "prefer" => (SslMode::Prefer, Check::Nothing),
        "require" if checks_authority => (SslMode::Require, Check::Authority),
        "require" => (SslMode::Require, Check::Nothing),
        "verify-ca" => (SslMode::Require, Check::Authority),
        "verify-full" => (SslMode::Require, Check::AuthorityAndHost),
        other => return Err(format!("unknown sslmode `{other}` in DATABASE_URL")),
    };
    Ok(Settings {
        mode,
        check,
        root_certificates,
    })
}

fn connector(settings: &Settings) -> Result<native_tls::TlsConnector, String> {
    let mut builder = native_tls::TlsConnector::builder();
    builder
        .danger_accept_invalid_certs(settings.check == Check::Nothing)
        .danger_accept_invalid_hostnames(settings.check != Check::AuthorityAndHost);
    if let Some(path) = &settings.root_certificates {
        let pem = std::fs::read(path).map_err(|e| format!("sslrootcert `{path}`: {e}"))?;
        // As libpq: the file's authorities, and only they, are trusted.
        builder.disable_built_in_roots(true);
        for certificate in pem_certificates(&pem) {
            let certificate = native_tls::Certificate::from_pem(certificate)
                .map_err(|e| format!("sslrootcert `{path}`: {e}"))?;
            builder.add_root_certificate(certificate);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Each certificate of a PEM file (a bundle may hold several).
fn pem_certificates(pem: &[u8]) -> Vec<&[u8]> {
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let mut found = Vec::new();
    let mut rest = pem;
    while let Some(end) = rest.windows(END.len()).position(|w| w == END) {
        found.push(&rest[..end + END.len()]);
        rest = &rest[end + END.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> (String, Vec<(String, String)>) {
        split_tls_options(url).unwrap()
    }

    fn settings_of(url: &str) -> Settings {
        settings(&split(url).1).unwrap()
    }

    #[test]
    fn tls_options_are_taken_out_of_either_form_and_the_rest_kept() {
        let (rest, tls) = split(
            "postgres://u:p@db.example:6432/portal?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
        );
        assert_eq!(
            rest,
            "postgres://u:p@db.example:6432/portal?application_name=x"
        );
        assert_eq!(
            tls,
            [
                ("sslmode".into(), "verify-full".into()),
                ("sslrootcert".into(), "/etc/ca.pem".into())
            ]
        );
        let (rest, _) = split("postgresql://db/portal?sslmode=require");
        assert_eq!(rest, "postgresql://db/portal");
        let (rest, tls) = split("host=db dbname=portal sslmode=require user=u");
        assert_eq!(rest, "host=db dbname=portal user=u");
        assert_eq!(tls, [("sslmode".into(), "require".into())]);
        assert_eq!(
            split("postgres://db/portal"),
            ("postgres://db/portal".into(), vec![])
        );
    }

    #[test]
    fn modes_mean_what_they_mean_to_libpq() {
        let cases = [
            ("", SslMode::Prefer, Check::Nothing),
            ("?sslmode=disable", SslMode::Disable, Check::Nothing),
            ("?sslmode=allow", SslMode::Prefer, Check::Nothing),
            ("?sslmode=prefer", SslMode::Prefer, Check::Nothing),
            ("?sslmode=require", SslMode::Require, Check::Nothing),
            (
                "?sslmode=require&sslrootcert=ca.pem",
                SslMode::Require,
                Check::Authority,
            ),
            ("?sslmode=verify-ca", SslMode::Require, Check::Authority),
            (
                "?sslmode=verify-full",
                SslMode::Require,
                Check::AuthorityAndHost,
            ),
            (
                "?sslmode=verify-full&sslrootcert=system",
                SslMode::Require,
                Check::AuthorityAndHost,
            ),
        ];
        for (query, mode, check) in cases {
            let s = settings_of(&format!("postgres://db/portal{query}"));
            assert_eq!((s.mode, s.check), (mode, check), "{query}");
        }
        assert_eq!(
            settings_of("postgres://db/p?sslmode=verify-full&sslrootcert=system").root_certificates,
            None,
            "the system's authorities"
        );
    }

    #[test]
    fn what_the_listener_cannot_honour_is_refused() {
        for url in [
            "postgres://db/portal?sslcert=client.pem",
            "postgres://db/portal?sslkey=client.key",
            "host=db sslcert=client.pem",
        ] {
            let e = split_tls_options(url).unwrap_err();
            assert!(e.contains("not supported"), "{url}: {e}");
        }
        let unknown = settings(&split("postgres://db/portal?sslmode=sometimes").1).unwrap_err();
        assert!(unknown.contains("sometimes"), "{unknown}");
        let missing = configure("postgres://db/portal?sslmode=verify-ca&sslrootcert=/nowhere.pem")
            .err()
            .unwrap();
        assert!(missing.contains("/nowhere.pem"), "{missing}");
    }

    #[test]
    fn a_bundle_holds_each_of_its_certificates() {
        let one = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        let bundle = format!("# first\n{one}\n# second\n{one}\n");
        let found = pem_certificates(bundle.as_bytes());
        assert_eq!(found.len(), 2);
        assert!(found[1].ends_with(b"-----END CERTIFICATE-----"));
        assert!(pem_certificates(b"no certificate here").is_empty());
    }
}
