import { Matcher, type MatchType } from '../../labels/matcher.js';

/**
 * Builds a Matcher; when the shared Matcher cannot compile an RE2 regex because it uses inline
 * flag groups (`(?i:...)`, `(?i)` after the start, `(?s:...)`), which Node 20's RegExp lacks, the
 * regex is translated (case-folded letters, `.` matching newlines) into an equivalent JS regex and
 * a Matcher subclass evaluates that instead. `value` stays the original RE2 text.
 */
export function makeMatcher(type: MatchType, name: string, value: string): Matcher {
  try {
    return new Matcher(type, name, value);
  } catch (err) {
    if ((type !== '=~' && type !== '!~') || !/\(\?[imsU-]+[:)]/.test(value)) throw err;
    let re: RegExp;
    try { re = new RegExp(`^(?:${translateFlags(value)})$`, 'u'); } catch { throw err; }
    return new TranslatedRegexMatcher(type, name, value, re);
  }
}

class TranslatedRegexMatcher extends Matcher {
  private readonly compiled: RegExp;
  constructor(type: '=~' | '!~', name: string, value: string, re: RegExp) {
    super('=', name, value);
    (this as { type: MatchType }).type = type;
    this.compiled = re;
  }

  override matches(v: string): boolean {
    const hit = this.compiled.test(v);
    return this.type === '=~' ? hit : !hit;
  }
}

function foldChar(c: string): string {
  const lo = c.toLowerCase(); const up = c.toUpperCase();
  return lo === up ? c : `${lo}${up}`;
}

/** Rewrites RE2 inline flag groups (i, s) into flag-free JS regex syntax. */
export function translateFlags(src: string): string {
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
      const body = src.slice(p + 1, end);
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
    if (c === '.' && flags.s) { out += '[\\s\\S]'; continue; }
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
