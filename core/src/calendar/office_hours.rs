//! Office hours: the half-open sessions `[open, close)` of a working day.

use chrono::{NaiveTime, TimeDelta};

/// Validated office hours: non-empty, each session opening before it closes, in order, not
/// overlapping. Default 08:00–12:00 and 13:00–17:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    sessions: Vec<(NaiveTime, NaiveTime)>,
}

/// Office hours that cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("office hours must be non-empty, ordered, non-overlapping HH:MM sessions")]
pub struct InvalidOfficeHours;

impl Default for OfficeHours {
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        Self {
            sessions: vec![(t(8), t(12)), (t(13), t(17))],
        }
    }
}

impl OfficeHours {
    /// Builds office hours from sessions.
    ///
    /// # Errors
    /// When there is no session, a session does not open before it closes, or sessions overlap or
    /// are out of order.
    pub fn new(sessions: Vec<(NaiveTime, NaiveTime)>) -> Result<Self, InvalidOfficeHours> {
        let ordered = sessions.iter().all(|(open, close)| open < close)
            && sessions.windows(2).all(|w| match w {
                [(_, close), (next_open, _)] => close <= next_open,
                _ => true,
            });
        if sessions.is_empty() || !ordered {
            return Err(InvalidOfficeHours);
        }
        Ok(Self { sessions })
    }

    /// Parses `[["08:00","12:00"], …]`-style sessions.
    ///
    /// # Errors
    /// A time that is not `HH:MM` (or `HH:MM:SS`), or sessions [`Self::new`] refuses.
    pub fn parse(sessions: &[(String, String)]) -> Result<Self, InvalidOfficeHours> {
        let time = |s: &str| {
            NaiveTime::parse_from_str(s, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
                .map_err(|_| InvalidOfficeHours)
        };
        let sessions = sessions
            .iter()
            .map(|(o, c)| Ok((time(o)?, time(c)?)))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(sessions)
    }

    /// The sessions in order.
    #[must_use]
    pub fn sessions(&self) -> &[(NaiveTime, NaiveTime)] {
        &self.sessions
    }

    /// The first opening time of the day.
    #[must_use]
    pub fn first_open(&self) -> NaiveTime {
        self.sessions.first().map_or(NaiveTime::MIN, |s| s.0)
    }

    /// The last closing time of the day.
    #[must_use]
    pub fn last_close(&self) -> NaiveTime {
        self.sessions.last().map_or(NaiveTime::MIN, |s| s.1)
    }

    /// The length of one working day: the total of the sessions (8 h by default).
    #[must_use]
    pub fn day_length(&self) -> TimeDelta {
        self.sessions.iter().map(|(o, c)| *c - *o).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn the_default_day_is_eight_hours() {
        assert_eq!(OfficeHours::default().day_length(), TimeDelta::hours(8));
    }

    #[test]
    fn overlapping_empty_or_reversed_sessions_are_refused() {
        assert!(OfficeHours::parse(&[]).is_err());
        assert!(OfficeHours::parse(&[s("12:00", "08:00")]).is_err());
        assert!(OfficeHours::parse(&[s("08:00", "12:00"), s("11:00", "17:00")]).is_err());
        assert!(OfficeHours::parse(&[s("8h", "12:00")]).is_err());
        assert!(OfficeHours::parse(&[s("07:30", "11:30"), s("13:30", "17:00")]).is_ok());
    }
}
