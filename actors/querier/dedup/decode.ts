import type { AggrChunk, AggrChunkPart, Chunk } from '../../shared/storeapi/types.js';
import { concatSamples, EMPTY_SAMPLES, type Samples } from './samples.js';

/**
 * Turns one encoded chunk into columnar float samples. The TSDB XOR decoder implements this (it is
 * plugged in by the querier); tests use a trivial encoding. Must throw a CodedError on corrupt data.
 */
export interface ChunkDecoder {
  decode(chunk: Chunk): Samples;
}

/**
 * Decodes the chosen part of each listed chunk and concatenates them (the chunks of one
 * pseudo-replica: sorted, non-overlapping). Chunks lacking the part are skipped.
 */
export function decodeReplica(chunks: readonly AggrChunk[], indexes: readonly number[], part: AggrChunkPart, decoder: ChunkDecoder): Samples {
  const runs: Samples[] = [];
  for (const i of indexes) {
    const c = chunks[i]![part];
    if (c !== undefined) runs.push(decoder.decode(c));
  }
  return runs.length === 0 ? EMPTY_SAMPLES : concatSamples(runs);
}
