//! Attacks on access tokens and on the external ID-token exchange (SECURITY.md J1, J2, J3, J6):
//! every forged token is refused with 401 / `UNAUTHENTICATED`, on SQLite and PostgreSQL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use motcua_api::config::{Config, Mode, OidcConfig};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, TestApp, code, databases};

const ME: &str = "{ me { login kind } }";
/// The test configuration's signing key (Config::for_tests).
const SECRET: &[u8] = b"motcua-test-signing-key-0123456789abcdef";

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// The claims of a real token.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(header: Header, claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn hs256(typ: Option<&str>, kid: Option<&str>) -> Header {
    let mut h = Header::new(Algorithm::HS256);
    h.typ = typ.map(str::to_owned);
    h.kid = kid.map(str::to_owned);
    h
}

fn now() -> i64 {
    motcua_api::auth::now()
}

#[actix_web::test]
async fn forged_and_altered_access_tokens_are_refused_j1_j2_j3() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (access, refresh) = app.login(CITIZEN).await;
        let (status, _) = app.call(Some(&access), ME, json!({})).await;
        assert_eq!(status, 200);
        let good = claims_of(&access);
        // Re-signing the real claims with the real key and header is accepted: the refusals
        // below come from what each attack changes, not from the harness.
        let resigned = sign(hs256(Some("at+jwt"), Some("test-1")), &good, SECRET);
        let (status, _) = app.call(Some(&resigned), ME, json!({})).await;
        assert_eq!(status, 200, "{db}");

        let with = |k: &str, v: Value| {
            let mut c = good.clone();
            c[k] = v;
            c
        };
        let without = |k: &str| {
            let mut c = good.clone();
            c.as_object_mut().unwrap().remove(k);
            c
        };
        let mut attacks: Vec<(&str, String)> = Vec::new();
        for alg in ["none", "None", "NONE", "nOnE"] {
            let header = json!({ "alg": alg, "typ": "at+jwt", "kid": "test-1" });
            attacks.push(("alg none", format!("{}.{}.", b64(&header), b64(&good))));
        }
        let mut hs512 = Header::new(Algorithm::HS512);
        hs512.typ = Some("at+jwt".into());
        hs512.kid = Some("test-1".into());
        attacks.push(("another algorithm", sign(hs512, &good, SECRET)));
        attacks.push((
            "wrong key",
            sign(
                hs256(Some("at+jwt"), Some("test-1")),
                &good,
                b"another-key-of-32-bytes-or-more-000000",
            ),
        ));
        attacks.push((
            "unknown kid",
            sign(hs256(Some("at+jwt"), Some("test-2")), &good, SECRET),
        ));
        attacks.push(("no kid", sign(hs256(Some("at+jwt"), None), &good, SECRET)));
        attacks.push(("no typ", sign(hs256(None, Some("test-1")), &good, SECRET)));
        attacks.push((
            "typ JWT",
            sign(hs256(Some("JWT"), Some("test-1")), &good, SECRET),
        ));
        attacks.push((
            "typ refresh",
            sign(hs256(Some("refresh+jwt"), Some("test-1")), &good, SECRET),
        ));
        let mut jku = hs256(Some("at+jwt"), Some("test-1"));
        jku.jku = Some("http://127.0.0.1:9/keys".into());
        attacks.push((
            "jku elsewhere",
            sign(jku, &with("sub", json!("999")), SECRET),
        ));
        let signed = |c: Value| sign(hs256(Some("at+jwt"), Some("test-1")), &c, SECRET);
        attacks.push(("wrong aud", signed(with("aud", json!("someone-else")))));
        attacks.push((
            "wrong iss",
            signed(with("iss", json!("https://evil.example"))),
        ));
        attacks.push(("no aud", signed(without("aud"))));
        attacks.push(("no iss", signed(without("iss"))));
        attacks.push(("no sub", signed(without("sub"))));
        attacks.push(("no exp", signed(without("exp"))));
        attacks.push((
            "expired beyond leeway",
            signed(with("exp", json!(now() - 31))),
        ));
        attacks.push((
            "string exp",
            signed(with("exp", json!((now() + 600).to_string()))),
        ));
        attacks.push(("string nbf", signed(with("nbf", json!(now().to_string())))));
        attacks.push(("future nbf", signed(with("nbf", json!(now() + 600)))));
        let other = (good["sub"].as_str().unwrap().parse::<i64>().unwrap() + 1).to_string();
        attacks.push((
            "other user's sub with this session",
            signed(with("sub", json!(other))),
        ));
        attacks.push((
            "unknown session",
            signed(with("sid", json!("no-such-session"))),
        ));
        attacks.push(("old authorization version", signed(with("ver", json!(0)))));
        attacks.push(("refresh token as access token", refresh.clone()));
        attacks.push(("garbage", "a.b.c".to_owned()));
        attacks.push(("empty", String::new()));
        let mut tampered = access.clone();
        tampered.pop();
        tampered.push(if access.ends_with('A') { 'B' } else { 'A' });
        attacks.push(("tampered signature", tampered));
        for (name, token) in attacks {
            let (status, r) = app.call(Some(&token), ME, json!({})).await;
            assert_eq!(status, 401, "{db}: {name} was accepted: {r}");
            assert_eq!(code(&r), "UNAUTHENTICATED", "{db}: {name}");
            assert!(r["data"].is_null(), "{db}: {name}: no resolver may run");
        }
        // A token within the 30 s leeway still works (clock skew between instances).
        let (status, _) = app
            .call(Some(&signed(with("exp", json!(now() - 5)))), ME, json!({}))
            .await;
        assert_eq!(status, 200, "{db}");
        // Without a token, `me` is UNAUTHENTICATED but public queries answer.
        let (status, r) = app.call(None, ME, json!({})).await;
        assert_eq!((status, code(&r)), (200, "UNAUTHENTICATED"), "{db}");
    }
}

/// An RSA key pair generated in the test, its JWKS, and a way to sign ID tokens.
struct Issuer {
    private_pem: String,
    public_pem: String,
    jwks: String,
}

fn issuer() -> Issuer {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let public = key.to_public_key();
    let jwks = json!({ "keys": [{
        "kty": "RSA", "kid": "vneid-1", "use": "sig", "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }]});
    Issuer {
        private_pem: key
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string(),
        public_pem: public.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap(),
        jwks: jwks.to_string(),
    }
}

const ISS: &str = "https://vneid.example.gov.vn";
const EXCHANGE: &str = "mutation($t: String!) { exchangeIdToken(idToken: $t) { accessToken account { login kind fullName } } }";

/// A server that accepts ID tokens of `keys`' issuer.
async fn oidc_app(db: &str, keys: &Issuer) -> TestApp {
    let mut config = Config::for_tests();
    config.auth.oidc = Some(OidcConfig {
        issuer: ISS.to_owned(),
        audience: "motcua-langson".to_owned(),
        jwks: keys.jwks.clone(),
        id_claim: "personal_id".to_owned(),
    });
    TestApp::spawn_with(db, config).await
}

/// An RS256 ID token signed by `keys` under `kid`.
fn id_token(keys: &Issuer, kid: &str, claims: &Value) -> String {
    let mut h = Header::new(Algorithm::RS256);
    h.kid = Some(kid.to_owned());
    jsonwebtoken::encode(
        &h,
        claims,
        &EncodingKey::from_rsa_pem(keys.private_pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

/// The claims of a national-login ID token for `sub`, with the personal ID `pid`.
fn id_claims(sub: &str, pid: Option<&str>) -> Value {
    let mut c = json!({ "iss": ISS, "aud": "motcua-langson", "sub": sub,
        "exp": now() + 300, "iat": now(), "name": "Nguyễn Thị Hoa" });
    if let Some(p) = pid {
        c["personal_id"] = json!(p);
    }
    c
}

#[actix_web::test]
async fn national_login_id_tokens_are_exchanged_and_forgeries_refused_j1() {
    let keys = issuer();
    for db in databases() {
        let app = oidc_app(&db, &keys).await;
        let rs256 = |kid: &str, claims: &Value| id_token(&keys, kid, claims);
        let claims = id_claims;
        // A new person: a citizen account is created and signed in.
        let token = rs256("vneid-1", &claims("vneid-sub-1", Some("036199001234")));
        let (_, r) = app.call(None, EXCHANGE, json!({ "t": token })).await;
        let p = &r["data"]["exchangeIdToken"];
        assert_eq!(p["account"]["login"], "036199001234", "{db}: {r}");
        assert_eq!(p["account"]["kind"], "CITIZEN");
        let access = p["accessToken"].as_str().unwrap();
        let (status, me) = app.call(Some(access), ME, json!({})).await;
        assert_eq!(
            (status, me["data"]["me"]["login"].as_str()),
            (200, Some("036199001234"))
        );
        // The same subject again: the same account (the link is kept, the claim not needed).
        let (_, r) = app
            .call(
                None,
                EXCHANGE,
                json!({ "t": rs256("vneid-1", &claims("vneid-sub-1", None)) }),
            )
            .await;
        assert_eq!(
            r["data"]["exchangeIdToken"]["account"]["login"], "036199001234",
            "{db}: {r}"
        );
        // An existing citizen (registered with a password) is linked, not duplicated.
        let (_, r) = app
            .call(
                None,
                EXCHANGE,
                json!({ "t": rs256("vneid-1", &claims("vneid-sub-2", Some(CITIZEN))) }),
            )
            .await;
        assert_eq!(
            r["data"]["exchangeIdToken"]["account"]["fullName"], "Nguyễn Văn An",
            "{db}: {r}"
        );
        // No usable personal ID for a new subject.
        let (_, r) = app
            .call(
                None,
                EXCHANGE,
                json!({ "t": rs256("vneid-1", &claims("vneid-sub-3", Some("123"))) }),
            )
            .await;
        assert_eq!(code(&r), "INVALID_INPUT", "{db}: {r}");

        let good = claims("vneid-sub-1", Some("036199001234"));
        let with = |k: &str, v: Value| {
            let mut c = good.clone();
            c[k] = v;
            c
        };
        let mut forged: Vec<(&str, String)> = vec![
            (
                "wrong aud",
                rs256("vneid-1", &with("aud", json!("another-app"))),
            ),
            (
                "wrong iss",
                rs256("vneid-1", &with("iss", json!("https://evil.example"))),
            ),
            (
                "expired",
                rs256("vneid-1", &with("exp", json!(now() - 120))),
            ),
            (
                "string exp",
                rs256("vneid-1", &with("exp", json!((now() + 300).to_string()))),
            ),
            ("unknown kid", rs256("vneid-2", &good)),
        ];
        // HS256 "signed" with the issuer's public key (algorithm confusion).
        for secret in [keys.public_pem.as_bytes(), keys.jwks.as_bytes()] {
            forged.push((
                "HS256 with the public key",
                sign(hs256(None, Some("vneid-1")), &good, secret),
            ));
        }
        let header = json!({ "alg": "none", "kid": "vneid-1" });
        forged.push(("alg none", format!("{}.{}.", b64(&header), b64(&good))));
        // Our own access token is not an ID token.
        forged.push(("a motcua access token", access.to_owned()));
        for (name, token) in forged {
            let (_, r) = app.call(None, EXCHANGE, json!({ "t": token })).await;
            assert_eq!(
                code(&r),
                "UNAUTHENTICATED",
                "{db}: {name} was accepted: {r}"
            );
        }
    }
}

#[actix_web::test]
async fn without_a_configured_issuer_the_exchange_is_refused() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let (_, r) = app.call(None, EXCHANGE, json!({ "t": "x.y.z" })).await;
    assert_eq!(code(&r), "INVALID_INPUT", "{r}");
}

#[actix_web::test]
async fn z4_the_national_login_never_takes_over_a_self_declared_account() {
    const NUMBER: &str = "036199005678";
    let keys = issuer();
    for db in databases() {
        let app = oidc_app(&db, &keys).await;
        // Someone registers the number with a password; a desk dossier is filed for it.
        let r = crate::helpers::register(&app, NUMBER, "Tự Khai", "mật khẩu tự khai dài").await;
        assert_eq!(r["accepted"], true, "{db}: {r}");
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let mut data = crate::helpers::citizen_sample("2.000815");
        data["applicant"]["id_number"] = json!(NUMBER);
        let id = crate::helpers::file_data(&app, &clerk, "2.000815", "z4-oidc", data).await;
        // The national login for that number, alone: refused, nothing linked.
        let token = id_token(&keys, "vneid-1", &id_claims("vneid-z4", Some(NUMBER)));
        let (_, r) = app.call(None, EXCHANGE, json!({ "t": token })).await;
        assert_eq!(code(&r), "IDENTITY_LINK_REQUIRED", "{db}: {r}");
        let message = r["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("Một cửa"), "{db}: {message}");
        // Signed in to that account with its password as well: the person proves both, the
        // account is linked and verified, and the desk dossier reaches it.
        let self_declared = app.login_payload(NUMBER, "mật khẩu tự khai dài").await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, mine) = app
            .call(
                Some(&self_declared),
                "{ myDossiers { edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["data"]["myDossiers"]["edges"],
            json!([]),
            "{db}: {mine}"
        );
        let (_, r) = app
            .call(Some(&self_declared), EXCHANGE, json!({ "t": token }))
            .await;
        let access = r["data"]["exchangeIdToken"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        let (_, mine) = app
            .call(
                Some(&access),
                "{ myDossiers { edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["data"]["myDossiers"]["edges"][0]["node"]["id"],
            id.as_str(),
            "{db}: {mine}"
        );
        // From then on the national login alone signs in to it.
        let (_, r) = app.call(None, EXCHANGE, json!({ "t": token })).await;
        assert_eq!(
            r["data"]["exchangeIdToken"]["account"]["login"], NUMBER,
            "{db}: {r}"
        );
    }
}
