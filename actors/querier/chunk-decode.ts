import { decodeXor } from '../shared/tsdb/chunkenc/index.js';
import type { Aggr, AggrChunk, Chunk } from '../shared/storeapi/types.js';
import { EMPTY_SAMPLES, type Samples } from './dedup/samples.js';

/**
 * Which values to read from a chunk that has no raw part (a downsampled block): the aggregate the
 * wrapping function needs (Thanos's aggrsFromFunc), or `avg` = sum / count for everything else.
 */
export type AggrPick = 'min' | 'max' | 'count' | 'sum' | 'counter' | 'avg';

/** Thrown by decodeAggrChunk for native-histogram chunks (they cannot cross the engine's float seam). */
export class HistogramChunk extends Error {}

/**
 * The aggregates to request from stores for the function wrapping a selector, and which one to
 * read back (Thanos's querier.go aggrsFromFunc).
 */
export function aggregatesFor(func: string | undefined): { aggregates: Aggr[]; pick: AggrPick } {
  const f = func ?? '';
  if (f === 'min' || f.startsWith('min_')) return { aggregates: ['MIN'], pick: 'min' };
  if (f === 'max' || f.startsWith('max_')) return { aggregates: ['MAX'], pick: 'max' };
  if (f === 'count' || f.startsWith('count_')) return { aggregates: ['COUNT'], pick: 'count' };
  if (f.startsWith('sum_')) return { aggregates: ['SUM'], pick: 'sum' };
  if (['rate', 'increase', 'irate', 'resets', 'xrate', 'xincrease'].includes(f)) return { aggregates: ['COUNTER'], pick: 'counter' };
  return { aggregates: ['COUNT', 'SUM'], pick: 'avg' };
}

function xor(c: Chunk): Samples {
  if (c.type !== 'XOR') throw new HistogramChunk(`chunk of type ${c.type}`);
  return decodeXor(c.data);
}

/**
 * Decodes one AggrChunk to float samples: its raw part when present, else the picked aggregate
 * (`avg` divides sum by count sample by sample). A chunk with none of the needed parts gives no
 * samples. Corrupt XOR data throws the decoder's CodedError.
 */
export function decodeAggrChunk(c: AggrChunk, pick: AggrPick): Samples {
  if (c.raw !== undefined) return xor(c.raw);
  if (pick !== 'avg') {
    const part = c[pick];
    return part === undefined ? EMPTY_SAMPLES : xor(part);
  }
  if (c.sum === undefined || c.count === undefined) return EMPTY_SAMPLES;
  const sum = xor(c.sum), count = xor(c.count);
  const n = Math.min(sum.ts.length, count.ts.length);
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) vs[i] = sum.vs[i]! / count.vs[i]!;
  return { ts: sum.ts.subarray(0, n), vs };
}
