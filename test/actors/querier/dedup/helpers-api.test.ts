import t from 'tap';
import { isCounterFunc } from '../../../../actors/querier/dedup/counter-funcs.js';
import { withoutReplicaLabels } from '../../../../actors/querier/dedup/replica-labels.js';
import { clipSamples, concatSamples, samplesOf } from '../../../../actors/querier/dedup/samples.js';
import { labelsFromObject } from '../../../../actors/shared/labels/labels.js';
import { pairs } from './helpers.js';

t.test('withoutReplicaLabels - removes only the named labels, keeps order, no copy when absent', async (t) => {
  const ls = labelsFromObject({ __name__: 'up', job: 'x', prometheus_replica: 'a', replica: 'b' });
  t.same(withoutReplicaLabels(ls, ['replica', 'prometheus_replica']), labelsFromObject({ __name__: 'up', job: 'x' }));
  t.equal(withoutReplicaLabels(ls, ['rule_replica']), ls, 'same object when nothing to remove');
  t.equal(withoutReplicaLabels(ls, []), ls);
});

t.test('isCounterFunc - the counter functions only', async (t) => {
  for (const f of ['rate', 'increase', 'irate', 'resets', 'xrate', 'xincrease']) t.ok(isCounterFunc(f), f);
  for (const f of ['delta', 'sum', 'max_over_time', '', undefined]) t.notOk(isCounterFunc(f), String(f));
});

t.test('samples - clip is inclusive on both ends; concat keeps order', async (t) => {
  const s = samplesOf([0, 10, 20, 30], [1, 2, 3, 4]);
  t.same(pairs(clipSamples(s, 10, 20)), [[10, 2], [20, 3]]);
  t.same(pairs(clipSamples(s, 11, 19)), []);
  t.same(pairs(clipSamples(s, -5, 100)), pairs(s));
  t.same(pairs(clipSamples(s, 31, 40)), []);
  t.same(pairs(concatSamples([samplesOf([0], [1]), samplesOf([5, 6], [2, 3])])), [[0, 1], [5, 2], [6, 3]]);
  t.throws(() => samplesOf([1], []), RangeError);
});
