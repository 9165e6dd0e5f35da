/** A byte range [start, end) inside one object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** One read covering several requested ranges: `[start, end)` and the indexes (into the input) it serves. */
export interface Part extends ByteRange {
  readonly elems: readonly number[];
}

/** Thanos's `PartitionerMaxGapSize`: ranges closer than this are fetched with one read. */
export const DEFAULT_MAX_GAP = 512 * 1024;

/**
 * The gap-based partitioner: sorts the ranges by start and greedily extends the current part while
 * the next range starts within `maxGap` bytes of the part's end (the part's end is the largest end so
 * far). Object stores have no multi-range GET, so one larger read with skipped bytes beats many small
 * ones. Every input index appears in exactly one part; parts are disjoint and sorted.
 */
export function partitionRanges(ranges: readonly ByteRange[], maxGap = DEFAULT_MAX_GAP): Part[] {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start || ranges[a]!.end - ranges[b]!.end);
  const parts: Part[] = [];
  let cur: { start: number; end: number; elems: number[] } | undefined;
  for (const i of order) {
    const r = ranges[i]!;
    if (cur !== undefined && r.start <= cur.end + maxGap) {
      cur.end = Math.max(cur.end, r.end);
      cur.elems.push(i);
      continue;
    }
    if (cur !== undefined) parts.push(cur);
    cur = { start: r.start, end: r.end, elems: [i] };
  }
  if (cur !== undefined) parts.push(cur);
  return parts;
}
