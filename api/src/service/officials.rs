//! Official accounts and their roles, managed by administrators within their scope:
//! a province administrator everywhere, an agency administrator only in their own agency and only
//! for the dossier roles (clerk, specialist, leader).

use crate::service::sql::is_unique_violation;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde_json::json;

use super::accounts::{bump_version, invalidate_all};
use super::audit;
use super::problem::{Outcome, Problem};
use super::sql::statement;
use crate::auth::{AccountKind, Grant, OfficialRole, Principal, now, password};
use crate::db::entities::{agency, user, user_role};
use crate::error::ApiError;

/// Whether `actor` may grant `role` in `agency_id`.
#[must_use]
pub fn may_grant(actor: &Principal, role: OfficialRole, agency_id: i64) -> bool {
    actor.is_province_admin()
        || (actor.holds(OfficialRole::AgencyAdmin, agency_id)
            && matches!(
                role,
                OfficialRole::Clerk | OfficialRole::Specialist | OfficialRole::Leader
            ))
}

/// How far up an account stands: 2 a province administrator, 1 an agency administrator, 0 the
/// officials who act on dossiers.
fn rank(grants: impl IntoIterator<Item = OfficialRole>) -> u8 {
    grants
        .into_iter()
        .map(|r| match r {
            OfficialRole::ProvinceAdmin => 2,
            OfficialRole::AgencyAdmin => 1,
            OfficialRole::Clerk | OfficialRole::Specialist | OfficialRole::Leader => 0,
        })
        .max()
        .unwrap_or(0)
}

/// Whether `actor` administers `target`'s account: never their own, only accounts ranked below
/// them (a fellow administrator or the province administrator is out of an agency
/// administrator's reach), and for an agency administrator only officials of their agency (Z3).
fn administers(actor: &Principal, target_id: i64, target_grants: &[user_role::Model]) -> bool {
    let target_rank = rank(
        target_grants
            .iter()
            .filter_map(|g| OfficialRole::parse(&g.role)),
    );
    let actor_rank = rank(actor.grants.iter().map(|g| g.role));
    target_id != actor.user_id
        && target_rank < actor_rank
        && (actor.is_province_admin()
            || target_grants.iter().any(|g| {
                g.agency_id
                    .is_some_and(|a| actor.holds(OfficialRole::AgencyAdmin, a))
            }))
}

/// Whether the actor holds any administrator role.
fn administers_anything(actor: &Principal) -> bool {
    actor.grants.iter().any(|g| {
        matches!(
            g.role,
            OfficialRole::AgencyAdmin | OfficialRole::ProvinceAdmin
        )
    })
}

/// An issued password for a new official: 16 random characters, to be changed at first login
/// (V2).
fn issued_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| {
            char::from(
                ALPHABET
                    .get(usize::from(*b) % ALPHABET.len())
                    .copied()
                    .unwrap_or(b'x'),
            )
        })
        .collect())
}

/// Creates an official with roles and an issued password (returned once, never stored in clear).
///
/// # Errors
/// `FORBIDDEN` when a role is outside the actor's scope; `NOT_FOUND` for an unknown agency; a
/// database failure. A taken user name or a bad name come back as problems.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&Principal>,
    username: &str,
    full_name: &str,
    email: Option<String>,
    grants: &[Grant],
) -> Result<Outcome<(user::Model, String)>, ApiError> {
    for g in grants {
        super::agencies::get(db, g.agency_id).await?;
        if let Some(actor) = actor
            && !may_grant(actor, g.role, g.agency_id)
        {
            return Err(ApiError::Forbidden);
        }
    }
    let login = username.trim().to_lowercase();
    let valid_login = (3..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
        && !login.bytes().all(|b| b.is_ascii_digit());
    let mut problems = Vec::new();
    if !valid_login {
        problems.push(Problem::new(
            &["input", "username"],
            "INVALID_USERNAME",
            "Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm hoặc gạch dưới, và không chỉ gồm chữ số.",
            "A user name has 3–64 lower-case ASCII letters, digits, dots or underscores, and not only digits.",
        ));
    }
    let name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=200).contains(&name.chars().count()) {
        problems.push(Problem::new(
            &["input", "fullName"],
            "INVALID_NAME",
            "Họ và tên phải có từ 2 đến 200 ký tự.",
            "The name must have 2 to 200 characters.",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let issued = issued_password()?;
    let hash = password::hash(issued.clone()).await?;
    let txn = db.begin().await?;
    let created = user::ActiveModel::new_account(
        AccountKind::Official.as_str(),
        login,
        name,
        (None, email),
        Some(hash),
        true,
        now(),
    )
    .insert(&txn)
    .await;
    let created = match created {
        Ok(u) => u,
        Err(e) if is_unique_violation(&e) => {
            return Ok(Err(vec![Problem::new(
                &["input", "username"],
                "USERNAME_TAKEN",
                "Tên đăng nhập đã được dùng.",
                "The user name is taken.",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    for g in grants {
        user_role::ActiveModel {
            user_id: Set(created.id),
            role: Set(g.role.as_str().to_owned()),
            agency_id: Set(Some(g.agency_id)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor.map(|a| a.user_id),
        "OFFICIAL_CREATED",
        ("User", &created.id.to_string()),
        &json!({ "roles": grants.iter().map(|g| json!({"role": g.role.as_str(), "agency": g.agency_id})).collect::<Vec<_>>() }),
        "OK",
    )
    .await?;
    txn.commit().await?;
    Ok(Ok((created, issued)))
}

/// Replaces the roles of `user_id` within the actor's scope (a province administrator: all of
/// them; an agency administrator: the dossier roles in their agency). The account's tokens stop
/// working at once (J5).
///
/// # Errors
/// `NOT_FOUND` for an account the actor does not administer (or that is not an official),
/// `FORBIDDEN` for a role outside the actor's scope, a database failure.
pub async fn set_roles(
    db: &DatabaseConnection,
    actor: &Principal,
    user_id: i64,
    grants: &[Grant],
) -> Result<Vec<user_role::Model>, ApiError> {
    let target = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.kind == AccountKind::Official.as_str())
        .ok_or(ApiError::NotFound)?;
    let current = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(target.id))
        .all(db)
        .await?;
    // An official without roles may be taken on by any agency administrator; one with roles only
    // by the administrators of their agencies.
    let may_take_on = current.is_empty() && administers_anything(actor);
    // Nobody changes their own roles (Z3): not even to add one beside those they hold.
    if target.id == actor.user_id {
        return Err(ApiError::Forbidden);
    }
    if !administers(actor, target.id, &current) && !may_take_on {
        return Err(ApiError::NotFound);
    }
    for g in grants {
        if agency::Entity::find_by_id(g.agency_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(ApiError::NotFound);
        }
        if !may_grant(actor, g.role, g.agency_id) {
            return Err(ApiError::Forbidden);
        }
    }
    let txn = db.begin().await?;
    // Remove what the actor may manage, keep the rest, add the new grants.
    for r in &current {
        let manageable = match (OfficialRole::parse(&r.role), r.agency_id) {
            (Some(role), Some(agency)) => may_grant(actor, role, agency),
            _ => actor.is_province_admin(),
        };
        if manageable {
            user_role::Entity::delete_by_id(r.id).exec(&txn).await?;
        }
    }
    for g in grants {
        let exists = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(target.id))
            .filter(user_role::Column::Role.eq(g.role.as_str()))
            .filter(user_role::Column::AgencyId.eq(g.agency_id))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            user_role::ActiveModel {
                user_id: Set(target.id),
                role: Set(g.role.as_str().to_owned()),
                agency_id: Set(Some(g.agency_id)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    bump_version(&txn, target.id).await?;
    audit::record(
        &txn,
        Some(actor.user_id),
        "ROLES_SET",
        ("User", &target.id.to_string()),
        &json!({
            "before": current.iter().map(|r| json!({"role": r.role, "agency": r.agency_id})).collect::<Vec<_>>(),
            "after": grants.iter().map(|g| json!({"role": g.role.as_str(), "agency": g.agency_id})).collect::<Vec<_>>(),
        }),
        "OK",
    )
    .await?;
    txn.commit().await?;
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(target.id))
        .all(db)
        .await?)
}

/// Disables (or enables) an account the actor administers; disabling ends its sessions (J5).
///
/// # Errors
/// `NOT_FOUND` for an account outside the actor's scope, a database failure.
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: &Principal,
    user_id: i64,
    disabled: bool,
) -> Result<user::Model, ApiError> {
    let target = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let grants = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(target.id))
        .all(db)
        .await?;
    if !administers(actor, target.id, &grants) {
        return Err(ApiError::NotFound);
    }
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::Disabled, Expr::value(disabled))
        .filter(user::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    if disabled {
        invalidate_all(&txn, target.id, "DISABLED").await?;
    }
    audit::record(
        &txn,
        Some(actor.user_id),
        if disabled {
            "ACCOUNT_DISABLED"
        } else {
            "ACCOUNT_ENABLED"
        },
        ("User", &target.id.to_string()),
        &json!({}),
        "OK",
    )
    .await?;
    txn.commit().await?;
    user::Entity::find_by_id(target.id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Checks a hand-over's target: the official must be an enabled specialist or leader of the
/// receiving agency; an agency alone must exist. Returns the receiving agency (for an official
/// without one: `current` if they serve it, else their first).
///
/// # Errors
/// A database failure. A wrong target comes back as a problem.
pub async fn handover_target(
    db: &impl ConnectionTrait,
    cache: &super::cache::FilingCache,
    to_user: Option<i64>,
    to_agency: Option<i64>,
    current: i64,
) -> Result<Result<i64, Problem>, ApiError> {
    match (to_user, to_agency) {
        (None, None) => Ok(Err(Problem::new(
            &["toUserId"],
            "HANDOVER_TARGET_REQUIRED",
            "Hãy chọn cán bộ hoặc cơ quan nhận hồ sơ.",
            "Choose the official or agency to hand over to.",
        ))),
        (None, Some(agency)) => {
            let known = cache.agencies(db).await?.iter().any(|a| a.id == agency);
            Ok(if known {
                Ok(agency)
            } else {
                Err(Problem::new(
                    &["toAgencyId"],
                    "AGENCY_NOT_FOUND",
                    "Không tìm thấy cơ quan nhận hồ sơ.",
                    "The receiving agency does not exist.",
                ))
            })
        }
        (Some(user), agency) => {
            let rows = db
                .query_all_raw(statement(
                    db,
                    "SELECT r.agency_id FROM user_roles r JOIN users u ON u.id = r.user_id \
                     WHERE r.user_id = ? AND r.role IN ('SPECIALIST', 'LEADER') \
                     AND u.disabled = ? AND r.agency_id IS NOT NULL ORDER BY r.agency_id",
                    vec![user.into(), false.into()],
                ))
                .await?;
            let agencies: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.try_get::<i64>("", "agency_id").ok())
                .collect();
            let chosen = match agency {
                Some(a) => agencies.contains(&a).then_some(a),
                None if agencies.contains(&current) => Some(current),
                None => agencies.first().copied(),
            };
            Ok(chosen.ok_or_else(|| {
                Problem::new(
                    &["toUserId"],
                    "HANDOVER_TARGET_INVALID",
                    "Người nhận không phải chuyên viên hoặc lãnh đạo của cơ quan nhận hồ sơ.",
                    "The receiver is not a specialist or leader of the receiving agency.",
                )
            }))
        }
    }
}
