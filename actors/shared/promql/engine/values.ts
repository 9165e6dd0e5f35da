import type { Labels } from '../../labels/labels.js';

/**
 * Internal columnar values. Every node is evaluated over all steps of its evaluation context at
 * once: an instant vector is a list of series, each a Float64Array of one value per step plus a
 * presence mask (NaN is a value, so presence is separate).
 */
export interface StepSeries {
  labels: Labels;
  readonly vs: Float64Array;
  readonly has: Uint8Array;
  /** Sample timestamps (ms) per step, only for plain vector selectors (used by `timestamp()`). */
  readonly ts?: Float64Array;
}

export interface ScalarValue { readonly kind: 'scalar'; readonly vs: Float64Array }
export interface VectorValue { readonly kind: 'vector'; series: StepSeries[] }
export interface StringValue { readonly kind: 'string'; readonly value: string }

/** A raw series of a range vector (stale markers removed), ts in ms. */
export interface RangeSeries { readonly labels: Labels; readonly ts: Float64Array; readonly vs: Float64Array }

/**
 * A range vector over all steps: raw samples per series plus, for each step, the closed window
 * [winStart[i], winEnd[i]] (ms) that the step reads.
 */
export interface MatrixValue {
  readonly kind: 'matrix';
  readonly series: RangeSeries[];
  readonly winStart: Float64Array;
  readonly winEnd: Float64Array;
}

export type Value = ScalarValue | VectorValue | StringValue | MatrixValue;

export function newSeries(labels: Labels, n: number): StepSeries {
  return { labels, vs: new Float64Array(n), has: new Uint8Array(n) };
}

export function countPoints(s: StepSeries): number {
  let c = 0;
  for (let i = 0; i < s.has.length; i++) c += s.has[i]!;
  return c;
}

/** First index in ts[from..n) with ts[i] >= t. */
export function lowerBound(ts: Float64Array, t: number, from = 0, to = ts.length): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}
