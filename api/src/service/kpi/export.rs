//! The index as a spreadsheet: one row per indicator with its group, counts, rate and points, and
//! the total and grade on top; as CSV (UTF-8 with a BOM, formulas neutralised) and as XLSX.

use motcua_core::Lang;
use motcua_core::kpi::{INDICATORS, Index};
use rust_xlsxwriter::{Format, Workbook};

use super::Period;
use crate::error::ApiError;
use crate::service::payments::reconcile::csv_field;

/// A cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// N/A.
    Empty,
}

fn hundredths(v: Option<u32>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Number(f64::from(v) / 100.0))
}

#[allow(clippy::cast_precision_loss)]
fn count(n: u64) -> Cell {
    Cell::Number(n as f64)
}

/// The sheet: a title row, the total, the column names, then one row per indicator.
#[must_use]
pub fn rows(scope: &str, period: &Period, index: &Index, lang: Lang) -> Vec<Vec<Cell>> {
    let t = |vi: &str, en: &str| {
        Cell::Text(match lang {
            Lang::Vi => vi.to_owned(),
            Lang::En => en.to_owned(),
        })
    };
    let mut out = vec![
        vec![
            t("Chỉ số Quyết định 766", "Decision 766 index"),
            Cell::Text(scope.to_owned()),
            Cell::Text(period.label.clone()),
        ],
        vec![
            t("Tổng điểm", "Total"),
            hundredths(index.total_centi),
            Cell::Text(
                index
                    .grade
                    .map(|g| g.name(lang).to_owned())
                    .unwrap_or_default(),
            ),
        ],
        vec![
            t("Nhóm", "Group"),
            t("Mã chỉ tiêu", "Indicator code"),
            t("Chỉ tiêu", "Indicator"),
            t("Điểm tối đa", "Maximum"),
            t("Ngưỡng (%)", "Threshold (%)"),
            t("Đạt", "Counted"),
            t("Trên tổng số", "Out of"),
            t("Tỷ lệ (%)", "Rate (%)"),
            t("Điểm", "Points"),
        ],
    ];
    for g in &index.groups {
        for i in &g.indicators {
            let name = INDICATORS
                .iter()
                .find(|d| d.code == i.code)
                .map(|d| match lang {
                    Lang::Vi => d.name_vi,
                    Lang::En => d.name_en,
                })
                .unwrap_or_default();
            out.push(vec![
                Cell::Text(g.group.name(lang).to_owned()),
                Cell::Text(i.code.to_owned()),
                Cell::Text(name.to_owned()),
                Cell::Number(f64::from(i.max)),
                Cell::Number(f64::from(i.threshold_pct)),
                count(i.numerator),
                count(i.denominator),
                hundredths(i.rate_bp),
                hundredths(i.score_centi),
            ]);
        }
    }
    out
}

/// As CSV.
#[must_use]
pub fn csv(rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => csv_field(s),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// As an XLSX workbook of one sheet.
///
/// # Errors
/// The writer's failure (an internal error).
pub fn xlsx(rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Chi so 766").map_err(fail)?;
    sheet.set_column_width(2, 48).map_err(fail)?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(|e| ApiError::Internal(e.into()))?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|e| ApiError::Internal(e.into()))?;
            match cell {
                // Text is written as text: nothing a cell holds is ever a formula.
                Cell::Text(s) if r == 2 => sheet.write_string_with_format(r, c, s, &bold),
                Cell::Text(s) => sheet.write_string(r, c, s),
                Cell::Number(n) => sheet.write_number(r, c, *n),
                Cell::Empty => continue,
            }
            .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}
