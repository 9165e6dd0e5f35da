import { labelsFromPairs, type Labels } from '../../labels/labels.js';
import { LiteralError, parseNumberLiteral, unquoteString } from '../parser/literals.js';
import { SeriesSyntaxError } from './errors.js';

/** One position of a value sequence: a float (possibly the stale marker) or an omitted slot. */
export type SequenceValue =
  | { readonly omitted: false; readonly value: number; readonly stale: boolean }
  | { readonly omitted: true };

export interface SeriesDesc {
  readonly labels: Labels;
  readonly values: readonly SequenceValue[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUM = String.raw`(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN])`;
const ITEM = new RegExp(String.raw`^([+-]?${NUM})(?:([+-]${NUM})?x([0-9]+))?$`);
const BLANK = /^_(?:x([0-9]+))?$/;
/** Words 2.42 lexes as keywords that its grammar does not accept as metric names. */
const NOT_METRIC = new Set(['bool', 'on', 'ignoring', 'group_left', 'group_right', 'atan2', 'inf', 'nan']);

/**
 * Parses a series description line `metric{l="v",...} <values>` with the rules of Prometheus 2.42's
 * `ParseSeriesDesc` (used by `load` lines and expected results): value items are separated by
 * blanks; `a`, `a+bxn`/`a-bxn` (n+1 values), `axn` (n+1 copies), `_`, `_xn` (n omitted), `stale`.
 * Hexadecimal is not accepted (`0x10` reads as `0` repeated: 11 zeros, as in 2.42). Throws
 * SeriesSyntaxError.
 */
export function parseSeriesDesc(line: string): SeriesDesc {
  let rest = line.trim();
  const pairs = new Map<string, string>();
  let name: string | undefined;
  const m = METRIC.exec(rest);
  if (m !== null) {
    if (NOT_METRIC.has(m[0].toLowerCase())) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(m[0])} in series description`);
    name = m[0];
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith('{')) rest = parseLabelSet(rest.slice(1), pairs);
  else if (name === undefined) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest.slice(0, 10))} in series description, expected metric or "{"`);
  if (name !== undefined) pairs.set('__name__', name);
  if (rest !== '' && !/^[ \t]/.test(rest)) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest.slice(0, 10))} after labels`);
  const values: SequenceValue[] = [];
  for (const word of rest.trim().split(/[ \t]+/)) if (word !== '') expandItem(word, values);
  return { labels: labelsFromPairs([...pairs].map(([n, v]) => ({ name: n, value: v }))), values };
}

function parseLabelSet(s: string, out: Map<string, string>): string {
  let rest = s.trimStart();
  for (;;) {
    if (rest.startsWith('}')) return rest.slice(1);
    const l = LABEL.exec(rest);
    if (l === null) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest.slice(0, 10))} in label set, expected identifier or "}"`);
    rest = rest.slice(l[0].length).trimStart();
    if (!rest.startsWith('=') || rest.startsWith('=~') || rest.startsWith('==')) {
      throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest.slice(0, 10))} in label set, expected "="`);
    }
    rest = rest.slice(1).trimStart();
    const str = scanString(rest);
    try { out.set(l[0], unquoteString(str)); } catch (e) {
      if (e instanceof LiteralError) throw new SeriesSyntaxError(`error unquoting string ${JSON.stringify(str)}: ${e.message}`);
      throw e;
    }
    rest = rest.slice(str.length).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (!rest.startsWith('}')) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest.slice(0, 10))} in label set, expected "," or "}"`);
  }
}

/** The quoted string literal at the start of `s` (with its quotes). */
function scanString(s: string): string {
  const q = s[0];
  if (q !== '"' && q !== "'" && q !== '`') throw new SeriesSyntaxError(`unexpected ${JSON.stringify(s.slice(0, 10))} in label set, expected string`);
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\' && q !== '`') { i++; continue; }
    if (s[i] === q) return s.slice(0, i + 1);
  }
  throw new SeriesSyntaxError('unterminated quoted string');
}

function num(s: string): number {
  return parseNumberLiteral(s);
}

function expandItem(word: string, out: SequenceValue[]): void {
  const b = BLANK.exec(word);
  if (b !== null) {
    const n = b[1] === undefined ? 1 : repetitions(b[1]);
    for (let i = 0; i < n; i++) out.push({ omitted: true });
    return;
  }
  if (word === 'stale') { out.push({ omitted: false, value: NaN, stale: true }); return; }
  const m = ITEM.exec(word);
  if (m === null) throw new SeriesSyntaxError(`unexpected ${JSON.stringify(word)} in series values, expected number or "stale"`);
  // 2.42 lexes `Infx2` as one identifier: a word number cannot touch the `x`.
  if (m[3] !== undefined && /[a-zA-Z]$/.test(m[2] ?? m[1]!)) {
    throw new SeriesSyntaxError(`unexpected ${JSON.stringify(word)} in series values, expected number or "stale"`);
  }
  let v = num(m[1]!);
  if (m[3] === undefined) { out.push({ omitted: false, value: v, stale: false }); return; }
  const n = repetitions(m[3]);
  const step = m[2] === undefined ? 0 : num(m[2]);
  for (let i = 0; i <= n; i++) {
    out.push({ omitted: false, value: v, stale: false });
    v += step;
  }
}

function repetitions(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new SeriesSyntaxError(`invalid repetition in series values: ${s}`);
  if (n > 1_000_000) throw new SeriesSyntaxError(`invalid repetition in series values: ${s} is more than 1000000 (limit of this parser)`);
  return n;
}
