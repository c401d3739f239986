//! Criterion benchmarks of the core's hot calls: identifier validation, lunar conversion, and a
//! 30-working-day deadline with two pauses. Target: each under 5 µs per call (issue 2).
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json indexing answers null, it never panics"
)]

#[path = "largest_form.rs"]
mod largest_form;

use chrono::{DateTime, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use motcua_core::calendar::lunar::{self, LunarDate};
use motcua_core::calendar::{CalendarSpec, WorkingCalendar};
use motcua_core::deadline::{
    self, DEFAULT_CUTOFF, DueRequest, DurationUnit, Pauses, ProcessingTime,
};
use motcua_core::identifier::{self, CccdContext, IdKind};
use std::hint::black_box;

fn identifiers(c: &mut Criterion) {
    let ctx = CccdContext::default();
    let mut g = c.benchmark_group("identifier");
    for (kind, value) in [
        (IdKind::Cccd, "001099012345"),
        (IdKind::Mst, "0100109106-001"),
        (IdKind::Phone, "+84 912 345 678"),
        (IdKind::Email, "Nguyen.Van.A@Example.GOV.vn"),
    ] {
        g.bench_function(kind.as_str(), |b| {
            b.iter(|| identifier::validate(black_box(kind), black_box(value), &ctx));
        });
    }
    g.finish();
}

fn lunar_conversion(c: &mut Criterion) {
    let mut g = c.benchmark_group("lunar");
    let date = NaiveDate::from_ymd_opt(2025, 8, 10).unwrap_or_default();
    g.bench_function("from_solar (leap year 2025)", |b| {
        b.iter(|| lunar::from_solar(black_box(date)));
    });
    let l = LunarDate {
        year: 2025,
        month: 6,
        day: 15,
        leap: true,
    };
    g.bench_function("to_solar (leap month 6/2025)", |b| {
        b.iter(|| lunar::to_solar(black_box(l)));
    });
    g.finish();
}

fn deadlines(c: &mut Criterion) {
    let t = |s| DateTime::parse_from_rfc3339(s).unwrap_or_default();
    let request = DueRequest {
        received_at: t("2026-12-15T09:30:00+07:00"),
        duration: ProcessingTime {
            value: 30,
            unit: DurationUnit::WorkingDays,
        },
        same_day_cutoff: DEFAULT_CUTOFF,
        pauses: Pauses(vec![
            (
                t("2026-12-21T10:00:00+07:00"),
                t("2026-12-23T15:00:00+07:00"),
            ),
            (
                t("2027-01-11T08:00:00+07:00"),
                t("2027-01-12T17:00:00+07:00"),
            ),
        ]),
    };
    let spec = CalendarSpec::default();
    let mut g = c.benchmark_group("deadline");
    let warm = WorkingCalendar::new(&spec).unwrap_or_default();
    g.bench_function("30 working days, 2 pauses (calendar held)", |b| {
        b.iter(|| deadline::due(black_box(&request), &warm));
    });
    g.bench_function("30 working days, 2 pauses (calendar built per call)", |b| {
        b.iter(|| {
            let cal = WorkingCalendar::new(&spec).unwrap_or_default();
            deadline::due(black_box(&request), &cal)
        });
    });
    g.finish();
}

/// Leaf fields of a schema value (properties and array items, through `$ref`).
fn forms(c: &mut Criterion) {
    use motcua_core::catalog::Procedure;
    use motcua_core::fee::{Channel, QuoteContext};
    let Some((fields, value)) = largest_form::largest_form() else {
        return;
    };
    let Ok(p) = Procedure::load(&value) else {
        return;
    };
    let form_json = value["form"].to_string();
    println!(
        "largest demo form: {} ({}), {fields} leaf fields, {} rules",
        p.code,
        p.name.vi,
        p.form.rule_count()
    );
    let valid = p.samples["valid"]["data"].clone();
    let invalid = p.samples["invalid"]["data"].clone();
    let context = p.samples["valid"]["context"].clone();
    let mut g = c.benchmark_group("form");
    g.bench_function(format!("validate {} (valid sample)", p.code), |b| {
        b.iter(|| p.form.validate(black_box(&valid), &context));
    });
    g.bench_function(format!("validate {} (invalid sample)", p.code), |b| {
        b.iter(|| p.form.validate(black_box(&invalid), &context));
    });
    let quote_context = QuoteContext {
        date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        channel: Channel::Online,
        categories: Vec::new(),
    };
    g.bench_function(format!("quote {} fees", p.code), |b| {
        b.iter(|| p.fees.quote(black_box(&valid), &quote_context));
    });
    let text = valid.to_string();
    g.bench_function(format!("parse JSON text + validate {}", p.code), |b| {
        b.iter(|| {
            let data: serde_json::Value =
                serde_json::from_str(black_box(&text)).unwrap_or_default();
            p.form.validate(&data, &context)
        });
    });
    // The phone's path: JSON text in, the contract's answer as JSON text out (what the wasm and
    // UniFFI packages call).
    if let Ok(loaded) = motcua_core::ops::LoadedForm::load_json(&form_json) {
        let context_text = context.to_string();
        for (kind, data) in [("valid", &valid), ("invalid", &invalid)] {
            let text = data.to_string();
            g.bench_function(
                format!("validate {} from text ({kind} sample)", p.code),
                |b| {
                    b.iter(|| loaded.validate_json(black_box(&text), Some(&context_text)));
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, identifiers, lunar_conversion, deadlines, forms);
criterion_main!(benches);
