import { LIMITS, type SeriesFrame } from '../protocol.js';
import type { Series } from '../types.js';

/**
 * Packs consecutive series into `batch` frames of at most `maxBytes` (estimated encoded size) and
 * LIMITS.maxFrameSeries series. A series larger than `maxBytes` goes alone in its frame (the
 * transport splits it). Order is kept; a series is never split across frames.
 */
export class SeriesPacker {
  private pending: Series[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds a series; returns a full frame to send first when the series would not fit. */
  add(s: Series): SeriesFrame | undefined {
    const size = estimateSeriesBytes(s);
    let full: SeriesFrame | undefined;
    if (this.pending.length > 0 && (this.bytes + size > this.maxBytes || this.pending.length >= LIMITS.maxFrameSeries)) full = this.take();
    this.pending.push(s);
    this.bytes += size;
    return full;
  }

  hasPending(): boolean { return this.pending.length > 0; }

  /** The pending series as one frame, if any. */
  take(): SeriesFrame | undefined {
    if (this.pending.length === 0) return undefined;
    const frame: SeriesFrame = { kind: 'batch', series: this.pending };
    this.pending = [];
    this.bytes = 0;
    return frame;
  }
}

/** Upper estimate of a series' MessagePack size: strings and bytes plus per-field overhead. */
export function estimateSeriesBytes(s: Series): number {
  let n = 32;
  for (const l of s.labels) n += 3 * (l.name.length + l.value.length) + 24;
  for (const c of s.chunks) {
    // Named reads (no per-chunk array): this runs for every chunk a store sends.
    n += 48;
    if (c.raw !== undefined) n += c.raw.data.byteLength + 24;
    if (c.count !== undefined) n += c.count.data.byteLength + 24;
    if (c.sum !== undefined) n += c.sum.data.byteLength + 24;
    if (c.min !== undefined) n += c.min.data.byteLength + 24;
    if (c.max !== undefined) n += c.max.data.byteLength + 24;
    if (c.counter !== undefined) n += c.counter.data.byteLength + 24;
  }
  return n;
}
