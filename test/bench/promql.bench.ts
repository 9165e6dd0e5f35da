// Benchmark: our PromQL engine (over MemoryStorage) vs a real Prometheus 2.42 (over promtool-backfilled
// blocks, via its HTTP API) on the same data: 1,350 series × 24 h at 15 s (7.6 M samples).
// Range queries over the whole day at a 60 s step; median of 3 timed runs after one warm-up.
// Run: node --expose-gc --import tsx test/bench/promql.bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelsFromObject } from '../../actors/shared/labels/labels.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../actors/shared/promql/storage/index.js';
import { generateSeries, writeOpenMetrics } from '../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';
import { startPrometheus } from '../promql/oracle-harness.js';

const START = 1699999200;
const GEN = { hours: 24, series: 200, startSec: START, seed: 3 };
const QUERIES = [
  'rate(gen_requests_total[5m])',
  'rate({job=~"api|node|flaky",__name__!~".*_count"}[5m])',
  'sum by (job) (rate(gen_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[5m])))',
  'gen_requests_total / on(instance) group_left gen_temperature_celsius',
];
const RUNS = 3;

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; }

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'promql-bench-'));
  const prom = { stop: (): void => {} };
  try {
    const stats = writeOpenMetrics(join(dir, 'data.om'), GEN);
    await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
    await rm(join(dir, 'data.om'));
    const p = await startPrometheus(dir, join(dir, 'data'));
    prom.stop = p.stop;
    const st = new MemoryStorage();
    for (const s of generateSeries(GEN)) {
      const ls = labelsFromObject(s.labels);
      for (const x of s.samples) st.append(ls, x.t, x.v);
    }
    const engine = new Engine();
    const start = START + 600, end = START + 24 * 3600 - 600, step = 60;
    const rows: string[] = [];
    for (const q of QUERIES) {
      const ours: number[] = [], theirs: number[] = [];
      let series = 0;
      for (let i = 0; i <= RUNS; i++) {
        (globalThis as { gc?: () => void }).gc?.();
        let t0 = performance.now();
        const r = await engine.rangeQuery(st, q, start * 1000, end * 1000, step * 1000);
        if (i > 0) ours.push(performance.now() - t0);
        if (r.value.type === 'matrix') series = r.value.series.length;
        t0 = performance.now();
        const res = await fetch(`${p.base}/api/v1/query_range`, { method: 'POST', body: new URLSearchParams({ query: q, start: String(start), end: String(end), step: String(step) }) });
        const body = await res.json() as { status: string };
        if (body.status !== 'success') throw new Error(`prometheus failed on ${q}`);
        if (i > 0) theirs.push(performance.now() - t0);
      }
      const o = median(ours), th = median(theirs);
      rows.push(`| \`${q}\` | ${series} | ${o.toFixed(1)} | ${th.toFixed(1)} | ${(o / th).toFixed(2)}× |`);
    }
    process.stdout.write([
      '## PromQL engine vs Prometheus 2.42 (query_range)',
      '',
      `Same data in both: ${stats.series} series × 24 h at 15 s (${(stats.samples / 1e6).toFixed(1)} M samples); range queries over ~24 h at a 60 s step (1,421 steps). ` +
      'Ours: `Engine.rangeQuery` over `MemoryStorage`, in process (no HTTP/JSON); Prometheus: `/api/v1/query_range` over promtool-backfilled blocks (includes HTTP and JSON encoding). ' +
      `Median of ${RUNS} runs after a warm-up; ratio = ours / Prometheus (lower is better).`,
      '',
      '| query | result series | ours (ms) | Prometheus 2.42 (ms) | ratio |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'));
  } finally {
    prom.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
