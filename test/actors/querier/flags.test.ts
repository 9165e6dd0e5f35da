// `athanor query` flag parsing: Thanos defaults, typed errors naming the flag, list flags.
import t from 'tap';
import { querySettingsFromFlags } from '../../../actors/querier/flags.js';

t.test('defaults are Thanos\'s', async (t) => {
  const s = querySettingsFromFlags({});
  t.equal(s.timeoutMs, 120_000);
  t.equal(s.maxConcurrent, 20);
  t.equal(s.dedupFunc, 'penalty');
  t.same(s.replicaLabels, []);
  t.equal(s.decodeWorkers, 2);
  t.equal(s.responseTimeoutMs, 0);
  t.equal(querySettingsFromFlags({ 'query.decode-workers': '0' }).decodeWorkers, 0, '0 = decode inline');
});

t.test('bad values are ConfigErrors naming the flag', async (t) => {
  const cases: Record<string, string> = {
    'query.decode-workers': 'many', 'query.timeout': '2 minutes', 'query.max-concurrent': '0',
    'deduplication.func': 'max', 'query.partial-response': 'maybe',
  };
  for (const [flag, value] of Object.entries(cases)) {
    t.throws(() => querySettingsFromFlags({ [flag]: value }), { name: 'ConfigError', message: new RegExp(`--${flag.replace('.', '\\.')}`) }, `${flag}=${value}`);
  }
  t.throws(() => querySettingsFromFlags({ endpoint: ['no-slash'] }), { name: 'ConfigError', message: /--endpoint/ });
});

t.test('replica labels: repeatable and comma lists, blanks dropped', async (t) => {
  t.same(querySettingsFromFlags({ 'query.replica-label': ['replica, rule_replica', ' ', 'prometheus_replica'] }).replicaLabels,
    ['replica', 'rule_replica', 'prometheus_replica']);
});
