/**
 * `deriv` and `predict_linear` (Prometheus 2.42 `linearRegression`): least squares over
 * (x = (t - interceptTime)/1000 s, y = value) with Kahan–Neumaier compensated sums. When every y
 * equals the first, the slope is 0 and the intercept that value (both NaN if it is ±Inf).
 */
import { KahanSum } from './kahan.js';

const sx = new KahanSum();
const sy = new KahanSum();
const sxy = new KahanSum();
const sx2 = new KahanSum();

/** Intercept of the last {@link linearRegression} call (avoids allocating a pair). */
export let regressionIntercept = 0;

/** Least-squares slope per second over samples [start, end); intercept in {@link regressionIntercept}. */
export function linearRegression(ts: Float64Array, vs: Float64Array, start: number, end: number, interceptTimeMs: number): number {
  sx.reset(); sy.reset(); sxy.reset(); sx2.reset();
  const initY = vs[start]!;
  let constY = true;
  let n = 0;
  for (let i = start; i < end; i++) {
    const y = vs[i]!;
    if (constY && i > start && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTimeMs) / 1e3;
    sx.add(x);
    sy.add(y);
    sxy.add(x * y);
    sx2.add(x * x);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) { regressionIntercept = NaN; return NaN; }
    regressionIntercept = initY;
    return 0;
  }
  const sumX = sx.sum + sx.c;
  const sumY = sy.sum + sy.c;
  const sumXY = sxy.sum + sxy.c;
  const sumX2 = sx2.sum + sx2.c;
  const covXY = sumXY - sumX * sumY / n;
  const varX = sumX2 - sumX * sumX / n;
  const slope = covXY / varX;
  regressionIntercept = sumY / n - slope * sumX / n;
  return slope;
}

/** `deriv(v[r])`: per-second slope, x measured from the first sample; `undefined` for < 2 samples. */
export function deriv(ts: Float64Array, vs: Float64Array, start: number, end: number): number | undefined {
  if (end - start < 2) return undefined;
  return linearRegression(ts, vs, start, end, ts[start]!);
}

/**
 * `predict_linear(v[r], t)`: slope·t + intercept with x measured from the evaluation time
 * `evalTimeMs` (the step time, not shifted by `offset`); `undefined` for < 2 samples.
 */
export function predictLinear(ts: Float64Array, vs: Float64Array, start: number, end: number, evalTimeMs: number, durationSeconds: number): number | undefined {
  if (end - start < 2) return undefined;
  const slope = linearRegression(ts, vs, start, end, evalTimeMs);
  return slope * durationSeconds + regressionIntercept;
}
