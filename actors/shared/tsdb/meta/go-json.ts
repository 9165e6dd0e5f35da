/**
 * JSON text exactly as Go's encoding/json writes it with `MarshalIndent(v, "", "\t")`:
 * HTML-escaped strings (`<`, `>`, `&` → `\u003c`…), U+2028/U+2029 escaped, lone surrogates as
 * U+FFFD, `{}`/`[]` for empty containers, object keys in the order given (Go struct field order).
 */
export type GoValue = string | number | boolean | null | readonly GoValue[] | GoObject;

/** An object whose keys keep the given order (a Go struct, or a map already sorted by key). */
export class GoObject {
  readonly entries: (readonly [string, GoValue])[] = [];
  set(key: string, value: GoValue): this { this.entries.push([key, value]); return this; }
}

const HEX = '0123456789abcdef';

/** Go's `encodeState.string` with escapeHTML on. */
export function goQuote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22: esc = '\\"'; break;
        case 0x5c: esc = '\\\\'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0d: esc = '\\r'; break;
        case 0x09: esc = '\\t'; break;
        case 0x08: esc = '\\b'; break;
        case 0x0c: esc = '\\f'; break;
        default: esc = '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      esc = '\\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`json: unsupported value: ${n}`);
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

/** Serialises `v` like `json.MarshalIndent(v, "", "\t")` (no trailing newline). */
export function goMarshalIndent(v: GoValue, depth = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const inner = '\n' + '\t'.repeat(depth + 1);
  const close = '\n' + '\t'.repeat(depth);
  if (v instanceof GoObject) {
    if (v.entries.length === 0) return '{}';
    return '{' + v.entries.map(([k, x]) => inner + goQuote(k) + ': ' + goMarshalIndent(x, depth + 1)).join(',') + close + '}';
  }
  const arr = v as readonly GoValue[];
  if (arr.length === 0) return '[]';
  return '[' + arr.map((x) => inner + goMarshalIndent(x, depth + 1)).join(',') + close + ']';
}

/**
 * Converts parsed JSON of unknown shape to a GoValue the way Go re-encodes an `any`:
 * objects become maps, whose keys Go sorts by byte order.
 */
export function goValueFromUnknown(x: unknown, sortKeys: boolean): GoValue {
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map((e) => goValueFromUnknown(e, sortKeys));
  if (typeof x === 'object') {
    const o = new GoObject();
    const keys = Object.keys(x as object);
    if (sortKeys) keys.sort(compareBytes);
    for (const k of keys) o.set(k, goValueFromUnknown((x as Record<string, unknown>)[k], sortKeys));
    return o;
  }
  return null;
}

/** Go string order (UTF-8 bytes). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
