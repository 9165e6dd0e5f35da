/**
 * Value kernels of PromQL aggregations (Prometheus 2.42 `ev.aggregation`) over the values of one
 * group, gathered contiguously in vs[start, end) in input-vector order (order matters: floating
 * point sums are order dependent). Every kernel needs ≥ 1 value (the engine never forms an empty
 * group); with none they return NaN. Grouping, labels and `count_values` label text are the
 * evaluator's (use format/go-float `formatFloatF` for the value label).
 */
import { quantile } from './quantile.js';

/** `sum`: plain left-to-right addition starting from the first value (no Kahan in 2.42). */
export function aggSum(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  let s = vs[start]!;
  for (let i = start + 1; i < end; i++) s += vs[i]!;
  return s;
}

/**
 * `avg`: incremental mean, mean += v/n - mean/n, starting from the first value; an infinite mean
 * is kept while later values are finite or the same infinity.
 */
export function aggAvg(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  let mean = vs[start]!;
  let count = 1;
  for (let i = start + 1; i < end; i++) {
    const v = vs[i]!;
    count++;
    if (mean === Infinity || mean === -Infinity) {
      if ((v === Infinity || v === -Infinity) && (mean > 0) === (v > 0)) continue;
      if (Number.isFinite(v)) continue;
    }
    mean += v / count - mean / count;
  }
  return mean;
}

/** `max`: a NaN so far is replaced by any later value; NaN only if all are NaN. */
export function aggMax(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  let m = vs[start]!;
  for (let i = start + 1; i < end; i++) {
    const v = vs[i]!;
    if (m < v || Number.isNaN(m)) m = v;
  }
  return m;
}

/** `min`: a NaN so far is replaced by any later value; NaN only if all are NaN. */
export function aggMin(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  let m = vs[start]!;
  for (let i = start + 1; i < end; i++) {
    const v = vs[i]!;
    if (m > v || Number.isNaN(m)) m = v;
  }
  return m;
}

/** `count` (also the per-label-value count of `count_values`). */
export function aggCount(_vs: Float64Array, start: number, end: number): number {
  return end - start;
}

/** `group`: always 1. */
export function aggGroup(_vs: Float64Array, _start: number, _end: number): number {
  return 1;
}

function welfordSquares(vs: Float64Array, start: number, end: number): number {
  let mean = vs[start]!;
  let m2 = 0;
  let count = 1;
  for (let i = start + 1; i < end; i++) {
    const v = vs[i]!;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  return m2 / count;
}

/**
 * `stdvar`: population variance by Welford's running mean (uncompensated in 2.42). The first value
 * only seeds the mean, so a single value — even NaN or ±Inf — gives 0.
 */
export function aggStdvar(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  return welfordSquares(vs, start, end);
}

/** `stddev`: square root of {@link aggStdvar}. */
export function aggStddev(vs: Float64Array, start: number, end: number): number {
  if (end <= start) return NaN;
  return Math.sqrt(welfordSquares(vs, start, end));
}

/** `quantile(φ, …)`: see quantile.ts. */
export function aggQuantile(q: number, vs: Float64Array, start: number, end: number): number {
  return quantile(q, vs, start, end);
}
