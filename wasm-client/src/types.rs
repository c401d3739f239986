//! TypeScript declarations of the operations' inputs and outputs (the JSON contract) that exist
//! only at this boundary. The core's own types (`Status`, `Action`, `Role`, `Channel`, `IdKind`,
//! `Gender`, `DurationUnit`, `ProcessingTime`, `AgencyRef`, the route and code records) are
//! declared by the core itself (its `wasm` feature derives them with tsify); the names this
//! package published before are aliases of them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant as RFC 3339 with an offset, e.g. `2026-11-23T09:00:00+07:00`. */
export type Instant = string;

/** Every error thrown by this package is an `Error` with the core's stable code. */
export interface MotcuaError extends Error {
  /** e.g. `INVALID_INPUT`, `INVALID_DATE`, `ROLE_NOT_ALLOWED`. */
  code: string;
  /** The specific reason behind `INVALID_INPUT`, e.g. `OUT_OF_RANGE`. */
  detail?: string;
}

export type IdentifierKind = IdKind;
export type IdentifierCode =
  | "EMPTY" | "FORMAT" | "LENGTH" | "CHECKSUM" | "PROVINCE" | "CENTURY" | "PREFIX" | "MISMATCH";

export interface IdentifierInput {
  kind: IdentifierKind;
  value: string;
  /** CCCD only: cross-check the birth year. */
  birth_date?: IsoDate;
  /** CCCD only: cross-check the gender. */
  gender?: Gender;
}

export type IdentifierCheck =
  | { valid: true; normalized: string }
  | { valid: false; code: IdentifierCode; message: string };

export interface SolarDateInput { date: IsoDate }
export interface SolarDate { date: IsoDate }
export interface LunarDate { year: number; month: number; day: number; leap: boolean }

/** How a calendar differs from the defaults. */
export interface CalendarSpec {
  /** Ignore shipped official yearly schedules. */
  rules_only?: boolean;
  extra_days_off?: IsoDate[];
  /** Make-up working days; they win over everything else. */
  extra_working_days?: IsoDate[];
  /** Sessions as `HH:MM` pairs; default `[["08:00","12:00"],["13:00","17:00"]]`. */
  office_hours?: [string, string][];
}

export interface WorkingDayInput { date: IsoDate; calendar?: CalendarSpec }
export interface WorkingDayAnswer {
  working: boolean;
  /** Why the day is off (Vietnamese), when it is. */
  reason?: string;
}

export interface DaysOffInput { year: number; calendar?: CalendarSpec }
export interface DaysOff {
  days_off: IsoDate[];
  /** The Vietnamese name of each day off, in the same order. */
  names: string[];
}


export interface DueInput {
  received_at: Instant;
  duration: ProcessingTime;
  calendar?: CalendarSpec;
  /** `HH:MM`, default `15:00`. */
  same_day_cutoff?: string;
  /** Intervals `[from, to)` during which the clock stops. */
  pauses?: [Instant, Instant][];
}

export interface Due {
  due_at: Instant;
  counting_from: Instant;
  /** Days from receipt to the due date that were not worked. */
  skipped: IsoDate[];
  paused_seconds: number;
}

export type DossierStatus = Status;
export type DossierAction = Action;
export type TransitionRole = Role;

export interface TransitionInput {
  status: DossierStatus;
  action: DossierAction;
  role: TransitionRole;
  received: boolean;
  supplement_count: number;
  redate_count: number;
  reason?: string;
}
export interface TransitionAnswer { status: DossierStatus }

/** The context rules read as `$context.…`. */
export interface FormContext {
  /** `YYYY-MM-DD`, for age and date rules. */
  today?: IsoDate;
  channel?: Channel;
  [key: string]: unknown;
}

export interface FormValidateInput {
  /** A form definition (catalog/README.md). */
  definition: Record<string, unknown>;
  data: unknown;
  context?: FormContext;
}

/**
 * A form's answer. From `Form` its arrays and objects are frozen: a part that did not change since
 * the form's last answer is the same object as in it.
 */
export interface FormValidation {
  valid: boolean;
  /** Every violation, sorted by path then code. */
  violations: readonly { readonly path: string; readonly code: string }[];
  /** Vietnamese and English messages, in the order of `violations`. */
  messages: readonly { readonly vi: string; readonly en: string }[];
  /** Computed values by JSON Pointer. */
  computed: Readonly<Record<string, unknown>>;
  /** Fields hidden by their `visible_if`, as concrete pointers (not validated, not kept). */
  hidden: readonly string[];
  /** Fields made required by their `required_if`, as concrete pointers. */
  required: readonly string[];
  form: string;
  version: string;
}

/** A file the core accepts for upload. */
export interface FileCheck {
  /** `application/pdf`, `image/jpeg` or `image/png`. */
  mime: string;
}

export interface FeeQuoteInput {
  /** A fee schedule (catalog/README.md). */
  schedule: Record<string, unknown>;
  data?: unknown;
  context: {
    /** The date the dossier entered the system, or an instant taken in Asia/Ho_Chi_Minh. */
    date: IsoDate | Instant;
    channel: Channel;
    categories?: string[];
  };
}

export interface FeeQuoteLine {
  item: string;
  kind: "PHI" | "LE_PHI";
  name_vi: string;
  name_en: string;
  legal_basis: string;
  base: number;
  amount: number;
  applied: string[];
}

export interface FeeQuote {
  procedure: string;
  version: string;
  /** Whole VND. */
  total: number;
  lines: { item: string; amount: number }[];
  details: FeeQuoteLine[];
  /** The legal basis when the procedure is free of charge. */
  free: string | null;
  currency: "VND";
}

/** A satisfaction survey answer (Circular 01/2018): nine indicators of 2, 1 or 0, two questions. */
export interface SurveyInput {
  indicators: number[];
  convenience: "VERY_SATISFIED" | "SATISFIED" | "UNSATISFIED" | string;
  overall: "VERY_SATISFIED" | "SATISFIED" | "UNSATISFIED" | string;
}

export interface SurveyCheck {
  valid: boolean;
  /** `COUNT`, `SCORE` (an indicator not 0–2) or `ANSWER`, by JSON Pointer. */
  violations: { path: string; code: "COUNT" | "SCORE" | "ANSWER" }[];
  /** 0–18. */
  points: number;
}

/** A complaint or feedback (PAKN). */
export interface FeedbackInput {
  about: "DOSSIER" | "PROCEDURE" | "OFFICIAL" | "OTHER";
  reference?: string;
  subject: string;
  content: string;
  name: string;
  phone?: string;
  email?: string;
  signed_in?: boolean;
}

export interface FeedbackCheck {
  valid: boolean;
  violations: {
    path: string;
    code: "REQUIRED" | "TOO_SHORT" | "TOO_LONG" | "INVALID_PHONE" | "INVALID_EMAIL" | "CONTACT_REQUIRED";
  }[];
}

/** Counts of event facts for one scope and period (missing ones are 0). */
export type KpiFacts = Partial<Record<
  | "filed" | "filed_online" | "received_timely" | "received" | "digitised" | "finished"
  | "finished_on_time" | "open_overdue" | "late" | "late_apologised" | "finished_with_result"
  | "results_electronic" | "procedures_online" | "procedures_used_online" | "surveys"
  | "survey_points" | "overall_satisfied" | "convenience_satisfied" | "complaints_due"
  | "complaints_on_time" | "fee_paid" | "fee_paid_online",
  number
>>;

export type KpiGrade = "EXCELLENT" | "GOOD" | "FAIR" | "AVERAGE" | "WEAK";
export type KpiColour = "GREEN" | "BLUE" | "YELLOW" | "ORANGE" | "RED";

/** Lowest total of each grade, in hundredths of a point (default 9000/8000/7000/5000). */
export interface KpiBands { excellent: number; good: number; fair: number; average: number }

export interface KpiIndicatorScore {
  code: string;
  max: number;
  threshold_pct: number;
  numerator: number;
  denominator: number;
  na: boolean;
  /** Hundredths of a per cent. */
  rate_bp: number | null;
  /** Hundredths of a point. */
  score_centi: number | null;
}

export interface KpiIndex {
  na: boolean;
  /** Out of 100 points, in hundredths, scaled over what applies. */
  total_centi: number | null;
  grade: KpiGrade | null;
  colour: KpiColour | null;
  groups: {
    group: "TRANSPARENCY" | "PROGRESS" | "ONLINE_SERVICE" | "DIGITISATION" | "SATISFACTION" | "ONLINE_PAYMENT";
    max: number;
    na: boolean;
    score_centi: number | null;
    applicable_centi: number;
    indicators: KpiIndicatorScore[];
  }[];
}

/** What `checkVectorFile` answers (as JSON text). */
export type VectorReport =
  | { passed: number; failed: { id: string; expected: unknown; actual: unknown }[] }
  | { file_error: string };
"#;
