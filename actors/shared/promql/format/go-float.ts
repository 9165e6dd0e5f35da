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

/**
 * Go `fmt.Sprintf("%f", v)` (6 decimals), used in a few Prometheus error messages.
 * Exact for |v| ≥ 1e21 (integers, printed in full) and for every value whose 7th decimal is not an
 * exact binary tie; on exact ties JS rounds away from zero where Go rounds half to even.
 */
export function formatGoPrintfF(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  const abs = Math.abs(v);
  const body = abs >= 1e21 ? BigInt(abs).toString() + '.000000' : abs.toFixed(6);
  return sign(v) + body;
}
