/**
 * Columnar float samples of one series: `ts[i]` (Unix ms, strictly increasing) and `vs[i]`.
 * Values are copied as raw doubles, so NaN payloads (Prometheus stale markers) survive untouched.
 */
export interface Samples {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

export const EMPTY_SAMPLES: Samples = { ts: new Float64Array(0), vs: new Float64Array(0) };

/** Builds Samples from plain arrays (tests, small inputs). */
export function samplesOf(ts: readonly number[], vs: readonly number[]): Samples {
  if (ts.length !== vs.length) throw new RangeError(`samples: ${ts.length} timestamps but ${vs.length} values`);
  return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
}

/** Concatenates runs already in time order (e.g. the decoded chunks of one replica). */
export function concatSamples(runs: readonly Samples[]): Samples {
  if (runs.length === 1) return runs[0]!;
  let n = 0;
  for (const r of runs) n += r.ts.length;
  const ts = new Float64Array(n), vs = new Float64Array(n);
  let k = 0;
  for (const r of runs) { ts.set(r.ts, k); vs.set(r.vs, k); k += r.ts.length; }
  return { ts, vs };
}

/** The samples with minT ≤ t ≤ maxT (views, no copy). Input must be sorted by time. */
export function clipSamples(s: Samples, minT: number, maxT: number): Samples {
  const lo = lowerBound(s.ts, minT);
  let hi = lowerBound(s.ts, maxT);
  if (hi < s.ts.length && s.ts[hi] === maxT) hi++;
  if (lo === 0 && hi === s.ts.length) return s;
  return { ts: s.ts.subarray(lo, Math.max(lo, hi)), vs: s.vs.subarray(lo, Math.max(lo, hi)) };
}

function lowerBound(a: Float64Array, t: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m]! < t) lo = m + 1; else hi = m; }
  return lo;
}
