/**
 * Number and string literal semantics of Prometheus 2.42 (Go's strconv rules, which the
 * Prometheus parser delegates to).
 */

/** Thrown with Prometheus' message text (without position). */
export class LiteralError extends Error {}

const DEC_INT = /^[+-]?[1-9][0-9]*$|^[+-]?0$/;
const HEX_INT = /^[+-]?0[xX][0-9a-fA-F]+$/;
const OCT_INT = /^[+-]?0[0-7]+$/;
const BIN_INT = /^[+-]?0[bB][01]+$/;
const OCT_O_INT = /^[+-]?0[oO][0-7]+$/;
const DEC_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_NAN = /^(?:[+-]?(?:inf|infinity)|nan)$/i;

function parseGoInt(s: string): number | undefined {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '');
  let v: bigint;
  if (DEC_INT.test(s)) v = BigInt(body);
  else if (HEX_INT.test(s)) v = BigInt(body);
  else if (BIN_INT.test(s)) v = BigInt(body);
  else if (OCT_O_INT.test(s)) v = BigInt(body);
  else if (OCT_INT.test(s)) v = BigInt('0o' + body.slice(1));
  else return undefined;
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return Number(v);
}

/**
 * Go `strconv.ParseInt(s, 0, 64)`, falling back to `strconv.ParseFloat(s, 64)`, as Prometheus parses
 * number literals: so `010` is 8, `0x1f` is 31, `Inf`/`NaN` in any case. Throws LiteralError with
 * Prometheus' `error parsing number: ...` text.
 */
export function parseNumberLiteral(s: string): number {
  const i = parseGoInt(s);
  if (i !== undefined) return i;
  if (INF_NAN.test(s)) return /nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity;
  if (DEC_FLOAT.test(s)) {
    const f = Number(s);
    if (!Number.isFinite(f)) throw new LiteralError(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
    return f;
  }
  throw new LiteralError(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** Go's `%v` of a float64: shortest digits, exponent form when the exponent is < -4 or >= 6 (`1e+06`). */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return String(v);
}

const SIMPLE_ESC: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Unquotes a PromQL string literal (with its quotes) by Go's rules: `"..."` and `'...'` take the
 * escapes `\a \b \f \n \r \t \v \\`, the own quote, octal `\NNN`, `\xHH` (raw bytes), `\uHHHH`,
 * `\UHHHHHHHH`; backtick strings are raw. Throws LiteralError with a Prometheus-like message.
 */
export function unquoteString(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new LiteralError('unterminated quoted string');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new LiteralError('invalid syntax');
    return body;
  }
  if (q !== '"' && q !== "'") throw new LiteralError('invalid syntax');
  if (!body.includes('\\')) {
    if (body.includes(q) || body.includes('\n')) throw new LiteralError('invalid syntax');
    return body;
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c !== '\\') {
      if (c === q || c === '\n') throw new LiteralError('invalid syntax');
      const cp = body.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...enc.encode(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new LiteralError('escape sequence not terminated');
    if (e in SIMPLE_ESC) { bytes.push(SIMPLE_ESC[e]!); i += 2; continue; }
    if (e === q) { bytes.push(q.charCodeAt(0)); i += 2; continue; }
    let n: number; let base: number; let max: number; let start = i + 2;
    if (e >= '0' && e <= '7') { n = 3; base = 8; max = 255; start = i + 1; }
    else if (e === 'x') { n = 2; base = 16; max = 255; }
    else if (e === 'u') { n = 4; base = 16; max = 0x10ffff; }
    else if (e === 'U') { n = 8; base = 16; max = 0x10ffff; }
    else throw new LiteralError(`unknown escape sequence ${describeRune(e)}`);
    const digits = body.slice(start, start + n);
    const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    if (digits.length < n) throw new LiteralError('escape sequence not terminated');
    if (!re.test(digits)) throw new LiteralError(`illegal character in escape sequence`);
    const x = parseInt(digits, base);
    if (x > max || (x >= 0xd800 && x < 0xe000)) throw new LiteralError('escape sequence is an invalid Unicode code point');
    if (e === 'x' || base === 8) bytes.push(x);
    else bytes.push(...enc.encode(String.fromCodePoint(x)));
    i = start + n;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Go's `%#U` of a character: `U+0027 '''`. */
export function describeRune(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}

/** Quotes a string the way Go's `%q` does (escapes non-printables; keeps printable Unicode). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}
