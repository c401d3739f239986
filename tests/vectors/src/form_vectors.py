"""Source of tests/vectors/form-validate.json. Each expected violation list is written by hand from
the keyword's meaning (JSON Schema 2020-12, JSON Logic, catalog/README.md), not copied from
motcua's output."""
import json
import glob
import os

cases = []


def form(schema, fields=None, rules=None, computed=None):
    d = {"form": "9.999999", "version": "t1", "title": {"vi": "Biểu mẫu thử", "en": "Test form"}, "schema": schema}
    if fields is not None:
        d["fields"] = fields
    if rules is not None:
        d["rules"] = rules
    if computed is not None:
        d["computed"] = computed
    return d


def v(id_, definition, data, violations, context=None, **extra):
    inp = {"definition": definition, "data": data}
    if context is not None:
        inp["context"] = context
    expect = {"valid": not violations, "violations": [{"path": p, "code": c} for c, p in sorted(violations, key=lambda x: (x[1], x[0]))]}
    expect.update(extra)
    cases.append({"id": id_, "op": "form.validate", "input": inp, "expect": expect})


def bad(id_, definition, detail, path):
    cases.append({"id": id_, "op": "form.validate", "input": {"definition": definition, "data": {}},
                  "expect": {"error": "INVALID_DEFINITION", "detail": detail, "path": path}})


def obj(props, required=(), additional=False):
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": additional}


S = {"type": "string"}
# type
v("type-string-ok", form(obj({"a": S})), {"a": "x"}, [])
v("type-string-number", form(obj({"a": S})), {"a": 1}, [("TYPE", "/a")])
v("type-integer-float", form(obj({"a": {"type": "integer"}})), {"a": 1.5}, [("TYPE", "/a")])
v("type-integer-2.0", form(obj({"a": {"type": "integer"}})), {"a": 2.0}, [])
v("type-number-int", form(obj({"a": {"type": "number"}})), {"a": 3}, [])
v("type-nullable", form(obj({"a": {"type": ["string", "null"]}})), {"a": None}, [])
v("type-boolean-string", form(obj({"a": {"type": "boolean"}})), {"a": "true"}, [("TYPE", "/a")])
v("type-root-array", form(obj({})), [], [("TYPE", "")])
# required / additionalProperties
v("required-missing", form(obj({"a": S, "b": S}, ["a", "b"])), {"a": "x"}, [("FIELD_REQUIRED", "/b")])
v("required-both-missing", form(obj({"a": S, "b": S}, ["a", "b"])), {}, [("FIELD_REQUIRED", "/a"), ("FIELD_REQUIRED", "/b")])
v("unknown-field", form(obj({"a": S})), {"a": "x", "z": 1}, [("UNKNOWN_FIELD", "/z")])
v("additional-schema", form(obj({}, additional={"type": "integer"})), {"x": 1, "y": "n"}, [("TYPE", "/y")])
v("additional-true", form(obj({}, additional=True)), {"x": [1]}, [])
v("dependent-required", form({"type": "object", "dependentRequired": {"phone": ["phone_owner"]}}), {"phone": "1"}, [("FIELD_REQUIRED", "/phone_owner")])
v("min-properties", form({"type": "object", "minProperties": 2}), {"a": 1}, [("TOO_FEW_PROPERTIES", "")])
v("max-properties", form({"type": "object", "maxProperties": 1}), {"a": 1, "b": 2}, [("TOO_MANY_PROPERTIES", "")])
# strings
L = obj({"a": {"type": "string", "minLength": 2, "maxLength": 4}})
v("length-ok", form(L), {"a": "ab"}, [])
v("too-short", form(L), {"a": "a"}, [("TOO_SHORT", "/a")])
v("too-long", form(L), {"a": "abcde"}, [("TOO_LONG", "/a")])
v("length-counts-characters-not-bytes", form(L), {"a": "Đạt"}, [])
v("too-long-vietnamese", form(L), {"a": "Nguyễn"}, [("TOO_LONG", "/a")])
P = obj({"a": {"type": "string", "pattern": "^[0-9]{5}$"}})
v("pattern-ok", form(P), {"a": "70000"}, [])
v("pattern-fail", form(P), {"a": "7000a"}, [("PATTERN", "/a")])
v("pattern-unanchored", form(obj({"a": {"type": "string", "pattern": "[0-9]"}})), {"a": "abc1"}, [])
# formats
F = lambda f: form(obj({"a": {"type": "string", "format": f}}))
for value, codes in [("001099012345", []), ("00109901234", ["LENGTH"]), ("003099012345", ["PROVINCE"]), ("001699012345", ["CENTURY"]), ("0010990123a5", ["FORMAT"])]:
    v(f"format-cccd-{value}", F("vn-cccd"), {"a": value}, [(c, "/a") for c in codes])
for value, codes in [("0912345678", []), ("+84 912 345 678", []), ("0951234567", ["PREFIX"]), ("01234567890", ["PREFIX"]), ("091234567", ["LENGTH"]), ("028 3829 1234", [])]:
    v(f"format-phone-{value}", F("vn-phone"), {"a": value}, [(c, "/a") for c in codes])
for value, codes in [("0100109106", []), ("0100109107", ["CHECKSUM"]), ("0100109106-001", []), ("0100109106-000", ["FORMAT"]), ("001099012345", []), ("01001091", ["LENGTH"])]:
    v(f"format-mst-{value}", F("vn-mst"), {"a": value}, [(c, "/a") for c in codes])
for value, codes in [("a@b.vn", []), ("a@b", ["FORMAT"]), ("", ["EMPTY"])]:
    v(f"format-email-{value or 'empty'}", F("vn-email"), {"a": value}, [(c, "/a") for c in codes])
for value, codes in [("2028-02-29", []), ("2026-02-29", ["FORMAT"]), ("22/11/2026", ["FORMAT"])]:
    v(f"format-date-{value.replace('/', '-')}", F("date"), {"a": value}, [(c, "/a") for c in codes])
v("format-ignores-non-strings", form(obj({"a": {"format": "vn-cccd"}})), {"a": 5}, [])
# numbers
N = obj({"n": {"type": "integer", "minimum": 1, "maximum": 10, "multipleOf": 2}})
v("number-ok", form(N), {"n": 4}, [])
v("number-below", form(N), {"n": 0}, [("BELOW_MINIMUM", "/n")])
v("number-above", form(N), {"n": 12}, [("ABOVE_MAXIMUM", "/n")])
v("number-not-multiple", form(N), {"n": 3}, [("NOT_MULTIPLE", "/n")])
v("number-below-and-not-multiple", form(N), {"n": -1}, [("BELOW_MINIMUM", "/n"), ("NOT_MULTIPLE", "/n")])
X = obj({"n": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}})
v("exclusive-min-edge", form(X), {"n": 0}, [("BELOW_MINIMUM", "/n")])
v("exclusive-max-edge", form(X), {"n": 100}, [("ABOVE_MAXIMUM", "/n")])
v("exclusive-inside", form(X), {"n": 99.5}, [])
# enum / const
E = obj({"kind": {"enum": ["CAP_MOI", "CAP_DOI", "CAP_LAI"]}, "agree": {"const": True}})
v("enum-ok", form(E), {"kind": "CAP_DOI", "agree": True}, [])
v("enum-fail", form(E), {"kind": "cap_doi"}, [("ENUM", "/kind")])
v("const-fail", form(E), {"agree": False}, [("CONST", "/agree")])
v("enum-numbers-compare-by-value", form(obj({"n": {"enum": [1, 2]}})), {"n": 1.0}, [])
# arrays
A = obj({"xs": {"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": True, "items": {"type": "integer"}}})
v("array-ok", form(A), {"xs": [1, 2]}, [])
v("array-empty", form(A), {"xs": []}, [("TOO_FEW_ITEMS", "/xs")])
v("array-too-many", form(A), {"xs": [1, 2, 3, 4]}, [("TOO_MANY_ITEMS", "/xs")])
v("array-duplicates", form(A), {"xs": [1, 1]}, [("DUPLICATE_ITEMS", "/xs")])
v("array-item-type", form(A), {"xs": [1, "2"]}, [("TYPE", "/xs/1")])
# combinators
v("anyof-ok", form(obj({"c": {"anyOf": [{"type": "string", "format": "vn-cccd"}, {"type": "string", "format": "vn-cmnd"}]}})), {"c": "012345678"}, [])
v("anyof-fail", form(obj({"c": {"anyOf": [{"type": "string", "format": "vn-cccd"}, {"type": "string", "format": "vn-cmnd"}]}})), {"c": "0123"}, [("NO_MATCH", "/c")])
O = obj({"n": {"oneOf": [{"type": "integer", "minimum": 5}, {"type": "integer", "maximum": 10}]}})
v("oneof-one", form(O), {"n": 20}, [])
v("oneof-both", form(O), {"n": 7}, [("MULTIPLE_MATCH", "/n")])
v("not", form(obj({"s": {"type": "string", "not": {"enum": ["admin"]}}})), {"s": "admin"}, [("NOT_ALLOWED", "/s")])
IF = {"type": "object", "properties": {"kind": S, "old_number": S},
      "if": {"properties": {"kind": {"const": "CAP_DOI"}}, "required": ["kind"]},
      "then": {"required": ["old_number"]}}
v("if-then-applies", form(IF), {"kind": "CAP_DOI"}, [("FIELD_REQUIRED", "/old_number")])
v("if-then-does-not-apply", form(IF), {"kind": "CAP_MOI"}, [])
v("allof-collects-all", form({"allOf": [{"required": ["a"]}, {"required": ["b"]}]}), {}, [("FIELD_REQUIRED", "/a"), ("FIELD_REQUIRED", "/b")])
v("ref-to-defs", form({"type": "object", "properties": {"p": {"$ref": "#/$defs/person"}},
                       "$defs": {"person": obj({"name": {"type": "string", "minLength": 2}}, ["name"])}}),
  {"p": {"name": "A"}}, [("TOO_SHORT", "/p/name")])
v("boolean-false-schema", form(obj({"a": False})), {"a": 1}, [("NOT_ALLOWED", "/a")])
# rules, conditions, computed values, groups
person = obj({"name": {"type": "string"}, "birth": {"type": "string", "format": "date"}, "relation": {"enum": ["CHU_HO", "VO", "CON"]}}, ["name"])
G = obj({"members": {"type": "array", "items": person}, "head_name": S, "count": {"type": "integer"}})
rule_age = {"id": "adult", "path": "/members/*/birth", "when": {"==": [{"var": "$item.relation"}, "VO"]},
            "logic": {">=": [{"age_years": [{"var": "$item.birth"}, {"var": "$context.today"}]}, 18]},
            "code": "SPOUSE_UNDER_18", "message": {"vi": "vợ/chồng phải đủ 18 tuổi.", "en": "a spouse must be 18."}}
head_rule = {"id": "one-head", "path": "/members", "logic": {"==": [{"length": [{"filter": [{"var": "members"}, {"==": [{"var": "relation"}, "CHU_HO"]}]}]}, 1]},
             "code": "ONE_HOUSEHOLD_HEAD", "message": {"vi": "phải có đúng một chủ hộ.", "en": "exactly one household head."}}
Gdef = form(G, fields={"/members/*/relation": {"label": {"vi": "Quan hệ", "en": "Relation"}, "required_if": {"var": "$item.name"}},
                       "/head_name": {"label": {"vi": "Tên chủ hộ", "en": "Head's name"}, "visible_if": {"!": [{"var": "members"}]}}},
            rules=[rule_age, head_rule], computed=[{"path": "/count", "logic": {"length": [{"var": "members"}]}}])
today = {"today": "2026-11-23"}
v("group-ok", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "Bình", "relation": "VO", "birth": "1990-01-01"}]}, [], today, computed={"/count": 2})
v("group-spouse-under-18", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "Bình", "relation": "VO", "birth": "2010-01-01"}]}, [("SPOUSE_UNDER_18", "/members/1/birth")], today)
v("group-18th-birthday-is-18", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "Bình", "relation": "VO", "birth": "2008-11-23"}]}, [], today)
v("group-day-before-18th-birthday", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "Bình", "relation": "VO", "birth": "2008-11-24"}]}, [("SPOUSE_UNDER_18", "/members/1/birth")], today)
v("group-no-head", Gdef, {"members": [{"name": "An", "relation": "CON"}]}, [("ONE_HOUSEHOLD_HEAD", "/members")], today)
v("group-required-if-per-item", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "Cúc"}]}, [("FIELD_REQUIRED", "/members/1/relation")], today)
v("group-rule-skipped-when-field-invalid", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}, {"name": "B", "relation": "VO", "birth": "1.1.2010"}]}, [("FORMAT", "/members/1/birth")], today)
v("hidden-field-dropped", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}], "head_name": 42}, [], today)
v("visible-field-checked", Gdef, {"members": [], "head_name": 42}, [("ONE_HOUSEHOLD_HEAD", "/members"), ("TYPE", "/head_name")], today)
v("computed-overrides-client-value", Gdef, {"members": [{"name": "An", "relation": "CHU_HO"}], "count": 99}, [], today, computed={"/count": 1})
chan = form(obj({"delivery": {"enum": ["ONLINE", "DESK", "POST"]}, "address": S}),
            fields={"/address": {"label": {"vi": "Địa chỉ nhận", "en": "Delivery address"}, "required_if": {"==": [{"var": "delivery"}, "POST"]}}},
            rules=[{"id": "online-only-online", "path": "/delivery", "when": {"==": [{"var": "$context.channel"}, "ONLINE"]},
                    "logic": {"!=": [{"var": "delivery"}, "DESK"]}, "code": "DELIVERY_NOT_AVAILABLE",
                    "message": {"vi": "hồ sơ trực tuyến không nhận kết quả tại quầy.", "en": "online dossiers do not collect at the desk."}}])
v("required-if-true", chan, {"delivery": "POST"}, [("FIELD_REQUIRED", "/address")])
v("required-if-blank-string", chan, {"delivery": "POST", "address": "  "}, [("FIELD_REQUIRED", "/address")])
v("required-if-false", chan, {"delivery": "ONLINE"}, [])
v("context-channel-rule", chan, {"delivery": "DESK"}, [("DELIVERY_NOT_AVAILABLE", "/delivery")], {"channel": "ONLINE"})
v("context-channel-rule-in-person", chan, {"delivery": "DESK"}, [], {"channel": "IN_PERSON"})
# definitions that do not load
bad("bad-unsupported-keyword", form(obj({"a": {"type": "string", "contentMediaType": "text/html"}})), "UNSUPPORTED_KEYWORD", "/schema/properties/a/contentMediaType")
bad("bad-unknown-format", form(obj({"a": {"type": "string", "format": "uri"}})), "UNKNOWN_FORMAT", "/schema/properties/a/format")
bad("bad-pattern", form(obj({"a": {"type": "string", "pattern": "([0-9]"}})), "INVALID_PATTERN", "/schema/properties/a/pattern")
bad("bad-ref", form({"$ref": "#/$defs/nope"}), "UNRESOLVED_REF", "/schema/$ref")
bad("bad-ref-cycle", form({"$defs": {"a": {"$ref": "#/$defs/a"}}}), "REF_CYCLE", "/schema/$defs/a")
bad("bad-logic-operator", form(obj({"a": S}), rules=[{"id": "r", "path": "/a", "logic": {"regex": ["a", "b"]}, "code": "X", "message": {"vi": "x", "en": "x"}}]), "INVALID_LOGIC", "/rules/0/logic")
bad("bad-rule-path", form(obj({"a": S}), rules=[{"id": "r", "path": "/b", "logic": True, "code": "X", "message": {"vi": "x", "en": "x"}}]), "UNKNOWN_FIELD", "/rules/0/path")
bad("bad-field-path", form(obj({"a": S}), fields={"/nope": {"label": {"vi": "x", "en": "x"}}}), "UNKNOWN_FIELD", "/fields/~1nope")
bad("bad-label-missing-vietnamese", form(obj({"a": S}), fields={"/a": {"label": {"en": "A"}}}), "MALFORMED", "/fields/~1a/label/vi")
bad("bad-rule-code", form(obj({"a": S}), rules=[{"id": "r", "path": "/a", "logic": True, "code": "bad code", "message": {"vi": "x", "en": "x"}}]), "MALFORMED", "/rules/0/code")
bad("bad-duplicate-rule", form(obj({"a": S}), rules=[{"id": "r", "path": "/a", "logic": True, "code": "X", "message": {"vi": "x", "en": "x"}}] * 2), "DUPLICATE", "/rules/1/id")
bad("bad-top-level-key", dict(form(obj({})), layout={}), "UNKNOWN_KEY", "/layout")
bad("bad-widget", form(obj({"a": S}), fields={"/a": {"label": {"vi": "A", "en": "A"}, "widget": "slider"}}), "MALFORMED", "/fields/~1a/widget")
bad("bad-no-schema", {"form": "9.999999", "version": "1", "title": {"vi": "x", "en": "x"}}, "MALFORMED", "/schema")
bad("bad-defs-not-at-root", form(obj({"a": {"$defs": {}}})), "UNSUPPORTED_KEYWORD", "/schema/properties/a/$defs")

# The catalogue's own samples.
root = os.path.join(os.path.dirname(__file__), "../../../catalog/procedures")
for path in sorted(glob.glob(os.path.join(root, "*.json"))):
    p = json.load(open(path))
    code = p["code"]
    for kind in ["valid", "invalid"]:
        s = p["samples"][kind]
        expected = []
        for e in s.get("expect", []):
            c, ptr = e.split("@", 1)
            expected.append((c, ptr))
        v(f"catalog-{code}-{kind}", p["form"], s["data"], expected, s.get("context"))

json.dump({"suite": "form-validate", "description": "form.validate: each supported keyword, formats, rules, conditions, computed values, repeating groups, definition errors, and the catalogue's samples", "cases": cases},
          open("../form-validate.json", "w"), ensure_ascii=False, indent=1)
print(len(cases), "form cases")
