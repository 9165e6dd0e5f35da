/**
 * PromQL date functions (`day_of_month`, `day_of_week`, `day_of_year`, `days_in_month`, `hour`,
 * `minute`, `month`, `year`) of a value in Unix seconds, as Prometheus 2.42 computes them:
 * `time.Unix(int64(v), 0).UTC()`. Fractional seconds truncate toward zero; NaN, ±Inf and values
 * outside int64 become -2^63 seconds, which Go's absolute-time arithmetic wraps around to
 * 292277026596-12-04 15:30 UTC (a Sunday) — reproduced here rather than special-cased.
 */
import { goFloatToInt64 } from './go-math.js';

/** Go's seconds from its absolute zero (year -292277022399) to the Unix epoch. */
const UNIX_TO_ABSOLUTE = 9223372028715321600n;
const TWO64 = 2n ** 64n;
const FAST_LIMIT = 1e15;

/** Broken-down UTC time of the last {@link civil} call, reused to avoid allocation. */
const parts = { year: 0, month: 0, day: 0, yday: 0, wday: 0, hour: 0, minute: 0 };

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function civil(v: number): typeof parts {
  let days: number;
  let sod: number;
  if (Math.abs(v) < FAST_LIMIT) {
    const sec = Math.trunc(v);
    days = Math.floor(sec / 86400);
    sod = sec - days * 86400;
  } else {
    let abs = (goFloatToInt64(v) + UNIX_TO_ABSOLUTE) % TWO64;
    if (abs < 0n) abs += TWO64;
    const eff = abs - UNIX_TO_ABSOLUTE;
    let d = eff / 86400n;
    let s = eff % 86400n;
    if (s < 0n) { s += 86400n; d -= 1n; }
    days = Number(d);
    sod = Number(s);
  }
  // Days since 1970-01-01 to proleptic Gregorian y-m-d (era-based, exact for |days| < 2^53 / 5).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  parts.year = year;
  parts.month = month;
  parts.day = day;
  parts.yday = CUM_DAYS[month - 1]! + day + (month > 2 && isLeap(year) ? 1 : 0);
  parts.wday = (((days % 7) + 7 + 4) % 7);
  parts.hour = Math.floor(sod / 3600);
  parts.minute = Math.floor((sod % 3600) / 60);
  return parts;
}

/** Day of the month, 1–31. */
export function dayOfMonth(v: number): number { return civil(v).day; }
/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(v: number): number { return civil(v).wday; }
/** Day of the year, 1–366. */
export function dayOfYear(v: number): number { return civil(v).yday; }
/** Number of days in the month, 28–31. */
export function daysInMonth(v: number): number {
  const p = civil(v);
  return p.month === 2 && isLeap(p.year) ? 29 : MONTH_DAYS[p.month - 1]!;
}
/** Hour of the day, 0–23. */
export function hour(v: number): number { return civil(v).hour; }
/** Minute of the hour, 0–59. */
export function minute(v: number): number { return civil(v).minute; }
/** Month of the year, 1–12. */
export function month(v: number): number { return civil(v).month; }
/** Year (proleptic Gregorian, astronomical numbering: year 0 exists). */
export function year(v: number): number { return civil(v).year; }
