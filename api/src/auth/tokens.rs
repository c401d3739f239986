//! motcua's own tokens.
//!
//! - **Access tokens**: JWT, HS256 only (pinned), header `typ: at+jwt` (RFC 9068) and a known `kid`,
//!   claims `iss`, `aud`, `sub`, `exp` required and checked, 15 minutes (J1–J4, J6). They also carry
//!   the session (`sid`) and the account's authorization version (`ver`), checked against the
//!   database on every request (J5).
//! - **Refresh tokens**: opaque random strings (`mcr_…`), stored only as SHA-256, single use. The
//!   next token of a rotation is derived from the presented one with HMAC under the signing key,
//!   so a duplicate refresh within 30 s can be answered with the very same pair without ever
//!   storing a token in clear (J4).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::AuthConfig;

/// Lifetime of an access token: 15 minutes (J4).
pub const ACCESS_TTL: i64 = 15 * 60;
/// Lifetime of one refresh token.
pub const REFRESH_TTL: i64 = 30 * 24 * 3600;
/// Lifetime of a session, however often it is refreshed.
pub const SESSION_TTL: i64 = 90 * 24 * 3600;
/// Clock skew tolerated on `exp`/`nbf` (J2: at most 30 s).
pub const LEEWAY: u64 = 30;
/// The `typ` header of access tokens.
pub const ACCESS_TYP: &str = "at+jwt";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The account id.
    pub sub: String,
    /// The session.
    pub sid: String,
    /// The account's authorization version when issued.
    pub ver: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The refresh-token row issued with it.
    pub jti: String,
}

/// Why a token was refused. Deliberately coarse towards clients: every variant is answered with
/// `UNAUTHENTICATED`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Not a JWT, bad signature, wrong algorithm, unknown key, wrong `typ`, a claim missing or
    /// wrong, expired.
    #[error("invalid token: {0}")]
    Invalid(&'static str),
    /// Signing failed (no key).
    #[error("cannot sign")]
    Signing,
}

struct Key {
    kid: String,
    secret: Vec<u8>,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// The signing keys and the expected issuer and audience.
pub struct Keys {
    keys: Vec<Key>,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field(
                "kids",
                &self.keys.iter().map(|k| &k.kid).collect::<Vec<_>>(),
            )
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// From the configuration: the first key signs, every key verifies.
    #[must_use]
    pub fn new(config: &AuthConfig) -> Self {
        Self {
            keys: config
                .keys
                .iter()
                .filter(|k| !k.secret.is_empty())
                .map(|k| Key {
                    kid: k.kid.clone(),
                    secret: k.secret.clone(),
                    encoding: EncodingKey::from_secret(&k.secret),
                    decoding: DecodingKey::from_secret(&k.secret),
                })
                .collect(),
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
        }
    }

    /// The issuer written in tokens.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The audience written in tokens.
    #[must_use]
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// The id of the key that signs new tokens.
    #[must_use]
    pub fn current_kid(&self) -> Option<&str> {
        self.keys.first().map(|k| k.kid.as_str())
    }

    /// Every key id, the signing one first.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.kid.as_str())
    }

    fn key(&self, kid: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Signs access-token claims with the key `kid` (the same claims and key give the same token).
    ///
    /// # Errors
    /// An unknown key.
    pub fn sign_access(&self, kid: &str, claims: &AccessClaims) -> Result<String, TokenError> {
        let key = self.key(kid).ok_or(TokenError::Signing)?;
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TYP.to_owned());
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &key.encoding).map_err(|_| TokenError::Signing)
    }

    /// Verifies an access token: signature with the key named by `kid`, HS256 only, `typ`,
    /// `iss`, `aud`, `sub`, `exp` (30 s leeway), `nbf` if present. `jku`/`x5u` are never fetched.
    ///
    /// # Errors
    /// Why it is refused.
    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid("header"))?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid("algorithm"));
        }
        if !header
            .typ
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TYP))
        {
            return Err(TokenError::Invalid("typ"));
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.key(kid))
            .ok_or(TokenError::Invalid("kid"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid("claims or signature"))
    }

    /// The refresh token that follows `parent` in a rotation, derived under key `kid`.
    #[must_use]
    pub fn next_refresh(&self, kid: &str, parent: &str) -> Option<String> {
        let key = self.key(kid)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key.secret).ok()?;
        mac.update(b"motcua refresh rotation\0");
        mac.update(parent.as_bytes());
        Some(format!(
            "mcr_{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        ))
    }
}

/// A fresh random refresh token (the first of a session).
///
/// # Errors
/// No randomness source.
pub fn new_refresh() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("mcr_{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// A random id (sessions).
///
/// # Errors
/// No randomness source.
pub fn random_id() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A random (version 4) UUID in its canonical lower-case text: dossier ids, attachment ids and
/// storage keys.
///
/// # Errors
/// No randomness source.
pub fn uuid() -> anyhow::Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let part = |r: std::ops::Range<usize>| h.get(r).unwrap_or_default();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    ))
}

/// How a token is stored: hex SHA-256.
#[must_use]
pub fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn keys() -> Keys {
        Keys::new(&Config::for_tests().auth)
    }

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            iss: "motcua".into(),
            aud: "motcua-api".into(),
            sub: "1".into(),
            sid: "s".into(),
            ver: 1,
            iat: 0,
            exp,
            jti: "1".into(),
        }
    }

    #[test]
    fn round_trip_and_determinism() {
        let k = keys();
        let exp = super::super::now() + 60;
        let a = k.sign_access("test-1", &claims(exp)).unwrap();
        let b = k.sign_access("test-1", &claims(exp)).unwrap();
        assert_eq!(a, b);
        assert_eq!(k.verify_access(&a).unwrap(), claims(exp));
    }

    #[test]
    fn expired_beyond_leeway_is_refused() {
        let k = keys();
        let t = k
            .sign_access("test-1", &claims(super::super::now() - 31))
            .unwrap();
        assert!(k.verify_access(&t).is_err());
    }

    #[test]
    fn rotation_is_deterministic_and_keyed() {
        let k = keys();
        let a = k.next_refresh("test-1", "mcr_x").unwrap();
        assert_eq!(a, k.next_refresh("test-1", "mcr_x").unwrap());
        assert_ne!(a, k.next_refresh("test-1", "mcr_y").unwrap());
        assert!(k.next_refresh("nope", "mcr_x").is_none());
        assert_eq!(digest("abc").len(), 64);
    }
}
