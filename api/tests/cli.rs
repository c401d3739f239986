//! The people tools: `motcua calendar` and `motcua due`.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::process::Command;

fn motcua(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_2026_calendar_names_its_days_off_in_vietnamese() {
    let (ok, stdout, _) = motcua(&["calendar", "2026"]);
    assert!(ok);
    assert!(stdout.contains("Thứ Ba 17/02/2026"), "{stdout}");
    assert!(stdout.contains("Tết Âm lịch (mùng 1)"), "{stdout}");
    assert!(stdout.contains("Ngày Văn hóa Việt Nam"), "{stdout}");
    assert!(stdout.contains("Thông báo 9441/TB-BNV"), "{stdout}");
    assert!(stdout.contains("Thứ Bảy 10/01/2026"), "{stdout}");
    assert!(stdout.contains("15 ngày nghỉ"), "{stdout}");
}

#[test]
fn the_rules_only_calendar_has_no_swaps() {
    let (ok, stdout, _) = motcua(&["calendar", "2026", "--rules-only", "--english"]);
    assert!(ok);
    assert!(!stdout.contains("Swapped"), "{stdout}");
    assert!(stdout.contains("13 days off"), "{stdout}");
}

#[test]
fn a_due_date_lists_the_days_it_skipped() {
    let (ok, stdout, _) = motcua(&["due", "--received", "2026-11-20 16:30", "--days", "3"]);
    assert!(ok);
    assert!(stdout.contains("2026-11-26T16:30:00+07:00"), "{stdout}");
    assert!(stdout.contains("Thứ Ba 24/11/2026"), "{stdout}");
    assert!(stdout.contains("Nghỉ cuối tuần"), "{stdout}");
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let (ok, _, stderr) = motcua(&["due", "--received", "hôm qua", "--days", "3"]);
    assert!(!ok);
    assert!(stderr.contains("is not a time"), "{stderr}");
    let (ok, _, stderr) = motcua(&["calendar", "2300"]);
    assert!(!ok);
    assert!(stderr.contains("1900"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}
