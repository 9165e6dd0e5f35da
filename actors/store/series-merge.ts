import { compareLabels, type Labels } from '../shared/labels/labels.js';
import type { Series } from '../shared/storeapi/types.js';

/** A block's series stream: batches of series in label order. */
export type BatchStream = AsyncIterator<Series[]>;

interface Cursor {
  readonly id: string;
  readonly it: BatchStream;
  batch: Series[];
  pos: number;
}

/** What the merge does when one stream fails: return true to drop it and go on (a warning), false to rethrow. */
export type OnStreamError = (id: string, err: unknown) => boolean;

/**
 * Merges per-block series streams, each sorted by label set, into one stream sorted by
 * (labels without `replicaLabels`, original labels) — the StoreAPI order. Series with identical
 * original labels from several blocks become one series whose chunks are all of theirs, sorted by
 * minTime. At most one batch per stream is held at a time, so memory is bounded by the number of
 * blocks times the batch size, never by the answer. A failing stream is handed to `onError`.
 */
export async function* mergeSeries(streams: readonly { id: string; it: BatchStream }[], replicaLabels: readonly string[], onError: OnStreamError): AsyncGenerator<Series> {
  const strip = (ls: Labels): Labels => (replicaLabels.length === 0 ? ls : ls.filter((l) => !replicaLabels.includes(l.name)));
  const cmp = (a: Series, b: Series): number => (replicaLabels.length === 0 ? 0 : compareLabels(strip(a.labels), strip(b.labels))) || compareLabels(a.labels, b.labels);
  const cursors: Cursor[] = [];
  const advance = async (c: Cursor): Promise<boolean> => {
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
  const initial = streams.map((s) => ({ id: s.id, it: s.it, batch: [] as Series[], pos: 0 }));
  const alive = await Promise.all(initial.map((c) => advance(c)));
  initial.forEach((c, i) => { if (alive[i]) cursors.push(c); });
  try {
    while (cursors.length > 0) {
      let min = 0;
      for (let i = 1; i < cursors.length; i++) if (cmp(cursors[i]!.batch[cursors[i]!.pos]!, cursors[min]!.batch[cursors[min]!.pos]!) < 0) min = i;
      const head = cursors[min]!.batch[cursors[min]!.pos]!;
      let chunks = head.chunks;
      let merged = false;
      for (let i = 0; i < cursors.length; i++) {
        const c = cursors[i]!;
        while (c.pos < c.batch.length && compareLabels(c.batch[c.pos]!.labels, head.labels) === 0) {
          const s = c.batch[c.pos]!;
          if (s !== head) { chunks = [...chunks, ...s.chunks]; merged = true; }
          c.pos++;
        }
      }
      for (let i = cursors.length - 1; i >= 0; i--) {
        const c = cursors[i]!;
        if (c.pos >= c.batch.length && !(await advance(c))) cursors.splice(i, 1);
      }
      const out = merged ? { labels: head.labels, chunks: [...chunks].sort((a, b) => a.minTime - b.minTime) } : head;
      yield replicaLabels.length === 0 ? out : { labels: strip(out.labels), chunks: out.chunks };
    }
  } finally {
    await Promise.all(cursors.map((c) => c.it.return?.(undefined)));
  }
}
