//! Checking a person's identity at the one-stop desk (SECURITY.md Z4). The person, signed in to
//! their self-registered account, asks for a one-time code and shows it with their papers; the
//! clerk, having seen the papers, enters the number and the code. Neither can do it alone: a clerk
//! cannot verify an account whose holder is not in front of them, and a holder cannot verify
//! themselves. A verified account receives the desk and postal dossiers filed for its number.

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::json;

use super::problem::{Outcome, Problem};
use super::rate_limit;
use super::sql::statement;
use crate::auth::tokens::digest;
use crate::auth::{OfficialRole, Principal, now};
use crate::db::entities::user;
use crate::error::ApiError;

/// How long a code lives.
pub const CODE_SECONDS: i64 = 15 * 60;
/// Wrong codes tried before the code is void.
pub const MAX_ATTEMPTS: i64 = 5;
/// Checks a clerk may try per minute.
pub const CHECKS_PER_CLERK_PER_MINUTE: i64 = 30;

/// A new code for the caller's own account (replacing any earlier one) and when it expires.
///
/// # Errors
/// `FORBIDDEN` for officials, no randomness, a database failure.
pub async fn request_code(
    db: &DatabaseConnection,
    p: &Principal,
) -> Result<(String, i64), ApiError> {
    if !p.is_applicant() {
        return Err(ApiError::Forbidden);
    }
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let code = format!("{:08}", u64::from_le_bytes(bytes) % 100_000_000);
    let expires = now() + CODE_SECONDS;
    db.execute_raw(statement(
        db,
        "INSERT INTO identity_checks (user_id, code_hash, expires_at, attempts) VALUES (?, ?, ?, 0) \
         ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at, attempts = 0",
        vec![p.user_id.into(), digest(&code).into(), expires.into()],
    ))
    .await?;
    Ok((code, expires))
}

fn invalid() -> Problem {
    Problem::new(
        &["code"],
        "IDENTITY_CODE_INVALID",
        "Số định danh hoặc mã xác minh không đúng, hoặc mã đã hết hạn.",
        "The ID number or the check code is wrong, or the code expired.",
    )
}

/// A clerk confirms, papers seen, the identity of the account `identifier` with the code its
/// holder shows. Any mismatch (no such account, no code, a wrong or expired code) answers the same
/// `IDENTITY_CODE_INVALID`; the fifth wrong code voids it. Audited.
///
/// # Errors
/// `FORBIDDEN` for anyone but a clerk, `RATE_LIMITED`, a database failure.
pub async fn confirm_at_desk(
    db: &DatabaseConnection,
    clerk: &Principal,
    identifier: &str,
    code: &str,
) -> Result<Outcome<user::Model>, ApiError> {
    if !clerk.grants.iter().any(|g| g.role == OfficialRole::Clerk) {
        return Err(ApiError::Forbidden);
    }
    let now = now();
    rate_limit::per_minute(
        db,
        &format!("identity:clerk:{}", clerk.user_id),
        CHECKS_PER_CLERK_PER_MINUTE,
        now,
    )
    .await?;
    let login = super::accounts::normalize_login(identifier);
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT u.id, c.code_hash, c.expires_at, c.attempts FROM users u \
             JOIN identity_checks c ON c.user_id = u.id WHERE u.login = ? AND u.kind <> 'OFFICIAL'",
            vec![login.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(Err(vec![invalid()]));
    };
    let user_id: i64 = row.try_get("", "id")?;
    let stored: String = row.try_get("", "code_hash")?;
    let expires: i64 = row.try_get("", "expires_at")?;
    let attempts: i64 = row.try_get("", "attempts")?;
    // Digests are compared, so the comparison's timing tells nothing about the code.
    let matches = expires > now && attempts < MAX_ATTEMPTS && stored == digest(code.trim());
    let txn = db.begin().await?;
    if !matches {
        txn.execute_raw(statement(
            &txn,
            "UPDATE identity_checks SET attempts = attempts + 1 WHERE user_id = ?",
            vec![user_id.into()],
        ))
        .await?;
        txn.execute_raw(statement(
            &txn,
            "DELETE FROM identity_checks WHERE user_id = ? AND (attempts >= ? OR expires_at <= ?)",
            vec![user_id.into(), MAX_ATTEMPTS.into(), now.into()],
        ))
        .await?;
        audit(&txn, clerk, user_id, "REFUSED").await?;
        txn.commit().await?;
        return Ok(Err(vec![invalid()]));
    }
    let target = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    txn.execute_raw(statement(
        &txn,
        "DELETE FROM identity_checks WHERE user_id = ?",
        vec![user_id.into()],
    ))
    .await?;
    super::accounts::verified(&txn, &target, user::IDENTITY_DESK_CHECKED).await?;
    audit(&txn, clerk, user_id, "OK").await?;
    txn.commit().await?;
    Ok(Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?))
}

/// The audit row of one desk check (who checked which account, and how it went).
async fn audit(
    db: &impl ConnectionTrait,
    clerk: &Principal,
    user_id: i64,
    outcome: &str,
) -> Result<(), ApiError> {
    super::audit::record(
        db,
        Some(clerk.user_id),
        "IDENTITY_CHECK",
        ("User", &user_id.to_string()),
        &json!({}),
        outcome,
    )
    .await
}
