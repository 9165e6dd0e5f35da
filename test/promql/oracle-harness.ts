/**
 * Shared pieces of the differential tests against a real Prometheus 2.42: start `prometheus` on a
 * block directory, ask its HTTP API, and compare its answer with our engine's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labelsFromObject, labelsToString } from '../../actors/shared/labels/labels.js';
import type { Engine, QueryValue } from '../../actors/shared/promql/engine/index.js';
import type { Queryable } from '../../actors/shared/promql/storage/index.js';
import { freePort, waitFor } from '../harness/ports.js';

const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';

export interface RunningPrometheus { readonly base: string; stop(): void }

/** Starts prometheus over `dataDir` (no scrape targets) and waits until it is ready. */
export async function startPrometheus(dir: string, dataDir: string, extraArgs: string[] = []): Promise<RunningPrometheus> {
  await writeFile(join(dir, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const proc: ChildProcess = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=100y', ...extraArgs], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', async () => { try { return (await fetch(`${base}/-/ready`)).ok; } catch { return false; } }, 30_000, 100);
  return { base, stop: () => { proc.kill('SIGKILL'); } };
}

interface ApiSeries { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }
type Points = Map<string, Map<number, number>>;

function num(s: string): number { return s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s); }
function close(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

function fromApi(result: unknown, type: string): Points {
  const out: Points = new Map();
  if (type === 'scalar' || type === 'string') {
    const [ts, v] = result as [number, string];
    out.set('{}', new Map([[Math.round(ts * 1000), type === 'string' ? NaN : num(v)]]));
    return out;
  }
  for (const s of result as ApiSeries[]) {
    const pts = new Map<number, number>();
    for (const [ts, v] of s.values ?? [s.value!]) pts.set(Math.round(ts * 1000), num(v));
    out.set(labelsToString(labelsFromObject(s.metric)), pts);
  }
  return out;
}

function fromOurs(v: QueryValue): Points {
  const out: Points = new Map();
  if (v.type === 'scalar') out.set('{}', new Map([[v.t, v.v]]));
  else if (v.type === 'string') out.set('{}', new Map([[v.t, NaN]]));
  else if (v.type === 'vector') for (const s of v.samples) out.set(labelsToString(s.labels), new Map([[s.t, s.v]]));
  else for (const s of v.series) out.set(labelsToString(s.labels), new Map(Array.from(s.ts, (ts, i) => [ts, s.vs[i]!])));
  return out;
}

function diff(want: Points, got: Points, rel: number): string | undefined {
  for (const k of want.keys()) if (!got.has(k)) return `missing series ${k}`;
  for (const [k, pts] of got) {
    const w = want.get(k);
    if (w === undefined) return `unexpected series ${k}`;
    if (w.size !== pts.size) return `${k}: ${pts.size} points, want ${w.size}`;
    for (const [ts, v] of pts) if (!w.has(ts) || !close(w.get(ts)!, v, rel)) return `${k} @${ts}: got ${v}, want ${w.get(ts)}`;
  }
  return undefined;
}

export type Mode = { range: { start: number; end: number; step: number } } | { instant: number };

/** Outcome of one query on both engines: `both-failed`, `equal` (with series count) or a difference. */
export type Comparison = { kind: 'both-failed'; error: string; ours: string } | { kind: 'equal'; series: number } | { kind: 'differ'; why: string };

/**
 * Runs `query` on prometheus and our engine (times in seconds) and compares the answers; with
 * `checkOrder`, an instant vector must also come back in Prometheus's order.
 */
export async function compareQuery(
  prom: RunningPrometheus, engine: Engine, st: Queryable, query: string, mode: Mode, rel = 1e-9, checkOrder = false,
): Promise<Comparison> {
  const params: Record<string, string> = 'range' in mode
    ? { query, start: String(mode.range.start), end: String(mode.range.end), step: String(mode.range.step) }
    : { query, time: String(mode.instant) };
  const res = await fetch(`${prom.base}/api/v1/${'range' in mode ? 'query_range' : 'query'}`, { method: 'POST', body: new URLSearchParams(params) });
  const body = await res.json() as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  let ours: QueryValue | Error;
  try {
    ours = 'range' in mode
      ? (await engine.rangeQuery(st, query, mode.range.start * 1000, mode.range.end * 1000, mode.range.step * 1000)).value
      : (await engine.instantQuery(st, query, mode.instant * 1000)).value;
  } catch (e) { ours = e as Error; }
  if (body.status !== 'success') {
    return ours instanceof Error ? { kind: 'both-failed', error: body.error ?? '', ours: ours.message } : { kind: 'differ', why: `prometheus failed (${body.error}), we did not` };
  }
  if (ours instanceof Error) return { kind: 'differ', why: `prometheus succeeded, we failed: ${ours.message}` };
  const want = fromApi(body.data!.result, body.data!.resultType);
  let d = diff(want, fromOurs(ours), rel);
  if (d === undefined && checkOrder && body.data!.resultType === 'vector' && ours.type === 'vector') {
    const theirs = (body.data!.result as ApiSeries[]).map((x) => labelsToString(labelsFromObject(x.metric)));
    const mine = ours.samples.map((x) => labelsToString(x.labels));
    const at = theirs.findIndex((l, i) => l !== mine[i]);
    if (at >= 0) d = `order differs at position ${at}: got ${mine[at]}, want ${theirs[at]}`;
  }
  return d === undefined ? { kind: 'equal', series: want.size } : { kind: 'differ', why: d };
}
