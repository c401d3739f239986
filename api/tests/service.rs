//! The `motcua` binary as deployed: it starts on a fresh SQLite file, seeds the demo province,
//! never logs secrets or personal data (SECURITY.md A7, J7), refuses production without signing
//! keys (J6), and `create-admin` issues a one-time password (V2).
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests index JSON answers"
)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("motcua-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn motcua(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_motcua"));
    c.current_dir(dir)
        .env_remove("MOTCUA_ENV")
        .env_remove("MOTCUA_CONFIG")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/motcua.db?mode=rwc", dir.display()),
        )
        .env("MOTCUA_CATALOG", repo("catalog/procedures"))
        .env("MOTCUA_UNITS", repo("catalog/units"))
        .env("MOTCUA_DEMO", repo("catalog/demo"));
    c
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> Value {
    let mut r = client
        .post(url)
        .json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap().json().await.unwrap_or(Value::Null)
}

#[tokio::test]
async fn secrets_and_personal_data_never_reach_the_logs_a7() {
    let dir = temp_dir("canary");
    let mut child = motcua(&dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("RUST_LOG", "debug")
        .env(
            "MOTCUA_JWT_KEYS",
            "k1:bW90Y3VhLWNhbmFyeS1zaWduaW5nLWtleS0wMTIzNDU2Nzg5",
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    assert!(url.ends_with("/graphql"), "{line}");
    let client = reqwest::Client::new();
    const CCCD: &str = "079199012345";
    const PHONE: &str = "0987001122";
    const EMAIL: &str = "canary.zq81@example.vn";
    const PASSWORD: &str = "canary-password-Zq81";
    let r = post(
        &client,
        &url,
        None,
        "mutation($i: RegisterInput!) { register(input: $i) { accepted userErrors { code } } }",
        json!({ "i": { "kind": "CITIZEN", "identifier": CCCD, "fullName": "Canary Test", "password": PASSWORD, "phone": PHONE, "email": EMAIL } }),
    )
    .await;
    assert_eq!(r["data"]["register"]["accepted"], true, "{r}");
    let r = post(
        &client,
        &url,
        None,
        "mutation($p: String!) { login(identifier: \"079199012345\", password: $p) { accessToken refreshToken } }",
        json!({ "p": PASSWORD }),
    )
    .await;
    let access = r["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let refresh = r["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Wrong passwords (the failure is logged only as a count), a refresh, a reuse, a bad token.
    for _ in 0..5 {
        post(&client, &url, None, "mutation($p: String!) { login(identifier: \"079199012345\", password: $p) { accessToken } }", json!({ "p": format!("{PASSWORD}-wrong") })).await;
    }
    const REFRESH: &str =
        "mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }";
    let r = post(&client, &url, None, REFRESH, json!({ "t": refresh })).await;
    let refresh2 = r["data"]["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    post(&client, &url, None, REFRESH, json!({ "t": refresh2 })).await;
    post(&client, &url, None, REFRESH, json!({ "t": refresh })).await;
    post(&client, &url, Some(&access), "{ me { login } }", json!({})).await;
    post(
        &client,
        &url,
        Some("canary.bearer.token"),
        "{ me { login } }",
        json!({}),
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(
        logs.contains("account locked"),
        "the test must exercise logging: {logs}"
    );
    assert!(logs.contains("refresh token reused"), "{logs}");
    for canary in [
        CCCD,
        PHONE,
        EMAIL,
        PASSWORD,
        &access,
        &refresh,
        &refresh2,
        "canary.bearer.token",
        "bW90Y3Vh",
    ] {
        assert!(!logs.contains(canary), "{canary} appears in the logs");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn production_refuses_to_start_without_signing_keys_j6() {
    let dir = temp_dir("prod");
    let out = motcua(&dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("MOTCUA_ENV", "production")
        .env_remove("MOTCUA_JWT_KEYS")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("MOTCUA_JWT_KEYS"), "{stderr}");
    // A short key is refused too.
    let out = motcua(&dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("MOTCUA_ENV", "production")
        .env("MOTCUA_JWT_KEYS", "k1:c2hvcnQ=")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("at least 32")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn create_admin_issues_a_one_time_password_v2_and_seed_is_idempotent() {
    let dir = temp_dir("admin");
    for _ in 0..2 {
        let out = motcua(&dir).arg("seed").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = motcua(&dir)
        .args([
            "create-admin",
            "--username",
            "quantri.moi",
            "--full-name",
            "Quản Trị Mới",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    let password = stdout.lines().last().unwrap().trim();
    assert_eq!(password.len(), 16, "{stdout}");
    let out = motcua(&dir)
        .args([
            "create-admin",
            "--username",
            "quantri.moi",
            "--full-name",
            "Quản Trị Mới",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("USERNAME_TAKEN")
    );
    let out = motcua(&dir)
        .args([
            "create-admin",
            "--username",
            "quantri.x",
            "--full-name",
            "X Y",
            "--agency",
            "000.00.00.H99",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("000.00.00.H99")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
