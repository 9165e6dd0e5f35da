import * as k from '../functions/index.js';
import { checkAlive, checkTransient, type EvalCtx } from './context.js';
import { execError } from './errors.js';
import { dropName, mergeSameLabels } from './labels-util.js';
import type { MatrixValue, ScalarValue, StepSeries, VectorValue } from './values.js';

type Kernel = (ts: Float64Array, vs: Float64Array, s: number, e: number, step: number, winStart: number, winEnd: number, evalT: number) => number | undefined;

function over(f: (vs: Float64Array, s: number, e: number) => number | undefined): Kernel {
  return (_ts, vs, s, e) => f(vs, s, e);
}

/** Range-vector functions whose only argument is the matrix. */
const SIMPLE: Record<string, Kernel> = {
  rate: (ts, vs, s, e, _i, a, b) => k.rate(ts, vs, s, e, a, b),
  increase: (ts, vs, s, e, _i, a, b) => k.increase(ts, vs, s, e, a, b),
  delta: (ts, vs, s, e, _i, a, b) => k.delta(ts, vs, s, e, a, b),
  irate: (ts, vs, s, e) => k.irate(ts, vs, s, e),
  idelta: (ts, vs, s, e) => k.idelta(ts, vs, s, e),
  deriv: (ts, vs, s, e) => k.deriv(ts, vs, s, e),
  sum_over_time: over(k.sumOverTime),
  avg_over_time: over(k.avgOverTime),
  count_over_time: over(k.countOverTime),
  last_over_time: over(k.lastOverTime),
  present_over_time: over(k.presentOverTime),
  max_over_time: over(k.maxOverTime),
  min_over_time: over(k.minOverTime),
  stdvar_over_time: over(k.stdvarOverTime),
  stddev_over_time: over(k.stddevOverTime),
  changes: over(k.changes),
  resets: over(k.resets),
};

export function isRangeFunction(name: string): boolean {
  return name in SIMPLE || name === 'predict_linear' || name === 'holt_winters' || name === 'quantile_over_time' || name === 'absent_over_time';
}

/**
 * Applies a range-vector function at every step. `scalars` are the function's scalar arguments in
 * order (per step). Output drops `__name__` except for last_over_time; a label set produced twice
 * is the 2.42 duplicate error.
 */
export function evalRangeFunction(name: string, m: MatrixValue, scalars: ScalarValue[], ctx: EvalCtx, checkDuplicates = true): VectorValue {
  let kernel: Kernel | undefined = SIMPLE[name];
  if (name === 'predict_linear') {
    const d = scalars[0]!.vs;
    kernel = (ts, vs, s, e, i, _a, _b, t) => k.predictLinear(ts, vs, s, e, t, d[i]!);
  } else if (name === 'holt_winters') {
    const sf = scalars[0]!.vs, tf = scalars[1]!.vs;
    kernel = (_ts, vs, s, e, i) => {
      const err = k.holtWintersFactorError(sf[i]!, tf[i]!);
      if (err !== undefined) throw execError(err);
      return k.holtWinters(vs, s, e, sf[i]!, tf[i]!);
    };
  } else if (name === 'quantile_over_time') {
    const q = scalars[0]!.vs;
    kernel = (_ts, vs, s, e, i) => k.quantileOverTime(q[i]!, vs, s, e);
  }
  const n = ctx.steps.length;
  const out: StepSeries[] = [];
  const keepName = name === 'last_over_time';
  // 2.42 accounting: samples held so far (arguments, subquery result) + outputs of the series done
  // so far + the current window must stay within the limit.
  const room = ctx.q.maxSamples - ctx.q.samples;
  let outputs = 0;
  let done = 0;
  for (const s of m.series) {
    if ((++done & 255) === 0) checkAlive(ctx.q);
    const o: StepSeries = { labels: keepName ? s.labels : dropName(s.labels), vs: new Float64Array(n), has: new Uint8Array(n) };
    let lo = 0, hi = 0, win = 0, points = 0;
    const len = s.ts.length;
    for (let i = 0; i < n; i++) {
      const a = m.winStart[i]!, b = m.winEnd[i]!;
      while (lo < len && s.ts[lo]! < a) lo++;
      if (hi < lo) hi = lo;
      while (hi < len && s.ts[hi]! <= b) hi++;
      if (hi <= lo) continue;
      win = hi - lo;
      if (outputs + win > room) checkTransient(ctx.q, outputs + win);
      const v = kernel!(s.ts, s.vs, lo, hi, i, a, b, ctx.steps[i]!);
      if (v === undefined) continue;
      o.vs[i] = v; o.has[i] = 1; points++;
    }
    if (points > 0 && outputs + win + points > room) checkTransient(ctx.q, outputs + win + points);
    outputs += points;
    out.push(o);
  }
  return { kind: 'vector', series: checkDuplicates ? mergeSameLabels(out, false) : out };
}
