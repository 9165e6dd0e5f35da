import type { Labels } from '../labels/labels.js';
import type { MatcherSpec } from '../labels/matcher.js';
import type {
  Aggr, PartialResponseStrategy, QueryHints, RequestHints, ResponseHints, Series, ShardInfo, TsdbInfo,
} from './types.js';
import { MAX_TIME, MIN_TIME } from './types.js';

/**
 * StoreAPI messages: plain, serialisable data with a `kind` tag, mirroring Thanos's
 * `thanos.Store` / `thanos.info.Info` messages (see README.md for the field-number map).
 * Deprecated Thanos fields (`partial_response_disabled`, `step`, `range`) are not carried.
 */

/** Thanos component types announced in Info. */
export const COMPONENT_TYPES = ['query', 'rule', 'sidecar', 'store', 'receive', 'debug'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

/** `infopb.StoreInfo`: present when the peer serves the StoreAPI. */
export interface StoreInfo {
  readonly minTime: number;
  readonly maxTime: number;
  readonly supportsSharding: boolean;
  readonly supportsWithoutReplicaLabels: boolean;
  readonly tsdbInfos: readonly TsdbInfo[];
}

/** `infopb.InfoResponse` (the parts a querier uses): external label sets, component, store range + capabilities. */
export interface InfoResponse {
  readonly kind: 'storeapi.info';
  readonly labelSets: readonly Labels[];
  readonly componentType: ComponentType;
  /** Absent when the peer does not serve Series/LabelNames/LabelValues. */
  readonly store?: StoreInfo;
}

/** `storepb.SeriesRequest`. */
export interface SeriesRequest {
  readonly kind: 'storeapi.series';
  readonly minTime: number;
  readonly maxTime: number;
  /** At least one. */
  readonly matchers: readonly MatcherSpec[];
  /** Coarsest acceptable downsampling resolution, ms (0 = raw only). */
  readonly maxResolutionWindow: number;
  /** Which AggrChunk parts to return for downsampled data (empty = store default, raw). */
  readonly aggregates: readonly Aggr[];
  readonly partialResponseStrategy: PartialResponseStrategy;
  /** Labels only: series frames carry no chunks. */
  readonly skipChunks: boolean;
  /** Replica labels the store removes (keeping sort order) before sending. */
  readonly withoutReplicaLabels: readonly string[];
  /** Maximum number of series to return; 0 = unlimited. */
  readonly limit: number;
  /** Series per `batch` frame the caller prefers; 0 or 1 = one `series` frame per series. */
  readonly responseBatchSize: number;
  readonly queryHints?: QueryHints;
  readonly shardInfo?: ShardInfo;
  readonly hints?: RequestHints;
}

/** One frame of a Series stream (`storepb.SeriesResponse` oneof). */
export type SeriesFrame =
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'batch'; readonly series: readonly Series[] }
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'hints'; readonly hints: ResponseHints };

/** `storepb.LabelNamesRequest`. */
export interface LabelNamesRequest {
  readonly kind: 'storeapi.labelNames';
  readonly start: number;
  readonly end: number;
  readonly matchers: readonly MatcherSpec[];
  readonly partialResponseStrategy: PartialResponseStrategy;
  readonly withoutReplicaLabels: readonly string[];
  /** 0 = unlimited. */
  readonly limit: number;
  readonly hints?: RequestHints;
}

/** `storepb.LabelValuesRequest`. */
export interface LabelValuesRequest {
  readonly kind: 'storeapi.labelValues';
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly matchers: readonly MatcherSpec[];
  readonly partialResponseStrategy: PartialResponseStrategy;
  readonly withoutReplicaLabels: readonly string[];
  readonly limit: number;
  readonly hints?: RequestHints;
}

export interface LabelNamesResponse {
  readonly kind: 'storeapi.labelNames.result';
  /** Sorted, unique. */
  readonly names: readonly string[];
  readonly warnings: readonly string[];
  readonly hints?: ResponseHints;
}

export interface LabelValuesResponse {
  readonly kind: 'storeapi.labelValues.result';
  /** Sorted, unique. */
  readonly values: readonly string[];
  readonly warnings: readonly string[];
  readonly hints?: ResponseHints;
}

/** Bounds enforced at the decode boundary (requests and frames). */
export const LIMITS = {
  maxMatchers: 256,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 64 * 1024,
  maxLabelsPerSeries: 512,
  maxReplicaLabels: 32,
  maxAggregates: 6,
  maxChunksPerSeries: 65_536,
  /** Series in one `batch` frame; keeps frames well under NATS's 1 MiB max_payload in practice. */
  maxFrameSeries: 1024,
  maxWarningLength: 16 * 1024,
  maxLabelSets: 10_000,
  maxNamesOrValues: 10_000_000,
  maxQueriedBlocks: 1_000_000,
  maxShards: 1 << 20,
} as const;

type Opt<T> = { -readonly [K in keyof T]?: T[K] };

/** Builds a SeriesRequest with Thanos's defaults for everything not given (WARN, no limit, raw). */
export function seriesRequest(o: Opt<Omit<SeriesRequest, 'kind'>> & { matchers: readonly MatcherSpec[] }): SeriesRequest {
  return {
    kind: 'storeapi.series', minTime: MIN_TIME, maxTime: MAX_TIME, maxResolutionWindow: 0, aggregates: [],
    partialResponseStrategy: 'WARN', skipChunks: false, withoutReplicaLabels: [], limit: 0, responseBatchSize: 0, ...o,
  };
}

export function labelNamesRequest(o: Opt<Omit<LabelNamesRequest, 'kind'>> = {}): LabelNamesRequest {
  return {
    kind: 'storeapi.labelNames', start: MIN_TIME, end: MAX_TIME, matchers: [], partialResponseStrategy: 'WARN',
    withoutReplicaLabels: [], limit: 0, ...o,
  };
}

export function labelValuesRequest(o: Opt<Omit<LabelValuesRequest, 'kind'>> & { label: string }): LabelValuesRequest {
  return {
    kind: 'storeapi.labelValues', start: MIN_TIME, end: MAX_TIME, matchers: [], partialResponseStrategy: 'WARN',
    withoutReplicaLabels: [], limit: 0, ...o,
  };
}
