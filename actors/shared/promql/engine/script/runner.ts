import { readFile } from 'node:fs/promises';
import { defineDomainError } from '../../../errors/domain-error.js';
import type { EvalCommand, LoadCommand } from '../../testscript/commands.js';
import { parseTestScript } from '../../testscript/parse.js';
import { MemoryStorage } from '../../storage/memory-storage.js';
import { Engine } from '../engine.js';
import type { QueryValue, Sample } from '../result.js';
import { atCheckTimes, pinToTime } from './at-rewrite.js';
import { compareResult } from './compare.js';

/** A test script file could not be read. `data.file`. Not retryable. */
export const ScriptFileError = defineDomainError('PROMQL_SCRIPT_FILE', false, 'ScriptFileError');

/** The outcome of one `eval` command (all its 2.42 re-checks included). */
export interface EvalOutcome {
  readonly line: number;
  readonly expr: string;
  readonly mode: 'normal' | 'fail' | 'ordered';
  readonly ok: boolean;
  /** Why it failed (undefined when ok). */
  readonly message?: string;
}

export interface ScriptReport {
  readonly file?: string;
  readonly evals: EvalOutcome[];
  readonly passed: number;
  readonly failed: number;
}

/** The engine settings Prometheus 2.42's test harness uses. */
export function testEngine(): Engine {
  return new Engine({ maxSamples: 10_000, timeoutMs: 100_000, lookbackDeltaMs: 5 * 60_000, defaultSubqueryStepMs: 60_000 });
}

function load(st: MemoryStorage, cmd: LoadCommand): void {
  for (const s of cmd.series) {
    s.values.forEach((v, i) => {
      if (v.omitted) return;
      const t = i * cmd.interval;
      if (v.stale) st.appendStale(s.labels, t); else st.append(s.labels, t, v.value);
    });
  }
}

function errText(e: unknown): string { return e instanceof Error ? e.message : String(e); }

/** Runs one eval the way 2.42's harness does (instant, range-mode and `@` re-checks). */
async function runEval(engine: Engine, st: MemoryStorage, cmd: EvalCommand): Promise<string | undefined> {
  const queries = [{ expr: cmd.ast, t: cmd.at, label: 'query' }];
  const pinned = pinToTime(cmd.ast, cmd.at);
  if (pinned !== undefined) for (const t of atCheckTimes(cmd.at)) queries.push({ expr: pinned, t, label: `@-pinned query at ${t}ms` });
  for (const q of queries) {
    let res: QueryValue;
    try {
      res = (await engine.instantQuery(st, q.expr, q.t)).value;
    } catch (e) {
      if (cmd.mode === 'fail') continue;
      return `${q.label}: error evaluating: ${errText(e)}`;
    }
    if (cmd.mode === 'fail') return `${q.label}: expected an error but got none`;
    const err = compareResult(cmd.expected, res, cmd.mode === 'ordered');
    if (err !== undefined) return `${q.label}: ${err}`;
    let range;
    try {
      range = (await engine.rangeQuery(st, q.expr, q.t - 60_000, q.t + 60_000, 60_000)).value;
    } catch (e) {
      return `${q.label}: error evaluating in range mode: ${errText(e)}`;
    }
    if (cmd.mode === 'ordered' || range.type !== 'matrix') continue;
    const samples: Sample[] = [];
    for (const s of range.series) {
      for (let i = 0; i < s.ts.length; i++) if (s.ts[i] === q.t) { samples.push({ labels: s.labels, t: q.t, v: s.vs[i]! }); break; }
    }
    const asValue: QueryValue = res.type === 'scalar' ? { type: 'scalar', t: q.t, v: samples[0]?.v ?? NaN } : { type: 'vector', samples };
    const rerr = compareResult(cmd.expected, asValue, false);
    if (rerr !== undefined) return `${q.label} in range mode: ${rerr}`;
  }
  return undefined;
}

/** Parses and runs a script's text (throws TestScriptError when it does not parse). */
export async function runTestScriptText(text: string, file?: string, engine: Engine = testEngine()): Promise<ScriptReport> {
  const cmds = parseTestScript(text);
  let st = new MemoryStorage();
  const evals: EvalOutcome[] = [];
  for (const c of cmds) {
    if (c.kind === 'clear') st = new MemoryStorage();
    else if (c.kind === 'load') load(st, c);
    else if (c.kind === 'eval') {
      const message = await runEval(engine, st, c);
      evals.push({ line: c.line, expr: c.expr, mode: c.mode, ok: message === undefined, ...(message === undefined ? {} : { message }) });
    }
  }
  const passed = evals.filter((e) => e.ok).length;
  return { ...(file === undefined ? {} : { file }), evals, passed, failed: evals.length - passed };
}

/** Reads and runs a script file; unreadable files are ScriptFileError. */
export async function runTestScript(path: string | URL, engine?: Engine): Promise<ScriptReport> {
  const name = path instanceof URL ? path.pathname : path;
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    throw new ScriptFileError(`reading promql test script ${name}: ${errText(e)}`, { data: { file: name }, cause: e });
  }
  return runTestScriptText(text, name, engine);
}
