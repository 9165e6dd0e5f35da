/**
 * Go 1.19 `math` inverse-trigonometric and hyperbolic functions (pure Go on amd64: Cephes-derived
 * rational approximations), replayed operation by operation so results are bit-identical, using
 * {@link goExp} where Go calls `Exp`. Polynomial coefficients are the published Cephes /
 * Hart & Cheney constants Go uses.
 */
import { goExp } from './go-exp.js';
import { goLog } from './go-math.js';

const PI = Math.PI;
const MOREBITS = 6.123233995736765886130e-17; // π/2 = PIO2 + MOREBITS
const TAN3PIO8 = 2.41421356237309504880;

const AP = [-8.750608600031904122785e-01, -1.615753718733365076637e+01, -7.500855792314704667340e+01,
  -1.228866684490136173410e+02, -6.485021904942025371773e+01];
const AQ = [+2.485846490142306297962e+01, +1.650270098316988542046e+02, +4.328810604912902668951e+02,
  +4.853903996359136964868e+02, +1.945506571482613964425e+02];

function xatan(x: number): number {
  let z = x * x;
  z = z * ((((AP[0]! * z + AP[1]!) * z + AP[2]!) * z + AP[3]!) * z + AP[4]!) /
    (((((z + AQ[0]!) * z + AQ[1]!) * z + AQ[2]!) * z + AQ[3]!) * z + AQ[4]!);
  return x * z + x;
}

function satan(x: number): number {
  if (x <= 0.66) return xatan(x);
  if (x > TAN3PIO8) return PI / 2 - xatan(1 / x) + MOREBITS;
  return PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * MOREBITS;
}

/** Go `math.Atan`. */
export function goAtan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

function copysign(mag: number, sgn: number): number {
  const neg = sgn < 0 || Object.is(sgn, -0);
  return neg ? -Math.abs(mag) : Math.abs(mag);
}

/** Go `math.Atan2(y, x)`. */
export function goAtan2(y: number, x: number): number {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  if (y === 0) return x >= 0 && !Object.is(x, -0) ? copysign(0, y) : copysign(PI, y);
  if (x === 0) return copysign(PI / 2, y);
  if (x === Infinity) return y === Infinity || y === -Infinity ? copysign(PI / 4, y) : copysign(0, y);
  if (x === -Infinity) return y === Infinity || y === -Infinity ? copysign(3 * PI / 4, y) : copysign(PI, y);
  if (y === Infinity || y === -Infinity) return copysign(PI / 2, y);
  const q = goAtan(y / x);
  if (x < 0) return q <= 0 ? q + PI : q - PI;
  return q;
}

/** Go `math.Asin`. */
export function goAsin(x: number): number {
  if (x === 0) return x;
  const neg = x < 0;
  const a = neg ? -x : x;
  if (a > 1) return NaN;
  const r = Math.sqrt(1 - a * a);
  const v = a > 0.7 ? PI / 2 - satan(r / a) : satan(a / r);
  return neg ? -v : v;
}

/** Go `math.Acos` = π/2 - Asin(x). */
export function goAcos(x: number): number {
  return PI / 2 - goAsin(x);
}

const SP = [-0.6307673640497716991184787251e+6, -0.8991272022039509355398013511e+5,
  -0.2894211355989563807284660366e+4, -0.2630563213397497062819489e+2];
const SQ = [-0.6307673640497716991212077277e+6, 0.1521517378790019070696485176e+5,
  -0.173678953558233699533450911e+3];

/** Go `math.Sinh` (overflows to ±Inf from |x| ≈ 709.78, like Go). */
export function goSinh(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  const neg = x < 0;
  const a = neg ? -x : x;
  let v: number;
  if (a > 21) {
    v = goExp(a) * 0.5;
  } else if (a > 0.5) {
    const ex = goExp(a);
    v = (ex - 1 / ex) * 0.5;
  } else {
    const sq = a * a;
    v = (((SP[3]! * sq + SP[2]!) * sq + SP[1]!) * sq + SP[0]!) * a;
    v = v / (((sq + SQ[2]!) * sq + SQ[1]!) * sq + SQ[0]!);
  }
  return neg ? -v : v;
}

/** Go `math.Cosh`. */
export function goCosh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return goExp(a) * 0.5;
  const ex = goExp(a);
  return (ex + 1 / ex) * 0.5;
}

const TP = [-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3];
const TQ = [1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3];
const MAXLOG = 8.8029691931113054295988e+01;

/** Go `math.Tanh`. */
export function goTanh(x: number): number {
  const z = Math.abs(x);
  if (z > 0.5 * MAXLOG) return x < 0 ? -1 : 1;
  if (z >= 0.625) {
    const s = goExp(2 * z);
    const r = 1 - 2 / (s + 1);
    return x < 0 ? -r : r;
  }
  if (x === 0) return x;
  const s = x * x;
  return x + x * s * ((TP[0]! * s + TP[1]!) * s + TP[2]!) / (((s + TQ[0]!) * s + TQ[1]!) * s + TQ[2]!);
}

const LN2 = Math.LN2;
const NEAR_ZERO = 1 / 2 ** 28;
const LARGE = 2 ** 28;

/** Go `math.Asinh` (Log/Log1p formulation; Log1p is the FreeBSD algorithm V8 also uses). */
export function goAsinh(x: number): number {
  if (!Number.isFinite(x)) return x;
  const neg = x < 0;
  const a = neg ? -x : x;
  let v: number;
  if (a > LARGE) v = goLog(a) + LN2;
  else if (a > 2) v = goLog(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
  else if (a < NEAR_ZERO) v = a;
  else v = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
  return neg ? -v : v;
}

/** Go `math.Acosh`. */
export function goAcosh(x: number): number {
  if (x < 1 || Number.isNaN(x)) return NaN;
  if (x === 1) return 0;
  if (x >= LARGE) return goLog(x) + LN2;
  if (x > 2) return goLog(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return Math.log1p(t + Math.sqrt(2 * t + t * t));
}

/** Go `math.Atanh`. */
export function goAtanh(x: number): number {
  if (x < -1 || x > 1 || Number.isNaN(x)) return NaN;
  if (x === 1) return Infinity;
  if (x === -1) return -Infinity;
  const neg = x < 0;
  const a = neg ? -x : x;
  let v: number;
  if (a < NEAR_ZERO) v = a;
  else if (a < 0.5) { const t = a + a; v = 0.5 * Math.log1p(t + t * a / (1 - a)); }
  else v = 0.5 * Math.log1p((a + a) / (1 - a));
  return neg ? -v : v;
}
