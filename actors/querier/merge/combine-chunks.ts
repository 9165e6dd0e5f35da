import { AGGR_CHUNK_PARTS, type AggrChunk, type Chunk } from '../../shared/storeapi/types.js';

/**
 * Combines the chunk lists of several copies of one series (same label set, from different stores
 * or consecutive frames) into one list sorted by (minTime, maxTime), dropping exact duplicates:
 * chunks with the same time range and byte-identical parts (raw/count/sum/min/max/counter), as the
 * same block served by two stores would produce. The sort is stable, so among equal ranges the
 * earlier part wins. `origin[i]` is the index of the part that chunk i came from.
 */
export interface CombinedChunks {
  readonly chunks: AggrChunk[];
  readonly origin: Int32Array;
}

export function combineChunks(parts: readonly (readonly AggrChunk[])[]): CombinedChunks {
  if (parts.length === 1) return sortedSingle(parts[0]!);
  let total = 0;
  for (const p of parts) total += p.length;
  const all: AggrChunk[] = new Array(total);
  const from = new Int32Array(total);
  let k = 0;
  for (let p = 0; p < parts.length; p++) for (const c of parts[p]!) { all[k] = c; from[k++] = p; }
  const order = sortOrder(all);
  const chunks: AggrChunk[] = [];
  const origin = new Int32Array(total);
  let runStart = 0;
  for (const i of order) {
    const c = all[i]!;
    const prev = chunks[chunks.length - 1];
    if (prev === undefined || prev.minTime !== c.minTime || prev.maxTime !== c.maxTime) runStart = chunks.length;
    let dup = false;
    for (let j = runStart; j < chunks.length && !dup; j++) dup = sameChunk(chunks[j]!, c);
    if (dup) continue;
    origin[chunks.length] = from[i]!;
    chunks.push(c);
  }
  return { chunks, origin: origin.subarray(0, chunks.length) };
}

function sortedSingle(list: readonly AggrChunk[]): CombinedChunks {
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) sorted = cmp(list[i - 1]!, list[i]!) <= 0;
  const chunks = sorted ? list.slice() : sortOrder(list).map((i) => list[i]!);
  return { chunks, origin: new Int32Array(chunks.length) };
}

function cmp(a: AggrChunk, b: AggrChunk): number {
  return a.minTime - b.minTime || a.maxTime - b.maxTime;
}

function sortOrder(list: readonly AggrChunk[]): number[] {
  const order = Array.from({ length: list.length }, (_, i) => i);
  return order.sort((x, y) => cmp(list[x]!, list[y]!) || x - y);
}

/** Same time range and byte-identical parts. */
export function sameChunk(a: AggrChunk, b: AggrChunk): boolean {
  if (a.minTime !== b.minTime || a.maxTime !== b.maxTime) return false;
  for (const p of AGGR_CHUNK_PARTS) if (!sameBytes(a[p], b[p])) return false;
  return true;
}

function sameBytes(a: Chunk | undefined, b: Chunk | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type !== b.type || a.data.length !== b.data.length) return false;
  if (a.data === b.data) return true;
  return Buffer.compare(a.data, b.data) === 0;
}
