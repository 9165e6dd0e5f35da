/**
 * RE2 inline flag groups (`(?i)`, `(?i:…)`, `(?s)`, `(?-i)`), which Prometheus regexes may use
 * anywhere but Node 20's RegExp does not support, rewritten into flag-free JS regex syntax:
 * case-insensitive letters become two-letter classes, `.` becomes `[^\n]` (`[\s\S]` under `s`), as
 * RE2's dot matches everything but a newline while JS's also stops at \r, U+2028 and U+2029.
 */
/** True when a pattern has an inline flag group. */
export const RE2_FLAG_GROUP = /\(\?[imsU]*(?:-[imsU]*)?[:)]/;

function foldChar(c: string): string {
  const lo = c.toLowerCase(); const up = c.toUpperCase();
  return lo === up ? c : `${lo}${up}`;
}

/** Rewrites RE2 inline flag groups (i, s) into flag-free JS regex syntax. */
export function translateRe2Flags(src: string): string {
  let out = '';
  const stack: Array<{ i: boolean; s: boolean }> = [];
  let flags = { i: false, s: false };
  for (let p = 0; p < src.length; p++) {
    const c = src[p]!;
    if (c === '\\') { out += src.slice(p, p + 2); p++; continue; }
    if (c === '[') {
      let end = p + 1;
      if (src[end] === '^') end++;
      if (src[end] === ']') end++;
      while (end < src.length && src[end] !== ']') { if (src[end] === '\\') end++; end++; }
      // Unterminated: keep it raw so the JS compiler rejects it as RE2 does.
      if (end >= src.length) { out += src.slice(p); break; }
      // RE2 takes a `]` right after `[` or `[^` literally; JS would read `[]` as an empty class.
      const body = src.slice(p + 1, end).replace(/^(\^?)\]/, '$1\\]');
      out += flags.i ? `[${foldClass(body)}]` : `[${body}]`;
      p = end;
      continue;
    }
    if (c === '(') {
      const f = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(src.slice(p));
      if (f !== null) {
        const next = { ...flags };
        for (const ch of f[1] ?? '') { if (ch === 'i') next.i = true; if (ch === 's') next.s = true; }
        for (const ch of f[2] ?? '') { if (ch === 'i') next.i = false; if (ch === 's') next.s = false; }
        p += f[0].length - 1;
        if (f[3] === ')') { flags = next; continue; }
        stack.push(flags); flags = next; out += '(?:';
        continue;
      }
      stack.push(flags); out += c;
      continue;
    }
    if (c === ')') { flags = stack.pop() ?? flags; out += c; continue; }
    // RE2's `.` excludes only \n (everything under `s`); JS's also excludes \r, U+2028 and U+2029.
    if (c === '.') { out += flags.s ? '[\\s\\S]' : '[^\\n]'; continue; }
    out += flags.i && /[a-zA-Z]/.test(c) ? `[${foldChar(c)}]` : c;
  }
  return out;
}

function foldClass(body: string): string {
  let extra = '';
  const re = /\\.|([a-zA-Z])-([a-zA-Z])|([a-zA-Z])/g;
  for (const m of body.matchAll(re)) {
    if (m[0].startsWith('\\')) continue;
    if (m[3] !== undefined) extra += foldChar(m[3]).replace(m[3], '');
    else {
      const [a, b] = [m[1]!, m[2]!];
      const other = (x: string) => (x === x.toLowerCase() ? x.toUpperCase() : x.toLowerCase());
      if ((a === a.toLowerCase()) === (b === b.toLowerCase())) extra += `${other(a)}-${other(b)}`;
    }
  }
  return body + extra;
}
