use portal_tests::{citizen_body, session, spawn_app, PASSWORD};
use serde_json::{json, Value};

#[tokio::test]
async fn a_citizen_registers_and_sees_their_profile() {
    let app = spawn_app().await;
    let mut body = citizen_body("ivanov");
    body["centre_id"] = json!(app.centre_id);
    body["snils"] = json!("112-233-445 95");
    let r = app.post("/auth/register", None, body).await.expect(201);
    assert_eq!(r.header("location"), Some("/api/v1/me"));
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.body["role"], "citizen");
    assert_eq!(r.body["expires_in"], 900);
    let s = session(&r.body);

    let me = app.get("/me", Some(&s.access)).await.expect(200).body;
    assert_eq!(me["id"], json!(s.user_id));
    assert_eq!(me["role"], json!({"code": "citizen", "title": "Гражданин"}));
    assert_eq!(me["login"], "ivanov");
    assert_eq!(me["email"], "ivanov@example.ru");
    assert_eq!(me["display_name"], "Иванов Иван Иванович");
    assert_eq!(me["auth_method"], "password");
    assert_eq!(me["centre"]["id"], json!(app.centre_id));
    assert_eq!(me["centre"]["code"], "228");
    assert_eq!(me["citizen"]["snils"], "11223344595");
    assert_eq!(me["citizen"]["birth_date"], "1990-05-17");
    assert_eq!(me["employer"], json!(null));
}

#[tokio::test]
async fn registration_lists_every_bad_field_and_stores_nothing() {
    let app = spawn_app().await;
    let body = json!({
        "login": "x",
        "password": "short",
        "email": "not-an-email",
        "last_name": "  ",
        "first_name": "Иван",
        "birth_date": "2999-01-01",
        "snils": "11223344596",
        "phone": "call me"
    });
    let r = app
        .post("/auth/register", None, body)
        .await
        .expect_problem(422, "validation_failed");
    let mut fields = r.error_fields();
    fields.dedup();
    assert_eq!(
        fields,
        [
            "birth_date",
            "email",
            "last_name",
            "login",
            "password",
            "phone",
            "snils"
        ]
    );
    let password_error = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "password")
        .unwrap();
    assert_eq!(password_error["code"], "password_policy");
    assert!(password_error["message"]
        .as_str()
        .unwrap()
        .contains("8 символов"));
    app.login("x", "short")
        .await
        .expect_problem(401, "bad_credentials");
}

#[tokio::test]
async fn a_login_is_taken_whatever_its_case() {
    let app = spawn_app().await;
    app.citizen("petrov").await;
    let mut body = citizen_body("Petrov");
    body["email"] = json!("other@example.ru");
    app.post("/auth/register", None, body)
        .await
        .expect_problem(409, "login_taken");
    // The original account still signs in, and the login is case-insensitive.
    app.login("PETROV", PASSWORD).await.expect(200);
}

#[tokio::test]
async fn a_typed_snils_is_a_claim_that_neither_blocks_nor_tells() {
    let app = spawn_app().await;
    // Two self-registrations with one SNILS: both answered alike, so the answer does
    // not tell whether the number is registered; neither claim is confirmed.
    let mut accounts = Vec::new();
    for (login, snils) in [("first", "12345678964"), ("second", "123-456-789 64")] {
        let mut body = citizen_body(login);
        body["snils"] = json!(snils);
        let r = app.post("/auth/register", None, body).await.expect(201);
        let token = r.body["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/me", Some(&token)).await.expect(200).body;
        assert_eq!(me["citizen"]["snils"], "12345678964");
        assert_eq!(me["citizen"]["snils_verified"], false);
        accounts.push(token);
    }
    // Staff who saw the person's documents confirm the number for a new account: the
    // claims give way and their holders are told.
    let staff = app.staff("registrar").await;
    let mut in_person = citizen_body("owner");
    in_person["snils"] = json!("12345678964");
    in_person["password"] = json!(null);
    let made = app
        .post("/staff/citizens", Some(&staff.access), in_person.clone())
        .await
        .expect(201)
        .body;
    assert_eq!(made["citizen"]["snils_verified"], true);
    for token in &accounts {
        let me = app.get("/me", Some(token)).await.expect(200).body;
        assert_eq!(me["citizen"]["snils"], Value::Null);
        let told = app
            .get("/notifications", Some(token))
            .await
            .expect(200)
            .body;
        assert!(told.to_string().contains("СНИЛС удалён"), "{told:#}");
    }
    // A confirmed number is one person's: staff cannot confirm it for a second account.
    in_person["login"] = json!("owner.twin");
    app.post("/staff/citizens", Some(&staff.access), in_person.clone())
        .await
        .expect_problem(409, "snils_taken");
    // Nor take a login that is someone's.
    in_person["login"] = json!("owner");
    in_person["snils"] = json!(null);
    app.post("/staff/citizens", Some(&staff.access), in_person)
        .await
        .expect_problem(409, "login_taken");
    // A later self-registration with it is still only a claim, answered as any other.
    let mut late = citizen_body("late");
    late["snils"] = json!("12345678964");
    app.post("/auth/register", None, late).await.expect(201);
}

#[tokio::test]
async fn an_unknown_centre_is_a_field_error() {
    let app = spawn_app().await;
    let mut body = citizen_body("lost");
    body["centre_id"] = json!("no-such-centre");
    let r = app
        .post("/auth/register", None, body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["centre_id"]);
    app.login("lost", PASSWORD).await.expect(401);
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer() {
    let app = spawn_app().await;
    app.citizen("sidorov").await;
    let wrong = app
        .login("sidorov", "Wrong-password-1")
        .await
        .expect_problem(401, "bad_credentials");
    let unknown = app
        .login("nobody", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    let empty = app
        .post("/auth/login", None, json!({"login": "", "password": ""}))
        .await;
    assert_eq!(
        empty
            .expect_problem(422, "validation_failed")
            .error_fields(),
        ["login", "password"]
    );
}

#[tokio::test]
async fn absent_garbage_foreign_and_expired_tokens_are_refused() {
    let app = spawn_app().await;
    let s = app.citizen("tokens").await;
    let absent = app
        .get("/me", None)
        .await
        .expect_problem(401, "token_invalid");
    assert_eq!(absent.header("www-authenticate"), Some("Bearer"));
    app.get("/me", Some("garbage"))
        .await
        .expect_problem(401, "token_invalid");

    let basic = app
        .send(
            app.client
                .get(app.url("/me"))
                .header("authorization", "Basic dXNlcjpwYXNz"),
        )
        .await;
    basic.expect_problem(401, "token_invalid");

    let now = chrono::Utc::now().timestamp();
    let forged = api::auth::jwt::Keys::new(b"someone-elses-secret-someone-else", 900)
        .issue(&s.user_id, "any", "staff", now)
        .unwrap();
    app.get("/me", Some(&forged))
        .await
        .expect_problem(401, "token_invalid");

    // Our own secret, but long expired.
    let keys = api::auth::jwt::Keys::new(portal_tests::SECRET.as_bytes(), 900);
    let genuine = keys.issue(&s.user_id, "x", "citizen", now).unwrap();
    let expired = keys.issue(&s.user_id, "x", "citizen", now - 7200).unwrap();
    app.get("/me", Some(&expired))
        .await
        .expect_problem(401, "token_expired");
    // A genuine signature over a session that does not exist.
    app.get("/me", Some(&genuine))
        .await
        .expect_problem(401, "token_invalid");
    // The real token still works.
    app.get("/me", Some(&s.access)).await.expect(200);
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_session() {
    let app = spawn_app().await;
    let s = app.citizen("rotating").await;
    let r = app
        .post("/auth/refresh", None, json!({"refresh_token": s.refresh}))
        .await
        .expect(200);
    let next = session(&r.body);
    assert_ne!(next.refresh, s.refresh);
    app.get("/me", Some(&next.access)).await.expect(200);

    // The first token again: someone replayed it. The whole session ends.
    app.post("/auth/refresh", None, json!({"refresh_token": s.refresh}))
        .await
        .expect_problem(401, "refresh_reused");
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": next.refresh}),
    )
    .await
    .expect_problem(401, "token_invalid");
    app.get("/me", Some(&next.access))
        .await
        .expect_problem(401, "token_invalid");

    // Signing in again opens a new session.
    app.login("rotating", PASSWORD).await.expect(200);
    app.post("/auth/refresh", None, json!({"refresh_token": "made-up"}))
        .await
        .expect_problem(401, "token_invalid");
}

#[tokio::test]
async fn a_replayed_refresh_token_ends_its_own_session_alone() {
    let app = spawn_app().await;
    let phone = app.citizen("replayed").await;
    let laptop = session(&app.login("replayed", PASSWORD).await.expect(200).body);
    // Both sessions pass the check, so the server remembers both.
    app.get("/me", Some(&phone.access)).await.expect(200);
    app.get("/me", Some(&laptop.access)).await.expect(200);
    let next = session(
        &app.post(
            "/auth/refresh",
            None,
            json!({"refresh_token": phone.refresh}),
        )
        .await
        .expect(200)
        .body,
    );
    app.get("/me", Some(&next.access)).await.expect(200);

    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": phone.refresh}),
    )
    .await
    .expect_problem(401, "refresh_reused");
    // That session's access tokens stop at once, however recently it was checked.
    for access in [&next.access, &phone.access] {
        app.get("/me", Some(access))
            .await
            .expect_problem(401, "token_invalid");
    }
    // The other session goes on.
    app.get("/me", Some(&laptop.access)).await.expect(200);
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": laptop.refresh}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn logout_ends_only_its_own_session() {
    let app = spawn_app().await;
    let phone = app.citizen("two-devices").await;
    let laptop = session(&app.login("two-devices", PASSWORD).await.expect(200).body);

    app.post("/auth/logout", Some(&phone.access), json!({}))
        .await
        .expect(204);
    app.get("/me", Some(&phone.access))
        .await
        .expect_problem(401, "token_invalid");
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": phone.refresh}),
    )
    .await
    .expect_problem(401, "token_invalid");

    app.get("/me", Some(&laptop.access)).await.expect(200);
    app.post(
        "/auth/refresh",
        None,
        json!({"refresh_token": laptop.refresh}),
    )
    .await
    .expect(200);
    app.post("/auth/logout", None, json!({}))
        .await
        .expect_problem(401, "token_invalid");
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_and_per_address() {
    let app = portal_tests::spawn_app_with(|s| {
        s.login_attempts_per_account = 3;
        s.login_attempts_per_address = 6;
    })
    .await;
    app.citizen("guessed").await;
    for _ in 0..3 {
        app.login("guessed", "Wrong-password-1")
            .await
            .expect_problem(401, "bad_credentials");
    }
    let limited = app
        .login("guessed", PASSWORD)
        .await
        .expect_problem(429, "too_many_requests");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.login("GUESSED", PASSWORD)
        .await
        .expect_problem(429, "too_many_requests");
    // Another account from the same address still gets in, until the address budget is spent.
    app.login("someone-else", PASSWORD)
        .await
        .expect_problem(401, "bad_credentials");
    app.login("another-one", PASSWORD)
        .await
        .expect_problem(429, "too_many_requests");
}

/// Only an access token opens the API: the same claims signed with our key but
/// another header type (a plain JWT, none, or what another use of the key might sign)
/// are refused, so a token minted for something else can never pass for one.
#[tokio::test]
async fn a_token_of_another_type_is_refused_though_its_signature_is_good() {
    use base64::Engine;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};

    let app = spawn_app().await;
    let citizen = app.citizen("typed").await;
    let payload = citizen.access.split('.').nth(1).expect("a JWT");
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let key = EncodingKey::from_secret(portal_tests::SECRET.as_bytes());
    let signed = |typ: Option<&str>| {
        let header = Header {
            typ: typ.map(str::to_owned),
            ..Header::new(Algorithm::HS256)
        };
        encode(&header, &claims, &key).unwrap()
    };
    // The control: re-signed as an access token, the claims pass.
    app.get("/me", Some(&signed(Some("at+jwt"))))
        .await
        .expect(200);
    for typ in [Some("JWT"), None, Some("refresh+jwt")] {
        app.get("/me", Some(&signed(typ)))
            .await
            .expect_problem(401, "token_invalid");
    }
}
