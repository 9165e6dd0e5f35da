/**
 * `histogram_quantile(φ, …)` for classic (`le`) buckets of one group, as Prometheus 2.42
 * `bucketQuantile` computes it. Grouping by labels-without-`le`, dropping samples whose `le` does
 * not parse (`parseGoFloat`) and native histograms are the evaluator's.
 */
import { goSort } from './go-sort.js';

/** Sorts the first n (bound, count) pairs by bound exactly as Go `sort.Sort` does. */
function sortPairs(bounds: Float64Array, counts: Float64Array, n: number): void {
  goSort(n, {
    less: (i, j) => bounds[i]! < bounds[j]!,
    swap: (i, j) => {
      const b = bounds[i]!; bounds[i] = bounds[j]!; bounds[j] = b;
      const c = counts[i]!; counts[i] = counts[j]!; counts[j] = c;
    },
  });
}

/**
 * φ-quantile of buckets (bounds[i], counts[i]) for i < n, in any order. **Sorts and rewrites both
 * arrays in place.** Steps: NaN φ → NaN, φ < 0 → -Inf, φ > 1 → +Inf; sort by bound; highest bound
 * not +Inf → NaN; merge equal bounds (adding counts); make counts non-decreasing (each count
 * becomes the running maximum; NaN counts are left alone); < 2 buckets or a +Inf count of 0 → NaN;
 * rank = φ·total; binary-search the first non-+Inf bucket with count ≥ rank: none → the
 * second-highest bound; the first bucket with bound ≤ 0 → that bound; else interpolate linearly
 * from the previous bound (0 for the first bucket).
 */
export function bucketQuantile(q: number, bounds: Float64Array, counts: Float64Array, n: number): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (n <= 0) return NaN;
  sortPairs(bounds, counts, n);
  if (bounds[n - 1] !== Infinity) return NaN;

  // coalesce equal bounds
  let w = 0;
  let lastB = bounds[0]!;
  let lastC = counts[0]!;
  for (let i = 1; i < n; i++) {
    const b = bounds[i]!;
    if (b === lastB) { lastC += counts[i]!; continue; }
    bounds[w] = lastB; counts[w] = lastC; w++;
    lastB = b; lastC = counts[i]!;
  }
  bounds[w] = lastB; counts[w] = lastC;
  const m = w + 1;

  // ensure monotonic
  let max = counts[0]!;
  for (let i = 1; i < m; i++) {
    const c = counts[i]!;
    if (c > max) max = c;
    else if (c < max) counts[i] = max;
  }

  if (m < 2) return NaN;
  const observations = counts[m - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // Go sort.Search over [0, m-1): smallest i with counts[i] >= rank
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (!(counts[mid]! >= rank)) lo = mid + 1;
    else hi = mid;
  }
  const b = lo;
  if (b === m - 1) return bounds[m - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;
  let bucketStart = 0;
  const bucketEnd = bounds[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = bounds[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
