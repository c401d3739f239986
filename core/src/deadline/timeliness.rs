//! Whether a step or a dossier finished early, on time or late (form 06's last columns, and the
//! on-time statistic of the Decision 766 index).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::to_local;

/// How a finish compares with its due instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Timeliness {
    /// Trước hạn: finished on a local day before the due day.
    Early,
    /// Đúng hạn: finished on the due day, at or before the due instant.
    OnTime,
    /// Quá hạn: finished after the due instant.
    Late,
}

impl Timeliness {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Early => "EARLY",
            Self::OnTime => "ON_TIME",
            Self::Late => "LATE",
        }
    }

    /// From the wire name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Early, Self::OnTime, Self::Late]
            .into_iter()
            .find(|t| t.as_str() == name)
    }

    /// The words of form 06.
    #[must_use]
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Early => "Trước hạn",
            Self::OnTime => "Đúng hạn",
            Self::Late => "Quá hạn",
        }
    }

    /// In English.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Early => "Early",
            Self::OnTime => "On time",
            Self::Late => "Late",
        }
    }
}

/// Compares a finish with its due instant, by the local (UTC+7) calendar day: a step finished the
/// day before its due date is early even if only minutes separate them, which is how the control
/// sheet is read at the desk.
#[must_use]
pub fn timeliness(finished: DateTime<FixedOffset>, due: DateTime<FixedOffset>) -> Timeliness {
    if finished > due {
        Timeliness::Late
    } else if to_local(finished).date() < to_local(due).date() {
        Timeliness::Early
    } else {
        Timeliness::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn early_on_time_late_by_local_day() {
        let due = t("2026-11-25T17:00:00+07:00");
        assert_eq!(
            timeliness(t("2026-11-24T16:59:00+07:00"), due),
            Timeliness::Early
        );
        assert_eq!(
            timeliness(t("2026-11-25T08:00:00+07:00"), due),
            Timeliness::OnTime
        );
        assert_eq!(timeliness(due, due), Timeliness::OnTime);
        assert_eq!(
            timeliness(t("2026-11-25T17:00:01+07:00"), due),
            Timeliness::Late
        );
        // 23:30 UTC on the 24th is 06:30 on the 25th in Hà Nội: the due day, so on time.
        assert_eq!(
            timeliness(t("2026-11-24T23:30:00Z"), due),
            Timeliness::OnTime
        );
        // 16:30 UTC on the 24th is 23:30 local on the 24th: the day before, so early.
        assert_eq!(
            timeliness(t("2026-11-24T16:30:00Z"), due),
            Timeliness::Early
        );
    }
}
