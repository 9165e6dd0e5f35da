import { compareLabels, type Labels } from '../shared/labels/labels.js';
import type { AggrChunk, Series } from '../shared/storeapi/types.js';

/** A block's series stream: batches of series in label order. */
export type BatchStream = AsyncIterator<Series[]>;

interface Cursor {
  readonly id: string;
  readonly it: BatchStream;
  batch: Series[];
  pos: number;
}

/**
 * The chunks of one series from several blocks, sorted by minTime: a plain concatenation when the
 * lists follow one another in time (blocks do not overlap, the usual case), else a stable sort.
 */
export function mergeChunks(lists: readonly (readonly AggrChunk[])[]): AggrChunk[] {
  if (lists.length === 2) {
    // The common case (a series in two adjacent blocks), without the general path's allocations.
    const [a, b] = lists as [readonly AggrChunk[], readonly AggrChunk[]];
    if (a.length === 0 || b.length === 0) return a.length === 0 ? [...b] : [...a];
    if (a[a.length - 1]!.minTime < b[0]!.minTime) return a.concat(b);
    if (b[b.length - 1]!.minTime < a[0]!.minTime) return b.concat(a);
  }
  // A few blocks: order the non-empty lists by their first chunk (insertion sort, stable), then
  // copy them out in that order if each one starts after the previous one's last chunk.
  const order: (readonly AggrChunk[])[] = [];
  for (const l of lists) {
    if (l.length === 0) continue;
    let i = order.length;
    order.push(l);
    while (i > 0 && order[i - 1]![0]!.minTime > l[0]!.minTime) { order[i] = order[i - 1]!; i--; }
    order[i] = l;
  }
  const out: AggrChunk[] = [];
  let last = -Infinity;
  for (const l of order) {
    if (l[0]!.minTime <= last) return lists.flat().sort((a, b) => a.minTime - b.minTime);
    for (let i = 0; i < l.length; i++) out.push(l[i]!);
    last = l[l.length - 1]!.minTime;
  }
  return out;
}

/** Most merged series yielded in one array. */
const MAX_OUT = 1024;

/** What the merge does when one stream fails: return true to drop it and go on (a warning), false to rethrow. */
export type OnStreamError = (id: string, err: unknown) => boolean;

/**
 * Merges per-block series streams, each sorted by label set, into one stream sorted by
 * (labels without `replicaLabels`, original labels) — the StoreAPI order — with a binary heap
 * over the streams' heads (O(log blocks) per series). Series with identical
 * original labels from several blocks become one series whose chunks are all of theirs, sorted by
 * minTime. At most one batch per stream is held at a time, so memory is bounded by the number of
 * blocks times the batch size, never by the answer. A failing stream is handed to `onError`.
 * Yields arrays of merged series (in order): what could be merged before some stream had to be
 * read again, at most MAX_OUT at a time.
 */
export async function* mergeSeries(streams: readonly { id: string; it: BatchStream }[], replicaLabels: readonly string[], onError: OnStreamError): AsyncGenerator<Series[]> {
  const strip = (ls: Labels): Labels => (replicaLabels.length === 0 ? ls : ls.filter((l) => !replicaLabels.includes(l.name)));
  const cmp = (a: Series, b: Series): number => (replicaLabels.length === 0 ? 0 : compareLabels(strip(a.labels), strip(b.labels))) || compareLabels(a.labels, b.labels);
  const heap: Cursor[] = [];
  const head = (c: Cursor): Series => c.batch[c.pos]!;
  const less = (a: Cursor, b: Cursor): boolean => cmp(head(a), head(b)) < 0;
  const push = (c: Cursor): void => {
    heap.push(c);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Cursor => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  /** Fetches a cursor's next non-empty batch; false when its stream ended (or failed and was dropped). */
  const refill = async (c: Cursor): Promise<boolean> => {
    for (;;) {
      let r: IteratorResult<Series[]>;
      try { r = await c.it.next(); } catch (err) {
        if (onError(c.id, err)) return false;
        throw err;
      }
      if (r.done === true) return false;
      if (r.value.length > 0) { c.batch = r.value; c.pos = 0; return true; }
    }
  };
  const all = streams.map((s): Cursor => ({ id: s.id, it: s.it, batch: [], pos: -1 }));
  const alive = await Promise.all(all.map((c) => refill(c)));
  all.forEach((c, i) => { if (alive[i]) push(c); });
  try {
    // Merged series go out in arrays: everything mergeable before some stream needs its next batch.
    let out: Series[] = [];
    while (heap.length > 0) {
      const first = pop();
      const s = head(first);
      const same = [first];
      while (heap.length > 0 && compareLabels(head(heap[0]!).labels, s.labels) === 0) same.push(pop());
      const merged = same.length === 1 ? s : { labels: s.labels, chunks: mergeChunks(same.map((c) => head(c).chunks)) };
      out.push(replicaLabels.length === 0 ? merged : { labels: strip(merged.labels), chunks: merged.chunks });
      for (const c of same) {
        if (++c.pos < c.batch.length) { push(c); continue; }
        if (out.length > 0) { yield out; out = []; }
        if (await refill(c)) push(c);
      }
      if (out.length >= MAX_OUT) { yield out; out = []; }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.all([...heap, ...all].filter((c, i, a) => a.indexOf(c) === i).map((c) => c.it.return?.(undefined)));
  }
}
