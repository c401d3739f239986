"""Source of tests/vectors/kpi.json: the Decision 766 index as a whole (`kpi.index`) and the edges of
`kpi.score` / `kpi.grade` beyond the shared contract's cases. The expected figures come from an
independent implementation below (exact fractions, Python's own arithmetic), and the hand-computed
ward is asserted against numbers worked out on paper (core/src/kpi/index.rs shows the working)."""
import json
from fractions import Fraction
from pathlib import Path

# (code, group, max, threshold %, numerator, denominator) — tests/vectors/README.md lists them.
INDICATORS = [
    ("TRANSPARENCY_APOLOGY", "TRANSPARENCY", 6, 100, lambda f: f["late_apologised"], lambda f: f["late"]),
    ("TRANSPARENCY_INTAKE", "TRANSPARENCY", 6, 100, lambda f: f["received_timely"], lambda f: f["filed"]),
    ("TRANSPARENCY_COMPLAINTS", "TRANSPARENCY", 6, 100, lambda f: f["complaints_on_time"], lambda f: f["complaints_due"]),
    ("PROGRESS_ON_TIME", "PROGRESS", 20, 100, lambda f: f["finished_on_time"], lambda f: f["finished"] + f["open_overdue"]),
    ("ONLINE_PROCEDURES", "ONLINE_SERVICE", 6, 80, lambda f: f["procedures_used_online"], lambda f: f["procedures_online"]),
    ("ONLINE_SHARE", "ONLINE_SERVICE", 6, 50, lambda f: f["filed_online"], lambda f: f["filed"]),
    ("DIGITISED_DOSSIERS", "DIGITISATION", 11, 100, lambda f: f["digitised"], lambda f: f["received"]),
    ("ELECTRONIC_RESULTS", "DIGITISATION", 11, 100, lambda f: f["results_electronic"], lambda f: f["finished_with_result"]),
    ("SATISFACTION_OVERALL", "SATISFACTION", 6, 90, lambda f: f["overall_satisfied"], lambda f: f["surveys"]),
    ("SATISFACTION_INDICATORS", "SATISFACTION", 6, 90, lambda f: f["survey_points"], lambda f: 18 * f["surveys"]),
    ("SATISFACTION_CONVENIENCE", "SATISFACTION", 6, 90, lambda f: f["convenience_satisfied"], lambda f: f["surveys"]),
    ("ONLINE_PAYMENT", "ONLINE_PAYMENT", 10, 30, lambda f: f["fee_paid_online"], lambda f: f["fee_paid"]),
]
GROUPS = ["TRANSPARENCY", "PROGRESS", "ONLINE_SERVICE", "DIGITISATION", "SATISFACTION", "ONLINE_PAYMENT"]
FACTS = ["filed", "filed_online", "received_timely", "received", "digitised", "finished", "finished_on_time",
         "open_overdue", "late", "late_apologised", "finished_with_result", "results_electronic",
         "procedures_online", "procedures_used_online", "surveys", "survey_points", "overall_satisfied",
         "convenience_satisfied", "complaints_due", "complaints_on_time", "fee_paid", "fee_paid_online"]
DEFAULT_BANDS = {"excellent": 9000, "good": 8000, "fair": 7000, "average": 5000}


def half_up(x: Fraction) -> int:
    return int((2 * x.numerator + x.denominator) // (2 * x.denominator))


def score(mx, num, den, thr):
    if den == 0:
        return None
    return min(mx * 100, half_up(Fraction(mx * 100 * num * 100, den * thr)))


def grade(total, bands):
    for name, colour, key in [("EXCELLENT", "GREEN", "excellent"), ("GOOD", "BLUE", "good"),
                              ("FAIR", "YELLOW", "fair"), ("AVERAGE", "ORANGE", "average")]:
        if total >= bands[key]:
            return name, colour
    return "WEAK", "RED"


def index(facts, bands=DEFAULT_BANDS):
    f = {k: 0 for k in FACTS} | facts
    groups, earned, applicable = [], 0, 0
    for g in GROUPS:
        inds, gmax, gapp, gscore = [], 0, 0, None
        for code, group, mx, thr, n, d in INDICATORS:
            if group != g:
                continue
            num, den = n(f), d(f)
            s = score(mx, num, den, thr)
            gmax += mx
            if s is not None:
                gapp += mx * 100
                gscore = (gscore or 0) + s
            inds.append({"code": code, "max": mx, "threshold_pct": thr, "numerator": num, "denominator": den,
                         "na": s is None, "rate_bp": None if den == 0 else half_up(Fraction(num * 10000, den)),
                         "score_centi": s})
        earned += gscore or 0
        applicable += gapp
        groups.append({"group": g, "max": gmax, "na": gscore is None, "score_centi": gscore,
                       "applicable_centi": gapp, "indicators": inds})
    if applicable == 0:
        return {"na": True, "total_centi": None, "grade": None, "colour": None, "groups": groups}
    total = min(10000, half_up(Fraction(earned * 10000, applicable)))
    g, c = grade(total, bands)
    return {"na": False, "total_centi": total, "grade": g, "colour": c, "groups": groups}


WARD = {"filed": 100, "filed_online": 40, "received_timely": 95, "late": 8, "late_apologised": 2,
        "finished": 90, "finished_on_time": 81, "procedures_online": 10, "procedures_used_online": 6,
        "received": 100, "digitised": 70, "surveys": 20, "overall_satisfied": 17, "survey_points": 300,
        "convenience_satisfied": 18, "fee_paid": 50, "fee_paid_online": 12}
ward = index(WARD)
# On paper: 7.20 + 18.00 + 9.30 + 7.70 + 17.23 + 8.00 = 67.43 of the 83 points that apply → 81.24.
assert [g["score_centi"] for g in ward["groups"]] == [720, 1800, 930, 770, 1723, 800]
assert ward["total_centi"] == 8124 and ward["grade"] == "GOOD"

PROVINCE = {"filed": 1_250_000, "filed_online": 731_004, "received_timely": 1_249_000, "received": 1_249_500,
            "digitised": 1_100_321, "finished": 1_200_000, "finished_on_time": 1_188_123, "open_overdue": 777,
            "late": 12_654, "late_apologised": 12_001, "finished_with_result": 1_150_000,
            "results_electronic": 1_000_000, "procedures_online": 1_523, "procedures_used_online": 1_219,
            "surveys": 400_000, "survey_points": 6_900_000, "overall_satisfied": 371_000,
            "convenience_satisfied": 360_000, "complaints_due": 2_345, "complaints_on_time": 2_300,
            "fee_paid": 500_000, "fee_paid_online": 149_999}

cases = []


def case(cid, op, inp, expect):
    cases.append({"id": cid, "op": op, "input": inp, "expect": expect})


case("index-ward", "kpi.index", {"facts": WARD}, ward)
case("index-nothing", "kpi.index", {"facts": {}}, index({}))
case("index-progress-only", "kpi.index", {"facts": {"finished": 10, "finished_on_time": 10}},
     index({"finished": 10, "finished_on_time": 10}))
case("index-open-overdue-counts-against", "kpi.index",
     {"facts": {"finished": 10, "finished_on_time": 10, "open_overdue": 10}},
     index({"finished": 10, "finished_on_time": 10, "open_overdue": 10}))
case("index-payment-capped-at-its-points", "kpi.index", {"facts": {"fee_paid": 100, "fee_paid_online": 40}},
     index({"fee_paid": 100, "fee_paid_online": 40}))
case("index-province-year", "kpi.index", {"facts": PROVINCE}, index(PROVINCE))
custom = {"excellent": 8000, "good": 7000, "fair": 6000, "average": 4000}
case("index-custom-bands", "kpi.index", {"facts": WARD, "bands": custom}, index(WARD, custom))
case("index-unknown-fact", "kpi.index", {"facts": {"filed": 1, "filled": 2}}, {"error": "INVALID_INPUT"})
case("index-negative-fact", "kpi.index", {"facts": {"filed": -1}}, {"error": "INVALID_INPUT"})
case("index-bands-out-of-order", "kpi.index",
     {"facts": WARD, "bands": {"excellent": 8000, "good": 9000, "fair": 7000, "average": 5000}},
     {"error": "INVALID_INPUT", "detail": "INVALID_BANDS"})

for mx, num, den, thr in [(1, 1, 8, 100), (1, 1, 200, 100), (1, 1, 201, 100), (18, 2, 3, 90), (100, 10**18, 10**18, 1),
                          (10, 0, 5, 30), (12, 49, 100, 50), (12, 51, 100, 50)]:
    s = score(mx, num, den, thr)
    case(f"score-{mx}-{num}-{den}-{thr}", "kpi.score",
         {"max": mx, "numerator": num, "denominator": den, "threshold_pct": thr},
         {"na": True} if s is None else {"na": False, "score_centi": s})
for bad, detail in [({"max": 6, "numerator": 1, "denominator": 1, "threshold_pct": 0}, "INVALID_THRESHOLD"),
                    ({"max": 6, "numerator": 1, "denominator": 1, "threshold_pct": 101}, "INVALID_THRESHOLD"),
                    ({"max": 101, "numerator": 1, "denominator": 1, "threshold_pct": 50}, "INVALID_MAX")]:
    case(f"score-invalid-{detail.lower()}-{bad['threshold_pct']}", "kpi.score", bad,
         {"error": "INVALID_INPUT", "detail": detail})
case("score-negative", "kpi.score", {"max": 6, "numerator": -1, "denominator": 1, "threshold_pct": 50},
     {"error": "INVALID_INPUT"})
case("score-missing", "kpi.score", {"max": 6, "numerator": 1, "threshold_pct": 50}, {"error": "INVALID_INPUT"})
for total in [8000, 7999]:
    g, c = grade(total, custom)
    case(f"grade-custom-{total}", "kpi.grade", {"score_centi": total, "bands": custom}, {"grade": g, "colour": c})
case("grade-above-100", "kpi.grade", {"score_centi": 10001}, {"error": "INVALID_INPUT", "detail": "INVALID_SCORE"})
case("grade-negative", "kpi.grade", {"score_centi": -1}, {"error": "INVALID_INPUT"})

# satisfaction.check: the nine indicators of Circular 01/2018 (2/1/0) and the two questions.
ANSWERS = {"VERY_SATISFIED", "SATISFIED", "UNSATISFIED"}


def survey(indicators, convenience, overall):
    v = []
    if len(indicators) != 9:
        v.append({"path": "/indicators", "code": "COUNT"})
    v += [{"path": f"/indicators/{i}", "code": "SCORE"} for i, x in enumerate(indicators) if x not in (0, 1, 2)]
    v += [{"path": p, "code": "ANSWER"} for p, a in [("/convenience", convenience), ("/overall", overall)]
          if a not in ANSWERS]
    scores_ok = len(indicators) == 9 and all(x in (0, 1, 2) for x in indicators)
    return {"valid": not v, "violations": v, "points": sum(indicators) if scores_ok else 0}


for cid, ind, conv, over in [("all-two", [2] * 9, "VERY_SATISFIED", "VERY_SATISFIED"),
                             ("mixed", [0, 1, 2, 0, 1, 2, 0, 1, 2], "SATISFIED", "UNSATISFIED"),
                             ("eight", [2] * 8, "SATISFIED", "SATISFIED"),
                             ("bad-scores-and-answer", [2, 3, 2, 2, -1, 2, 2, 2, 2], "SATISFIED", "OK")]:
    case(f"survey-{cid}", "satisfaction.check", {"indicators": ind, "convenience": conv, "overall": over},
         survey(ind, conv, over))
case("survey-missing-question", "satisfaction.check", {"indicators": [2] * 9, "convenience": "SATISFIED"},
     {"error": "INVALID_INPUT"})

out = Path(__file__).resolve().parent.parent / "kpi.json"
out.write_text(json.dumps({"suite": "kpi", "description": "Decision 766: the whole index over event facts, the "
                           "edges of kpi.score and kpi.grade, and satisfaction.check", "cases": cases}, ensure_ascii=False, indent=1) + "\n")
print(f"{len(cases)} cases → {out}")
