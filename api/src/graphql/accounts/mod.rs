//! Accounts in GraphQL: registration, sign-in, token refresh, logout, password change, the
//! external ID-token exchange, and administrators' management of official accounts.

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, Result, SimpleObject};
use motcua_core::Lang;

use super::agencies::Agency;
use super::guard::{auth, client, principal, principal_any};
use super::loaders::Roles;
use super::user_error::UserError;
use super::{db, ids, lang};
use crate::auth::{AccountKind, Grant, OfficialRole};
use crate::db::entities::user;
use crate::error::ApiError;
use crate::service::accounts::{self, Issued, Registration};
use crate::service::officials;

/// A role held in an agency.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct RoleGrant {
    /// The role.
    pub role: OfficialRole,
    #[graphql(skip)]
    agency_id: i64,
}

#[ComplexObject]
impl RoleGrant {
    /// The agency (batched: one query for every grant of the response).
    async fn agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        super::agencies::load(ctx, self.agency_id).await
    }
}

/// An account as its owner (or an administrator) sees it.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Account {
    /// Global ID.
    pub id: ID,
    /// Citizen, business or official.
    pub kind: AccountKind,
    /// The login: personal ID, tax code or user name.
    pub login: String,
    /// Full name or business name.
    pub full_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    #[graphql(skip)]
    user_id: i64,
    /// An issued password that must be changed before anything else.
    pub must_change_password: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// How the identity was established. Desk and postal dossiers reach only verified accounts
    /// (Z4).
    pub identity_level: IdentityLevel,
}

/// How an account's identity was established (SECURITY.md Z4).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityLevel {
    /// Registered with a password: only what the person typed.
    SelfDeclared,
    /// Proven through the national login.
    NationalLogin,
    /// Checked by a clerk against the person's papers at the one-stop desk.
    DeskChecked,
}

impl IdentityLevel {
    fn parse(stored: &str) -> Self {
        match stored {
            user::IDENTITY_NATIONAL_LOGIN => Self::NationalLogin,
            user::IDENTITY_DESK_CHECKED => Self::DeskChecked,
            _ => Self::SelfDeclared,
        }
    }
}

/// A one-time code the person shows at the one-stop desk to have their identity checked.
#[derive(SimpleObject, Debug)]
pub struct DeskCheckCode {
    /// Eight digits.
    pub code: String,
    /// When it expires (RFC 3339).
    pub expires_at: String,
}

/// The answer of a desk check: the verified account, or what is wrong.
#[derive(SimpleObject, Debug, Default)]
pub struct IdentityCheckPayload {
    /// The account, now `DESK_CHECKED`.
    pub account: Option<Account>,
    /// `IDENTITY_CODE_INVALID` for any mismatch.
    pub user_errors: Vec<UserError>,
}

#[ComplexObject]
impl Account {
    /// Roles of an official (batched: one query for every account of the response).
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrant>> {
        let l = lang(ctx);
        let loader = ctx
            .data::<DataLoader<Roles>>()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("no roles loader")).into_graphql(l))?;
        let roles = loader
            .load_one(self.user_id)
            .await
            .map_err(|e| super::loaders::failed(&e).into_graphql(l))?
            .unwrap_or_default();
        Ok(roles
            .into_iter()
            .map(|(role, agency_id)| RoleGrant { role, agency_id })
            .collect())
    }
}

impl From<user::Model> for Account {
    fn from(u: user::Model) -> Self {
        Self {
            id: ids::encode("User", &u.id.to_string()),
            user_id: u.id,
            kind: AccountKind::parse(&u.kind).unwrap_or(AccountKind::Citizen),
            login: u.login,
            full_name: u.full_name,
            phone: u.phone,
            email: u.email,
            must_change_password: u.must_change_password,
            disabled: u.disabled,
            identity_level: IdentityLevel::parse(&u.identity_level),
        }
    }
}

/// The answer of a sign-in: a token pair, or what to fix.
#[derive(SimpleObject, Debug, Default)]
pub struct AuthPayload {
    /// JWT for `Authorization: Bearer …` (15 minutes).
    pub access_token: Option<String>,
    /// Single-use token for `refreshToken` (keep it secret; never put it in a URL).
    pub refresh_token: Option<String>,
    /// Seconds the access token lives.
    pub expires_in: Option<i64>,
    /// Always `Bearer`.
    pub token_type: Option<String>,
    /// The signed-in account.
    pub account: Option<Account>,
    /// Problems to fix; empty on success.
    pub user_errors: Vec<UserError>,
}

impl AuthPayload {
    fn issued(issued: Issued) -> Self {
        Self {
            access_token: Some(issued.access_token),
            refresh_token: Some(issued.refresh_token),
            expires_in: Some(issued.expires_in),
            token_type: Some("Bearer".to_owned()),
            account: Some(issued.user.into()),
            user_errors: Vec::new(),
        }
    }

    /// A sign-in's outcome: the pair, or what to fix.
    fn outcome(out: crate::service::problem::Outcome<Issued>, lang: Lang) -> Self {
        match out {
            Ok(issued) => Self::issued(issued),
            Err(problems) => Self {
                user_errors: UserError::list(problems, lang),
                ..Self::default()
            },
        }
    }
}

/// Registration of a citizen or a business.
#[derive(InputObject, Debug)]
pub struct RegisterInput {
    /// `CITIZEN` (12-digit personal ID) or `BUSINESS` (tax code).
    pub kind: AccountKind,
    /// The personal ID or the tax code.
    pub identifier: String,
    /// Full name or business name.
    pub full_name: String,
    /// At least 12 characters.
    pub password: String,
    /// Optional mobile or landline number.
    pub phone: Option<String>,
    /// Optional e-mail address.
    pub email: Option<String>,
}

/// A role to grant.
#[derive(InputObject, Debug)]
pub struct RoleGrantInput {
    /// The role.
    pub role: OfficialRole,
    /// The agency's global ID.
    pub agency_id: ID,
}

/// A new official account.
#[derive(InputObject, Debug)]
pub struct CreateOfficialInput {
    /// Lower-case user name, e.g. `tiepnhan.dongkinh`.
    pub username: String,
    /// Full name.
    pub full_name: String,
    /// Work e-mail.
    pub email: Option<String>,
    /// Roles to grant.
    pub roles: Vec<RoleGrantInput>,
}

/// A created official and the password issued to them (shown once; it must be changed at
/// first sign-in).
#[derive(SimpleObject, Debug, Default)]
pub struct CreateOfficialPayload {
    /// The account.
    pub account: Option<Account>,
    /// The issued password.
    pub issued_password: Option<String>,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

/// The answer of a registration: accepted (then sign in), or what to fix. It reads the same
/// whether or not the number already had an account (Z6).
#[derive(SimpleObject, Debug, Default)]
pub struct RegisterPayload {
    /// The registration was taken: sign in with the identifier and the password.
    pub accepted: bool,
    /// Problems to fix (format of the identifier, the name, the password); empty when accepted.
    pub user_errors: Vec<UserError>,
}

/// The result of a logout.
#[derive(SimpleObject, Debug)]
pub struct LogoutPayload {
    /// Always true: the session is over.
    pub ok: bool,
}

fn grants(input: &[RoleGrantInput], lang: Lang) -> Result<Vec<Grant>> {
    input
        .iter()
        .map(|g| {
            Ok(Grant {
                role: g.role,
                agency_id: ids::decode_i64(&g.agency_id, "Agency")
                    .ok_or_else(|| ApiError::NotFound.into_graphql(lang))?,
            })
        })
        .collect()
}

fn user_key(id: &ID, lang: Lang) -> Result<i64> {
    ids::decode_i64(id, "User").ok_or_else(|| ApiError::NotFound.into_graphql(lang))
}

/// Account queries.
#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in account (`UNAUTHENTICATED` without a valid access token).
    async fn me(&self, ctx: &Context<'_>) -> Result<Account> {
        let lang = lang(ctx);
        let p = principal_any(ctx)?;
        let db = db(ctx)?;
        let u = accounts::get(db, p.user_id).await.map_err(|e| match e {
            ApiError::NotFound => ApiError::Unauthenticated.into_graphql(lang),
            e => e.into_graphql(lang),
        })?;
        Ok(u.into())
    }
}

/// What a password- or token-checking mutation costs in the complexity budget: at most 20 fit in
/// one document, so 100 aliased login attempts are refused before any resolver runs (G2).
const EXPENSIVE: usize = 50;

/// What an operation that hashes a password costs: more than half the budget, so one request
/// runs at most one Argon2id hash (19 MiB each) however many aliases it holds (A9).
const PASSWORD_OPERATION: usize = crate::graphql::MAX_COMPLEXITY / 2 + 1;

/// Account mutations.
#[derive(Default)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
    /// Registers a citizen or a business (identifiers checked by the core) with a self-declared
    /// identity; then sign in. The answer never tells whether the number already had an account
    /// (Z6). Limited per client address (`RATE_LIMITED`), one password operation per request.
    #[graphql(complexity = "PASSWORD_OPERATION + child_complexity")]
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<RegisterPayload> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let reg = Registration {
            kind: input.kind,
            identifier: input.identifier,
            full_name: input.full_name,
            password: input.password,
            phone: input.phone,
            email: input.email,
        };
        let out = accounts::register(db, reg, &client(ctx), auth(ctx)?.logins_per_ip_per_minute)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(match out {
            Ok(()) => RegisterPayload {
                accepted: true,
                user_errors: Vec::new(),
            },
            Err(problems) => RegisterPayload {
                accepted: false,
                user_errors: UserError::list(problems, lang),
            },
        })
    }

    /// Signs in with a personal ID, tax code or user name and a password. Limited per client
    /// address and per account (`RATE_LIMITED`, HTTP 429); five failures in a row lock the
    /// account for 15 minutes (`ACCOUNT_LOCKED`). One password operation per request.
    #[graphql(complexity = "PASSWORD_OPERATION + child_complexity")]
    async fn login(
        &self,
        ctx: &Context<'_>,
        identifier: String,
        password: String,
    ) -> Result<AuthPayload> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let state = auth(ctx)?;
        let out = accounts::login(
            db,
            &state.keys,
            &identifier,
            password,
            &client(ctx),
            state.logins_per_ip_per_minute,
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        Ok(AuthPayload::outcome(out, lang))
    }

    /// Exchanges a refresh token for a new pair. Each refresh token works once; using an old one
    /// again ends the session (`REFRESH_TOKEN_REUSED`), except a retry of the same token within
    /// 30 seconds while its new pair is unused, which gets that same pair (a lost answer).
    #[graphql(complexity = "EXPENSIVE + child_complexity")]
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let issued = accounts::refresh(db, &auth(ctx)?.keys, &refresh_token)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(AuthPayload::issued(issued))
    }

    /// Exchanges an ID token of the configured national login (OpenID Connect) for a session.
    /// A self-registered account holding the same number is never taken over: sign in to it
    /// first and call this with its bearer token, or `IDENTITY_LINK_REQUIRED`.
    #[graphql(complexity = "EXPENSIVE + child_complexity")]
    async fn exchange_id_token(&self, ctx: &Context<'_>, id_token: String) -> Result<AuthPayload> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let state = auth(ctx)?;
        let verifier = state.oidc.as_ref().ok_or_else(|| {
            ApiError::InvalidInput("no external identity provider is configured").into_graphql(lang)
        })?;
        // Signed in with a password as well, the person may link the national login to the
        // self-declared account holding their number (Z4).
        let signed_in = ctx.data_opt::<crate::auth::Principal>();
        let issued = accounts::exchange_id_token(
            db,
            &state.keys,
            verifier,
            &id_token,
            signed_in,
            &client(ctx),
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        Ok(AuthPayload::issued(issued))
    }

    /// A one-time code (15 minutes) for the caller's own account, to show at the one-stop desk
    /// with their papers so that a clerk can confirm the identity (applicants).
    async fn request_desk_check_code(&self, ctx: &Context<'_>) -> Result<DeskCheckCode> {
        let lang = lang(ctx);
        let (code, expires) = crate::service::identity::request_code(db(ctx)?, principal(ctx)?)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(DeskCheckCode {
            code,
            expires_at: crate::clock::rfc3339(expires),
        })
    }

    /// A clerk, having seen the person's papers, confirms the identity of the account with that
    /// number using the code the person shows; the account becomes `DESK_CHECKED` and receives
    /// the desk and postal dossiers filed for its number. Audited; any mismatch answers the same.
    async fn confirm_identity_at_desk(
        &self,
        ctx: &Context<'_>,
        identifier: String,
        code: String,
    ) -> Result<IdentityCheckPayload> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let out =
            crate::service::identity::confirm_at_desk(db, principal(ctx)?, &identifier, &code)
                .await
                .map_err(|e| e.into_graphql(lang))?;
        Ok(match out {
            Ok(u) => IdentityCheckPayload {
                account: Some(u.into()),
                user_errors: Vec::new(),
            },
            Err(problems) => IdentityCheckPayload {
                account: None,
                user_errors: UserError::list(problems, lang),
            },
        })
    }

    /// Ends the current session: its access and refresh tokens stop working at once.
    async fn logout(&self, ctx: &Context<'_>) -> Result<LogoutPayload> {
        let lang = lang(ctx);
        let p = principal_any(ctx)?;
        accounts::revoke_session(db(ctx)?, &p.session_id, "LOGOUT")
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(LogoutPayload { ok: true })
    }

    /// Changes the password: every session of the account ends and a new pair is returned.
    /// Limited and locked like sign-in (`RATE_LIMITED`, `ACCOUNT_LOCKED`).
    #[graphql(complexity = "PASSWORD_OPERATION + child_complexity")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<AuthPayload> {
        let lang = lang(ctx);
        let p = principal_any(ctx)?;
        let db = db(ctx)?;
        let state = auth(ctx)?;
        let out = accounts::change_password(
            db,
            &state.keys,
            p,
            (current_password, new_password),
            &client(ctx),
            state.logins_per_ip_per_minute,
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        Ok(AuthPayload::outcome(out, lang))
    }

    /// Creates an official account with roles (agency administrators: dossier roles in their
    /// agency; province administrators: any role). The issued password must be changed at first
    /// sign-in.
    #[graphql(complexity = "PASSWORD_OPERATION + child_complexity")]
    async fn create_official(
        &self,
        ctx: &Context<'_>,
        input: CreateOfficialInput,
    ) -> Result<CreateOfficialPayload> {
        let lang = lang(ctx);
        let p = principal(ctx)?;
        if !p.grants.iter().any(|g| {
            matches!(
                g.role,
                OfficialRole::AgencyAdmin | OfficialRole::ProvinceAdmin
            )
        }) {
            return Err(ApiError::Forbidden.into_graphql(lang));
        }
        let db = db(ctx)?;
        let grants = grants(&input.roles, lang)?;
        let out = officials::create(
            db,
            Some(p),
            &input.username,
            &input.full_name,
            input.email,
            &grants,
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        match out {
            Ok((u, issued)) => Ok(CreateOfficialPayload {
                account: Some(u.into()),
                issued_password: Some(issued),
                user_errors: Vec::new(),
            }),
            Err(problems) => Ok(CreateOfficialPayload {
                user_errors: UserError::list(problems, lang),
                ..CreateOfficialPayload::default()
            }),
        }
    }

    /// Replaces an official's roles within the caller's scope; the official's current tokens
    /// stop working at once.
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        roles: Vec<RoleGrantInput>,
    ) -> Result<Account> {
        let lang = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let key = user_key(&user_id, lang)?;
        let grants = grants(&roles, lang)?;
        officials::set_roles(db, p, key, &grants)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        let u = accounts::get(db, key)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(u.into())
    }

    /// Disables or re-enables an account the caller administers; disabling ends its sessions.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        disabled: bool,
    ) -> Result<Account> {
        let lang = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let key = user_key(&user_id, lang)?;
        let u = officials::set_disabled(db, p, key, disabled)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(u.into())
    }
}
