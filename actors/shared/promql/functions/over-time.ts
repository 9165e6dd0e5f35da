/**
 * The `*_over_time`, `changes` and `resets` kernels over one series window vs[start, end)
 * (Prometheus 2.42 functions.go). All return `undefined` for an empty window (the engine emits
 * nothing for a series without samples in the range); otherwise a number, possibly NaN.
 */
import { KahanSum } from './kahan.js';
import { quantile } from './quantile.js';

const k1 = new KahanSum();
const k2 = new KahanSum();

/** `sum_over_time`: Kahan–Neumaier sum; the bare sum when it is ±Inf. */
export function sumOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  k1.reset();
  for (let i = start; i < end; i++) k1.add(vs[i]!);
  const s = k1.sum;
  return s === Infinity || s === -Infinity ? s : s + k1.c;
}

/**
 * `avg_over_time`: compensated running mean (mean += v/n - mean/n); once the mean is ±Inf it is
 * kept while the samples are finite or the same infinity.
 */
export function avgOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  k1.reset();
  let count = 0;
  for (let i = start; i < end; i++) {
    const v = vs[i]!;
    count++;
    const mean = k1.sum;
    if (mean === Infinity || mean === -Infinity) {
      if ((v === Infinity || v === -Infinity) && (mean > 0) === (v > 0)) continue;
      if (Number.isFinite(v)) continue;
    }
    k1.add(v / count - mean / count);
  }
  const m = k1.sum;
  return m === Infinity || m === -Infinity ? m : m + k1.c;
}

/** `count_over_time`. */
export function countOverTime(_vs: Float64Array, start: number, end: number): number | undefined {
  return end <= start ? undefined : end - start;
}

/** `last_over_time` (the engine keeps the metric name for this one). */
export function lastOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  return end <= start ? undefined : vs[end - 1]!;
}

/** `present_over_time`: 1 when the window has a sample. */
export function presentOverTime(_vs: Float64Array, start: number, end: number): number | undefined {
  return end <= start ? undefined : 1;
}

/** `max_over_time`: NaN only when every sample is NaN. */
export function maxOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let max = vs[start]!;
  for (let i = start; i < end; i++) {
    const v = vs[i]!;
    if (v > max || Number.isNaN(max)) max = v;
  }
  return max;
}

/** `min_over_time`: NaN only when every sample is NaN. */
export function minOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let min = vs[start]!;
  for (let i = start; i < end; i++) {
    const v = vs[i]!;
    if (v < min || Number.isNaN(min)) min = v;
  }
  return min;
}

function compensatedVariance(vs: Float64Array, start: number, end: number): number {
  k1.reset(); // mean
  k2.reset(); // sum of squared deviations
  let count = 0;
  for (let i = start; i < end; i++) {
    const v = vs[i]!;
    count++;
    const d = v - (k1.sum + k1.c);
    k1.add(d / count);
    k2.add(d * (v - (k1.sum + k1.c)));
  }
  return (k2.sum + k2.c) / count;
}

/** `stdvar_over_time`: population variance, compensated running mean. */
export function stdvarOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  return compensatedVariance(vs, start, end);
}

/** `stddev_over_time`: square root of {@link stdvarOverTime}. */
export function stddevOverTime(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  return Math.sqrt(compensatedVariance(vs, start, end));
}

/** `quantile_over_time(φ, v[r])` (see quantile.ts for φ outside [0, 1] and NaN). */
export function quantileOverTime(q: number, vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  return quantile(q, vs, start, end);
}

/** `changes`: number of times the value differs from the previous one (NaN → NaN is no change). */
export function changes(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let n = 0;
  let prev = vs[start]!;
  for (let i = start + 1; i < end; i++) {
    const cur = vs[i]!;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
    prev = cur;
  }
  return n;
}

/** `resets`: number of strict decreases. */
export function resets(vs: Float64Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let n = 0;
  let prev = vs[start]!;
  for (let i = start + 1; i < end; i++) {
    const cur = vs[i]!;
    if (cur < prev) n++;
    prev = cur;
  }
  return n;
}
