/**
 * `holt_winters(v[r], sf, tf)` of Prometheus 2.42 (double exponential smoothing; renamed
 * `double_exponential_smoothing` in 3.0).
 */
import { formatGoPrintfF } from '../format/go-float.js';

/**
 * The error message 2.42 raises for invalid factors, or `undefined` when valid. Checked only when
 * the function runs on at least one series; NaN factors are not rejected (the result is NaN).
 */
export function holtWintersFactorError(sf: number, tf: number): string | undefined {
  if (sf <= 0 || sf >= 1) return `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoPrintfF(sf)}`;
  if (tf <= 0 || tf >= 1) return `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoPrintfF(tf)}`;
  return undefined;
}

/**
 * Smoothed value after the last sample: level s1 = v0, trend b = v1 - v0; for each later sample i
 * (from 1) the trend is re-estimated as tf·(s1 - s0) + (1 - tf)·b (not for i = 1), then
 * s1 = sf·v_i + (1 - sf)·(s1 + b). `undefined` for < 2 samples.
 */
export function holtWinters(vs: Float64Array, start: number, end: number, sf: number, tf: number): number | undefined {
  if (end - start < 2) return undefined;
  let s0 = 0;
  let s1 = vs[start]!;
  let b = vs[start + 1]! - s1;
  for (let i = start + 1; i < end; i++) {
    const x = sf * vs[i]!;
    if (i > start + 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}
