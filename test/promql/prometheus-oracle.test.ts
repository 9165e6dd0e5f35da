// Differential test against the real Prometheus 2.42 (apt): the same generated data is backfilled
// with promtool into blocks served by a real `prometheus`, and loaded into MemoryStorage for our
// engine; every query runs as a range query and as an instant query on both and is compared:
// label sets exact, values to 1e-9 relative (NaN = NaN), errors on both sides.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsFromObject } from '../../actors/shared/labels/labels.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../actors/shared/promql/storage/index.js';
import { generateSeries, writeOpenMetrics } from '../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';
import { compareQuery, startPrometheus } from './oracle-harness.js';

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
  'gen_flaky_up or gen_temperature_celsius', 'gen_temperature_celsius and on(instance) gen_flaky_up',
  'gen_temperature_celsius unless on(instance) gen_flaky_up',
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
  'gen_temperature_celsius atan2 10', 'gen_temperature_celsius atan2 on(instance) gen_flaky_up',
  'gen_flaky_up <= on(instance) group_right gen_temperature_celsius',
  'gen_requests_total + on(instance) gen_temperature_celsius', 'gen_temperature_celsius + on(job) gen_requests_total',
  'label_replace(gen_requests_total, "job", "x", "job", ".*")',
  'sum(gen_requests_total) by (job, code) + on() group_left sum(gen_temperature_celsius)',
  'gen_temperature_celsius{instance=~"host-[12].*"}', 'gen_requests_total{code!="200",path!~".+"}',
  'gen_requests_total[5m]', 'rate(gen_requests_total[5m])[10m:2m]', '"a string"',
  'count_values without (instance) ("v", gen_flaky_up)', 'count_values("job", gen_flaky_up)', 'quantile(NaN, gen_temperature_celsius)',
  'quantile(scalar(gen_flaky_up{instance="host-0:9100"}), gen_temperature_celsius)',
  'label_replace(gen_flaky_up, "port", "${p}x", "instance", ".*:(?P<p>[0-9]+)")', 'label_replace(gen_flaky_up, "a", "$1$2", "instance", "(h)(.*)")',
  'label_replace(gen_flaky_up, "instance", "", "instance", ".*")', 'label_replace(gen_flaky_up, "bad-name", "x", "instance", ".*")',
  'topk(100, gen_temperature_celsius)', 'topk(0, gen_temperature_celsius)', 'bottomk(2.9, gen_temperature_celsius)', 'topk(-1, gen_flaky_up)',
  'sort(gen_temperature_celsius)', 'max_over_time(gen_requests_total[3m:20s] offset 1m @ 1700003000)',
  'max_over_time(rate(gen_requests_total[1m])[10m:1m])', 'min_over_time(max_over_time(gen_flaky_up[2m:30s])[6m:1m])',
  'absent(nonexistent{job="a"} offset 1m)', 'absent_over_time(nonexistent{job="a",job=~"b"}[1m])', 'round(gen_temperature_celsius, 0)',
  'round(gen_temperature_celsius)', 'clamp(gen_temperature_celsius, 45, 35)', 'clamp_min(gen_special_values, 0)', 'clamp_max(gen_special_values, 0)',
  'gen_special_values > 0', 'gen_special_values == bool gen_special_values', 'gen_special_values != gen_special_values',
  'sum(gen_special_values) by (job) / count(gen_special_values) by (job)', 'stddev_over_time(gen_special_values[10m])',
  'avg_over_time(gen_special_values[10m])', 'sum_over_time(gen_special_values[10m])', 'quantile_over_time(0.5, gen_special_values[10m])',
  'deriv(gen_special_values[10m])', 'changes(gen_special_values[10m])', 'resets(gen_special_values[10m])',
  'gen_requests_total offset -5m', 'gen_requests_total @ end() offset 10m', 'rate(gen_requests_total[5m] @ start())',
  '(gen_flaky_up @ 1700001000) + on(instance) gen_temperature_celsius', 'timestamp(gen_requests_total @ 1700001000)',
  'timestamp(sum(gen_flaky_up))', 'day_of_week(vector(1700000000))', 'year(gen_flaky_up)',
  'sum without (job, instance) (gen_requests_total)', 'sum by (__name__) (gen_requests_total)', 'count by (__name__, job) ({job=~"api|node"})',
  'group without () (gen_flaky_up)', 'avg by (job) (gen_special_values)', 'max by (job) (gen_special_values)', 'min(gen_special_values)',
  'stddev by (job) (gen_special_values)', '-(gen_requests_total)', '+gen_requests_total', '- - gen_flaky_up',
  'gen_requests_total and on() vector(1)', 'gen_flaky_up unless gen_flaky_up', 'vector(1) or vector(2)', 'gen_flaky_up or on(instance) gen_temperature_celsius',
  '1 - gen_flaky_up', '2 ^ gen_flaky_up ^ 2', 'gen_temperature_celsius % -3', 'scalar(gen_flaky_up) * 2', 'time() - timestamp(gen_flaky_up)',
  'holt_winters(gen_special_values[10m], 0.5, 0.5)', 'predict_linear(gen_special_values[10m], 60)', 'irate(gen_special_values[1m])',
  'increase(gen_special_values[5m])', 'rate(gen_special_values[5m])', 'delta(gen_special_values[5m])', 'idelta(gen_special_values[5m])',
  'histogram_quantile(0.5, gen_special_values)', 'histogram_quantile(NaN, sum by (le) (gen_request_duration_seconds_bucket))',
  'histogram_quantile(2, sum by (le) (gen_request_duration_seconds_bucket))',
  // errors: the messages must be Prometheus's
  'gen_requests_total + on(job) group_left gen_temperature_celsius', 'gen_temperature_celsius + ignoring(instance) gen_temperature_celsius',
  'gen_temperature_celsius + on(job) group_right gen_requests_total', 'label_replace(gen_flaky_up, "x", "x", "instance", "(")',
  'label_join(gen_flaky_up, "bad-name", "-", "job")', 'count_values("bad-name", gen_flaky_up)', 'topk(NaN, gen_flaky_up)', 'topk(1e20, gen_flaky_up)',
  'holt_winters(gen_temperature_celsius[5m], 2, 0.5)', 'holt_winters(gen_temperature_celsius[5m], 0.5, 0)', 'rate({job=~"api|node"}[5m])',
  'label_replace(gen_requests_total, "instance", "x", "instance", ".*")', 'gen_requests_total + on(instance) group_left(job) gen_flaky_up',
  '{__name__=~"gen_flaky_up|gen_temperature_celsius"} + 1', '-{__name__=~"gen_flaky_up|gen_temperature_celsius"}',
  'sum by (le) (gen_request_duration_seconds_bucket) + on() group_left gen_temperature_celsius',
];

t.test('engine agrees with prometheus 2.42', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'promql-oracle-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  writeOpenMetrics(join(dir, 'data.om'), { ...GEN, startSec: START });
  await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  const prom = await startPrometheus(dir, join(dir, 'data'));
  t.teardown(() => prom.stop());
  const st = new MemoryStorage();
  for (const s of generateSeries({ ...GEN, startSec: START })) {
    const ls = labelsFromObject(s.labels);
    for (const x of s.samples) st.append(ls, x.t, x.v);
  }
  const engine = new Engine();
  const range = { start: START + 300, end: START + 2 * 3600 + 120, step: 97 };
  for (const q of QUERIES) {
    for (const mode of [{ range }, { instant: START + 1800 + 7.5 }]) {
      const c = await compareQuery(prom, engine, st, q, mode);
      const name = `${'range' in mode ? 'range' : 'instant'} ${q}`;
      if (c.kind === 'both-failed') t.equal(c.ours, c.error.replace(/^invalid parameter "query": /, ''), `${name}: both fail with the same message`);
      else t.equal(c.kind === 'differ' ? c.why : undefined, undefined, `${name} (${c.kind === 'equal' ? c.series : '?'} series)`);
    }
  }
});
