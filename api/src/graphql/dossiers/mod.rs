//! Dossiers in GraphQL: drafts, filing with an idempotency key, attachments, intake, processing,
//! tracking and the public lookup. Resolvers translate between GraphQL and the dossier service
//! (`crate::service::dossier`); none reads the database itself.

mod fields;
mod mutation;
mod payloads;
mod processing;
mod query;
mod types;

pub use mutation::DossiersMutation;
pub use payloads::*;
pub use processing::{HandOverInput, ProcessingMutation};
pub use query::DossiersQuery;
pub use types::*;

use async_graphql::{Context, ID, Result};
use motcua_core::Lang;
use std::sync::Arc;

use super::guard::principal;
use super::{db, ids, lang};
use crate::error::ApiError;
use crate::service::attachments::Storage;
use crate::service::cache::FilingCache;
use crate::service::dossier::{self as dossiers, Act};

pub(crate) fn cache<'a>(ctx: &Context<'a>) -> Result<&'a Arc<FilingCache>> {
    ctx.data::<Arc<FilingCache>>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no filing cache")).into_graphql(lang(ctx)))
}

fn storage<'a>(ctx: &Context<'a>) -> Result<&'a Storage> {
    ctx.data::<Storage>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no storage")).into_graphql(lang(ctx)))
}

/// A dossier id: its global ID, or the raw UUID a client made offline.
pub(crate) fn dossier_key(id: &str, lang: Lang) -> Result<String> {
    if dossiers::is_uuid(id) {
        return Ok(id.to_owned());
    }
    ids::decode(id)
        .filter(|(t, k)| t == "Dossier" && dossiers::is_uuid(k))
        .map(|(_, k)| k)
        .ok_or_else(|| ApiError::NotFound.into_graphql(lang))
}

fn rfc3339(secs: Option<i64>) -> Option<String> {
    secs.map(crate::clock::rfc3339)
}

pub(crate) fn agency_key(id: Option<&ID>, lang: Lang) -> Result<Option<i64>> {
    id.map(|id| ids::decode_i64(id, "Agency").ok_or_else(|| ApiError::NotFound.into_graphql(lang)))
        .transpose()
}

/// Runs one action of the dossier service and answers its payload.
pub(crate) async fn act(
    ctx: &Context<'_>,
    id: &ID,
    version: i64,
    what: Act,
) -> Result<DossierPayload> {
    let l = lang(ctx);
    let key = dossier_key(id, l)?;
    let out = dossiers::act(db(ctx)?, cache(ctx)?, principal(ctx)?, &key, version, what)
        .await
        .map_err(|e| e.into_graphql(l))?;
    Ok(DossierPayload::answer(out, l))
}
