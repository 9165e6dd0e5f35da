import { compareUtf8, type Label, type Labels } from '../../labels/labels.js';
import { parseError, type OpenMetricsParseError } from './errors.js';
import { parseGoFloat } from './parse-float.js';

/** One sample: sorted labels (with `__name__`), timestamp in ms, value (NaN = Go's NaN bits). */
export interface OmSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** What `# TYPE`, `# HELP`, `# UNIT` said about a metric family. */
export interface OmFamilyMeta { type?: string; help?: string; unit?: string }

const TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const SERIES_CACHE_MAX = 200_000;

// Character classes of the OpenMetrics lexer (2.42 openmetricslex.l).
function isM(c: number): boolean { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58; }
function isL(c: number): boolean { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95; }
function isD(c: number): boolean { return c >= 48 && c <= 57; }

function unescape(v: string): string {
  // Prometheus's lvalReplacer: \" → ", \\ → \, \n → newline; any other escape is kept verbatim.
  return v.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * A streaming parser for the OpenMetrics text `promtool tsdb create-blocks-from openmetrics` (2.42)
 * accepts. Feed bytes with `write(chunk)` (any split, even inside a UTF-8 sequence) and finish with
 * `end()`; each returns the samples completed so far, in input order.
 *
 * Accepted exactly as promtool's parser: `# HELP|TYPE|UNIT name text` lines, sample lines
 * `name{l="v",…} value timestamp` with single spaces, escaped label values (`\"`, `\\`, `\n`),
 * values and timestamps as Go floats (`NaN`, `±Inf`, exponents), timestamps in SECONDS turned into
 * ms as `trunc(seconds × 1000)`, optional exemplars `# {…} v [ts]` (validated, then dropped), and a
 * final `# EOF` with nothing after it. Rejected with OpenMetricsParseError (file, line, column):
 * any other comment, blank lines, extra spaces, bad names, unknown TYPE, a UNIT that is not a suffix,
 * unparsable numbers, NaN/Inf timestamps, a missing timestamp (promtool requires one), duplicate label
 * names, invalid UTF-8 anywhere (promtool only checks label values and HELP), missing `# EOF`.
 * Labels come sorted by name with empty values dropped, as the TSDB head stores them. A stale marker
 * cannot be written in text: `NaN` parses to Go's ordinary NaN (0x7ff8000000000001).
 * Errors are thrown from `write`/`end`; samples returned before an error stay valid input order.
 */
export class OpenMetricsParser {
  /** Per metric family metadata seen so far. */
  readonly metadata = new Map<string, OmFamilyMeta>();
  private carry: Uint8Array | undefined;
  private line = 0;
  private eof = false;
  private readonly cache = new Map<string, Labels>();
  private out: OmSample[] = [];

  constructor(readonly file = '<openmetrics>') {}

  /** Parses all complete lines in `chunk` (plus any carried partial line). */
  write(chunk: Uint8Array): OmSample[] {
    let buf = chunk;
    if (this.carry !== undefined) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry); buf.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) { this.carry = buf.length ? buf.slice() : undefined; return this.take(); }
    if (last + 1 < buf.length) this.carry = buf.slice(last + 1);
    this.lines(this.decode(buf.subarray(0, last + 1)), true);
    return this.take();
  }

  /** Parses the rest and checks the input ended with `# EOF`. */
  end(): OmSample[] {
    if (this.carry !== undefined) {
      const rest = this.decode(this.carry);
      this.carry = undefined;
      this.lines(rest, false);
    }
    if (!this.eof) throw parseError(this.file, this.line, 0, 'data does not end with # EOF');
    return this.take();
  }

  /** Parses a whole text at once. */
  static parseText(text: string, file?: string): OmSample[] {
    const p = new OpenMetricsParser(file);
    const a = p.write(Buffer.from(text, 'utf8'));
    return a.concat(p.end());
  }

  private take(): OmSample[] { const o = this.out; this.out = []; return o; }

  private decode(b: Uint8Array): string {
    try { return utf8.decode(b); } catch {
      let at = 0, ln = this.line;
      for (;;) {
        const nl = b.indexOf(10, at);
        const end = nl < 0 ? b.length : nl + 1;
        ln++;
        try { utf8.decode(b.subarray(at, end)); } catch { throw parseError(this.file, ln, 0, 'invalid utf-8'); }
        if (nl < 0) break;
        at = end;
      }
      throw parseError(this.file, this.line + 1, 0, 'invalid utf-8');
    }
  }

  /** `text` holds whole lines; when `terminated`, it ends with a newline. */
  private lines(text: string, terminated: boolean): void {
    let at = 0;
    const n = text.length;
    while (at < n) {
      let nl = text.indexOf('\n', at);
      const hasNl = nl >= 0;
      if (!hasNl) nl = n;
      this.line++;
      if (this.eof) throw parseError(this.file, this.line, 1, 'unexpected data after # EOF');
      const s = text.slice(at, nl);
      if (s.charCodeAt(0) === 35 /* # */) this.comment(s, hasNl);
      else this.sample(s, hasNl);
      at = nl + 1;
    }
    void terminated;
  }

  private fail(col: number, what: string): OpenMetricsParseError { return parseError(this.file, this.line, col, what); }

  private comment(s: string, hasNl: boolean): void {
    if (s === '# EOF') { this.eof = true; return; }
    const kind = s.startsWith('# HELP ') ? 'HELP' : s.startsWith('# TYPE ') ? 'TYPE' : s.startsWith('# UNIT ') ? 'UNIT' : undefined;
    if (kind === undefined) throw this.fail(1, 'a comment must be # HELP, # TYPE, # UNIT or # EOF');
    let i = 7;
    if (i >= s.length || !isM(s.charCodeAt(i))) throw this.fail(i + 1, `expected metric name after ${kind}`);
    while (i < s.length && (isM(s.charCodeAt(i)) || isD(s.charCodeAt(i)))) i++;
    const name = s.slice(7, i);
    if (i >= s.length || s.charCodeAt(i) !== 32 || !hasNl) throw this.fail(i + 1, `expected text in ${kind}`);
    const text = s.slice(i + 1);
    const meta = this.metadata.get(name) ?? {};
    if (kind === 'TYPE') {
      if (!TYPES.has(text)) throw this.fail(i + 2, `invalid metric type "${text}"`);
      meta.type = text;
    } else if (kind === 'HELP') {
      meta.help = text.includes('\\') ? unescape(text) : text;
    } else {
      if (text.length > 0 && !(name.endsWith(text) && name.length >= text.length + 1 && name.charCodeAt(name.length - text.length - 1) === 95)) {
        throw this.fail(i + 2, `unit "${text}" is not a suffix of metric "${name}"`);
      }
      meta.unit = text;
    }
    this.metadata.set(name, meta);
  }

  private sample(s: string, hasNl: boolean): void {
    const n = s.length;
    if (n === 0) throw this.fail(1, 'empty line');
    if (!isM(s.charCodeAt(0))) throw this.fail(1, `"${s[0]}" is not a valid start of a metric name`);
    let i = 1;
    let c = 0;
    while (i < n && (isM(c = s.charCodeAt(i)) || isD(c))) i++;
    const nameEnd = i;
    if (i < n && s.charCodeAt(i) === 123 /* { */) i = this.skipLabels(s, i + 1);
    const key = s.slice(0, i);
    if (i >= n || s.charCodeAt(i) !== 32) throw this.fail(i + 1, 'expected value after metric');
    let j = s.indexOf(' ', i + 1);
    if (j < 0) j = n;
    if (j === i + 1) throw this.fail(i + 2, 'expected value after metric');
    const v = parseGoFloat(s.slice(i + 1, j));
    if (v === undefined) throw this.fail(i + 2, `invalid value "${s.slice(i + 1, j)}"`);
    if (j >= n || s.startsWith(' # {', j)) throw this.fail(j + 1, 'sample has no timestamp (promtool requires one)');
    let k = s.indexOf(' ', j + 1);
    if (k < 0) k = n;
    if (k === j + 1) throw this.fail(j + 2, 'expected timestamp or # symbol');
    const tsText = s.slice(j + 1, k);
    const sec = parseGoFloat(tsText);
    if (sec === undefined) throw this.fail(j + 2, `invalid timestamp "${tsText}"`);
    if (Number.isNaN(sec) || !Number.isFinite(sec)) throw this.fail(j + 2, 'invalid timestamp');
    const t = Math.trunc(sec * 1000);
    if (!Number.isSafeInteger(t)) throw this.fail(j + 2, `timestamp ${tsText} out of range`);
    if (k < n) {
      if (!s.startsWith(' # {', k)) throw this.fail(k + 1, 'expected next entry after timestamp');
      this.exemplar(s, nameEnd, k + 4);
    }
    if (!hasNl) throw this.fail(n + 1, 'data does not end with # EOF');
    let labels = this.cache.get(key);
    if (labels === undefined) {
      labels = this.buildLabels(s, nameEnd, i);
      if (this.cache.size >= SERIES_CACHE_MAX) this.cache.clear();
      this.cache.set(key, labels);
    }
    this.out.push({ labels, t, v });
  }

  /** Validates `name="value",…}` starting at `i` (just after `{`); returns the index after `}`. */
  private skipLabels(s: string, i: number): number {
    const n = s.length;
    let first = true;
    for (;;) {
      if (i >= n) throw this.fail(i + 1, 'expected label name or right brace');
      let c = s.charCodeAt(i);
      if (c === 125 /* } */) return i + 1;
      if (!first) {
        if (c !== 44 /* , */) throw this.fail(i + 1, 'expected comma or right brace');
        i++;
        c = s.charCodeAt(i);
      }
      if (!isL(c)) throw this.fail(i + 1, 'expected label name');
      i++;
      while (i < n && (isL(c = s.charCodeAt(i)) || isD(c))) i++;
      if (s.charCodeAt(i) !== 61 /* = */) throw this.fail(i + 1, 'expected equal');
      i++;
      if (s.charCodeAt(i) !== 34 /* " */) throw this.fail(i + 1, 'expected label value');
      i++;
      for (;;) {
        if (i >= n) throw this.fail(i + 1, 'unterminated label value');
        c = s.charCodeAt(i);
        if (c === 34) break;
        i += c === 92 /* \ */ ? 2 : 1;
      }
      i++;
      first = false;
    }
  }

  private buildLabels(s: string, nameEnd: number, end: number): Labels {
    const ls: Label[] = [{ name: '__name__', value: s.slice(0, nameEnd) }];
    let i = nameEnd + 1;
    while (i < end - 1) {
      if (s.charCodeAt(i) === 44) i++;
      const eq = s.indexOf('=', i);
      const name = s.slice(i, eq);
      let j = eq + 2;
      while (s.charCodeAt(j) !== 34) j += s.charCodeAt(j) === 92 ? 2 : 1;
      const raw = s.slice(eq + 2, j);
      ls.push({ name, value: raw.includes('\\') ? unescape(raw) : raw });
      i = j + 1;
    }
    // As the head: drop empty values first, then reject duplicate names.
    const out = ls.filter((l) => l.value !== '').sort((a, b) => compareUtf8(a.name, b.name));
    for (let k = 1; k < out.length; k++) {
      if (out[k]!.name === out[k - 1]!.name) throw this.fail(1, `label name "${out[k]!.name}" is not unique`);
    }
    return out;
  }

  private exemplar(s: string, nameEnd: number, i: number): void {
    const name = s.slice(0, nameEnd);
    if (!name.endsWith('_total') && !name.endsWith('_bucket')) throw this.fail(i - 2, `metric name ${name} does not support exemplars`);
    const n = s.length;
    i = this.skipLabels(s, i);
    if (i >= n || s.charCodeAt(i) !== 32) throw this.fail(i + 1, 'expected value after exemplar labels');
    let j = s.indexOf(' ', i + 1);
    if (j < 0) j = n;
    if (parseGoFloat(s.slice(i + 1, j)) === undefined) throw this.fail(i + 2, 'invalid exemplar value');
    if (j < n) {
      let k = s.indexOf(' ', j + 1);
      if (k < 0) k = n;
      const ts = parseGoFloat(s.slice(j + 1, k));
      if (ts === undefined) throw this.fail(j + 2, 'invalid exemplar timestamp');
      if (!Number.isFinite(ts)) throw this.fail(j + 2, 'invalid exemplar timestamp');
      if (k < n) throw this.fail(k + 1, 'expected next entry after exemplar timestamp');
    }
  }
}
