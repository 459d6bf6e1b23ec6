//! The client address behind a balancer: `X-Forwarded-For` is believed only from a
//! peer in `PORTAL_TRUSTED_PROXIES`, and then its right-most address that is not a
//! trusted proxy is the client, for the budgets per address and for the journal.

use portal_tests::{processes, spawn_app_with, Resp, TestApp, PASSWORD};
use serde_json::{json, Value};

/// A sign-in attempt carrying `X-Forwarded-For: forwarded` (none when empty).
async fn login_via(app: &TestApp, login: &str, password: &str, forwarded: &str) -> Resp {
    let mut req = app
        .client
        .post(app.url("/auth/login"))
        .json(&json!({"login": login, "password": password}));
    if !forwarded.is_empty() {
        req = req.header("x-forwarded-for", forwarded);
    }
    app.send(req).await
}

/// The client address of the owner's latest sign-in in their journal.
async fn last_sign_in_address(app: &TestApp, access: &str) -> Value {
    let page = app
        .get("/me/audit?kind=sign_in", Some(access))
        .await
        .expect(200)
        .body;
    let latest = &page["items"][0];
    assert_eq!(latest["action"]["code"], "sign_in", "{page:#}");
    latest["client_addr"].clone()
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_ignored() {
    let app = spawn_app_with(|s| s.login_attempts_per_address = 3).await;
    let owner = app.citizen("direct-client").await;
    // The journal names the peer, not what the client wrote.
    login_via(&app, "direct-client", PASSWORD, "198.51.100.9")
        .await
        .expect(200);
    assert_eq!(last_sign_in_address(&app, &owner.access).await, "127.0.0.1");
    // Each attempt names another address: all count against the peer.
    for n in 1..3 {
        login_via(
            &app,
            &format!("stranger-{n}"),
            PASSWORD,
            &format!("203.0.113.{n}"),
        )
        .await
        .expect_problem(401, "bad_credentials");
    }
    let refused = login_via(&app, "stranger-3", PASSWORD, "203.0.113.3")
        .await
        .expect_problem(429, "too_many_requests");
    assert!(refused.header("retry-after").is_some());
    login_via(&app, "direct-client", PASSWORD, "")
        .await
        .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_forwarded_address_from_a_trusted_proxy_is_the_client() {
    let app = spawn_app_with(|s| {
        s.trusted_proxies = "127.0.0.1".parse().unwrap();
        s.login_attempts_per_address = 2;
    })
    .await;
    let owner = app.citizen("behind-balancer").await;

    // One client spends its budget; what it writes in front of the proxy's entry is
    // not believed.
    login_via(&app, "nobody-1", PASSWORD, "203.0.113.7")
        .await
        .expect_problem(401, "bad_credentials");
    login_via(&app, "nobody-2", PASSWORD, "198.51.100.1, 203.0.113.7")
        .await
        .expect_problem(401, "bad_credentials");
    login_via(
        &app,
        "behind-balancer",
        PASSWORD,
        "198.51.100.2, 203.0.113.7",
    )
    .await
    .expect_problem(429, "too_many_requests");

    // Another client behind the same balancer still gets in, and its journal names it,
    // also through a second trusted hop.
    login_via(&app, "behind-balancer", PASSWORD, "203.0.113.8")
        .await
        .expect(200);
    assert_eq!(
        last_sign_in_address(&app, &owner.access).await,
        "203.0.113.8"
    );
    login_via(&app, "behind-balancer", PASSWORD, "203.0.113.9, 127.0.0.1")
        .await
        .expect(200);
    assert_eq!(
        last_sign_in_address(&app, &owner.access).await,
        "203.0.113.9"
    );

    // A malformed header, or none, counts against the proxy itself.
    for forwarded in ["not-an-address", ""] {
        login_via(&app, "nobody-3", PASSWORD, forwarded)
            .await
            .expect_problem(401, "bad_credentials");
    }
    login_via(&app, "nobody-4", PASSWORD, "203.0.113.7, garbage")
        .await
        .expect_problem(429, "too_many_requests");
}

#[tokio::test]
async fn a_bad_list_of_trusted_proxies_stops_the_server() {
    let empty = portal_tests::empty_database().await;
    let files = tempfile::tempdir().unwrap();
    let said = processes::refused(
        &empty.url,
        &[
            ("PORTAL_FILES", files.path().to_string_lossy().into_owned()),
            ("PORTAL_MAIL_LOG", "1".into()),
            ("PORTAL_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/33".into()),
        ],
    )
    .await;
    assert!(
        said.contains("PORTAL_TRUSTED_PROXIES") && said.contains("10.0.0.0/33"),
        "{said}"
    );
}
