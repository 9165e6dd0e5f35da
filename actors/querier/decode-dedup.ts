import type { AggrChunk } from '../shared/storeapi/types.js';
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

/**
 * Turns the chunks of one merged series into samples: pseudo-replicas (splitReplicas, never
 * splicing replica groups), each decoded with `decode`, merged with the chosen function, clipped to
 * the range. Used inline and, over packed raw chunks, inside the worker task.
 */
export function seriesSamples(
  chunks: readonly Pick<AggrChunk, 'minTime' | 'maxTime'>[], group: Int32Array | readonly number[],
  decode: (i: number) => Samples, o: SeriesSamplesOptions,
): Samples {
  if (chunks.length === 0) return EMPTY_SAMPLES;
  const replicas = splitReplicas(chunks as readonly AggrChunk[], group).map((idx) => concatSamples(idx.map(decode).filter((s) => s.ts.length > 0)));
  const nonEmpty = replicas.filter((r) => r.ts.length > 0);
  const out = nonEmpty.length === 0 ? EMPTY_SAMPLES
    : o.func === 'chain' ? dedupChain(nonEmpty) : dedupPenalty(nonEmpty, { counter: o.counter });
  return clipSamples(out, o.minTime, o.maxTime);
}
