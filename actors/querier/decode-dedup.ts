import type { AggrChunk } from '../shared/storeapi/types.js';
import { checkBound, decodeXorInto, xorNumSamples } from '../shared/tsdb/chunkenc/xor-decoder.js';
import { dedupChain } from './dedup/chain.js';
import { dedupPenalty } from './dedup/penalty.js';
import { clipSamples, concatSamples, EMPTY_SAMPLES, type Samples } from './dedup/samples.js';
import type { DedupFunc } from './dedup/series-dedup.js';
import { splitReplicas } from './dedup/split.js';

/** How one merged series becomes samples. */
export interface SeriesSamplesOptions {
  /** `penalty` only when deduplicating replicas; `chain` merges copies 1:1 (also used when dedup is off). */
  readonly func: DedupFunc;
  /** Counter adjustment on replica switches (penalty only). */
  readonly counter: boolean;
  /** Samples are clipped to [minTime, maxTime]. */
  readonly minTime: number;
  readonly maxTime: number;
}

/** How chunk i of a series becomes samples. */
export interface ChunkDecoder {
  (i: number): Samples;
  /**
   * The bytes of chunk i when it is a plain XOR chunk, else undefined. When given, a pseudo-replica
   * made only of such chunks is decoded straight into one pair of arrays (no per-chunk arrays, no
   * concatenation copy).
   */
  xor?: (i: number) => Uint8Array | undefined;
}

/** The samples of one pseudo-replica (chunk indexes in time order, not overlapping). */
function decodeRun(idx: readonly number[], decode: ChunkDecoder): Samples {
  if (decode.xor !== undefined && idx.length > 1) {
    const bytes: Uint8Array[] = [];
    let n = 0;
    for (const i of idx) {
      const b = decode.xor(i);
      if (b === undefined) break;
      const k = xorNumSamples(b);
      checkBound(b, k);
      n += k;
      bytes.push(b);
    }
    if (bytes.length === idx.length) {
      const ts = new Float64Array(n), vs = new Float64Array(n);
      let at = 0;
      for (const b of bytes) at += decodeXorInto(b, ts, vs, at);
      return at === n ? { ts, vs } : { ts: ts.subarray(0, at), vs: vs.subarray(0, at) };
    }
  }
  return concatSamples(idx.map(decode).filter((s) => s.ts.length > 0));
}

/**
 * Turns the chunks of one merged series into samples: pseudo-replicas (splitReplicas, never
 * splicing replica groups), each decoded with `decode`, merged with the chosen function, clipped to
 * the range. Used inline and, over packed raw chunks, inside the worker task.
 */
export function seriesSamples(
  chunks: readonly Pick<AggrChunk, 'minTime' | 'maxTime'>[], group: Int32Array | readonly number[],
  decode: ChunkDecoder, o: SeriesSamplesOptions,
): Samples {
  if (chunks.length === 0) return EMPTY_SAMPLES;
  const replicas = splitReplicas(chunks as readonly AggrChunk[], group).map((idx) => decodeRun(idx, decode));
  const nonEmpty = replicas.filter((r) => r.ts.length > 0);
  const out = nonEmpty.length === 0 ? EMPTY_SAMPLES
    : o.func === 'chain' ? dedupChain(nonEmpty) : dedupPenalty(nonEmpty, { counter: o.counter });
  return clipSamples(out, o.minTime, o.maxTime);
}
