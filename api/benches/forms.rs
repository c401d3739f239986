//! Criterion benchmarks of the legal forms: how long one PDF takes to draw (fonts subset and
//! embedded, QR code), for the receipt (form 01) and for a long control sheet (form 06, 60
//! hand-overs over several pages). A desk prints one per dossier; these numbers say how many a
//! core can print per second.

use criterion::{Criterion, criterion_group, criterion_main};
use motcua_api::service::forms::{self, DossierFacts, Letterhead, Step};
use std::hint::black_box;

fn facts() -> (Letterhead, DossierFacts) {
    let head = Letterhead {
        province: "Lạng Sơn".to_owned(),
        parent_agency: Some("Ủy ban nhân dân tỉnh Lạng Sơn".to_owned()),
        agency: "Ủy ban nhân dân phường Đông Kinh".to_owned(),
        phone: None,
    };
    let facts = DossierFacts {
        code: "000.00.51.H42-261122-0001".to_owned(),
        procedure_name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản".to_owned(),
        applicant_name: "Nguyễn Văn An".to_owned(),
        applicant_id_number: "020090123456".to_owned(),
        phone: Some("0912345678".to_owned()),
        email: Some("an.nguyen@example.vn".to_owned()),
        documents: vec!["Bản chính giấy tờ cần chứng thực (1 bản chính, 0 bản sao)".to_owned()],
        received_at: "08 giờ 30 phút, ngày 23/11/2026".to_owned(),
        due_at: Some("17 giờ 00 phút, ngày 23/11/2026".to_owned()),
        fee_total: 12_000,
        lookup_url: "https://dichvucong.langson.gov.vn/tra-cuu?ma=000.00.51.H42-261122-0001"
            .to_owned(),
        place_date: "Lạng Sơn, ngày 23 tháng 11 năm 2026".to_owned(),
        official_name: "Hoàng Thị Cúc".to_owned(),
        ..DossierFacts::default()
    };
    (head, facts)
}

fn render(c: &mut Criterion) {
    let (head, facts) = facts();
    let steps: Vec<Step> = (0..60)
        .map(|i| Step {
            giver: format!("Lương Văn Dũng (Ủy ban nhân dân phường Đông Kinh) {i}"),
            receiver: "Lộc Văn Minh (Công an tỉnh Lạng Sơn)".to_owned(),
            handed_at: "09 giờ 15 phút, ngày 23/11/2026".to_owned(),
            due: Some("17 giờ 00 phút, ngày 25/11/2026".to_owned()),
            completed_at: Some("10 giờ 00 phút, ngày 24/11/2026".to_owned()),
            outcome: Some("Trước hạn".to_owned()),
            note: Some("Đã xác minh, đủ điều kiện".to_owned()),
        })
        .collect();
    let mut g = c.benchmark_group("forms");
    g.bench_function("01 receipt", |b| {
        b.iter(|| forms::receipt(black_box(&head), black_box(&facts)));
    });
    g.bench_function("06 control sheet, 60 steps", |b| {
        b.iter(|| forms::control_sheet(black_box(&head), black_box(&facts), black_box(&steps)));
    });
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
