//! The Decision 766 index over GraphQL: a scope's index for a period with every indicator's
//! counts, and the dossiers (or procedures) behind any count. Officials only: a ward's people see
//! their ward, an agency's its agency, leaders the province, the province's administrators all.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use motcua_core::Lang;
use motcua_core::kpi::{self, Bands, INDICATORS};

use super::guard::principal;
use super::{db, ids, lang};
use crate::auth::now;
use crate::error::ApiError;
use crate::service::kpi::{FactSets, Period, Scope};

/// Whose index.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum IndexScopeKind {
    /// The whole province.
    Province,
    /// One agency (the dossiers it is competent for).
    Agency,
    /// One commune or ward (the dossiers filed to its units).
    Commune,
}

/// Whose index: the province, an agency (`agencyId`) or a commune (`unitCode`).
#[derive(InputObject, Debug, Clone)]
pub struct IndexScope {
    /// Which kind.
    pub kind: IndexScopeKind,
    /// The agency, for `AGENCY`.
    pub agency_id: Option<ID>,
    /// The administrative unit's code, for `COMMUNE`.
    pub unit_code: Option<String>,
}

/// One side of an indicator's rate.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum IndexPart {
    /// What is counted.
    Numerator,
    /// Out of what.
    Denominator,
}

/// One indicator of the index.
#[derive(SimpleObject, Debug, Clone)]
pub struct IndexIndicator {
    /// Stable code, e.g. `PROGRESS_ON_TIME`.
    pub code: String,
    /// Its name in the request's language.
    pub name: String,
    /// Points.
    pub max: i64,
    /// The rate that earns full marks, in per cent.
    pub threshold_pct: i64,
    /// Counted (`qualityIndexItems` lists it).
    pub numerator: i64,
    /// Out of.
    pub denominator: i64,
    /// The rate in hundredths of a per cent; null when N/A.
    pub rate_basis_points: Option<i64>,
    /// Hundredths of a point; null when N/A (nothing to judge).
    pub score_centi: Option<i64>,
}

/// One group of the index.
#[derive(SimpleObject, Debug, Clone)]
pub struct IndexGroup {
    /// `TRANSPARENCY`, `PROGRESS`, `ONLINE_SERVICE`, `DIGITISATION`, `SATISFACTION`,
    /// `ONLINE_PAYMENT`.
    pub group: String,
    /// Its name in the request's language.
    pub name: String,
    /// Its points in the decision.
    pub max: i64,
    /// Hundredths of a point; null when none of its indicators applies.
    pub score_centi: Option<i64>,
    /// Its indicators.
    pub indicators: Vec<IndexIndicator>,
}

/// A scope's index for a period.
#[derive(SimpleObject, Debug, Clone)]
pub struct QualityIndex {
    /// As asked (`2026`, `2026-Q4`, `2026-12`).
    pub period: String,
    /// RFC 3339, first instant.
    pub from: String,
    /// RFC 3339, first instant after.
    pub to: String,
    /// Out of 100 points in hundredths, scaled over what applies; null when nothing applies.
    pub total_centi: Option<i64>,
    /// `EXCELLENT`, `GOOD`, `FAIR`, `AVERAGE` or `WEAK`.
    pub grade: Option<String>,
    /// The grade's name in the request's language.
    pub grade_name: Option<String>,
    /// `GREEN`, `BLUE`, `YELLOW`, `ORANGE` or `RED`.
    pub colour: Option<String>,
    /// The six groups.
    pub groups: Vec<IndexGroup>,
}

/// Something behind a count: a dossier (or, for the procedure indicators, a procedure).
#[derive(SimpleObject, Debug, Clone)]
pub struct IndexItem {
    /// The dossier's global ID (null for a procedure).
    pub dossier_id: Option<ID>,
    /// The dossier's code, or the procedure's.
    pub code: String,
    /// How much it counts (1, or a survey's points).
    pub weight: i64,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reads the scope and period, checks the caller, and gathers the facts.
async fn gather(ctx: &Context<'_>, scope: &IndexScope, period: &str) -> Result<(Period, FactSets)> {
    let l = lang(ctx);
    let p = principal(ctx)?;
    let db = db(ctx)?;
    let kind = match scope.kind {
        IndexScopeKind::Province => "PROVINCE",
        IndexScopeKind::Agency => "AGENCY",
        IndexScopeKind::Commune => "COMMUNE",
    };
    let agency = scope
        .agency_id
        .as_ref()
        .and_then(|a| ids::decode_i64(a, "Agency"));
    let scope = Scope::from_parts(kind, agency, scope.unit_code.as_deref())
        .ok_or_else(|| ApiError::InvalidInput("scope (agencyId, unitCode)").into_graphql(l))?;
    let period = Period::parse(period).ok_or_else(|| {
        ApiError::InvalidInput("period (YYYY, YYYY-Qn or YYYY-MM)").into_graphql(l)
    })?;
    let sets =
        crate::service::kpi::gather(db, super::dossiers::cache(ctx)?, p, &scope, &period, now())
            .await
            .map_err(|e| e.into_graphql(l))?;
    Ok((period, sets))
}

/// Index queries.
#[derive(Default)]
pub struct KpiQuery;

#[Object]
impl KpiQuery {
    /// The Decision 766 index of a scope for a period (`2026`, `2026-Q4` or `2026-12`), from the
    /// event log: every group and indicator with its counts. Officials of the scope; leaders for
    /// the province.
    async fn quality_index(
        &self,
        ctx: &Context<'_>,
        scope: IndexScope,
        period: String,
    ) -> Result<QualityIndex> {
        let l = lang(ctx);
        let (period, sets) = gather(ctx, &scope, &period).await?;
        let index = kpi::index(&sets.facts(), Bands::default())
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")).into_graphql(l))?;
        Ok(QualityIndex {
            period: period.label.clone(),
            from: period.start.to_rfc3339(),
            to: period.end.to_rfc3339(),
            total_centi: index.total_centi.map(i64::from),
            grade: index.grade.map(|g| g.as_str().to_owned()),
            grade_name: index.grade.map(|g| g.name(l).to_owned()),
            colour: index.colour.map(|c| c.as_str().to_owned()),
            groups: index
                .groups
                .iter()
                .map(|g| IndexGroup {
                    group: g.group.as_str().to_owned(),
                    name: g.group.name(l).to_owned(),
                    max: i64::from(g.max),
                    score_centi: g.score_centi.map(i64::from),
                    indicators: g
                        .indicators
                        .iter()
                        .map(|s| {
                            let def = INDICATORS.iter().find(|i| i.code == s.code);
                            IndexIndicator {
                                code: s.code.to_owned(),
                                name: def
                                    .map(|d| match l {
                                        Lang::Vi => d.name_vi,
                                        Lang::En => d.name_en,
                                    })
                                    .unwrap_or_default()
                                    .to_owned(),
                                max: i64::from(s.max),
                                threshold_pct: i64::from(s.threshold_pct),
                                numerator: int(s.numerator),
                                denominator: int(s.denominator),
                                rate_basis_points: s.rate_bp.map(i64::from),
                                score_centi: s.score_centi.map(i64::from),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// What is behind one side of an indicator of `qualityIndex` (same scope and period): the
    /// dossiers (or procedures) whose weights add up to its count.
    async fn quality_index_items(
        &self,
        ctx: &Context<'_>,
        scope: IndexScope,
        period: String,
        indicator: String,
        part: IndexPart,
    ) -> Result<Vec<IndexItem>> {
        let l = lang(ctx);
        let def = INDICATORS
            .iter()
            .find(|i| i.code == indicator.trim())
            .ok_or_else(|| ApiError::InvalidInput("indicator").into_graphql(l))?;
        let (_, sets) = gather(ctx, &scope, &period).await?;
        let facts = match part {
            IndexPart::Numerator => def.numerator_facts,
            IndexPart::Denominator => def.denominator_facts,
        };
        Ok(sets
            .behind(facts)
            .into_iter()
            .map(|i| IndexItem {
                dossier_id: i.dossier_id.map(|d| ids::encode("Dossier", &d)),
                code: i.code,
                weight: int(i.weight),
            })
            .collect())
    }
}
