//! ID tokens of an external OpenID Connect issuer (a VNeID-style national login), exchanged for a
//! motcua session. The issuer's keys come from configuration (a JWKS), never from the network:
//! `jku`, `x5u` and unknown `kid`s are refused (J1). Each key's algorithm is pinned: RS256 for RSA
//! keys, ES256 for P-256 keys, so an HS256 token "signed" with a public key is refused.

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::tokens::LEEWAY;
use crate::config::OidcConfig;

/// A verified identity from the external issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// The issuer.
    pub issuer: String,
    /// The subject at the issuer.
    pub subject: String,
    /// The personal ID number the issuer vouches for.
    pub personal_id: Option<String>,
    /// The name, if given.
    pub name: Option<String>,
}

/// Why an ID token or the configured JWKS is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OidcError {
    /// The configured JWKS cannot be used.
    #[error("the configured JWKS is unusable: {0}")]
    Jwks(String),
    /// The ID token is refused.
    #[error("invalid ID token: {0}")]
    Invalid(&'static str),
}

/// The configured issuer with its keys.
pub struct Verifier {
    issuer: String,
    audience: String,
    id_claim: String,
    keys: Vec<(String, Algorithm, DecodingKey)>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.issuer)
            .field("kids", &self.keys.iter().map(|k| &k.0).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Reads the configuration's JWKS. Every key needs a `kid`; RSA keys verify RS256 and P-256
    /// keys ES256 (an `alg` in the JWK must agree).
    ///
    /// # Errors
    /// Unparseable JWKS, a key without `kid`, an unsupported key type.
    pub fn new(config: &OidcConfig) -> Result<Self, OidcError> {
        let set: JwkSet =
            serde_json::from_str(&config.jwks).map_err(|e| OidcError::Jwks(e.to_string()))?;
        let mut keys = Vec::new();
        for jwk in &set.keys {
            let kid = jwk
                .common
                .key_id
                .clone()
                .ok_or_else(|| OidcError::Jwks("a key has no kid".to_owned()))?;
            let alg = match &jwk.algorithm {
                AlgorithmParameters::RSA(_) => Algorithm::RS256,
                AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
                    Algorithm::ES256
                }
                _ => {
                    return Err(OidcError::Jwks(format!(
                        "key {kid}: only RSA (RS256) and P-256 (ES256) keys are accepted"
                    )));
                }
            };
            if let Some(declared) = jwk.common.key_algorithm {
                let declared = format!("{declared:?}");
                if declared != format!("{alg:?}") {
                    return Err(OidcError::Jwks(format!(
                        "key {kid}: alg {declared} does not match its key type"
                    )));
                }
            }
            let key = DecodingKey::from_jwk(jwk).map_err(|e| OidcError::Jwks(e.to_string()))?;
            keys.push((kid, alg, key));
        }
        if keys.is_empty() {
            return Err(OidcError::Jwks("no keys".to_owned()));
        }
        Ok(Self {
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            id_claim: config.id_claim.clone(),
            keys,
        })
    }

    /// Verifies an ID token.
    ///
    /// # Errors
    /// Why it is refused.
    pub fn verify(&self, token: &str) -> Result<ExternalIdentity, OidcError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| OidcError::Invalid("header"))?;
        let (_, alg, key) = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.iter().find(|(k, _, _)| k == kid))
            .ok_or(OidcError::Invalid("kid"))?;
        if header.alg != *alg {
            return Err(OidcError::Invalid("algorithm"));
        }
        let mut validation = Validation::new(*alg);
        validation.leeway = LEEWAY;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        let data = jsonwebtoken::decode::<Value>(token, key, &validation)
            .map_err(|_| OidcError::Invalid("claims or signature"))?;
        let claims = data.claims;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        Ok(ExternalIdentity {
            issuer: self.issuer.clone(),
            subject: text("sub").ok_or(OidcError::Invalid("sub"))?,
            personal_id: text(&self.id_claim),
            name: text("name"),
        })
    }
}
