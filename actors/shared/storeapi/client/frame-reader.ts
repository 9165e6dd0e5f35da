import { compareLabels, labelsToString, type Labels } from '../../labels/labels.js';
import { StoreApiBadResponseError } from '../errors.js';
import { LIMITS, type SeriesFrame } from '../protocol.js';
import type { Series } from '../types.js';
import { parseSeriesFrame } from '../validate-response.js';

/**
 * The receiving end of a Series stream, shared by the transport client and the in-process
 * adapter: validates each frame (STOREAPI_BAD_RESPONSE), checks that series arrive in label order
 * across frames (equal neighbours allowed: replicas after `withoutReplicaLabels`), and reshapes
 * series into the frames the caller asked for (`responseBatchSize` ≤ 1 → `series` frames, else
 * `batch` frames of at most that many series). Warnings and hints pass through in place.
 */
export class SeriesFrameReader {
  private last: Labels | undefined;
  private readonly batch: number;

  constructor(responseBatchSize: number) {
    this.batch = Math.min(responseBatchSize, LIMITS.maxFrameSeries);
  }

  /** Validates one raw frame; returns the frames to hand to the caller (possibly none). */
  accept(raw: unknown): SeriesFrame[] {
    const f = parseSeriesFrame(raw);
    if (f.kind === 'warning' || f.kind === 'hints') return [f];
    const series = f.kind === 'series' ? [f.series] : f.series;
    for (const s of series) this.checkOrder(s);
    if (this.batch <= 1) return series.map((s) => ({ kind: 'series', series: s }));
    const out: SeriesFrame[] = [];
    for (let i = 0; i < series.length; i += this.batch) out.push({ kind: 'batch', series: series.slice(i, i + this.batch) });
    return out;
  }

  private checkOrder(s: Series): void {
    if (this.last !== undefined && compareLabels(this.last, s.labels) > 0) {
      throw new StoreApiBadResponseError(
        `decoding series stream: series ${labelsToString(s.labels)} arrived after ${labelsToString(this.last)} (stream not sorted)`,
        { data: { field: 'series.labels', what: 'sorted stream' } },
      );
    }
    this.last = s.labels;
  }
}
