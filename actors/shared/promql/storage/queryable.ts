import type { Labels } from '../../labels/labels.js';
import type { Matcher } from '../../labels/matcher.js';

/**
 * One series as the engine reads it: its labels and its samples as two parallel typed arrays,
 * sorted by time (strictly increasing). `ts` holds integer milliseconds; `vs` the values, where a
 * stale marker keeps its exact bit pattern (0x7ff0000000000002, see `isStaleNaN`).
 */
export interface SeriesData {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /**
   * Set by a store that met native-histogram samples for this series (which cannot cross this seam):
   * the engine then fails the query with "native histograms are not supported".
   */
  readonly hasNativeHistograms?: boolean;
}

/**
 * What the engine is about to do with the selected data, so a store may pick a cheaper source
 * (e.g. downsampled aggregates). Hints never change the contract: a store may ignore them and must
 * still return every raw sample in [startMs, endMs].
 */
export interface SelectHints {
  /** First timestamp the engine needs (inclusive), ms. */
  readonly startMs: number;
  /** Last timestamp the engine needs (inclusive), ms. */
  readonly endMs: number;
  /** Name of the function wrapping the selector, if any (`rate`, `sum_over_time`, …). */
  readonly func?: string;
  /** The range of a range selector, ms. */
  readonly rangeMs?: number;
  /** Step of the evaluation, ms (0 for instant queries). */
  readonly stepMs?: number;
  /** Labels of the enclosing aggregation, if any. */
  readonly grouping?: readonly string[];
  /** true when `grouping` is a `by` clause, false for `without`. */
  readonly by?: boolean;
}

/**
 * The storage seam the PromQL engine evaluates over. `select` returns every series matching all
 * matchers that has at least one sample in [startMs, endMs] (samples outside may be included; the
 * engine trims), sorted by labels (Prometheus's `labels.Compare`). The result may be an array or an
 * async iterable. Implementations should honour `signal` and throw when it is aborted.
 */
export interface Queryable {
  select(matchers: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): Promise<Iterable<SeriesData> | AsyncIterable<SeriesData>> | Iterable<SeriesData> | AsyncIterable<SeriesData>;
}

/** Metadata queries used by the HTTP API (`/api/v1/labels`, `/label/<n>/values`, `/series`). */
export interface MetadataQueryable {
  /** Sorted, unique label names of series matching any matcher set (all series when none) with samples in [startMs, endMs]. */
  labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]>;
  /** Sorted, unique non-empty values of label `name` over the same selection. */
  labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]>;
  /** Label sets (sorted, unique) of series matching any matcher set with samples in [startMs, endMs]. */
  series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<Labels[]>;
}
