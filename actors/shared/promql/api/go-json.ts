/**
 * JSON text exactly as Go's `encoding/json` (Go 1.19, the toolchain of the Prometheus 2.42 build)
 * and jsoniter's `ConfigCompatibleWithStandardLibrary` write it: strings with HTML escaping
 * (`<` `>` `&` → `\u003c` `\u003e` `\u0026`), U+2028/U+2029 escaped, `\n` `\r` `\t` short forms,
 * every other control character as `\u00xx` (lowercase hex), lone surrogates (which UTF-8 input
 * can never produce, but JS strings can) as `\ufffd`. Maps are written with keys in byte order.
 */
import type { Labels } from '../../labels/labels.js';
import { compareUtf8 } from '../../labels/labels.js';

const HEX = '0123456789abcdef';
// Characters that force the slow path.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

/** A JSON string literal (with quotes) as Go writes it. */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { out += s[i]! + s[i + 1]!; i++; } else out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x3c: case 0x3e: case 0x26: case 0x2028: case 0x2029:
        out += '\\u' + HEX[(c >> 12) & 15]! + HEX[(c >> 8) & 15]! + HEX[(c >> 4) & 15]! + HEX[c & 15]!; break;
      default:
        out += c < 0x20 ? '\\u00' + HEX[c >> 4]! + HEX[c & 15]! : s[i]!;
    }
  }
  return out + '"';
}

/** A list of strings as a JSON array (`[]` when empty). */
export function goJsonStringList(xs: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i === 0 ? '' : ',') + goJsonString(xs[i]!);
  return out + ']';
}

/**
 * A label set as a JSON object, as Prometheus's `labels.Labels.MarshalJSON` (a Go map: keys in
 * byte order; a repeated name keeps its last value, which a valid label set never has).
 */
export function goJsonLabels(ls: Labels): string {
  let sorted = true;
  for (let i = 1; i < ls.length; i++) if (compareUtf8(ls[i - 1]!.name, ls[i]!.name) >= 0) { sorted = false; break; }
  const xs = sorted ? ls : dedupeSorted(ls);
  let out = '{';
  for (let i = 0; i < xs.length; i++) out += (i === 0 ? '' : ',') + goJsonString(xs[i]!.name) + ':' + goJsonString(xs[i]!.value);
  return out + '}';
}

function dedupeSorted(ls: Labels): Labels {
  const m = new Map<string, string>();
  for (const l of ls) m.set(l.name, l.value);
  return [...m].sort((a, b) => compareUtf8(a[0], b[0])).map(([name, value]) => ({ name, value }));
}
