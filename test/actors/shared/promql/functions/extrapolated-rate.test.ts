import t from 'tap';
import {
  rate, increase, delta, irate, idelta, extrapolatedRate, durationSeconds,
} from '../../../../../actors/shared/promql/functions/extrapolated-rate.js';
import { load, window, MIN, close } from './series-helper.js';

type K = (ts: Float64Array, vs: Float64Array, s: number, e: number, rs: number, re: number) => number | undefined;

/** Evaluates a range kernel at `atMs` over `[atMs - offset - range, atMs - offset]`. */
function at(kernel: K, c: ReturnType<typeof load>, atMs: number, rangeMs: number, offsetMs = 0): number | undefined {
  const re = atMs - offsetMs;
  const rs = re - rangeMs;
  const [s, e] = window(c, rs, re);
  return kernel(c.ts, c.vs, s, e, rs, re);
}

t.test('functions.test: increase, rate, delta cases map to direct kernel calls', async (t) => {
  const cases: Array<[string, K, number, string, number, number, number, number?]> = [
    // name, kernel, interval, series, at, range, expected, offset
    ['increase foo', increase, 5 * MIN, '0+10x10', 50 * MIN, 50 * MIN, 100],
    ['increase bar', increase, 5 * MIN, '0+10x5 0+10x5', 50 * MIN, 50 * MIN, 90],
    ['increase foo 100m', increase, 5 * MIN, '0+10x10', 50 * MIN, 100 * MIN, 100],
    ['increase with reset', increase, 5 * MIN, '0 1 2 3 2 3 4', 30 * MIN, 30 * MIN, 7],
    ['rate reset middle', rate, 5 * MIN, '0+10x4 0+10x5', 50 * MIN, 50 * MIN, 0.03],
    ['rate reset end', rate, 5 * MIN, '0+10x9 0 10', 50 * MIN, 5 * MIN, 0],
    ['rate window', rate, 5 * MIN, '0+80x10', 50 * MIN, 50 * MIN, 0.26666666666666666],
    ['rate offset a', rate, 5 * MIN, '0+10x10', 50 * MIN, 10 * MIN, 0.03333333333333333, 5 * MIN],
    ['rate offset b', rate, 5 * MIN, '0+20x10', 50 * MIN, 10 * MIN, 0.06666666666666667, 5 * MIN],
    ['zero cutoff 0m', rate, 4 * MIN, '0+240x10', 10 * MIN, 20 * MIN, 0.5],
    ['zero cutoff 1m', rate, 4 * MIN, '60+240x10', 10 * MIN, 20 * MIN, 0.55],
    ['zero cutoff 2m', rate, 4 * MIN, '120+240x10', 10 * MIN, 20 * MIN, 0.6],
    ['zero cutoff 3m', rate, 4 * MIN, '180+240x10', 10 * MIN, 20 * MIN, 0.65],
    ['zero cutoff 4m', rate, 4 * MIN, '240+240x10', 10 * MIN, 20 * MIN, 0.7],
    ['zero cutoff 5m', rate, 4 * MIN, '300+240x10', 10 * MIN, 20 * MIN, 0.6],
    ['half interval 0m', rate, 4 * MIN, '0+240x10', 50 * MIN, 20 * MIN, 0.6],
    ['half interval 5m', rate, 4 * MIN, '300+240x10', 50 * MIN, 20 * MIN, 0.6],
    ['delta foo', delta, 5 * MIN, '0 50 100 150 200', 20 * MIN, 20 * MIN, 200],
    ['delta bar', delta, 5 * MIN, '200 150 100 50 0', 20 * MIN, 20 * MIN, -200],
  ];
  for (const [name, k, iv, spec, atMs, range, want, off] of cases) {
    const got = at(k, load(iv, spec), atMs, range, off ?? 0);
    t.ok(close(got, want), `${name}: got ${got}, want ${want}`);
  }
});

t.test('functions.test: irate and idelta', async (t) => {
  const ir = (ts: Float64Array, vs: Float64Array, s: number, e: number) => irate(ts, vs, s, e);
  const id = (ts: Float64Array, vs: Float64Array, s: number, e: number) => idelta(ts, vs, s, e);
  t.ok(close(at(ir, load(5 * MIN, '0+10x10'), 50 * MIN, 50 * MIN), 0.03333333333333333333));
  t.ok(close(at(ir, load(5 * MIN, '0+10x5 0+10x5'), 50 * MIN, 50 * MIN), 0.03333333333333333333));
  t.equal(at(ir, load(5 * MIN, '0+10x5 0+10x5'), 30 * MIN, 50 * MIN), 0, 'reset: last value 0 over 300 s');
  t.equal(at(id, load(5 * MIN, '0 50 100 150'), 20 * MIN, 20 * MIN), 50);
  t.equal(at(id, load(5 * MIN, '0 50 100 50'), 20 * MIN, 20 * MIN), -50);
});

t.test('extrapolation details of 2.42', async (t) => {
  const ts = Float64Array.from([10_000, 20_000, 30_000]);
  const vs = Float64Array.from([5, 15, 25]);
  // window [0, 40000]: durToStart 10, durToEnd 10, sampled 20, avg 10, threshold 11.
  // counter: result 20, durToZero = 20*5/20 = 5 < 10 → start gap 5. interval 20+5+10 = 35.
  t.equal(increase(ts, vs, 0, 3, 0, 40_000), 20 * 35 / 20);
  t.equal(rate(ts, vs, 0, 3, 0, 40_000), 20 * (35 / 20 / 40));
  // delta has no zero clamp: 20+10+10
  t.equal(delta(ts, vs, 0, 3, 0, 40_000), 20 * 40 / 20);
  // gaps beyond 1.1×avg extrapolate only avg/2
  t.equal(increase(ts, vs, 0, 3, -100_000, 140_000), 20 * (20 + 5 + 5) / 20);
  // 2.42 order: the zero point is applied before the threshold test. v0 = 10.4, result 20 →
  // durToZero = 20·10.4/20 = 10.4; start gap 12 s (> threshold 11). 2.42: min(12, 10.4) = 10.4 < 11
  // → extrapolate 10.4 s. (≥ 2.51 tests 12 ≥ 11 first and extrapolates only avg/2 = 5 s.)
  const vs2 = Float64Array.from([10.4, 20.4, 30.4]);
  t.equal(increase(ts, vs2, 0, 3, -2_000, 30_000), 20 * (20 + 10.4 + 0) / 20);
  // negative first value: no zero clamp
  const vs3 = Float64Array.from([-5, 5, 15]);
  t.equal(increase(ts, vs3, 0, 3, 0, 30_000), 20 * 30 / 20);
  // resets add the pre-reset value; decreasing by reset makes result 10+... (5,15 | 3 → +15)
  const vs4 = Float64Array.from([5, 15, 3]);
  t.equal(extrapolatedRate(ts, vs4, 0, 3, 10_000, 30_000, true, false), (3 - 5 + 15) * 20 / 20);
  t.equal(extrapolatedRate(ts, vs4, 0, 3, 10_000, 30_000, false, false), -2);
});

t.test('no value and NaN samples', async (t) => {
  const ts = Float64Array.from([0, 1000]);
  t.equal(rate(ts, Float64Array.from([1, 2]), 0, 1, 0, 1000), undefined, '< 2 samples');
  t.equal(rate(ts, Float64Array.from([1, 2]), 0, 0, 0, 1000), undefined, 'empty');
  t.ok(Number.isNaN(rate(ts, Float64Array.from([NaN, 2]), 0, 2, 0, 1000)!), 'NaN sample is a value');
  t.equal(irate(Float64Array.from([5, 5]), Float64Array.from([1, 2]), 0, 2), undefined, 'zero gap');
  t.equal(idelta(Float64Array.from([5, 5]), Float64Array.from([1, 2]), 0, 2), undefined, 'zero gap');
  t.equal(irate(ts, Float64Array.from([1]), 0, 1), undefined);
  t.equal(idelta(ts, Float64Array.from([1]), 0, 1), undefined);
  t.ok(Number.isNaN(idelta(ts, Float64Array.from([1, NaN]), 0, 2)!));
});

t.test('durationSeconds follows Go Duration.Seconds', async (t) => {
  t.equal(durationSeconds(300_000), 300);
  t.equal(durationSeconds(1500), 1.5);
  t.equal(durationSeconds(1001), 1 + 1_000_000 / 1e9);
  t.equal(durationSeconds(0), 0);
});
