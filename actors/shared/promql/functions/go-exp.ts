/**
 * Go 1.19 `math.Exp` as its amd64 assembly computes it on CPUs with FMA (AVX2+FMA: every x86 server
 * since ~2013 — the path Prometheus 2.42 takes there), replayed operation by operation. Fused
 * multiply-adds are emulated with exact double-double products (Dekker), which is correctly rounded
 * except in astronomically rare double-rounding cases. {@link goExpNoFma} is the pre-FMA path.
 */

const LN2U = 0.69314718055966295651160180568695068359375;
const LN2L = 0.28235290563031577122588448175013436025525412068e-12;
const LOG2E = 1.4426950408889634073599246810018920;
const OVERFLOW = 7.09782712893384e+02;
const C = [2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
  8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0];
const SPLIT = 134217729; // 2^27 + 1

/** a·b + c with a single rounding (double-double emulation; inputs of moderate magnitude). */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0 || !Number.isFinite(c)) return p + c;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl; // a·b = p + e exactly
  const s = p + c;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb); // p + c = s + err exactly
  return s + (err + e);
}

/** 2^k for integer k in the normal range [-1022, 1023], built from its bits. */
const scratch = new DataView(new ArrayBuffer(8));
function pow2Bits(biased: number): number {
  scratch.setUint32(0, biased << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** x86 CVTSD2SI to int32: round half to even; NaN/out of range → -2^31. */
function cvtsd2si(v: number): number {
  if (!(v >= -2147483648.5 && v < 2147483647.5)) return -2147483648;
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function scale(r: number, k: number): number {
  let b = k + 0x3ff;
  if (b <= 0) {
    if (b < -52) return 0;
    r *= pow2Bits(b + 0x3fe);
    b = 1;
  } else if (b >= 0x7ff) {
    return Infinity;
  }
  return r * pow2Bits(b);
}

function expCore(x: number, useFma: boolean): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > OVERFLOW) return Infinity;
  const k = cvtsd2si(LOG2E * x);
  let r: number;
  if (useFma) {
    r = fma(-k, LN2U, x);
    r = fma(-k, LN2L, r);
  } else {
    r = x - LN2U * k;
    r = r - LN2L * k;
  }
  r *= 0.0625;
  let p = C[0]!;
  for (let i = 1; i < C.length; i++) p = useFma ? fma(p, r, C[i]!) : p * r + C[i]!;
  r *= p;
  if (useFma) {
    for (let i = 0; i < 3; i++) r *= r + 2;
    r = fma(r, r + 2, 1);
  } else {
    for (let i = 0; i < 4; i++) r *= r + 2;
    r += 1;
  }
  return scale(r, k);
}

/** Go `math.Exp` (amd64, FMA path). */
export function goExp(x: number): number { return expCore(x, true); }

/** Go `math.Exp` (amd64 without FMA). */
export function goExpNoFma(x: number): number { return expCore(x, false); }
