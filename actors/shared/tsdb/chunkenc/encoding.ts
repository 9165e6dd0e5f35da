/**
 * Chunk encoding bytes as stored in chunk segment files (Prometheus `chunkenc.Encoding`, plus
 * Thanos's AggrChunk). Only XOR and AGGR are implemented by this library; the others are named so
 * readers can report them precisely.
 */
export const Encoding = {
  NONE: 0,
  XOR: 1,
  HISTOGRAM: 2,
  FLOAT_HISTOGRAM: 3,
  /** Thanos downsampled AggrChunk (five sub-chunks). */
  AGGR: 0xff,
} as const;

export type EncodingValue = number;

/** Human name of an encoding byte, as Prometheus prints it (`XOR`, `histogram`, …). */
export function encodingName(e: number): string {
  switch (e) {
    case Encoding.NONE: return 'none';
    case Encoding.XOR: return 'XOR';
    case Encoding.HISTOGRAM: return 'histogram';
    case Encoding.FLOAT_HISTOGRAM: return 'floathistogram';
    case Encoding.AGGR: return 'aggr';
    default: return `<unknown encoding ${e}>`;
  }
}
