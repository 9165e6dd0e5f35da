/**
 * The PromQL oracle: every query of the compliance suite's expanded-queries.txt, run as a range
 * query on a real Prometheus 2.42 and on our Engine over BlockQueryable, both reading the SAME
 * promtool-backfilled blocks of the demo-shaped data (test/harness/compliance-data.ts).
 *
 * Time windows (see defaultWindows): `main`, like the compliance tool, a fixed window just before
 * the end of the data: end = last sample − 5 min, start = end − 1 h, step 10 s (361 steps); with the
 * default 5 h of data (blocks [0,2h), [2h,4h), [4h,5h)) it crosses a block boundary. `edge`: from
 * 10 min before the first sample to 30 min after, step 25 s (97 steps), where look-backs and ranges
 * run out of data. A query passes only if it passes in every window.
 *
 * Verdict per line: `OK` lines pass when both succeed with equal results (see compare-results.ts
 * below); `FAIL` lines pass when both fail. Run standalone for a report:
 *   node --import tsx test/promql/oracle-runner.ts [--json]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine, type EngineOptions, type QueryValue } from '../../actors/shared/promql/engine/index.js';
import { BlockQueryable } from '../../actors/shared/promql/storage/block-queryable.js';
import { writeComplianceOpenMetrics, type ComplianceDataOptions } from '../harness/compliance-data.js';
import { startPrometheus } from '../harness/prometheus.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';
import { labelsFromObject, labelsToString } from '../../actors/shared/labels/labels.js';

export const QUERIES_FILE = fileURLToPath(new URL('../../../shared/compliance/expanded-queries.txt', import.meta.url));

/** 5 h at 15 s from 1699999200 (a 2 h boundary), each target's scrapes jittered by up to 100 ms. */
export const DEFAULT_DATA: ComplianceDataOptions = { hours: 5, jitterMs: 100 };

/** One line of expanded-queries.txt. */
export interface OracleQuery { readonly expect: 'OK' | 'FAIL'; readonly query: string }

/** Parses `OK<TAB>query` / `FAIL<TAB>query` lines (blank lines skipped); throws on anything else. */
export function parseQueries(text: string): OracleQuery[] {
  const out: OracleQuery[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    const expect = line.slice(0, tab);
    if (tab < 0 || (expect !== 'OK' && expect !== 'FAIL')) throw new Error(`parsing queries file: line ${i + 1} is not OK/FAIL<TAB>query`);
    out.push({ expect, query: line.slice(tab + 1) });
  });
  return out;
}

export interface OracleOutcome extends OracleQuery {
  readonly pass: boolean;
  /** Why it failed (or for FAIL lines, the Prometheus error). */
  readonly detail: string;
  /** Series in Prometheus's answer (0 on error). */
  readonly series: number;
}

export interface OracleReport {
  readonly total: number;
  readonly passed: number;
  /** Passing OK queries whose answer (in the main window) had at least one series. */
  readonly nonEmpty: number;
  readonly windows: readonly OracleWindow[];
  readonly blocks: number;
  readonly samples: number;
  readonly outcomes: readonly OracleOutcome[];
  readonly elapsedMs: number;
}

/** One range-query window, Unix seconds. */
export interface OracleWindow { readonly name: string; readonly start: number; readonly end: number; readonly step: number }

/** The windows used for data with samples in [minSec, maxSec]. */
export function defaultWindows(minSec: number, maxSec: number): OracleWindow[] {
  const end = Math.floor(maxSec) - 300, first = Math.floor(minSec);
  return [
    { name: 'main', start: end - 3600, end, step: 10 },
    { name: 'edge', start: first - 600, end: first + 1800, step: 25 },
  ];
}

export interface OracleOptions {
  readonly queries?: readonly OracleQuery[];
  /** The data set (default DEFAULT_DATA). */
  readonly data?: ComplianceDataOptions;
  /** Queries in flight at once (default 4). */
  readonly concurrency?: number;
  /** Relative tolerance for values (default 1e-5). */
  readonly relTolerance?: number;
  /** Per-query timeout on our side, ms (default 30 s). */
  readonly queryTimeoutMs?: number;
  /** Options of our engine (e.g. a wrong lookback, to check that the oracle notices). */
  readonly engine?: EngineOptions;
}

/** Outcome of comparing Prometheus's query_range body with our answer (or error). */
export type RangeComparison =
  | { kind: 'equal'; series: number }
  | { kind: 'differ'; why: string; series: number }
  | { kind: 'both-failed'; promError: string; ourError: string }
  | { kind: 'prom-failed'; promError: string }
  | { kind: 'we-failed'; ourError: string };

interface Points { readonly key: string; readonly ts: number[]; readonly vs: number[] }

function apiNumber(s: unknown): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (typeof s !== 'string' || s.trim() === '' || Number.isNaN(Number(s))) throw new Error(`decoding prometheus answer: bad value ${JSON.stringify(s)}`);
  return Number(s);
}

/** Decodes a Prometheus `data` (matrix from query_range) into series in answer order. */
function fromApi(data: unknown): Points[] {
  const d = data as { resultType?: unknown; result?: unknown };
  if (d.resultType !== 'matrix' || !Array.isArray(d.result)) throw new Error(`decoding prometheus answer: resultType ${String(d.resultType)}, want matrix`);
  return d.result.map((x: unknown) => {
    const s = x as { metric?: Record<string, string>; values?: [number, unknown][] };
    const ts: number[] = [], vs: number[] = [];
    for (const [t, v] of s.values ?? []) { ts.push(Math.round(t * 1000)); vs.push(apiNumber(v)); }
    return { key: labelsToString(labelsFromObject(s.metric ?? {})), ts, vs };
  });
}

function fromOurs(v: QueryValue): Points[] {
  switch (v.type) {
    case 'matrix': return v.series.map((s) => ({ key: labelsToString(s.labels), ts: Array.from(s.ts), vs: Array.from(s.vs) }));
    case 'vector': return v.samples.map((s) => ({ key: labelsToString(s.labels), ts: [s.t], vs: [s.v] }));
    case 'scalar': return [{ key: '{}', ts: [v.t], vs: [v.v] }];
    case 'string': return [{ key: '{}', ts: [v.t], vs: [NaN] }];
  }
}

/** Values agree: both NaN, identical, or within `rel` of the larger magnitude (no absolute margin). */
export function closeEnough(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

function diffPoints(want: Points, got: Points, rel: number): string | undefined {
  const w = new Map(want.ts.map((t, i) => [t, want.vs[i]!]));
  const g = new Map(got.ts.map((t, i) => [t, got.vs[i]!]));
  const missing = want.ts.filter((t) => !g.has(t)), extra = got.ts.filter((t) => !w.has(t));
  if (missing.length > 0 || extra.length > 0) {
    return `${want.key}: ${got.ts.length} points, want ${want.ts.length} (${missing.length} missing, first @${missing[0] ?? '-'}; ${extra.length} extra, first @${extra[0] ?? '-'})`;
  }
  let bad = 0, first = '';
  for (const [t, v] of g) {
    if (closeEnough(w.get(t)!, v, rel)) continue;
    if (bad++ === 0) first = `@${t} got ${v} want ${w.get(t)}`;
  }
  return bad === 0 ? undefined : `${want.key}: ${bad}/${want.ts.length} values differ, first ${first}`;
}

/**
 * Compares a query_range answer with ours: label sets exact, same series order (range results
 * are sorted by labels on both sides), same timestamps, values per `closeEnough`.
 */
export function compareRangeResults(body: unknown, ours: QueryValue | Error, rel: number): RangeComparison {
  const b = body as { status?: unknown; error?: unknown; data?: unknown };
  if (b.status !== 'success') {
    const promError = String(b.error ?? 'unknown error');
    return ours instanceof Error ? { kind: 'both-failed', promError, ourError: ours.message } : { kind: 'prom-failed', promError };
  }
  if (ours instanceof Error) return { kind: 'we-failed', ourError: `${ours.name}: ${ours.message}` };
  const want = fromApi(b.data), got = fromOurs(ours);
  const gotByKey = new Map(got.map((p) => [p.key, p]));
  const wantKeys = new Set(want.map((p) => p.key));
  const problems: string[] = [];
  if (gotByKey.size !== got.length) problems.push('we returned duplicate label sets');
  const missing = want.filter((p) => !gotByKey.has(p.key)).map((p) => p.key);
  const extra = got.filter((p) => !wantKeys.has(p.key)).map((p) => p.key);
  if (missing.length > 0) problems.push(`${missing.length} missing series (first ${missing[0]})`);
  if (extra.length > 0) problems.push(`${extra.length} unexpected series (first ${extra[0]})`);
  for (const w of want) {
    const g = gotByKey.get(w.key);
    const d = g === undefined ? undefined : diffPoints(w, g, rel);
    if (d !== undefined) { problems.push(d); break; }
  }
  if (problems.length === 0 && want.some((p, i) => got[i]!.key !== p.key)) problems.push('series order differs');
  const series = want.length;
  return problems.length === 0 ? { kind: 'equal', series } : { kind: 'differ', why: problems.join('; '), series };
}

type Ask = (query: string, w: OracleWindow) => Promise<unknown>;
type Ours = (query: string, w: OracleWindow) => Promise<QueryValue | Error>;

async function runOne(q: OracleQuery, windows: readonly OracleWindow[], ask: Ask, ours: Ours, rel: number): Promise<OracleOutcome> {
  let first: OracleOutcome | undefined;
  for (const w of windows) {
    const o = await runInWindow(q, w, ask, ours, rel);
    if (!o.pass) return { ...o, detail: `[${w.name}] ${o.detail}`, series: first?.series ?? o.series };
    first ??= o;
  }
  return first!;
}

async function runInWindow(q: OracleQuery, w: OracleWindow, ask: Ask, ours: Ours, rel: number): Promise<OracleOutcome> {
  const [body, mine] = await Promise.all([ask(q.query, w), ours(q.query, w)]);
  const c = compareRangeResults(body, mine, rel);
  if (q.expect === 'FAIL') {
    if (c.kind === 'both-failed') return { ...q, pass: true, detail: c.promError, series: 0 };
    if (c.kind === 'prom-failed') return { ...q, pass: false, detail: `FAIL line: prometheus failed (${c.promError}) but we succeeded`, series: 0 };
    return { ...q, pass: false, detail: `FAIL line: prometheus succeeded${c.kind === 'we-failed' ? '' : ' and so did we'}`, series: 0 };
  }
  switch (c.kind) {
    case 'equal': return { ...q, pass: true, detail: '', series: c.series };
    case 'differ': return { ...q, pass: false, detail: c.why, series: c.series };
    case 'we-failed': return { ...q, pass: false, detail: `prometheus succeeded, we failed: ${c.ourError}`, series: 0 };
    case 'prom-failed': return { ...q, pass: false, detail: `prometheus failed (${c.promError}), we did not`, series: 0 };
    case 'both-failed': return { ...q, pass: false, detail: `OK line failed on both: prometheus: ${c.promError}; ours: ${c.ourError}`, series: 0 };
  }
}

/** Builds the blocks, starts Prometheus, runs every query on both, and returns the report. */
export async function runOracle(opts: OracleOptions = {}): Promise<OracleReport> {
  const t0 = performance.now();
  const queries = opts.queries ?? parseQueries(await readFile(QUERIES_FILE, 'utf8'));
  const rel = opts.relTolerance ?? 1e-5;
  const dir = await mkdtemp(join(tmpdir(), 'promql-oracle-'));
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  let st: BlockQueryable | undefined;
  try {
    const stats = writeComplianceOpenMetrics(join(dir, 'data.om'), opts.data ?? DEFAULT_DATA);
    const blocks = await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
    await rm(join(dir, 'data.om'));
    // One retry: the free port picked for Prometheus can be taken by a parallel test before it binds.
    prom = await startPrometheus(join(dir, 'data')).catch(() => startPrometheus(join(dir, 'data')));
    st = await BlockQueryable.open(join(dir, 'data'));
    const windows = defaultWindows(stats.minT / 1000, stats.maxT / 1000);
    const engine = new Engine({ timeoutMs: opts.queryTimeoutMs ?? 30_000, ...opts.engine });
    const p = prom, s = st;
    const ask: Ask = (query, w) => p.queryRange(query, w.start, w.end, w.step);
    const ours: Ours = async (query, w) => {
      try { return (await engine.rangeQuery(s, query, w.start * 1000, w.end * 1000, w.step * 1000)).value; } catch (e) { return e instanceof Error ? e : new Error(String(e)); }
    };
    const outcomes = new Array<OracleOutcome>(queries.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queries.length) {
        const i = next++;
        outcomes[i] = await runOne(queries[i]!, windows, ask, ours, rel);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
    const passed = outcomes.filter((o) => o.pass).length;
    const nonEmpty = outcomes.filter((o) => o.pass && o.expect === 'OK' && o.series > 0).length;
    return { total: queries.length, passed, nonEmpty, windows, blocks: blocks.length, samples: stats.samples, outcomes, elapsedMs: performance.now() - t0 };
  } finally {
    await st?.close();
    await prom?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Human-readable report: totals, then one line per failing query with its diff summary. */
export function formatReport(r: OracleReport): string {
  const lines = [
    `promql oracle: ${r.passed}/${r.total} agree with prometheus 2.42 (${r.nonEmpty} with a non-empty answer)`,
    `data: ${r.samples} samples in ${r.blocks} blocks; windows ${r.windows.map((w) => `${w.name} ${w.start}..${w.end} step ${w.step}s`).join(', ')}; ${(r.elapsedMs / 1000).toFixed(1)} s`,
  ];
  for (const o of r.outcomes) if (!o.pass) lines.push(`FAILING\t${o.expect}\t${o.query}\t${o.detail}`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await runOracle();
  process.stdout.write(process.argv.includes('--json') ? JSON.stringify(report, null, 1) + '\n' : formatReport(report));
}
