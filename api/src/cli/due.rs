//! `motcua due`: the due date a clerk writes on the receipt (form 01), with the days it skipped.

use anyhow::{Context, bail};
use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime};
use motcua_core::calendar::WorkingCalendar;
use motcua_core::deadline::{
    self, DEFAULT_CUTOFF, DueRequest, DurationUnit, Pauses, ProcessingTime, from_local,
};
use std::process::ExitCode;

use super::calendar::{CalendarArgs, day_label};

/// Arguments of `motcua due`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("duration").required(true).args(["days", "hours", "calendar_days"])))]
pub struct Args {
    /// When the dossier was received: RFC 3339, or local time `YYYY-MM-DD HH:MM`.
    #[arg(long, value_parser = parse_instant)]
    received: DateTime<FixedOffset>,
    /// Processing time in working days (0 = same day).
    #[arg(long)]
    days: Option<u32>,
    /// Processing time in working hours.
    #[arg(long)]
    hours: Option<u32>,
    /// Processing time in calendar days.
    #[arg(long)]
    calendar_days: Option<u32>,
    /// Same-day cut-off (HH:MM); received strictly after it, same-day work is due the next day.
    #[arg(long, value_parser = parse_time)]
    cutoff: Option<NaiveTime>,
    /// A pause of the clock, `FROM/TO` (each like --received). Repeatable.
    #[arg(long, value_parser = parse_pause)]
    pause: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    #[command(flatten)]
    calendar: CalendarArgs,
}

fn parse_instant(s: &str) -> anyhow::Result<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    for format in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(local) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(from_local(local));
        }
    }
    bail!("`{s}` is not a time: use 2026-11-23T09:00:00+07:00 or 2026-11-23 09:00")
}

fn parse_time(s: &str) -> anyhow::Result<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").with_context(|| format!("`{s}` is not HH:MM"))
}

fn parse_pause(s: &str) -> anyhow::Result<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let (from, to) = s.split_once('/').context("a pause is FROM/TO")?;
    Ok((parse_instant(from)?, parse_instant(to)?))
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let english = args.calendar.english;
    let (value, unit) = match (args.days, args.hours, args.calendar_days) {
        (Some(n), _, _) => (n, DurationUnit::WorkingDays),
        (_, Some(n), _) => (n, DurationUnit::WorkingHours),
        (_, _, Some(n)) => (n, DurationUnit::CalendarDays),
        _ => bail!("give --days, --hours or --calendar-days"),
    };
    let cal = WorkingCalendar::new(&args.calendar.spec()).map_err(|e| super::explain(&e))?;
    let request = DueRequest {
        received_at: args.received,
        duration: ProcessingTime { value, unit },
        same_day_cutoff: args.cutoff.unwrap_or(DEFAULT_CUTOFF),
        pauses: Pauses(args.pause.clone()),
    };
    let due = deadline::due(&request, &cal).map_err(|e| super::explain(&e))?;
    let when = |t: DateTime<FixedOffset>| {
        let local = deadline::to_local(t);
        format!(
            "{} {}",
            day_label(local.date(), english),
            local.format("%H:%M")
        )
    };
    let unit_name = match (unit, english) {
        (DurationUnit::WorkingDays, false) if value == 0 => "trong ngày",
        (DurationUnit::WorkingDays, false) => "ngày làm việc",
        (DurationUnit::WorkingHours, false) => "giờ làm việc",
        (DurationUnit::CalendarDays, false) => "ngày",
        (DurationUnit::WorkingDays, true) if value == 0 => "same day",
        (DurationUnit::WorkingDays, true) => "working days",
        (DurationUnit::WorkingHours, true) => "working hours",
        (DurationUnit::CalendarDays, true) => "calendar days",
    };
    let labels: [&str; 6] = if english {
        [
            "Received:",
            "Counting from:",
            "Processing time:",
            "Paused:",
            "Due:",
            "Days skipped:",
        ]
    } else {
        [
            "Tiếp nhận:",
            "Bắt đầu tính:",
            "Thời hạn giải quyết:",
            "Tạm dừng:",
            "Hẹn trả kết quả:",
            "Ngày không tính:",
        ]
    };
    let [received, counting, duration, paused, due_label, skipped] = labels;
    println!("{received:<22}{}", when(args.received));
    println!("{counting:<22}{}", when(due.counting_from));
    println!("{duration:<22}{value} {unit_name}");
    if due.paused_seconds > 0 {
        let minutes = due.paused_seconds / 60;
        println!("{paused:<22}{}h{:02}", minutes / 60, minutes % 60);
    }
    println!(
        "{due_label:<22}{}  ({})",
        when(due.due_at),
        due.due_at.to_rfc3339()
    );
    if !due.skipped.is_empty() {
        println!("{skipped}");
        for d in &due.skipped {
            let name = if english {
                d.reason.name_en()
            } else {
                d.reason.name_vi()
            };
            println!("  {:<22} {name}", day_label(d.date, english));
        }
    }
    Ok(ExitCode::SUCCESS)
}
