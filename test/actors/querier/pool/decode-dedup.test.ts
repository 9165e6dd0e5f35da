// Decode+dedup on the worker pool (batches, transferred buffers) gives exactly the inline result.
import t from 'tap';
import { Matcher } from '../../../../actors/shared/labels/matcher.js';
import { WorkerPool } from '../../../../runtime/workers/pool.js';
import { querierTasks } from '../../../../actors/querier/pool/tasks.js';
import { decodeDedupRaw, packRawBatch } from '../../../../actors/querier/pool/raw-batch.js';
import { StoreQueryable } from '../../../../actors/querier/store-queryable.js';
import { memEndpoint, samples } from '../helpers.js';

const H = 6 * 3600_000;

async function stores() {
  const mk = (off: number, gap: [number, number]) => Array.from({ length: 40 }, (_, i) => ({
    labels: { __name__: 'x', i: String(i).padStart(2, '0') }, samples: samples(0, H, 15_000, (t) => t / 1000 + off + i, [gap]),
  }));
  return [
    await memEndpoint('a', { replica: 'a' }, mk(100, [3_600_000, 4_000_000])),
    await memEndpoint('b', { replica: 'b' }, mk(50, [10_000_000, 11_000_000])),
  ];
}

t.test('pooled selects equal inline selects (penalty counter mode, chain, no dedup)', async (t) => {
  const pool = new WorkerPool(querierTasks, { name: 'querier-test', minThreads: 1, maxThreads: 2 });
  t.teardown(() => pool.close());
  let runs = 0;
  const spy = { run: (...a: Parameters<typeof pool.run>) => { runs++; return pool.run(...a); } } as unknown as typeof pool;
  const eps = await stores();
  const sel = [new Matcher('=', '__name__', 'x')];
  const cases = [
    { replicaLabels: ['replica'], func: 'rate' },
    { replicaLabels: ['replica'], dedupFunc: 'chain' as const },
    { replicaLabels: [] },
  ];
  for (const c of cases) {
    const hints = { startMs: 1000_000, endMs: H - 1000_000, ...(c.func ? { func: c.func } : {}) };
    const inline = await new StoreQueryable({ stores: () => eps, ...c }).select(sel, hints);
    const before = runs;
    const pooled = await new StoreQueryable({ stores: () => eps, ...c, pool: spy, poolBatchChunks: 16 }).select(sel, hints);
    t.ok(runs - before > 1, `${runs - before} batches ran on the pool`);
    t.equal(pooled.length, inline.length, `${JSON.stringify(c)}: ${inline.length} series`);
    t.ok(inline.every((s, i) => Buffer.from(s.ts.buffer, s.ts.byteOffset, s.ts.byteLength).equals(Buffer.from(pooled[i]!.ts.buffer, pooled[i]!.ts.byteOffset, pooled[i]!.ts.byteLength))
      && Buffer.from(s.vs.buffer, s.vs.byteOffset, s.vs.byteLength).equals(Buffer.from(pooled[i]!.vs.buffer, pooled[i]!.vs.byteOffset, pooled[i]!.vs.byteLength))), 'bit-identical samples');
    t.ok(inline.every((s) => s.ts[0]! >= hints.startMs && s.ts[s.ts.length - 1]! <= hints.endMs), 'clipped to the range');
  }
});

t.test('without dedup, pool batches start while the stores are still streaming', async (t) => {
  const pool = new WorkerPool(querierTasks, { name: 'querier-test', minThreads: 1, maxThreads: 2 });
  t.teardown(() => pool.close());
  const events: string[] = [];
  const spy = { run: (...a: Parameters<typeof pool.run>) => { events.push('batch'); return pool.run(...a); } } as unknown as typeof pool;
  const [a, b] = await stores();
  // Both stores hand out their series in small frames with a pause between frames.
  const slow = (ep: typeof a): typeof a => ({ ...ep, client: { ...ep.client, info: () => ep.client.info(), labelNames: ep.client.labelNames.bind(ep.client), labelValues: ep.client.labelValues.bind(ep.client),
    async *series(req, signal) {
      for await (const f of ep.client.series(req, signal)) {
        if (f.kind !== 'batch') { yield f; continue; }
        for (const s of f.series) { await new Promise((r) => setTimeout(r, 2)); yield { kind: 'series', series: s }; }
      }
      events.push(`end ${ep.name}`);
    } } });
  const eps = [slow(a!), slow(b!)];
  const sel = [new Matcher('=', '__name__', 'x')];
  const hints = { startMs: 1000_000, endMs: H - 1000_000 };
  const pooled = await new StoreQueryable({ stores: () => eps, dedup: false, pool: spy, poolBatchChunks: 16 }).select(sel, hints);
  const inline = await new StoreQueryable({ stores: () => [a!, b!], dedup: false }).select(sel, hints);
  const firstEnd = events.findIndex((e) => e.startsWith('end'));
  t.ok(events.indexOf('batch') >= 0 && events.indexOf('batch') < firstEnd, `a batch went to the pool before any store ended (${events.join(', ')})`);
  t.equal(pooled.length, inline.length, 'same series');
  t.ok(pooled.every((s, i) => s.ts.length === inline[i]!.ts.length && s.vs.every((v, k) => Object.is(v, inline[i]!.vs[k]))), 'same samples');
});

t.test('a failing pool batch fails the select with its error; a small select never uses the pool', async (t) => {
  const pool = new WorkerPool(querierTasks, { name: 'querier-test', minThreads: 1, maxThreads: 2 });
  t.teardown(() => pool.close());
  let runs = 0;
  const failing = { run: (...a: Parameters<typeof pool.run>) => {
    if (++runs === 2) return Promise.reject(Object.assign(new Error('worker died'), { code: 'WORKER_CRASHED' }));
    return pool.run(...a);
  } } as unknown as typeof pool;
  const eps = await stores();
  const sel = [new Matcher('=', '__name__', 'x')];
  const hints = { startMs: 1000_000, endMs: H - 1000_000 };
  for (const replicaLabels of [[], ['replica']]) {
    runs = 0;
    await t.rejects(new StoreQueryable({ stores: () => eps, replicaLabels, pool: failing, poolBatchChunks: 16 }).select(sel, hints), { message: 'worker died' },
      `replica labels ${JSON.stringify(replicaLabels)}: the batch's error`);
    // Streaming (no replica labels): the failure stops the fetch; grouped: every batch was already sent (then cancelled).
    if (replicaLabels.length === 0) t.ok(runs >= 2 && runs < 20, `${runs} batches were sent: the select stopped soon after the failure`);
    else t.ok(runs >= 2, `${runs} batches were sent`);
  }
  runs = 0;
  const small = await new StoreQueryable({ stores: () => eps, dedup: false, pool: failing, poolBatchChunks: 1_000_000 }).select(sel, hints);
  t.equal(runs, 0, 'fewer raw chunks than one batch: decoded inline');
  t.equal(small.length, 80, 'both replicas (dedup off)');
});

t.test('packRawBatch / decodeDedupRaw: empty batch and series without chunks', async (t) => {
  const opts = { func: 'penalty' as const, counter: false, minTime: 0, maxTime: 10 };
  const out = decodeDedupRaw(packRawBatch([], opts));
  t.same(Array.from(out.offsets), [0]);
  const out2 = decodeDedupRaw(packRawBatch([{ chunks: [], group: [] }], opts));
  t.same(Array.from(out2.offsets), [0, 0]);
});
