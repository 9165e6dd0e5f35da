/**
 * φ-quantile of a set of values as Prometheus 2.42 `quantile` computes it (used by the `quantile`
 * aggregation and `quantile_over_time`): values sorted ascending with NaN first,
 * rank = φ·(n-1), result = v[⌊rank⌋]·(1-w) + v[⌊rank⌋+1]·w with w = rank - ⌊rank⌋ (upper index
 * clamped to n-1). Empty input or NaN φ → NaN; φ < 0 → -Inf; φ > 1 → +Inf. The sort is Go's
 * (insertion sort up to 12 values, pdqsort replay when -0 and +0 both occur), so even the sign of
 * a zero result matches.
 */
import { goSort } from './go-sort.js';

let scratch = new Float64Array(64);

/** Go's insertion sort (what `sort.Sort` runs for ≤ 12 elements) with Less = "a is NaN or a < b". */
function goInsertionSortNaNFirst(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    for (let j = i; j > 0; j--) {
      const x = a[j]!;
      const y = a[j - 1]!;
      if (!(Number.isNaN(x) || x < y)) break;
      a[j] = y;
      a[j - 1] = x;
    }
  }
}

function hasBothZeros(a: Float64Array, n: number): boolean {
  let neg = false;
  let pos = false;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v === 0) { if (Object.is(v, -0)) neg = true; else pos = true; }
  }
  return neg && pos;
}

/** φ-quantile of vs[start, end) (the input is not modified). */
export function quantile(q: number, vs: Float64Array, start: number, end: number): number {
  const n = end - start;
  if (n <= 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  const a = scratch;
  a.set(vs.subarray(start, end));
  let nanCount = 0;
  if (n <= 12) {
    goInsertionSortNaNFirst(a, n);
  } else if (hasBothZeros(a, n)) {
    // -0 and +0 compare equal: only Go's exact permutation tells which one lands where
    goSort(n, {
      less: (i, j) => Number.isNaN(a[i]!) || a[i]! < a[j]!,
      swap: (i, j) => { const x = a[i]!; a[i] = a[j]!; a[j] = x; },
    });
  } else {
    a.subarray(0, n).sort(); // numeric, NaN last
    while (nanCount < n && Number.isNaN(a[n - 1 - nanCount]!)) nanCount++;
  }
  // logical index i holds NaN when i < nanCount, else a[i - nanCount]
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  const lo = lower < nanCount ? NaN : a[lower - nanCount]!;
  const hi = upper < nanCount ? NaN : a[upper - nanCount]!;
  return lo * (1 - weight) + hi * weight;
}
