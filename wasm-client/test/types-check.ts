// Compiled with `tsc --strict --noEmit`: the package's types are precise (no `any`), so misuse fails
// to compile. Each @ts-expect-error must be needed, or tsc fails.
import {
  validateIdentifier,
  dueDate,
  transition,
  type Due,
  type IdentifierCheck,
  type MotcuaError,
} from "../pkg/bundler/motcua.js";

const check: IdentifierCheck = validateIdentifier({ kind: "MST", value: "0100109106" });
if (check.valid) {
  const normalized: string = check.normalized;
  void normalized;
} else {
  const code: "EMPTY" | "FORMAT" | "LENGTH" | "CHECKSUM" | "PROVINCE" | "CENTURY" | "PREFIX" | "MISMATCH" =
    check.code;
  void code;
}

const due: Due = dueDate({
  received_at: "2026-11-20T16:30:00+07:00",
  duration: { value: 3, unit: "WORKING_DAYS" },
  calendar: { extra_days_off: ["2026-11-27"], office_hours: [["07:30", "11:30"]] },
});
const when: string = due.due_at;
void when;

// @ts-expect-error an unknown identifier kind
validateIdentifier({ kind: "PASSPORT", value: "B123" });
// @ts-expect-error a unit that does not exist
dueDate({ received_at: "2026-11-20T16:30:00+07:00", duration: { value: 3, unit: "WEEKS" } });
// @ts-expect-error the answer is an object, not a string
const wrong: string = transition({ status: "DRAFT", action: "SUBMIT", role: "APPLICANT", received: false, supplement_count: 0, redate_count: 0 });
void wrong;

try {
  transition({ status: "DRAFT", action: "RECEIVE", role: "CLERK", received: false, supplement_count: 0, redate_count: 0 });
} catch (e) {
  const code: string = (e as MotcuaError).code;
  void code;
}

import { Form, type FormValidation, quoteFee, type FeeQuote } from "../pkg/bundler/motcua.js";
import { checkSurvey, type SurveyCheck, kpiIndex, type KpiIndex, type KpiGrade } from "../pkg/bundler/motcua.js";
const form: Form = Form.load("{}");
const checked: FormValidation = form.validateText("{}", JSON.stringify({ today: "2026-11-23" }));
const firstCode: string | undefined = checked.violations[0]?.code;
void firstCode;
const quote: FeeQuote = quoteFee({ schedule: {}, context: { date: "2026-11-23", channel: "ONLINE" } });
const total: number = quote.total;
void total;
// @ts-expect-error a channel that does not exist
quoteFee({ schedule: {}, context: { date: "2026-11-23", channel: "FAX" } });
form.free();

// The core's own types, declared by the core (tsify): statuses, routing and codes.
import { routeDossier, dossierCode, type Route, type Status, type DossierStatus } from "../pkg/bundler/motcua.js";
const route: Route = routeDossier({
  agencies: [{ id: 1, agency_type: "UBND_XA", unit_code: "26734" }],
  agency_type: "UBND_XA",
});
const competent: number = route.competent_id;
void competent;
const status: Status = "RECEIVED";
const same: DossierStatus = status;
void same;
// @ts-expect-error a status that does not exist
const lost: Status = "LOST";
void lost;
// @ts-expect-error an agency needs its type and unit
routeDossier({ agencies: [{ id: 1 }], agency_type: "UBND_XA" });
const code: string = dossierCode({ unit: "H42", entered_at: "2026-02-17T08:00:00+07:00", sequence: 1 }).code;
void code;
const survey: SurveyCheck = checkSurvey({ indicators: [2, 2, 2, 2, 2, 2, 2, 2, 2], convenience: "SATISFIED", overall: "SATISFIED" });
void survey.points;
const kpi: KpiIndex = kpiIndex({ facts: { filed: 1, filed_online: 1 } });
const grade: KpiGrade | null = kpi.grade;
void grade;
// @ts-expect-error facts are counted by name
kpiIndex({ facts: { filled: 1 } });

// The form package: `Form` alone, typed as in the full package, and no operation besides.
import { Form as FormAlone } from "../pkg/form/bundler/motcua.js";
import * as formPackage from "../pkg/form/bundler/motcua.js";
const alone: FormValidation = FormAlone.load("{}").validate({ a: 1 }, { today: "2026-11-23" });
void alone.valid;
// @ts-expect-error the form package has no fee quote
void formPackage.quoteFee;
