// Replicas split over time-partitioned stores (store gateways each holding part of a replica's
// blocks, sharing its external labels): with dedup on, every store of replica "a" must count as
// replica "a" — the answers equal those over the undivided data (one store per replica). Before
// replica identity came from the replica label, the penalty switched between partitions of one
// replica at each boundary and dropped samples there.
import t from 'tap';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import { Matcher } from '../../../actors/shared/labels/matcher.js';
import { Engine } from '../../../actors/shared/promql/engine/engine.js';
import { MemoryStore } from '../../../actors/shared/storeapi/memory-store.js';
import type { AggrChunk } from '../../../actors/shared/storeapi/types.js';
import { encodeSeriesChunks } from '../../../actors/shared/tsdb/chunkenc/index.js';
import { querierTasks } from '../../../actors/querier/pool/tasks.js';
import { WorkerPool } from '../../../runtime/workers/pool.js';
import { samples } from './helpers.js';

const H = 3600_000, END = 3 * H, STEP = 15_000;
const engine = new Engine({});
const sel = [new Matcher('=', '__name__', 'x')];
const labels = { __name__: 'x', job: 'j' };

/** Counter chunks (Prometheus's cut rule: 120 samples a chunk) of one replica. */
function chunksOf(offsetMs: number, base: number, gaps: [number, number][] = []): AggrChunk[] {
  const pts = samples(offsetMs, END, STEP, (t) => base + Math.floor(t / 1000) * 3 + (t % 7), gaps);
  return encodeSeriesChunks(pts.map((p) => p[0]), Float64Array.from(pts, (p) => p[1]))
    .map((c) => ({ minTime: c.mint, maxTime: c.maxt, raw: { type: 'XOR' as const, data: c.data } }));
}

async function endpoint(name: string, replica: string, chunks: AggrChunk[]): Promise<StoreEndpoint> {
  const client = new MemoryStore({ series: [{ labels: labelsFromObject(labels), chunks }], externalLabels: labelsFromObject({ replica }) });
  return { name, client, info: await client.info() };
}

/** The replicas undivided (one store each) and time-partitioned at chunk boundaries (3 stores each, no shared chunk). */
async function setups(gapsA: [number, number][]) {
  const reps = { a: chunksOf(0, 1000, gapsA), b: chunksOf(5_000, 1000) };
  const whole: StoreEndpoint[] = [], parts: StoreEndpoint[] = [];
  for (const [r, cs] of Object.entries(reps)) {
    whole.push(await endpoint(r, r, cs));
    const cut = [0, Math.floor(cs.length / 3), Math.floor((2 * cs.length) / 3), cs.length];
    for (let p = 0; p < 3; p++) parts.push(await endpoint(`${r}${p}`, r, cs.slice(cut[p], cut[p + 1])));
  }
  return { whole, parts, reps };
}

const q = (eps: StoreEndpoint[]) => new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] });

async function matrix(eps: StoreEndpoint[], expr: string) {
  const r = await engine.rangeQuery(q(eps), expr, H / 2, END, 60_000);
  if (r.value.type !== 'matrix') throw new Error(`expected a matrix for ${expr}`);
  return r.value.series.map((s) => ({ ts: Array.from(s.ts), vs: Array.from(s.vs) }));
}

for (const [name, gapsA] of [['no gaps', []], ['gaps in a that b fills', [[1_500_000, 2_100_000], [6_900_000, 7_500_000]]]] as const) {
  t.test(`2 replicas × 3 time partitions, ${name}: same answers as the undivided replicas`, async (t) => {
    const { whole, parts, reps } = await setups(gapsA as unknown as [number, number][]);
    t.ok(reps.a.length >= 3, `${reps.a.length} chunks of a`);
    const raw = async (eps: StoreEndpoint[]) => {
      const sq = q(eps);
      const got = await sq.select(sel, { startMs: 0, endMs: END });
      t.same(sq.warnings, []);
      return got.map((s) => ({ labels: s.labels, ts: Array.from(s.ts), vs: Array.from(s.vs) }));
    };
    const want = await raw(whole);
    const got = await raw(parts);
    t.equal(got.length, 1, 'one deduplicated series');
    t.same(got, want, 'raw x over the whole range equals the undivided truth');
    if (gapsA.length === 0) {
      const a = samples(0, END, STEP, () => 0);
      t.same(got[0]!.ts, a.map((p) => p[0]), 'every sample of replica a kept, none dropped at the partition boundaries');
    }
    for (const expr of ['x', 'rate(x[5m])', 'increase(x[1h])', 'sum(increase(x[1h]))']) {
      t.same(await matrix(parts, expr), await matrix(whole, expr), expr);
    }
  });
}

t.test('dedup off: the 6 partitions are merged back into 2 series, one per replica', async (t) => {
  const { parts } = await setups([]);
  const sq = new StoreQueryable({ stores: () => parts, replicaLabels: ['replica'], dedup: false });
  const got = await sq.select(sel, { startMs: 0, endMs: END });
  t.equal(got.length, 2);
  t.same(got.map((s) => s.ts.length), [END / STEP + 1, END / STEP], 'every sample of each replica (b starts 5 s late)');
});

t.test('worker pool over the partitioned replicas: bit-identical to inline and to the undivided truth', async (t) => {
  const pool = new WorkerPool(querierTasks, { name: 'querier-partitioned-test', minThreads: 1, maxThreads: 1 });
  t.teardown(() => pool.close());
  const { whole, parts } = await setups([[1_500_000, 2_100_000]]);
  for (const func of ['rate', undefined]) {
    const hints = { startMs: 0, endMs: END, ...(func === undefined ? {} : { func }) };
    const inline = await q(parts).select(sel, hints);
    const pooled = await new StoreQueryable({ stores: () => parts, replicaLabels: ['replica'], pool, poolBatchChunks: 2 }).select(sel, hints);
    const truth = await q(whole).select(sel, hints);
    const bits = (xs: typeof inline) => xs.map((s) => [Buffer.from(s.ts.buffer, s.ts.byteOffset, s.ts.byteLength).toString('hex'), Buffer.from(s.vs.buffer, s.vs.byteOffset, s.vs.byteLength).toString('hex')]);
    t.same(bits(pooled), bits(inline), `${func ?? 'raw'}: pooled = inline`);
    t.same(bits(inline), bits(truth), `${func ?? 'raw'}: = undivided`);
  }
});
