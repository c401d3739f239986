//! The demo accounts (every role), seeded in development mode only.

use anyhow::Context;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde::Deserialize;
use std::path::Path;

use crate::auth::{AccountKind, OfficialRole, now, password};
use crate::db::entities::{agency, user, user_role};
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    source: String,
    password: String,
    accounts: Vec<Account>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    kind: String,
    login: String,
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    roles: Vec<RoleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleEntry {
    role: String,
    agency: String,
}

/// Seeds `accounts.json` of `dir` (missing file: nothing). Existing logins are kept as they are.
/// Returns how many accounts were added.
///
/// # Errors
/// An unreadable or invalid file (unknown kind, role or agency), a database failure.
pub async fn seed(db: &DatabaseConnection, dir: &Path) -> Result<usize, ApiError> {
    let path = dir.join("accounts.json");
    let Some((_, text)) = super::json_documents(dir, "MOTCUA_DEMO")?
        .into_iter()
        .find(|(name, _)| name == "accounts.json")
    else {
        return Ok(0);
    };
    let file: File = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid account list", path.display()))?;
    let hash = password::hash(file.password.clone()).await?;
    let txn = db.begin().await?;
    let mut added = 0;
    for a in &file.accounts {
        let kind = AccountKind::parse(&a.kind)
            .with_context(|| format!("{}: unknown kind {}", a.login, a.kind))?;
        let login = if kind == AccountKind::Official {
            a.login.to_lowercase()
        } else {
            super::accounts::normalize_login(&a.login)
        };
        let mut account = user::ActiveModel::new_account(
            kind.as_str(),
            login.clone(),
            a.full_name.clone(),
            (a.phone.clone(), a.email.clone()),
            Some(hash.clone()),
            false,
            now(),
        );
        if kind != AccountKind::Official {
            // The demo people stand for citizens whose papers a clerk has seen (Z4), so that
            // their desk dossiers reach their accounts in the demonstration.
            account.identity_level = Set(user::IDENTITY_DESK_CHECKED.to_owned());
        }
        let inserted = user::Entity::insert(account)
            .on_conflict(
                OnConflict::column(user::Column::Login)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 0 {
            continue;
        }
        added += 1;
        let user = user::Entity::find()
            .filter(user::Column::Login.eq(login.as_str()))
            .one(&txn)
            .await?
            .context("the account just inserted is missing")?;
        for r in &a.roles {
            let role = OfficialRole::parse(&r.role)
                .with_context(|| format!("{}: unknown role {}", a.login, r.role))?;
            let agency = agency::Entity::find()
                .filter(agency::Column::Code.eq(r.agency.as_str()))
                .one(&txn)
                .await?
                .with_context(|| format!("{}: unknown agency {}", a.login, r.agency))?;
            user_role::Entity::insert(user_role::ActiveModel {
                user_id: Set(user.id),
                role: Set(role.as_str().to_owned()),
                agency_id: Set(Some(agency.id)),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(added)
}
