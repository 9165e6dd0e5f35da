/**
 * The PromQL oracle run through the store path: the compliance data (test/harness/compliance-data.ts)
 * backfilled once with promtool, the blocks uploaded to s3rver with `uploadBlock` (real S3 SDK) under
 * the external labels EXTERNAL_LABELS, one real Prometheus 2.42 on the same blocks, and every query of
 * expanded-queries.txt run as a range query through Engine → StoreQueryable → BucketStore(s) over
 * the bucket in several layouts (each a list of BucketStore option sets, one per store). Windows and
 * comparison rules are the PromQL oracle's (defaultWindows, compareRangeResults of
 * test/promql/oracle-runner.ts); Prometheus's answer for a (query, window) is fetched once and
 * shared by all layouts.
 *
 * External labels: the querier (like Thanos) shows them on every series; Prometheus does not know
 * them. Before comparing, the external label names are removed from our answer's label sets (and
 * nothing else); checkExternalLabels asserts separately that they are there to remove.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreQueryable, type StoreEndpoint } from '../../actors/querier/store-queryable.js';
import { uploadBlock } from '../../actors/shared/block/upload.js';
import type { Labels } from '../../actors/shared/labels/labels.js';
import type { Bucket } from '../../actors/shared/objstore/bucket.js';
import { createBucket } from '../../actors/shared/objstore/factory.js';
import { Engine, type QueryValue } from '../../actors/shared/promql/engine/index.js';
import { BucketStore, type BucketStoreOptions } from '../../actors/store/bucket-store.js';
import { writeComplianceOpenMetrics } from '../harness/compliance-data.js';
import { startPrometheus, type PrometheusServer } from '../harness/prometheus.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';
import { startS3rver, type S3rverHandle } from '../harness/s3rver.js';
import {
  DEFAULT_DATA, QUERIES_FILE, compareRangeResults, defaultWindows, parseQueries,
  type OracleQuery, type OracleWindow,
} from '../promql/oracle-runner.js';

/** External labels of every uploaded block (no replica label: dedup is not under test here). */
export const EXTERNAL_LABELS: Readonly<Record<string, string>> = { oracle_site: 'eu1', oracle_env: 'ci' };

/** One store layout: a name and the options of each of its BucketStores (bucket filled in). */
export interface StoreLayout { readonly name: string; readonly stores: readonly Partial<BucketStoreOptions>[] }

/** One query's verdict in one layout. */
export interface StoreOracleOutcome extends OracleQuery { readonly pass: boolean; readonly detail: string; readonly series: number }

export interface LayoutReport {
  readonly name: string;
  /** Blocks loaded by each store of the layout, in store order. */
  readonly blocksPerStore: readonly number[];
  readonly total: number;
  readonly passed: number;
  readonly outcomes: readonly StoreOracleOutcome[];
  /** Distinct StoreQueryable warnings met (store errors under WARN); should be empty. */
  readonly warnings: readonly string[];
  readonly elapsedMs: number;
}

/** The shared fixture: s3rver bucket with the blocks, one Prometheus on the same blocks, the windows. */
export interface StoreOracleFixture {
  readonly bucket: Bucket;
  readonly prom: PrometheusServer;
  readonly blockIds: readonly string[];
  /** Each uploaded block's [minTime, maxTime) in ms, by id. */
  readonly blockRanges: ReadonlyMap<string, readonly [number, number]>;
  readonly windows: readonly OracleWindow[];
  readonly queries: readonly OracleQuery[];
  /** Prometheus's query_range body for (query, window), fetched at most once. */
  promAnswer(query: string, w: OracleWindow): Promise<unknown>;
  close(): Promise<void>;
}

/** Backfills, uploads with EXTERNAL_LABELS, starts Prometheus. Call close() when done. */
export async function setupStoreOracle(queries?: readonly OracleQuery[]): Promise<StoreOracleFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'store-oracle-'));
  let s3: S3rverHandle | undefined, bucket: Bucket | undefined, prom: PrometheusServer | undefined;
  const close = async (): Promise<void> => {
    await prom?.stop();
    await bucket?.close();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const qs = queries ?? parseQueries(await readFile(QUERIES_FILE, 'utf8'));
    const stats = writeComplianceOpenMetrics(join(dir, 'data.om'), DEFAULT_DATA);
    const blockIds = await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
    await rm(join(dir, 'data.om'));
    s3 = await startS3rver(['blocks']);
    bucket = createBucket({ type: 'S3', config: s3.config('blocks'), prefix: '' });
    const blockRanges = new Map<string, readonly [number, number]>();
    for (const id of blockIds) {
      const meta = await uploadBlock(bucket, join(dir, 'data', id), { labels: EXTERNAL_LABELS });
      blockRanges.set(id, [meta.minTime, meta.maxTime]);
    }
    // One retry: the free port picked for Prometheus can be taken by a parallel test before it binds.
    prom = await startPrometheus(join(dir, 'data')).catch(() => startPrometheus(join(dir, 'data')));
    const p = prom;
    const memo = new Map<string, Promise<unknown>>();
    const promAnswer = (query: string, w: OracleWindow): Promise<unknown> => {
      const key = `${w.name}\u0000${query}`;
      let a = memo.get(key);
      if (a === undefined) { a = p.queryRange(query, w.start, w.end, w.step); memo.set(key, a); }
      return a;
    };
    return { bucket, prom, blockIds, blockRanges, windows: defaultWindows(stats.minT / 1000, stats.maxT / 1000), queries: qs, promAnswer, close };
  } catch (err) {
    await close();
    throw err;
  }
}

const dropNames = (ls: Labels, names: ReadonlySet<string>): Labels => ls.filter((l) => !names.has(l.name));

/** Our answer with the given label names removed from every series (order kept). */
export function withoutLabels(v: QueryValue, names: ReadonlySet<string>): QueryValue {
  switch (v.type) {
    case 'matrix': return { type: 'matrix', series: v.series.map((s) => ({ ...s, labels: dropNames(s.labels, names) })) };
    case 'vector': return { type: 'vector', samples: v.samples.map((s) => ({ ...s, labels: dropNames(s.labels, names) })) };
    default: return v;
  }
}

function verdict(q: OracleQuery, body: unknown, ours: QueryValue | Error, rel: number): { pass: boolean; detail: string; series: number } {
  const c = compareRangeResults(body, ours, rel);
  if (q.expect === 'FAIL') {
    if (c.kind === 'both-failed') return { pass: true, detail: c.promError, series: 0 };
    return { pass: false, detail: c.kind === 'prom-failed' ? `FAIL line: prometheus failed (${c.promError}) but we succeeded` : 'FAIL line: prometheus succeeded', series: 0 };
  }
  switch (c.kind) {
    case 'equal': return { pass: true, detail: '', series: c.series };
    case 'differ': return { pass: false, detail: c.why, series: c.series };
    case 'we-failed': return { pass: false, detail: `prometheus succeeded, we failed: ${c.ourError}`, series: 0 };
    case 'prom-failed': return { pass: false, detail: `prometheus failed (${c.promError}), we did not`, series: 0 };
    case 'both-failed': return { pass: false, detail: `OK line failed on both: prometheus: ${c.promError}; ours: ${c.ourError}`, series: 0 };
  }
}

/** Options of runLayout. */
export interface RunLayoutOptions {
  /** Queries in flight at once (default 4). */
  readonly concurrency?: number;
  /** Relative tolerance for values (default 1e-5, as the PromQL oracle). */
  readonly relTolerance?: number;
  /** Run only these queries (default all of the fixture's). */
  readonly queries?: readonly OracleQuery[];
}

/** Opens the layout's BucketStores over the fixture's bucket, runs every query in every window, closes the stores. */
export async function runLayout(fx: StoreOracleFixture, layout: StoreLayout, o: RunLayoutOptions = {}): Promise<LayoutReport> {
  const t0 = performance.now();
  const rel = o.relTolerance ?? 1e-5;
  const stores = layout.stores.map((s) => new BucketStore({ bucket: fx.bucket, ...s }));
  try {
    const blocksPerStore: number[] = [];
    const endpoints: StoreEndpoint[] = [];
    for (const [i, store] of stores.entries()) {
      const rep = await store.sync();
      if (rep.failed.size > 0) throw new Error(`syncing store ${layout.name}-${i}: ${rep.failed.size} blocks failed to load`);
      blocksPerStore.push(rep.loaded.length);
      endpoints.push({ name: `${layout.name}-${i}`, client: store, info: await store.info() });
    }
    const engine = new Engine({ timeoutMs: 30_000 });
    const strip = new Set(Object.keys(EXTERNAL_LABELS));
    const warnings = new Set<string>();
    const ours = async (query: string, w: OracleWindow): Promise<QueryValue | Error> => {
      const st = new StoreQueryable({ stores: () => endpoints, dedup: false });
      try {
        return withoutLabels((await engine.rangeQuery(st, query, w.start * 1000, w.end * 1000, w.step * 1000)).value, strip);
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      } finally {
        for (const x of st.warnings) warnings.add(x);
      }
    };
    const queries = o.queries ?? fx.queries;
    const outcomes = new Array<StoreOracleOutcome>(queries.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queries.length) {
        const i = next++;
        const q = queries[i]!;
        let out: StoreOracleOutcome | undefined;
        for (const w of fx.windows) {
          const [body, mine] = await Promise.all([fx.promAnswer(q.query, w), ours(q.query, w)]);
          const v = verdict(q, body, mine, rel);
          if (!v.pass) { out = { ...q, ...v, detail: `[${w.name}] ${v.detail}`, series: out?.series ?? v.series }; break; }
          out ??= { ...q, ...v };
        }
        outcomes[i] = out!;
      }
    };
    await Promise.all(Array.from({ length: o.concurrency ?? 4 }, worker));
    return {
      name: layout.name, blocksPerStore, total: outcomes.length, passed: outcomes.filter((x) => x.pass).length,
      outcomes, warnings: [...warnings], elapsedMs: performance.now() - t0,
    };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

/** Parses a known-failures file: `<layout><TAB><query>` lines; '#' comments and blank lines ignored. */
export function parseKnownFailures(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    if (tab <= 0) throw new Error(`parsing known failures: line ${i + 1} is not <layout><TAB><query>`);
    const name = line.slice(0, tab);
    let s = out.get(name);
    if (s === undefined) { s = new Set(); out.set(name, s); }
    s.add(line.slice(tab + 1));
  });
  return out;
}
