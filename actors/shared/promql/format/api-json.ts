/**
 * Number layouts of the Prometheus 2.42 HTTP API JSON (web/api/v1 + util/jsonutil), byte for byte.
 *
 * - vector / matrix sample values: {@link formatSampleValue} (jsonutil.MarshalValue)
 * - vector / matrix sample timestamps: {@link formatSampleTimestamp} (jsonutil.MarshalTimestamp)
 * - scalar and string results: value {@link formatFloatF}, timestamp {@link formatJsonNumber}(ms / 1000)
 *   (encoding/json of a float64)
 * - `count_values` label values: {@link formatFloatF}
 */
import { formatFloatE, formatFloatF } from './go-float.js';

export { formatFloatF } from './go-float.js';

/**
 * A sample value as the API writes it inside the JSON string (without the quotes): `'e'` layout when
 * the value is non-zero and |v| < 1e-6 or |v| ≥ 1e21, else `'f'`; `+Inf`, `-Inf`, `NaN`, `-0`.
 */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloatE(v);
  return formatFloatF(v);
}

/**
 * A sample timestamp (integer milliseconds) as the API writes it: integer seconds, then — only if
 * the millisecond part is non-zero — a dot and exactly three digits (1500 → `1.500`, 1050 → `1.050`);
 * negative times get a leading `-` applied to the absolute value (-1500 → `-1.500`).
 */
export function formatSampleTimestamp(ms: number): string {
  const neg = ms < 0;
  const a = neg ? -ms : ms;
  const sec = Math.trunc(a / 1000);
  const frac = a - sec * 1000;
  let out = (neg ? '-' : '') + String(sec);
  if (frac !== 0) out += '.' + (frac < 10 ? '00' : frac < 100 ? '0' : '') + String(frac);
  return out;
}

/**
 * Go `encoding/json` layout of a finite float64 (used for scalar/string result timestamps,
 * `ms / 1000`): shortest digits, exponent form only below 1e-6 or from 1e21, exponent without
 * padding (`1e-7`, `1e+21`); `-0` prints `-0`. Throws a RangeError for NaN/±Inf, which Go's
 * encoder rejects as well.
 */
export function formatJsonNumber(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`formatting ${String(v)} as a json number: unsupported value`);
  if (Object.is(v, -0)) return '-0';
  return String(v);
}
