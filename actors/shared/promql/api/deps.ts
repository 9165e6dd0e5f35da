/** What the Prometheus API handlers need from the rest of the system. */
import type { Matcher } from '../../labels/matcher.js';
import type { Engine } from '../engine/engine.js';
import type { QueryResult } from '../engine/result.js';
import type { MetadataQueryable, Queryable } from '../storage/queryable.js';

/**
 * Evaluates PromQL. Contract: resolves a QueryResult or throws the engine's typed errors
 * (ParseError `PROMQL_PARSE`, `PROMQL_BAD_QUERY`, `PROMQL_EXECUTION`, `PROMQL_TOO_MANY_SAMPLES`,
 * `PROMQL_TIMEOUT`, `PROMQL_CANCELED`, also after a wire trip); throws when `signal` aborts.
 * Times and step in ms. A range query returns a matrix.
 */
export interface QueryEngine {
  instantQuery(query: string, timeMs: number, signal: AbortSignal): Promise<QueryResult>;
  rangeQuery(query: string, startMs: number, endMs: number, stepMs: number, signal: AbortSignal): Promise<QueryResult>;
}

/** One metric's metadata entry of `/api/v1/metadata`. */
export interface MetricMetadata { readonly type: string; readonly help: string; readonly unit: string }

/** `/api/v1/status/buildinfo` (Prometheus's `PrometheusVersion`). */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** Dependencies of {@link mountPrometheusApi} and the handlers. */
export interface PrometheusApiDeps {
  readonly engine: QueryEngine;
  /** Series, label names and values (`/series`, `/labels`, `/label/<n>/values`). */
  readonly metadata: MetadataQueryable;
  readonly buildInfo: BuildInfo;
  /**
   * `/api/v1/metadata` source: metric name → entries, filtered by `metric` when non-empty. Absent:
   * the endpoint answers `{}` (what a Prometheus without scrape targets answers).
   */
  readonly metricMetadata?: (metric: string, signal: AbortSignal) => Promise<ReadonlyMap<string, readonly MetricMetadata[]>>;
  /** Query results with more points are streamed (chunked) instead of built as one string. Default 100,000. */
  readonly streamPoints?: number;
  /** Clock for the default `time` of `/query`, ms. Default Date.now. */
  readonly now?: () => number;
}

/** Adapts the local {@link Engine} over a Queryable to {@link QueryEngine}. */
export function engineOver(engine: Engine, queryable: Queryable): QueryEngine {
  return {
    instantQuery: (q, t, signal) => engine.instantQuery(queryable, q, t, signal),
    rangeQuery: (q, s, e, step, signal) => engine.rangeQuery(queryable, q, s, e, step, signal),
  };
}

export type MatcherSets = readonly (readonly Matcher[])[];
