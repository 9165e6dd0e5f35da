/** Small synthetic series for store tests: real XOR chunks from regular samples. */
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import type { AggrChunk, Series } from '../../../actors/shared/storeapi/types.js';
import { encodeSeriesChunks } from '../../../actors/shared/tsdb/chunkenc/series-chunks.js';

/** XOR chunks of `n` samples every `step` ms from `start` (value = i). */
export function xorChunks(start: number, n: number, step = 15_000): AggrChunk[] {
  const ts = Array.from({ length: n }, (_, i) => start + i * step);
  const vs = Float64Array.from(ts, (_, i) => i);
  return encodeSeriesChunks(ts, vs).map((c) => ({ minTime: c.mint, maxTime: c.maxt, raw: { type: 'XOR', data: c.data } }));
}

/** `count` series `{__name__=name, i="<k>"}` with samples over [start, start + n*step). */
export function makeSeries(name: string, count: number, start: number, n: number, extra: Record<string, string> = {}): Series[] {
  return Array.from({ length: count }, (_, k) => ({ labels: labelsFromObject({ __name__: name, i: String(k), ...extra }), chunks: xorChunks(start, n) }));
}
