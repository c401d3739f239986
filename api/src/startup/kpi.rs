//! The Decision 766 index over plain HTTP: the spreadsheet of a scope's index (CSV or XLSX, with
//! the bearer token, for the same officials as `qualityIndex`), and the open-data aggregates of
//! the province and each agency (public: counts and points only, no personal data; kept a few
//! minutes per instance and limited per address).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use motcua_core::kpi::{self, Bands};
use serde_json::{Value, json};

use super::{AppState, bearer, client_ip, error_response, request_lang};
use crate::auth::now;
use crate::error::ApiError;
use crate::service::kpi::{Period, Scope, Window, counts, export};
use crate::service::rate_limit;

/// `GET /kpi/index.{csv,xlsx}?scope=PROVINCE|AGENCY|COMMUNE&agency={Agency id}&unit={code}&period=…`.
pub(super) async fn spreadsheet(
    state: web::Data<AppState>,
    http: HttpRequest,
    format: web::Path<String>,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let p = match bearer(&state, &http, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let format = format.into_inner();
    let scope = Scope::from_parts(
        query.get("scope").map_or("", String::as_str),
        query
            .get("agency")
            .and_then(|a| crate::graphql::ids::decode_i64(a, "Agency")),
        query.get("unit").map(String::as_str),
    );
    let period = query.get("period").and_then(|p| Period::parse(p));
    let (Some(scope), Some(period), true) = (scope, period, format == "csv" || format == "xlsx")
    else {
        return error_response(
            StatusCode::BAD_REQUEST,
            ApiError::InvalidInput("scope, agency or unit, period; .csv or .xlsx"),
            lang,
        );
    };
    let db = &state.deps.db;
    let computed = match crate::service::kpi::gather(db, &p, &scope, &period, now()).await {
        Ok(sets) => kpi::index(&sets.total, Bands::default())
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}"))),
        Err(e) => {
            let status = match e {
                ApiError::NotFound => StatusCode::NOT_FOUND,
                ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            return error_response(status, e, lang);
        }
    };
    let index = match computed {
        Ok(i) => i,
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    };
    let label = match &scope {
        Scope::Province => "PROVINCE".to_owned(),
        Scope::Agency(id) => format!("AGENCY {id}"),
        Scope::Commune(code) => format!("COMMUNE {code}"),
    };
    let rows = export::rows(&label, &period, &index, lang);
    let name = format!("chi-so-766-{}.{format}", period.label);
    let (body, content_type) = if format == "csv" {
        (export::csv(&rows).into_bytes(), "text/csv; charset=utf-8")
    } else {
        match export::xlsx(&rows) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
        }
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body)
}

/// Open-data answers kept per period for a few minutes (per instance: a cache, not state), and
/// the turn to compute one.
///
/// Anyone may ask for any of 3,400 periods, and each answer not kept is a pass over the
/// province's facts (half a second of two database processes for a year of 2,000,000 dossiers):
/// an instance computes one at a time, the others wait their turn and usually find their answer
/// kept by then; the answers kept are few, so asking for every period cannot fill the memory.
#[derive(Clone, Default)]
pub(super) struct OpenData {
    kept: Arc<Mutex<BTreeMap<String, (Instant, Value)>>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl OpenData {
    fn get(&self, label: &str) -> Option<Value> {
        let kept = self.kept.lock().ok()?;
        let (at, v) = kept.get(label)?;
        (at.elapsed() < OPEN_DATA_TTL).then(|| v.clone())
    }

    fn keep(&self, label: &str, v: &Value) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        kept.retain(|_, (at, _)| at.elapsed() < OPEN_DATA_TTL);
        // One answer is kept at a time, so one makes room.
        if kept.len() >= OPEN_DATA_KEPT
            && let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
        {
            kept.remove(&oldest);
        }
        kept.insert(label.to_owned(), (Instant::now(), v.clone()));
    }
}

const OPEN_DATA_TTL: Duration = Duration::from_secs(300);
const OPEN_DATA_PER_MINUTE: i64 = 30;
/// Periods whose answers an instance keeps at once.
const OPEN_DATA_KEPT: usize = 48;
/// How long a request waits for its turn before it is asked to come back.
const OPEN_DATA_WAIT_SECONDS: i64 = 10;

fn aggregate(index: &kpi::Index) -> Value {
    json!({
        "total_centi": index.total_centi,
        "grade": index.grade.map(kpi::Grade::as_str),
        "groups": index.groups.iter().map(|g| json!({
            "group": g.group.as_str(),
            "score_centi": g.score_centi,
            "indicators": g.indicators.iter().map(|i| json!({
                "code": i.code,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "score_centi": i.score_centi,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /open-data/index.json?period=2026`: the province's and every agency's index (counts and
/// points; nothing about a person).
pub(super) async fn open_data(
    state: web::Data<AppState>,
    http: HttpRequest,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let Some(period) = query.get("period").and_then(|p| Period::parse(p)) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            ApiError::InvalidInput("period (YYYY, YYYY-Qn or YYYY-MM)"),
            lang,
        );
    };
    let ip = client_ip(&http, &state.settings.trusted_proxies);
    match rate_limit::hit(&state.deps.db, &format!("opendata:{ip}"), 60, now()).await {
        Ok((count, retry_after)) if count > OPEN_DATA_PER_MINUTE => {
            return error_response(
                StatusCode::TOO_MANY_REQUESTS,
                ApiError::RateLimited { retry_after },
                lang,
            );
        }
        Ok(_) => {}
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    }
    let answer = |v: Value| {
        HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .json(v)
    };
    if let Some(v) = state.open_data.get(&period.label) {
        return answer(v);
    }
    let wait = Duration::from_secs(OPEN_DATA_WAIT_SECONDS.unsigned_abs());
    let Ok(_turn) = tokio::time::timeout(wait, state.open_data.turn.lock()).await else {
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            ApiError::RateLimited {
                retry_after: OPEN_DATA_WAIT_SECONDS,
            },
            lang,
        );
    };
    // Computed while this one waited?
    if let Some(v) = state.open_data.get(&period.label) {
        return answer(v);
    }
    let db = &state.deps.db;
    let computed: Result<Value, ApiError> = async {
        // One reading of the facts gives the province, every agency and every commune.
        let all = counts::breakdown(db, &Scope::Province, Window::new(&period, now())).await?;
        let fail = |e: kpi::KpiError| ApiError::Internal(anyhow::anyhow!("{e}"));
        let mut agencies = Vec::new();
        for a in crate::service::agencies::list(db, None, None, None).await? {
            let facts = all.agencies.get(&a.id).copied().unwrap_or_default();
            let index = kpi::index(&facts, Bands::default()).map_err(fail)?;
            agencies
                .push(json!({ "agency": a.code, "name": a.name_vi, "index": aggregate(&index) }));
        }
        let mut communes = Vec::new();
        for (code, facts) in &all.communes {
            let index = kpi::index(facts, Bands::default()).map_err(fail)?;
            communes.push(json!({ "unit": code, "index": aggregate(&index) }));
        }
        let index = kpi::index(&all.total, Bands::default()).map_err(fail)?;
        Ok(json!({
            "period": period.label,
            "from": period.start.to_rfc3339(),
            "to": period.end.to_rfc3339(),
            "province": aggregate(&index),
            "agencies": agencies,
            "communes": communes,
        }))
    }
    .await;
    match computed {
        Ok(v) => {
            state.open_data.keep(&period.label, &v);
            answer(v)
        }
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asking for every period keeps only the latest few answers.
    #[test]
    fn open_data_keeps_few_answers() {
        let open = OpenData::default();
        for year in 2000..2100 {
            open.keep(&year.to_string(), &json!({ "period": year }));
        }
        let kept = open.kept.lock().map(|k| k.len()).unwrap_or(0);
        assert_eq!(kept, OPEN_DATA_KEPT);
        assert_eq!(open.get("2099"), Some(json!({ "period": 2099 })));
        assert_eq!(open.get("2000"), None);
    }
}
