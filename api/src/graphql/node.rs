//! `node(id:)`: any object with a global ID (Relay). An ID the caller may not see reads exactly
//! like a missing one (G5).

use async_graphql::{Context, ID, Interface, Object, Result};
use motcua_core::Lang;

use super::agencies::Agency;
use super::catalog::{ProcedureDetail, ProcedureSummary, ProcedureVersion};
use super::dossiers::Dossier;
use super::units::AdministrativeUnit;
use super::{db, ids, lang};
use crate::error::ApiError;
use crate::service::{agencies, catalog, dossier, units};

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "&ID", desc = "Global ID."))]
pub enum Node {
    /// A procedure with its current version.
    Procedure(ProcedureDetail),
    /// A procedure as listed (same ID as its detail; `node` returns the detail).
    ProcedureSummary(ProcedureSummary),
    /// A stored procedure version (administrators who manage the procedure).
    ProcedureVersion(ProcedureVersion),
    /// An agency.
    Agency(Agency),
    /// A province or commune.
    AdministrativeUnit(AdministrativeUnit),
    /// A dossier the caller may see (officials' reads are audited).
    Dossier(Box<Dossier>),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

async fn resolve(ctx: &Context<'_>, id: &str, lang: Lang) -> Result<Node, ApiError> {
    let (ty, key) = ids::decode(id).ok_or(ApiError::NotFound)?;
    let db = db(ctx).map_err(|_| ApiError::NotFound)?;
    match ty.as_str() {
        "Procedure" => {
            let (row, p, entry) = catalog::get(db, &key, &crate::clock::today()).await?;
            Ok(Node::Procedure(ProcedureDetail::new(row, p, entry, lang)))
        }
        "Agency" => {
            let key: i64 = key.parse().map_err(|_| ApiError::NotFound)?;
            Ok(Node::Agency(Agency::from_row(
                agencies::get(db, key).await?,
                lang,
            )))
        }
        "AdministrativeUnit" => {
            let u = units::get(db, &key).await?;
            Ok(Node::AdministrativeUnit(AdministrativeUnit {
                id: ids::encode("AdministrativeUnit", &u.code),
                code: u.code,
                name: if lang == Lang::En { u.name_en } else { u.name },
                kind: u.kind,
                parent_code: u.parent_code,
            }))
        }
        "ProcedureVersion" => {
            let key: i64 = key.parse().map_err(|_| ApiError::NotFound)?;
            let p = super::guard::principal(ctx).map_err(|_| ApiError::NotFound)?;
            let v = catalog::version_row(db, key).await?;
            let row = catalog::get_row(db, &v.procedure_code).await?;
            if !catalog::may_manage(db, p, &row).await? {
                return Err(ApiError::NotFound);
            }
            Ok(Node::ProcedureVersion(ProcedureVersion::from_row(v)))
        }
        "Dossier" => {
            let p = super::guard::principal(ctx).map_err(|_| ApiError::NotFound)?;
            let (d, _) = dossier::read(db, p, &key, "VIEW").await?;
            Ok(Node::Dossier(Box::new(d.into())))
        }
        _ => Err(ApiError::NotFound),
    }
}

#[Object]
impl NodeQuery {
    /// Any object by its global ID; `NOT_FOUND` for an unknown ID or one the caller may not see.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        let lang = lang(ctx);
        resolve(ctx, &id, lang)
            .await
            .map_err(|e| e.into_graphql(lang))
    }
}
