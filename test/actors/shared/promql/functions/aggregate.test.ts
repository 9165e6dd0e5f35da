import t from 'tap';
import * as A from '../../../../../actors/shared/promql/functions/aggregate.js';
import { selectTopk, topkCount, topkParamError } from '../../../../../actors/shared/promql/functions/topk.js';
import { quantile } from '../../../../../actors/shared/promql/functions/quantile.js';

const F = (...v: number[]) => Float64Array.from(v);
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

t.test('sum is plain addition from the first value', async (t) => {
  t.equal(A.aggSum(F(1, 2, 3), 0, 3), 6);
  t.ok(Object.is(A.aggSum(F(-0), 0, 1), -0), 'starts from the first value, so -0 stays -0');
  t.equal(A.aggSum(F(1e16, 1, 1), 0, 3), 1e16, 'no compensation in 2.42 (Kahan only from 2.54)');
  t.equal(A.aggSum(F(0.1, 0.2, 0.3), 0, 3), 0.1 + 0.2 + 0.3);
  t.ok(Number.isNaN(A.aggSum(F(Infinity, -Infinity), 0, 2)));
  t.equal(A.aggSum(F(9, 1, 2, 9), 1, 3), 3, 'honours [start, end)');
});

t.test('avg: incremental mean with infinity rules', async (t) => {
  t.equal(A.aggAvg(F(1, 2, 3, 4), 0, 4), 2.5);
  t.equal(A.aggAvg(F(9.988465674311579e+307, 9.988465674311579e+307), 0, 2), 9.988465674311579e+307, 'no overflow');
  t.equal(A.aggAvg(F(Infinity, 0, Infinity), 0, 3), Infinity);
  t.ok(Number.isNaN(A.aggAvg(F(Infinity, -Infinity), 0, 2)));
  t.ok(Number.isNaN(A.aggAvg(F(1, NaN), 0, 2)));
  t.equal(A.aggAvg(F(1, Infinity), 0, 2), Infinity);
  // incremental arithmetic, not sum/n
  let mean = 0.1; mean += 0.2 / 2 - mean / 2; mean += 0.3 / 3 - mean / 3;
  t.equal(A.aggAvg(F(0.1, 0.2, 0.3), 0, 3), mean);
});

t.test('min/max replace NaN with any value', async (t) => {
  t.equal(A.aggMax(F(NaN, 1, NaN, 0), 0, 4), 1);
  t.equal(A.aggMin(F(NaN, 1, NaN, 0), 0, 4), 0);
  t.ok(Number.isNaN(A.aggMax(F(NaN, NaN), 0, 2)));
  t.equal(A.aggMax(F(-Infinity, -5), 0, 2), -5);
  t.equal(A.aggMin(F(3, -Infinity), 0, 2), -Infinity);
});

t.test('count, group', async (t) => {
  t.equal(A.aggCount(F(NaN, 1), 0, 2), 2);
  t.equal(A.aggGroup(F(NaN, 1), 0, 2), 1);
});

t.test('stddev/stdvar: population, Welford', async (t) => {
  t.ok(Math.abs(A.aggStdvar(F(0, 8, 8, 2, 3), 0, 5) - 10.56) < 1e-12);
  t.ok(Math.abs(A.aggStddev(F(0, 8, 8, 2, 3), 0, 5) - 3.249615) < 1e-6);
  t.equal(A.aggStdvar(F(NaN), 0, 1), 0, 'a single value only seeds the mean');
  t.equal(A.aggStddev(F(Infinity), 0, 1), 0);
  t.ok(Number.isNaN(A.aggStdvar(F(1, NaN), 0, 2)));
  t.ok(Number.isNaN(A.aggStdvar(F(Infinity, 1), 0, 2)));
});

t.test('quantile aggregation', async (t) => {
  t.equal(A.aggQuantile(0.5, F(4, 1, 3, 2), 0, 4), 2.5);
  t.equal(A.aggQuantile(0.9, F(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 0, 14), 12 * (1 - (0.9 * 13 - 11)) + 13 * (0.9 * 13 - 11));
  t.equal(A.aggQuantile(-0.5, F(1), 0, 1), -Infinity);
  t.equal(A.aggQuantile(1.5, F(1), 0, 1), Infinity);
  t.ok(Number.isNaN(A.aggQuantile(NaN, F(1), 0, 1)));
  t.ok(Number.isNaN(quantile(0.5, F(), 0, 0)));
  // large input path (> 12 values): NaNs still sort first
  const big = F(5, NaN, 3, 9, NaN, 1, 2, 8, 7, 6, 4, 10, 11, 12);
  t.ok(Number.isNaN(quantile(0.05, big, 0, 14)), 'rank 0.65: between two NaNs');
  t.equal(quantile(1, big, 0, 14), 12);
  t.equal(quantile(2 / 13, big, 0, 14), 1, 'logical index 2 = smallest number');
  t.same(Array.from(big), [5, NaN, 3, 9, NaN, 1, 2, 8, 7, 6, 4, 10, 11, 12], 'input untouched');
});

function pick(k: number, vs: Float64Array, bottom: boolean): number[] {
  const out = new Int32Array(vs.length);
  const n = selectTopk(k, vs, 0, vs.length, out, bottom);
  return Array.from(out.subarray(0, n));
}

t.test('topk/bottomk selection and order', async (t) => {
  const vs = F(100, 200, 300, 400, NaN, 500, 600, 700, 800);
  t.same(pick(3, vs, false), [8, 7, 6]);
  t.same(pick(3, vs, true), [0, 1, 2]);
  t.same(pick(20, vs, false), [8, 7, 6, 5, 3, 2, 1, 0, 4], 'all, NaN last');
  t.same(pick(20, vs, true), [0, 1, 2, 3, 5, 6, 7, 8, 4], 'all, NaN last');
  t.same(pick(1, vs, false), [8]);
  t.same(pick(1, F(NaN, NaN, 1), false), [2], 'NaN on top is always replaced');
  t.same(pick(2, F(NaN, NaN), false), [0, 1], 'NaN pair: heap push swaps them, the final insertion sort swaps back');
  t.same(pick(2, F(5, 5, 5), false), [0, 1], 'equal values do not displace the heap top');
  t.same(pick(2, F(1, 2, 2), true), [0, 1]);
  t.equal(selectTopk(3, vs, 0, 0, new Int32Array(3), false), 0);
  // > 12 results: stable order by value, NaN last
  const many = F(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, NaN);
  const top = pick(15, many, false).map((i) => many[i]!);
  t.same(top.slice(0, 14), [9, 9, 8, 7, 6, 5, 5, 5, 4, 3, 3, 2, 1, 1]);
  t.ok(Number.isNaN(top[14]!));
});

t.test('topk k parameter', async (t) => {
  t.equal(topkParamError(3), undefined);
  t.equal(topkParamError(NaN), 'Scalar value NaN overflows int64');
  t.equal(topkParamError(Infinity), 'Scalar value +Inf overflows int64');
  t.equal(topkParamError(9.3e18), 'Scalar value 9.3e+18 overflows int64');
  t.equal(topkParamError(-9223372036854775808), undefined);
  t.equal(topkCount(2.9), 2);
  t.equal(topkCount(0.5), 0);
  t.equal(topkCount(-3), 0);
});

t.test('helpers treat NaN/-0 like Go', async (t) => {
  t.ok(same(A.aggMax(F(-0, 0), 0, 2), -0), 'max keeps the first of equal zeros');
});
