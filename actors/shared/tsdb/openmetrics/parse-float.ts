import { bitsToFloat, GO_NAN_HI, GO_NAN_LO } from '../chunkenc/float-bits.js';

/** Go's `math.NaN()` (bits 0x7ff8000000000001), which Go's ParseFloat returns for "NaN". */
export const GO_NAN = bitsToFloat(GO_NAN_HI, GO_NAN_LO);

/**
 * Parses a float exactly as Prometheus 2.42's text parsers do (`strconv.ParseFloat(s, 64)` after
 * rejecting `p`, `P` and `_`): optional sign, decimal digits with optional point and exponent;
 * case-insensitive `inf`/`infinity` with optional sign; `nan` without sign (returned with Go's NaN
 * bits). Returns undefined for a syntax error and for decimal overflow to ±Inf (Go's ErrRange);
 * underflow to 0 is accepted as in Go. Hex floats are never accepted (they need `p`).
 */
export function parseGoFloat(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) { i = 1; if (n === 1) return undefined; c = s.charCodeAt(1); }
  if (c >= 48 && c <= 57 || c === 46 /* . */) {
    let digits = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { i++; digits++; }
    if (i < n && c === 46) {
      i++;
      while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { i++; digits++; }
    }
    if (digits === 0) return undefined;
    if (i < n && (c === 101 || c === 69)) {
      i++;
      if (i < n && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
      const e0 = i;
      while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
      if (i === e0) return undefined;
    }
    if (i !== n) return undefined;
    const v = Number(s);
    if (v === Infinity || v === -Infinity) return undefined;
    return v;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  if (i === 0 && rest === 'nan') return GO_NAN;
  return undefined;
}
