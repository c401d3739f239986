//! The printed forms of Circular 01/2018/TT-VPCP (as replaced by Circular 03/2025/TT-VPCP) that
//! the one-stop shop hands to an applicant: receipt and appointment (Mẫu số 01), supplement
//! request (02), refusal (03), apology with a new date (04) and the control sheet that follows
//! the dossier between agencies (06).
//!
//! Each form is a pure function from plain data to PDF bytes: no IO, no clock, no randomness,
//! so the same dossier always prints the same file and the functions are trivially testable.
//! Dates arrive already formatted (the service owns time zones and the Vietnamese wording).
//! Every form carries the dossier code, the unit, the dates and a QR code of the public lookup
//! URL so that the applicant can follow the dossier without calling the office.

pub mod pdf;

pub use pdf::FormError;
use pdf::{
    Align, CONTENT_WIDTH, Column, Document, MARGIN_LEFT, MARGIN_TOP, PAGE_HEIGHT, Para, Span,
    Style, Table, line_height,
};

/// Body font size: DejaVu Serif is wider than the Times New Roman of the official samples, so
/// 12 pt here takes about the room of 13–14 pt there.
const BODY: f32 = 12.0;
/// Title font size.
const TITLE: f32 = 13.0;
/// Letterhead font size (shrunk further when a line would not fit its column).
const HEAD: f32 = 11.5;
/// Side of the QR code in points (about 25 mm: scannable from paper by any phone).
const QR_SIDE: f32 = 72.0;
/// Hanging indent of numbered list items.
const LIST_INDENT: f32 = 28.0;

/// The issuing unit, printed in the top-left corner of every form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// Province or city, e.g. "Lạng Sơn" (used by callers for the place/date line).
    pub province: String,
    /// The governing agency printed above the unit, e.g. "UBND tỉnh Lạng Sơn".
    pub parent_agency: Option<String>,
    /// The unit that receives and handles the dossier, e.g. "Trung tâm Phục vụ hành chính công".
    pub agency: String,
    /// The unit's contact phone, printed where the form tells the applicant whom to call.
    pub phone: Option<String>,
}

/// What every form says about the dossier and its applicant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierFacts {
    /// Dossier code (Mã hồ sơ), e.g. "000.00.20.H39-261122-0001".
    pub code: String,
    /// The administrative procedure requested.
    pub procedure_name: String,
    /// Applicant (person or organisation).
    pub applicant_name: String,
    /// Personal identification number (or the organisation's tax code).
    pub applicant_id_number: String,
    /// Applicant's phone.
    pub phone: Option<String>,
    /// Applicant's e-mail.
    pub email: Option<String>,
    /// Applicant's address.
    pub address: Option<String>,
    /// Documents submitted, in order.
    pub documents: Vec<String>,
    /// When it was received, formatted: "08 giờ 30 phút, ngày 22/11/2026".
    pub received_at: String,
    /// When the result is due, formatted like `received_at`; `None` if not yet set.
    pub due_at: Option<String>,
    /// Fees and charges in đồng.
    pub fee_total: i64,
    /// Public lookup URL, encoded in the QR code.
    pub lookup_url: String,
    /// Place and date line: "Lạng Sơn, ngày 22 tháng 11 năm 2026".
    pub place_date: String,
    /// The official who signs the form (for Mẫu số 04, the head of the unit).
    pub official_name: String,
    /// Where the applicant will collect the result ("Tại Bộ phận Một cửa", "Qua bưu chính").
    pub result_delivery: Option<String>,
}

/// One hand-over of the dossier, a row of the control sheet (Mẫu số 06).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    /// Who handed the dossier over (unit and person).
    pub giver: String,
    /// Who received it.
    pub receiver: String,
    /// When, formatted.
    pub handed_at: String,
    /// When the receiver's part is due, formatted.
    pub due: Option<String>,
    /// When the receiver finished, formatted.
    pub completed_at: Option<String>,
    /// "Trước hạn", "Đúng hạn" or "Quá hạn".
    pub outcome: Option<String>,
    /// Free note.
    pub note: Option<String>,
}

/// Formats đồng Vietnamese style: "1.200.000 đồng".
#[must_use]
pub fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 10);
    if amount < 0 {
        out.push('-');
    }
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" đồng");
    out
}

/// Mẫu số 01 — GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ, given to the applicant at the counter.
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn receipt(h: &Letterhead, d: &DossierFacts) -> Result<Vec<u8>, FormError> {
    let mut doc = start("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", h, d)?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[
            Span::regular(format!("{} tiếp nhận hồ sơ của: ", h.agency)),
            Span::bold(&d.applicant_name),
        ],
        body,
    );
    applicant_lines(&mut doc, d);
    doc.paragraph(
        &[
            Span::regular("Nội dung yêu cầu giải quyết: "),
            Span::bold(&d.procedure_name),
        ],
        body.after(4.0),
    );
    doc.paragraph(&[Span::regular("1. Thành phần hồ sơ nộp gồm:")], body);
    numbered(&mut doc, &d.documents);
    doc.paragraph(&[Span::regular("2. Số lượng hồ sơ: 01 (bộ).")], body);
    doc.paragraph(
        &[
            Span::regular("3. Thời gian nhận hồ sơ: "),
            Span::bold(&d.received_at),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("4. Thời gian trả kết quả giải quyết hồ sơ: "),
            Span::bold(
                d.due_at
                    .as_deref()
                    .unwrap_or("theo quy định của thủ tục hành chính"),
            ),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("5. Phí, lệ phí: "),
            Span::bold(fee_text(d.fee_total)),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("6. Đăng ký nhận kết quả tại: "),
            Span::regular(d.result_delivery.as_deref().unwrap_or(&h.agency)),
        ],
        body.after(12.0),
    );
    signatures(
        &mut doc,
        Some((
            "NGƯỜI NỘP HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            &d.applicant_name,
        )),
        Some((
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            &d.official_name,
        )),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// Mẫu số 02 — PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ: what is missing, why, and whom to ask.
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn supplement_request(
    h: &Letterhead,
    d: &DossierFacts,
    reason: &str,
    missing: &[String],
) -> Result<Vec<u8>, FormError> {
    let mut doc = start("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", h, d)?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[Span::regular("Hồ sơ của: "), Span::bold(&d.applicant_name)],
        body,
    );
    applicant_lines(&mut doc, d);
    doc.paragraph(
        &[
            Span::regular("Nội dung yêu cầu giải quyết: "),
            Span::bold(&d.procedure_name),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Thời gian tiếp nhận hồ sơ: "),
            Span::regular(&d.received_at),
        ],
        body.after(4.0),
    );
    doc.paragraph(
        &[Span::regular(
            "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
        )],
        body,
    );
    numbered(&mut doc, missing);
    doc.paragraph(
        &[Span::regular("Lý do: "), Span::regular(reason)],
        body.after(4.0),
    );
    let contact = match &h.phone {
        Some(phone) => format!("{}, số điện thoại {}", h.agency, phone),
        None => h.agency.clone(),
    };
    doc.paragraph(
        &[Span::regular(format!(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {} - {} để được hướng dẫn.",
            d.official_name, contact
        ))],
        body.after(12.0),
    );
    signatures(
        &mut doc,
        None,
        Some(("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", &d.official_name)),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// Mẫu số 03 — PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ, with the legal reason.
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn refusal(h: &Letterhead, d: &DossierFacts, reason: &str) -> Result<Vec<u8>, FormError> {
    let mut doc = start(
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        h,
        d,
    )?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[
            Span::regular(format!("{} tiếp nhận hồ sơ của: ", h.agency)),
            Span::bold(&d.applicant_name),
        ],
        body,
    );
    applicant_lines(&mut doc, d);
    doc.paragraph(
        &[
            Span::regular("Nội dung yêu cầu giải quyết: "),
            Span::bold(&d.procedure_name),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Thời gian tiếp nhận hồ sơ: "),
            Span::regular(&d.received_at),
        ],
        body.after(4.0),
    );
    doc.paragraph(
        &[Span::regular(format!(
            "Căn cứ quy định của pháp luật về thủ tục hành chính nêu trên, {} không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            h.agency
        ))],
        body,
    );
    doc.paragraph(
        &[Span::regular(reason)],
        body.indented(LIST_INDENT).after(4.0),
    );
    doc.paragraph(
        &[Span::regular(
            "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
        )],
        body.after(12.0),
    );
    signatures(
        &mut doc,
        None,
        Some((
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            &d.official_name,
        )),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// Mẫu số 04 — PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ, when the unit misses the due date.
/// `old_due` and `new_due` are formatted dates; the signer is `d.official_name` (the head of the
/// unit that caused the delay).
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn apology(
    h: &Letterhead,
    d: &DossierFacts,
    reason: &str,
    old_due: &str,
    new_due: &str,
) -> Result<Vec<u8>, FormError> {
    let mut doc = start(
        "Mẫu số 04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        h,
        d,
    )?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[Span::regular("Kính gửi: "), Span::bold(&d.applicant_name)],
        Para::centered(BODY).after(6.0),
    );
    doc.paragraph(
        &[
            Span::regular(format!(
                "Vào lúc {}, {} tiếp nhận giải quyết hồ sơ của Ông/Bà đề nghị giải quyết thủ tục hành chính: ",
                d.received_at, h.agency
            )),
            Span::bold(&d.procedure_name),
            Span::regular("."),
        ],
        body,
    );
    doc.paragraph(&[Span::regular("Mã hồ sơ: "), Span::bold(&d.code)], body);
    doc.paragraph(
        &[
            Span::regular("Thời hạn giải quyết hồ sơ theo quy định: "),
            Span::regular(old_due),
        ],
        body,
    );
    doc.paragraph(
        &[Span::regular(format!(
            "Tuy nhiên đến nay, {} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.",
            h.agency
        ))],
        body,
    );
    doc.paragraph(&[Span::regular("Lý do: "), Span::regular(reason)], body);
    doc.paragraph(
        &[
            Span::regular(format!(
                "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. {} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào ",
                h.agency
            )),
            Span::bold(new_due),
            Span::regular("."),
        ],
        body,
    );
    doc.paragraph(
        &[Span::regular(
            "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.",
        )],
        body.after(12.0),
    );
    signatures(
        &mut doc,
        None,
        Some((
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
            "(Ký, ghi rõ họ tên và đóng dấu)",
            &d.official_name,
        )),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// One line of an electronic receipt: a fee item, its legal basis and its amount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptLine {
    /// The item (phí, lệ phí) as the schedule names it.
    pub name: String,
    /// The legal basis (circular, resolution).
    pub legal_basis: String,
    /// đồng.
    pub amount: i64,
}

/// What an electronic receipt says beyond the dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// The receipt number (BL-…).
    pub number: String,
    /// Who paid.
    pub payer: String,
    /// The gateway, as a citizen reads it.
    pub gateway: String,
    /// The gateway's transaction number.
    pub transaction: String,
    /// When it was paid, formatted.
    pub paid_at: String,
    /// The total in đồng.
    pub total: i64,
    /// The total in words (the core's `money.in_words`).
    pub total_words: String,
    /// The lines.
    pub lines: Vec<ReceiptLine>,
}

/// BIÊN LAI THU PHÍ, LỆ PHÍ (điện tử): issued when an online payment is confirmed, with each fee
/// line's legal basis, the total in figures and in words, and the lookup QR code.
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn e_receipt(h: &Letterhead, d: &DossierFacts, r: &ReceiptFacts) -> Result<Vec<u8>, FormError> {
    let mut doc = start("Biên lai điện tử", "BIÊN LAI THU PHÍ, LỆ PHÍ", h, d)?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[Span::italic(format!("Số: {}", r.number))],
        Para::centered(BODY).after(6.0),
    );
    doc.paragraph(&[Span::regular("Người nộp: "), Span::bold(&r.payer)], body);
    doc.paragraph(&[Span::regular("Mã hồ sơ: "), Span::bold(&d.code)], body);
    doc.paragraph(
        &[
            Span::regular("Thủ tục hành chính: "),
            Span::regular(&d.procedure_name),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Hình thức thanh toán: "),
            Span::regular(format!("trực tuyến qua {}", r.gateway)),
            Span::regular(format!(" (mã giao dịch {})", r.transaction)),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Thời điểm thanh toán: "),
            Span::regular(&r.paid_at),
        ],
        body.after(8.0),
    );
    let size = 10.0;
    let mut rows: Vec<Vec<Vec<Span>>> = r
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                vec![Span::regular((i + 1).to_string())],
                vec![Span::regular(&l.name)],
                vec![Span::regular(&l.legal_basis)],
                vec![Span::regular(format_vnd(l.amount))],
            ]
        })
        .collect();
    rows.push(vec![
        Vec::new(),
        vec![Span::bold("Tổng cộng")],
        Vec::new(),
        vec![Span::bold(format_vnd(r.total))],
    ]);
    doc.table(&Table {
        columns: vec![
            Column::new(0.07, Align::Center),
            Column::new(0.38, Align::Left),
            Column::new(0.33, Align::Left),
            Column::new(0.22, Align::Right),
        ],
        header: vec![
            vec![Span::bold("STT")],
            vec![Span::bold("Khoản thu")],
            vec![Span::bold("Căn cứ pháp lý")],
            vec![Span::bold("Số tiền")],
        ],
        rows,
        size,
        padding: 4.0,
    });
    doc.skip(6.0);
    doc.paragraph(
        &[
            Span::regular("Số tiền bằng chữ: "),
            Span::italic(&r.total_words),
        ],
        body.after(12.0),
    );
    signatures(
        &mut doc,
        Some(("NGƯỜI NỘP TIỀN", "(Thanh toán trực tuyến)", &r.payer)),
        Some(("ĐƠN VỊ THU", "(Biên lai điện tử)", &h.agency)),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// Mẫu số 06 — PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ: one row per hand-over, with whether
/// each step finished early, on time or late. Long histories continue on further pages with the
/// header repeated.
///
/// # Errors
/// [`FormError`] if a font is broken or the lookup URL is too long for a QR code.
pub fn control_sheet(
    h: &Letterhead,
    d: &DossierFacts,
    steps: &[Step],
) -> Result<Vec<u8>, FormError> {
    let mut doc = start(
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        h,
        d,
    )?;
    let body = Para::body(BODY);
    doc.paragraph(
        &[Span::italic(
            "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
        )],
        Para::centered(BODY).after(6.0),
    );
    doc.paragraph(
        &[
            Span::regular("Cơ quan (bộ phận) giải quyết hồ sơ: "),
            Span::bold(&h.agency),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Người nộp hồ sơ: "),
            Span::bold(&d.applicant_name),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Thủ tục hành chính: "),
            Span::regular(&d.procedure_name),
        ],
        body,
    );
    doc.paragraph(
        &[
            Span::regular("Thời gian tiếp nhận: "),
            Span::regular(&d.received_at),
            Span::regular("; hẹn trả kết quả: "),
            Span::regular(d.due_at.as_deref().unwrap_or("theo quy định")),
        ],
        body.after(8.0),
    );

    let size = 9.0;
    let rows = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut timing = Vec::new();
            if let Some(due) = &s.due {
                timing.push(Span::regular(format!("Hạn: {due}")));
            }
            if let Some(done) = &s.completed_at {
                let sep = if timing.is_empty() { "" } else { "\n" };
                timing.push(Span::regular(format!("{sep}Xong: {done}")));
            }
            vec![
                vec![Span::regular((i + 1).to_string())],
                vec![
                    Span::italic("Giao: "),
                    Span::regular(&s.giver),
                    Span::italic("\nNhận: "),
                    Span::regular(&s.receiver),
                ],
                vec![Span::regular(&s.handed_at)],
                timing,
                vec![Span::bold(s.outcome.as_deref().unwrap_or(""))],
                vec![Span::regular(s.note.as_deref().unwrap_or(""))],
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::new(5.0, Align::Center),
            Column::new(31.0, Align::Left),
            Column::new(17.0, Align::Left),
            Column::new(18.0, Align::Left),
            Column::new(15.0, Align::Center),
            Column::new(14.0, Align::Left),
        ],
        header: vec![
            vec![Span::bold("TT")],
            vec![
                Span::bold("TÊN CƠ QUAN"),
                Span::italic("\n(giao, nhận hồ sơ)"),
            ],
            vec![Span::bold("THỜI GIAN GIAO, NHẬN HỒ SƠ")],
            vec![Span::bold("HẠN XỬ LÝ, THỜI GIAN HOÀN THÀNH")],
            vec![
                Span::bold("KẾT QUẢ GIẢI QUYẾT HỒ SƠ"),
                Span::italic("\n(Trước hạn/ Đúng hạn/ Quá hạn)"),
            ],
            vec![Span::bold("GHI CHÚ")],
        ],
        rows,
        size,
        padding: 3.0,
    };
    doc.table(&table);
    doc.skip(6.0);
    doc.paragraph(
        &[
            Span::italic("Ghi chú: "),
            Span::italic(
                "Thời gian giao, nhận hồ sơ giữa các cơ quan, đơn vị được ghi nhận trên Hệ thống thông tin giải quyết thủ tục hành chính; trường hợp chuyển hồ sơ giấy, người giao và người nhận ký xác nhận vào phiếu này.",
            ),
        ],
        Para::body(10.0).after(10.0),
    );
    lookup_box(&mut doc, d)?;
    doc.finish()
}

/// Starts a form: the form number, the two-column letterhead (unit on the left, national
/// title, motto and place/date on the right), the title and the dossier code.
fn start(
    form_no: &str,
    title: &str,
    h: &Letterhead,
    d: &DossierFacts,
) -> Result<Document, FormError> {
    let mut doc = Document::new(title)?;
    doc.block_at(
        &[Span::italic(form_no)],
        MARGIN_LEFT,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP + 20.0,
        9.0,
        Align::Right,
    );

    let top = doc.cursor();
    // The official layout: the unit column is narrower and slightly overlaps into the space the
    // national title leaves on its left.
    let left_w = CONTENT_WIDTH * 0.44;
    let right_x = MARGIN_LEFT + CONTENT_WIDTH * 0.42;
    let right_w = CONTENT_WIDTH - CONTENT_WIDTH * 0.42;

    let mut left_h = 0.0;
    if let Some(parent) = &h.parent_agency {
        let text = parent.to_uppercase();
        let size = doc.fit_size(Style::Regular, &text, left_w, HEAD, 9.0);
        left_h += doc.block_at(
            &[Span::regular(text)],
            MARGIN_LEFT,
            left_w,
            top,
            size,
            Align::Center,
        );
    }
    // One line if a slightly smaller size allows it, otherwise wrapped at the normal size.
    let unit = h.agency.to_uppercase();
    let mut unit_size = doc.fit_size(Style::Bold, &unit, left_w, HEAD, 10.0);
    if doc.text_width(Style::Bold, unit_size, &unit) > left_w {
        unit_size = HEAD;
    }
    let unit_lines = doc.layout(&[Span::bold(&unit)], unit_size, left_w);
    left_h += doc.draw_lines_at(
        &unit_lines,
        MARGIN_LEFT,
        left_w,
        top - left_h,
        unit_size,
        Align::Center,
    );
    let rule = unit_lines
        .iter()
        .map(pdf::Line::width)
        .fold(0.0, f32::max)
        .min(left_w)
        * 0.4;
    let rule_y = top - left_h - 2.0;
    let mid = MARGIN_LEFT + left_w / 2.0;
    doc.hrule(mid - rule / 2.0, mid + rule / 2.0, rule_y, 0.6);
    left_h += 6.0;

    let nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    let motto = "Độc lập - Tự do - Hạnh phúc";
    let nation_size = doc.fit_size(Style::Bold, nation, right_w, HEAD, 8.0);
    let motto_size = doc.fit_size(Style::Bold, motto, right_w, HEAD + 0.5, 8.0);
    let mut right_h = doc.block_at(
        &[Span::bold(nation)],
        right_x,
        right_w,
        top,
        nation_size,
        Align::Center,
    );
    right_h += doc.block_at(
        &[Span::bold(motto)],
        right_x,
        right_w,
        top - right_h,
        motto_size,
        Align::Center,
    );
    let motto_w = doc.text_width(Style::Bold, motto_size, motto);
    let rmid = right_x + right_w / 2.0;
    doc.hrule(
        rmid - motto_w / 2.0,
        rmid + motto_w / 2.0,
        top - right_h - 1.0,
        0.6,
    );
    right_h += 6.0;

    let below = top - f32::max(left_h, right_h) - 6.0;
    let date_h = doc.block_at(
        &[Span::italic(&d.place_date)],
        right_x,
        right_w,
        below,
        BODY - 0.5,
        Align::Center,
    );
    doc.set_cursor(below - date_h - 16.0);

    doc.paragraph(&[Span::bold(title)], Para::centered(TITLE).after(2.0));
    doc.paragraph(
        &[Span::regular("Mã hồ sơ: "), Span::bold(&d.code)],
        Para::centered(BODY).after(12.0),
    );
    Ok(doc)
}

/// Identity and contact lines shared by forms 01–03 (absent contacts are left out).
fn applicant_lines(doc: &mut Document, d: &DossierFacts) {
    let body = Para::body(BODY);
    doc.paragraph(
        &[
            Span::regular("Số định danh cá nhân: "),
            Span::regular(&d.applicant_id_number),
        ],
        body,
    );
    if let Some(address) = &d.address {
        doc.paragraph(&[Span::regular("Địa chỉ: "), Span::regular(address)], body);
    }
    let mut contact = Vec::new();
    if let Some(phone) = &d.phone {
        contact.push(Span::regular("Số điện thoại: "));
        contact.push(Span::regular(phone));
    }
    if let Some(email) = &d.email {
        let sep = if contact.is_empty() { "" } else { "    " };
        contact.push(Span::regular(format!("{sep}Email: ")));
        contact.push(Span::regular(email));
    }
    if !contact.is_empty() {
        doc.paragraph(&contact, body);
    }
}

/// A numbered list with a hanging indent, so wrapped items stay clear of their numbers.
fn numbered(doc: &mut Document, items: &[String]) {
    if items.is_empty() {
        doc.paragraph(
            &[Span::italic("(không có)")],
            Para::body(BODY).indented(LIST_INDENT),
        );
        return;
    }
    for (i, item) in items.iter().enumerate() {
        doc.ensure_space(line_height(BODY));
        let top = doc.cursor();
        doc.block_at(
            &[Span::regular(format!("{}.", i + 1))],
            MARGIN_LEFT,
            LIST_INDENT - 6.0,
            top,
            BODY,
            Align::Right,
        );
        doc.paragraph(
            &[Span::regular(item)],
            Para::body(BODY).indented(LIST_INDENT).after(1.0),
        );
    }
    doc.skip(3.0);
}

/// Fee line: amount in đồng, or that nothing is charged.
fn fee_text(total: i64) -> String {
    if total > 0 {
        format_vnd(total)
    } else {
        "không thu".to_owned()
    }
}

/// Signature blocks side by side: title, hint, room to sign, name. Kept on one page.
fn signatures(
    doc: &mut Document,
    left: Option<(&str, &str, &str)>,
    right: Option<(&str, &str, &str)>,
) {
    let sign_room = 56.0;
    let height = line_height(BODY) * 3.0 + sign_room;
    doc.ensure_space(height);
    let top = doc.cursor();
    let half = CONTENT_WIDTH / 2.0;
    let mut lowest = top;
    for (block, x) in [(left, MARGIN_LEFT), (right, MARGIN_LEFT + half)] {
        let Some((title, hint, name)) = block else {
            continue;
        };
        let mut y = top;
        y -= doc.block_at(&[Span::bold(title)], x, half, y, BODY, Align::Center);
        y -= doc.block_at(&[Span::italic(hint)], x, half, y, BODY - 1.0, Align::Center);
        y -= sign_room;
        if !name.is_empty() {
            y -= doc.block_at(&[Span::bold(name)], x, half, y, BODY, Align::Center);
        }
        lowest = lowest.min(y);
    }
    doc.set_cursor(lowest - 14.0);
}

/// The QR code of the public lookup URL with its caption, kept on one page.
fn lookup_box(doc: &mut Document, d: &DossierFacts) -> Result<(), FormError> {
    let caption_x = MARGIN_LEFT + QR_SIDE + 12.0;
    let caption_w = CONTENT_WIDTH - QR_SIDE - 12.0;
    let size = 10.0;
    // The URL gets its own size: shrunk (down to 7 pt) to stay on one line, because a URL
    // broken across lines cannot be copied from the PDF.
    let url_size = doc.fit_size(Style::Italic, &d.lookup_url, caption_w, size, 7.0);
    let blocks = [
        (
            doc.layout(
                &[
                    Span::bold("Tra cứu tình trạng hồ sơ"),
                    Span::regular("\nQuét mã QR hoặc truy cập:"),
                ],
                size,
                caption_w,
            ),
            size,
        ),
        (
            doc.layout(&[Span::italic(&d.lookup_url)], url_size, caption_w),
            url_size,
        ),
        (
            doc.layout(
                &[Span::regular("Mã hồ sơ: "), Span::bold(&d.code)],
                size,
                caption_w,
            ),
            size,
        ),
    ];
    let caption_h: f32 = blocks
        .iter()
        .map(|(lines, s)| lines.len() as f32 * line_height(*s))
        .sum();
    let height = QR_SIDE.max(caption_h);
    doc.ensure_space(height + 4.0);
    let top = doc.cursor();
    doc.qr_code(&d.lookup_url, MARGIN_LEFT, top, QR_SIDE)?;
    let mut y = top - 2.0;
    for (lines, s) in &blocks {
        y -= doc.draw_lines_at(lines, caption_x, caption_w, y, *s, Align::Left);
    }
    doc.set_cursor(top - height - 4.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::process::Command;

    fn letterhead() -> Letterhead {
        Letterhead {
            province: "Lạng Sơn".into(),
            parent_agency: Some("UBND tỉnh Lạng Sơn".into()),
            agency: "Trung tâm Phục vụ hành chính công".into(),
            phone: Some("0205 3812 345".into()),
        }
    }

    fn facts() -> DossierFacts {
        DossierFacts {
            code: "000.00.20.H39-261122-0001".into(),
            procedure_name: "Cấp giấy phép xây dựng đối với nhà ở riêng lẻ".into(),
            applicant_name: "Nguyễn Thị Hồng Nhung".into(),
            applicant_id_number: "020190001234".into(),
            phone: Some("0912 345 678".into()),
            email: Some("nhung.nguyen@example.vn".into()),
            address: Some("Số 12, đường Trần Đăng Ninh, phường Tam Thanh, tỉnh Lạng Sơn".into()),
            documents: vec![
                "Đơn đề nghị cấp giấy phép xây dựng (bản chính)".into(),
                "Bản sao giấy tờ chứng minh quyền sử dụng đất".into(),
                "Hai bộ bản vẽ thiết kế xây dựng kèm theo bản sao quyết định phê duyệt dự án, văn bản thẩm định thiết kế của cơ quan chuyên môn về xây dựng".into(),
            ],
            received_at: "08 giờ 30 phút, ngày 22/11/2026".into(),
            due_at: Some("16 giờ 00 phút, ngày 06/12/2026".into()),
            fee_total: 1_200_000,
            lookup_url: "https://dichvucong.langson.gov.vn/tra-cuu?ma=000.00.20.H39-261122-0001".into(),
            place_date: "Lạng Sơn, ngày 22 tháng 11 năm 2026".into(),
            official_name: "Hoàng Văn Thành".into(),
            result_delivery: Some("Bộ phận Một cửa, Trung tâm Phục vụ hành chính công".into()),
        }
    }

    fn steps(n: usize) -> Vec<Step> {
        let outcomes = ["Trước hạn", "Đúng hạn", "Quá hạn"];
        (1..=n)
            .map(|i| Step {
                giver: format!("Phòng Quản lý đô thị - Trần Văn Bình (G-{i:02})"),
                receiver: format!("Phòng Tài nguyên và Môi trường - Lê Thị Thu Hà (N-{i:02})"),
                handed_at: format!("09 giờ 15 phút, ngày {:02}/11/2026", i % 28 + 1),
                due: Some("17 giờ 00 phút, ngày 25/11/2026".into()),
                completed_at: (i % 2 == 0).then(|| "15 giờ 40 phút, ngày 24/11/2026".into()),
                outcome: Some(outcomes[i % 3].into()),
                note: (i % 5 == 0).then(|| "Chuyển bổ sung ý kiến thẩm định".into()),
            })
            .collect()
    }

    fn out_dir() -> PathBuf {
        // A fixed directory, overwritten on every run, so the PDFs can be opened after a failure.
        let dir = std::env::temp_dir().join("motcua-forms-tests");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes the PDF and returns `pdftotext -layout` output, one string per page.
    fn extract(name: &str, pdf: &[u8]) -> Vec<String> {
        let path = out_dir().join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext missing: apt-get install -y -qq poppler-utils");
        assert!(
            out.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        pages
    }

    /// Whitespace collapsed, so sentences that wrap across lines still match.
    fn flat(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn assert_contains(text: &str, needles: &[&str]) {
        let flat_text = flat(text);
        for n in needles {
            assert!(flat_text.contains(&flat(n)), "missing {n:?} in:\n{text}");
        }
    }

    fn common(text: &str) {
        assert_contains(
            text,
            &[
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "UBND TỈNH LẠNG SƠN",
                "TRUNG TÂM PHỤC VỤ",
                "CHÍNH CÔNG",
                "Lạng Sơn, ngày 22 tháng 11 năm 2026",
                "Mã hồ sơ: 000.00.20.H39-261122-0001",
                "Tra cứu tình trạng hồ sơ",
            ],
        );
    }

    fn check_size(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
    }

    #[test]
    fn receipt_extracts_with_diacritics() {
        let pdf = receipt(&letterhead(), &facts()).unwrap();
        check_size(&pdf);
        let pages = extract("01-receipt", &pdf);
        assert_eq!(pages.len(), 1);
        let text = pages.concat();
        common(&text);
        assert_contains(
            &text,
            &[
                "Mẫu số 01",
                "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                "Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung",
                "Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng đối với nhà ở riêng lẻ",
                "1. Thành phần hồ sơ nộp gồm:",
                "văn bản thẩm định thiết kế của cơ quan chuyên môn về xây dựng",
                "3. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 22/11/2026",
                "16 giờ 00 phút, ngày 06/12/2026",
                "5. Phí, lệ phí: 1.200.000 đồng",
                "NGƯỜI NỘP HỒ SƠ",
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
                "(Ký và ghi rõ họ tên)",
                "Hoàng Văn Thành",
                "nhung.nguyen@example.vn",
                "https://dichvucong.langson.gov.vn/tra-cuu?ma=000.00.20.H39-261122-0001",
            ],
        );
    }

    #[test]
    fn supplement_request_lists_what_is_missing() {
        let missing = vec![
            "Bản vẽ mặt bằng móng công trình".to_owned(),
            "Văn bản ủy quyền có chứng thực".to_owned(),
        ];
        let pdf = supplement_request(
            &letterhead(),
            &facts(),
            "Hồ sơ chưa đủ thành phần theo quy định",
            &missing,
        )
        .unwrap();
        check_size(&pdf);
        let text = extract("02-supplement", &pdf).concat();
        common(&text);
        assert_contains(
            &text,
            &[
                "Mẫu số 02",
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
                "2. Văn bản ủy quyền có chứng thực",
                "Lý do: Hồ sơ chưa đủ thành phần theo quy định",
                "số điện thoại 0205 3812 345 để được hướng dẫn.",
                "NGƯỜI HƯỚNG DẪN",
            ],
        );
    }

    #[test]
    fn refusal_states_the_reason() {
        let pdf = refusal(
            &letterhead(),
            &facts(),
            "Thửa đất nằm trong quy hoạch hành lang an toàn giao thông.",
        )
        .unwrap();
        check_size(&pdf);
        let text = extract("03-refusal", &pdf).concat();
        common(&text);
        assert_contains(
            &text,
            &[
                "Mẫu số 03",
                "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                "không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
                "Thửa đất nằm trong quy hoạch hành lang an toàn giao thông.",
                "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
            ],
        );
    }

    #[test]
    fn apology_gives_the_new_date() {
        let pdf = apology(
            &letterhead(),
            &facts(),
            "Cần lấy thêm ý kiến của Sở Xây dựng",
            "16 giờ 00 phút, ngày 06/12/2026",
            "16 giờ 00 phút, ngày 13/12/2026",
        )
        .unwrap();
        check_size(&pdf);
        let text = extract("04-apology", &pdf).concat();
        common(&text);
        assert_contains(
            &text,
            &[
                "Mẫu số 04",
                "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                "Kính gửi: Nguyễn Thị Hồng Nhung",
                "Thời hạn giải quyết hồ sơ theo quy định: 16 giờ 00 phút, ngày 06/12/2026",
                "Lý do: Cần lấy thêm ý kiến của Sở Xây dựng",
                "xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào 16 giờ 00 phút, ngày 13/12/2026.",
                "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.",
                "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
            ],
        );
    }

    #[test]
    fn control_sheet_short_fits_one_page() {
        let pdf = control_sheet(&letterhead(), &facts(), &steps(3)).unwrap();
        check_size(&pdf);
        let pages = extract("06-control-short", &pdf);
        assert_eq!(pages.len(), 1);
        let text = pages.concat();
        common(&text);
        assert_contains(
            &text,
            &[
                "Mẫu số 06",
                "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
                "TÊN CƠ QUAN",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
            ],
        );
    }

    #[test]
    fn control_sheet_with_60_steps_spans_pages_with_header_repeated() {
        let pdf = control_sheet(&letterhead(), &facts(), &steps(60)).unwrap();
        check_size(&pdf);
        let pages = extract("06-control-long", &pdf);
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let first = flat(&pages[0]);
        let last = flat(pages.last().unwrap());
        assert!(
            first.contains("(G-01)") && first.contains("(N-01)"),
            "{first}"
        );
        assert!(last.contains("(G-60)") && last.contains("(N-60)"), "{last}");
        for (i, page) in pages.iter().enumerate() {
            let p = flat(page);
            assert!(
                p.contains("TÊN CƠ QUAN") && p.contains("GHI CHÚ"),
                "no header on page {}",
                i + 1
            );
            assert!(
                p.contains(&format!("Trang {}/{}", i + 1, pages.len())),
                "no page number on {}",
                i + 1
            );
        }
        // Every step made it into the document exactly once.
        let all = flat(&pages.concat());
        for i in 1..=60 {
            assert_eq!(all.matches(&format!("(N-{i:02})")).count(), 1, "step {i}");
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_across_pages() {
        let note = (1..=150)
            .map(|i| format!("ý-kiến-{i:03}"))
            .collect::<Vec<_>>()
            .join(" ");
        let step = Step {
            giver: "A".into(),
            receiver: "B".into(),
            note: Some(note),
            ..Step::default()
        };
        let pdf = control_sheet(&letterhead(), &facts(), &[step]).unwrap();
        let pages = extract("06-control-tall-row", &pdf);
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let all = flat(&pages.concat());
        for i in 1..=150 {
            assert_eq!(
                all.matches(&format!("ý-kiến-{i:03}")).count(),
                1,
                "word {i}"
            );
        }
    }

    #[test]
    fn every_letter_in_every_face_stays_small() {
        let lower = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ0123456789";
        let all = format!("{lower} {}", lower.to_uppercase());
        let d = DossierFacts {
            applicant_name: all.clone(),
            procedure_name: all.clone(),
            place_date: all.clone(),
            ..facts()
        };
        let pdf = refusal(&letterhead(), &d, &all).unwrap();
        check_size(&pdf);
        let text = extract("03-all-letters", &pdf).concat();
        for c in all.chars() {
            assert!(text.contains(c), "{c:?} not extracted");
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        let (h, d) = (letterhead(), facts());
        assert_eq!(receipt(&h, &d).unwrap(), receipt(&h, &d).unwrap());
        assert_eq!(refusal(&h, &d, "x").unwrap(), refusal(&h, &d, "x").unwrap());
        let s = steps(60);
        assert_eq!(
            control_sheet(&h, &d, &s).unwrap(),
            control_sheet(&h, &d, &s).unwrap()
        );
        assert_ne!(receipt(&h, &d).unwrap(), refusal(&h, &d, "x").unwrap());
    }

    #[test]
    fn sparse_facts_still_render() {
        let d = DossierFacts {
            code: "X-1".into(),
            lookup_url: "https://example.vn/x".into(),
            ..DossierFacts::default()
        };
        let h = Letterhead {
            agency: "UBND xã Hữu Lũng".into(),
            ..Letterhead::default()
        };
        let text = extract("01-sparse", &receipt(&h, &d).unwrap()).concat();
        assert_contains(&text, &["Mã hồ sơ: X-1", "(không có)", "không thu"]);
        assert!(control_sheet(&h, &d, &[]).is_ok());
    }

    #[test]
    fn qr_code_decodes_to_the_lookup_url() {
        let has = |tool: &str| Command::new(tool).arg("--version").output().is_ok();
        if !has("zbarimg") || !has("pdftoppm") {
            eprintln!("skipped: zbarimg (zbar-tools) or pdftoppm (poppler-utils) not installed");
            return;
        }
        let d = facts();
        let dir = out_dir();
        let pdf_path = dir.join("qr.pdf");
        std::fs::write(&pdf_path, receipt(&letterhead(), &d).unwrap()).unwrap();
        let prefix = dir.join("qr");
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-singlefile"])
            .arg(&pdf_path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let out = Command::new("zbarimg")
            .args(["-q", "--raw"])
            .arg(prefix.with_extension("png"))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), d.lookup_url);
    }

    #[test]
    fn money_is_formatted_vietnamese_style() {
        assert_eq!(format_vnd(1_200_000), "1.200.000 đồng");
        assert_eq!(format_vnd(0), "0 đồng");
        assert_eq!(format_vnd(999), "999 đồng");
        assert_eq!(format_vnd(1000), "1.000 đồng");
        assert_eq!(format_vnd(-25_000), "-25.000 đồng");
        assert_eq!(format_vnd(i64::MIN), "-9.223.372.036.854.775.808 đồng");
    }
}
