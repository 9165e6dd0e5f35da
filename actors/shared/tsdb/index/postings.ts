import type { ByteReader } from '../bytes/reader.js';
import { corruptIndex } from './errors.js';

/**
 * Postings: strictly increasing series refs (offset/16) as a Uint32Array. Every helper here takes
 * sorted, duplicate-free inputs and returns a sorted, duplicate-free result; inputs are never
 * modified, and a result may be one of the inputs (no copy) when that is the answer.
 */
export type Postings = Uint32Array;

export const EMPTY_POSTINGS: Postings = new Uint32Array(0);

/**
 * Decodes a postings list's content (`count BE32 | count × ref BE32`), checking that the length
 * matches the count and that refs strictly increase.
 */
export function decodePostings(r: ByteReader): Postings {
  const at = r.offset;
  const n = r.be32();
  if (r.remaining !== n * 4) {
    throw corruptIndex(r.file, at, `reading postings: ${n} refs need ${n * 4} bytes, list has ${r.remaining}`);
  }
  const b = r.buf;
  let p = r.pos;
  const out = new Uint32Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++, p += 4) {
    const v = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    if (v <= prev) throw corruptIndex(r.file, r.base + p, 'reading postings: refs not strictly increasing');
    out[i] = v;
    prev = v;
  }
  r.pos = p;
  return out;
}

/** Union of two sorted lists. */
export function merge2(a: Postings, b: Postings): Postings {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x < y) { out[k++] = x; i++; } else if (y < x) { out[k++] = y; j++; } else { out[k++] = x; i++; j++; }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return k === out.length ? out : out.slice(0, k);
}

/** Union of any number of sorted lists (pairwise merges in a balanced tree: O(n log k)). */
export function mergePostings(lists: readonly Postings[]): Postings {
  let level = lists.filter((l) => l.length > 0);
  if (level.length === 0) return EMPTY_POSTINGS;
  while (level.length > 1) {
    const next: Postings[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? merge2(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** First index in `a[from..]` whose value is >= x (galloping then binary search). */
function seek(a: Postings, from: number, x: number): number {
  let step = 1, hi = from;
  while (hi < a.length && a[hi]! < x) { from = hi + 1; hi += step; step *= 2; }
  if (hi > a.length) hi = a.length;
  let lo = from;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Intersection of two sorted lists. */
export function intersect2(a: Postings, b: Postings): Postings {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return EMPTY_POSTINGS;
  const out = new Uint32Array(a.length);
  let k = 0, j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!;
    if (b[j]! < x) j = seek(b, j, x);
    if (j < b.length && b[j] === x) { out[k++] = x; j++; }
  }
  return k === a.length ? a : out.slice(0, k);
}

/** Intersection of all lists; the empty list of lists intersects to nothing, as in Prometheus. */
export function intersectPostings(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return EMPTY_POSTINGS;
  const sorted = [...lists].sort((x, y) => x.length - y.length);
  let acc = sorted[0]!;
  for (let i = 1; i < sorted.length && acc.length > 0; i++) acc = intersect2(acc, sorted[i]!);
  return acc;
}

/** Refs of `a` that are not in `b`. */
export function subtractPostings(a: Postings, b: Postings): Postings {
  if (a.length === 0 || b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let k = 0, j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (j < b.length && b[j]! < x) j = seek(b, j, x);
    if (j < b.length && b[j] === x) { j++; continue; }
    out[k++] = x;
  }
  return k === a.length ? a : out.slice(0, k);
}
