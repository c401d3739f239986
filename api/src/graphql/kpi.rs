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
use crate::service::kpi::{Breakdown, Period, Scope, Window};

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

/// A page of what is behind one side of an indicator.
#[derive(SimpleObject, Debug, Clone)]
pub struct IndexItemPage {
    /// How many things are behind it in all.
    pub count: i64,
    /// Their total weight: the count shown in the index.
    pub weight: i64,
    /// The page asked for.
    pub items: Vec<IndexItem>,
}

/// The index of one agency or commune in a report.
#[derive(SimpleObject, Debug, Clone)]
pub struct ScopedIndex {
    /// `AGENCY` or `COMMUNE`.
    pub kind: IndexScopeKind,
    /// The agency, for `AGENCY`.
    pub agency_id: Option<ID>,
    /// The administrative unit's code (the agency's own unit for `AGENCY`).
    pub unit_code: String,
    /// Its name in the request's language.
    pub name: String,
    /// Its index.
    pub index: QualityIndex,
}

/// Every index an official may see for a period, from one reading of the facts: the province's
/// (for leaders), and each agency's and commune's.
#[derive(SimpleObject, Debug, Clone)]
pub struct QualityReport {
    /// As asked.
    pub period: String,
    /// The province's, when the caller may see it.
    pub province: Option<QualityIndex>,
    /// Each agency's, best first (N/A last).
    pub agencies: Vec<ScopedIndex>,
    /// Each commune's, best first (N/A last).
    pub communes: Vec<ScopedIndex>,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn period_of(ctx: &Context<'_>, period: &str) -> Result<Period> {
    Period::parse(period).ok_or_else(|| {
        ApiError::InvalidInput("period (YYYY, YYYY-Qn or YYYY-MM)").into_graphql(lang(ctx))
    })
}

fn scope_of(ctx: &Context<'_>, scope: &IndexScope) -> Result<Scope> {
    let kind = match scope.kind {
        IndexScopeKind::Province => "PROVINCE",
        IndexScopeKind::Agency => "AGENCY",
        IndexScopeKind::Commune => "COMMUNE",
    };
    let agency = scope
        .agency_id
        .as_ref()
        .and_then(|a| ids::decode_i64(a, "Agency"));
    Scope::from_parts(kind, agency, scope.unit_code.as_deref())
        .ok_or_else(|| ApiError::InvalidInput("scope (agencyId, unitCode)").into_graphql(lang(ctx)))
}

/// The index of `facts` as the API shows it.
fn dto(facts: &kpi::Facts, period: &Period, l: Lang) -> Result<QualityIndex> {
    let index = kpi::index(facts, Bands::default())
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

/// Best first, N/A last, then by name.
fn ranked(mut list: Vec<ScopedIndex>) -> Vec<ScopedIndex> {
    list.sort_by(|a, b| {
        b.index
            .total_centi
            .unwrap_or(-1)
            .cmp(&a.index.total_centi.unwrap_or(-1))
            .then_with(|| a.name.cmp(&b.name))
    });
    list
}

/// Most items a drill-down page gives.
const MAX_PAGE: i32 = 500;

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
        let (scope, period) = (scope_of(ctx, &scope)?, period_of(ctx, &period)?);
        let facts = crate::service::kpi::gather(db(ctx)?, principal(ctx)?, &scope, &period, now())
            .await
            .map_err(|e| e.into_graphql(l))?;
        dto(&facts.total, &period, l)
    }

    /// Every index the caller may see for `period`, from one reading: the province's (leaders
    /// and the province's administrators), and each agency's and commune's in it; for other
    /// officials, their own agencies and communes.
    async fn quality_report(&self, ctx: &Context<'_>, period: String) -> Result<QualityReport> {
        let l = lang(ctx);
        let period = period_of(ctx, &period)?;
        let (db, p) = (db(ctx)?, principal(ctx)?);
        let at = now();
        let fail = |e: ApiError| e.into_graphql(l);
        if p.kind != crate::auth::AccountKind::Official {
            return Err(fail(ApiError::NotFound));
        }
        let mut parts: Vec<Breakdown> = Vec::new();
        let mut seen_units = std::collections::BTreeSet::new();
        let province = if crate::service::kpi::may_view(db, p, &Scope::Province)
            .await
            .map_err(fail)?
        {
            let all = crate::service::kpi::gather(db, p, &Scope::Province, &period, at)
                .await
                .map_err(fail)?;
            let total = dto(&all.total, &period, l)?;
            parts.push(all);
            Some(total)
        } else {
            // Their own agencies, and the communes they may see.
            let mut seen = std::collections::BTreeSet::new();
            for g in &p.grants {
                if !seen.insert(g.agency_id) {
                    continue;
                }
                let mut own =
                    crate::service::kpi::gather(db, p, &Scope::Agency(g.agency_id), &period, at)
                        .await
                        .map_err(fail)?;
                own.communes.clear();
                parts.push(own);
                let unit = crate::service::agencies::get(db, g.agency_id)
                    .await
                    .map_err(fail)?
                    .unit_code;
                let commune = Scope::Commune(unit);
                if seen_units.insert(commune.clone())
                    && crate::service::kpi::may_view(db, p, &commune)
                        .await
                        .map_err(fail)?
                {
                    let mut b = crate::service::kpi::gather(db, p, &commune, &period, at)
                        .await
                        .map_err(fail)?;
                    b.agencies.clear();
                    parts.push(b);
                }
            }
            None
        };
        let agencies = crate::service::agencies::list(db, None, None, None)
            .await
            .map_err(fail)?;
        let units =
            crate::service::units::names(db, parts.iter().flat_map(|b| b.communes.keys().cloned()))
                .await
                .map_err(fail)?;
        let (mut by_agency, mut by_commune) = (Vec::new(), Vec::new());
        let mut seen = std::collections::BTreeSet::new();
        for part in &parts {
            for (id, facts) in &part.agencies {
                let Some(a) = agencies.iter().find(|a| a.id == *id) else {
                    continue;
                };
                by_agency.push(ScopedIndex {
                    kind: IndexScopeKind::Agency,
                    agency_id: Some(ids::encode("Agency", &id.to_string())),
                    unit_code: a.unit_code.clone(),
                    name: match l {
                        Lang::Vi => a.name_vi.clone(),
                        Lang::En => a.name_en.clone(),
                    },
                    index: dto(facts, &period, l)?,
                });
            }
            for (code, facts) in &part.communes {
                if !seen.insert(code.clone()) {
                    continue;
                }
                by_commune.push(ScopedIndex {
                    kind: IndexScopeKind::Commune,
                    agency_id: None,
                    unit_code: code.clone(),
                    name: units.get(code).map_or_else(
                        || code.clone(),
                        |(vi, en)| match l {
                            Lang::Vi => vi.clone(),
                            Lang::En => en.clone(),
                        },
                    ),
                    index: dto(facts, &period, l)?,
                });
            }
        }
        Ok(QualityReport {
            period: period.label.clone(),
            province,
            agencies: ranked(by_agency),
            communes: ranked(by_commune),
        })
    }

    /// What is behind one side of an indicator (the dossiers, or procedures or complaints),
    /// `first` (at most 500, default 100) from `offset`: each fact's list in turn, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn quality_index_items(
        &self,
        ctx: &Context<'_>,
        scope: IndexScope,
        period: String,
        indicator: String,
        part: IndexPart,
        offset: Option<i32>,
        first: Option<i32>,
    ) -> Result<IndexItemPage> {
        let l = lang(ctx);
        let def = INDICATORS
            .iter()
            .find(|i| i.code == indicator.trim())
            .ok_or_else(|| ApiError::InvalidInput("indicator").into_graphql(l))?;
        let (offset, first) = (offset.unwrap_or(0), first.unwrap_or(100));
        if offset < 0 || !(1..=MAX_PAGE).contains(&first) {
            return Err(ApiError::InvalidInput("offset ≥ 0, first 1–500").into_graphql(l));
        }
        let (scope, period) = (scope_of(ctx, &scope)?, period_of(ctx, &period)?);
        let (db, p) = (db(ctx)?, principal(ctx)?);
        let at = now();
        crate::service::kpi::admit(db, p, &scope, at)
            .await
            .map_err(|e| e.into_graphql(l))?;
        let facts = match part {
            IndexPart::Numerator => def.numerator_facts,
            IndexPart::Denominator => def.denominator_facts,
        };
        let page = crate::service::kpi::counts::behind(
            db,
            &scope,
            Window::new(&period, at),
            facts,
            u64::try_from(offset).unwrap_or(0),
            u64::try_from(first).unwrap_or(1),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(IndexItemPage {
            count: int(page.count),
            weight: int(page.weight),
            items: page
                .items
                .into_iter()
                .map(|i| IndexItem {
                    dossier_id: i.dossier_id.map(|d| ids::encode("Dossier", &d)),
                    code: i.code,
                    weight: int(i.weight),
                })
                .collect(),
        })
    }
}
