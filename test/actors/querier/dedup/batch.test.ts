import t from 'tap';
import { dedupBatch, packReplicas, unpackSeries } from '../../../../actors/querier/dedup/batch.js';
import { dedupChain } from '../../../../actors/querier/dedup/chain.js';
import { dedupPenalty } from '../../../../actors/querier/dedup/penalty.js';
import { dedupTasks } from '../../../../actors/querier/dedup/tasks.js';
import { samplesOf, type Samples } from '../../../../actors/querier/dedup/samples.js';
import { WorkerPool } from '../../../../runtime/workers/pool.js';
import { pairs } from './helpers.js';

const series: Samples[][] = [
  [samplesOf([0, 10, 20], [1, 2, 3]), samplesOf([5, 15, 25, 35], [9, 9, 9, 9])],
  [],
  [samplesOf([0, 10], [1, 2])],
  [samplesOf([0, 20_000], [1, 2]), samplesOf([6_000, 30_000], [50, 60]), samplesOf([1, 2, 3], [7, 7, 7])],
];

t.test('batch - packed dedup equals per-series dedup; clipping applies', async (t) => {
  const packed = packReplicas(series);
  t.same(Array.from(packed.seriesStart), [0, 2, 2, 3, 6]);
  for (const counter of [false, true]) {
    const got = unpackSeries(dedupBatch({ func: 'penalty', counter, input: packed }));
    t.same(got.map(pairs), series.map((s) => pairs(dedupPenalty(s, { counter }))), `penalty counter=${counter}`);
  }
  t.same(unpackSeries(dedupBatch({ func: 'chain', counter: false, input: packed })).map(pairs), series.map((s) => pairs(dedupChain(s))));
  const clipped = unpackSeries(dedupBatch({ func: 'chain', counter: false, input: packed, minTime: 5, maxTime: 10 }));
  t.same(clipped.map(pairs)[0], [[5, 9], [10, 2]]);
  t.same(unpackSeries(dedupBatch({ func: 'penalty', counter: false, input: packReplicas([]) })), []);
});

t.test('batch - runs on the worker pool with buffers moved both ways', async (t) => {
  const pool = new WorkerPool(dedupTasks, { minThreads: 1, maxThreads: 1, name: 'dedup-test' });
  t.teardown(() => pool.close());
  const packed = packReplicas(series);
  const want = unpackSeries(dedupBatch({ func: 'penalty', counter: true, input: packed })).map(pairs);
  const out = await pool.run('dedup.batch', { func: 'penalty', counter: true, input: packed },
    { transfer: [packed.ts.buffer as ArrayBuffer, packed.vs.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer, packed.seriesStart.buffer as ArrayBuffer] });
  t.equal(packed.ts.length, 0, 'input moved (detached here)');
  t.same(unpackSeries(out).map(pairs), want);
});
