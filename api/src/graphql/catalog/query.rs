//! Catalogue queries: search with Relay pagination, and one procedure by code.

use super::types::{ProcedureDetail, ProcedureSummary};
use crate::graphql::{db, lang};
use crate::service::catalog::{self, Search};
use async_graphql::connection::{Connection, EmptyFields, query};
use async_graphql::{Context, Object, Result};

/// Catalogue queries.
#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Procedures of the catalogue, by code. `search` ignores case and diacritics ("ho chieu" finds
    /// "hộ chiếu"); `field` matches words of the field (lĩnh vực) the same way; `level` is
    /// `CENTRAL`, `PROVINCE` or `COMMUNE`; `onlineMode` is `FULL`, `PARTIAL` or `NONE`; `agencyId`
    /// keeps the procedures that agency is competent for. At most 50 per page.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each GraphQL argument is a resolver parameter"
    )]
    async fn procedures(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        field: Option<String>,
        agency_id: Option<async_graphql::ID>,
        level: Option<String>,
        online_mode: Option<String>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, ProcedureSummary, EmptyFields, EmptyFields>> {
        let lang = lang(ctx);
        let db = db(ctx)?;
        let cache = ctx
            .data::<std::sync::Arc<catalog::CatalogCache>>()
            .map_err(|_| {
                crate::error::ApiError::Internal(anyhow::anyhow!("no catalogue cache"))
                    .into_graphql(lang)
            })?;
        let agency_type = match agency_id {
            None => None,
            Some(id) => {
                let key = crate::graphql::ids::decode_i64(&id, "Agency")
                    .ok_or_else(|| crate::error::ApiError::NotFound.into_graphql(lang))?;
                let agency = crate::service::agencies::get(db, key)
                    .await
                    .map_err(|e| e.into_graphql(lang))?;
                Some(agency.agency_type)
            }
        };
        query(
            after,
            None,
            first,
            None,
            |after: Option<String>, _, first, _| async move {
                let limit = crate::graphql::paging::limit(first);
                let rows = catalog::search(
                    db,
                    cache,
                    &Search {
                        text: search,
                        field,
                        agency_type,
                        level,
                        online_mode,
                        after: after.clone(),
                        limit,
                    },
                )
                .await
                .map_err(|e| e.into_graphql(lang))?;
                Ok::<_, async_graphql::Error>(crate::graphql::paging::page(
                    rows,
                    limit,
                    after.is_some(),
                    |row| row.code.clone(),
                    |row| ProcedureSummary::from_row(row, lang),
                ))
            },
        )
        .await
    }

    /// One procedure with its current form, fees, times and components; `NOT_FOUND` otherwise.
    async fn procedure(&self, ctx: &Context<'_>, code: String) -> Result<ProcedureDetail> {
        let lang = lang(ctx);
        let (row, procedure, entry) = catalog::get(db(ctx)?, &code, &crate::clock::today())
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(ProcedureDetail::new(row, procedure, entry, lang))
    }

    /// Every stored version of a procedure, newest first, for the administrators who manage it.
    async fn procedure_versions(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> Result<Vec<super::ProcedureVersion>> {
        let lang = lang(ctx);
        let p = crate::graphql::guard::principal(ctx)?;
        let db = db(ctx)?;
        let row = catalog::get_row(db, &code)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        if !catalog::may_manage(db, p, &row)
            .await
            .map_err(|e| e.into_graphql(lang))?
        {
            return Err(crate::error::ApiError::Forbidden.into_graphql(lang));
        }
        Ok(catalog::versions(db, &code)
            .await
            .map_err(|e| e.into_graphql(lang))?
            .into_iter()
            .map(super::ProcedureVersion::from_row)
            .collect())
    }
}
