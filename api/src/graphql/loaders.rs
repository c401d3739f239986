//! Batch loaders (DataLoader): the agencies of a page of dossiers and the roles of a list of
//! accounts are read in one query each, not one per object (N+1). The loaders keep no cache —
//! they only batch what one tick of execution asks for — so one schema-wide instance is shared
//! safely by every request.

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::OfficialRole;
use crate::db::entities::agency;
use crate::error::ApiError;
use crate::service::{accounts, agencies};

/// Agencies by id.
pub struct Agencies(pub DatabaseConnection);

impl Loader<i64> for Agencies {
    type Value = agency::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(agencies::by_ids(&self.0, keys)
            .await
            .map_err(Arc::new)?
            .into_iter()
            .map(|a| (a.id, a))
            .collect())
    }
}

/// The roles of accounts, by account id: each role with its agency's id.
pub struct Roles(pub DatabaseConnection);

impl Loader<i64> for Roles {
    type Value = Vec<(OfficialRole, i64)>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        accounts::roles_of_accounts(&self.0, keys)
            .await
            .map_err(Arc::new)
    }
}

/// A loader's shared failure as an error of the field that asked (the cause is logged with the
/// internal error's correlation id).
#[must_use]
pub fn failed(e: &ApiError) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("batch load: {e}"))
}
