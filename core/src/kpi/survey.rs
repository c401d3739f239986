//! The satisfaction survey of a dossier (the form of Circular 01/2018/TT-VPCP, rulebook §7): nine
//! indicators scored 2, 1 or 0 and two questions answered "very satisfied", "satisfied" or
//! "unsatisfied". The portal checks an answer with the same function the server applies, and
//! both count the same points towards the index.

use serde::{Deserialize, Serialize};

use crate::dossier::Status;

/// The nine indicators, in the circular's order: code, Vietnamese, English.
pub const INDICATORS: [(&str, &str, &str); 9] = [
    (
        "TOTAL_TIME",
        "Tổng thời gian giải quyết so với thời gian quy định",
        "Total time compared with the legal limit",
    ),
    (
        "AGENCY_TIME",
        "Thời gian giải quyết của từng cơ quan, đơn vị",
        "Each agency's processing time",
    ),
    (
        "CONTACTS",
        "Số lần phải liên hệ với nơi tiếp nhận hồ sơ",
        "How many times you had to contact the desk",
    ),
    (
        "AGENCIES_CONTACTED",
        "Số cơ quan, đơn vị phải liên hệ",
        "How many agencies you had to contact",
    ),
    (
        "ONE_STOP",
        "Thực hiện cơ chế một cửa, một cửa liên thông",
        "The one-stop mechanism",
    ),
    (
        "PUBLICATION",
        "Công khai thủ tục hành chính",
        "Publication of the procedure",
    ),
    (
        "ATTITUDE",
        "Thái độ của cán bộ, công chức",
        "The officials' attitude",
    ),
    (
        "FEEDBACK",
        "Tiếp nhận, xử lý phản ánh, kiến nghị",
        "Handling of complaints and feedback",
    ),
    (
        "ONLINE_PROGRESS",
        "Cập nhật tiến độ trên dịch vụ công trực tuyến",
        "Progress shown in the online service",
    ),
];

/// The most points one survey gives (nine indicators of 2).
pub const MAX_POINTS: u32 = 18;

/// An answer to one of the two questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Answer {
    /// Rất hài lòng.
    VerySatisfied,
    /// Hài lòng.
    Satisfied,
    /// Không hài lòng.
    Unsatisfied,
}

impl Answer {
    /// The stable code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerySatisfied => "VERY_SATISFIED",
            Self::Satisfied => "SATISFIED",
            Self::Unsatisfied => "UNSATISFIED",
        }
    }

    /// Parses [`Self::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "VERY_SATISFIED" => Some(Self::VerySatisfied),
            "SATISFIED" => Some(Self::Satisfied),
            "UNSATISFIED" => Some(Self::Unsatisfied),
            _ => None,
        }
    }

    /// Whether it counts as satisfied for the index.
    #[must_use]
    pub fn satisfied(self) -> bool {
        self != Self::Unsatisfied
    }
}

/// One problem with a survey answer: where (`indicators/3`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON Pointer into the answer.
    pub path: String,
    /// `COUNT` (not nine indicators) or `SCORE` (not 0, 1 or 2).
    pub code: &'static str,
}

/// Every problem of `indicators`, in order; none when the nine are 0, 1 or 2.
#[must_use]
pub fn check(indicators: &[i64]) -> Vec<Violation> {
    let mut out = Vec::new();
    if indicators.len() != INDICATORS.len() {
        out.push(Violation {
            path: "/indicators".to_owned(),
            code: "COUNT",
        });
    }
    for (i, v) in indicators.iter().enumerate() {
        if !(0..=2).contains(v) {
            out.push(Violation {
                path: format!("/indicators/{i}"),
                code: "SCORE",
            });
        }
    }
    out
}

/// Every problem of a whole answer: the indicators, then the two questions (`ANSWER`: not one
/// of [`Answer`]'s codes).
#[must_use]
pub fn check_answer(indicators: &[i64], convenience: &str, overall: &str) -> Vec<Violation> {
    let mut out = check(indicators);
    for (path, given) in [("/convenience", convenience), ("/overall", overall)] {
        if Answer::parse(given).is_none() {
            out.push(Violation {
                path: path.to_owned(),
                code: "ANSWER",
            });
        }
    }
    out
}

/// The points of valid indicators (0–18); what does not check counts nothing.
#[must_use]
pub fn points(indicators: &[i64]) -> u32 {
    if !check(indicators).is_empty() {
        return 0;
    }
    indicators
        .iter()
        .filter_map(|v| u32::try_from(*v).ok())
        .sum()
}

/// Whether a dossier in `status` can be rated: once it is over for the applicant (the result
/// returned, or the dossier refused or stopped).
#[must_use]
pub fn rateable(status: Status) -> bool {
    matches!(status, Status::Returned | Status::Refused | Status::Stopped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_scores_of_two_one_or_zero() {
        assert!(check(&[2, 2, 2, 2, 2, 2, 2, 2, 2]).is_empty());
        assert_eq!(points(&[2, 2, 2, 2, 2, 2, 2, 2, 2]), MAX_POINTS);
        assert_eq!(points(&[0, 1, 2, 0, 1, 2, 0, 1, 2]), 9);
        let v = check(&[2, 3, -1]);
        let found: Vec<(&str, &str)> = v.iter().map(|v| (v.path.as_str(), v.code)).collect();
        assert_eq!(
            found,
            [
                ("/indicators", "COUNT"),
                ("/indicators/1", "SCORE"),
                ("/indicators/2", "SCORE")
            ]
        );
        assert_eq!(points(&[2, 3, -1]), 0);
    }

    #[test]
    fn both_questions_are_answered() {
        let v = check_answer(&[1; 9], "SATISFIED", "MAYBE");
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].path.as_str(), v[0].code), ("/overall", "ANSWER"));
    }

    #[test]
    fn only_finished_dossiers_are_rated() {
        assert!(rateable(Status::Returned));
        assert!(rateable(Status::Refused));
        assert!(!rateable(Status::Processing));
        assert!(!rateable(Status::Resolved));
        assert!(Answer::Satisfied.satisfied() && !Answer::Unsatisfied.satisfied());
        assert_eq!(Answer::parse("VERY_SATISFIED"), Some(Answer::VerySatisfied));
    }
}
