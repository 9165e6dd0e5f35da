/**
 * `topk` / `bottomk` selection as Prometheus 2.42 performs it, reproducing its order: a binary
 * heap (Go container/heap) of at most k elements fed in input order, then sorted with
 * `sort.Sort(sort.Reverse(heap))` (Go 1.19 pdqsort, {@link goSort}). topk output is descending,
 * bottomk ascending, NaN last in both; equal values come out in exactly Go's order.
 */
import { formatGoV } from '../format/go-float.js';
import { goSort } from './go-sort.js';

const MAX_INT64_FLOAT = 9223372036854774784;
const MIN_INT64_FLOAT = -9223372036854775808;

/** The 2.42 error for a k that does not fit int64 (NaN and ±Inf included), else `undefined`. */
export function topkParamError(k: number): string | undefined {
  if (k <= MAX_INT64_FLOAT && k >= MIN_INT64_FLOAT) return undefined;
  return `Scalar value ${formatGoV(k)} overflows int64`;
}

/** Effective k: truncated toward zero; 0 means the result is empty (k < 1). */
export function topkCount(k: number): number {
  const t = Math.trunc(k);
  return t < 1 ? 0 : t;
}

let heap = new Int32Array(16);

/**
 * Selects topk (`bottom` false) or bottomk (`bottom` true) among vs[start, end) and writes the chosen
 * absolute indices into `out` in output order; returns how many were written (min(k, n)).
 * `k` must come from {@link topkCount} and be ≥ 1.
 */
export function selectTopk(k: number, vs: Float64Array, start: number, end: number, out: Int32Array, bottom: boolean): number {
  const n = end - start;
  if (n <= 0 || k < 1) return 0;
  const cap = Math.min(k, n);
  if (heap.length < cap) heap = new Int32Array(Math.max(cap, heap.length * 2));
  const h = heap;
  // less(a, b) on heap positions: NaN is "smallest"; topk is a min-heap, bottomk a max-heap.
  const less = (a: number, b: number): boolean => {
    const x = vs[h[a]!]!;
    if (Number.isNaN(x)) return true;
    return bottom ? x > vs[h[b]!]! : x < vs[h[b]!]!;
  };
  const swap = (a: number, b: number): void => { const t = h[a]!; h[a] = h[b]!; h[b] = t; };
  const up = (j: number): void => {
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !less(j, i)) break;
      swap(i, j);
      j = i;
    }
  };
  const down = (i: number, size: number): void => {
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= size) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < size && less(j2, j1)) j = j2;
      if (!less(j, i)) break;
      swap(i, j);
      i = j;
    }
  };
  let len = 1;
  h[0] = start;
  for (let idx = start + 1; idx < end; idx++) {
    const v = vs[idx]!;
    const top = vs[h[0]!]!;
    const better = bottom ? top > v : top < v;
    if (!(len < k || better || Number.isNaN(top))) continue;
    if (len === k) {
      if (k === 1) { h[0] = idx; continue; }
      swap(0, len - 1);
      down(0, len - 1);
      len--;
    }
    h[len] = idx;
    len++;
    up(len - 1);
  }
  // sort.Sort(sort.Reverse(heap)): Go's pdqsort with Less(a, b) = less(b, a)
  if (len > 1) goSort(len, { less: (a, b) => less(b, a), swap });
  for (let i = 0; i < len; i++) out[i] = h[i]!;
  return len;
}
