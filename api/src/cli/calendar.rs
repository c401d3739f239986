//! `motcua calendar <year>`: a year's days off, for a clerk planning appointments.

use chrono::NaiveDate;
use motcua_core::calendar::{self, CalendarSpec, WorkingCalendar};
use std::process::ExitCode;

/// Arguments shared by the commands that take a calendar.
#[derive(Debug, Clone, clap::Args)]
pub struct CalendarArgs {
    /// Use the rules of the Labor Code only, ignoring shipped official schedules.
    #[arg(long)]
    rules_only: bool,
    /// An extra day off (YYYY-MM-DD), e.g. a storm closure. Repeatable.
    #[arg(long = "day-off", value_name = "DATE")]
    days_off: Vec<NaiveDate>,
    /// An extra working day (YYYY-MM-DD), e.g. a make-up Saturday. Repeatable.
    #[arg(long = "working-day", value_name = "DATE")]
    working_days: Vec<NaiveDate>,
    /// Print in English instead of Vietnamese.
    #[arg(long)]
    pub english: bool,
}

impl CalendarArgs {
    /// The spec these flags describe.
    pub fn spec(&self) -> CalendarSpec {
        CalendarSpec {
            rules_only: self.rules_only,
            extra_days_off: self.days_off.clone(),
            extra_working_days: self.working_days.clone(),
            office_hours: None,
        }
    }
}

/// Arguments of `motcua calendar`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The year (1900–2199).
    year: i32,
    #[command(flatten)]
    calendar: CalendarArgs,
}

/// `Thứ Năm 01/01/2026`, or `Thu 2026-01-01` in English.
pub fn day_label(date: NaiveDate, english: bool) -> String {
    if english {
        date.format("%a %Y-%m-%d").to_string()
    } else {
        format!("{} {}", calendar::weekday_vi(date), date.format("%d/%m/%Y"))
    }
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let spec = args.calendar.spec();
    let english = args.calendar.english;
    let cal = WorkingCalendar::new(&spec).map_err(|e| super::explain(&e))?;
    let days = cal.days_off(args.year).map_err(|e| super::explain(&e))?;
    let sources = calendar::schedule_sources(args.year, spec.rules_only);
    if english {
        println!("Days off in {}", args.year);
    } else {
        println!("Ngày nghỉ năm {}", args.year);
    }
    if sources.is_empty() {
        println!(
            "({})",
            if english {
                "by the rules of the Labor Code 2019, Art. 111–112"
            } else {
                "theo quy định của Bộ luật Lao động 2019, Điều 111–112"
            }
        );
    } else {
        println!(
            "({}:",
            if english {
                "official schedule"
            } else {
                "lịch chính thức"
            }
        );
        for s in sources {
            println!("   {s}");
        }
        println!(")");
    }
    for d in &days {
        let name = if english {
            d.reason.name_en()
        } else {
            d.reason.name_vi()
        };
        println!("  {:<22} {name}", day_label(d.date, english));
    }
    let make_up = cal
        .make_up_days(args.year)
        .map_err(|e| super::explain(&e))?;
    if !make_up.is_empty() {
        println!(
            "{}",
            if english {
                "Make-up working days:"
            } else {
                "Ngày làm bù:"
            }
        );
        for d in make_up {
            println!("  {}", day_label(d, english));
        }
    }
    println!(
        "{} {}",
        days.len(),
        if english { "days off" } else { "ngày nghỉ" }
    );
    Ok(ExitCode::SUCCESS)
}
