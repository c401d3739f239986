//! Accounts and sessions: registration with core-validated identifiers, password login with
//! rate limits and temporary locks, refresh-token rotation with reuse detection, logout, password
//! change, external ID-token exchange, and the per-request check of an access token.

use crate::service::sql::is_unique_violation;
use motcua_core::identifier::{self, CccdContext, IdKind};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::problem::{Outcome, Problem};
use super::rate_limit;
use super::sql::statement;
use crate::auth::oidc::Verifier;
use crate::auth::tokens::{self, AccessClaims, Keys};
use crate::auth::{AccountKind, ClientInfo, Grant, OfficialRole, Principal, now, password};
use crate::db::entities::{identity_link, refresh_token, session, user};
use crate::error::ApiError;

/// Logins per IP address per minute by default (A1: of 1,000 a minute, at least 990 are refused);
/// `MOTCUA_LOGINS_PER_IP_PER_MINUTE` raises it for offices behind one NAT address.
pub const LOGINS_PER_IP_PER_MINUTE: i64 = 10;
/// Logins per account per minute, whatever the IP addresses.
pub const LOGINS_PER_ACCOUNT_PER_MINUTE: i64 = 10;
/// Consecutive failures that lock an account.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// How long a lock lasts.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// A duplicate refresh from the same client within this many seconds gets the same pair (J4).
pub const DUPLICATE_REFRESH_GRACE: i64 = 30;

/// A new access/refresh pair.
#[derive(Debug, Clone)]
pub struct Issued {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque, single use.
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: i64,
    /// The account.
    pub user: user::Model,
}

/// What a citizen or business gives to register.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Citizen or business.
    pub kind: AccountKind,
    /// Personal ID (12 digits) or tax code.
    pub identifier: String,
    /// Full name or business name.
    pub full_name: String,
    /// New password.
    pub password: String,
    /// Optional phone.
    pub phone: Option<String>,
    /// Optional e-mail.
    pub email: Option<String>,
}

/// How a login identifier is compared: a valid personal ID or tax code in the core's normalized
/// form (what registration stored), anything else (an official's user name) trimmed and in lower
/// case.
#[must_use]
pub fn normalize_login(s: &str) -> String {
    let compact: String = s.split_whitespace().collect();
    for kind in [IdKind::Cccd, IdKind::Mst] {
        if let Ok(v) = identifier::validate(kind, &compact, &CccdContext::default()) {
            return v;
        }
    }
    compact.to_lowercase()
}

fn clean_name(path: &[&str], name: &str) -> Result<String, Problem> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = name.chars().count();
    if !(2..=200).contains(&len) || name.chars().any(char::is_control) {
        return Err(Problem::new(
            path,
            "INVALID_NAME",
            "Họ và tên phải có từ 2 đến 200 ký tự.",
            "The name must have 2 to 200 characters.",
        ));
    }
    Ok(name)
}

/// A password problem for `path`.
fn weak(path: &[&str], w: password::Weakness) -> Problem {
    match w {
        password::Weakness::TooShort => Problem::new(
            path,
            "PASSWORD_TOO_SHORT",
            format!("Mật khẩu phải có ít nhất {} ký tự.", password::MIN_LEN),
            format!(
                "The password needs at least {} characters.",
                password::MIN_LEN
            ),
        ),
        password::Weakness::TooLong => Problem::new(
            path,
            "PASSWORD_TOO_LONG",
            format!("Mật khẩu không được dài quá {} ký tự.", password::MAX_LEN),
            format!(
                "The password may have at most {} characters.",
                password::MAX_LEN
            ),
        ),
        password::Weakness::SameAsLogin => Problem::new(
            path,
            "PASSWORD_SAME_AS_LOGIN",
            "Mật khẩu không được trùng với tên đăng nhập.",
            "The password must differ from the login.",
        ),
    }
}

fn optional_id(
    kind: IdKind,
    path: &[&str],
    value: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match identifier::validate(kind, value, &CccdContext::default()) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(Problem::from_core(path, &e));
            None
        }
    }
}

/// Registers a citizen (12-digit personal ID) or a business (tax code) with a self-declared
/// identity. The answer is the same whether the number was free or already has an account, and
/// takes the same time (one password hash either way): registration never tells who has an
/// account (Z6). The person then signs in. Limited per client address like sign-in (A9).
///
/// # Errors
/// `RATE_LIMITED`, a database failure; fixable problems come back as `Ok(Err(problems))`.
pub async fn register(
    db: &DatabaseConnection,
    reg: Registration,
    client: &ClientInfo,
    per_ip_per_minute: i64,
) -> Result<Outcome<()>, ApiError> {
    rate_limit::per_minute(
        db,
        &format!("register:ip:{}", client.ip),
        per_ip_per_minute,
        now(),
    )
    .await?;
    let mut problems = Vec::new();
    let id_kind = match reg.kind {
        AccountKind::Citizen => Some(IdKind::Cccd),
        AccountKind::Business => Some(IdKind::Mst),
        AccountKind::Official => {
            problems.push(Problem::new(
                &["input", "kind"],
                "OFFICIAL_NOT_SELF_SERVICE",
                "Tài khoản cán bộ do quản trị cơ quan cấp.",
                "Official accounts are created by an agency administrator.",
            ));
            None
        }
    };
    let login = id_kind.and_then(|k| {
        let compact: String = reg.identifier.split_whitespace().collect();
        match identifier::validate(k, &compact, &CccdContext::default()) {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(Problem::from_core(&["input", "identifier"], &e));
                None
            }
        }
    });
    let name = clean_name(&["input", "fullName"], &reg.full_name)
        .map_err(|p| problems.push(p))
        .ok();
    if let Err(w) = password::check(&reg.password, &reg.identifier) {
        problems.push(weak(&["input", "password"], w));
    }
    let phone = optional_id(
        IdKind::Phone,
        &["input", "phone"],
        reg.phone.as_deref(),
        &mut problems,
    );
    let email = optional_id(
        IdKind::Email,
        &["input", "email"],
        reg.email.as_deref(),
        &mut problems,
    );
    let (Some(login), Some(name), true) = (login, name, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let hash = password::hash(reg.password).await?;
    let inserted = user::ActiveModel::new_account(
        reg.kind.as_str(),
        login,
        name,
        (phone, email),
        Some(hash),
        false,
        now(),
    )
    .insert(db)
    .await;
    match inserted {
        // A taken number answers exactly like a new account: the holder keeps it untouched.
        Ok(_) => Ok(Ok(())),
        Err(e) if is_unique_violation(&e) => Ok(Ok(())),
        Err(e) => Err(e.into()),
    }
}

/// Starts a session for `user` and issues its first pair.
///
/// # Errors
/// A database failure or no signing key.
pub async fn start_session(
    db: &DatabaseConnection,
    keys: &Keys,
    user: user::Model,
    _client: &ClientInfo,
) -> Result<Issued, ApiError> {
    let now = now();
    let kid = keys
        .current_kid()
        .ok_or_else(|| anyhow::anyhow!("no signing key"))?
        .to_owned();
    let sid = tokens::random_id()?;
    let refresh = tokens::new_refresh()?;
    let txn = db.begin().await?;
    session::ActiveModel {
        id: Set(sid.clone()),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + tokens::SESSION_TTL),
        revoked_at: Set(None),
        revoked_reason: Set(None),
    }
    .insert(&txn)
    .await?;
    let row = refresh_token::ActiveModel {
        session_id: Set(sid.clone()),
        token_hash: Set(tokens::digest(&refresh)),
        kid: Set(kid.clone()),
        issued_at: Set(now),
        expires_at: Set(now + tokens::REFRESH_TTL),
        used_at: Set(None),
        used_by_client: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let access = sign(keys, &kid, &user, &sid, row.issued_at, row.id)?;
    Ok(Issued {
        access_token: access,
        refresh_token: refresh,
        expires_in: tokens::ACCESS_TTL,
        user,
    })
}

fn sign(
    keys: &Keys,
    kid: &str,
    user: &user::Model,
    sid: &str,
    iat: i64,
    jti: i64,
) -> Result<String, ApiError> {
    keys.sign_access(
        kid,
        &AccessClaims {
            iss: keys.issuer().to_owned(),
            aud: keys.audience().to_owned(),
            sub: user.id.to_string(),
            sid: sid.to_owned(),
            ver: user.authz_version,
            iat,
            exp: iat + tokens::ACCESS_TTL,
            jti: jti.to_string(),
        },
    )
    .map_err(|e| ApiError::Internal(e.into()))
}

/// Signs in with a login identifier and a password. Rate limited per client IP and per account
/// (A1); five consecutive failures lock the account for 15 minutes.
///
/// # Errors
/// `RATE_LIMITED`, `ACCOUNT_LOCKED`, a database failure; wrong credentials come back as a problem.
pub async fn login(
    db: &DatabaseConnection,
    keys: &Keys,
    identifier: &str,
    password_text: String,
    client: &ClientInfo,
    per_ip_per_minute: i64,
) -> Result<Outcome<Issued>, ApiError> {
    let now = now();
    rate_limit::per_minute(
        db,
        &format!("login:ip:{}", client.ip),
        per_ip_per_minute,
        now,
    )
    .await?;
    let login = normalize_login(identifier);
    // The key holds a digest, not the identifier: rate_limits is not a place for personal data.
    let account_key = format!("login:acct:{}", tokens::digest(&login));
    rate_limit::per_minute(db, &account_key, LOGINS_PER_ACCOUNT_PER_MINUTE, now).await?;
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(db)
        .await?;
    // Unknown logins lock exactly like known ones, so that the answers after failures do not
    // tell whether an account exists (Z6).
    let ghost = format!("login:ghost:{}", tokens::digest(&login));
    match found.as_ref() {
        Some(u) => locked(u, now)?,
        None => ghost_locked(db, &ghost, now).await?,
    }
    let stored = found.as_ref().and_then(|u| u.password_hash.clone());
    let ok = password::verify(password_text, stored).await?;
    let bad = || {
        Ok(Err(vec![Problem::new(
            &["identifier"],
            "INVALID_CREDENTIALS",
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong login or password.",
        )]))
    };
    let Some(user) = found else {
        ghost_failure(db, &ghost, now).await?;
        return bad();
    };
    if !ok {
        record_failure(db, user.id, now).await?;
        return bad();
    }
    if user.disabled {
        return Ok(Err(vec![Problem::new(
            &["identifier"],
            "ACCOUNT_DISABLED",
            "Tài khoản đã bị vô hiệu hóa; vui lòng liên hệ quản trị.",
            "The account is disabled; contact an administrator.",
        )]));
    }
    if user.failed_logins != 0 {
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .filter(user::Column::Id.eq(user.id))
            .exec(db)
            .await?;
    }
    Ok(Ok(start_session(db, keys, user, client).await?))
}

/// `ACCOUNT_LOCKED` while `user` is locked after failed attempts.
fn locked(user: &user::Model, now: i64) -> Result<(), ApiError> {
    match user.locked_until {
        Some(until) if until > now => Err(ApiError::AccountLocked {
            retry_after: until - now,
        }),
        _ => Ok(()),
    }
}

/// `ACCOUNT_LOCKED` while a login that has no account is "locked" (Z6).
async fn ghost_locked(db: &DatabaseConnection, key: &str, now: i64) -> Result<(), ApiError> {
    let (count, retry) = rate_limit::peek(db, &format!("{key}:lock"), LOCK_SECONDS, now).await?;
    if count > 0 {
        return Err(ApiError::AccountLocked { retry_after: retry });
    }
    Ok(())
}

/// Counts a failed login of a login that has no account; the fifth locks it for as long as a
/// real account would be locked.
async fn ghost_failure(db: &DatabaseConnection, key: &str, now: i64) -> Result<(), ApiError> {
    let (failures, _) = rate_limit::hit(db, key, LOCK_SECONDS, now).await?;
    if failures >= FAILURES_BEFORE_LOCK {
        rate_limit::hit(db, &format!("{key}:lock"), LOCK_SECONDS, now).await?;
        db.execute_raw(statement(
            db,
            "DELETE FROM rate_limits WHERE key = ?",
            vec![key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Counts a failed login; the fifth in a row locks the account.
async fn record_failure(db: &DatabaseConnection, user_id: i64, now: i64) -> Result<(), ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
            vec![user_id.into()],
        ))
        .await?;
    let failures: i64 = match row {
        Some(r) => r.try_get("", "failed_logins")?,
        None => 0,
    };
    if failures >= FAILURES_BEFORE_LOCK {
        db.execute_raw(statement(
            db,
            "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
            vec![(now + LOCK_SECONDS).into(), user_id.into()],
        ))
        .await?;
        tracing::warn!(user_id, "account locked after repeated failed logins");
    }
    Ok(())
}

/// Exchanges a refresh token for the next pair. Single use: reusing a rotated token revokes the
/// whole session, except a duplicate within 30 s while the pair it produced is still unused,
/// which gets that same pair again (a phone that lost the first answer) — J4. The grace depends
/// only on the session and the token presented, never on anything the client chooses (an id, a
/// User-Agent).
///
/// # Errors
/// `INVALID_REFRESH_TOKEN`, `REFRESH_TOKEN_REUSED`, a database failure.
pub async fn refresh(
    db: &DatabaseConnection,
    keys: &Keys,
    token: &str,
) -> Result<Issued, ApiError> {
    let now = now();
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(token)))
        .one(db)
        .await?
        .ok_or(ApiError::InvalidRefreshToken)?;
    let session = session::Entity::find_by_id(row.session_id.clone())
        .one(db)
        .await?
        .ok_or(ApiError::InvalidRefreshToken)?;
    let user = user::Entity::find_by_id(session.user_id)
        .one(db)
        .await?
        .ok_or(ApiError::InvalidRefreshToken)?;
    if session.revoked_at.is_some()
        || session.expires_at <= now
        || row.expires_at <= now
        || user.disabled
    {
        return Err(ApiError::InvalidRefreshToken);
    }
    let kid = keys
        .current_kid()
        .ok_or_else(|| anyhow::anyhow!("no signing key"))?
        .to_owned();
    let txn = db.begin().await?;
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed == 1 {
        let next = keys
            .next_refresh(&kid, token)
            .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
        let child = refresh_token::ActiveModel {
            session_id: Set(session.id.clone()),
            token_hash: Set(tokens::digest(&next)),
            kid: Set(kid.clone()),
            issued_at: Set(now),
            expires_at: Set(Ord::min(now + tokens::REFRESH_TTL, session.expires_at)),
            used_at: Set(None),
            used_by_client: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        let access = sign(keys, &kid, &user, &session.id, child.issued_at, child.id)?;
        return Ok(Issued {
            access_token: access,
            refresh_token: next,
            expires_in: tokens::ACCESS_TTL,
            user,
        });
    }
    txn.rollback().await?;
    // Already used: by this client a moment ago (same answer again), or a replay (revoke).
    let used = refresh_token::Entity::find_by_id(row.id)
        .one(db)
        .await?
        .ok_or(ApiError::InvalidRefreshToken)?;
    let duplicate = used
        .used_at
        .is_some_and(|t| now - t <= DUPLICATE_REFRESH_GRACE);
    if duplicate {
        for candidate in keys.kids() {
            let Some(next) = keys.next_refresh(candidate, token) else {
                continue;
            };
            if let Some(child) = refresh_token::Entity::find()
                .filter(refresh_token::Column::TokenHash.eq(tokens::digest(&next)))
                .one(db)
                .await?
                && child.used_at.is_none()
            {
                let access = sign(
                    keys,
                    &child.kid,
                    &user,
                    &session.id,
                    child.issued_at,
                    child.id,
                )?;
                return Ok(Issued {
                    access_token: access,
                    refresh_token: next,
                    expires_in: tokens::ACCESS_TTL,
                    user,
                });
            }
        }
    }
    revoke_session(db, &session.id, "REUSE").await?;
    tracing::warn!(user_id = user.id, "refresh token reused: session revoked");
    Err(ApiError::RefreshTokenReused)
}

/// Ends a session: its refresh tokens and access tokens stop working.
///
/// # Errors
/// A database failure.
pub async fn revoke_session(
    db: &impl ConnectionTrait,
    session_id: &str,
    reason: &str,
) -> Result<(), ApiError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .col_expr(
            session::Column::RevokedReason,
            Expr::value(reason.to_owned()),
        )
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account and bumps its authorization version, so that every token
/// issued so far is refused on the next call (J5).
///
/// # Errors
/// A database failure.
pub async fn invalidate_all(
    db: &impl ConnectionTrait,
    user_id: i64,
    reason: &str,
) -> Result<(), ApiError> {
    bump_version(db, user_id).await?;
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .col_expr(
            session::Column::RevokedReason,
            Expr::value(reason.to_owned()),
        )
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Bumps the authorization version: tokens issued before are refused (J5).
///
/// # Errors
/// A database failure.
pub async fn bump_version(db: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::AuthzVersion,
            Expr::col(user::Column::AuthzVersion).add(1),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Changes the caller's password: every session ends, a new one starts for this client. Rate
/// limited per client address and per account, and refused while the account is locked; wrong
/// current passwords count toward the lock like failed sign-ins (A9).
///
/// # Errors
/// `RATE_LIMITED`, `ACCOUNT_LOCKED`, a database failure; a wrong current password or a weak new
/// one come back as problems.
pub async fn change_password(
    db: &DatabaseConnection,
    keys: &Keys,
    principal: &Principal,
    (current, new): (String, String),
    client: &ClientInfo,
    per_ip_per_minute: i64,
) -> Result<Outcome<Issued>, ApiError> {
    let now = now();
    // Limited and locked like sign-in: a stolen session must not guess the password (A9).
    rate_limit::per_minute(
        db,
        &format!("password:ip:{}", client.ip),
        per_ip_per_minute,
        now,
    )
    .await?;
    rate_limit::per_minute(
        db,
        &format!("password:acct:{}", principal.user_id),
        LOGINS_PER_ACCOUNT_PER_MINUTE,
        now,
    )
    .await?;
    let user = user::Entity::find_by_id(principal.user_id)
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    locked(&user, now)?;
    if let Err(w) = password::check(&new, &user.login) {
        return Ok(Err(vec![weak(&["newPassword"], w)]));
    }
    if current == new {
        return Ok(Err(vec![Problem::new(
            &["newPassword"],
            "PASSWORD_UNCHANGED",
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
            "The new password must differ from the current one.",
        )]));
    }
    if !password::verify(current, user.password_hash.clone()).await? {
        record_failure(db, user.id, now).await?;
        return Ok(Err(vec![Problem::new(
            &["currentPassword"],
            "INVALID_CREDENTIALS",
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        )]));
    }
    let hash = password::hash(new).await?;
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .filter(user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    invalidate_all(&txn, user.id, "PASSWORD_CHANGED").await?;
    txn.commit().await?;
    let user = user::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(Ok(start_session(db, keys, user, client).await?))
}

/// Checks an access token against the database: the session is live, the account enabled and
/// its authorization version unchanged (J5). Loads the official's roles.
///
/// # Errors
/// `UNAUTHENTICATED`, or a database failure.
pub async fn authenticate(
    db: &DatabaseConnection,
    keys: &Keys,
    token: &str,
) -> Result<Principal, ApiError> {
    let claims = keys
        .verify_access(token)
        .map_err(|_| ApiError::Unauthenticated)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| ApiError::Unauthenticated)?;
    let now = now();
    // One round trip: the session, its account and the account's roles.
    let rows = db
        .query_all_raw(statement(
            db,
            "SELECT u.kind, u.authz_version, u.disabled, u.must_change_password, \
             s.revoked_at, s.expires_at, r.role, r.agency_id \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN user_roles r ON r.user_id = u.id \
             WHERE s.id = ? AND s.user_id = ?",
            vec![claims.sid.clone().into(), user_id.into()],
        ))
        .await?;
    let first = rows.first().ok_or(ApiError::Unauthenticated)?;
    let revoked: Option<i64> = first.try_get("", "revoked_at")?;
    let expires: i64 = first.try_get("", "expires_at")?;
    let disabled: bool = first.try_get("", "disabled")?;
    let version: i64 = first.try_get("", "authz_version")?;
    let must_change: bool = first.try_get("", "must_change_password")?;
    let kind: String = first.try_get("", "kind")?;
    if revoked.is_some() || expires <= now || disabled || version != claims.ver {
        return Err(ApiError::Unauthenticated);
    }
    let kind = AccountKind::parse(&kind).ok_or(ApiError::Unauthenticated)?;
    let mut grants = Vec::new();
    if kind == AccountKind::Official {
        for row in &rows {
            let role: Option<String> = row.try_get("", "role")?;
            let agency: Option<i64> = row.try_get("", "agency_id")?;
            if let (Some(role), Some(agency_id)) =
                (role.as_deref().and_then(OfficialRole::parse), agency)
            {
                grants.push(Grant { role, agency_id });
            }
        }
    }
    Ok(Principal {
        user_id,
        kind,
        session_id: claims.sid,
        grants,
        must_change_password: must_change,
    })
}

/// Exchanges an external issuer's ID token for a motcua session. The first time, the identity is
/// linked to the account with the same personal ID when that account's identity was verified
/// (or when the caller is signed in to it: the person proves both), or a new citizen account is
/// created (without a password: it signs in through the issuer). A self-declared account is never
/// taken over silently: `IDENTITY_LINK_REQUIRED` (Z4). A linked account becomes
/// `NATIONAL_LOGIN`, and the desk and postal dossiers filed for its number reach it.
///
/// # Errors
/// `UNAUTHENTICATED` for a refused token, `INVALID_INPUT` when the token carries no valid
/// personal ID, `IDENTITY_LINK_REQUIRED`, a database failure.
pub async fn exchange_id_token(
    db: &DatabaseConnection,
    keys: &Keys,
    verifier: &Verifier,
    id_token: &str,
    signed_in: Option<&Principal>,
    client: &ClientInfo,
) -> Result<Issued, ApiError> {
    let identity = verifier.verify(id_token).map_err(|e| {
        tracing::info!(reason = %e, "ID token refused");
        ApiError::Unauthenticated
    })?;
    let linked =
        identity_link::Entity::find_by_id((identity.issuer.clone(), identity.subject.clone()))
            .one(db)
            .await?;
    let user = if let Some(link) = linked {
        user::Entity::find_by_id(link.user_id)
            .one(db)
            .await?
            .ok_or(ApiError::Unauthenticated)?
    } else {
        let personal_id = identity
            .personal_id
            .as_deref()
            .and_then(|v| identifier::validate(IdKind::Cccd, v, &CccdContext::default()).ok())
            .ok_or(ApiError::InvalidInput(
                "the ID token carries no valid personal ID",
            ))?;
        let existing = user::Entity::find()
            .filter(user::Column::Login.eq(personal_id.as_str()))
            .one(db)
            .await?;
        if let Some(u) = &existing
            && u.identity_level == user::IDENTITY_SELF_DECLARED
            && signed_in.is_none_or(|p| p.user_id != u.id)
        {
            return Err(ApiError::IdentityLinkRequired);
        }
        let txn = db.begin().await?;
        let user = match existing {
            Some(u) => u,
            None => {
                user::ActiveModel::new_account(
                    AccountKind::Citizen.as_str(),
                    personal_id,
                    identity.name.clone().unwrap_or_default(),
                    (None, None),
                    None,
                    false,
                    now(),
                )
                .insert(&txn)
                .await?
            }
        };
        identity_link::ActiveModel {
            issuer: Set(identity.issuer.clone()),
            subject: Set(identity.subject.clone()),
            user_id: Set(user.id),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        verified(&txn, &user, user::IDENTITY_NATIONAL_LOGIN).await?;
        txn.commit().await?;
        user::Entity::find_by_id(user.id)
            .one(db)
            .await?
            .ok_or(ApiError::Unauthenticated)?
    };
    if user.disabled {
        return Err(ApiError::Unauthenticated);
    }
    start_session(db, keys, user, client).await
}

/// Marks `user`'s identity as verified (`level`) and links to it the dossiers filed for its
/// number at a desk or by post that have no account yet (Z4).
///
/// # Errors
/// A database failure.
pub async fn verified(
    db: &impl ConnectionTrait,
    user: &user::Model,
    level: &str,
) -> Result<(), ApiError> {
    if user.identity_level != user::IDENTITY_NATIONAL_LOGIN {
        db.execute_raw(statement(
            db,
            "UPDATE users SET identity_level = ? WHERE id = ?",
            vec![level.into(), user.id.into()],
        ))
        .await?;
    }
    super::dossier::repo::link_to_account(db, user.id, &user.login).await?;
    Ok(())
}

/// An account by id.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn get(db: &impl ConnectionTrait, user_id: i64) -> Result<user::Model, ApiError> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The roles of each of `users`, each role with its agency's id, in one query whatever the number
/// of accounts (what the GraphQL batch loader asks for a list of accounts).
///
/// # Errors
/// A database failure.
pub async fn roles_of_accounts(
    db: &impl ConnectionTrait,
    users: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<(OfficialRole, i64)>>, ApiError> {
    use crate::db::entities::user_role;
    use sea_orm::QueryOrder;
    let mut roles: std::collections::HashMap<i64, Vec<(OfficialRole, i64)>> =
        users.iter().map(|u| (*u, Vec::new())).collect();
    let rows = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(users.iter().copied()))
        .order_by_asc(user_role::Column::Id)
        .all(db)
        .await?;
    for r in rows {
        if let (Some(role), Some(agency)) = (OfficialRole::parse(&r.role), r.agency_id) {
            roles.entry(r.user_id).or_default().push((role, agency));
        }
    }
    Ok(roles)
}
