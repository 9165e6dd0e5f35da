/**
 * Go `strconv.FormatFloat(v, fmt, -1, 64)` and the `fmt` verbs Prometheus 2.42 prints floats with,
 * reproduced byte for byte. JS and Go both pick the shortest digit string that parses back to the
 * same double (closest to the exact value when several exist), so the digits come from
 * `Number.prototype.toExponential()` and only the layout is Go's.
 */

/** Shortest round-trip decimal digits of a finite, non-zero |x|: value = 0.<digits> × 10^dp. */
interface Decimal { digits: string; dp: number }

function shortestDecimal(abs: number): Decimal {
  const s = abs.toExponential();
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  return { digits, dp: exp + 1 };
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return undefined;
}

function sign(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

function layoutF(d: Decimal): string {
  const { digits, dp } = d;
  const nd = digits.length;
  let out: string;
  if (dp <= 0) out = '0';
  else if (dp >= nd) out = digits + '0'.repeat(dp - nd);
  else out = digits.slice(0, dp);
  const prec = Math.max(nd - dp, 0);
  if (prec > 0) {
    out += '.';
    // digits of the fraction: positions dp .. nd-1, with leading zeros when dp < 0
    if (dp < 0) out += '0'.repeat(-dp) + digits;
    else out += digits.slice(dp);
  }
  return out;
}

function layoutE(d: Decimal): string {
  const { digits, dp } = d;
  let out = digits[0] ?? '0';
  if (digits.length > 1) out += '.' + digits.slice(1);
  const exp = dp - 1;
  const a = Math.abs(exp);
  return out + 'e' + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/** Go `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent; `-0` keeps its sign. */
export function formatFloatF(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (v === 0) return sign(v) + '0';
  return sign(v) + layoutF(shortestDecimal(Math.abs(v)));
}

/** Go `strconv.FormatFloat(v, 'e', -1, 64)`: `d.ddde±XX`, at least two exponent digits. */
export function formatFloatE(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (v === 0) return sign(v) + '0e+00';
  return sign(v) + layoutE(shortestDecimal(Math.abs(v)));
}

/** Go `strconv.FormatFloat(v, 'g', -1, 64)` (also what `fmt` prints for `%v`/`%g` of a float64). */
export function formatFloatG(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (v === 0) return sign(v) + '0';
  const d = shortestDecimal(Math.abs(v));
  const exp = d.dp - 1;
  return sign(v) + (exp < -4 || exp >= 6 ? layoutE(d) : layoutF(d));
}

/** Go `fmt.Sprintf("%v", v)` for a float64 (identical to {@link formatFloatG}). */
export const formatGoV = formatFloatG;

const bitsView = new DataView(new ArrayBuffer(8));

/** |v| = mant × 2^exp exactly, for finite v. */
function exactBinary(abs: number): { mant: bigint; exp: number } {
  bitsView.setFloat64(0, abs);
  const bits = bitsView.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (biased === 0) return { mant: frac, exp: -1074 };
  return { mant: frac | (1n << 52n), exp: biased - 1075 };
}

/**
 * Go `fmt.Sprintf("%f", v)`: exactly 6 decimals of the exact binary value, rounded half to even,
 * integer part in full (used in a few Prometheus error messages).
 */
export function formatGoPrintfF(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  const { mant, exp } = exactBinary(Math.abs(v));
  let scaled: bigint;
  if (exp >= 0) {
    scaled = (mant << BigInt(exp)) * 1_000_000n;
  } else {
    const num = mant * 1_000_000n;
    const den = 1n << BigInt(-exp);
    scaled = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const digits = scaled.toString().padStart(7, '0');
  return sign(v) + digits.slice(0, -6) + '.' + digits.slice(-6);
}
