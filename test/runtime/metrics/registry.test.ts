import t from 'tap';
import { register as globalRegistry } from 'prom-client';
import { createRegistry, metricsFor } from '../../../runtime/metrics/registry.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';

t.test('registry - each process registry has default process metrics and never touches the global one', async (t) => {
  const r1 = createRegistry();
  const r2 = createRegistry({ labels: { component: 'store' } });
  const m1 = metricsFor(r1);
  const m2 = metricsFor(r2);
  m1.counter({ name: 'athanor_test_ops_total', help: 'ops', labelNames: ['op'] }).inc({ op: 'get' }, 3);
  m2.counter({ name: 'athanor_test_ops_total', help: 'ops', labelNames: ['op'] }).inc({ op: 'get' });
  const text1 = await r1.metrics();
  t.match(text1, /process_cpu_user_seconds_total/);
  t.match(text1, /nodejs_eventloop_lag_seconds/);
  t.match(text1, /athanor_test_ops_total\{op="get"\} 3/);
  t.match(await r2.metrics(), /athanor_test_ops_total\{op="get",component="store"\} 1/);
  t.equal(globalRegistry.getSingleMetric('athanor_test_ops_total'), undefined);
  t.notMatch(await createRegistry({ defaultMetrics: false }).metrics(), /process_cpu/);
});

t.test('metrics factory - returns the existing metric and enforces naming', async (t) => {
  const m = metricsFor(createRegistry({ defaultMetrics: false }));
  const a = m.gauge({ name: 'athanor_test_depth', help: 'depth' });
  t.equal(m.gauge({ name: 'athanor_test_depth', help: 'depth' }), a);
  t.throws(() => m.counter({ name: 'athanor_test_depth_total', help: 'x' }) && m.histogram({ name: 'athanor_test_depth', help: 'x' }), ConfigError);
  t.throws(() => m.counter({ name: 'athanor_things', help: 'x' }), ConfigError);
  t.throws(() => m.gauge({ name: 'thanos_things', help: 'x' }), ConfigError);
  m.histogram({ name: 'athanor_test_seconds', help: 'h', buckets: [1] }).observe(0.5);
  t.match(await m.registry.metrics(), /athanor_test_seconds_bucket\{le="1"\} 1/);
});
