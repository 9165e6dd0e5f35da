/**
 * Element-wise kernels of the PromQL "simple" functions (Prometheus 2.42 functions.go), each a
 * `(v: number) => number` with Go `math` semantics for NaN, ±Inf and -0. The evaluator applies them
 * per sample and drops `__name__`; these kernels never drop values.
 */
import { goLog, goLog10, goLog2 } from './go-math.js';

export const abs = Math.abs;
export const ceil = Math.ceil;
export const floor = Math.floor;
export const exp = Math.exp;
export const sqrt = Math.sqrt;
/** `ln` = Go `math.Log`. */
export const ln = goLog;
export const log2 = goLog2;
export const log10 = goLog10;
export const sin = Math.sin;
export const cos = Math.cos;
export const tan = Math.tan;
/** Go `math.Asin`: via sqrt(1 - x²) and atan, so precision near ±1 is Go's, not fdlibm's. */
export function asin(x: number): number {
  if (x === 0) return x;
  const neg = x < 0;
  const a = neg ? -x : x;
  if (a > 1) return NaN;
  const r = Math.sqrt(1 - a * a);
  const v = a > 0.7 ? Math.PI / 2 - Math.atan(r / a) : Math.atan(a / r);
  return neg ? -v : v;
}
/** Go `math.Acos` = π/2 - Asin(x). */
export function acos(x: number): number { return Math.PI / 2 - asin(x); }
export const atan = Math.atan;
/** Go `math.Sinh`: for |x| > 21 it is Exp(|x|)/2, which overflows to ±Inf from |x| ≈ 709.78. */
export function sinh(x: number): number {
  if (x > 21) return Math.exp(x) * 0.5;
  if (x < -21) return -(Math.exp(-x) * 0.5);
  return Math.sinh(x);
}
/** Go `math.Cosh`: for |x| > 21 it is Exp(|x|)/2, which overflows to +Inf from |x| ≈ 709.78. */
export function cosh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return Math.exp(a) * 0.5;
  return Math.cosh(x);
}
export const tanh = Math.tanh;
export const asinh = Math.asinh;
export const acosh = Math.acosh;
export const atanh = Math.atanh;

/** `deg(v)` = v·180/π, evaluated left to right like Go. */
export function deg(v: number): number { return v * 180 / Math.PI; }

/** `rad(v)` = v·π/180, evaluated left to right like Go. */
export function rad(v: number): number { return v * Math.PI / 180; }

/** `sgn(v)`: -1, 1, or v itself for ±0 and NaN. */
export function sgn(v: number): number {
  if (v < 0) return -1;
  if (v > 0) return 1;
  return v;
}

/**
 * `round(v, toNearest)`: floor(v·(1/to) + 0.5) / (1/to) — ties round up; `toNearest` defaults to 1.
 * Callers computing many values with one `toNearest` may pass the inverse via {@link roundWithInverse}.
 */
export function round(v: number, toNearest = 1): number {
  const inv = 1 / toNearest;
  return Math.floor(v * inv + 0.5) / inv;
}

/** `round` with a precomputed `1 / toNearest`. */
export function roundWithInverse(v: number, toNearestInverse: number): number {
  return Math.floor(v * toNearestInverse + 0.5) / toNearestInverse;
}

/** Go `math.Max` (NaN wins, +0 beats -0, +Inf beats everything but NaN). */
export function goMax(a: number, b: number): number {
  if (a === Infinity || b === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && a === b) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}

/** Go `math.Min` (NaN wins, -0 beats +0, -Inf beats everything but NaN). */
export function goMin(a: number, b: number): number {
  if (a === -Infinity || b === -Infinity) return -Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && a === b) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}

/**
 * True when `clamp(v, min, max)` yields no samples at all (2.42: only `max < min`; NaN bounds do
 * not empty the result, they make every value NaN).
 */
export function clampIsEmpty(min: number, max: number): boolean { return max < min; }

/** `clamp(v, min, max)` = Max(min, Min(max, v)); check {@link clampIsEmpty} first. */
export function clamp(v: number, min: number, max: number): number { return goMax(min, goMin(max, v)); }

/** `clamp_min(v, min)` = Max(min, v). */
export function clampMin(v: number, min: number): number { return goMax(min, v); }

/** `clamp_max(v, max)` = Min(max, v). */
export function clampMax(v: number, max: number): number { return goMin(max, v); }
