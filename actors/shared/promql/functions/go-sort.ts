/**
 * Go 1.19 `sort.Sort` (pattern-defeating quicksort) over index callbacks, reproducing its exact
 * sequence of comparisons and swaps so that elements that compare equal end up in the same order
 * as in Prometheus 2.42 (sort, sort_desc, topk/bottomk, histogram bucket sorting). Not stable.
 * Ranges of ≤ 12 elements are insertion-sorted (which is stable).
 */

/** `less(i, j)`: element at position i sorts before the one at j. `swap(i, j)` exchanges them. */
export interface SortOps {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

const MAX_INSERTION = 12;
const SHORTEST_NINTHER = 50;
const MAX_SWAPS = 12;
const UNKNOWN = 0;
const INCREASING = 1;
const DECREASING = 2;

function bitLen(n: number): number {
  return n <= 0 ? 0 : 32 - Math.clz32(n);
}

/** Sorts positions [0, n) exactly as Go 1.19 `sort.Sort` would. */
export function goSort(n: number, ops: SortOps): void {
  if (n <= 1) return;
  pdq(ops, 0, n, bitLen(n));
}

function insertion(d: SortOps, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1);
  }
}

function siftDown(d: SortOps, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(d: SortOps, a: number, b: number): void {
  const hi = b - a;
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) {
    d.swap(a, a + i);
    siftDown(d, 0, i, a);
  }
}

function pdq(d: SortOps, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= MAX_INSERTION) { insertion(d, a, b); return; }
    if (limit === 0) { heapSort(d, a, b); return; }
    if (!wasBalanced) { breakPatterns(d, a, b); limit--; }

    const choice = choosePivot(d, a, b);
    let pivot = choice.pivot;
    let hint = choice.hint;
    if (hint === DECREASING) {
      reverseRange(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertion(d, a, b)) return;
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot);
      continue;
    }
    const mid = partition(d, a, b, pivot);
    wasPartitioned = partitionedAlready;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.trunc(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdq(d, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdq(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

let partitionedAlready = false;

function partition(d: SortOps, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && d.less(i, a)) i++;
  while (i <= j && !d.less(j, a)) j--;
  if (i > j) {
    d.swap(j, a);
    partitionedAlready = true;
    return j;
  }
  d.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && d.less(i, a)) i++;
    while (i <= j && !d.less(j, a)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  d.swap(j, a);
  partitionedAlready = false;
  return j;
}

function partitionEqual(d: SortOps, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i)) i++;
    while (i <= j && d.less(a, j)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertion(d: SortOps, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !d.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    d.swap(i, i - 1);
    if (i - a >= 2) {
      // Go shifts down to index 1 (not a + 1); reproduced as is.
      for (let j = i - 1; j >= 1; j--) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
  }
  return false;
}

const MASK64 = (1n << 64n) - 1n;

function breakPatterns(d: SortOps, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let r = BigInt(length);
  const modulus = 2 ** bitLen(length);
  const from = a + Math.trunc(length / 4) * 2 - 1;
  for (let idx = from; idx <= from + 2; idx++) {
    r ^= (r << 13n) & MASK64;
    r ^= r >> 17n;
    r ^= (r << 5n) & MASK64;
    let other = Number(r & BigInt(modulus - 1));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

let swapCount = 0;

function order2(d: SortOps, x: number, y: number): [number, number] {
  if (d.less(y, x)) { swapCount++; return [y, x]; }
  return [x, y];
}

function median(d: SortOps, x: number, y: number, z: number): number {
  [x, y] = order2(d, x, y);
  [y, z] = order2(d, y, z);
  [x, y] = order2(d, x, y);
  void x; void z;
  return y;
}

function choosePivot(d: SortOps, a: number, b: number): { pivot: number; hint: number } {
  const l = b - a;
  swapCount = 0;
  let i = a + Math.trunc(l / 4) * 1;
  let j = a + Math.trunc(l / 4) * 2;
  let k = a + Math.trunc(l / 4) * 3;
  if (l >= 8) {
    if (l >= SHORTEST_NINTHER) {
      i = median(d, i - 1, i, i + 1);
      j = median(d, j - 1, j, j + 1);
      k = median(d, k - 1, k, k + 1);
    }
    j = median(d, i, j, k);
  }
  const hint = swapCount === 0 ? INCREASING : swapCount === MAX_SWAPS ? DECREASING : UNKNOWN;
  return { pivot: j, hint };
}

function reverseRange(d: SortOps, a: number, b: number): void {
  let i = a;
  let j = b - 1;
  while (i < j) { d.swap(i, j); i++; j--; }
}
