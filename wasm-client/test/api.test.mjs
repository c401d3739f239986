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
