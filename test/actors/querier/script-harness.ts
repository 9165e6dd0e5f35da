// Runs PromQL test scripts (2.42 harness semantics: instant, range-mode and @ re-checks) with the
// loaded data spread over several in-process MemoryStores and queried through StoreQueryable.
import { labelsEqual, type Labels } from '../../../actors/shared/labels/labels.js';
import { compareResult } from '../../../actors/shared/promql/engine/script/compare.js';
import { atCheckTimes, pinToTime } from '../../../actors/shared/promql/engine/script/at-rewrite.js';
import { testEngine } from '../../../actors/shared/promql/engine/script/runner.js';
import type { QueryValue, Sample } from '../../../actors/shared/promql/engine/result.js';
import type { Queryable } from '../../../actors/shared/promql/storage/queryable.js';
import { STALE_NAN } from '../../../actors/shared/promql/storage/stale.js';
import type { EvalCommand, LoadCommand } from '../../../actors/shared/promql/testscript/commands.js';
import { parseTestScript } from '../../../actors/shared/promql/testscript/parse.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { encodeSeriesChunks } from '../../../actors/shared/tsdb/chunkenc/index.js';
import { MemoryStore } from '../../../actors/shared/storeapi/memory-store.js';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import type { Engine } from '../../../actors/shared/promql/engine/engine.js';

export interface EvalResult { readonly line: number; readonly expr: string; readonly message?: string }

type Point = [t: number, v: number, stale: boolean];
type Data = Map<string, { labels: Labels; samples: Point[]; store?: number; storeLabels?: Labels }>;

/** XOR chunks of points; stale markers written bit-exactly (a JS array would canonicalise the NaN). */
function chunked(labels: Labels, pts: readonly Point[]): Series {
  const ts = pts.map((p) => p[0]);
  const vs = new Float64Array(pts.length);
  pts.forEach((p, i) => { vs[i] = p[2] ? STALE_NAN : p[1]; });
  return { labels, chunks: encodeSeriesChunks(ts, vs).map((c) => ({ minTime: c.mint, maxTime: c.maxt, raw: { type: 'XOR', data: c.data } })) };
}

/** Default split: each series' samples cut by index into `parts` contiguous runs, one run per store. */
export function splitStores(data: Data, parts: number): StoreEndpoint[] {
  const byStore: Series[][] = Array.from({ length: parts }, () => []);
  const declared = new Map<number, { labels: Labels; series: Series[] }>();
  for (const s of data.values()) {
    if (s.store !== undefined) {
      const d = declared.get(s.store) ?? { labels: s.storeLabels ?? [], series: [] };
      d.series.push(chunked(s.labels, s.samples));
      declared.set(s.store, d);
      continue;
    }
    const n = s.samples.length;
    for (let p = 0; p < parts; p++) {
      const part = s.samples.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts));
      if (part.length > 0) byStore[p]!.push(chunked(s.labels, part));
    }
  }
  const out: StoreEndpoint[] = byStore.map((series, i) => {
    const m = new MemoryStore({ series });
    return { name: `mem-${i}`, client: m, info: undefined as never };
  });
  for (const [i, d] of declared) out.push({ name: `declared-${i}`, client: new MemoryStore({ series: d.series, externalLabels: d.labels }), info: undefined as never });
  return out;
}

async function withInfo(eps: StoreEndpoint[]): Promise<StoreEndpoint[]> {
  return Promise.all(eps.map(async (e) => ({ ...e, info: await e.client.info() })));
}

function load(data: Data, cmd: LoadCommand): void {
  for (const s of cmd.series) {
    const key = JSON.stringify(s.labels);
    const cur = data.get(key) ?? { labels: s.labels, samples: [], ...(cmd.store ? { store: cmd.store.index, storeLabels: cmd.store.labels } : {}) };
    s.values.forEach((v, i) => {
      if (v.omitted) return;
      const t = i * cmd.interval;
      const val: Point = [t, v.stale ? 0 : v.value, v.stale];
      const at = cur.samples.findIndex((x) => x[0] >= t);
      if (at < 0) cur.samples.push(val);
      else if (cur.samples[at]![0] === t) cur.samples[at] = val;
      else cur.samples.splice(at, 0, val);
    });
    data.set(key, cur);
  }
}

async function runEval(engine: Engine, q: Queryable, cmd: EvalCommand): Promise<string | undefined> {
  const queries = [{ expr: cmd.ast, t: cmd.at, label: 'query' }];
  const pinned = pinToTime(cmd.ast, cmd.at);
  if (pinned !== undefined) for (const t of atCheckTimes(cmd.at)) queries.push({ expr: pinned, t, label: `@-pinned at ${t}ms` });
  for (const x of queries) {
    let res: QueryValue;
    try { res = (await engine.instantQuery(q, x.expr, x.t)).value; } catch (e) {
      if (cmd.mode === 'fail') continue;
      return `${x.label}: error: ${String(e)}`;
    }
    if (cmd.mode === 'fail') return `${x.label}: expected an error`;
    const err = compareResult(cmd.expected, res, cmd.mode === 'ordered');
    if (err !== undefined) return `${x.label}: ${err}`;
    const range = (await engine.rangeQuery(q, x.expr, x.t - 60_000, x.t + 60_000, 60_000)).value;
    if (cmd.mode === 'ordered' || range.type !== 'matrix') continue;
    const samples: Sample[] = [];
    for (const s of range.series) for (let i = 0; i < s.ts.length; i++) if (s.ts[i] === x.t) { samples.push({ labels: s.labels, t: x.t, v: s.vs[i]! }); break; }
    const asValue: QueryValue = res.type === 'scalar' ? { type: 'scalar', t: x.t, v: samples[0]?.v ?? NaN } : { type: 'vector', samples };
    const rerr = compareResult(cmd.expected, asValue, false);
    if (rerr !== undefined) return `${x.label} in range mode: ${rerr}`;
  }
  return undefined;
}

/**
 * Runs a script through the querier. `make(stores)` builds the Queryable over the stores of the
 * current data (default: a StoreQueryable without dedup).
 */
export async function runScriptThroughQuerier(text: string, parts = 3,
  make: (stores: StoreEndpoint[]) => Queryable = (stores) => new StoreQueryable({ stores: () => stores })): Promise<EvalResult[]> {
  const engine = testEngine();
  let data: Data = new Map();
  let q: Queryable | undefined;
  const out: EvalResult[] = [];
  for (const c of parseTestScript(text)) {
    if (c.kind === 'clear') { data = new Map(); q = undefined; } else if (c.kind === 'load') { load(data, c); q = undefined; } else if (c.kind === 'eval') {
      q ??= make(await withInfo(splitStores(data, parts)));
      const message = await runEval(engine, q, c);
      out.push({ line: c.line, expr: c.expr, ...(message === undefined ? {} : { message }) });
    }
  }
  return out;
}

export { labelsEqual };
