import t from 'tap';
import { bucketQuantile } from '../../../../../actors/shared/promql/functions/histogram-quantile.js';
import { parseGoFloat } from '../../../../../actors/shared/promql/functions/parse-go-float.js';
import { rate } from '../../../../../actors/shared/promql/functions/extrapolated-rate.js';
import { load, window, MIN, close } from './series-helper.js';

/** Buckets given as [le label, count]; le parsed like Go, unparsable ones dropped (as the engine does). */
function hq(q: number, buckets: Array<[string, number]>): number {
  const parsed = buckets.flatMap(([le, c]) => { const b = parseGoFloat(le); return b === undefined ? [] : [[b, c] as const]; });
  const bounds = Float64Array.from(parsed.map((p) => p[0]));
  const counts = Float64Array.from(parsed.map((p) => p[1]));
  return bucketQuantile(q, bounds, counts, parsed.length);
}

// histograms.test values at 50m (10 steps of the increments)
const positive: Array<[string, number]> = [['0.1', 50], ['.2', 70], ['1e0', 110], ['+Inf', 120]];
const negative: Array<[string, number]> = [['-.2', 10], ['-0.1', 20], ['0.3', 20], ['+Inf', 30]];

t.test('histograms.test: testhistogram_bucket', async (t) => {
  const cases: Array<[number, number, number]> = [
    [-0.1, -Infinity, -Infinity], [1.01, Infinity, Infinity], [NaN, NaN, NaN],
    [0, 0, -0.2], [1, 1, 0.3], [0.2, 0.048, -0.2], [0.5, 0.15, -0.15], [0.8, 0.72, 0.3],
  ];
  for (const [q, p, n] of cases) {
    t.ok(close(hq(q, positive), p), `positive q=${q}: ${hq(q, positive)} want ${p}`);
    t.ok(close(hq(q, negative), n), `negative q=${q}: ${hq(q, negative)} want ${n}`);
  }
});

t.test('histograms.test: mid-bucket quantiles, via rate()', async (t) => {
  const series: Array<[string, string]> = [['0', '0+0x10'], ['2', '0+1x10'], ['4', '0+2x10'], ['6', '0+3x10'], ['+Inf', '0+3x10']];
  const at = 47 * MIN;
  const rates: Array<[string, number]> = series.map(([le, spec]) => {
    const c = load(5 * MIN, spec);
    const [s, e] = window(c, at - 15 * MIN, at);
    return [le, rate(c.ts, c.vs, s, e, at - 15 * MIN, at)!];
  });
  t.ok(close(hq(1 / 6, rates), 1));
  t.ok(close(hq(0.5, rates), 3));
  t.ok(close(hq(5 / 6, rates), 5));
  const at7: Array<[string, number]> = [['0', 0], ['2', 1], ['4', 2], ['6', 3], ['+Inf', 3]];
  t.ok(close(hq(1 / 6, at7), 1));
  t.ok(close(hq(0.5, at7), 3));
  t.ok(close(hq(5 / 6, at7), 5));
});

t.test('histograms.test: aggregated request durations (sum by le)', async (t) => {
  // sum over all four series of the per-5m increments: le=0.1: 1+2+3+4, 0.2: 3+5+4+7, +Inf: 4+6+6+9
  const all: Array<[string, number]> = [['0.1', 10], ['0.2', 19], ['+Inf', 25]];
  t.ok(close(hq(0.3, all), 0.075));
  t.ok(close(hq(0.5, all), 0.1277777777777778));
  const job2: Array<[string, number]> = [['0.1', 7], ['0.2', 11], ['+Inf', 15]];
  t.ok(close(hq(0.3, job2), 0.0642857142857143));
  t.ok(close(hq(0.5, job2), 0.1125));
  const ins1job1: Array<[string, number]> = [['0.1', 1], ['0.2', 3], ['+Inf', 4]];
  t.ok(close(hq(0.3, ins1job1), 0.11));
  t.ok(close(hq(0.5, ins1job1), 0.15));
});

t.test('histograms.test: non-monotonic buckets are fixed by running max', async (t) => {
  const b: Array<[string, number]> = [['0.1', 20], ['1', 10], ['10', 50], ['100', 40], ['1000', 90], ['+Inf', 80]];
  t.ok(close(hq(0.01, b), 0.0045));
  t.ok(close(hq(0.5, b), 8.5));
  t.ok(close(hq(0.99, b), 979.75));
});

t.test('histograms.test: equal bounds in different spellings are merged', async (t) => {
  const ins1: Array<[string, number]> = [['0.1', 1], ['0.2', 1], ['2e-1', 1], ['2.0e-1', 1], ['+Inf', 4]];
  t.ok(close(hq(0.5, ins1), 0.15));
  t.ok(close(hq(0.75, ins1), 0.2));
  t.ok(close(hq(1, ins1), 0.2));
  const ins2: Array<[string, number]> = [['+inf', 0], ['+Inf', 0]];
  t.ok(Number.isNaN(hq(0.5, ins2)), 'merged into one bucket → < 2 buckets');
  t.ok(Number.isNaN(hq(0.2, [['0.1', 0], ['0.2', 0], ['+Inf', 0]])), 'zero observations');
});

t.test('edge rules', async (t) => {
  t.ok(Number.isNaN(hq(0.5, [['0.1', 1], ['0.2', 2]])), 'no +Inf bucket');
  t.ok(Number.isNaN(hq(0.5, [['+Inf', 5]])), 'single bucket');
  t.equal(hq(0.99, [['1', 1], ['2', 2], ['+Inf', 10]]), 2, 'rank in +Inf bucket → second-highest bound');
  t.equal(hq(0.1, [['-1', 5], ['+Inf', 10]]), -1, 'first bucket with bound ≤ 0 → bound');
  t.equal(hq(0.5, [['+Inf', 10], ['2', 8], ['1', 4]]), 1 + (5 - 4) / (8 - 4), 'unsorted input');
  t.equal(hq(0.5, [['1', 4], ['x', 100], ['+Inf', 8]]), 1, 'unparsable le dropped');
  t.ok(Number.isNaN(bucketQuantile(0.5, new Float64Array(0), new Float64Array(0), 0)));
});

t.test('le parsing follows Go ParseFloat', async (t) => {
  const ok: Array<[string, number]> = [
    ['0.1', 0.1], ['.2', 0.2], ['1e0', 1], ['2.0e-1', 0.2], ['+Inf', Infinity], ['inf', Infinity],
    ['-Infinity', -Infinity], ['INF', Infinity], ['1.', 1], ['-0', -0], ['0x1p-2', 0.25], ['0x1.8p1', 3],
    ['1e-400', 0], ['+5', 5],
  ];
  for (const [s, v] of ok) t.ok(Object.is(parseGoFloat(s), v), `${s} → ${v}`);
  t.ok(Number.isNaN(parseGoFloat('NaN')!));
  t.ok(Number.isNaN(parseGoFloat('nan')!));
  for (const s of ['', ' 1', '1 ', '+nan', 'infin', '1e400', '0x1', '1_000', 'abc', '1e', '.', '0x']) {
    t.equal(parseGoFloat(s), undefined, `${JSON.stringify(s)} rejected`);
  }
});
