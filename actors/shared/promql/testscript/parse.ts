import { labelsKey } from '../../labels/labels.js';
import { DurationSyntaxError, parseDuration } from '../parser/duration.js';
import { LiteralError, parseNumberLiteral } from '../parser/literals.js';
import { parseExpr } from '../parser/parse.js';
import { ParseError } from '../parser/errors.js';
import type { Command, EvalCommand, ExpectedSeries, LoadCommand, LoadSeries, StoreDecl } from './commands.js';
import { scriptError, SeriesSyntaxError } from './errors.js';
import { parseSeriesDesc, type SeriesDesc } from './series.js';

const LOAD = /^load\s+(.+?)$/;
const EVAL = /^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const STORE = /^store\s+(\{.*\})\s+(\S+)\s+(\S+)$/;

/**
 * Parses a PromQL test script (Prometheus 2.42's language: `load`, `clear`, `eval instant`,
 * `eval_fail instant`, `eval_ordered instant`) into commands, plus the athanor/Thanos directive
 * `store {labels} <mint> <maxt>` (durations from epoch) that routes later `load`s to that store.
 * Lines are trimmed; `#` lines count as blank; blank lines end blocks. Throws TestScriptError with
 * the 1-based line number.
 */
export function parseTestScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => { const t = l.trim(); return t.startsWith('#') ? '' : t; });
  const cmds: Command[] = [];
  let store: StoreDecl | undefined;
  let stores = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const word = l.split(/[\t ]+/, 1)[0]!.toLowerCase();
    if (word === 'clear') cmds.push({ kind: 'clear', line: i + 1 });
    else if (word === 'load') {
      const [next, cmd] = parseLoad(lines, i, store);
      i = next;
      cmds.push(cmd);
    } else if (word.startsWith('eval')) {
      const [next, cmd] = parseEval(lines, i);
      i = next;
      cmds.push(cmd);
    } else if (word === 'store') {
      store = parseStore(l, i, stores++);
      cmds.push({ kind: 'store', line: i + 1, store });
    } else throw scriptError(i + 1, `invalid command ${JSON.stringify(l)}`);
  }
  return cmds;
}

function duration(s: string, line: number): number {
  try { return parseDuration(s); } catch (e) {
    if (e instanceof DurationSyntaxError) throw scriptError(line, `invalid step definition ${JSON.stringify(s)}: ${e.message}`, e);
    throw e;
  }
}

function series(line: string, lineNo: number): SeriesDesc {
  try { return parseSeriesDesc(line); } catch (e) {
    if (e instanceof SeriesSyntaxError || e instanceof LiteralError) throw scriptError(lineNo, e.message, e);
    throw e;
  }
}

function parseLoad(lines: string[], i: number, store: StoreDecl | undefined): [number, LoadCommand] {
  const m = LOAD.exec(lines[i]!);
  if (m === null) throw scriptError(i + 1, 'invalid load command. (load <step:duration>)');
  const interval = duration(m[1]!, i + 1);
  const byKey = new Map<string, LoadSeries>();
  const start = i;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const s = series(lines[i]!, i + 1);
    const key = labelsKey(s.labels);
    byKey.delete(key);
    byKey.set(key, s);
  }
  return [i, { kind: 'load', line: start + 1, interval, series: [...byKey.values()], store }];
}

function parseEval(lines: string[], i: number): [number, EvalCommand] {
  const m = EVAL.exec(lines[i]!);
  if (m === null) throw scriptError(i + 1, 'invalid evaluation command. (eval[_fail|_ordered] instant [at <offset:duration>] <query>');
  const expr = m[3]!;
  let ast;
  try { ast = parseExpr(expr); } catch (e) {
    if (e instanceof ParseError) throw scriptError(i + 1, `query ${JSON.stringify(expr)}: ${e.message}`, e);
    throw e;
  }
  const at = duration(m[2] ?? '', i + 1);
  const line = i + 1;
  const mode = m[1] === 'fail' ? 'fail' : m[1] === 'ordered' ? 'ordered' : 'normal';
  const expected: ExpectedSeries[] = [];
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i]!;
    const scalar = tryNumber(def);
    if (scalar !== undefined) {
      // As in 2.42, a scalar expectation ends the block even if more lines follow.
      return [i, { kind: 'eval', line, mode, at, expr, ast, expected: { kind: 'scalar', value: scalar } }];
    }
    const s = series(def, i + 1);
    if (s.values.length > 1) throw scriptError(i + 1, 'expecting multiple values in instant evaluation not allowed');
    expected.push({ labels: s.labels, value: s.values[0], line: i + 1 });
  }
  return [i, { kind: 'eval', line, mode, at, expr, ast, expected: { kind: 'vector', series: expected } }];
}

function tryNumber(s: string): number | undefined {
  try { return parseNumberLiteral(s); } catch { return undefined; }
}

function parseStore(l: string, i: number, index: number): StoreDecl {
  const m = STORE.exec(l);
  if (m === null) throw scriptError(i + 1, 'invalid store command. (store {<labels>} <mint:duration> <maxt:duration>)');
  const desc = series(m[1]!, i + 1);
  const mint = duration(m[2]!, i + 1);
  const maxt = duration(m[3]!, i + 1);
  if (maxt < mint) throw scriptError(i + 1, `store maxt ${m[3]} is before mint ${m[2]}`);
  return { index, labels: desc.labels, mint, maxt };
}
