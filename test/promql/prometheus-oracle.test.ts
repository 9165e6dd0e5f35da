// Differential test against the real Prometheus 2.42 (apt): the same generated data is backfilled
// with promtool into blocks served by a real `prometheus`, and loaded into MemoryStorage for our
// engine; every query is run as a range query (and some as instant queries) on both and compared:
// label sets exact, values to 1e-9 relative (NaN = NaN), errors on both sides.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsFromObject, labelsToString } from '../../actors/shared/labels/labels.js';
import { Engine, type QueryValue } from '../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../actors/shared/promql/storage/index.js';
import { generateSeries, writeOpenMetrics } from '../harness/openmetrics-gen.js';
import { freePort, waitFor } from '../harness/ports.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';

const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
const GEN = { hours: 2, series: 4, specials: true, seed: 7 };
const START = 1699999200;

const QUERIES = [
  'gen_requests_total', 'gen_requests_total offset 3m', 'gen_requests_total @ 1700001000', 'gen_requests_total @ start()',
  'rate(gen_requests_total[5m])', 'irate(gen_requests_total[5m])', 'increase(gen_requests_total[2m])', 'delta(gen_temperature_celsius[3m])',
  'idelta(gen_temperature_celsius[3m])', 'deriv(gen_temperature_celsius[5m])', 'predict_linear(gen_temperature_celsius[5m], 600)',
  'holt_winters(gen_temperature_celsius[10m], 0.3, 0.6)', 'resets(gen_requests_total[30m])', 'changes(gen_flaky_up[10m])',
  'sum by (job) (rate(gen_requests_total[5m]))', 'sum without (instance) (rate(gen_requests_total[5m]))',
  'avg(gen_temperature_celsius)', 'min by (job) (gen_temperature_celsius)', 'max(gen_temperature_celsius)', 'count(gen_flaky_up)',
  'stddev(gen_temperature_celsius)', 'stdvar by (job) (gen_temperature_celsius)', 'group by (code) (gen_requests_total)',
  'quantile(0.9, gen_temperature_celsius)', 'count_values("v", gen_flaky_up)', 'topk(2, gen_temperature_celsius)',
  'bottomk(1, rate(gen_requests_total[5m]))', 'topk by (code) (1, gen_requests_total)',
  'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, rate(gen_request_duration_seconds_bucket[5m]))',
  'rate(gen_request_duration_seconds_sum[5m]) / rate(gen_request_duration_seconds_count[5m])',
  'gen_requests_total / on(instance) group_left gen_temperature_celsius',
  'gen_temperature_celsius > 45', 'gen_temperature_celsius > bool 45', '50 < gen_temperature_celsius', '-gen_temperature_celsius',
  'gen_flaky_up or gen_temperature_celsius', 'gen_temperature_celsius and on(instance) gen_flaky_up', 'gen_temperature_celsius unless on(instance) gen_flaky_up',
  'avg_over_time(gen_temperature_celsius[10m])', 'sum_over_time(gen_flaky_up[10m])', 'count_over_time(gen_flaky_up[10m])',
  'last_over_time(gen_flaky_up[10m])', 'present_over_time(gen_flaky_up[2m])', 'absent_over_time(gen_flaky_up[2m])', 'absent(gen_flaky_up)',
  'quantile_over_time(0.3, gen_temperature_celsius[10m])', 'stddev_over_time(gen_temperature_celsius[10m])',
  'max_over_time(gen_special_values[5m])', 'min_over_time(gen_special_values[5m])', 'gen_special_values * 2', 'sum(gen_special_values)',
  'max_over_time(rate(gen_requests_total[5m])[20m:1m])', 'avg_over_time(gen_temperature_celsius[7m:45s] offset 2m)',
  'rate(gen_requests_total[10m:30s])', 'sum_over_time(gen_flaky_up[3m:] @ 1700002000)', 'timestamp(gen_flaky_up)',
  'time()', 'vector(1) + 2', 'scalar(sum(gen_flaky_up))', 'hour(gen_flaky_up * 1700000000)', 'minute()',
  'label_replace(gen_flaky_up, "host", "$1", "instance", "(.*):.*")', 'label_join(gen_flaky_up, "x", "-", "job", "instance")',
  'sort_desc(gen_temperature_celsius)', 'round(gen_temperature_celsius, 0.5)', 'clamp(gen_temperature_celsius, 35, 45)',
  'ln(gen_temperature_celsius) + sqrt(gen_temperature_celsius) - on(instance) exp(gen_flaky_up)', 'gen_temperature_celsius % 7 ^ 2',
  'gen_temperature_celsius atan2 10', 'gen_temperature_celsius atan2 on(instance) gen_flaky_up', 'gen_flaky_up <= on(instance) group_right gen_temperature_celsius',
  'gen_requests_total + on(instance) gen_temperature_celsius', 'gen_temperature_celsius + on(job) gen_requests_total', 'label_replace(gen_requests_total, "job", "x", "job", ".*")', 'sum(gen_requests_total) by (job, code) + on() group_left sum(gen_temperature_celsius)',
  'gen_temperature_celsius{instance=~"host-[12].*"}', 'gen_requests_total{code!="200",path!~".+"}',
];

interface ApiSeries { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }
function num(s: string): number { return s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s); }
function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

type Points = Map<string, Map<number, number>>;
function fromApi(result: ApiSeries[] | [number, string], type: string): Points {
  const out: Points = new Map();
  if (type === 'scalar') { const [ts, v] = result as [number, string]; out.set('{}', new Map([[Math.round(ts * 1000), num(v)]])); return out; }
  for (const s of result as ApiSeries[]) {
    const pts = new Map<number, number>();
    for (const [ts, v] of s.values ?? [s.value!]) pts.set(Math.round(ts * 1000), num(v));
    out.set(labelsToString(labelsFromObject(s.metric)), pts);
  }
  return out;
}
function fromOurs(v: QueryValue): Points {
  const out: Points = new Map();
  if (v.type === 'scalar') out.set('{}', new Map([[v.t, v.v]]));
  else if (v.type === 'vector') for (const s of v.samples) out.set(labelsToString(s.labels), new Map([[s.t, s.v]]));
  else if (v.type === 'matrix') for (const s of v.series) out.set(labelsToString(s.labels), new Map(Array.from(s.ts, (ts, i) => [ts, s.vs[i]!])));
  return out;
}
function diff(want: Points, got: Points): string | undefined {
  for (const k of want.keys()) if (!got.has(k)) return `missing series ${k}`;
  for (const [k, pts] of got) {
    const w = want.get(k);
    if (w === undefined) return `unexpected series ${k}`;
    if (w.size !== pts.size) return `${k}: ${pts.size} points, want ${w.size}`;
    for (const [ts, v] of pts) if (!w.has(ts) || !close(w.get(ts)!, v)) return `${k} @${ts}: got ${v}, want ${w.get(ts)}`;
  }
  return undefined;
}

t.test('engine agrees with prometheus 2.42', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'promql-oracle-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  writeOpenMetrics(join(dir, 'data.om'), { ...GEN, startSec: START });
  await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  await writeFile(join(dir, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const proc: ChildProcess = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=100y'], { stdio: 'ignore' });
  t.teardown(() => { proc.kill('SIGKILL'); });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', async () => { try { return (await fetch(`${base}/-/ready`)).ok; } catch { return false; } }, 30_000, 100);

  const st = new MemoryStorage();
  for (const s of generateSeries({ ...GEN, startSec: START })) {
    const ls = labelsFromObject(s.labels);
    for (const x of s.samples) st.append(ls, x.t, x.v);
  }
  const engine = new Engine();
  const empty: string[] = [];
  const start = START + 300, end = START + 2 * 3600 + 120, step = 97;
  for (const q of QUERIES) {
    for (const mode of ['range', 'instant'] as const) {
      const params: Record<string, string> = mode === 'range' ? { query: q, start: String(start), end: String(end), step: String(step) } : { query: q, time: String(START + 1800 + 7.5) };
      const res = await fetch(`${base}/api/v1/${mode === 'range' ? 'query_range' : 'query'}`, { method: 'POST', body: new URLSearchParams(params) });
      const body = await res.json() as { status: string; error?: string; data?: { resultType: string; result: ApiSeries[] } };
      let ours: QueryValue | Error;
      try {
        ours = mode === 'range'
          ? (await engine.rangeQuery(st, q, start * 1000, end * 1000, step * 1000)).value
          : (await engine.instantQuery(st, q, (START + 1800 + 7.5) * 1000)).value;
      } catch (e) { ours = e as Error; }
      if (body.status !== 'success') {
        t.ok(ours instanceof Error, `${mode} ${q}: both fail (prometheus: ${body.error})`);
        continue;
      }
      if (ours instanceof Error) { t.fail(`${mode} ${q}: prometheus succeeded, we failed: ${ours.message}`); continue; }
      const d = diff(fromApi(body.data!.result, body.data!.resultType), fromOurs(ours));
      const want = fromApi(body.data!.result, body.data!.resultType);
      if (want.size === 0) empty.push(`${mode} ${q}`);
      t.equal(d, undefined, `${mode} ${q} (${want.size} series)`);
    }
  }
  t.comment(`empty on both sides: ${empty.join("; ")}`);
});
