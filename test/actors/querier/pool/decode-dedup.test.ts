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

t.test('packRawBatch / decodeDedupRaw: empty batch and series without chunks', async (t) => {
  const opts = { func: 'penalty' as const, counter: false, minTime: 0, maxTime: 10 };
  const out = decodeDedupRaw(packRawBatch([], opts));
  t.same(Array.from(out.offsets), [0]);
  const out2 = decodeDedupRaw(packRawBatch([{ chunks: [], group: [] }], opts));
  t.same(Array.from(out2.offsets), [0, 0]);
});
