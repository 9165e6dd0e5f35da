// Worker pool overhead: what a task costs on top of the work, how transfer compares with a
// structured-clone copy for a 16 MB buffer, and inline vs pooled calls of the same task function.
// Run: node --expose-gc --import tsx test/bench/workers.bench.ts
import { performance } from 'node:perf_hooks';
import { WorkerPool } from '../../runtime/workers/pool.js';
import { defineTasks, taskSpec, workerModule } from '../../runtime/workers/tasks.js';
import * as demo from '../runtime/workers/fixtures/demo.task.js';

const mod = workerModule(import.meta.url, '../runtime/workers/fixtures/demo.task');
const tasks = defineTasks({
  noop: taskSpec<typeof demo.noop>(mod, 'noop'),
  echo: taskSpec<typeof demo.echo>(mod, 'echo'),
  sum: taskSpec<typeof demo.sum>(mod, 'sum'),
});
const pool = new WorkerPool(tasks, { minThreads: 2, maxThreads: 2, maxQueue: 50_000 });

function gc(): void { (globalThis as { gc?: () => void }).gc?.(); }

/** Median of `reps` timings (ms) of `fn`, after one warm-up. */
async function median(reps: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) { gc(); const t0 = performance.now(); await fn(); xs.push(performance.now() - t0); }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
const msf = (ms: number): string => `${ms.toFixed(2)} ms`;
const ratio = (a: number, b: number): string => { const r = a / b; return `${r >= 1 ? r.toFixed(1) : r.toFixed(3)}×`; };

await Promise.all([pool.run('noop', null), pool.run('noop', null)]); // threads up

const SEQ = 2000;
const seq = await median(5, async () => { for (let i = 0; i < SEQ; i++) await pool.run('noop', null); }) / SEQ;
const inlineNoop = await median(5, async () => { for (let i = 0; i < SEQ; i++) await demo.noop(null); }) / SEQ;
const FLIGHT = 10_000;
const flight = await median(5, async () => { await Promise.all(Array.from({ length: FLIGHT }, () => pool.run('noop', null))); }) / FLIGHT;

const MB16 = 16 << 20;
let moving = new ArrayBuffer(MB16);
const transfer = await median(9, async () => {
  const buf = moving;
  moving = await pool.run('echo', { buf, move: true }, { transfer: [buf] });
  if (moving.byteLength !== MB16 || buf.byteLength !== 0) throw new Error('transfer did not move the buffer');
});
const src = new ArrayBuffer(MB16);
const copy = await median(9, async () => {
  const back = await pool.run('echo', { buf: src, move: false });
  if (back.byteLength !== MB16 || src.byteLength !== MB16) throw new Error('copy lost the buffer');
});

const N = 1 << 16;
const data = new Float64Array(N).map((_, i) => i % 7);
const inlineSum = await median(21, async () => { await demo.sum({ data }); });
const pooledSum = await median(21, async () => {
  const d = data.slice();
  await pool.run('sum', { data: d }, { transfer: [d.buffer] });
});
const sliceOnly = await median(21, async () => { data.slice(); });
await pool.close();

const rows: Array<[string, string, string, string]> = [
  ['noop round trip, sequential', us(seq), `inline call ${us(inlineNoop)}`, ratio(seq, inlineNoop)],
  [`noop, ${FLIGHT} in flight (amortized)`, us(flight), `sequential ${us(seq)}`, ratio(flight, seq)],
  ['16 MB buffer round trip, transferred', msf(transfer), `structured-clone copy ${msf(copy)}`, ratio(transfer, copy)],
  [`sum of ${N} float64, pooled (transfer)`, msf(pooledSum), `inline ${msf(inlineSum)} (+ input copy ${msf(sliceOnly)})`, ratio(pooledSum, inlineSum)],
];
process.stdout.write(`## Worker pool (piscina, 2 threads)

Per-task overhead of \`WorkerPool.run\` against the same task function called inline, and moving a
16 MB ArrayBuffer to a worker and back by transfer against structured-clone copies (medians).

| case | pooled | peer (same run) | ratio pooled / peer |
| --- | ---: | ---: | ---: |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}
`);
