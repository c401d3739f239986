// The wasm package's typed exports, as a JavaScript application uses them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const m = require("../pkg/nodejs/motcua.js");

test("an identifier is normalized, and an invalid one is an answer with a code", () => {
  assert.deepEqual(m.validateIdentifier({ kind: "PHONE", value: "+84 912 345 678" }), {
    valid: true,
    normalized: "0912345678",
  });
  const bad = m.validateIdentifier({ kind: "CCCD", value: "001199012345", gender: "MALE" });
  assert.equal(bad.valid, false);
  assert.equal(bad.code, "MISMATCH");
  assert.match(bad.message, /không khớp/);
});

test("a refused transition throws an Error carrying the table's code", () => {
  assert.throws(
    () =>
      m.transition({
        status: "RETURNED",
        action: "WITHDRAW",
        role: "APPLICANT",
        received: true,
        supplement_count: 0,
        redate_count: 0,
        reason: "Không cần nữa",
      }),
    (e) => e instanceof Error && e.code === "TERMINAL_STATE" && /kết thúc/.test(e.message),
  );
  assert.deepEqual(
    m.transition({
      status: "SUBMITTED",
      action: "RECEIVE",
      role: "CLERK",
      received: false,
      supplement_count: 0,
      redate_count: 0,
    }),
    { status: "RECEIVED" },
  );
});

test("bad input throws INVALID_INPUT with the specific detail", () => {
  assert.throws(
    () => m.daysOff({ year: 2300 }),
    (e) => e.code === "INVALID_INPUT" && e.detail === "OUT_OF_RANGE",
  );
  assert.throws(() => m.dueDate({ received_at: "hôm qua" }), (e) => e.code === "INVALID_INPUT");
  assert.throws(() => m.lunarToSolar({ year: 2026, month: 1, day: 1, leap: true }), (e) => e.code === "INVALID_DATE");
});

test("a due date explains the days it skipped", () => {
  const due = m.dueDate({
    received_at: "2026-11-20T16:30:00+07:00",
    duration: { value: 3, unit: "WORKING_DAYS" },
  });
  assert.equal(due.due_at, "2026-11-26T16:30:00+07:00");
  assert.deepEqual(due.skipped, ["2026-11-21", "2026-11-22", "2026-11-24"]);
});

test("the lunar calendar and the official 2026 schedule match the server", () => {
  assert.deepEqual(m.lunarFromSolar({ date: "2026-02-17" }), { year: 2026, month: 1, day: 1, leap: false });
  assert.deepEqual(m.isWorkingDay({ date: "2026-01-10" }), { working: true });
  assert.equal(m.isWorkingDay({ date: "2026-01-02" }).working, false);
});

test("runOperation answers errors as values and refuses unknown operations", () => {
  assert.deepEqual(JSON.parse(m.runOperation("lunar.to_solar", "{}")).error, "INVALID_INPUT");
  assert.throws(() => m.runOperation("fee.teleport", "{}"), (e) => e.code === "UNKNOWN_OPERATION");
  assert.ok(m.operations().includes("deadline.due"));
});

import { readdirSync, readFileSync } from "node:fs";
const entry = JSON.parse(readFileSync(new URL("../../catalog/procedures/2.000815.json", import.meta.url), "utf8"));

test("a form loaded once validates as the citizen types, with the server's verdict", () => {
  const form = m.Form.load(JSON.stringify(entry.form));
  const ok = form.validateText(JSON.stringify(entry.samples.valid.data), JSON.stringify({ today: "2026-11-23" }));
  assert.equal(ok.valid, true);
  assert.deepEqual(ok.computed, { "/total_pages": 13 });
  const bad = form.validate(entry.samples.invalid.data);
  assert.deepEqual(
    bad.violations.map((v) => `${v.code}@${v.path}`).sort(),
    [...entry.samples.invalid.expect].sort(),
  );
  assert.equal(bad.messages.length, bad.violations.length);
  const once = m.validateForm({ definition: entry.form, data: entry.samples.invalid.data });
  assert.deepEqual(once.violations, bad.violations);
  // The messages the form keeps are the operation's, in the answer's place among its members.
  assert.deepEqual(bad.messages, once.messages);
  assert.deepEqual(Object.keys(bad), Object.keys(once));
  assert.ok(bad.messages.every((msg) => Object.isFrozen(msg) && msg.vi && msg.en));
  // The next keystroke's answer is a new object made of the parts that did not change, frozen,
  // so that changing one answer cannot change another.
  const again = form.validate(entry.samples.invalid.data);
  assert.notEqual(again, bad);
  for (const part of ["violations", "messages", "computed", "hidden", "required"]) {
    assert.equal(again[part], bad[part], part);
    assert.ok(Object.isFrozen(again[part]), part);
  }
  assert.ok(bad.violations.every((v) => Object.isFrozen(v)));
  assert.throws(() => bad.violations.push({ code: "X", path: "/x" }), TypeError);
  // A part that changes is made again; the messages it shares with the last are the same objects.
  const fewer = form.validate({ ...entry.samples.invalid.data, extra: 1 });
  const fresh = m.validateForm({ definition: entry.form, data: { ...entry.samples.invalid.data, extra: 1 } });
  assert.deepEqual(fewer.violations, fresh.violations);
  assert.deepEqual(fewer.messages, fresh.messages);
  assert.notEqual(fewer.violations, bad.violations);
  assert.ok(bad.messages.every((msg) => fewer.messages.includes(msg)));
  assert.equal(fewer.computed, bad.computed);
  // Computed values are frozen all the way down.
  const computed = form.validateText(JSON.stringify(entry.samples.valid.data), JSON.stringify({ today: "2026-11-23" }));
  assert.notEqual(computed.computed, bad.computed);
  assert.ok(Object.isFrozen(computed.computed));
});

// The form package (`motcua/form`) is the same form code built without the other operations: its
// `Form` must answer as the full package's one-off operation too.
const formPackage = require("../pkg/form/nodejs/motcua.js");

for (const [name, pkg] of [["package", m], ["form package", formPackage]]) test(`a form of the ${name} checked keystroke after keystroke answers as the one-off operation, on every catalogue form`, () => {
  // The form reuses what its last check found where the data did not change (the core's
  // `form::memo`); the one-off operation checks everything. A citizen's edits: typing, clearing,
  // values other samples use, groups growing and shrinking, another day.
  const dir = new URL("../../catalog/procedures/", import.meta.url);
  let seed = 7;
  const dice = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let checks = 0;
  for (const file of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const { form: definition, samples } = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
    const form = pkg.Form.load(JSON.stringify(definition));
    const datas = Object.values(samples).map((s) => s.data);
    for (const sample of Object.values(samples)) {
      let data = structuredClone(sample.data);
      let context = { ...sample.context };
      for (let step = 0; step < 60; step++) {
        const keys = Object.keys(data);
        const key = keys[dice(keys.length)];
        const edit = dice(6);
        if (edit === 0 && typeof data[key] === "string") data[key] = data[key] + "ộ";
        else if (edit === 1) data[key] = datas[dice(datas.length)][key] ?? "";
        else if (edit === 2) delete data[key];
        else if (edit === 3 && Array.isArray(data[key])) data[key] = dice(2) ? data[key].slice(1) : [...data[key], data[key][0]];
        else if (edit === 4) context = { ...context, today: dice(2) ? "2026-11-23" : "2031-01-01" };
        else if (edit === 5) data = structuredClone(datas[dice(datas.length)]);
        const kept = form.validateText(JSON.stringify(data), JSON.stringify(context));
        const once = m.validateForm({ definition, data, context });
        assert.deepEqual({ ...kept }, { ...once }, `${file} step ${step}`);
        checks++;
      }
    }
  }
  assert.ok(checks >= 2000, String(checks));
});

test("the form package answers every form vector as the full package's operation, errors included", () => {
  const dir = new URL("../../tests/vectors/", import.meta.url);
  let cases = 0;
  for (const file of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    for (const c of JSON.parse(readFileSync(new URL(file, dir), "utf8")).cases) {
      if (c.op !== "form.validate") continue;
      const op = JSON.parse(m.runOperation("form.validate", JSON.stringify(c.input)));
      let answer;
      try {
        const form = formPackage.Form.load(JSON.stringify(c.input.definition));
        const context = c.input.context === undefined ? undefined : JSON.stringify(c.input.context);
        answer = { ...form.validateText(JSON.stringify(c.input.data), context) };
      } catch (e) {
        answer = { error: e.code, message: e.message };
        if (e.detail !== undefined) answer.detail = e.detail;
        if (e.path !== undefined) answer.path = e.path;
      }
      assert.deepEqual(answer, op, `${file}: ${c.id}`);
      cases++;
    }
  }
  assert.ok(cases >= 140, String(cases));
});

test("the form package carries the form engine alone", () => {
  assert.deepEqual(Object.keys(formPackage).sort(), ["Form"]);
});

test("a broken definition throws INVALID_DEFINITION with the pointer to the problem", () => {
  const broken = { ...entry.form, schema: { type: "object", properties: { a: { type: "string", format: "uri" } } } };
  assert.throws(
    () => m.Form.load(JSON.stringify(broken)),
    (e) => e.code === "INVALID_DEFINITION" && e.detail === "UNKNOWN_FORMAT" && e.path === "/schema/properties/a/format",
  );
});

test("fees are quoted per page with the cap, in whole VND", () => {
  const quote = m.quoteFee({
    schedule: entry.fees,
    data: { documents: [{ pages: 300, copies: 2 }, { pages: 3, copies: 1 }] },
    context: { date: "2026-11-23", channel: "ONLINE" },
  });
  assert.equal(quote.total, 2 * 200000 + 5000);
  assert.equal(quote.version, "TT226-2016");
  assert.throws(
    () => m.quoteFee({ schedule: entry.fees, data: {}, context: { date: "2016-01-01", channel: "ONLINE" } }),
    (e) => e.code === "NO_SCHEDULE_VERSION",
  );
});

test("routing and the dossier code are the server's", () => {
  const agencies = [
    { id: 1, agency_type: "UBND_XA", unit_code: "26734" },
    { id: 3, agency_type: "CONG_AN_TINH", unit_code: "26" },
  ];
  assert.deepEqual(m.routeDossier({ agencies, agency_type: "CONG_AN_TINH", receiving_id: 1 }), {
    receiving_id: 1,
    competent_id: 3,
  });
  assert.throws(
    () => m.routeDossier({ agencies, agency_type: "UBND_XA", receiving_id: 1, competent_id: 3 }),
    (e) => e.code === "NOT_COMPETENT",
  );
  const c = m.dossierCode({ unit: "000.00.38.H56", entered_at: "2025-11-30T17:30:00Z", sequence: 42 });
  assert.equal(c.code, "000.00.38.H56-251201-0042");
});

test("the survey and the Decision 766 index are the server's", () => {
  const ok = m.checkSurvey({ indicators: [2, 2, 1, 2, 2, 2, 2, 1, 2], convenience: "SATISFIED", overall: "VERY_SATISFIED" });
  assert.deepEqual(ok, { valid: true, violations: [], points: 16 });
  const bad = m.checkSurvey({ indicators: [2, 3], convenience: "SATISFIED", overall: "?" });
  assert.deepEqual(
    bad.violations.map((v) => `${v.path} ${v.code}`),
    ["/indicators COUNT", "/indicators/1 SCORE", "/overall ANSWER"],
  );
  const index = m.kpiIndex({ facts: { finished: 10, finished_on_time: 9, fee_paid: 10, fee_paid_online: 3 } });
  assert.equal(index.groups.find((g) => g.group === "PROGRESS").score_centi, 1800);
  // 18 + 10 of the 30 points that apply → 93.33.
  assert.equal(index.total_centi, 9333);
  assert.equal(index.grade, "EXCELLENT");
  assert.throws(() => m.kpiIndex({ facts: { filled: 1 } }), (e) => e.code === "INVALID_INPUT");
});

test("a complaint is checked as the server checks it", () => {
  const ok = m.checkFeedback({ about: "OTHER", subject: "Góp ý giờ làm việc", content: "Đề nghị mở cửa sáng thứ Bảy để người đi làm nộp hồ sơ.", name: "Trần Thị Bình", phone: "0987654321" });
  assert.deepEqual(ok, { valid: true, violations: [] });
  const anonymous = m.checkFeedback({ about: "OTHER", subject: "Góp ý giờ làm việc", content: "Đề nghị mở cửa sáng thứ Bảy để người đi làm nộp hồ sơ.", name: "Trần Thị Bình" });
  assert.deepEqual(anonymous.violations, [{ path: "/phone", code: "CONTACT_REQUIRED" }]);
});
