//! The whole index: six groups of indicators over counts of event facts (one agency, commune or
//! the province, for one month, quarter or year). The server counts the facts from its event log;
//! this module alone turns them into points, so that every number on the leaders' dashboard can be
//! recomputed anywhere from the counts beside it.
//!
//! The groups and maxima are Decision 766's (rulebook §7): transparency 18, processing progress 20,
//! online service 12, digitisation 22, satisfaction 18, online payment 10. The indicators inside a
//! group are the ones motcua's event log can count; `tests/vectors/README.md` lists them with their
//! formulas. An N/A indicator (nothing to judge) is left out of its group, and the total is scaled
//! to 100 over the maxima that apply, so that an agency is neither rewarded nor punished for having
//! had nothing of a kind.

use serde::{Deserialize, Serialize};

use super::{Bands, Colour, FULL_CENTI, Grade, KpiError, grade, score};

/// What the index is computed from: counts for one scope and period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Facts {
    /// Dossiers filed in the period, all channels.
    pub filed: u64,
    /// Of those, filed online.
    pub filed_online: u64,
    /// Filed dossiers received by the end of the next working day after filing.
    pub received_timely: u64,
    /// Dossiers received in the period.
    pub received: u64,
    /// Of those, whose documents are digital (filed online, or scanned at the desk).
    pub digitised: u64,
    /// Dossiers finished in the period (resolved, returned, stopped, refused or withdrawn).
    pub finished: u64,
    /// Of those, by the due date after subtracting supplement time.
    pub finished_on_time: u64,
    /// Dossiers still open at the end of the period (now, for a period still running) and past
    /// their due date.
    pub open_overdue: u64,
    /// Late dossiers (finished late, or open and overdue).
    pub late: u64,
    /// Of those, with an apology letter (form 04).
    pub late_apologised: u64,
    /// Finished dossiers with a result document.
    pub finished_with_result: u64,
    /// Of those, whose result was issued electronically.
    pub results_electronic: u64,
    /// Procedures offered online (eligible for online filing).
    pub procedures_online: u64,
    /// Of those, with at least one online filing in the period.
    pub procedures_used_online: u64,
    /// Satisfaction surveys answered in the period.
    pub surveys: u64,
    /// Sum of their nine indicators (each 2, 1 or 0: at most 18 a survey).
    pub survey_points: u64,
    /// Surveys answering "very satisfied" or "satisfied" overall.
    pub overall_satisfied: u64,
    /// Surveys answering "very satisfied" or "satisfied" on convenience.
    pub convenience_satisfied: u64,
    /// Complaints whose answer fell due in the period.
    pub complaints_due: u64,
    /// Of those, answered within their deadline.
    pub complaints_on_time: u64,
    /// Dossiers whose fee was paid in the period.
    pub fee_paid: u64,
    /// Of those, paid online.
    pub fee_paid_online: u64,
}

impl Facts {
    /// A fact by its name (the names of `kpi.index`'s input).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<u64> {
        let mut copy = *self;
        copy.slot(name).map(|v| *v)
    }

    /// Adds `n` to the fact called `name` (as [`Self::get`] names them); `false` for a name
    /// that is not a fact. Saturates rather than wraps.
    pub fn add(&mut self, name: &str, n: u64) -> bool {
        let Some(slot) = self.slot(name) else {
            return false;
        };
        *slot = slot.saturating_add(n);
        true
    }

    fn slot(&mut self, name: &str) -> Option<&mut u64> {
        Some(match name {
            "filed" => &mut self.filed,
            "filed_online" => &mut self.filed_online,
            "received_timely" => &mut self.received_timely,
            "received" => &mut self.received,
            "digitised" => &mut self.digitised,
            "finished" => &mut self.finished,
            "finished_on_time" => &mut self.finished_on_time,
            "open_overdue" => &mut self.open_overdue,
            "late" => &mut self.late,
            "late_apologised" => &mut self.late_apologised,
            "finished_with_result" => &mut self.finished_with_result,
            "results_electronic" => &mut self.results_electronic,
            "procedures_online" => &mut self.procedures_online,
            "procedures_used_online" => &mut self.procedures_used_online,
            "surveys" => &mut self.surveys,
            "survey_points" => &mut self.survey_points,
            "overall_satisfied" => &mut self.overall_satisfied,
            "convenience_satisfied" => &mut self.convenience_satisfied,
            "complaints_due" => &mut self.complaints_due,
            "complaints_on_time" => &mut self.complaints_on_time,
            "fee_paid" => &mut self.fee_paid,
            "fee_paid_online" => &mut self.fee_paid_online,
            _ => return None,
        })
    }
}

/// A group of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Group {
    /// Công khai, minh bạch — 18 points.
    Transparency,
    /// Tiến độ giải quyết — 20.
    Progress,
    /// Dịch vụ công trực tuyến — 12.
    OnlineService,
    /// Số hoá hồ sơ — 22.
    Digitisation,
    /// Mức độ hài lòng — 18.
    Satisfaction,
    /// Thanh toán trực tuyến — 10.
    OnlinePayment,
}

impl Group {
    /// Every group, in the decision's order.
    pub const ALL: [Self; 6] = [
        Self::Transparency,
        Self::Progress,
        Self::OnlineService,
        Self::Digitisation,
        Self::Satisfaction,
        Self::OnlinePayment,
    ];

    /// The stable code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transparency => "TRANSPARENCY",
            Self::Progress => "PROGRESS",
            Self::OnlineService => "ONLINE_SERVICE",
            Self::Digitisation => "DIGITISATION",
            Self::Satisfaction => "SATISFACTION",
            Self::OnlinePayment => "ONLINE_PAYMENT",
        }
    }

    /// Its name.
    #[must_use]
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Self::Transparency, crate::Lang::Vi) => "Công khai, minh bạch",
            (Self::Progress, crate::Lang::Vi) => "Tiến độ giải quyết",
            (Self::OnlineService, crate::Lang::Vi) => "Dịch vụ công trực tuyến",
            (Self::Digitisation, crate::Lang::Vi) => "Số hoá hồ sơ",
            (Self::Satisfaction, crate::Lang::Vi) => "Mức độ hài lòng",
            (Self::OnlinePayment, crate::Lang::Vi) => "Thanh toán trực tuyến",
            (Self::Transparency, crate::Lang::En) => "Transparency",
            (Self::Progress, crate::Lang::En) => "Processing progress",
            (Self::OnlineService, crate::Lang::En) => "Online service",
            (Self::Digitisation, crate::Lang::En) => "Digitisation",
            (Self::Satisfaction, crate::Lang::En) => "Satisfaction",
            (Self::OnlinePayment, crate::Lang::En) => "Online payment",
        }
    }
}

/// One indicator: `min(max, max × numerator ÷ denominator ÷ threshold)`.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// Stable code, e.g. `PROGRESS_ON_TIME`.
    pub code: &'static str,
    /// Its group.
    pub group: Group,
    /// Points.
    pub max: u32,
    /// The rate that earns full marks, in per cent.
    pub threshold_pct: u32,
    /// What it counts.
    pub numerator: fn(&Facts) -> u64,
    /// Out of what.
    pub denominator: fn(&Facts) -> u64,
    /// The facts the numerator adds up, each with its multiplier (what a drill-down lists).
    pub numerator_facts: &'static [(&'static str, u64)],
    /// The same for the denominator.
    pub denominator_facts: &'static [(&'static str, u64)],
    /// Its name in Vietnamese.
    pub name_vi: &'static str,
    /// In English.
    pub name_en: &'static str,
}

/// The indicators, by group; each group's maxima add up to the group's points.
pub const INDICATORS: &[Indicator] = &[
    Indicator {
        code: "TRANSPARENCY_APOLOGY",
        group: Group::Transparency,
        max: 6,
        threshold_pct: 100,
        numerator: |f| f.late_apologised,
        denominator: |f| f.late,
        numerator_facts: &[("late_apologised", 1)],
        denominator_facts: &[("late", 1)],
        name_vi: "Hồ sơ trễ hạn có văn bản xin lỗi",
        name_en: "Late dossiers with an apology letter",
    },
    Indicator {
        code: "TRANSPARENCY_INTAKE",
        group: Group::Transparency,
        max: 6,
        threshold_pct: 100,
        numerator: |f| f.received_timely,
        denominator: |f| f.filed,
        numerator_facts: &[("received_timely", 1)],
        denominator_facts: &[("filed", 1)],
        name_vi: "Hồ sơ được tiếp nhận kịp thời",
        name_en: "Dossiers received in time",
    },
    Indicator {
        code: "TRANSPARENCY_COMPLAINTS",
        group: Group::Transparency,
        max: 6,
        threshold_pct: 100,
        numerator: |f| f.complaints_on_time,
        denominator: |f| f.complaints_due,
        numerator_facts: &[("complaints_on_time", 1)],
        denominator_facts: &[("complaints_due", 1)],
        name_vi: "Phản ánh, kiến nghị được trả lời đúng hạn",
        name_en: "Complaints answered on time",
    },
    Indicator {
        code: "PROGRESS_ON_TIME",
        group: Group::Progress,
        max: 20,
        threshold_pct: 100,
        numerator: |f| f.finished_on_time,
        denominator: |f| f.finished.saturating_add(f.open_overdue),
        numerator_facts: &[("finished_on_time", 1)],
        denominator_facts: &[("finished", 1), ("open_overdue", 1)],
        name_vi: "Hồ sơ giải quyết đúng hạn",
        name_en: "Dossiers finished on time",
    },
    Indicator {
        code: "ONLINE_PROCEDURES",
        group: Group::OnlineService,
        max: 6,
        threshold_pct: 80,
        numerator: |f| f.procedures_used_online,
        denominator: |f| f.procedures_online,
        numerator_facts: &[("procedures_used_online", 1)],
        denominator_facts: &[("procedures_online", 1)],
        name_vi: "Thủ tục trực tuyến có phát sinh hồ sơ trực tuyến",
        name_en: "Online procedures used online",
    },
    Indicator {
        code: "ONLINE_SHARE",
        group: Group::OnlineService,
        max: 6,
        threshold_pct: 50,
        numerator: |f| f.filed_online,
        denominator: |f| f.filed,
        numerator_facts: &[("filed_online", 1)],
        denominator_facts: &[("filed", 1)],
        name_vi: "Hồ sơ nộp trực tuyến",
        name_en: "Dossiers filed online",
    },
    Indicator {
        code: "DIGITISED_DOSSIERS",
        group: Group::Digitisation,
        max: 11,
        threshold_pct: 100,
        numerator: |f| f.digitised,
        denominator: |f| f.received,
        numerator_facts: &[("digitised", 1)],
        denominator_facts: &[("received", 1)],
        name_vi: "Hồ sơ được số hoá",
        name_en: "Dossiers digitised",
    },
    Indicator {
        code: "ELECTRONIC_RESULTS",
        group: Group::Digitisation,
        max: 11,
        threshold_pct: 100,
        numerator: |f| f.results_electronic,
        denominator: |f| f.finished_with_result,
        numerator_facts: &[("results_electronic", 1)],
        denominator_facts: &[("finished_with_result", 1)],
        name_vi: "Kết quả được cấp bản điện tử",
        name_en: "Results issued electronically",
    },
    Indicator {
        code: "SATISFACTION_OVERALL",
        group: Group::Satisfaction,
        max: 6,
        threshold_pct: 90,
        numerator: |f| f.overall_satisfied,
        denominator: |f| f.surveys,
        numerator_facts: &[("overall_satisfied", 1)],
        denominator_facts: &[("surveys", 1)],
        name_vi: "Hài lòng chung",
        name_en: "Satisfied overall",
    },
    Indicator {
        code: "SATISFACTION_INDICATORS",
        group: Group::Satisfaction,
        max: 6,
        threshold_pct: 90,
        numerator: |f| f.survey_points,
        denominator: |f| f.surveys.saturating_mul(18),
        numerator_facts: &[("survey_points", 1)],
        denominator_facts: &[("surveys", 18)],
        name_vi: "Điểm 9 tiêu chí đánh giá",
        name_en: "The nine indicators' points",
    },
    Indicator {
        code: "SATISFACTION_CONVENIENCE",
        group: Group::Satisfaction,
        max: 6,
        threshold_pct: 90,
        numerator: |f| f.convenience_satisfied,
        denominator: |f| f.surveys,
        numerator_facts: &[("convenience_satisfied", 1)],
        denominator_facts: &[("surveys", 1)],
        name_vi: "Hài lòng về sự thuận tiện",
        name_en: "Satisfied with convenience",
    },
    Indicator {
        code: "ONLINE_PAYMENT",
        group: Group::OnlinePayment,
        max: 10,
        threshold_pct: 30,
        numerator: |f| f.fee_paid_online,
        denominator: |f| f.fee_paid,
        numerator_facts: &[("fee_paid_online", 1)],
        denominator_facts: &[("fee_paid", 1)],
        name_vi: "Hồ sơ thanh toán phí trực tuyến",
        name_en: "Fees paid online",
    },
];

/// One indicator's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorScore {
    /// [`Indicator::code`].
    pub code: &'static str,
    /// Points.
    pub max: u32,
    /// Threshold in per cent.
    pub threshold_pct: u32,
    /// Counted.
    pub numerator: u64,
    /// Out of.
    pub denominator: u64,
    /// The rate in hundredths of a per cent (`None`: N/A).
    pub rate_bp: Option<u32>,
    /// Hundredths of a point (`None`: N/A).
    pub score_centi: Option<u32>,
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupScore {
    /// Which.
    pub group: Group,
    /// Its points in the decision.
    pub max: u32,
    /// The maxima of its indicators that apply, in hundredths.
    pub applicable_centi: u32,
    /// The sum of its applicable indicators (`None` when none applies).
    pub score_centi: Option<u32>,
    /// Its indicators.
    pub indicators: Vec<IndicatorScore>,
}

/// The index of one scope and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    /// The six groups.
    pub groups: Vec<GroupScore>,
    /// Out of 100 points in hundredths, scaled over what applies (`None`: nothing applies).
    pub total_centi: Option<u32>,
    /// Its grade.
    pub grade: Option<Grade>,
    /// Its colour.
    pub colour: Option<Colour>,
}

/// The index of `facts`, graded by `bands`.
///
/// # Errors
/// Bands out of order.
pub fn index(facts: &Facts, bands: Bands) -> Result<Index, KpiError> {
    let bands = bands.check()?;
    let mut groups = Vec::with_capacity(Group::ALL.len());
    let (mut earned, mut applicable) = (0u64, 0u64);
    for group in Group::ALL {
        let mut g = GroupScore {
            group,
            max: 0,
            applicable_centi: 0,
            score_centi: None,
            indicators: Vec::new(),
        };
        for i in INDICATORS.iter().filter(|i| i.group == group) {
            let (numerator, denominator) = ((i.numerator)(facts), (i.denominator)(facts));
            let s = score(i.max, numerator, denominator, i.threshold_pct)?;
            g.max += i.max;
            if let Some(s) = s {
                g.applicable_centi += i.max * 100;
                g.score_centi = Some(g.score_centi.unwrap_or(0) + s);
            }
            g.indicators.push(IndicatorScore {
                code: i.code,
                max: i.max,
                threshold_pct: i.threshold_pct,
                numerator,
                denominator,
                rate_bp: super::rate_basis_points(numerator, denominator),
                score_centi: s,
            });
        }
        earned += u64::from(g.score_centi.unwrap_or(0));
        applicable += u64::from(g.applicable_centi);
        groups.push(g);
    }
    let total_centi = if applicable == 0 {
        None
    } else {
        let scaled = (2 * earned * u64::from(FULL_CENTI) + applicable) / (2 * applicable);
        Some(u32::try_from(scaled).unwrap_or(FULL_CENTI).min(FULL_CENTI))
    };
    let graded = total_centi.map(|t| grade(t, bands)).transpose()?;
    Ok(Index {
        groups,
        total_centi,
        grade: graded,
        colour: graded.map(Grade::colour),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_groups_have_the_decisions_points() {
        let total: u32 = INDICATORS.iter().map(|i| i.max).sum();
        assert_eq!(total, 100);
        for (group, points) in Group::ALL.iter().zip([18, 20, 12, 22, 18, 10]) {
            let sum: u32 = INDICATORS
                .iter()
                .filter(|i| i.group == *group)
                .map(|i| i.max)
                .sum();
            assert_eq!(sum, points, "{group:?}");
        }
    }

    #[test]
    fn every_indicator_names_the_facts_it_adds_up() {
        // Distinct primes, so that a wrong fact or multiplier cannot add up by chance.
        let f = Facts {
            filed: 2,
            filed_online: 3,
            received_timely: 5,
            received: 7,
            digitised: 11,
            finished: 13,
            finished_on_time: 17,
            open_overdue: 19,
            late: 23,
            late_apologised: 29,
            finished_with_result: 31,
            results_electronic: 37,
            procedures_online: 41,
            procedures_used_online: 43,
            surveys: 47,
            survey_points: 53,
            overall_satisfied: 59,
            convenience_satisfied: 61,
            complaints_due: 67,
            complaints_on_time: 71,
            fee_paid: 73,
            fee_paid_online: 79,
        };
        let sum = |facts: &[(&str, u64)]| -> u64 {
            facts
                .iter()
                .map(|(name, k)| f.get(name).unwrap_or_else(|| panic!("{name}")) * k)
                .sum()
        };
        for i in INDICATORS {
            assert_eq!((i.numerator)(&f), sum(i.numerator_facts), "{}", i.code);
            assert_eq!((i.denominator)(&f), sum(i.denominator_facts), "{}", i.code);
        }
    }

    #[test]
    fn nothing_to_judge_is_not_applicable() {
        let i = index(&Facts::default(), Bands::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.total_centi, None);
        assert_eq!(i.grade, None);
        assert!(i.groups.iter().all(|g| g.score_centi.is_none()));
    }

    #[test]
    fn a_hand_computed_ward() {
        // 100 filed, 40 online (80 % of the 50 % threshold: 4.80 of 6); 95 received in time
        // (5.70 of 6); 8 late, 2 apologised (1.50 of 6); no complaints (N/A); 90 finished, 81 on
        // time, 0 open overdue (18.00 of 20); 10 online procedures, 6 used (60 % of 80 %: 4.50 of
        // 6); 100 received, 70 digitised (7.70 of 11); no results (N/A); 20 surveys, 17 satisfied
        // (85 % of 90 %: 5.67), 300 of 360 points (83.3 % of 90 %: 5.56), 18 convenient (6.00);
        // 50 paid, 12 online (24 % of 30 %: 8.00).
        let f = Facts {
            filed: 100,
            filed_online: 40,
            received_timely: 95,
            late: 8,
            late_apologised: 2,
            finished: 90,
            finished_on_time: 81,
            procedures_online: 10,
            procedures_used_online: 6,
            received: 100,
            digitised: 70,
            surveys: 20,
            overall_satisfied: 17,
            survey_points: 300,
            convenience_satisfied: 18,
            fee_paid: 50,
            fee_paid_online: 12,
            ..Facts::default()
        };
        let i = index(&f, Bands::default()).unwrap_or_else(|e| panic!("{e}"));
        let g: Vec<Option<u32>> = i.groups.iter().map(|g| g.score_centi).collect();
        assert_eq!(
            g,
            [
                Some(150 + 570),
                Some(1800),
                Some(450 + 480),
                Some(770),
                Some(567 + 556 + 600),
                Some(800)
            ]
        );
        // Earned 6,743 of the 8,300 hundredths that apply (12 + 20 + 12 + 11 + 18 + 10 points)
        // → 81.24 of 100.
        assert_eq!(i.total_centi, Some(8124));
        assert_eq!(i.grade, Some(Grade::Good));
        assert_eq!(i.colour, Some(Colour::Blue));
    }
}
