/**
 * Go `math` behaviour that differs from JavaScript's `Math`, as Prometheus 2.42 (Go 1.19, amd64)
 * computes it. Plain + - * / and comparisons are identical (IEEE 754, no fused multiply-add on
 * amd64), and Go `math.Mod` equals JS `%` (both exact fmod, sign of the dividend, NaN for x % 0 and
 * ±Inf % y, x % ±Inf = x). What differs, and is reproduced here:
 * - `Pow` special cases (Pow(1, NaN) = 1, Pow(-1, ±Inf) = 1, …) and its algorithm: integer powers by
 *   repeated squaring on a frexp-normalised mantissa, which rounds differently from `Math.pow`;
 * - `Log2` (exact on powers of two, else `Log(frac)·(1/Ln2) + exp`) and `Log10` (`Log(x)·(1/Ln10)`,
 *   so `Log10(1e15)` is 14.999999999999998);
 * - `Log`: Go's amd64 assembly (FreeBSD e_log polynomial, reproduced operation by operation, so
 *   bit-exact), which does not normalise subnormal inputs (Log(5e-324) is -709.09…, not -744.44…);
 * - float → int64 conversion (amd64 CVTTSD2SQ: NaN, ±Inf and out-of-range give -2^63).
 * `Pow` with a fractional exponent goes through {@link goExp} (Go's FMA assembly path).
 */

import { goExp } from './go-exp.js';

const scratch = new DataView(new ArrayBuffer(8));
const SMALLEST_NORMAL = 2.2250738585072014e-308;
const TWO52 = 4503599627370496;
const TWO53 = 9007199254740992;
const TWO63 = 9223372036854775808;

let pow2Table: Float64Array | undefined;

/** 2^e exactly, for integer e in [-1074, 1023]. */
function pow2(e: number): number {
  if (pow2Table === undefined) {
    const t = new Float64Array(1023 + 1074 + 1);
    t[1074] = 1;
    for (let i = 1; i <= 1023; i++) t[1074 + i] = t[1074 + i - 1]! * 2;
    for (let i = 1; i <= 1074; i++) t[1074 - i] = t[1074 - i + 1]! / 2;
    pow2Table = t;
  }
  return pow2Table[e + 1074]!;
}

/** Exponent produced by the last {@link frexp} call (avoids allocating a tuple). */
export let frexpExp = 0;

/** Go `math.Frexp`: returns frac in [0.5, 1) with x = frac·2^{@link frexpExp}; 0, ±Inf, NaN pass through with exp 0. */
export function frexp(x: number): number {
  frexpExp = 0;
  if (x === 0 || !Number.isFinite(x)) return x;
  let e = 0;
  if (Math.abs(x) < SMALLEST_NORMAL) { x *= TWO52; e = -52; }
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1022;
  scratch.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  frexpExp = e;
  return scratch.getFloat64(0);
}

/** Go `math.Ldexp`: frac·2^exp with a single rounding (denormal results included). */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const m = frexp(frac) * 2; // in [1, 2)
  const e = frexpExp - 1 + exp; // value = m · 2^e
  if (e < -1075) return frac < 0 ? -0 : 0;
  if (e > 1023) return frac < 0 ? -Infinity : Infinity;
  if (e < -1022) return (m * pow2(e + 53)) * pow2(-53);
  return m * pow2(e);
}

function isOddInt(x: number): boolean {
  if (Math.abs(x) >= TWO53) return false;
  return Number.isInteger(x) && Math.abs(x % 2) === 1;
}

/** Go `math.Pow(x, y)`, special cases and algorithm (see module comment). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x < 0) return goPow(-0, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);

  const ay = Math.abs(y);
  let yi = Math.trunc(ay);
  let yf = ay - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= TWO63) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) { yf--; yi++; }
    a1 = goExp(yf * goLog(x));
  }
  let x1 = frexp(x);
  let xe = frexpExp;
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -4096 || xe > 4096) { ae += xe; break; }
    if (i % 2 === 1) { a1 *= x1; ae += xe; }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) { x1 += x1; xe--; }
  }
  if (y < 0) { a1 = 1 / a1; ae = -ae; }
  return ldexp(a1, ae);
}

function bitsToFloat(hex: string): number {
  scratch.setBigUint64(0, BigInt('0x' + hex));
  return scratch.getFloat64(0);
}
const LN2_HI = bitsToFloat('3fe62e42fee00000');
const LN2_LO = bitsToFloat('3dea39ef35793c76');
const L1 = bitsToFloat('3fe5555555555593');
const L2 = bitsToFloat('3fd999999997fa04');
const L3 = bitsToFloat('3fd2492494229359');
const L4 = bitsToFloat('3fcc71c51d8e78af');
const L5 = bitsToFloat('3fc7466496cb03de');
const L6 = bitsToFloat('3fc39a09d078c69f');
const L7 = bitsToFloat('3fc2f112df3e5244');
const HALF_SQRT2 = 7.07106781186547524401e-01;

/** Go `math.Log` as the amd64 assembly computes it (bit-exact, subnormals not normalised). */
export function goLog(x: number): number {
  if (x === 0) return -Infinity;
  if (!(x > 0)) return NaN;
  if (x === Infinity) return x;
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  let k = ((hi >>> 20) & 0x7ff) - 0x3fe;
  scratch.setUint32(0, (hi & 0x000fffff) | 0x3fe00000);
  let f1 = scratch.getFloat64(0);
  if (f1 <= HALF_SQRT2) { k -= 1; f1 *= 2; }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const r = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
}

/** Go `math.Mod(x, y)`; identical to JS `%`, kept as a named kernel for the `%` operator. */
export function goMod(x: number, y: number): number {
  return x % y;
}

/** Go `math.Log2`. */
export function goLog2(x: number): number {
  const frac = frexp(x);
  const exp = frexpExp;
  if (frac === 0.5) return exp - 1;
  return goLog(frac) * Math.LOG2E + exp;
}

/** Go `math.Log10`. */
export function goLog10(x: number): number {
  return goLog(x) * Math.LOG10E;
}

/**
 * Go `int64(x)` on amd64 as an exact bigint: truncation toward zero; NaN, ±Inf and values outside
 * [-2^63, 2^63) give -2^63.
 */
export function goFloatToInt64(x: number): bigint {
  if (Number.isNaN(x) || x >= TWO63 || x < -TWO63) return -(2n ** 63n);
  return BigInt(Math.trunc(x));
}
