/** Presentation only (no rule): dates dd/mm/yyyy and times in Asia/Ho_Chi_Minh, money `1.200.000 đ`. */

const ZONE = 'Asia/Ho_Chi_Minh';

const money = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const time = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

/** `1200000` → `1.200.000 đ` (whole VND). */
export function vnd(amount: number): string {
  return `${money.format(amount)} đ`;
}

/** An RFC 3339 instant → `04/12/2026` in Vietnam. */
export function date(instant: string | null | undefined): string {
  if (!instant) return '';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : day.format(d);
}

/** An RFC 3339 instant → `16:30 04/12/2026` in Vietnam. */
export function dateTime(instant: string | null | undefined): string {
  if (!instant) return '';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : `${time.format(d)} ${day.format(d)}`;
}

/** A `YYYY-MM-DD` day → `04/12/2026`. */
export function isoDay(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** Now as RFC 3339 with the +07:00 offset, the form the core's deadline operation takes. */
export function nowInVietnam(now: Date = new Date()): string {
  const shifted = new Date(now.getTime() + 7 * 3600 * 1000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

/** Today in Vietnam as `YYYY-MM-DD` (the context `today` of form rules). */
export function todayInVietnam(now: Date = new Date()): string {
  return nowInVietnam(now).slice(0, 10);
}

const decimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Hundredths (a score or a rate in basis points) → `81,24`; null → `N/A`. */
export function hundredths(value: number | null | undefined): string {
  return value === null || value === undefined ? 'N/A' : decimal.format(value / 100);
}
