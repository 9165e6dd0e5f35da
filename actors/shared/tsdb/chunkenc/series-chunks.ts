import { DEFAULT_CHUNK_RANGE_MS, HeadChunkCutter } from './chunk-cutter.js';
import { encodeXor } from './xor-encoder.js';

/** One encoded XOR chunk of a series with its closed time range (first and last sample, ms). */
export interface EncodedChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly data: Uint8Array;
}

/**
 * Cuts one series' samples `[from, to)` (timestamps strictly increasing) into chunks with
 * Prometheus 2.42's head rule (see `HeadChunkCutter`) and XOR-encodes each, giving the same chunk
 * bytes Prometheus/promtool write for the same samples and chunk range (promtool backfill: pass
 * `PROMTOOL_CHUNK_RANGE_MS` and one 2 h block window of samples at a time). Values are taken
 * bit-exactly from `vs`.
 */
export function encodeSeriesChunks(
  ts: ArrayLike<number>, vs: Float64Array, opts: { chunkRange?: number; from?: number; to?: number } = {},
): EncodedChunk[] {
  const from = opts.from ?? 0, to = opts.to ?? ts.length;
  const cutter = new HeadChunkCutter(opts.chunkRange ?? DEFAULT_CHUNK_RANGE_MS);
  const out: EncodedChunk[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (i > from && ts[i]! <= ts[i - 1]!) throw new RangeError(`series timestamps must increase: ${ts[i - 1]} then ${ts[i]}`);
    if (cutter.add(ts[i]!) && i > start) {
      out.push({ mint: ts[start]!, maxt: ts[i - 1]!, data: encodeXor(ts, vs, start, i) });
      start = i;
    }
  }
  if (to > start) out.push({ mint: ts[start]!, maxt: ts[to - 1]!, data: encodeXor(ts, vs, start, to) });
  return out;
}
