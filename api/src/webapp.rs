//! The web app (the built SvelteKit single-page app) served at `/`, beside the API: hashed assets
//! cached for a year, everything else revalidated, unknown paths answered with the app's shell so
//! the client-side router takes over (deep links, reloads, `/tra-cuu?ma=…` from a printed QR code).
//!
//! Every answer carries a strict Content Security Policy: scripts only from this origin plus the
//! SHA-256 of each inline script the build put in the shell (SvelteKit's bootstrap), computed when
//! the server starts — never `'unsafe-inline'`; WebAssembly compiled with `'wasm-unsafe-eval'`
//! (the core runs in the browser); no frames, no objects, connections only to this origin.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

/// The built app.
#[derive(Debug, Clone)]
pub struct WebApp {
    root: PathBuf,
    /// Shared, not copied, by every page answer.
    shell: actix_web::web::Bytes,
    csp: String,
}

/// Where SvelteKit puts content-hashed files, which never change under their name.
const IMMUTABLE: &str = "_app/immutable/";

impl WebApp {
    /// The app built in `dir` (with its `index.html` shell), or `None` when there is none.
    ///
    /// # Errors
    /// An unreadable shell.
    pub fn load(dir: &Path) -> std::io::Result<Option<Self>> {
        let index = dir.join("index.html");
        if !index.is_file() {
            return Ok(None);
        }
        let shell = actix_web::web::Bytes::from(std::fs::read(&index)?);
        let csp = policy(&inline_scripts(&String::from_utf8_lossy(&shell)));
        Ok(Some(Self {
            root: dir.to_owned(),
            shell,
            csp,
        }))
    }

    /// The Content Security Policy every answer carries.
    #[must_use]
    pub fn csp(&self) -> &str {
        &self.csp
    }

    /// Answers `GET path`: the file, or the shell for a path the app routes itself.
    pub async fn serve(&self, req: &HttpRequest) -> HttpResponse {
        let path = req.path().trim_start_matches('/');
        let file = safe_join(&self.root, path).filter(|p| p.is_file());
        let (bytes, content_type, immutable) = match file {
            Some(p) => match tokio::fs::read(&p).await {
                Ok(bytes) => {
                    let bytes = actix_web::web::Bytes::from(bytes);
                    let mime = mime_guess::from_path(&p).first_or_octet_stream();
                    (bytes, mime.to_string(), path.starts_with(IMMUTABLE))
                }
                Err(_) => return HttpResponse::NotFound().finish(),
            },
            // A missing asset is a 404; any other path is a page of the app (page paths may hold
            // dots: procedure codes such as `/thu-tuc/1.004194`).
            None if path.starts_with("_app/") || is_asset(path) => {
                return HttpResponse::NotFound().finish();
            }
            None => (
                self.shell.clone(),
                "text/html; charset=utf-8".to_owned(),
                false,
            ),
        };
        let mut response = HttpResponse::Ok();
        response
            .insert_header((header::CONTENT_TYPE, content_type))
            .insert_header((
                header::CACHE_CONTROL,
                if immutable {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                },
            ))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"));
        if let Ok(v) = HeaderValue::from_str(&self.csp) {
            response.insert_header((header::CONTENT_SECURITY_POLICY, v));
        }
        response.body(bytes)
    }
}

/// `root/path` when `path` stays inside `root` (no `..`, no absolute part).
fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(relative))
}

/// Whether a path names a file of a known kind other than a page (`.js`, `.png`, `.ico`, …).
fn is_asset(path: &str) -> bool {
    mime_guess::from_path(path)
        .first()
        .is_some_and(|m| m.essence_str() != "text/html")
}

/// The bodies of the inline `<script>` elements of an HTML document (those without `src`).
fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(body_and_more[..close].to_owned());
        }
        rest = &body_and_more[close..];
    }
    scripts
}

/// The policy, with the hash of each inline script of the shell.
fn policy(inline: &[String]) -> String {
    let hashes: String = inline
        .iter()
        .map(|s| {
            format!(
                " 'sha256-{}'",
                STANDARD.encode(Sha256::digest(s.as_bytes()))
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<head><script type=\"module\" src=\"/_app/x.js\"></script></head>\
                    <body><script>start(1)</script></body>";
        let scripts = inline_scripts(html);
        assert_eq!(scripts, vec!["start(1)".to_owned()]);
        let csp = policy(&scripts);
        let hash = STANDARD.encode(Sha256::digest(b"start(1)"));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    }

    #[test]
    fn paths_cannot_leave_the_build() {
        let root = Path::new("/srv/web");
        assert_eq!(safe_join(root, "_app/a.js"), Some(root.join("_app/a.js")));
        assert_eq!(safe_join(root, "../etc/passwd"), None);
        assert_eq!(safe_join(root, "/etc/passwd"), None);
        assert_eq!(safe_join(root, "a/../../b"), None);
    }
}
