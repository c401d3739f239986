"""The UniFFI binding's typed functions, as a mobile app calls them (through the Python binding)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generated", "python"))
import motcua  # noqa: E402


class TypedApi(unittest.TestCase):
    def test_an_identifier_is_normalized_and_an_invalid_one_is_an_answer(self):
        ok = motcua.validate_identifier(motcua.IdentifierInput(kind=motcua.IdKind.PHONE, value="+84 912 345 678"))
        self.assertTrue(ok.valid)
        self.assertEqual(ok.normalized, "0912345678")
        bad = motcua.validate_identifier(
            motcua.IdentifierInput(kind=motcua.IdKind.CCCD, value="001199012345", gender=motcua.Gender.MALE)
        )
        self.assertFalse(bad.valid)
        self.assertEqual(bad.code, "MISMATCH")

    def test_routing_and_the_code_are_the_servers(self):
        # The core's own records (AgencyRef) and the op's (RouteInput), as a phone builds them.
        agencies = [
            motcua.AgencyRef(id=1, agency_type="UBND_XA", unit_code="26734"),
            motcua.AgencyRef(id=3, agency_type="CONG_AN_TINH", unit_code="26"),
        ]
        r = motcua.route_dossier(motcua.RouteInput(agencies=agencies, agency_type="CONG_AN_TINH", receiving_id=1))
        self.assertEqual((r.receiving_id, r.competent_id), (1, 3))
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.route_dossier(
                motcua.RouteInput(agencies=agencies, agency_type="UBND_XA", receiving_id=1, competent_id=3)
            )
        self.assertEqual(raised.exception.code, "NOT_COMPETENT")
        c = motcua.dossier_code(
            motcua.CodeInput(unit="000.00.38.H56", entered_at="2025-11-30T17:30:00Z", sequence=42)
        )
        self.assertEqual((c.code, c.day), ("000.00.38.H56-251201-0042", "2025-12-01"))

    def test_a_refused_transition_raises_with_the_tables_code(self):
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.transition(
                motcua.TransitionInput(
                    status=motcua.Status.RETURNED, action=motcua.Action.WITHDRAW, role=motcua.Role.APPLICANT,
                    received=True, supplement_count=0, redate_count=0, reason="Không cần nữa",
                )
            )
        self.assertEqual(raised.exception.code, "TERMINAL_STATE")
        self.assertIn("kết thúc", raised.exception.message)
        nxt = motcua.transition(
            motcua.TransitionInput(
                status=motcua.Status.SUPPLEMENT_REQUESTED, action=motcua.Action.SUPPLEMENT,
                role=motcua.Role.APPLICANT, received=True, supplement_count=1, redate_count=0,
            )
        )
        self.assertEqual(nxt, motcua.Status.PROCESSING)

    def test_bad_input_raises_invalid_input_with_detail(self):
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.days_off(2300, None)
        self.assertEqual(raised.exception.code, "INVALID_INPUT")
        self.assertEqual(raised.exception.detail, "OUT_OF_RANGE")
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.lunar_to_solar(motcua.LunarDate(year=2026, month=1, day=1, leap=True))
        self.assertEqual(raised.exception.code, "INVALID_DATE")

    def test_a_due_date_with_custom_office_hours_and_a_pause(self):
        due = motcua.due_date(
            motcua.DueInput(
                received_at="2027-03-01T10:00:00+07:00",
                duration=motcua.ProcessingTime(value=1, unit=motcua.DurationUnit.WORKING_DAYS),
                calendar=motcua.CalendarSpec(
                    rules_only=True,
                    office_hours=[motcua.OfficeSession(open="07:30", close="11:30"),
                                  motcua.OfficeSession(open="13:30", close="17:00")],
                ),
                pauses=[motcua.Pause(start="2027-03-01T13:30:00+07:00", end="2027-03-01T14:30:00+07:00")],
            )
        )
        self.assertEqual(due.due_at, "2027-03-02T11:00:00+07:00")
        self.assertEqual(due.paused_seconds, 3600)

    def test_calendar_answers_match_the_server(self):
        self.assertEqual(motcua.lunar_from_solar("2026-02-17"), motcua.LunarDate(year=2026, month=1, day=1, leap=False))
        self.assertEqual(motcua.lunar_to_solar(motcua.LunarDate(year=2030, month=1, day=1, leap=False)), "2030-02-02")
        self.assertTrue(motcua.is_working_day("2026-01-10", None).working)
        off = motcua.days_off(2026, motcua.CalendarSpec(rules_only=True))
        self.assertEqual(len(off.days_off), 13)
        self.assertEqual(off.names[0], "Tết Dương lịch")

    def test_unknown_operations_are_refused(self):
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.run_operation("fee.teleport", "{}")
        self.assertEqual(raised.exception.code, "UNKNOWN_OPERATION")
        self.assertIn("deadline.due", motcua.operations())


if __name__ == "__main__":
    unittest.main()


class FormsAndFees(unittest.TestCase):
    ENTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "catalog", "procedures", "2.000815.json")

    def setUp(self):
        import json
        with open(self.ENTRY, encoding="utf-8") as f:
            self.entry = json.load(f)
        self.json = json

    def test_a_loaded_form_validates_the_catalogue_samples(self):
        form = motcua.Form(self.json.dumps(self.entry["form"]))
        self.assertEqual(form.procedure(), "2.000815")
        ok = form.validate(self.json.dumps(self.entry["samples"]["valid"]["data"]), '{"today": "2026-11-23"}')
        self.assertTrue(ok.valid)
        self.assertEqual(self.json.loads(ok.computed_json), {"/total_pages": 13})
        bad = form.validate(self.json.dumps(self.entry["samples"]["invalid"]["data"]), None)
        got = sorted(f"{v.code}@{v.path}" for v in bad.violations)
        self.assertEqual(got, sorted(self.entry["samples"]["invalid"]["expect"]))
        self.assertTrue(all(v.message_vi and v.message_en for v in bad.violations))

    def test_a_form_typed_into_answers_as_validating_afresh(self):
        # The form checks again only what changed since its last validation; every answer must be
        # the one a fresh validation gives (typing letter by letter, a field emptied, the same
        # text twice, a text that is not JSON, another day).
        definition = self.json.dumps(self.entry["form"])
        form = motcua.Form(definition)
        def strings(value, path):
            if isinstance(value, str):
                yield path
            elif isinstance(value, (dict, list)):
                items = value.items() if isinstance(value, dict) else enumerate(value)
                for key, inner in items:
                    yield from strings(inner, path + [key])

        def cut_at(data, path, cut):
            copy = self.json.loads(self.json.dumps(data))
            parent = copy
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = parent[path[-1]][:cut]
            return copy

        texts = []
        for sample in ("valid", "invalid"):
            data = self.entry["samples"][sample]["data"]
            for path in strings(data, []):
                value = cut_at(data, path, None)
                for key in path:
                    value = value[key]
                for cut in range(len(value), -1, -3):
                    texts.append(cut_at(data, path, cut))
            texts.append(data)
            texts.append(data)
        contexts = ['{"today": "2026-11-23"}', '{"today": "2027-01-04"}', None]
        checked = 0
        for i, data in enumerate(texts):
            text = self.json.dumps(data, ensure_ascii=False)
            context = contexts[(i // 7) % len(contexts)]
            got = form.validate(text, context)
            want = motcua.validate_form(definition, text, context)
            self.assertEqual(got.valid, want.valid)
            self.assertEqual(self.json.loads(got.computed_json), self.json.loads(want.computed_json))
            self.assertEqual(
                [(v.path, v.code, v.message_vi, v.message_en) for v in got.violations],
                [(v.path, v.code, v.message_vi, v.message_en) for v in want.violations],
            )
            checked += 1
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            form.validate("{not json", None)
        self.assertEqual(raised.exception.code, "INVALID_INPUT")
        again = form.validate(self.json.dumps(texts[0]), contexts[0])
        self.assertEqual(again.valid, motcua.validate_form(definition, self.json.dumps(texts[0]), contexts[0]).valid)
        self.assertGreater(checked, 20)

    def test_a_broken_definition_raises_with_its_reason(self):
        broken = dict(self.entry["form"], schema={"type": "object", "patternProperties": {}})
        with self.assertRaises(motcua.MotcuaError.Failed) as raised:
            motcua.Form(self.json.dumps(broken))
        self.assertEqual(raised.exception.code, "INVALID_DEFINITION")
        self.assertEqual(raised.exception.detail, "UNSUPPORTED_KEYWORD")

    def test_fees_are_quoted_per_page_with_the_cap(self):
        quote = motcua.quote_fee(
            self.json.dumps(self.entry["fees"]),
            self.json.dumps({"documents": [{"pages": 300, "copies": 2}, {"pages": 3, "copies": 1}]}),
            motcua.QuoteContext(date="2026-11-23", channel=motcua.Channel.ONLINE),
        )
        self.assertEqual(quote.total, 2 * 200000 + 5000)
        self.assertEqual(quote.version, "TT226-2016")
        self.assertEqual(quote.details[0].kind, "PHI")
