// A real Prometheus 2.42 on our blocks and one on promtool's blocks answer query_range identically.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlocksFromOpenMetrics } from '../../../../../actors/shared/tsdb/block/backfill.js';
import { createBlocksFromOpenMetrics as promtoolCreate } from '../../../../harness/promtool.js';
import { writeOpenMetrics } from '../../../../harness/openmetrics-gen.js';
import { startPrometheus } from '../../../../harness/prometheus.js';

const root = await mkdtemp(join(tmpdir(), 'block-prom-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

const input = join(root, 'in.om');
const stats = writeOpenMetrics(input, { series: 10, hours: 6, stepSec: 15, seed: 5 });
const promDir = join(root, 'promtool'), ourDir = join(root, 'ours');
await promtoolCreate(input, promDir);
await createBlocksFromOpenMetrics(input, ourDir);

const [theirs, ours] = await Promise.all([startPrometheus(promDir), startPrometheus(ourDir)]);
t.teardown(() => Promise.all([theirs.stop(), ours.stop()]));

const startS = stats.minT / 1000, endS = stats.maxT / 1000;
const QUERIES: { q: string; step: number }[] = [
  { q: 'gen_requests_total', step: 60 },
  { q: '{job="node"}', step: 15 },
  { q: 'rate(gen_requests_total[5m])', step: 60 },
  { q: 'sum by (code) (rate(gen_requests_total[5m]))', step: 120 },
  { q: 'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[10m])))', step: 300 },
  { q: 'avg_over_time(gen_temperature_celsius[30m])', step: 600 },
  { q: 'resets(gen_requests_total[6h])', step: 3600 },
  { q: 'count({__name__=~"gen_.*"})', step: 900 },
  { q: 'max by (job) (last_over_time({__name__=~".+"}[1h]))', step: 1800 },
];

t.test('both servers serve the backfilled range', async (t) => {
  const r = await ours.query('count({__name__=~".+"})', endS) as { status: string; data: { result: { value: [number, string] }[] } };
  t.equal(r.status, 'success');
  t.ok(Number(r.data.result[0]?.value[1]) > 0, 'series visible at the end of the range');
});

t.test('identical query_range answers', async (t) => {
  for (const { q, step } of QUERIES) {
    const [a, b] = await Promise.all([theirs.queryRange(q, startS, endS, step), ours.queryRange(q, startS, endS, step)]);
    const ra = a as { status: string; data: { result: unknown[] } };
    t.equal(ra.status, 'success', `${q} succeeded`);
    t.ok(ra.data.result.length > 0, `${q} returned series`);
    t.same(b, a, `same JSON for ${q}`);
  }
});
