//! Webhooks for integrators (issue 18): which URLs may receive deliveries (checked when
//! a subscription is made, [`check_url`], and again on every connection, `sender`),
//! how a delivery is signed ([`sign`]), the sender the background thread runs
//! ([`sender::Sender`]), and the deliveries as the OpenAPI document describes them
//! ([`spec`]).

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use domain::webhook::{self, Host, Target, UrlRefusal};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub mod sender;
pub mod spec;

/// How long resolving a subscription's host may take.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where deliveries may go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Tests only (`PORTAL_WEBHOOKS_ALLOW_PRIVATE`): http and any address.
    pub allow_private: bool,
}

/// A subscription's URL as the rules see it.
fn target(url: &url::Url, length: usize) -> Target<'_> {
    Target {
        scheme: url.scheme(),
        host: match url.host() {
            Some(url::Host::Domain(name)) => Host::Name(name),
            Some(url::Host::Ipv4(a)) => Host::Address(IpAddr::V4(a)),
            Some(url::Host::Ipv6(a)) => Host::Address(IpAddr::V6(a)),
            None => Host::Missing,
        },
        has_credentials: !url.username().is_empty() || url.password().is_some(),
        length,
    }
}

/// Parses and checks a URL before deliveries may be sent there: https, no
/// credentials, and a host on the public Internet. A name is resolved now and every
/// address it gives must be public (the sender checks again on each connection, since
/// the name may resolve differently later). Returns the URL normalised.
pub async fn check_url(text: &str, policy: Policy) -> Result<String, UrlRefusal> {
    if text.len() > webhook::MAX_URL_LEN {
        return Err(UrlRefusal::TooLong);
    }
    let url = url::Url::parse(text.trim()).map_err(|_| UrlRefusal::NoHost)?;
    webhook::check_target(&target(&url, text.len()), policy.allow_private)?;
    if let Some(url::Host::Domain(name)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(443);
        let addresses = resolve(name, port).await?;
        webhook::check_resolved(&addresses, policy.allow_private)?;
    }
    Ok(url.into())
}

/// The addresses `name` resolves to; none if it does not resolve in time.
async fn resolve(name: &str, port: u16) -> Result<Vec<IpAddr>, UrlRefusal> {
    match tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((name, port))).await {
        Ok(Ok(found)) => Ok(found.map(|a| a.ip()).collect()),
        Ok(Err(_)) | Err(_) => Err(UrlRefusal::Unresolved),
    }
}

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    format!(
        "{}{}",
        webhook::SECRET_PREFIX,
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

/// The `webhook-signature` header of a delivery: `v1,` and the base64 of HMAC-SHA256
/// over `{event_id}.{timestamp}.{body}`, keyed with the secret's bytes (Standard
/// Webhooks). `None` for a secret that is not `whsec_` and base64.
pub fn sign(secret: &str, event_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let engine = base64::engine::general_purpose::STANDARD;
    let key = engine
        .decode(secret.strip_prefix(webhook::SECRET_PREFIX)?)
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(webhook::signed_content(event_id, timestamp, body).as_bytes());
    Some(format!("v1,{}", engine.encode(mac.finalize().into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        assert_eq!(
            sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            )
            .as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "{}"), None);
    }

    #[test]
    fn secrets_are_random_and_usable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_"));
        assert!(sign(&a, "e", 1, "{}").is_some());
    }

    #[actix_web::test]
    async fn urls_are_refused_before_any_delivery() {
        let strict = Policy::default();
        for (url, refusal) in [
            ("http://hooks.example.ru/in", UrlRefusal::NotHttps),
            (
                "https://127.0.0.1/in",
                UrlRefusal::Address(webhook::AddressClass::Loopback),
            ),
            (
                "https://10.0.0.1/in",
                UrlRefusal::Address(webhook::AddressClass::Private),
            ),
            (
                "https://[::1]:8443/in",
                UrlRefusal::Address(webhook::AddressClass::Loopback),
            ),
            (
                "https://localhost/in",
                UrlRefusal::Address(webhook::AddressClass::Loopback),
            ),
            ("https://user:pw@hooks.example.ru/", UrlRefusal::Credentials),
            ("not a url", UrlRefusal::NoHost),
        ] {
            assert_eq!(check_url(url, strict).await, Err(refusal), "{url}");
        }
        let open = Policy {
            allow_private: true,
        };
        assert_eq!(
            check_url("http://127.0.0.1:9/in", open).await.as_deref(),
            Ok("http://127.0.0.1:9/in")
        );
    }
}
