/**
 * Element-wise kernels of the PromQL "simple" functions (Prometheus 2.42 functions.go), each a
 * `(v: number) => number` with Go `math` semantics for NaN, ±Inf and -0. The evaluator applies them
 * per sample and drops `__name__`; these kernels never drop values. All replay Go 1.19/amd64
 * bit for bit (see README.md for the one assumption: `exp` takes Go's FMA assembly path).
 */
import { goLog, goLog10, goLog2 } from './go-math.js';
import { goExp } from './go-exp.js';
import { goAcos, goAcosh, goAsin, goAsinh, goAtan, goAtanh, goCosh, goSinh, goTanh } from './go-trig.js';
import { goCos, goSin, goTan } from './go-sin.js';

export const abs = Math.abs;
export const ceil = Math.ceil;
export const floor = Math.floor;
/** Go `math.Exp` (amd64 FMA assembly path, bit-exact). */
export const exp = goExp;
export const sqrt = Math.sqrt;
/** `ln` = Go `math.Log`. */
export const ln = goLog;
export const log2 = goLog2;
export const log10 = goLog10;
export const sin = goSin;
export const cos = goCos;
export const tan = goTan;
export const asin = goAsin;
export const acos = goAcos;
export const atan = goAtan;
export const sinh = goSinh;
export const cosh = goCosh;
export const tanh = goTanh;
export const asinh = goAsinh;
export const acosh = goAcosh;
export const atanh = goAtanh;

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
