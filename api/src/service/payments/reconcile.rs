//! Reconciliation: the job that asks the gateway about payments left open (SECURITY.md W7: with
//! the callback lost, "paid" is still reached), and the daily settlement report of an agency, in
//! which every line is explained or flagged.

use chrono::NaiveDate;
use motcua_core::payment::CallbackCode;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::Value;

use super::super::cache::FilingCache;
use super::super::sql::statement;
use super::callback::{self, store_query};
use super::{Gateways, Provider, VALID_SECS, status};
use crate::db::entities::payment::{Column, Entity, Model};
use crate::error::ApiError;

/// How long one query holds a payment before another instance may query it.
const QUERY_LEASE_SECS: i64 = 60;
/// The longest wait between two queries of one payment.
const MAX_QUERY_GAP_SECS: i64 = 6 * 3600;
/// Payments queried per pass.
const BATCH: u64 = 20;

/// Queries the gateways about the open payments whose time has come; returns how many answers
/// were applied.
///
/// # Errors
/// A database failure.
pub async fn query_due(
    db: &DatabaseConnection,
    cache: &FilingCache,
    gw: &Gateways,
    now: i64,
) -> Result<u64, ApiError> {
    use sea_orm::QuerySelect;
    let due = Entity::find()
        .filter(Column::Status.eq(status::PENDING))
        .filter(Column::NextQueryAt.lte(now))
        .limit(BATCH)
        .all(db)
        .await?;
    let mut applied = 0;
    for p in due {
        // A lease, so that two instances do not query (and apply) the same payment at once.
        let leased = db
            .execute_raw(statement(
                db,
                "UPDATE payments SET query_lease_until = ? WHERE id = ? AND status = ? \
                 AND (query_lease_until IS NULL OR query_lease_until < ?)",
                vec![
                    (now + QUERY_LEASE_SECS).into(),
                    p.id.into(),
                    status::PENDING.into(),
                    now.into(),
                ],
            ))
            .await?
            .rows_affected();
        if leased == 0 {
            continue;
        }
        if query_one(db, cache, gw, &p, now).await? {
            applied += 1;
        }
    }
    Ok(applied)
}

/// Queries one payment; true when the answer was applied.
async fn query_one(
    db: &DatabaseConnection,
    cache: &FilingCache,
    gw: &Gateways,
    p: &Model,
    now: i64,
) -> Result<bool, ApiError> {
    let Some(provider) = Provider::parse(&p.provider) else {
        return Ok(false);
    };
    let order = motcua_core::payment::OrderState {
        amount: p.amount,
        confirmed: false,
    };
    let answer = match gw
        .query(provider, &p.reference, p.created_at, order, now)
        .await
    {
        Ok(a) => Some(a),
        Err(e) => {
            tracing::warn!(payment = p.id, error = %e, "payment query failed");
            None
        }
    };
    let decided = answer
        .as_ref()
        .filter(|a| a.decision.code == CallbackCode::Ok && !a.pending);
    if let Some(a) = decided
        && let Some(inbox) =
            store_query(db, provider, &p.reference, &a.payload, a.decision, now).await?
    {
        callback::process(db, cache, inbox, now).await?;
        return Ok(true);
    }
    // Still open: unknown to the gateway past the page's validity means never paid; otherwise
    // ask again later, less and less often.
    let unknown = answer
        .as_ref()
        .is_some_and(|a| a.decision.code == CallbackCode::OrderNotFound);
    if unknown && now - p.created_at > VALID_SECS {
        db.execute_raw(statement(
            db,
            "UPDATE payments SET status = ?, open_dossier_id = NULL, next_query_at = NULL, \
             query_count = query_count + 1, updated_at = ? WHERE id = ? AND status = ?",
            vec![
                status::EXPIRED.into(),
                now.into(),
                p.id.into(),
                status::PENDING.into(),
            ],
        ))
        .await?;
        return Ok(false);
    }
    let gap = (gw.config.query_after_secs << p.query_count.clamp(0, 10)).min(MAX_QUERY_GAP_SECS);
    db.execute_raw(statement(
        db,
        "UPDATE payments SET next_query_at = ?, query_count = query_count + 1, \
         query_lease_until = NULL WHERE id = ? AND status = ?",
        vec![(now + gap).into(), p.id.into(), status::PENDING.into()],
    ))
    .await?;
    Ok(false)
}

/// One line of the settlement report.
#[derive(Debug, Clone)]
pub struct Line {
    /// The payment.
    pub payment: Model,
    /// The dossier's code.
    pub dossier_code: String,
    /// What the line is, in Vietnamese.
    pub explanation_vi: String,
    /// In English.
    pub explanation_en: String,
    /// Whether the line needs an operator (a duplicate not refunded, a payment still open past
    /// the reconciliation, a gateway disagreeing on the amount).
    pub unexplained: bool,
}

/// An agency's settlement for a day (Asia/Ho_Chi_Minh).
#[derive(Debug, Clone)]
pub struct Settlement {
    /// The day.
    pub date: NaiveDate,
    /// Every payment started or paid that day.
    pub lines: Vec<Line>,
    /// Callbacks refused for a wrong amount that day (W4), by reference.
    pub amount_alerts: Vec<String>,
    /// Sum of the paid lines.
    pub collected: i64,
    /// Sum of approved refunds on them.
    pub refunded: i64,
}

impl Settlement {
    /// Lines needing an operator, alerts included.
    #[must_use]
    pub fn unexplained(&self) -> usize {
        self.lines.iter().filter(|l| l.unexplained).count() + self.amount_alerts.len()
    }

    /// The report as CSV (UTF-8 with a BOM, so that a spreadsheet opens the diacritics right).
    #[must_use]
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(
            "so_bien_lai,ma_ho_so,ma_giao_dich_motcua,cong_thanh_toan,ma_giao_dich_cong,so_tien,da_hoan,trang_thai,thoi_diem_thanh_toan,giai_trinh,can_xu_ly\r\n",
        );
        for l in &self.lines {
            let p = &l.payment;
            let fields = [
                p.receipt_number.clone().unwrap_or_default(),
                l.dossier_code.clone(),
                p.reference.clone(),
                p.provider.clone(),
                p.gateway_txn.clone().unwrap_or_default(),
                p.amount.to_string(),
                p.refunded_amount.to_string(),
                p.status.clone(),
                p.paid_at.map(crate::clock::rfc3339).unwrap_or_default(),
                l.explanation_vi.clone(),
                if l.unexplained { "CO" } else { "KHONG" }.to_owned(),
            ];
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
        for r in &self.amount_alerts {
            out.push_str(&format!(
                ",,{},,,,,ALERT,,{},CO\r\n",
                csv_field(r),
                csv_field("Cổng thanh toán báo số tiền khác số tiền của giao dịch")
            ));
        }
        out
    }
}

/// A CSV field, quoted when needed; a leading `=`, `+`, `-` or `@` is neutralised so that a
/// spreadsheet does not run it as a formula.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The settlement of `agency` on `date`.
///
/// # Errors
/// A database failure.
pub async fn settlement(
    db: &impl ConnectionTrait,
    gw_query_after: i64,
    agency: i64,
    date: NaiveDate,
    now: i64,
) -> Result<Settlement, ApiError> {
    let start = date
        .and_hms_opt(0, 0, 0)
        .and_then(|t| {
            t.and_local_timezone(motcua_core::deadline::VN_OFFSET)
                .single()
        })
        .map_or(0, |t| t.timestamp());
    let end = start + 86_400;
    let rows = db
        .query_all_raw(statement(
            db,
            "SELECT p.id, d.code, d.payment_ref FROM payments p JOIN dossiers d ON d.id = p.dossier_id \
             WHERE p.agency_id = ? AND ((p.created_at >= ? AND p.created_at < ?) \
             OR (p.paid_at >= ? AND p.paid_at < ?)) ORDER BY p.id",
            vec![
                agency.into(),
                start.into(),
                end.into(),
                start.into(),
                end.into(),
            ],
        ))
        .await?;
    let mut ids = Vec::new();
    let mut facts = std::collections::HashMap::new();
    for r in &rows {
        let id: i64 = r.try_get("", "id")?;
        let code: Option<String> = r.try_get("", "code")?;
        let dossier_ref: Option<String> = r.try_get("", "payment_ref")?;
        ids.push(id);
        facts.insert(id, (code.unwrap_or_default(), dossier_ref));
    }
    let payments = Entity::find().filter(Column::Id.is_in(ids)).all(db).await?;
    let mut lines = Vec::new();
    let (mut collected, mut refunded) = (0, 0);
    for p in payments {
        let (code, dossier_ref) = facts.remove(&p.id).unwrap_or_default();
        let (vi, en, unexplained) = explain(&p, dossier_ref.as_deref(), gw_query_after, now);
        if p.status == status::PAID {
            collected += p.amount;
            refunded += p.refunded_amount;
        }
        lines.push(Line {
            payment: p,
            dossier_code: code,
            explanation_vi: vi,
            explanation_en: en,
            unexplained,
        });
    }
    let alerts = db
        .query_all_raw(statement(
            db,
            "SELECT DISTINCT c.reference FROM payment_callbacks c JOIN payments p ON p.reference = c.reference \
             WHERE p.agency_id = ? AND c.answer = ? AND c.received_at >= ? AND c.received_at < ?",
            vec![
                agency.into(),
                CallbackCode::InvalidAmount.as_str().into(),
                start.into(),
                end.into(),
            ],
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "reference"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Settlement {
        date,
        lines,
        amount_alerts: alerts,
        collected,
        refunded,
    })
}

/// A line's explanation, and whether it needs an operator.
fn explain(
    p: &Model,
    dossier_ref: Option<&str>,
    query_after: i64,
    now: i64,
) -> (String, String, bool) {
    let receipt = p.receipt_number.as_deref().unwrap_or("");
    match p.status.as_str() {
        status::PAID if dossier_ref == Some(receipt) => (
            format!("Đã thu, biên lai {receipt}"),
            format!("Collected, receipt {receipt}"),
            false,
        ),
        status::PAID if p.refunded_amount >= p.amount => (
            "Thu trùng, đã hoàn tiền".to_owned(),
            "Paid twice, refunded".to_owned(),
            false,
        ),
        status::PAID => (
            "Thu trùng (hồ sơ đã nộp phí), cần hoàn tiền".to_owned(),
            "Paid twice (the dossier was already paid): refund needed".to_owned(),
            true,
        ),
        status::PENDING if now - p.created_at <= query_after + VALID_SECS => (
            "Đang chờ cổng thanh toán xác nhận".to_owned(),
            "Waiting for the gateway's confirmation".to_owned(),
            false,
        ),
        status::PENDING => (
            "Chưa đối soát được với cổng thanh toán".to_owned(),
            "Not reconciled with the gateway yet".to_owned(),
            true,
        ),
        status::FAILED => (
            format!(
                "Không thành công (mã {})",
                p.gateway_code.as_deref().unwrap_or("?")
            ),
            format!(
                "Not completed (code {})",
                p.gateway_code.as_deref().unwrap_or("?")
            ),
            false,
        ),
        status::EXPIRED => (
            "Hết hạn, không phát sinh thanh toán".to_owned(),
            "Expired, never paid".to_owned(),
            false,
        ),
        _ => (
            "Đã huỷ, chuyển sang cổng khác".to_owned(),
            "Cancelled for another gateway".to_owned(),
            false,
        ),
    }
}

/// The payments of a dossier, newest first.
///
/// # Errors
/// A database failure.
pub async fn of_dossier(
    db: &impl ConnectionTrait,
    dossier_id: &str,
) -> Result<Vec<Model>, ApiError> {
    use sea_orm::QueryOrder;
    Ok(Entity::find()
        .filter(Column::DossierId.eq(dossier_id))
        .order_by_desc(Column::Id)
        .all(db)
        .await?)
}

/// A stored payload, for the desk's detail view.
#[must_use]
pub fn lines_of(p: &Model) -> Value {
    serde_json::from_str(&p.lines).unwrap_or(Value::Array(Vec::new()))
}
