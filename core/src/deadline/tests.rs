//! Examples from the rulebook, and the edges of each step.

use super::*;
use crate::calendar::CalendarSpec;

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn rules() -> WorkingCalendar {
    WorkingCalendar::new(&CalendarSpec {
        rules_only: true,
        ..CalendarSpec::default()
    })
    .unwrap()
}

fn due_at(received: &str, value: u32, unit: DurationUnit, pauses: &[(&str, &str)]) -> String {
    let request = DueRequest {
        received_at: t(received),
        duration: ProcessingTime { value, unit },
        same_day_cutoff: DEFAULT_CUTOFF,
        pauses: Pauses(pauses.iter().map(|(a, b)| (t(a), t(b))).collect()),
    };
    due(&request, &rules()).unwrap().due_at.to_rfc3339()
}

use DurationUnit::{CalendarDays, WorkingDays, WorkingHours};

#[test]
fn one_working_day_from_monday_morning_is_tuesday_morning() {
    assert_eq!(
        due_at("2027-03-01T10:00:00+07:00", 1, WorkingDays, &[]),
        "2027-03-02T10:00:00+07:00"
    );
}

#[test]
fn friday_evening_counts_from_monday_and_ends_at_closing() {
    assert_eq!(
        due_at("2027-03-05T18:30:00+07:00", 1, WorkingDays, &[]),
        "2027-03-08T17:00:00+07:00"
    );
    assert_eq!(
        due_at("2027-03-05T18:30:00+07:00", 1, CalendarDays, &[]),
        "2027-03-09T17:00:00+07:00"
    );
}

#[test]
fn receipts_in_another_offset_are_converted() {
    assert_eq!(
        due_at("2027-03-01T03:00:00Z", 4, WorkingHours, &[]),
        "2027-03-01T15:00:00+07:00"
    );
}

#[test]
fn the_lunch_break_is_not_counted() {
    assert_eq!(
        due_at("2027-03-01T11:00:00+07:00", 2, WorkingHours, &[]),
        "2027-03-01T14:00:00+07:00"
    );
    assert_eq!(
        due_at("2027-03-01T12:30:00+07:00", 1, WorkingHours, &[]),
        "2027-03-01T14:00:00+07:00"
    );
}

#[test]
fn same_day_processing_respects_the_cutoff() {
    let same_day = |r| due_at(r, 0, WorkingDays, &[]);
    assert_eq!(
        same_day("2027-03-01T15:00:00+07:00"),
        "2027-03-01T17:00:00+07:00"
    );
    assert_eq!(
        same_day("2027-03-01T15:00:01+07:00"),
        "2027-03-02T17:00:00+07:00"
    );
    assert_eq!(
        same_day("2027-03-01T17:30:00+07:00"),
        "2027-03-02T17:00:00+07:00"
    );
    assert_eq!(
        same_day("2027-03-06T09:00:00+07:00"),
        "2027-03-08T17:00:00+07:00"
    );
}

#[test]
fn a_pause_during_processing_pushes_the_due_date() {
    // Paused a whole working day (Tue 08:00 → Wed 08:00): Mon 10:00 + 2 days → Thu 10:00.
    assert_eq!(
        due_at(
            "2027-03-01T10:00:00+07:00",
            2,
            WorkingDays,
            &[("2027-03-02T08:00:00+07:00", "2027-03-03T08:00:00+07:00")]
        ),
        "2027-03-04T10:00:00+07:00"
    );
}

#[test]
fn pauses_before_receipt_and_for_calendar_days_change_nothing() {
    let pause = [("2027-02-01T08:00:00+07:00", "2027-03-01T12:00:00+07:00")];
    assert_eq!(
        due_at("2027-03-01T12:00:00+07:00", 1, WorkingHours, &pause),
        due_at("2027-03-01T12:00:00+07:00", 1, WorkingHours, &[])
    );
    assert_eq!(
        due_at("2027-03-01T10:00:00+07:00", 3, CalendarDays, &pause),
        "2027-03-04T17:00:00+07:00"
    );
}

#[test]
fn tet_is_skipped_and_explained() {
    // Tết 2027 (Fri 5 – Thu 11 Feb) and the weekend after it are skipped.
    let request = DueRequest {
        received_at: t("2027-02-04T09:00:00+07:00"),
        duration: ProcessingTime {
            value: 2,
            unit: WorkingDays,
        },
        same_day_cutoff: DEFAULT_CUTOFF,
        pauses: Pauses::default(),
    };
    let due = due(&request, &rules()).unwrap();
    assert_eq!(due.due_at.to_rfc3339(), "2027-02-15T09:00:00+07:00");
    let skipped: Vec<String> = due.skipped.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(skipped.len(), 9, "{skipped:?}");
    assert_eq!(skipped.first().unwrap(), "2027-02-05");
}

#[test]
fn zero_working_hours_is_due_at_the_start_of_counting() {
    assert_eq!(
        due_at("2027-03-06T10:00:00+07:00", 0, WorkingHours, &[]),
        "2027-03-08T08:00:00+07:00"
    );
}
