//! Complaints and feedback (phản ánh, kiến nghị — PAKN, rulebook §7): what a filing must hold, and
//! its deadlines in working days from receipt on the working calendar — refuse within 2, first
//! request for information within 5, resolve within 15, publish the answer within 2 of answering.
//! A phone shows the same dates the agency is held to.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::deadline::{
    DEFAULT_CUTOFF, DeadlineError, DueRequest, DurationUnit, ProcessingTime, due,
};
use crate::identifier::{CccdContext, IdKind, validate};

/// Working days to refuse a filing that cannot be handled.
pub const REFUSE_DAYS: u32 = 2;
/// Working days to ask the author for more information (once).
pub const INFO_DAYS: u32 = 5;
/// Working days to answer.
pub const RESOLVE_DAYS: u32 = 15;
/// Working days to publish an answer once given.
pub const PUBLISH_DAYS: u32 = 2;

/// What a filing is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum About {
    /// A dossier (its code).
    Dossier,
    /// A procedure (its code).
    Procedure,
    /// An official's conduct.
    Official,
    /// Anything else about the agency's services.
    Other,
}

/// A filing as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// What it is about.
    pub about: About,
    /// The dossier's or procedure's code, or the official's name (`OTHER`: none needed).
    #[serde(default)]
    pub reference: String,
    /// A short subject.
    pub subject: String,
    /// What happened and what is asked.
    pub content: String,
    /// The author's name (always, with or without an account).
    pub name: String,
    /// A phone to answer to.
    #[serde(default)]
    pub phone: String,
    /// An e-mail to answer to.
    #[serde(default)]
    pub email: String,
    /// Whether the author is signed in (then the account is the contact).
    #[serde(default)]
    pub signed_in: bool,
}

/// One problem with a filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The field.
    pub path: &'static str,
    /// `REQUIRED`, `TOO_SHORT`, `TOO_LONG`, `INVALID_PHONE`, `INVALID_EMAIL`, `CONTACT_REQUIRED`.
    pub code: &'static str,
}

fn length(s: &str) -> usize {
    s.trim().chars().count()
}

/// Every problem of `f`, field by field; none when it can be received.
#[must_use]
pub fn check(f: &Filing) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut bounded = |path: &'static str, value: &str, min: usize, max: usize| {
        let n = length(value);
        if n == 0 {
            out.push(Violation {
                path,
                code: "REQUIRED",
            });
        } else if n < min {
            out.push(Violation {
                path,
                code: "TOO_SHORT",
            });
        } else if n > max {
            out.push(Violation {
                path,
                code: "TOO_LONG",
            });
        }
    };
    if f.about != About::Other {
        bounded("/reference", &f.reference, 1, 100);
    }
    bounded("/subject", &f.subject, 5, 200);
    bounded("/content", &f.content, 20, 5_000);
    bounded("/name", &f.name, 2, 100);
    let phone = f.phone.trim();
    let email = f.email.trim();
    if !phone.is_empty() && validate(IdKind::Phone, phone, &CccdContext::default()).is_err() {
        out.push(Violation {
            path: "/phone",
            code: "INVALID_PHONE",
        });
    }
    if !email.is_empty() && validate(IdKind::Email, email, &CccdContext::default()).is_err() {
        out.push(Violation {
            path: "/email",
            code: "INVALID_EMAIL",
        });
    }
    // Without an account, the answer needs somewhere to go.
    if !f.signed_in && phone.is_empty() && email.is_empty() {
        out.push(Violation {
            path: "/phone",
            code: "CONTACT_REQUIRED",
        });
    }
    out
}

/// The deadlines of a filing received at `received`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Refuse by.
    pub refuse_by: DateTime<FixedOffset>,
    /// Ask for information by.
    pub request_info_by: DateTime<FixedOffset>,
    /// Answer by.
    pub resolve_by: DateTime<FixedOffset>,
}

fn after(
    calendar: &WorkingCalendar,
    from: DateTime<FixedOffset>,
    days: u32,
) -> Result<DateTime<FixedOffset>, DeadlineError> {
    Ok(due(
        &DueRequest {
            received_at: from,
            duration: ProcessingTime {
                unit: DurationUnit::WorkingDays,
                value: days,
            },
            same_day_cutoff: DEFAULT_CUTOFF,
            pauses: crate::deadline::Pauses::default(),
        },
        calendar,
    )?
    .due_at)
}

/// The deadlines of a filing received at `received`, counted like a dossier's processing time.
///
/// # Errors
/// A date outside the calendar.
pub fn deadlines(
    calendar: &WorkingCalendar,
    received: DateTime<FixedOffset>,
) -> Result<Deadlines, DeadlineError> {
    Ok(Deadlines {
        refuse_by: after(calendar, received, REFUSE_DAYS)?,
        request_info_by: after(calendar, received, INFO_DAYS)?,
        resolve_by: after(calendar, received, RESOLVE_DAYS)?,
    })
}

/// When an answer given at `answered` must be published.
///
/// # Errors
/// A date outside the calendar.
pub fn publish_by(
    calendar: &WorkingCalendar,
    answered: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DeadlineError> {
    after(calendar, answered, PUBLISH_DAYS)
}

/// The public copy of a text: the author's name, phone and e-mail, any e-mail address, and any
/// run of nine or more digits (ID and phone numbers, also written with spaces, dots or dashes)
/// replaced by `***`.
#[must_use]
pub fn redact(text: &str, personal: &[&str]) -> String {
    let mut named = text.to_owned();
    for p in personal
        .iter()
        .map(|p| p.trim())
        .filter(|p| p.chars().count() >= 2)
    {
        named = named.replace(p, "***");
    }
    // E-mail addresses: a word with `@` and a dot after it.
    let words: Vec<String> = named
        .split_inclusive(char::is_whitespace)
        .map(|w| {
            let core = w.trim_end().trim_end_matches([',', '.', ';', ':', ')']);
            match core.split_once('@') {
                Some((user, host)) if !user.is_empty() && host.contains('.') => {
                    w.replacen(core, "***", 1)
                }
                _ => w.to_owned(),
            }
        })
        .collect();
    let joined = words.concat();
    // Digit runs: digits joined by spaces, dots or dashes, nine digits or more.
    let mut out = String::with_capacity(joined.len());
    let (mut run, mut digits, mut gap) = (String::new(), 0usize, String::new());
    let flush = |out: &mut String, run: &mut String, digits: &mut usize| {
        out.push_str(if *digits >= 9 { "***" } else { run.as_str() });
        run.clear();
        *digits = 0;
    };
    for c in joined.chars() {
        if c.is_ascii_digit() {
            run.push_str(&gap);
            gap.clear();
            run.push(c);
            digits += 1;
        } else if matches!(c, ' ' | '.' | '-') && !run.is_empty() {
            gap.push(c);
        } else {
            flush(&mut out, &mut run, &mut digits);
            out.push_str(&gap);
            gap.clear();
            out.push(c);
        }
    }
    flush(&mut out, &mut run, &mut digits);
    out.push_str(&gap);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSpec;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn filing() -> Filing {
        Filing {
            about: About::Dossier,
            reference: "000.00.51.H42-261204-0001".to_owned(),
            subject: "Hồ sơ trễ hẹn".to_owned(),
            content: "Hồ sơ của tôi đã quá ngày hẹn trả kết quả ba ngày.".to_owned(),
            name: "Nguyễn Văn An".to_owned(),
            phone: "0912345678".to_owned(),
            email: String::new(),
            signed_in: false,
        }
    }

    #[test]
    fn every_problem_at_once() {
        assert!(check(&filing()).is_empty());
        let bad = Filing {
            reference: String::new(),
            subject: "Ơ".to_owned(),
            content: "x".repeat(5_001),
            phone: String::new(),
            email: "not-an-email".to_owned(),
            ..filing()
        };
        let found: Vec<(&str, &str)> = check(&bad).iter().map(|v| (v.path, v.code)).collect();
        assert_eq!(
            found,
            [
                ("/reference", "REQUIRED"),
                ("/subject", "TOO_SHORT"),
                ("/content", "TOO_LONG"),
                ("/email", "INVALID_EMAIL"),
            ]
        );
        // Without an account and without any contact: nowhere to answer.
        let nowhere = Filing {
            phone: String::new(),
            ..filing()
        };
        let found: Vec<(&str, &str)> = check(&nowhere).iter().map(|v| (v.path, v.code)).collect();
        assert_eq!(found, [("/phone", "CONTACT_REQUIRED")]);
        // Signed in: the account is the contact.
        let signed = Filing {
            phone: String::new(),
            signed_in: true,
            ..filing()
        };
        assert!(check(&signed).is_empty());
    }

    #[test]
    fn the_public_copy_has_no_personal_data() {
        let text = "Tôi là Nguyễn Văn An, CCCD 020090123456, gọi 0912 345 678 hoặc 0912345678, \
                    thư an.nv@example.vn. Hồ sơ 000.00.51.H42-261204-0001 trễ hẹn.";
        let public = redact(text, &["Nguyễn Văn An", "0912345678", "an.nv@example.vn"]);
        assert_eq!(
            public,
            "Tôi là ***, CCCD ***, gọi *** hoặc ***, thư ***. Hồ sơ 000.00.51.H*** trễ hẹn."
        );
    }

    #[test]
    fn deadlines_skip_tet() {
        let cal = WorkingCalendar::new(&CalendarSpec::default()).unwrap_or_else(|e| panic!("{e}"));
        // Received on Tuesday 1 December 2026 at 09:00: 2, 5 and 15 working days.
        let d = deadlines(&cal, at("2026-12-01T09:00:00+07:00")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.refuse_by.date_naive().to_string(), "2026-12-03");
        assert_eq!(d.request_info_by.date_naive().to_string(), "2026-12-08");
        assert_eq!(d.resolve_by.date_naive().to_string(), "2026-12-22");
        // Received just before Tết 2027: the holiday's days are not counted.
        let before =
            deadlines(&cal, at("2027-02-03T09:00:00+07:00")).unwrap_or_else(|e| panic!("{e}"));
        let plain =
            deadlines(&cal, at("2026-12-01T09:00:00+07:00")).unwrap_or_else(|e| panic!("{e}"));
        let span = |d: &Deadlines, from: &str| (d.resolve_by - at(from)).num_days();
        assert!(
            span(&before, "2027-02-03T09:00:00+07:00")
                > span(&plain, "2026-12-01T09:00:00+07:00") + 3,
            "{before:?}"
        );
    }
}
