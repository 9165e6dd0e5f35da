/**
 * `rate`, `increase`, `delta`, `irate`, `idelta` over one series window (Prometheus 2.42
 * `extrapolatedRate` / `instantValue`). See README.md for the window and no-value conventions.
 */

/**
 * Go `time.Duration.Seconds()` of a whole number of milliseconds: whole seconds plus the
 * nanosecond remainder / 1e9, which can differ in the last bit from `ms / 1000`.
 */
export function durationSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  const remNs = (ms - sec * 1000) * 1e6;
  return sec + remNs / 1e9;
}

/**
 * The 2.42 extrapolation shared by rate/increase/delta. Needs ≥ 2 samples (else `undefined`).
 * Counter mode adds the pre-reset value at every decrease and limits the extrapolation towards
 * the window start by the counter's zero point (applied **before** the 1.1×-average test, the
 * 2.42 order). The result is scaled by `(sampled + toStart' + toEnd') / sampled`, where each
 * boundary gap counts fully if below 1.1× the average sample interval and as half an interval
 * otherwise; rate additionally divides by the range in seconds (`rangeEndMs - rangeStartMs`).
 */
export function extrapolatedRate(
  ts: Float64Array, vs: Float64Array, start: number, end: number,
  rangeStartMs: number, rangeEndMs: number, isCounter: boolean, isRate: boolean,
): number | undefined {
  const n = end - start;
  if (n < 2) return undefined;
  const first = vs[start]!;
  const tFirst = ts[start]!;
  const tLast = ts[end - 1]!;
  let result = vs[end - 1]! - first;
  if (isCounter) {
    let prev = first;
    for (let i = start + 1; i < end; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (tFirst - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - tLast) / 1000;
  const sampled = (tLast - tFirst) / 1000;
  const avg = sampled / (n - 1);
  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampled * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avg * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : avg / 2;
  interval += durationToEnd < threshold ? durationToEnd : avg / 2;
  let factor = interval / sampled;
  if (isRate) factor /= durationSeconds(rangeEndMs - rangeStartMs);
  return result * factor;
}

/** `rate(v[r])`: per-second counter increase, extrapolated (see {@link extrapolatedRate}). */
export function rate(ts: Float64Array, vs: Float64Array, start: number, end: number, rangeStartMs: number, rangeEndMs: number): number | undefined {
  return extrapolatedRate(ts, vs, start, end, rangeStartMs, rangeEndMs, true, true);
}

/** `increase(v[r])`: counter increase over the range, extrapolated. */
export function increase(ts: Float64Array, vs: Float64Array, start: number, end: number, rangeStartMs: number, rangeEndMs: number): number | undefined {
  return extrapolatedRate(ts, vs, start, end, rangeStartMs, rangeEndMs, true, false);
}

/** `delta(v[r])`: gauge difference over the range, extrapolated, no reset handling. */
export function delta(ts: Float64Array, vs: Float64Array, start: number, end: number, rangeStartMs: number, rangeEndMs: number): number | undefined {
  return extrapolatedRate(ts, vs, start, end, rangeStartMs, rangeEndMs, false, false);
}

/**
 * `irate(v[r])`: from the last two samples; after a decrease the last value itself is the
 * increase; divided by their gap in seconds. `undefined` for < 2 samples or a zero gap.
 */
export function irate(ts: Float64Array, vs: Float64Array, start: number, end: number): number | undefined {
  if (end - start < 2) return undefined;
  const last = vs[end - 1]!;
  const prev = vs[end - 2]!;
  const gap = ts[end - 1]! - ts[end - 2]!;
  if (gap === 0) return undefined;
  const diff = last < prev ? last : last - prev;
  return diff / (gap / 1000);
}

/** `idelta(v[r])`: last minus previous sample; `undefined` for < 2 samples or a zero time gap. */
export function idelta(ts: Float64Array, vs: Float64Array, start: number, end: number): number | undefined {
  if (end - start < 2) return undefined;
  if (ts[end - 1]! - ts[end - 2]! === 0) return undefined;
  return vs[end - 1]! - vs[end - 2]!;
}
