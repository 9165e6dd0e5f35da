import t from 'tap';
import { dedupChain } from '../../../../actors/querier/dedup/chain.js';
import { bitsAt, pairs, STALE_BITS, staleSamples } from './helpers.js';

t.test('chain - merges by timestamp, equal timestamps keep the lowest replica', async (t) => {
  const a = staleSamples([0, 10, 20, 40], [1, 2, 3, 5]);
  const b = staleSamples([0, 15, 20, 30], [9, 8, 7, 6]);
  // 0: both → a's 1; 10: a; 15: b; 20: both → a's 3; 30: b; 40: a.
  t.same(pairs(dedupChain([a, b])), [[0, 1], [10, 2], [15, 8], [20, 3], [30, 6], [40, 5]]);
  t.same(pairs(dedupChain([b, a])), [[0, 9], [10, 2], [15, 8], [20, 7], [30, 6], [40, 5]], 'order of replicas decides ties');
});

t.test('chain - three replicas and empty ones', async (t) => {
  const a = staleSamples([0, 30], [1, 4]);
  const b = staleSamples([10, 30], [2, 9]);
  const c = staleSamples([20, 30, 40], [3, 9, 5]);
  t.same(pairs(dedupChain([a, b, c])), [[0, 1], [10, 2], [20, 3], [30, 4], [40, 5]]);
  t.same(pairs(dedupChain([staleSamples([], []), a])), [[0, 1], [30, 4]]);
  t.same(pairs(dedupChain([])), []);
});

t.test('chain - stale markers kept bit-exact', async (t) => {
  const got = dedupChain([staleSamples([0, 10], [1, Number.NaN]), staleSamples([5, 10], [2, 3])]);
  t.same(Array.from(got.ts), [0, 5, 10]);
  t.equal(bitsAt(got.vs, 2), STALE_BITS);
});
