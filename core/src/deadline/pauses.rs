//! Pauses of the deadline clock (a supplement requested during processing, a suspension).

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use super::{DeadlineError, to_local};

/// Intervals `[from, to)` during which the clock stops. Overlaps count once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pauses(pub Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)>);

impl Pauses {
    /// The pauses in local time, sorted and merged so that overlapping time counts once.
    ///
    /// # Errors
    /// `INVALID_PAUSE` when a pause ends before it starts.
    pub fn merged(&self) -> Result<Vec<(NaiveDateTime, NaiveDateTime)>, DeadlineError> {
        let mut local: Vec<(NaiveDateTime, NaiveDateTime)> = self
            .0
            .iter()
            .map(|(from, to)| (to_local(*from), to_local(*to)))
            .collect();
        if local.iter().any(|(from, to)| to < from) {
            return Err(DeadlineError::InvalidPause);
        }
        local.retain(|(from, to)| from < to);
        crate::sort::by(&mut local, Ord::cmp);
        let mut merged: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::with_capacity(local.len());
        for (from, to) in local {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn overlapping_and_touching_pauses_merge() {
        let p = Pauses(vec![
            (
                t("2026-03-03T10:00:00+07:00"),
                t("2026-03-03T12:00:00+07:00"),
            ),
            (
                t("2026-03-03T09:00:00+07:00"),
                t("2026-03-03T11:00:00+07:00"),
            ),
            (t("2026-03-03T05:00:00Z"), t("2026-03-03T14:00:00+07:00")),
        ]);
        let m = p.merged().unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0.to_string(), "2026-03-03 09:00:00");
        assert_eq!(m[0].1.to_string(), "2026-03-03 14:00:00");
    }

    #[test]
    fn a_reversed_pause_is_refused() {
        let p = Pauses(vec![(
            t("2026-03-03T12:00:00+07:00"),
            t("2026-03-03T10:00:00+07:00"),
        )]);
        assert_eq!(p.merged(), Err(DeadlineError::InvalidPause));
    }
}
