import type { AggrChunk, AggrChunkPart } from '../../shared/storeapi/types.js';
import { dedupChain } from './chain.js';
import { decodeReplica, type ChunkDecoder } from './decode.js';
import { dedupPenalty } from './penalty.js';
import { clipSamples, type Samples } from './samples.js';
import { splitReplicas } from './split.js';

/** `--deduplication.func`. */
export type DedupFunc = 'penalty' | 'chain';

export interface SeriesDedupOptions {
  readonly func: DedupFunc;
  /** Counter adjustment on replica switches (penalty only); see isCounterFunc. */
  readonly counter: boolean;
  readonly decoder: ChunkDecoder;
  /** Which AggrChunk part to decode (default `raw`). */
  readonly part?: AggrChunkPart;
  /** Keep only samples in [minTime, maxTime] after deduplication (Thanos's bounded iterator). */
  readonly minTime?: number;
  readonly maxTime?: number;
}

/**
 * Deduplicates one merged series (all replicas of one label set, replica labels already removed):
 * splits its chunks into pseudo-replicas by replica group (splitReplicas), decodes each, merges
 * them with the chosen algorithm and clips to the query range.
 */
export function dedupSeries(s: { readonly chunks: readonly AggrChunk[]; readonly replica: Int32Array | readonly number[] }, o: SeriesDedupOptions): Samples {
  const part = o.part ?? 'raw';
  const replicas = splitReplicas(s.chunks, s.replica).map((idx) => decodeReplica(s.chunks, idx, part, o.decoder));
  const out = o.func === 'chain' ? dedupChain(replicas) : dedupPenalty(replicas, { counter: o.counter });
  return o.minTime === undefined && o.maxTime === undefined
    ? out
    : clipSamples(out, o.minTime ?? Number.MIN_SAFE_INTEGER, o.maxTime ?? Number.MAX_SAFE_INTEGER);
}
