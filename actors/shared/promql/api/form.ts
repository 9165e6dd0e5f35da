/**
 * Request parameters as Go's `http.Request.ParseForm` builds `r.Form` (Go 1.19): for POST, PUT and
 * PATCH with content type `application/x-www-form-urlencoded` the body's values come first, then
 * the URL query's; `FormValue` is the first value. Pairs are split on `&` only: a pair containing
 * `;` is skipped with `invalid semicolon separator in query`, a bad `%` escape skips its pair with
 * `invalid URL escape "%zz"`. The first such error is kept (2.42 reports it only on `/series`).
 * Multipart bodies are not read (2.42 would; no Prometheus client sends them).
 */
import type { HttpRequest } from '../../../../runtime/http/types.js';

/** Parsed form values plus the first parse error Go would report. */
export class FormValues {
  constructor(private readonly values: ReadonlyMap<string, readonly string[]>, readonly error: string | undefined) {}

  /** Go's `FormValue`: the first value, or '' when absent. */
  get(name: string): string { return this.values.get(name)?.[0] ?? ''; }

  /** Every value of `name` (`r.Form[name]`), body values first. */
  getAll(name: string): readonly string[] { return this.values.get(name) ?? []; }

  /** Whether `name` was given at all. */
  has(name: string): boolean { return this.values.has(name); }
}

/** Parses the raw query of `req` and, for form posts, its body. */
export async function readForm(req: HttpRequest): Promise<FormValues> {
  const values = new Map<string, string[]>();
  let error: string | undefined;
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    if (mediaType(req.headers['content-type']) === 'application/x-www-form-urlencoded') {
      error = parseQueryInto(values, (await req.body()).toString('latin1'));
    }
  }
  const raw = req.url.search.startsWith('?') ? req.url.search.slice(1) : req.url.search;
  const qErr = parseQueryInto(values, raw);
  return new FormValues(values, error ?? qErr);
}

/** Parses `a=b&c=d` (bytes as latin1 chars) into `into`, appending; returns the first error. */
export function parseQueryInto(into: Map<string, string[]>, query: string): string | undefined {
  let err: string | undefined;
  for (const pair of query.split('&')) {
    if (pair.includes(';')) { err = 'invalid semicolon separator in query'; continue; }
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = unescape(eq < 0 ? pair : pair.slice(0, eq));
    if (typeof k !== 'string') { err ??= k.error; continue; }
    const v = unescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (typeof v !== 'string') { err ??= v.error; continue; }
    const list = into.get(k);
    if (list === undefined) into.set(k, [v]); else list.push(v);
  }
  return err;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Go `url.QueryUnescape` over latin1-coded bytes; the result is decoded as UTF-8. */
function unescape(s: string): string | { error: string } {
  if (!s.includes('%') && !s.includes('+')) return latin1ToUtf8(s);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return { error: `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}` };
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c === '+' ? 0x20 : c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes).toString('utf8');
}

function latin1ToUtf8(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
}

/** The lowercased media type of a Content-Type header, without parameters. */
function mediaType(h: string | undefined): string {
  if (h === undefined || h === '') return 'application/octet-stream';
  return h.split(';')[0]!.trim().toLowerCase();
}
