import type { Labels } from '../../labels/labels.js';

/** A scalar result: one value at time `t` (ms). */
export interface ScalarResult { readonly type: 'scalar'; readonly t: number; readonly v: number }
/** A string result (a string literal query). */
export interface StringResult { readonly type: 'string'; readonly t: number; readonly v: string }
/** One element of an instant vector; `t` is the evaluation time (ms). */
export interface Sample { readonly labels: Labels; readonly t: number; readonly v: number }
/** An instant vector, in evaluation order (Prometheus does not sort instant results). */
export interface VectorResult { readonly type: 'vector'; readonly samples: Sample[] }
/** One series of a matrix: points as parallel arrays, ts in ms ascending. */
export interface MatrixSeries { readonly labels: Labels; readonly ts: Float64Array; readonly vs: Float64Array }
/** A range vector / range query result; range query results are sorted by labels. */
export interface MatrixResult { readonly type: 'matrix'; readonly series: MatrixSeries[] }

export type QueryValue = ScalarResult | StringResult | VectorResult | MatrixResult;

/** What a query returns: its value plus non-fatal warnings (e.g. from stores). */
export interface QueryResult {
  readonly value: QueryValue;
  readonly warnings: string[];
  /** Peak number of samples held while evaluating, as 2.42 accounts them (see README). */
  readonly samples: number;
}
