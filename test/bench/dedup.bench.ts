// Dedup throughput: 2 replicas × 1k series × 2880 samples (12 h at 15 s), penalty (gauge and
// counter mode) and chain, against a plain two-way merge by timestamp measured in the same run.
import { dedupChain } from '../../actors/querier/dedup/chain.js';
import { dedupPenalty } from '../../actors/querier/dedup/penalty.js';
import { dedupBatch, packReplicas } from '../../actors/querier/dedup/batch.js';
import type { Samples } from '../../actors/querier/dedup/samples.js';
import { dedupTasks } from '../../actors/querier/dedup/tasks.js';
import { WorkerPool } from '../../runtime/workers/pool.js';

const SERIES = 1000, N = 2880, STEP = 15_000, PASSES = 5;

function replica(seed: number, offsetMs: number): Samples[] {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: Samples[] = [];
  for (let s = 0; s < SERIES; s++) {
    const ts = new Float64Array(N), vs = new Float64Array(N);
    let n = 0, v = 0;
    for (let i = 0; i < N; i++) {
      v += Math.floor(rnd() * 10);
      if (rnd() < 0.002) { i += 8; continue; } // an occasional 2-minute hole
      ts[n] = 1_700_000_000_000 + i * STEP + offsetMs + Math.floor(rnd() * 200);
      vs[n] = v;
      n++;
    }
    out.push({ ts: ts.subarray(0, n), vs: vs.subarray(0, n) });
  }
  return out;
}

/** The peer: merge two sorted series keeping every sample (no dedup logic at all). */
function plainMerge(a: Samples, b: Samples): Samples {
  const na = a.ts.length, nb = b.ts.length;
  const ts = new Float64Array(na + nb), vs = new Float64Array(na + nb);
  let i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    if (a.ts[i]! <= b.ts[j]!) { ts[n] = a.ts[i]!; vs[n++] = a.vs[i++]!; } else { ts[n] = b.ts[j]!; vs[n++] = b.vs[j++]!; }
  }
  while (i < na) { ts[n] = a.ts[i]!; vs[n++] = a.vs[i++]!; }
  while (j < nb) { ts[n] = b.ts[j]!; vs[n++] = b.vs[j++]!; }
  return { ts, vs };
}

const A = replica(1, 0), B = replica(2, 7_000);
let inputSamples = 0;
for (let s = 0; s < SERIES; s++) inputSamples += A[s]!.ts.length + B[s]!.ts.length;

type Variant = { name: string; run: (a: Samples, b: Samples) => Samples };
const variants: Variant[] = [
  { name: 'plain merge by timestamp (peer)', run: plainMerge },
  { name: 'penalty', run: (a, b) => dedupPenalty([a, b], { counter: false }) },
  { name: 'penalty, counter mode', run: (a, b) => dedupPenalty([a, b], { counter: true }) },
  { name: 'chain', run: (a, b) => dedupChain([a, b]) },
];

const results = variants.map((v) => {
  const times: number[] = [];
  let out = 0;
  for (let p = 0; p <= PASSES; p++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    out = 0;
    for (let s = 0; s < SERIES; s++) out += v.run(A[s]!, B[s]!).ts.length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (p > 0) times.push(ms); // pass 0 warms up the JIT
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)]!;
  return { name: v.name, ms: median, rate: inputSamples / (median / 1000), out };
});

// Pooled vs inline: the same penalty dedup in batches of 100 series, packed (packing included in
// the time), on a 2-thread pool with buffers transferred both ways, vs the same batches inline.
const BATCH = 100;
const batches: Samples[][][] = [];
for (let s = 0; s < SERIES; s += BATCH) batches.push(A.slice(s, s + BATCH).map((a, i) => [a, B[s + i]!]));
const pool = new WorkerPool(dedupTasks, { minThreads: 2, maxThreads: 2, maxQueue: 1000, name: 'dedup-bench' });
async function timed(run: () => Promise<number>): Promise<{ ms: number; out: number }> {
  const times: number[] = [];
  let out = 0;
  for (let p = 0; p <= PASSES; p++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    out = await run();
    if (p > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(times.length / 2)]!, out };
}
const inline = await timed(async () => {
  let n = 0;
  for (const b of batches) n += dedupBatch({ func: 'penalty', counter: true, input: packReplicas(b) }).ts.length;
  return n;
});
const pooled = await timed(async () => {
  const outs = await Promise.all(batches.map((b) => {
    const input = packReplicas(b);
    const transfer = [input.ts.buffer, input.vs.buffer, input.offsets.buffer, input.seriesStart.buffer] as ArrayBuffer[];
    return pool.run('dedup.batch', { func: 'penalty', counter: true, input }, { transfer });
  }));
  return outs.reduce((n, o) => n + o.ts.length, 0);
});
await pool.close();

const peer = results[0]!;
const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : `${Math.round(x / 1e3)} k`);
const lines = [
  '## Deduplication throughput',
  '',
  `2 replicas × ${SERIES} series × ${N} samples (${(inputSamples / 1e6).toFixed(2)} M input samples, 15 s scrape, replicas 7 s apart, ` +
  `${(100 - (100 * inputSamples) / (2 * SERIES * N)).toFixed(1)} % of samples missing in holes of ≥ 2 minutes), single thread, median of ${PASSES} passes. The peer is a plain two-way merge by timestamp ` +
  'with no dedup logic, measured in the same run; ratio = time / peer time.',
  '',
  '| variant | input samples/s | ms per pass | output samples | time ratio vs peer |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${fmt(r.rate)} | ${r.ms.toFixed(0)} | ${r.out} | ${(r.ms / peer.ms).toFixed(2)}× |`),
  '',
  `Penalty (counter mode) in packed batches of ${BATCH} series, inline on the main thread vs on a 2-thread worker pool with ` +
  'buffers transferred (packing on the main thread included in both); ratio = pooled time / inline time.',
  '',
  '| variant | input samples/s | ms per pass | output samples | time ratio vs inline |',
  '| --- | ---: | ---: | ---: | ---: |',
  `| inline, batched | ${fmt(inputSamples / (inline.ms / 1000))} | ${inline.ms.toFixed(0)} | ${inline.out} | 1.00× |`,
  `| worker pool (2 threads) | ${fmt(inputSamples / (pooled.ms / 1000))} | ${pooled.ms.toFixed(0)} | ${pooled.out} | ${(pooled.ms / inline.ms).toFixed(2)}× |`,
];
process.stdout.write(lines.join('\n') + '\n');
