import { AGGR_CHUNK_PARTS, type AggrChunk, type Chunk } from '../../shared/storeapi/types.js';

/**
 * Combines the chunk lists of several copies of one series (same label set, from different stores
 * or consecutive frames) into one list sorted by (minTime, maxTime), dropping exact duplicates:
 * chunks with the same time range and byte-identical parts (raw/count/sum/min/max/counter), as the
 * same block served by two stores would produce. The sort is stable, so among equal ranges the
 * earlier part wins. `origin[i]` is the index of the part that chunk i came from.
 *
 * A dropped duplicate is evidence that its part and the kept chunk's part hold the same replica
 * (e.g. a sidecar and a store gateway serving one Prometheus's data): parts linked that way, directly
 * or transitively, form one replica group, and `replica[i]` is the group of chunk i (the smallest
 * part index in it). Deduplication may join chunks of one group into one pseudo-replica, never
 * chunks of different groups.
 */
export interface CombinedChunks {
  readonly chunks: AggrChunk[];
  readonly origin: Int32Array;
  readonly replica: Int32Array;
}

export function combineChunks(parts: readonly (readonly AggrChunk[])[]): CombinedChunks {
  if (parts.length === 1 && strictlySorted(parts[0]!)) {
    const n = parts[0]!.length;
    return { chunks: parts[0]!.slice(), origin: new Int32Array(n), replica: new Int32Array(n) };
  }
  const chained = inTimeOrder(parts);
  if (chained !== undefined) return chained;
  let total = 0;
  for (const p of parts) total += p.length;
  const all: AggrChunk[] = new Array(total);
  const from = new Int32Array(total);
  let k = 0;
  for (let p = 0; p < parts.length; p++) for (const c of parts[p]!) { all[k] = c; from[k++] = p; }
  const order = parts.length === 2 && strictlySorted(parts[0]!) && strictlySorted(parts[1]!) ? mergeOrder(all, parts[0]!.length) : sortOrder(all);
  const chunks: AggrChunk[] = [];
  const origin = new Int32Array(total);
  const group = Int32Array.from({ length: parts.length }, (_, p) => p);
  let runStart = 0;
  for (const i of order) {
    const c = all[i]!;
    const prev = chunks[chunks.length - 1];
    if (prev === undefined || prev.minTime !== c.minTime || prev.maxTime !== c.maxTime) runStart = chunks.length;
    let dup = -1;
    for (let j = runStart; j < chunks.length && dup < 0; j++) if (sameChunk(chunks[j]!, c)) dup = j;
    if (dup >= 0) { union(group, origin[dup]!, from[i]!); continue; }
    origin[chunks.length] = from[i]!;
    chunks.push(c);
  }
  const n = chunks.length;
  const replica = new Int32Array(n);
  for (let i = 0; i < n; i++) replica[i] = find(group, origin[i]!);
  return { chunks, origin: origin.subarray(0, n), replica };
}

/**
 * The common multi-store case without sorting: parts that are each strictly sorted and, taken in
 * the order of their first chunks, follow one another without overlap (time-partitioned stores).
 * Nothing can be a duplicate, so every part is its own replica group. Undefined otherwise.
 */
function inTimeOrder(parts: readonly (readonly AggrChunk[])[]): CombinedChunks | undefined {
  const order: number[] = [];
  let total = 0;
  for (let p = 0; p < parts.length; p++) {
    const list = parts[p]!;
    if (!strictlySorted(list)) return undefined;
    total += list.length;
    if (list.length > 0) order.push(p);
  }
  order.sort((x, y) => cmp(parts[x]![0]!, parts[y]![0]!) || x - y);
  for (let k = 1; k < order.length; k++) {
    const prev = parts[order[k - 1]!]!, next = parts[order[k]!]!;
    if (prev[prev.length - 1]!.maxTime >= next[0]!.minTime) return undefined;
  }
  const chunks: AggrChunk[] = new Array(total);
  const origin = new Int32Array(total);
  let i = 0;
  for (const p of order) for (const c of parts[p]!) { chunks[i] = c; origin[i++] = p; }
  return { chunks, origin, replica: origin.slice() };
}

/** Union-find over part indexes; roots are the smallest index of each set. */
function union(group: Int32Array, a: number, b: number): void {
  const ra = find(group, a), rb = find(group, b);
  if (ra < rb) group[rb] = ra; else if (rb < ra) group[ra] = rb;
}

function find(group: Int32Array, x: number): number {
  while (group[x] !== x) { group[x] = group[group[x]!]!; x = group[x]!; }
  return x;
}

/** Sorted with no two chunks of the same range (the common case: nothing to sort or drop). */
function strictlySorted(list: readonly AggrChunk[]): boolean {
  for (let i = 1; i < list.length; i++) if (cmp(list[i - 1]!, list[i]!) >= 0) return false;
  return true;
}

function cmp(a: AggrChunk, b: AggrChunk): number {
  return a.minTime - b.minTime || a.maxTime - b.maxTime;
}

/**
 * The order sortOrder gives, for two strictly sorted runs (`all[0, n)` and `all[n, …)`) — the
 * common overlapping case, e.g. the chunk at a time-partition boundary that both stores return — by
 * one linear merge instead of a sort (ties: the first run first, as the stable sort).
 */
function mergeOrder(all: readonly AggrChunk[], n: number): Int32Array {
  const order = new Int32Array(all.length);
  let i = 0, j = n, k = 0;
  while (i < n && j < all.length) order[k++] = cmp(all[i]!, all[j]!) <= 0 ? i++ : j++;
  while (i < n) order[k++] = i++;
  while (j < all.length) order[k++] = j++;
  return order;
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
