//! The gateways' side of online payment, over plain HTTP: VNPay's IPN and return URL, the
//! national platform's confirm and return URL; and, with a bearer token, the electronic receipt
//! and the settlement CSV.
//!
//! A callback is decided by the core, stored and answered before anything is applied (W8); the
//! inbox row is then applied in the background, exactly once (the job picks up whatever a crash
//! left). The return URLs only send the browser back to the dossier: they never mark anything
//! paid (W6).

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use motcua_core::payment::{CallbackCode, platform};
use serde_json::json;

use super::{AppState, bearer, client_ip, error_response, pdf_response, request_lang};
use crate::auth::{OfficialRole, Principal, now};
use crate::error::ApiError;
use crate::service::payments::{self, callback, receipt_number};
use crate::service::rate_limit;

/// Whether `ip` is over its callback budget.
async fn flooded(state: &AppState, ip: &str) -> bool {
    match rate_limit::hit(&state.deps.db, &format!("paycb:{ip}"), 60, now()).await {
        Ok((count, _)) => count > state.deps.payments.config.callbacks_per_ip_per_minute,
        Err(_) => false,
    }
}

fn apply_later(state: &AppState, inbox: Option<i64>) {
    if let Some(id) = inbox {
        let (db, cache) = (state.deps.db.clone(), state.deps.filing.clone());
        actix_web::rt::spawn(async move {
            if let Err(e) = callback::process(&db, &cache, id, now()).await {
                // The job retries it.
                tracing::warn!(inbox = id, error = %e, "payment callback not applied yet");
            }
        });
    }
}

fn vnpay_answer(code: CallbackCode) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "RspCode": code.as_str(), "Message": code.message() }))
}

/// `GET /payments/vnpay/ipn?vnp_…`: the gateway's server-to-server call.
pub(super) async fn vnpay_ipn(
    state: web::Data<AppState>,
    http: HttpRequest,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let ip = client_ip(&http, &state.settings.trusted_proxies);
    if flooded(&state, &ip).await {
        return HttpResponse::TooManyRequests().finish();
    }
    match callback::vnpay_ipn(
        &state.deps.db,
        &state.deps.payments,
        query.into_inner(),
        &ip,
        now(),
    )
    .await
    {
        Ok(r) => {
            apply_later(&state, r.inbox);
            vnpay_answer(r.code)
        }
        Err(e) => {
            tracing::error!(error = %e, "VNPay IPN not stored");
            // `99`: the gateway calls again.
            vnpay_answer(CallbackCode::Other)
        }
    }
}

/// `POST /payments/paygov/confirm`: the platform's confirm, answered with the receipt number,
/// signed (the platform's `RECEIPT`).
pub(super) async fn paygov_confirm(
    state: web::Data<AppState>,
    http: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let ip = client_ip(&http, &state.settings.trusted_proxies);
    if flooded(&state, &ip).await {
        return HttpResponse::TooManyRequests().finish();
    }
    let gw = &state.deps.payments;
    let Some(g) = gw.get(payments::Provider::Paygov) else {
        return HttpResponse::NotFound().finish();
    };
    let secret = g.secrets.first().cloned().unwrap_or_default();
    let merchant = g.merchant.clone();
    let answer = |code: CallbackCode, order: &str, receipt: &str| {
        HttpResponse::Ok().json(platform::Receipt::signed(
            code, &merchant, order, receipt, &secret,
        ))
    };
    let Ok(msg) = serde_json::from_slice::<platform::Confirm>(&body) else {
        return answer(CallbackCode::Other, "", "");
    };
    match callback::paygov_confirm(&state.deps.db, gw, &msg, &ip, now()).await {
        Ok(r) => {
            apply_later(&state, r.inbox);
            let receipt = match (&r.payment, r.code) {
                (Some(p), CallbackCode::Ok | CallbackCode::AlreadyConfirmed) => {
                    receipt_number(p.id)
                }
                _ => String::new(),
            };
            answer(r.code, &msg.order, &receipt)
        }
        Err(e) => {
            tracing::error!(error = %e, "platform confirm not stored");
            answer(CallbackCode::Other, &msg.order, "")
        }
    }
}

/// Sends the browser back to its dossier; nothing is marked (W6).
async fn back_to_dossier(state: &AppState, reference: &str) -> HttpResponse {
    let found = callback::by_reference(&state.deps.db, reference)
        .await
        .ok()
        .flatten();
    let target = match found {
        Some(p) => format!(
            "/ho-so/{}?thanh-toan={}",
            crate::graphql::ids::encode("Dossier", &p.dossier_id).0,
            p.reference
        ),
        None => "/ho-so".to_owned(),
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// `GET /payments/vnpay/return?vnp_…`.
pub(super) async fn vnpay_return(
    state: web::Data<AppState>,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let reference = query.get("vnp_TxnRef").cloned().unwrap_or_default();
    back_to_dossier(&state, &reference).await
}

/// `GET /payments/paygov/return?order=…`.
pub(super) async fn paygov_return(
    state: web::Data<AppState>,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let reference = query.get("order").cloned().unwrap_or_default();
    back_to_dossier(&state, &reference).await
}

/// `GET /payments/{id}/receipt`: the electronic receipt, for whoever may see the dossier.
pub(super) async fn receipt(
    state: web::Data<AppState>,
    http: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let p = match bearer(&state, &http, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let Some(id) = crate::graphql::ids::decode_i64(&id, "Payment") else {
        return error_response(StatusCode::NOT_FOUND, ApiError::NotFound, lang);
    };
    match payments::receipt::render(
        &state.deps.db,
        &state.deps.filing,
        &state.deps.public_url,
        &p,
        id,
    )
    .await
    {
        Ok((bytes, name)) => pdf_response(bytes, &name),
        Err(e @ ApiError::NotFound) => error_response(StatusCode::NOT_FOUND, e, lang),
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    }
}

/// Whether `p` may read agency `agency`'s settlement: its clerks, leaders and the province's
/// administrators.
#[must_use]
pub fn may_settle(p: &Principal, agency: i64) -> bool {
    p.holds(OfficialRole::Clerk, agency)
        || p.holds(OfficialRole::Leader, agency)
        || p.is_province_admin()
}

/// `GET /payments/settlement.csv?agency={Agency id}&date=YYYY-MM-DD`.
pub(super) async fn settlement_csv(
    state: web::Data<AppState>,
    http: HttpRequest,
    query: web::Query<BTreeMap<String, String>>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let p = match bearer(&state, &http, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let agency = query
        .get("agency")
        .and_then(|a| crate::graphql::ids::decode_i64(a, "Agency"));
    let date = query
        .get("date")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let (Some(agency), Some(date)) = (agency, date) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            ApiError::InvalidInput("agency, date (YYYY-MM-DD)"),
            lang,
        );
    };
    if !may_settle(&p, agency) {
        return error_response(StatusCode::NOT_FOUND, ApiError::NotFound, lang);
    }
    match payments::reconcile::settlement(
        &state.deps.db,
        state.deps.payments.config.query_after_secs,
        agency,
        date,
        now(),
    )
    .await
    {
        Ok(s) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"doi-soat-{date}.csv\""),
            ))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .body(s.csv()),
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    }
}
