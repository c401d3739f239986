//! The web app served beside the API (the citizen portal's build): its shell for every page path
//! (deep links, the QR code's `/tra-cuu?ma=…`), hashed assets cached for a year, a strict Content
//! Security Policy that names the shell's inline script by hash and never allows inline script
//! otherwise, and nothing outside the build folder.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use motcua_api::config::{Config, Mode};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;

const BOOT: &str = "__sveltekit_boot={base:\"\"};";

/// A build folder shaped like SvelteKit's static output.
fn build() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let immutable = dir.path().join("_app/immutable/entry");
    std::fs::create_dir_all(&immutable).unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        format!(
            "<!doctype html><html lang=\"vi\"><head><script type=\"module\" \
             src=\"/_app/immutable/entry/start.Ab12.js\"></script></head><body>\
             <div id=\"app\"></div><script>{BOOT}</script></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(immutable.join("start.Ab12.js"), "export const x = 1;").unwrap();
    std::fs::write(dir.path().join("manifest.webmanifest"), "{}").unwrap();
    dir
}

#[actix_web::test]
async fn the_portal_is_served_with_its_shell_long_cached_assets_and_a_strict_policy() {
    let dir = build();
    let mut config = Config::for_tests();
    config.mode = Mode::Development;
    config.web_dir = dir.path().to_string_lossy().into_owned();
    let app = TestApp::spawn_with("sqlite::memory:", config).await;
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", app.address)).send();

    // Every page path answers the shell, with the policy and no caching.
    for path in [
        "/",
        "/thu-tuc/1.004194",
        "/tra-cuu?ma=000.00.51.H42-261122-0001",
    ] {
        let r = get(path).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let headers = r.headers().clone();
        assert_eq!(headers["cache-control"], "no-cache", "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let hash = STANDARD.encode(Sha256::digest(BOOT.as_bytes()));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(r.text().await.unwrap().contains("__sveltekit_boot"));
    }
    // Hashed assets are cached for a year; a missing asset is a 404, not the shell.
    let r = get("/_app/immutable/entry/start.Ab12.js").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(
        get("/_app/immutable/entry/gone.js").await.unwrap().status(),
        404
    );
    assert_eq!(get("/favicon.ico").await.unwrap().status(), 404);
    let r = get("/manifest.webmanifest").await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    // Nothing outside the build, however the path is spelt.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/_app/../../Cargo.toml",
    ] {
        let r = get(path).await.unwrap();
        let body = r.text().await.unwrap();
        assert!(!body.contains("[package]"), "{path}: {body}");
    }
    // The API is where it was.
    let (status, r) = app
        .call(
            None,
            "{ procedures(first: 1) { nodes { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

#[actix_web::test]
async fn without_a_build_the_server_answers_the_api_only() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let r = reqwest::get(format!("{}/", app.address)).await.unwrap();
    assert_eq!(r.status(), 404);
}
