import t from 'tap';
import * as O from '../../../../../actors/shared/promql/functions/over-time.js';
import { deriv, predictLinear, linearRegression, regressionIntercept } from '../../../../../actors/shared/promql/functions/regression.js';
import { holtWinters, holtWintersFactorError } from '../../../../../actors/shared/promql/functions/holt-winters.js';
import { rate } from '../../../../../actors/shared/promql/functions/extrapolated-rate.js';
import { load, window, MIN, close } from './series-helper.js';

type VK = (vs: Float64Array, s: number, e: number) => number | undefined;
function at(k: VK, c: ReturnType<typeof load>, atMs: number, rangeMs: number): number | undefined {
  const [s, e] = window(c, atMs - rangeMs, atMs);
  return k(c.vs, s, e);
}
const same = (a: number | undefined, b: number): boolean => a !== undefined && (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)));

t.test('functions.test: resets and changes', async (t) => {
  const foo = load(5 * MIN, '1 2 3 0 1 0 0 1 2 0');
  const bar = load(5 * MIN, '1 2 3 4 5 1 2 3 4 5');
  const biz = load(5 * MIN, '0 0 0 0 0 1 1 1 1 1');
  const r: Array<[number, number, number, number]> = [[5, 0, 0, 0], [20, 1, 0, 0], [30, 2, 1, 0], [50, 3, 1, 0]];
  for (const [m, f, b, z] of r) {
    t.equal(at(O.resets, foo, 50 * MIN, m * MIN), f);
    t.equal(at(O.resets, bar, 50 * MIN, m * MIN), b);
    t.equal(at(O.resets, biz, 50 * MIN, m * MIN), z);
  }
  const c: Array<[number, number, number, number]> = [[5, 0, 0, 0], [20, 3, 3, 0], [30, 4, 5, 1], [50, 8, 9, 1]];
  for (const [m, f, b, z] of c) {
    t.equal(at(O.changes, foo, 50 * MIN, m * MIN), f);
    t.equal(at(O.changes, bar, 50 * MIN, m * MIN), b);
    t.equal(at(O.changes, biz, 50 * MIN, m * MIN), z);
  }
  t.equal(at(O.changes, load(5 * MIN, 'NaN NaN NaN'), 15 * MIN, 15 * MIN), 0, 'NaN to NaN is no change');
  t.equal(at(O.changes, load(5 * MIN, '0 NaN 0'), 15 * MIN, 15 * MIN), 2);
  t.equal(O.resets(new Float64Array(0), 0, 0), undefined);
  t.equal(O.changes(new Float64Array(0), 0, 0), undefined);
});

t.test('functions.test: avg/sum_over_time with infinities and overflow', async (t) => {
  const cases: Array<[string, number, number]> = [
    ['1 2 3 4 5', 3, 15], ['1 2 3 4 Inf', Infinity, Infinity], ['1 2 3 4 -Inf', -Infinity, -Infinity],
    ['1 2 3 Inf -Inf', NaN, NaN], ['Inf 0 Inf', Infinity, Infinity], ['Inf Inf Inf -Inf', NaN, NaN],
    ['1 2 3 -Inf -Inf', -Infinity, -Infinity], ['-Inf 0 -Inf', -Infinity, -Infinity],
    ['-Inf -Inf -Inf Inf', NaN, NaN], ['1 2 -Inf -Inf Inf', NaN, NaN],
    ['9.988465674311579e+307 9.988465674311579e+307', 9.988465674311579e+307, Infinity],
    ['-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307', -9.988465674311579e+307, -Infinity],
    ['-9.988465674311579e+307 9.988465674311579e+307', 0, 0],
  ];
  for (const [spec, avg, sum] of cases) {
    const c = load(10_000, spec);
    t.ok(same(at(O.avgOverTime, c, MIN, MIN), avg), `avg ${spec}: ${at(O.avgOverTime, c, MIN, MIN)}`);
    t.ok(same(at(O.sumOverTime, c, MIN, MIN), sum), `sum ${spec}: ${at(O.sumOverTime, c, MIN, MIN)}`);
  }
});

t.test('functions.test: stddev/stdvar_over_time', async (t) => {
  const c = load(10_000, '0 8 8 2 3');
  t.ok(close(at(O.stdvarOverTime, c, MIN, MIN), 10.56));
  t.ok(close(at(O.stddevOverTime, c, MIN, MIN), 3.249615));
  const k = load(10_000, '1.5990505637277868 1.5990505637277868 1.5990505637277868');
  t.equal(at(O.stdvarOverTime, k, MIN, MIN), 0, 'compensated mean keeps a constant series at exactly 0');
  t.equal(at(O.stddevOverTime, k, MIN, MIN), 0);
});

t.test('functions.test: quantile_over_time', async (t) => {
  const two = load(10_000, '0 1');
  const three = load(10_000, '0 1 2');
  const uneven = load(10_000, '0 1 4');
  const rows: Array<[number, number, number, number]> = [
    [0, 0, 0, 0], [0.5, 0.5, 1, 1], [0.75, 0.75, 1.5, 2.5], [0.8, 0.8, 1.6, 2.8], [1, 1, 2, 4],
    [-1, -Infinity, -Infinity, -Infinity], [2, Infinity, Infinity, Infinity],
  ];
  for (const [q, a, b, c] of rows) {
    const k = (vs: Float64Array, s: number, e: number) => O.quantileOverTime(q, vs, s, e);
    t.ok(close(at(k, two, MIN, MIN), a), `two q=${q}`);
    t.ok(close(at(k, three, MIN, MIN), b), `three q=${q}`);
    t.ok(close(at(k, uneven, MIN, MIN), c), `uneven q=${q}`);
  }
  t.ok(Number.isNaN(O.quantileOverTime(NaN, Float64Array.from([1, 2]), 0, 2)!));
  t.equal(O.quantileOverTime(0.5, Float64Array.from([2, NaN, 1]), 0, 3), 1, 'NaN sorts first: [NaN, 1, 2], rank 1');
  t.ok(Number.isNaN(O.quantileOverTime(0, Float64Array.from([2, NaN, 1]), 0, 3)!), 'rank 0 is the NaN');
  t.ok(Number.isNaN(O.quantileOverTime(0, Float64Array.from([1, Infinity]), 0, 2)!), 'Inf·0 weight is NaN, as in Go');
});

t.test('functions.test: min/max/last_over_time with NaN', async (t) => {
  const rows: Array<[string, number, number, number]> = [
    ['2 0 3', 0, 3, 3], ['2 0 NaN', 0, 2, NaN], ['2 NaN 1', 1, 2, 1], ['NaN 0 1', 0, 1, 1], ['NaN NaN NaN', NaN, NaN, NaN],
  ];
  for (const [spec, mn, mx, last] of rows) {
    const c = load(10_000, spec);
    t.ok(same(at(O.minOverTime, c, MIN, MIN), mn), `min ${spec}`);
    t.ok(same(at(O.maxOverTime, c, MIN, MIN), mx), `max ${spec}`);
    t.ok(same(at(O.lastOverTime, c, MIN, MIN), last), `last ${spec}`);
  }
  t.equal(O.countOverTime(Float64Array.from([NaN, 1]), 0, 2), 2);
  t.equal(O.presentOverTime(Float64Array.from([NaN]), 0, 1), 1);
  for (const k of [O.minOverTime, O.maxOverTime, O.lastOverTime, O.countOverTime, O.presentOverTime, O.sumOverTime,
    O.avgOverTime, O.stddevOverTime, O.stdvarOverTime]) {
    t.equal(k(new Float64Array(0), 0, 0), undefined, `${k.name} of an empty window`);
  }
});

t.test('functions.test: deriv and predict_linear', async (t) => {
  const canary = load(5 * MIN, '0+80x10');
  const mid = load(5 * MIN, '0+10x4 0+10x5');
  const [s1, e1] = window(canary, 0, 50 * MIN);
  t.ok(close(deriv(canary.ts, canary.vs, s1, e1), 0.26666666666666666));
  t.ok(close(rate(canary.ts, canary.vs, s1, e1, 0, 50 * MIN), 0.26666666666666666));
  const [s2, e2] = window(mid, -50 * MIN, 50 * MIN);
  t.ok(close(deriv(mid.ts, mid.vs, s2, e2), 0.010606060606060607));
  t.ok(close(predictLinear(mid.ts, mid.vs, s2, e2, 50 * MIN, 3600), 76.81818181818181));
  // @ 3000 with evaluation at 10m / 70m: samples of [-100m+50m, 50m], x from the eval time
  t.ok(close(predictLinear(mid.ts, mid.vs, s2, e2, 10 * MIN, 3600), 51.36363636363637));
  t.ok(close(predictLinear(mid.ts, mid.vs, s2, e2, 70 * MIN, 3600), 89.54545454545455));
  // worked example from the file's comment
  t.ok(close(linearRegression(mid.ts, mid.vs, s2, e2, 0), 0.010606060606060607));
  t.ok(close(regressionIntercept, 6.818181818181818));
  t.equal(deriv(mid.ts, mid.vs, 0, 1), undefined);
  t.equal(predictLinear(mid.ts, mid.vs, 0, 1, 0, 1), undefined);
  const ts = Float64Array.from([0, 1000, 2000]);
  t.equal(deriv(ts, Float64Array.from([5, 5, 5]), 0, 3), 0, 'constant → slope 0');
  t.equal(predictLinear(ts, Float64Array.from([5, 5, 5]), 0, 3, 2000, 100), 5);
  t.ok(Number.isNaN(deriv(ts, Float64Array.from([Infinity, Infinity, Infinity]), 0, 3)!), 'constant ±Inf → NaN');
});

t.test('functions.test: holt_winters', async (t) => {
  const at8000 = (spec: string): number | undefined => {
    const c = load(10_000, spec);
    const [s, e] = window(c, 8_000_000 - MIN, 8_000_000);
    return holtWinters(c.vs, s, e, 0.01, 0.1);
  };
  const rows: Array<[string, number]> = [
    ['0+10x1000 100+30x1000', 8000], ['0+20x1000 200+30x1000', 16000], ['0+30x1000 300+80x1000', 24000],
    ['0+40x2000', 32000], ['8000-10x1000', 0], ['0-20x1000', -16000], ['0+30x1000 300-80x1000', 24000],
    ['0-40x1000 0+40x1000', -32000],
  ];
  for (const [spec, want] of rows) t.ok(close(at8000(spec), want), `${spec}: ${at8000(spec)}`);
  // hand-computed: v = 1, 3, 4 with sf = 0.5, tf = 0.5
  // i=1: b=2, s1 = 0.5*3 + 0.5*(1+2) = 3; i=2: b = 0.5*(3-1) + 0.5*2 = 2, s1 = 0.5*4 + 0.5*(3+2) = 4.5
  t.equal(holtWinters(Float64Array.from([1, 3, 4]), 0, 3, 0.5, 0.5), 4.5);
  t.equal(holtWinters(Float64Array.from([1]), 0, 1, 0.5, 0.5), undefined);
  t.equal(holtWintersFactorError(0.5, 0.5), undefined);
  t.equal(holtWintersFactorError(1, 0.5), 'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000');
  t.equal(holtWintersFactorError(0.5, 0), 'invalid trend factor. Expected: 0 < tf < 1, got: 0.000000');
  t.equal(holtWintersFactorError(NaN, NaN), undefined, '2.42 lets NaN factors through');
});
