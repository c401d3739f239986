//! Property tests of the core (SECURITY.md F3): deadlines, the lunar calendar, identifiers and
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]
//! the transition table under generated inputs.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone};
use motcua_core::calendar::lunar;
use motcua_core::calendar::{CalendarSpec, WorkingCalendar};
use motcua_core::deadline::{
    self, DEFAULT_CUTOFF, DueRequest, DurationUnit, Pauses, ProcessingTime, VN_OFFSET, to_local,
};
use motcua_core::dossier::{Action, Role, Status, TransitionError, TransitionInput, transition};
use motcua_core::identifier::{self, CccdContext, IdKind};
use motcua_core::ops;
use proptest::prelude::*;

const KINDS: [IdKind; 5] = [
    IdKind::Cccd,
    IdKind::Cmnd,
    IdKind::Mst,
    IdKind::Phone,
    IdKind::Email,
];

fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // 2020-01-01 .. 2035-12-31, any second, in +07:00 or UTC.
    (1_577_811_600_i64..2_082_733_200, any::<bool>()).prop_map(|(secs, utc)| {
        let t = VN_OFFSET.timestamp_opt(secs, 0).single().unwrap();
        if utc {
            t.with_timezone(&FixedOffset::east_opt(0).unwrap())
        } else {
            t
        }
    })
}

fn unit() -> impl Strategy<Value = DurationUnit> {
    prop_oneof![
        Just(DurationUnit::WorkingDays),
        Just(DurationUnit::WorkingHours),
        Just(DurationUnit::CalendarDays),
    ]
}

fn calendar() -> impl Strategy<Value = WorkingCalendar> {
    let day = (0_i64..5_000)
        .prop_map(|n| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(n));
    (
        any::<bool>(),
        prop::collection::vec(day.clone(), 0..6),
        prop::collection::vec(day, 0..3),
    )
        .prop_map(|(rules_only, extra_days_off, extra_working_days)| {
            WorkingCalendar::new(&CalendarSpec {
                rules_only,
                extra_days_off,
                extra_working_days,
                office_hours: None,
            })
            .unwrap()
        })
}

fn pauses(base: DateTime<FixedOffset>) -> impl Strategy<Value = Pauses> {
    prop::collection::vec((-200_000_i64..3_000_000, 0_i64..400_000), 0..3).prop_map(move |v| {
        Pauses(
            v.into_iter()
                .map(|(offset, len)| {
                    let from = base + Duration::seconds(offset);
                    (from, from + Duration::seconds(len))
                })
                .collect(),
        )
    })
}

fn request(
    received: DateTime<FixedOffset>,
    value: u32,
    unit: DurationUnit,
    pauses: Pauses,
) -> DueRequest {
    DueRequest {
        received_at: received,
        duration: ProcessingTime { value, unit },
        same_day_cutoff: DEFAULT_CUTOFF,
        pauses,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_due_date_is_on_a_working_day_and_never_before_receipt(
        (received, p) in instant().prop_flat_map(|r| (Just(r), pauses(r))),
        value in 0_u32..60,
        unit in unit(),
        cal in calendar(),
    ) {
        let due = deadline::due(&request(received, value, unit, p), &cal).unwrap();
        prop_assert!(due.due_at >= received);
        prop_assert!(cal.is_working_day(to_local(due.due_at).date()).unwrap());
        prop_assert_eq!(due.due_at.offset().local_minus_utc(), 7 * 3600);
    }

    #[test]
    fn more_duration_never_gives_an_earlier_due_date(
        (received, p) in instant().prop_flat_map(|r| (Just(r), pauses(r))),
        value in 1_u32..60,
        unit in unit(),
        cal in calendar(),
    ) {
        let shorter = deadline::due(&request(received, value, unit, p.clone()), &cal).unwrap();
        let longer = deadline::due(&request(received, value + 1, unit, p), &cal).unwrap();
        prop_assert!(longer.due_at >= shorter.due_at);
    }

    #[test]
    fn pauses_never_make_a_due_date_earlier(
        (received, p) in instant().prop_flat_map(|r| (Just(r), pauses(r))),
        value in 0_u32..60,
        unit in unit(),
        cal in calendar(),
    ) {
        let plain = deadline::due(&request(received, value, unit, Pauses::default()), &cal).unwrap();
        let paused = deadline::due(&request(received, value, unit, p), &cal).unwrap();
        prop_assert!(paused.due_at >= plain.due_at);
    }

    #[test]
    fn random_strings_never_panic_a_validator(value in any::<String>(), birth in any::<Option<(i32, u32, u32)>>()) {
        let context = CccdContext {
            birth_date: birth.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y % 3000, m % 13, d % 32)),
            gender: None,
        };
        for kind in KINDS {
            let _ = identifier::validate(kind, &value, &context);
        }
    }

    #[test]
    fn digit_strings_and_separators_never_panic_a_validator(value in "[0-9+ .@-]{0,20}") {
        for kind in KINDS {
            let _ = identifier::validate(kind, &value, &CccdContext::default());
        }
    }

    #[test]
    fn normalization_is_idempotent(value in "(\\+84|84|0)[0-9 .-]{8,12}|[0-9]{9,13}|[0-9]{10}-[0-9]{3}|[A-Za-z.]{1,8}@[A-Za-z]{1,5}\\.[A-Za-z]{2,3}") {
        for kind in KINDS {
            if let Ok(normalized) = identifier::validate(kind, &value, &CccdContext::default()) {
                prop_assert_eq!(identifier::validate(kind, &normalized, &CccdContext::default()), Ok(normalized.clone()));
            }
        }
    }

    #[test]
    fn the_dispatcher_never_panics_on_arbitrary_json(op_index in 0_usize..7, text in "\\{(\"[a-z_]{1,12}\": ?(-?[0-9]{1,12}|\"[-0-9T:+]{0,25}\"|true|null|\\[\\]|\\{\\}), ?){0,6}\"x\": 0\\}") {
        let op = ops::OPERATIONS[op_index];
        let out = ops::run_json(op, &text).unwrap();
        let is_object = serde_json::from_str::<serde_json::Value>(&out).unwrap().is_object();
        prop_assert!(is_object);
    }

    #[test]
    fn random_action_sequences_never_leave_a_terminal_status_or_repeat_a_supplement_request(
        steps in prop::collection::vec((0_usize..14, 0_usize..5, any::<bool>()), 1..40)
    ) {
        let mut status = Status::Draft;
        let (mut received, mut supplements, mut redates) = (false, 0_u32, 0_u32);
        for (a, r, with_reason) in steps {
            let input = TransitionInput {
                status,
                action: Action::ALL[a],
                role: Role::ALL[r],
                received,
                supplement_count: supplements,
                redate_count: redates,
                reason: with_reason.then_some("Lý do"),
            };
            match transition(&input) {
                Ok(next) => {
                    prop_assert!(!status.is_terminal());
                    match input.action {
                        Action::Receive => received = true,
                        Action::RequestSupplement => supplements += 1,
                        Action::ApologizeAndRedate => redates += 1,
                        _ => {}
                    }
                    status = next;
                }
                Err(TransitionError::TerminalState) => prop_assert!(status.is_terminal()),
                Err(_) => {}
            }
            prop_assert!(supplements <= 1 && redates <= 1);
        }
    }

    #[test]
    fn calendar_specs_round_trip_through_json(rules_only in any::<bool>(), n in 0_i64..2000) {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(n);
        let spec = CalendarSpec {
            rules_only,
            extra_days_off: vec![d],
            extra_working_days: vec![d + Duration::days(1)],
            office_hours: Some(vec![("07:30".into(), "11:30".into()), ("13:00".into(), "16:30".into())]),
        };
        let back: CalendarSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
        prop_assert_eq!(back, spec);
    }
}

#[test]
fn no_action_leaves_a_terminal_status() {
    for status in Status::ALL.into_iter().filter(|s| s.is_terminal()) {
        for &action in Action::ALL {
            for &role in Role::ALL {
                for (received, count, reason) in [(false, 0, None), (true, 1, Some("x"))] {
                    let input = TransitionInput {
                        status,
                        action,
                        role,
                        received,
                        supplement_count: count,
                        redate_count: count,
                        reason,
                    };
                    assert_eq!(transition(&input), Err(TransitionError::TerminalState));
                }
            }
        }
    }
}

#[test]
fn every_day_from_1900_to_2199_round_trips_through_the_lunar_calendar() {
    let mut date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
    let mut previous = lunar::from_solar(date).unwrap();
    let mut days = 0;
    while date <= last {
        let l = lunar::from_solar(date).unwrap();
        assert_eq!(lunar::to_solar(l).unwrap(), date, "{date} → {l:?}");
        assert!(
            (1..=30).contains(&l.day) && (1..=12).contains(&l.month),
            "{date} → {l:?}"
        );
        if days > 0 {
            // Consecutive days: the next lunar day, or day 1 of the next month after day 29 or 30.
            let next_day =
                l.day == previous.day + 1 && l.month == previous.month && l.leap == previous.leap;
            let new_month = l.day == 1 && previous.day >= 29;
            assert!(next_day || new_month, "{date}: {previous:?} → {l:?}");
        }
        previous = l;
        date = date.succ_opt().unwrap();
        days += 1;
    }
    assert_eq!(days, 109_573);
    assert_eq!(date.year(), 2200);
}
