/**
 * `sort(v)` / `sort_desc(v)` of Prometheus 2.42: the output order of the vector elements. Ascending
 * (sort) or descending (sort_desc), NaN always last, equal values in exactly the order Go's
 * `sort.Sort` leaves them (2.42 sorts a reversed heap type with `sort.Reverse`).
 */
import { goSort } from './go-sort.js';

/**
 * Writes into `order[0, n)` the positions (0-based, relative to `start`) of vs[start, end) in
 * output order; returns n. `order` must hold at least `end - start` entries.
 */
export function sortOrder(vs: Float64Array, start: number, end: number, order: Int32Array, descending: boolean): number {
  const n = end - start;
  for (let i = 0; i < n; i++) order[i] = i;
  const v = (i: number): number => vs[start + order[i]!]!;
  // sort: Reverse(vectorByReverseValueHeap) → Less(i, j) = isNaN(v[j]) || v[j] > v[i]
  // sort_desc: Reverse(vectorByValueHeap) → Less(i, j) = isNaN(v[j]) || v[j] < v[i]
  const less = descending
    ? (i: number, j: number): boolean => Number.isNaN(v(j)) || v(j) < v(i)
    : (i: number, j: number): boolean => Number.isNaN(v(j)) || v(j) > v(i);
  goSort(n, {
    less,
    swap: (i, j) => { const t = order[i]!; order[i] = order[j]!; order[j] = t; },
  });
  return n;
}
