const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const NAMED: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/**
 * Go's `strconv.Quote`: `"` and `\` escaped; printable runes (Go `unicode.IsPrint`: letters, marks,
 * numbers, punctuation, symbols and U+0020) kept; `\a \b \f \n \r \t \v`; other runes below U+0020
 * and U+007F as `\xhh`; everything else non-printable (other spaces, format and private-use
 * characters, unassigned code points) as `\uhhhh` / `\Uhhhhhhhh`; lone surrogates as `\ufffd`.
 * Printability follows the JS engine's Unicode tables (Go 1.19 has Unicode 13): code points
 * assigned after Unicode 13 may differ.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') { out += '\\' + ch; continue; }
    if (r === 0x20 || (r > 0x20 && r < 0x7f)) { out += ch; continue; }
    if (r >= 0xd800 && r <= 0xdfff) { out += '\\ufffd'; continue; }
    if (r > 0x7f && PRINTABLE.test(ch)) { out += ch; continue; }
    const named = NAMED[r];
    if (named !== undefined) out += named;
    else if (r < 0x20 || r === 0x7f) out += '\\x' + r.toString(16).padStart(2, '0');
    else if (r < 0x10000) out += '\\u' + r.toString(16).padStart(4, '0');
    else out += '\\U' + r.toString(16).padStart(8, '0');
  }
  return out + '"';
}
