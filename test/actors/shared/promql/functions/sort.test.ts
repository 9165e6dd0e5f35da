import t from 'tap';
import { sortOrder } from '../../../../../actors/shared/promql/functions/sort.js';

function order(vs: number[], desc: boolean): number[] {
  const out = new Int32Array(vs.length);
  const n = sortOrder(Float64Array.from(vs), 0, vs.length, out, desc);
  return Array.from(out.subarray(0, n));
}

t.test('functions.test: sort / sort_desc (NaN last)', async (t) => {
  // input in label order: api-server/0/production … app-server/1/canary (see functions.test)
  const vs = [300, 400, NaN, 100, 200, 700, 800, 500, 600];
  t.same(order(vs, false).map((i) => vs[i]), [100, 200, 300, 400, 500, 600, 700, 800, NaN]);
  t.same(order(vs, true).map((i) => vs[i]), [800, 700, 600, 500, 400, 300, 200, 100, NaN]);
});

t.test('ties follow Go: insertion sort for ≤ 12 elements', async (t) => {
  t.same(order([1, 1, 1], false), [0, 1, 2], 'stable for small inputs');
  t.same(order([NaN, NaN, 1], false), [2, 1, 0], 'NaNs move right past each other (Less(NaN, x) holds for the right-hand NaN)');
  t.same(order([2, 1, 2, 1], true), [0, 2, 1, 3]);
});

t.test('window offset and larger inputs', async (t) => {
  const vs = Float64Array.from([9, 9, 3, 1, 2]);
  const out = new Int32Array(3);
  t.equal(sortOrder(vs, 2, 5, out, false), 3);
  t.same(Array.from(out), [1, 2, 0], 'positions relative to start');
  const big = Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
  const o = order(big, false);
  t.same(o.map((i) => big[i]), [...big].sort((a, b) => a - b), 'values sorted');
  t.same([...o].sort((a, b) => a - b), big.map((_, i) => i), 'a permutation');
});
