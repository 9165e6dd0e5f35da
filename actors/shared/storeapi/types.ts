import type { Labels } from '../labels/labels.js';
import type { MatcherSpec } from '../labels/matcher.js';

/**
 * The StoreAPI data model, mirroring Thanos's `storepb` (rpc.proto / types.proto) field for field,
 * in camelCase, with enums as string unions (the Thanos numeric values are kept in the `*_NUMBER`
 * tables for interop and documentation). All times are Unix milliseconds, inclusive.
 */

/** Open time bounds (Thanos uses MinInt64/MaxInt64; JS numbers stop at ±2^53−1). */
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** Chunk encodings (`Chunk.Encoding`: XOR=0, HISTOGRAM=1, FLOAT_HISTOGRAM=2). */
export const CHUNK_ENCODINGS = ['XOR', 'HISTOGRAM', 'FLOAT_HISTOGRAM'] as const;
export type ChunkEncoding = (typeof CHUNK_ENCODINGS)[number];

/** Downsampling aggregates (`Aggr`: RAW=0, COUNT=1, SUM=2, MIN=3, MAX=4, COUNTER=5). */
export const AGGRS = ['RAW', 'COUNT', 'SUM', 'MIN', 'MAX', 'COUNTER'] as const;
export type Aggr = (typeof AGGRS)[number];
export const AGGR_NUMBER: Readonly<Record<Aggr, number>> = { RAW: 0, COUNT: 1, SUM: 2, MIN: 3, MAX: 4, COUNTER: 5 };

/** Partial response strategy (WARN=0: store errors become warnings; ABORT=1: any store error fails the call). */
export const PARTIAL_RESPONSE_STRATEGIES = ['WARN', 'ABORT'] as const;
export type PartialResponseStrategy = (typeof PARTIAL_RESPONSE_STRATEGIES)[number];

/** Matcher types on the wire (Thanos `LabelMatcher.Type` EQ=0, NEQ=1, RE=2, NRE=3). */
export const MATCH_TYPES = ['=', '!=', '=~', '!~'] as const;
export const MATCH_TYPE_NUMBER = { '=': 0, '!=': 1, '=~': 2, '!~': 3 } as const;

/** One encoded chunk (`storepb.Chunk`); `data` is the chunk's bytes without the TSDB segment framing. */
export interface Chunk {
  readonly type: ChunkEncoding;
  readonly data: Uint8Array;
}

/**
 * `storepb.AggrChunk`: a chunk of one series over [minTime, maxTime]. Raw blocks fill `raw`;
 * downsampled blocks fill only the requested aggregates.
 */
export interface AggrChunk {
  readonly minTime: number;
  readonly maxTime: number;
  readonly raw?: Chunk;
  readonly count?: Chunk;
  readonly sum?: Chunk;
  readonly min?: Chunk;
  readonly max?: Chunk;
  readonly counter?: Chunk;
}

/** The AggrChunk parts, in wire field order (raw=3 … counter=8). */
export const AGGR_CHUNK_PARTS = ['raw', 'count', 'sum', 'min', 'max', 'counter'] as const;
export type AggrChunkPart = (typeof AGGR_CHUNK_PARTS)[number];

/** `storepb.Series`: labels sorted by name; chunks recommended sorted by minTime. */
export interface Series {
  readonly labels: Labels;
  readonly chunks: readonly AggrChunk[];
}

/** `storepb.ShardInfo`: return only series whose hash over (by|without) `labels` mod `totalShards` == `shardIndex`. */
export interface ShardInfo {
  readonly shardIndex: number;
  readonly totalShards: number;
  readonly by: boolean;
  readonly labels: readonly string[];
}

/** `storepb.QueryHints` (best effort; a store may ignore them). */
export interface QueryHints {
  readonly stepMillis?: number;
  readonly func?: { readonly name: string };
  readonly grouping?: { readonly by: boolean; readonly labels: readonly string[] };
  readonly rangeMillis?: number;
}

/** Request hints (`hintspb.SeriesRequestHints` / label hints): filter blocks by external labels + `__block_id`. */
export interface RequestHints {
  readonly blockMatchers: readonly MatcherSpec[];
  readonly enableQueryStats: boolean;
}

/** Response hints (`hintspb.SeriesResponseHints`): which blocks were read and optional counters. */
export interface ResponseHints {
  readonly queriedBlocks: readonly string[];
  /** Named non-negative counters (`blocksQueried`, `mergedSeriesCount`, `chunksFetched`, …). */
  readonly queryStats?: Readonly<Record<string, number>>;
}

/** `infopb.TSDBInfo`: one contiguous time range held for one external label set. */
export interface TsdbInfo {
  readonly labels: Labels;
  readonly minTime: number;
  readonly maxTime: number;
}
