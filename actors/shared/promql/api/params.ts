/**
 * Time and duration parameters exactly as Prometheus 2.42's `parseTime` / `parseDuration`
 * (web/api/v1/api.go), returning integer milliseconds as `timestamp.FromTime` would.
 *
 * Times: a Go `strconv.ParseFloat` number of Unix seconds (fraction rounded to ms, then converted
 * through nanoseconds with truncation, as Go does), else RFC 3339 with optional fraction, else the
 * formatted min/max times. Durations: a float number of seconds (truncated to ns; must fit int64 ns),
 * else a Prometheus duration (`1h30m`).
 */
import { parseGoFloat } from '../functions/parse-go-float.js';
import { DurationSyntaxError, parseDuration as parsePromDuration } from '../parser/duration.js';
import { goQuote } from '../parser/duration.js';

/** 2.42's `minTime` (`time.Unix(math.MinInt64/1000+62135596801, 0)`) in ms (as a double). */
export const MIN_TIME_MS = -9223309901257974000;
/** 2.42's `maxTime` in ms (as a double). */
export const MAX_TIME_MS = 9223309901257974999;
/** `minTime.Format(time.RFC3339Nano)`: accepted as a time parameter. */
export const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
/** `maxTime.Format(time.RFC3339Nano)`: accepted as a time parameter. */
export const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

/** A parameter value that does not parse; `message` is Prometheus's text. */
export class ParamSyntaxError extends Error {
  override readonly name = 'ParamSyntaxError';
}

const NS_PER_S = 1_000_000_000n;
/** What 2.42 makes of `Inf`/`NaN` seconds (Go's int64 conversion of a non-finite float on amd64). */
const NON_FINITE_TIME_MS = -9223372036854;

/** Go `parseTime`: ms, or throws ParamSyntaxError `cannot parse "<s>" to a valid timestamp`. */
export function parseTimeMs(s: string): number {
  const f = parseGoFloat(s);
  if (f !== undefined) return Number.isFinite(f) ? floatSecondsToMs(f) : NON_FINITE_TIME_MS;
  const t = parseRfc3339Ms(s);
  if (t !== undefined) return t;
  if (s === MIN_TIME_FORMATTED) return MIN_TIME_MS;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME_MS;
  throw new ParamSyntaxError(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

/** `math.Modf`, round the fraction to ms, `time.Unix(int64(s), int64(ns*1e9))`, `FromTime`. */
function floatSecondsToMs(t: number): number {
  const sec = Math.trunc(t);
  const frac = t - sec;
  const r = Math.sign(frac) * Math.round(Math.abs(frac) * 1000) / 1000;
  const ns = BigInt(Math.trunc(r * 1e9));
  let s = BigInt(sec);
  let n = ns;
  if (n < 0n) { s -= 1n; n += NS_PER_S; }
  return Number(s * 1000n + n / 1_000_000n);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Go `time.Parse(time.RFC3339Nano, s)` then `timestamp.FromTime`; undefined when Go fails. */
export function parseRfc3339Ms(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, min, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || min > 59 || sec > 59) return undefined;
  let offsetMin = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]), om = Number(m[11]);
    if (oh > 24 || om > 60) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fracMs = m[7] === undefined ? 0 : Number((m[7] + '000').slice(0, 3));
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + min - offsetMin) * 60_000 + sec * 1000 + fracMs;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

/**
 * Go `parseDuration` of the API, in nanoseconds (a `time.Duration`). Throws ParamSyntaxError with
 * Prometheus's text. Convert with {@link durationMs} (`durationMilliseconds`: truncation).
 */
export function parseDurationNs(s: string): bigint {
  const f = parseGoFloat(s);
  if (f !== undefined) {
    const ns = f * 1e9;
    if (ns > 9223372036854775807 || ns < -9223372036854775808) throw new ParamSyntaxError(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    // Go converts NaN to int64 as math.MinInt64 on amd64: a negative duration.
    if (Number.isNaN(ns)) return MIN_INT64;
    const v = BigInt(Math.trunc(ns));
    return v > MAX_INT64 ? MAX_INT64 : v;
  }
  try {
    return BigInt(parsePromDuration(s)) * 1_000_000n;
  } catch (err) {
    if (err instanceof DurationSyntaxError) throw new ParamSyntaxError(`cannot parse ${goQuote(s)} to a valid duration`);
    throw err;
  }
}

/** ns → ms truncated toward zero, as Go's `durationMilliseconds`. */
export function durationMs(ns: bigint): number { return Number(ns / 1_000_000n); }

/**
 * Go's `end.Sub(start) / step > maxSteps` check of query_range (integer nanosecond division, the
 * difference saturating at int64). `stepNs` must be > 0.
 */
export function exceedsMaxResolution(startMs: number, endMs: number, stepNs: bigint, maxSteps = 11_000): boolean {
  let diffNs = (BigInt(Math.trunc(endMs)) - BigInt(Math.trunc(startMs))) * 1_000_000n;
  if (diffNs > MAX_INT64) diffNs = MAX_INT64;
  return diffNs / stepNs > BigInt(maxSteps);
}
