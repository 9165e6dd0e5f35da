/**
 * Go `strconv.ParseFloat(s, 64)` acceptance, as used for the `le` label of classic histogram
 * buckets: decimal numbers with optional sign, fraction and exponent; hexadecimal floats with a
 * mandatory `p` exponent; `Inf`/`Infinity` (optionally signed) and unsigned `NaN`, any letter case.
 * Returns `undefined` where Go returns an error — including finite syntax that overflows to ±Inf
 * (ErrRange). Underscore digit separators (Go accepts them only after a base prefix) are rejected.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;

export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const lower = s.toLowerCase();
  switch (lower) {
    case 'inf': case '+inf': case 'infinity': case '+infinity': return Infinity;
    case '-inf': case '-infinity': return -Infinity;
    case 'nan': return NaN;
  }
  const m = HEX.exec(s);
  if (m === null) return undefined;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart.length + fracPart.length === 0) return undefined;
  const mant = BigInt('0x' + (intPart + fracPart || '0'));
  let exp = Number(m[4]) - 4 * fracPart.length;
  let v = Number(mant);
  // scale by 2^exp in steps that stay exact until the final multiplication
  while (exp > 0 && Number.isFinite(v)) { const step = Math.min(exp, 1000); v *= 2 ** step; exp -= step; }
  while (exp < 0 && v !== 0) { const step = Math.max(exp, -1000); v *= 2 ** step; exp -= step; }
  if (!Number.isFinite(v)) return undefined;
  return m[1] === '-' ? -v : v;
}
