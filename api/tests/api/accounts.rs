//! Accounts over real HTTP: registration, sign-in, refresh rotation and reuse (J4), invalidation
//! on logout, role change, password change and disabling (J5), issued passwords (V2), login rate
//! limits and locks (A1), on SQLite and PostgreSQL.

use motcua_api::config::{Config, Mode};
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, CITIZEN_B, DEMO_PASSWORD, TestApp, code, databases};

const REGISTER: &str = "mutation($input: RegisterInput!) { register(input: $input) {
  accepted userErrors { path code message } } }";

const ME: &str =
    "{ me { id kind login fullName mustChangePassword roles { role agency { code } } } }";

const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) {
  accessToken refreshToken } }";

fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn citizens_and_businesses_register_with_checked_identifiers_and_sign_in() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        // Every problem at once, with core codes and Vietnamese messages.
        let (_, r) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "CITIZEN", "identifier": "001099012346x", "fullName": " ",
                    "password": "short", "phone": "12345", "email": "not-an-email" } }),
            )
            .await;
        let p = &r["data"]["register"];
        assert_eq!(p["accepted"], false, "{db}: {r}");
        let c = codes(p);
        for expected in ["INVALID_NAME", "PASSWORD_TOO_SHORT"] {
            assert!(c.contains(&expected.to_owned()), "{db}: {c:?}");
        }
        assert_eq!(c.len(), 5, "{db}: {r}");
        assert!(
            !p["userErrors"][0]["message"].as_str().unwrap().is_ascii(),
            "{db}: Vietnamese messages expected: {r}"
        );
        // A valid citizen: accepted, then signs in with the normalized identifier.
        let (_, r) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "CITIZEN", "identifier": "001 099 012 345",
                    "fullName": "Phạm  Thị   Thu", "password": "một mật khẩu dài", "phone": "0912 345 678" } }),
            )
            .await;
        let p = &r["data"]["register"];
        assert_eq!(p["userErrors"], json!([]), "{db}: {r}");
        assert_eq!(p["accepted"], true, "{db}: {r}");
        let p = app.login_payload("001099012345", "một mật khẩu dài").await;
        assert_eq!(p["account"]["login"], "001099012345", "{db}: {p}");
        assert_eq!(p["account"]["fullName"], "Phạm Thị Thu");
        let token = p["accessToken"].as_str().unwrap();
        let (status, me) = app.call(Some(token), ME, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(me["data"]["me"]["kind"], "CITIZEN", "{db}: {me}");
        // The same number again: the same answer, and the account keeps its password (Z6).
        let (_, again) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "CITIZEN", "identifier": "001099012345",
                    "fullName": "Người Khác", "password": "một mật khẩu khác dài" } }),
            )
            .await;
        assert_eq!(again, r, "{db}");
        let p = app
            .login_payload("001099012345", "một mật khẩu khác dài")
            .await;
        assert_eq!(codes(&p), ["INVALID_CREDENTIALS"], "{db}: {p}");
        // A business with a tax code; a bad checksum is refused by the core.
        let (_, r) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "BUSINESS", "identifier": "0100109107",
                    "fullName": "Công ty Sai Số", "password": "mật khẩu doanh nghiệp" } }),
            )
            .await;
        assert_eq!(codes(&r["data"]["register"]), ["CHECKSUM"], "{db}: {r}");
        let (_, r) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "BUSINESS", "identifier": "0100109106",
                    "fullName": "Công ty Đúng Số", "password": "mật khẩu doanh nghiệp" } }),
            )
            .await;
        assert_eq!(r["data"]["register"]["accepted"], true, "{db}: {r}");
        let p = app
            .login_payload("0100109106", "mật khẩu doanh nghiệp")
            .await;
        assert_eq!(p["account"]["kind"], "BUSINESS", "{db}: {p}");
        // Officials cannot register themselves.
        let (_, r) = app
            .call(
                None,
                REGISTER,
                json!({ "input": { "kind": "OFFICIAL", "identifier": "canbo.moi",
                    "fullName": "Cán Bộ", "password": "mật khẩu cán bộ dài" } }),
            )
            .await;
        assert!(codes(&r["data"]["register"]).contains(&"OFFICIAL_NOT_SELF_SERVICE".to_owned()));
        // Sign-in: wrong password is one generic problem, in English on request.
        let r = app
            .graphql(
                "mutation { login(identifier: \"020090123456\", password: \"sai mật khẩu\") { accessToken userErrors { code message } } }",
                json!({}),
                true,
            )
            .await;
        assert_eq!(
            r["data"]["login"]["userErrors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
        assert_eq!(
            r["data"]["login"]["userErrors"][0]["message"],
            "Wrong login or password."
        );
        // The demo citizen signs in with spaces in the ID; the token is a 15-minute JWT.
        let p = app.login_payload("020 090 123 456", DEMO_PASSWORD).await;
        assert_eq!(p["expiresIn"], 900, "{db}: {p}");
        assert_eq!(p["tokenType"], "Bearer");
        assert_eq!(p["account"]["fullName"], "Nguyễn Văn An");
    }
}

#[actix_web::test]
async fn a_refresh_token_works_once_and_reuse_revokes_the_session_j4() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (access0, r1) = app.login(CITIZEN).await;
        let (_, a) = app
            .call(None, REFRESH, json!({ "t": r1, "c": "phone-1" }))
            .await;
        let r2 = a["data"]["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let access2 = a["data"]["refreshToken"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(r1, r2);
        // The phone lost the answer and retries within 30 s: the same pair.
        let (_, b) = app
            .call(None, REFRESH, json!({ "t": r1, "c": "phone-1" }))
            .await;
        assert_eq!(
            b["data"]["refreshToken"]["refreshToken"],
            r2.as_str(),
            "{db}: {b}"
        );
        assert_eq!(
            b["data"]["refreshToken"]["accessToken"],
            access2.as_str(),
            "{db}: {b}"
        );
        // Both access tokens of the session work.
        for t in [&access0, &access2] {
            let (status, _) = app.call(Some(t), ME, json!({})).await;
            assert_eq!(status, 200);
        }
        // The phone moves on with r2; r1 presented again is a replay whoever sends it (the
        // grace ends once its pair was used): the whole family is revoked.
        let (_, next) = app.call(None, REFRESH, json!({ "t": r2 })).await;
        let r3 = next["data"]["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {next}"))
            .to_owned();
        let (_, c) = app.call(None, REFRESH, json!({ "t": r1 })).await;
        assert_eq!(code(&c), "REFRESH_TOKEN_REUSED", "{db}: {c}");
        let (_, d) = app.call(None, REFRESH, json!({ "t": r3 })).await;
        assert_eq!(code(&d), "INVALID_REFRESH_TOKEN", "{db}: {d}");
        let (status, e) = app.call(Some(&access2), ME, json!({})).await;
        assert_eq!(status, 401, "{db}: {e}");
        assert_eq!(code(&e), "UNAUTHENTICATED");
        // Unknown tokens, and an access token offered as a refresh token (J3).
        for t in ["mcr_nope", access0.as_str(), ""] {
            let (_, f) = app.call(None, REFRESH, json!({ "t": t })).await;
            assert_eq!(code(&f), "INVALID_REFRESH_TOKEN", "{db}: {f}");
        }
    }
}

#[actix_web::test]
async fn concurrent_duplicate_refreshes_from_one_client_get_one_pair_j4() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (_, r1) = app.login(CITIZEN).await;
        let calls = (0..10).map(|_| app.call(None, REFRESH, json!({ "t": r1, "c": "phone-1" })));
        let answers = futures_util::future::join_all(calls).await;
        let pairs: std::collections::BTreeSet<String> = answers
            .iter()
            .map(|(_, a)| {
                a["data"]["refreshToken"]["refreshToken"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{db}: {a}"))
                    .to_owned()
            })
            .collect();
        assert_eq!(pairs.len(), 1, "{db}: {pairs:?}");
    }
}

#[actix_web::test]
async fn logout_role_change_password_change_and_disabling_take_effect_on_the_next_call_j5() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        // Logout.
        let (access, refresh) = app.login(CITIZEN).await;
        let (_, r) = app
            .call(Some(&access), "mutation { logout { ok } }", json!({}))
            .await;
        assert_eq!(r["data"]["logout"]["ok"], true, "{db}: {r}");
        let (status, _) = app.call(Some(&access), ME, json!({})).await;
        assert_eq!(status, 401);
        let (_, r) = app.call(None, REFRESH, json!({ "t": refresh })).await;
        assert_eq!(code(&r), "INVALID_REFRESH_TOKEN");
        // Role change by the province administrator.
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (admin, _) = app.login("quantri.tinh").await;
        let (_, me) = app.call(Some(&clerk), ME, json!({})).await;
        let clerk_id = me["data"]["me"]["id"].as_str().unwrap().to_owned();
        assert_eq!(me["data"]["me"]["roles"][0]["role"], "CLERK");
        let agency = app.agency_id("000.00.52.H42").await;
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation($u: ID!, $a: ID!) { setUserRoles(userId: $u, roles: [{role: SPECIALIST, agencyId: $a}]) { roles { role agency { code } } } }",
                json!({ "u": clerk_id, "a": agency }),
            )
            .await;
        assert_eq!(
            r["data"]["setUserRoles"]["roles"],
            json!([{ "role": "SPECIALIST", "agency": { "code": "000.00.52.H42" } }]),
            "{db}: {r}"
        );
        let (status, _) = app.call(Some(&clerk), ME, json!({})).await;
        assert_eq!(
            status, 401,
            "{db}: the old token must be refused after a role change"
        );
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (_, me) = app.call(Some(&clerk), ME, json!({})).await;
        assert_eq!(me["data"]["me"]["roles"][0]["role"], "SPECIALIST");
        // Password change: every earlier token is refused, the new pair works.
        let (a1, _) = app.login(CITIZEN_B).await;
        let (a2, r2) = app.login(CITIZEN_B).await;
        let (_, r) = app
            .call(
                Some(&a1),
                "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken userErrors { code } } }",
                json!({ "c": DEMO_PASSWORD, "n": "mật khẩu mới rất dài" }),
            )
            .await;
        let fresh = r["data"]["changePassword"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        for t in [&a1, &a2] {
            let (status, _) = app.call(Some(t), ME, json!({})).await;
            assert_eq!(status, 401, "{db}");
        }
        let (_, r) = app.call(None, REFRESH, json!({ "t": r2 })).await;
        assert_eq!(code(&r), "INVALID_REFRESH_TOKEN");
        let (status, _) = app.call(Some(&fresh), ME, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(
            app.login_payload(CITIZEN_B, DEMO_PASSWORD).await["userErrors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
        // Disabling by the province administrator.
        let (_, me) = app.call(Some(&fresh), ME, json!({})).await;
        let citizen_b = me["data"]["me"]["id"].as_str().unwrap().to_owned();
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { disabled } }",
                json!({ "u": citizen_b }),
            )
            .await;
        assert_eq!(r["data"]["setUserDisabled"]["disabled"], true, "{db}: {r}");
        let (status, _) = app.call(Some(&fresh), ME, json!({})).await;
        assert_eq!(status, 401);
        let p = app.login_payload(CITIZEN_B, "mật khẩu mới rất dài").await;
        assert_eq!(p["userErrors"][0]["code"], "ACCOUNT_DISABLED", "{db}: {p}");
    }
}

#[actix_web::test]
async fn an_issued_password_must_be_changed_before_anything_else_v2() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (admin, _) = app.login("quantri.dongkinh").await;
        let agency = app.agency_id("000.00.51.H42").await;
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation($a: ID!) { createOfficial(input: {username: \"tiepnhan2.dongkinh\", fullName: \"Lý Thị Mai\", roles: [{role: CLERK, agencyId: $a}]}) {
                   account { login mustChangePassword roles { role } } issuedPassword userErrors { code } } }",
                json!({ "a": agency }),
            )
            .await;
        let p = &r["data"]["createOfficial"];
        assert_eq!(p["account"]["mustChangePassword"], true, "{db}: {r}");
        let issued = p["issuedPassword"].as_str().unwrap().to_owned();
        assert_eq!(issued.len(), 16);
        let login = app.login_payload("tiepnhan2.dongkinh", &issued).await;
        assert_eq!(login["account"]["mustChangePassword"], true);
        let token = login["accessToken"].as_str().unwrap();
        // Guarded operations are refused until the password is changed; `me` still answers.
        let (_, r) = app
            .call(
                Some(token),
                "mutation { setCalendarDay(date: \"2026-12-31\", dayOff: true, reasonVi: \"Thử\", reasonEn: \"Test\") { removed } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&r), "PASSWORD_CHANGE_REQUIRED", "{db}: {r}");
        let (status, _) = app.call(Some(token), ME, json!({})).await;
        assert_eq!(status, 200);
        let (_, r) = app
            .call(
                Some(token),
                "mutation($c: String!) { changePassword(currentPassword: $c, newPassword: \"mật khẩu riêng của Mai\") { accessToken account { mustChangePassword } } }",
                json!({ "c": issued }),
            )
            .await;
        assert_eq!(
            r["data"]["changePassword"]["account"]["mustChangePassword"], false,
            "{db}: {r}"
        );
        // The agency administrator cannot grant roles in another agency, nor admin roles.
        let other = app.agency_id("000.00.12.H42").await;
        for (role, agency) in [("CLERK", &other), ("AGENCY_ADMIN", &agency)] {
            let (_, r) = app
                .call(
                    Some(&admin),
                    &format!("mutation($a: ID!) {{ createOfficial(input: {{username: \"x.{}\", fullName: \"Ai Đó\", roles: [{{role: {role}, agencyId: $a}}]}}) {{ issuedPassword }} }}", role.to_lowercase()),
                    json!({ "a": agency }),
                )
                .await;
            assert_eq!(code(&r), "FORBIDDEN", "{db} {role}: {r}");
        }
        // An official of another agency reads as missing to this agency's administrator.
        let (police, _) = app.login("chuyenvien.congan").await;
        let (_, me) = app.call(Some(&police), ME, json!({})).await;
        let police_id = me["data"]["me"]["id"].as_str().unwrap().to_owned();
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation($u: ID!, $a: ID!) { setUserRoles(userId: $u, roles: [{role: CLERK, agencyId: $a}]) { login } }",
                json!({ "u": police_id, "a": agency }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        let (status, _) = app.call(Some(&police), ME, json!({})).await;
        assert_eq!(status, 200, "{db}: nothing changed for the police officer");
        // A citizen cannot create officials.
        let (citizen, _) = app.login(CITIZEN).await;
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation($a: ID!) { createOfficial(input: {username: \"hacker\", fullName: \"Kẻ Gian\", roles: [{role: CLERK, agencyId: $a}]}) { issuedPassword } }",
                json!({ "a": agency }),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
    }
}

#[actix_web::test]
async fn logins_are_limited_per_ip_and_per_account_and_failures_lock_a1() {
    for db in databases() {
        let mut config = Config::for_tests();
        config.auth.logins_per_ip_per_minute =
            motcua_api::service::accounts::LOGINS_PER_IP_PER_MINUTE;
        let app = TestApp::spawn_with(&db, config).await;
        // 1,000 attempts from one address (a spoofed X-Forwarded-For from an untrusted peer is
        // ignored): at least 990 refused with 429.
        let mut refused = 0;
        for i in 0..1000 {
            let response = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("X-Forwarded-For", format!("10.0.{}.{}", i / 250, i % 250))
                .json(&json!({ "query": "mutation { login(identifier: \"nobody.here\", password: \"wrong password\") { accessToken } }" }))
                .send()
                .await
                .unwrap();
            if response.status().as_u16() == 429 {
                assert!(response.headers().get("retry-after").is_some());
                refused += 1;
            }
        }
        assert!(refused >= 990, "{db}: only {refused} refused");
    }
    for db in databases() {
        // Behind a trusted proxy each client has its own address, yet one account's limit holds
        // across addresses, and five failures lock it.
        let mut config = Config::for_tests();
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        let app = TestApp::spawn_with(&db, config).await;
        let attempt = |ip: String, password: &'static str| {
            app.client
                .post(format!("{}/graphql", app.address))
                .header("X-Forwarded-For", ip)
                .json(&json!({ "query": "mutation($p: String!) { login(identifier: \"020090123456\", password: $p) { accessToken userErrors { code } } }", "variables": { "p": password } }))
                .send()
        };
        for i in 0..5 {
            let r: Value = attempt(format!("203.0.113.{i}"), "sai mật khẩu")
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(
                r["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
                "{db}: {r}"
            );
        }
        let response = attempt("203.0.113.99".to_owned(), DEMO_PASSWORD)
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 429, "{db}");
        let r: Value = response.json().await.unwrap();
        assert_eq!(code(&r), "ACCOUNT_LOCKED", "{db}: {r}");
        // Per-account limit across addresses (another account, no failures involved).
        let mut limited = 0;
        for i in 0..15 {
            let response = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("X-Forwarded-For", format!("198.51.100.{i}"))
                .json(&json!({ "query": "mutation { login(identifier: \"tiepnhan.dongkinh\", password: \"MotCua@2026!\") { accessToken } }" }))
                .send()
                .await
                .unwrap();
            if response.status().as_u16() == 429 {
                limited += 1;
            }
        }
        assert_eq!(limited, 5, "{db}: 10 per minute per account");
    }
}

#[actix_web::test]
async fn j4_the_refresh_grace_depends_on_the_token_alone_not_on_the_client() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (_, r1) = app.login(CITIZEN).await;
        let refresh = |token: String, agent: &'static str| {
            let app = &app;
            async move {
                let r: Value = app
                    .client
                    .post(format!("{}/graphql", app.address))
                    .header("User-Agent", agent)
                    .json(&json!({ "query": REFRESH, "variables": { "t": token } }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                r
            }
        };
        let a = refresh(r1.clone(), "MotCua/1.0 (Android 9)").await;
        let r2 = a["data"]["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {a}"))
            .to_owned();
        // The same token from another network stack (another User-Agent) within 30 s: the
        // same pair, since only the token and its session matter.
        let b = refresh(r1.clone(), "okhttp/4.12").await;
        assert_eq!(
            b["data"]["refreshToken"]["refreshToken"],
            r2.as_str(),
            "{db}: {b}"
        );
        // Once the pair is used, the old token is a replay whatever the client says.
        let c = refresh(r2.clone(), "MotCua/1.0 (Android 9)").await;
        assert!(
            c["data"]["refreshToken"]["refreshToken"].is_string(),
            "{db}: {c}"
        );
        let d = refresh(r1, "MotCua/1.0 (Android 9)").await;
        assert_eq!(code(&d), "REFRESH_TOKEN_REUSED", "{db}: {d}");
    }
}
