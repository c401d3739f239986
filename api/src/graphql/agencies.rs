//! Agencies in GraphQL.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use motcua_core::Lang;

use super::{db, ids, lang};
use crate::db::entities::agency;
use crate::error::ApiError;
use crate::service::agencies;

/// An agency (cơ quan) with its electronic ID.
#[derive(SimpleObject, Debug, Clone)]
pub struct Agency {
    /// Global ID.
    pub id: ID,
    /// Electronic ID (mã định danh điện tử), e.g. `000.00.00.H42`; dossier codes start with it.
    pub code: String,
    /// Name in the request's language.
    pub name: String,
    /// Kind of agency, as procedures name their competent agency.
    pub agency_type: String,
    /// `PROVINCE` or `COMMUNE`.
    pub level: String,
    /// The administrative unit served (2 or 5 digits).
    pub unit_code: String,
    /// The parent agency's global ID.
    pub parent_id: Option<ID>,
}

impl Agency {
    /// The DTO of a row.
    #[must_use]
    pub fn from_row(a: agency::Model, lang: Lang) -> Self {
        Self {
            id: ids::encode("Agency", &a.id.to_string()),
            code: a.code,
            name: if lang == Lang::En {
                a.name_en
            } else {
                a.name_vi
            },
            agency_type: a.agency_type,
            level: a.level,
            unit_code: a.unit_code,
            parent_id: a.parent_id.map(|p| ids::encode("Agency", &p.to_string())),
        }
    }
}

/// An official who can receive a dossier (a specialist or leader of an agency).
#[derive(SimpleObject, Debug, Clone)]
pub struct StaffMember {
    /// The official's global ID (`toUserId` of `handOverDossier`).
    pub id: ID,
    /// Full name.
    pub full_name: String,
    /// `SPECIALIST`, `LEADER` (in that agency).
    pub roles: Vec<String>,
}

/// Agency queries.
#[derive(Default)]
pub struct AgenciesQuery;

#[Object]
impl AgenciesQuery {
    /// The province's agencies by electronic ID; filter by `level` (`PROVINCE`, `COMMUNE`), by
    /// administrative unit, or by words of the name (diacritics and case ignored).
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        level: Option<String>,
        unit_code: Option<String>,
        search: Option<String>,
    ) -> Result<Vec<Agency>> {
        let lang = lang(ctx);
        let rows = agencies::list(
            db(ctx)?,
            level.as_deref(),
            unit_code.as_deref(),
            search.as_deref(),
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        Ok(rows
            .into_iter()
            .map(|a| Agency::from_row(a, lang))
            .collect())
    }

    /// One agency by global ID; `NOT_FOUND` otherwise.
    async fn agency(&self, ctx: &Context<'_>, id: ID) -> Result<Agency> {
        let lang = lang(ctx);
        let key =
            ids::decode_i64(&id, "Agency").ok_or_else(|| ApiError::NotFound.into_graphql(lang))?;
        let row = agencies::get(db(ctx)?, key)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(Agency::from_row(row, lang))
    }

    /// The specialists and leaders of an agency, to choose whom to hand a dossier over to
    /// (officials only: names and roles, nothing else). Disabled accounts are left out.
    async fn hand_over_targets(
        &self,
        ctx: &Context<'_>,
        agency_id: ID,
    ) -> Result<Vec<StaffMember>> {
        let lang = lang(ctx);
        let p = super::guard::principal(ctx)?;
        if p.kind != crate::auth::AccountKind::Official {
            return Err(ApiError::Forbidden.into_graphql(lang));
        }
        let key = ids::decode_i64(&agency_id, "Agency")
            .ok_or_else(|| ApiError::NotFound.into_graphql(lang))?;
        let staff = agencies::staff(db(ctx)?, key)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        Ok(staff
            .into_iter()
            .map(|(id, full_name, roles)| StaffMember {
                id: ids::encode("User", &id.to_string()),
                full_name,
                roles,
            })
            .collect())
    }
}

/// The agency with `id`, through the batch loader (one query for every agency a response needs).
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn load(ctx: &Context<'_>, id: i64) -> Result<Agency> {
    let l = lang(ctx);
    let loader = ctx
        .data::<async_graphql::dataloader::DataLoader<super::loaders::Agencies>>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no agency loader")).into_graphql(l))?;
    let row = loader
        .load_one(id)
        .await
        .map_err(|e| super::loaders::failed(&e).into_graphql(l))?
        .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
    Ok(Agency::from_row(row, l))
}
