"""Source of tests/vectors/fee-quote.json. Every expected amount below is computed by hand from the
rule it names (rulebook section 5 and the circulars), not copied from motcua's output."""
import json

CERT = {  # Circular 226/2016/TT-BTC: 2,000/page for pages 1-2, 1,000/page from page 3, max 200,000 per copy
    "procedure": "2.000815",
    "versions": [{
        "version": "TT226-2016", "valid_from": "2017-01-01",
        "items": [{
            "id": "phi-chung-thuc", "kind": "PHI",
            "name": {"vi": "Phí chứng thực bản sao từ bản chính", "en": "Certified copy fee"},
            "legal_basis": "Thông tư 226/2016/TT-BTC",
            "original_text": "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản.",
            "amount": {"sum_over": {"items": {"var": "documents"}, "amount": {"per_unit": {
                "quantity": {"var": "$item.copies"},
                "amount": {"tiered": {"quantity": {"var": "$item.pages"},
                                      "tiers": [{"up_to": 2, "unit_price": 2000}, {"unit_price": 1000}]},
                           "max": 200000}}}}}}]}]}

RESIDENCE = {  # Circular 75/2022/TT-BTC: 20,000 in person, 10,000 online
    "procedure": "1.004222",
    "versions": [{
        "version": "TT75-2022", "valid_from": "2023-01-01",
        "items": [{
            "id": "le-phi-thuong-tru", "kind": "LE_PHI",
            "name": {"vi": "Lệ phí đăng ký thường trú", "en": "Permanent residence registration charge"},
            "legal_basis": "Thông tư 75/2022/TT-BTC",
            "original_text": "Đăng ký thường trú: 20.000 đồng/lần đăng ký; nộp hồ sơ trực tuyến: 10.000 đồng/lần đăng ký.",
            "amount": {"fixed": 20000},
            "reductions": [{"id": "truc-tuyen", "channels": ["ONLINE"], "fixed_amount": 10000,
                            "legal_basis": "Thông tư 75/2022/TT-BTC"}],
            "exemptions": [{"categories": ["MERITORIOUS_PERSON", "POOR_HOUSEHOLD"],
                            "legal_basis": "Thông tư 75/2022/TT-BTC, Điều 4"}]}]}]}

LICENCE = {  # Circular 63/2023/TT-BTC: 135,000; 115,000 online from 2023-12-01 to 2025-12-31
    "procedure": "3.000346",
    "versions": [{
        "version": "TT63-2023", "valid_from": "2023-01-01",
        "items": [{
            "id": "le-phi-gplx", "kind": "LE_PHI",
            "name": {"vi": "Lệ phí cấp, đổi giấy phép lái xe", "en": "Driving licence charge"},
            "legal_basis": "Thông tư 63/2023/TT-BTC (mức 135.000 đồng theo PROCEDURES.md)",
            "original_text": "Cấp mới, cấp lại, cấp đổi giấy phép lái xe: 135.000 đồng/lần.",
            "amount": {"fixed": 135000},
            "reductions": [{"id": "truc-tuyen-2024-2025", "channels": ["ONLINE"], "fixed_amount": 115000,
                            "valid_from": "2023-12-01", "valid_to": "2025-12-31",
                            "legal_basis": "Thông tư 63/2023/TT-BTC"}]}]}]}


def item(id_, amount, **extra):
    out = {"id": id_, "kind": "LE_PHI", "name": {"vi": "Khoản " + id_, "en": "Item " + id_},
           "legal_basis": "Nghị quyết mẫu (kiểm thử)", "original_text": "Văn bản mẫu.", "amount": amount}
    out.update(extra)
    return out


def sched(*items, versions=None):
    if versions is not None:
        return {"procedure": "9.999999", "versions": versions}
    return {"procedure": "9.999999", "versions": [{"version": "v1", "valid_from": "2020-01-01", "items": list(items)}]}


def ctx(date="2026-11-23", channel="IN_PERSON", categories=None):
    c = {"date": date, "channel": channel}
    if categories is not None:
        c["categories"] = categories
    return c


cases = []


def q(id_, schedule, data, context, **expect):
    cases.append({"id": id_, "op": "fee.quote", "input": {"schedule": schedule, "data": data, "context": context},
                  "expect": expect})


def per_copy(pages):  # hand formula for the certified-copy rule, per copy
    return min(200000, 2000 * min(pages, 2) + 1000 * max(pages - 2, 0))


# Certified copies: pages 1..3, the 199/200/201-page boundary of the cap, several documents.
for pages, copies in [(1, 1), (2, 1), (3, 1), (5, 2), (10, 3), (198, 1), (199, 1), (200, 1), (300, 2), (2, 50)]:
    total = per_copy(pages) * copies
    q(f"cert-{pages}p-{copies}c", CERT, {"documents": [{"pages": pages, "copies": copies}]}, ctx(), total=total,
      lines=[{"item": "phi-chung-thuc", "amount": total}], version="TT226-2016")
q("cert-two-documents", CERT, {"documents": [{"pages": 1, "copies": 3}, {"pages": 5, "copies": 2}]}, ctx(),
  total=3 * 2000 + 2 * 7000)
q("cert-no-documents", CERT, {"documents": []}, ctx(), total=0)
q("cert-missing-documents-is-zero", CERT, {}, ctx(), total=0)
q("cert-bad-pages", CERT, {"documents": [{"pages": "ba", "copies": 1}]}, ctx(), error="INVALID_QUANTITY")
q("cert-negative-copies", CERT, {"documents": [{"pages": 2, "copies": -1}]}, ctx(), error="INVALID_QUANTITY")
q("cert-before-circular", CERT, {"documents": [{"pages": 1, "copies": 1}]}, ctx("2016-12-31"), error="NO_SCHEDULE_VERSION")
q("cert-first-day-of-circular", CERT, {"documents": [{"pages": 1, "copies": 1}]}, ctx("2017-01-01"), total=2000)

# Permanent residence: channel and exemptions.
q("residence-in-person", RESIDENCE, {}, ctx(channel="IN_PERSON"), total=20000)
q("residence-online", RESIDENCE, {}, ctx(channel="ONLINE"), total=10000)
q("residence-postal", RESIDENCE, {}, ctx(channel="POSTAL"), total=20000)
q("residence-meritorious-exempt", RESIDENCE, {}, ctx(channel="IN_PERSON", categories=["MERITORIOUS_PERSON"]), total=0)
q("residence-poor-online-exempt", RESIDENCE, {}, ctx(channel="ONLINE", categories=["POOR_HOUSEHOLD"]), total=0)
q("residence-other-category", RESIDENCE, {}, ctx(channel="ONLINE", categories=["CHILD_UNDER_6"]), total=10000)

# Driving licence: the effective-dated online reduction and its edges; an instant is converted to VN time.
for date, channel, total in [("2023-11-30", "ONLINE", 135000), ("2023-12-01", "ONLINE", 115000),
                             ("2024-06-15", "ONLINE", 115000), ("2025-12-31", "ONLINE", 115000),
                             ("2026-01-01", "ONLINE", 135000), ("2024-06-15", "IN_PERSON", 135000),
                             ("2024-06-15", "POSTAL", 135000)]:
    q(f"licence-{date}-{channel.lower()}", LICENCE, {}, ctx(date, channel), total=total)
q("licence-instant-late-on-31-dec-utc-is-1-jan-in-vietnam", LICENCE, {}, ctx("2025-12-31T18:00:00Z", "ONLINE"), total=135000)
q("licence-instant-morning-31-dec", LICENCE, {}, ctx("2025-12-31T08:00:00+07:00", "ONLINE"), total=115000)

# Rounding: each line to a whole đồng, halves up, after its own reductions.
half = [{"id": "n", "percent": 50, "legal_basis": "Nghị quyết mẫu"}]
for base, expected in [(15, 8), (7, 4), (1, 1), (3, 2), (10001, 5001), (20000, 10000)]:
    q(f"round-half-of-{base}", sched(item("a", {"fixed": base}, reductions=half)), {}, ctx(), total=expected)
q("round-third-off-of-100", sched(item("a", {"fixed": 100}, reductions=[{"id": "r", "percent": 33.5, "legal_basis": "x"}])), {}, ctx(), total=67)
q("round-each-line-then-sum", sched(item("a", {"fixed": 15}, reductions=half), item("b", {"fixed": 15}, reductions=half)), {}, ctx(), total=16)
q("round-fractional-quantity", sched(item("a", {"per_unit": {"quantity": {"var": "area"}, "amount": {"fixed": 3}}})), {"area": 12.5}, ctx(), total=38)
q("round-fractional-down", sched(item("a", {"per_unit": {"quantity": {"var": "area"}, "amount": {"fixed": 3}}})), {"area": 12.1}, ctx(), total=36)

# Amount rules.
q("per-unit", sched(item("a", {"per_unit": {"quantity": {"var": "n"}, "amount": {"fixed": 8000}}})), {"n": 3}, ctx(), total=24000)
q("per-unit-zero", sched(item("a", {"per_unit": {"quantity": {"var": "n"}, "amount": {"fixed": 8000}}})), {"n": 0}, ctx(), total=0)
tiers = {"tiered": {"quantity": {"var": "m2"}, "tiers": [{"up_to": 100, "unit_price": 100}, {"up_to": 500, "unit_price": 50}, {"unit_price": 10}]}}
for m2, expected in [(50, 5000), (100, 10000), (101, 10050), (500, 30000), (600, 31000)]:
    q(f"tiered-{m2}", sched(item("a", tiers)), {"m2": m2}, ctx(), total=expected)
q("min-floor", sched(item("a", {"per_unit": {"quantity": {"var": "n"}, "amount": {"fixed": 1000}}, "min": 5000})), {"n": 2}, ctx(), total=5000)
q("max-cap", sched(item("a", {"per_unit": {"quantity": {"var": "n"}, "amount": {"fixed": 1000}}, "max": 5000})), {"n": 9}, ctx(), total=5000)
q("formula", sched(item("a", {"formula": {"if": [{"==": [{"var": "kind"}, "CAP_LAI"]}, 70000, 50000]}})), {"kind": "CAP_LAI"}, ctx(), total=70000)
q("formula-else", sched(item("a", {"formula": {"if": [{"==": [{"var": "kind"}, "CAP_LAI"]}, 70000, 50000]}})), {"kind": "DOI"}, ctx(), total=50000)
q("applies-if-skips-line", sched(item("a", {"fixed": 30000}, applies_if={"var": "first_time"}), item("b", {"fixed": 5000})), {"first_time": False}, ctx(), total=5000, lines=[{"item": "b", "amount": 5000}])
q("applies-if-keeps-line", sched(item("a", {"fixed": 30000}, applies_if={"var": "first_time"}), item("b", {"fixed": 5000})), {"first_time": True}, ctx(), total=35000)
q("two-reductions-compound", sched(item("a", {"fixed": 100000}, reductions=[{"id": "r1", "percent": 50, "legal_basis": "x"}, {"id": "r2", "channels": ["ONLINE"], "percent": 10, "legal_basis": "y"}])), {}, ctx(channel="ONLINE"), total=45000)
q("category-reduction", sched(item("a", {"fixed": 100000}, reductions=[{"id": "r", "categories": ["PERSON_WITH_DISABILITY"], "percent": 50, "legal_basis": "x"}])), {}, ctx(categories=["PERSON_WITH_DISABILITY"]), total=50000)
q("exemption-window-closed", sched(item("a", {"fixed": 100000}, exemptions=[{"categories": ["POOR_HOUSEHOLD"], "valid_to": "2025-12-31", "legal_basis": "x"}])), {}, ctx(categories=["POOR_HOUSEHOLD"]), total=100000)
q("free-version", {"procedure": "1.001193", "versions": [{"version": "v", "valid_from": "2016-01-01", "free": {"legal_basis": "Luật Hộ tịch 2014, Điều 11"}}]}, {}, ctx(), total=0, lines=[], free="Luật Hộ tịch 2014, Điều 11")
two_versions = [
    {"version": "old", "valid_from": "2020-01-01", "valid_to": "2026-06-30", "items": [item("a", {"fixed": 10000})]},
    {"version": "new", "valid_from": "2026-07-01", "items": [item("a", {"fixed": 12000})]},
]
q("version-old", sched(versions=two_versions), {}, ctx("2026-06-30"), version="old", total=10000)
q("version-new", sched(versions=two_versions), {}, ctx("2026-07-01"), version="new", total=12000)

# Schedules that do not load.
E = "INVALID_SCHEDULE"
q("bad-empty-items-is-not-free", sched(versions=[{"version": "v", "valid_from": "2020-01-01", "items": []}]), {}, ctx(), error=E, detail="EMPTY_SCHEDULE")
q("bad-overlapping-versions", sched(versions=[{"version": "a", "valid_from": "2020-01-01", "items": [item("a", {"fixed": 1})]}, {"version": "b", "valid_from": "2021-01-01", "items": [item("a", {"fixed": 1})]}]), {}, ctx(), error=E, detail="OVERLAPPING_VERSIONS", path="/versions/1")
q("bad-percent", sched(item("a", {"fixed": 1}, reductions=[{"id": "r", "percent": 150, "legal_basis": "x"}])), {}, ctx(), error=E, detail="MALFORMED", path="/versions/0/items/0/reductions/0/percent")
q("bad-negative-fixed", sched(item("a", {"fixed": -5})), {}, ctx(), error=E, detail="MALFORMED", path="/versions/0/items/0/amount/fixed")
q("bad-unknown-amount", sched(item("a", {"lump": 5})), {}, ctx(), error=E, detail="UNKNOWN_KEY", path="/versions/0/items/0/amount/lump")
q("bad-logic", sched(item("a", {"formula": {"pow": [2, 3]}})), {}, ctx(), error=E, detail="INVALID_LOGIC", path="/versions/0/items/0/amount/formula")
q("bad-kind", sched(dict(item("a", {"fixed": 1}), kind="TAX")), {}, ctx(), error=E, detail="MALFORMED", path="/versions/0/items/0/kind")
q("bad-missing-legal-basis", sched({k: v for k, v in item("a", {"fixed": 1}).items() if k != "legal_basis"}), {}, ctx(), error=E, detail="MALFORMED", path="/versions/0/items/0/legal_basis")
q("bad-tiers-order", sched(item("a", {"tiered": {"quantity": 1, "tiers": [{"up_to": 5, "unit_price": 1}, {"up_to": 3, "unit_price": 1}]}})), {}, ctx(), error=E, detail="MALFORMED")
q("bad-currency", {"procedure": "9.999999", "currency": "USD", "versions": []}, {}, ctx(), error=E, detail="MALFORMED", path="/currency")
q("bad-channel", RESIDENCE, {}, {"date": "2026-11-23", "channel": "FAX"}, error="INVALID_INPUT")
q("bad-date", RESIDENCE, {}, {"date": "23/11/2026", "channel": "ONLINE"}, error="INVALID_INPUT")

json.dump({"suite": "fee-quote", "description": "fee.quote: the rulebook's section 5 examples, amount rules, rounding, versions and schedule errors (hand-computed)", "cases": cases},
          open("../fee-quote.json", "w"), ensure_ascii=False, indent=1)
print(len(cases), "fee cases")
