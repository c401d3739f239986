//! Configuration from the environment, an optional TOML file and the command line, with safe
//! defaults for a first run: an embedded SQLite file and a loopback address.
//!
//! Every setting has an environment name (`MOTCUA_BIND`, `DATABASE_URL`, …) and the same name in
//! lower case without the `MOTCUA_` prefix in the TOML file (`bind = "…"`, `database_url = "…"`);
//! the environment wins. The file is `MOTCUA_CONFIG` (or `--config`). Secrets (signing keys, the
//! database password) are never logged: `Debug` of [`Config`] redacts them.

use base64::Engine;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

/// Development mode opens introspection and the GraphQL playground; production closes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Local development and tests.
    Development,
    /// A deployed service.
    Production,
}

/// A symmetric key signing access tokens, named by its `kid` (SECURITY.md J6).
#[derive(Clone)]
pub struct SigningKey {
    /// Key id, written in each token's header.
    pub kid: String,
    /// At least 32 bytes.
    pub secret: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SigningKey {{ kid: {:?}, secret: <redacted> }}",
            self.kid
        )
    }
}

/// An external OpenID Connect issuer (a VNeID-style national login) whose ID tokens are exchanged
/// for motcua sessions. No network: the public keys come from configuration.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Expected `aud` (motcua's client id at the issuer).
    pub audience: String,
    /// The issuer's JWKS (JSON text): keys by `kid`, RS256 or ES256.
    pub jwks: String,
    /// The claim carrying the 12-digit personal ID (default `personal_id`).
    pub id_claim: String,
}

/// The service's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`MOTCUA_BIND`, default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://motcua.db?mode=rwc` (created on first run).
    database_url: String,
    /// `MOTCUA_ENV=production` switches to production mode.
    pub mode: Mode,
    /// Where the procedure catalogue is seeded from (`MOTCUA_CATALOG`, default `catalog/procedures`).
    pub catalog_dir: String,
    /// Where the administrative units are seeded from (`MOTCUA_UNITS`, default `catalog/units`).
    pub units_dir: String,
    /// The demo province's agencies and accounts (`MOTCUA_DEMO`, default `catalog/demo`); seeding
    /// the demo accounts is refused in production.
    pub demo_dir: String,
    /// The built web app served at `/` (`MOTCUA_WEB_DIR`, default `web/build`); without it the
    /// server answers the API only.
    pub web_dir: String,
    /// Token settings.
    pub auth: AuthConfig,
    /// Peers whose `X-Forwarded-For` is believed (`MOTCUA_TRUSTED_PROXIES`, comma-separated IPs);
    /// from anyone else the header is ignored (SECURITY.md A1).
    pub trusted_proxies: Vec<IpAddr>,
    /// `MOTCUA_LOG_FORMAT=json` (the default in production) or `text`.
    pub json_logs: bool,
    /// Where attachments are stored on the local disk (`MOTCUA_STORAGE_DIR`, default `storage`).
    pub storage_dir: String,
    /// An S3-compatible bucket instead (`MOTCUA_S3_BUCKET`; endpoint and keys from `AWS_*`).
    pub s3_bucket: Option<String>,
    /// Notification delivery and the scheduled jobs.
    pub notify: NotifyConfig,
    /// Who may read `/metrics`.
    pub metrics: MetricsConfig,
    /// `MOTCUA_SOCKET_RECHECK_SECS` (default 30): how often an open WebSocket re-checks its
    /// session while no operation or event does (SECURITY.md Z5).
    pub socket_recheck_secs: u64,
    /// The payment gateways.
    pub payments: PaymentConfig,
}

/// The simulator's address in development (`motcua payment-sim`, started by `serve.sh`).
pub const DEV_PAYMENT_SIM: &str = "http://127.0.0.1:8190";
/// The development merchant secrets the simulator shares; refused in production.
pub const DEV_VNPAY_SECRET: &str = "motcua-demo-vnpay-secret-not-for-production";
/// See [`DEV_VNPAY_SECRET`].
pub const DEV_PAYGOV_SECRET: &str = "motcua-demo-paygov-secret-not-for-production";

/// One gateway: where it is, who we are to it, and the secrets it signs with (the first signs
/// what we send; all are accepted on what we receive, so a secret can be rotated — W9).
#[derive(Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    /// The payment page (VNPay) or the API base (national platform).
    pub url: String,
    /// The query API (VNPay's `querydr`); the platform's is under `url`.
    pub api_url: String,
    /// The merchant code (`vnp_TmnCode`, the platform's merchant).
    pub merchant: String,
    /// The secrets, newest first.
    pub secrets: Vec<String>,
}

impl std::fmt::Debug for GatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayConfig")
            .field("url", &self.url)
            .field("merchant", &self.merchant)
            .field("secrets", &self.secrets.len())
            .finish_non_exhaustive()
    }
}

/// The payment gateways (issue 16). In development both point to the simulator; in production a
/// gateway is on only when configured, over HTTPS, with a secret that is not a demo one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentConfig {
    /// `MOTCUA_VNPAY_URL`, `MOTCUA_VNPAY_API_URL`, `MOTCUA_VNPAY_TMN_CODE`, `MOTCUA_VNPAY_SECRETS`.
    pub vnpay: Option<GatewayConfig>,
    /// `MOTCUA_PAYGOV_URL`, `MOTCUA_PAYGOV_MERCHANT`, `MOTCUA_PAYGOV_SECRETS`.
    pub paygov: Option<GatewayConfig>,
    /// `MOTCUA_PAYMENT_QUERY_AFTER_SECS` (default 900): a payment still open this long after it
    /// was started is queried at its gateway (W7), then again with a growing interval.
    pub query_after_secs: i64,
    /// `MOTCUA_CALLBACKS_PER_IP_PER_MINUTE` (default 600): gateway callbacks one address may
    /// send per minute (a gateway sends a few per payment; a flood of forged ones is cut off
    /// before it fills the inbox).
    pub callbacks_per_ip_per_minute: i64,
}

impl PaymentConfig {
    /// Both gateways on the simulator at `sim` (development and tests).
    #[must_use]
    pub fn simulator(sim: &str) -> Self {
        let sim = sim.trim_end_matches('/');
        Self {
            vnpay: Some(GatewayConfig {
                url: format!("{sim}/vnpay/paymentv2/vpcpay.html"),
                api_url: format!("{sim}/vnpay/merchant_webapi/api/transaction"),
                merchant: "MOTCUA01".to_owned(),
                secrets: vec![DEV_VNPAY_SECRET.to_owned()],
            }),
            paygov: Some(GatewayConfig {
                url: format!("{sim}/paygov"),
                api_url: format!("{sim}/paygov"),
                merchant: "MOTCUA".to_owned(),
                secrets: vec![DEV_PAYGOV_SECRET.to_owned()],
            }),
            query_after_secs: 900,
            callbacks_per_ip_per_minute: 600,
        }
    }

    fn load(src: &Source, mode: Mode) -> Result<Self, ConfigError> {
        let sim = src
            .get("MOTCUA_PAYMENT_SIM_URL")
            .unwrap_or_else(|| DEV_PAYMENT_SIM.to_owned());
        let defaults = if mode == Mode::Development {
            Self::simulator(&sim)
        } else {
            Self {
                vnpay: None,
                paygov: None,
                query_after_secs: 900,
                callbacks_per_ip_per_minute: 600,
            }
        };
        let gateway = |prefix: &str,
                       url: &'static str,
                       api: Option<&'static str>,
                       merchant: &'static str,
                       secrets: &'static str,
                       demo: &str,
                       default: Option<GatewayConfig>|
         -> Result<Option<GatewayConfig>, ConfigError> {
            let Some(url_value) = src.get(url) else {
                return Ok(default);
            };
            let need = |name: &'static str| {
                src.get(name).ok_or_else(|| ConfigError::Invalid {
                    name,
                    why: format!("needed when {url} is set ({prefix})"),
                })
            };
            let g = GatewayConfig {
                api_url: match api {
                    Some(name) => need(name)?,
                    None => url_value.trim_end_matches('/').to_owned(),
                },
                url: url_value.trim_end_matches('/').to_owned(),
                merchant: need(merchant)?,
                secrets: need(secrets)?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            };
            if g.secrets.is_empty() {
                return Err(ConfigError::Invalid {
                    name: secrets,
                    why: "at least one secret".to_owned(),
                });
            }
            if mode == Mode::Production {
                // The simulator speaks plain HTTP with a published secret: production refuses both.
                if ![&g.url, &g.api_url]
                    .iter()
                    .all(|u| u.starts_with("https://"))
                {
                    return Err(ConfigError::Invalid {
                        name: url,
                        why: "production talks to a payment gateway over HTTPS only".to_owned(),
                    });
                }
                if g.secrets.iter().any(|s| s == demo || s.len() < 16) {
                    return Err(ConfigError::Invalid {
                        name: secrets,
                        why: "a demo or short (< 16 characters) secret in production".to_owned(),
                    });
                }
            }
            Ok(Some(g))
        };
        Ok(Self {
            vnpay: gateway(
                "VNPay",
                "MOTCUA_VNPAY_URL",
                Some("MOTCUA_VNPAY_API_URL"),
                "MOTCUA_VNPAY_TMN_CODE",
                "MOTCUA_VNPAY_SECRETS",
                DEV_VNPAY_SECRET,
                defaults.vnpay,
            )?,
            paygov: gateway(
                "national payment platform",
                "MOTCUA_PAYGOV_URL",
                None,
                "MOTCUA_PAYGOV_MERCHANT",
                "MOTCUA_PAYGOV_SECRETS",
                DEV_PAYGOV_SECRET,
                defaults.paygov,
            )?,
            query_after_secs: match src.get("MOTCUA_PAYMENT_QUERY_AFTER_SECS") {
                None => defaults.query_after_secs,
                Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ConfigError::Invalid {
                        name: "MOTCUA_PAYMENT_QUERY_AFTER_SECS",
                        why: format!("{v:?} is not a positive number"),
                    }
                })?,
            },
            callbacks_per_ip_per_minute: match src.get("MOTCUA_CALLBACKS_PER_IP_PER_MINUTE") {
                None => defaults.callbacks_per_ip_per_minute,
                Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ConfigError::Invalid {
                        name: "MOTCUA_CALLBACKS_PER_IP_PER_MINUTE",
                        why: format!("{v:?} is not a positive number"),
                    }
                })?,
            },
        })
    }
}

/// Who may read `/metrics`: a client address in `allow`, or anyone with the bearer `token`.
/// Everyone else gets 404 (403 for a wrong token).
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsConfig {
    /// `MOTCUA_METRICS_TOKEN`: a bearer token (at least 16 characters) that opens `/metrics`
    /// from any address.
    pub token: Option<String>,
    /// `MOTCUA_METRICS_ALLOW`: addresses and networks (comma-separated IPs or CIDRs) that may read
    /// `/metrics` without the token; loopback by default, `none` for nobody.
    pub allow: Vec<ipnet::IpNet>,
}

impl std::fmt::Debug for MetricsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsConfig")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("allow", &self.allow)
            .finish()
    }
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            token: None,
            allow: loopback(),
        }
    }
}

/// `127.0.0.0/8` and `::1`.
fn loopback() -> Vec<ipnet::IpNet> {
    vec![
        ipnet::IpNet::from(ipnet::Ipv4Net::new_assert(std::net::Ipv4Addr::LOCALHOST, 8)),
        ipnet::IpNet::from(IpAddr::from(std::net::Ipv6Addr::LOCALHOST)),
    ]
}

/// The shortest accepted metrics token.
const MIN_METRICS_TOKEN: usize = 16;

impl MetricsConfig {
    /// From the values of `MOTCUA_METRICS_TOKEN` and `MOTCUA_METRICS_ALLOW`.
    ///
    /// # Errors
    /// A token shorter than 16 characters, an entry that is neither an address nor a network.
    pub fn parse(token: Option<String>, allow: Option<&str>) -> Result<Self, ConfigError> {
        let token = token.map(|t| t.trim().to_owned());
        if token
            .as_ref()
            .is_some_and(|t| t.chars().count() < MIN_METRICS_TOKEN)
        {
            return Err(ConfigError::Invalid {
                name: "MOTCUA_METRICS_TOKEN",
                why: format!("at least {MIN_METRICS_TOKEN} characters"),
            });
        }
        let allow = match allow.map(str::trim) {
            None => loopback(),
            Some(none) if none.eq_ignore_ascii_case("none") => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<ipnet::IpNet>()
                        .or_else(|_| s.parse::<IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| ConfigError::Invalid {
                            name: "MOTCUA_METRICS_ALLOW",
                            why: format!("{s:?} is neither an IP address nor a CIDR network"),
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(Self { token, allow })
    }
}

/// The local SMTP sink of development (`tests/sinks/notify_sink.py --smtp-port 1025`).
pub const DEV_SMTP: &str = "smtp://127.0.0.1:1025";
/// The local SMS gateway sink of development (`--http-port 1080`).
pub const DEV_SMS: &str = "http://127.0.0.1:1080/sms";

/// Where notifications go, and how often the background work runs.
#[derive(Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    /// `MOTCUA_SMTP_URL`, e.g. `smtps://user:pass@mail.example:465` (development:
    /// `smtp://127.0.0.1:1025`); when empty, e-mails wait in the outbox.
    pub smtp_url: Option<String>,
    /// `MOTCUA_MAIL_FROM` (default `Một cửa điện tử <no-reply@motcua.local>`).
    pub mail_from: String,
    /// `MOTCUA_SMS_URL`: the SMS gateway's HTTP endpoint (JSON POST; development:
    /// `http://127.0.0.1:1080/sms`); when empty, SMS wait.
    pub sms_url: Option<String>,
    /// `MOTCUA_SMS_TOKEN`: bearer token for the gateway.
    pub sms_token: Option<String>,
    /// `MOTCUA_PUBLIC_URL`: the portal's address, for links and QR codes (default
    /// `http://127.0.0.1:8080`).
    pub public_url: String,
    /// `MOTCUA_RELAY=off` stops this instance delivering the outbox (another instance does).
    pub relay: bool,
    /// `MOTCUA_JOBS=off` stops this instance running the deadline marks.
    pub jobs: bool,
    /// `MOTCUA_JOBS_INTERVAL_SECS` (default 60): how often the deadline marks run.
    pub jobs_interval_secs: u64,
    /// `MOTCUA_OUTBOX_LEASE_SECS` (default 30): how long a relay holds a message it is sending
    /// before another may take it (longer than one send's 20-second timeout).
    pub lease_secs: i64,
}

impl std::fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may carry a password and the SMS token is a secret.
        f.debug_struct("NotifyConfig")
            .field("smtp", &self.smtp_url.as_ref().map(|_| "[configured]"))
            .field("mail_from", &self.mail_from)
            .field("sms", &self.sms_url.as_ref().map(|_| "[configured]"))
            .field("public_url", &self.public_url)
            .field("relay", &self.relay)
            .field("jobs", &self.jobs)
            .field("jobs_interval_secs", &self.jobs_interval_secs)
            .field("lease_secs", &self.lease_secs)
            .finish()
    }
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: "Một cửa điện tử <no-reply@motcua.local>".to_owned(),
            sms_url: None,
            sms_token: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            relay: true,
            jobs: true,
            jobs_interval_secs: 60,
            lease_secs: 30,
        }
    }
}

/// Access- and refresh-token settings.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `MOTCUA_JWT_KEYS=kid:base64,kid2:base64…`; the first signs, all verify (rotation by `kid`).
    pub keys: Vec<SigningKey>,
    /// `iss` of motcua's tokens (`MOTCUA_JWT_ISSUER`, default `motcua`).
    pub issuer: String,
    /// `aud` of motcua's tokens (`MOTCUA_JWT_AUDIENCE`, default `motcua-api`).
    pub audience: String,
    /// The external issuer, when `MOTCUA_OIDC_ISSUER` is set.
    pub oidc: Option<OidcConfig>,
    /// `MOTCUA_LOGINS_PER_IP_PER_MINUTE` (default 10).
    pub logins_per_ip_per_minute: i64,
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A setting has an unusable value.
    #[error("{name}: {why}")]
    Invalid {
        /// The setting.
        name: &'static str,
        /// What is wrong.
        why: String,
    },
    /// The TOML file cannot be read or parsed.
    #[error("configuration file {path}: {why}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        why: String,
    },
}

/// Where settings come from: the environment first, then the file.
struct Source {
    file: BTreeMap<String, String>,
}

impl Source {
    fn load(path: Option<&str>) -> Result<Self, ConfigError> {
        let env_path = std::env::var("MOTCUA_CONFIG")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let Some(path) = path.map(str::to_owned).or(env_path) else {
            return Ok(Self {
                file: BTreeMap::new(),
            });
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::File {
            path: path.clone(),
            why: e.to_string(),
        })?;
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::File {
                path: path.clone(),
                why: e.message().to_owned(),
            })?;
        let mut file = BTreeMap::new();
        for (key, value) in table {
            let value = match value {
                toml::Value::String(s) => s,
                toml::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            file.insert(key, value);
        }
        Ok(Self { file })
    }

    /// `MOTCUA_X` (or `env` as given when it has no prefix) from the environment, else `x` from
    /// the file.
    fn get(&self, env: &str) -> Option<String> {
        if let Some(v) = std::env::var(env).ok().filter(|v| !v.trim().is_empty()) {
            return Some(v);
        }
        let key = env
            .strip_prefix("MOTCUA_")
            .unwrap_or(env)
            .to_ascii_lowercase();
        self.file
            .get(&key)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }
}

/// How often an idle WebSocket re-checks its session by default (seconds).
pub const DEFAULT_SOCKET_RECHECK_SECS: u64 = 30;

/// The smallest signing key: 256 bits (J6).
const MIN_KEY_BYTES: usize = 32;

fn parse_keys(text: &str) -> Result<Vec<SigningKey>, ConfigError> {
    let invalid = |why: String| ConfigError::Invalid {
        name: "MOTCUA_JWT_KEYS",
        why,
    };
    let mut keys: Vec<SigningKey> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kid, b64) = part
            .split_once(':')
            .ok_or_else(|| invalid("each key is kid:base64".to_owned()))?;
        let secret = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64.trim()))
            .map_err(|_| invalid(format!("key {kid} is not base64")))?;
        if secret.len() < MIN_KEY_BYTES {
            return Err(invalid(format!(
                "key {kid} has {} bytes; at least {MIN_KEY_BYTES} are needed",
                secret.len()
            )));
        }
        if kid.is_empty() || keys.iter().any(|k| k.kid == kid) {
            return Err(invalid(format!("key id {kid:?} is empty or repeated")));
        }
        keys.push(SigningKey {
            kid: kid.to_owned(),
            secret,
        });
    }
    Ok(keys)
}

impl Config {
    /// Reads the environment (and `MOTCUA_CONFIG`, if set).
    ///
    /// # Errors
    /// An unusable setting, or production without signing keys.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::load(None)
    }

    /// Reads the environment and the given TOML file.
    ///
    /// # Errors
    /// An unusable setting or file, or production without signing keys.
    pub fn load(file: Option<&str>) -> Result<Self, ConfigError> {
        let src = Source::load(file)?;
        let bind = src
            .get("MOTCUA_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
            .parse()
            .map_err(|_| ConfigError::Invalid {
                name: "MOTCUA_BIND",
                why: "must be ADDR:PORT, e.g. 127.0.0.1:8080".to_owned(),
            })?;
        let mode = match src.get("MOTCUA_ENV").as_deref() {
            Some("production") => Mode::Production,
            None | Some("development") => Mode::Development,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "MOTCUA_ENV",
                    why: format!("{other:?} is neither development nor production"),
                });
            }
        };
        let mut keys = match src.get("MOTCUA_JWT_KEYS") {
            Some(text) => parse_keys(&text)?,
            None => Vec::new(),
        };
        if keys.is_empty() {
            if mode == Mode::Production {
                return Err(ConfigError::Invalid {
                    name: "MOTCUA_JWT_KEYS",
                    why: "production needs signing keys from configuration".to_owned(),
                });
            }
            keys.push(development_key());
        }
        let trusted_proxies = src
            .get("MOTCUA_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| ConfigError::Invalid {
                    name: "MOTCUA_TRUSTED_PROXIES",
                    why: format!("{s:?} is not an IP address"),
                })
            })
            .collect::<Result<_, _>>()?;
        let oidc = match src.get("MOTCUA_OIDC_ISSUER") {
            None => None,
            Some(issuer) => {
                let missing = |name: &'static str| ConfigError::Invalid {
                    name,
                    why: "needed when MOTCUA_OIDC_ISSUER is set".to_owned(),
                };
                let jwks_file = src
                    .get("MOTCUA_OIDC_JWKS_FILE")
                    .ok_or_else(|| missing("MOTCUA_OIDC_JWKS_FILE"))?;
                let jwks =
                    std::fs::read_to_string(&jwks_file).map_err(|e| ConfigError::Invalid {
                        name: "MOTCUA_OIDC_JWKS_FILE",
                        why: e.to_string(),
                    })?;
                Some(OidcConfig {
                    issuer,
                    audience: src
                        .get("MOTCUA_OIDC_AUDIENCE")
                        .ok_or_else(|| missing("MOTCUA_OIDC_AUDIENCE"))?,
                    jwks,
                    id_claim: src
                        .get("MOTCUA_OIDC_ID_CLAIM")
                        .unwrap_or_else(|| "personal_id".to_owned()),
                })
            }
        };
        Ok(Self {
            bind,
            database_url: src
                .get("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://motcua.db?mode=rwc".to_owned()),
            mode,
            catalog_dir: src
                .get("MOTCUA_CATALOG")
                .unwrap_or_else(|| "catalog/procedures".to_owned()),
            units_dir: src
                .get("MOTCUA_UNITS")
                .unwrap_or_else(|| "catalog/units".to_owned()),
            demo_dir: src
                .get("MOTCUA_DEMO")
                .unwrap_or_else(|| "catalog/demo".to_owned()),
            web_dir: src
                .get("MOTCUA_WEB_DIR")
                .unwrap_or_else(|| "web/build".to_owned()),
            auth: AuthConfig {
                keys,
                issuer: src
                    .get("MOTCUA_JWT_ISSUER")
                    .unwrap_or_else(|| "motcua".to_owned()),
                audience: src
                    .get("MOTCUA_JWT_AUDIENCE")
                    .unwrap_or_else(|| "motcua-api".to_owned()),
                oidc,
                logins_per_ip_per_minute: match src.get("MOTCUA_LOGINS_PER_IP_PER_MINUTE") {
                    None => 10,
                    Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        ConfigError::Invalid {
                            name: "MOTCUA_LOGINS_PER_IP_PER_MINUTE",
                            why: format!("{v:?} is not a positive number"),
                        }
                    })?,
                },
            },
            trusted_proxies,
            json_logs: match src.get("MOTCUA_LOG_FORMAT").as_deref() {
                Some("json") => true,
                Some(_) => false,
                None => mode == Mode::Production,
            },
            storage_dir: src
                .get("MOTCUA_STORAGE_DIR")
                .unwrap_or_else(|| "storage".to_owned()),
            s3_bucket: src.get("MOTCUA_S3_BUCKET"),
            metrics: MetricsConfig::parse(
                src.get("MOTCUA_METRICS_TOKEN"),
                src.get("MOTCUA_METRICS_ALLOW").as_deref(),
            )?,
            socket_recheck_secs: match src.get("MOTCUA_SOCKET_RECHECK_SECS") {
                None => DEFAULT_SOCKET_RECHECK_SECS,
                Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ConfigError::Invalid {
                        name: "MOTCUA_SOCKET_RECHECK_SECS",
                        why: format!("{v:?} is not a positive number"),
                    }
                })?,
            },
            payments: PaymentConfig::load(&src, mode)?,
            notify: NotifyConfig {
                // Development sends to a local sink by default (README: tests/sinks); an empty
                // value turns a channel off.
                smtp_url: match src.get("MOTCUA_SMTP_URL") {
                    Some(u) if u.trim().is_empty() => None,
                    Some(u) => Some(u),
                    None if mode == Mode::Development => Some(DEV_SMTP.to_owned()),
                    None => None,
                },
                mail_from: src
                    .get("MOTCUA_MAIL_FROM")
                    .unwrap_or_else(|| NotifyConfig::default().mail_from),
                sms_url: match src.get("MOTCUA_SMS_URL") {
                    Some(u) if u.trim().is_empty() => None,
                    Some(u) => Some(u),
                    None if mode == Mode::Development => Some(DEV_SMS.to_owned()),
                    None => None,
                },
                sms_token: src.get("MOTCUA_SMS_TOKEN"),
                public_url: src
                    .get("MOTCUA_PUBLIC_URL")
                    .map(|u| u.trim_end_matches('/').to_owned())
                    .unwrap_or_else(|| NotifyConfig::default().public_url),
                relay: src.get("MOTCUA_RELAY").as_deref() != Some("off"),
                jobs: src.get("MOTCUA_JOBS").as_deref() != Some("off"),
                lease_secs: match src.get("MOTCUA_OUTBOX_LEASE_SECS") {
                    None => 30,
                    Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        ConfigError::Invalid {
                            name: "MOTCUA_OUTBOX_LEASE_SECS",
                            why: format!("{v:?} is not a positive number"),
                        }
                    })?,
                },
                jobs_interval_secs: match src.get("MOTCUA_JOBS_INTERVAL_SECS") {
                    None => 60,
                    Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        ConfigError::Invalid {
                            name: "MOTCUA_JOBS_INTERVAL_SECS",
                            why: format!("{v:?} is not a positive number"),
                        }
                    })?,
                },
            },
        })
    }

    /// The database URL (it may carry a password: never log it).
    #[must_use]
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// Replaces the database URL (tests, `--database-url`).
    pub fn set_database_url(&mut self, url: String) {
        self.database_url = url;
    }

    /// The database kind, for logs (never the URL: it may carry a password).
    #[must_use]
    pub fn database_kind(&self) -> &'static str {
        if self.database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// A configuration for tests: development mode, a fixed key, in-memory SQLite.
    #[must_use]
    pub fn for_tests() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: "sqlite::memory:".to_owned(),
            mode: Mode::Development,
            catalog_dir: "catalog/procedures".to_owned(),
            units_dir: "catalog/units".to_owned(),
            demo_dir: "catalog/demo".to_owned(),
            web_dir: "web/build".to_owned(),
            auth: AuthConfig {
                keys: vec![SigningKey {
                    kid: "test-1".to_owned(),
                    secret: b"motcua-test-signing-key-0123456789abcdef".to_vec(),
                }],
                issuer: "motcua".to_owned(),
                audience: "motcua-api".to_owned(),
                oidc: None,
                logins_per_ip_per_minute: 1000,
            },
            trusted_proxies: Vec::new(),
            json_logs: false,
            storage_dir: "storage".to_owned(),
            s3_bucket: None,
            notify: NotifyConfig {
                relay: false,
                jobs: false,
                ..NotifyConfig::default()
            },
            metrics: MetricsConfig::default(),
            socket_recheck_secs: DEFAULT_SOCKET_RECHECK_SECS,
            payments: PaymentConfig::simulator(DEV_PAYMENT_SIM),
        }
    }
}

/// Development without configured keys: a random key for this process. Tokens do not survive a
/// restart and a second instance would not accept them — production refuses to start this way.
fn development_key() -> SigningKey {
    let mut secret = vec![0u8; MIN_KEY_BYTES];
    if getrandom::fill(&mut secret).is_err() {
        // No randomness source at all: refuse every token rather than sign with a known key.
        secret.clear();
    }
    tracing::warn!(
        "MOTCUA_JWT_KEYS is not set: using a random development key (sessions end at restart)"
    );
    SigningKey {
        kid: "dev".to_owned(),
        secret,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_access_is_loopback_by_default_and_parses_addresses_and_networks() {
        let default = MetricsConfig::parse(None, None).unwrap();
        assert_eq!(default, MetricsConfig::default());
        assert!(
            default
                .allow
                .iter()
                .any(|n| n.contains(&"127.0.0.1".parse::<IpAddr>().unwrap()))
        );
        assert!(
            default
                .allow
                .iter()
                .any(|n| n.contains(&"::1".parse::<IpAddr>().unwrap()))
        );
        let c = MetricsConfig::parse(
            Some("0123456789abcdef".to_owned()),
            Some("10.0.0.0/8, 192.0.2.7 ,2001:db8::/32"),
        )
        .unwrap();
        assert_eq!(c.allow.len(), 3);
        assert!(
            c.allow
                .iter()
                .any(|n| n.contains(&"192.0.2.7".parse::<IpAddr>().unwrap()))
        );
        assert!(
            MetricsConfig::parse(None, Some("none"))
                .unwrap()
                .allow
                .is_empty()
        );
        assert!(MetricsConfig::parse(None, Some("10.0.0.0/33")).is_err());
        assert!(MetricsConfig::parse(Some("short".to_owned()), None).is_err());
        let shown = format!("{c:?}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
    }
}
