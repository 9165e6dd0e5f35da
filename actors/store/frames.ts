import { LIMITS, type SeriesFrame } from '../shared/storeapi/protocol.js';
import type { Series } from '../shared/storeapi/types.js';
import { estimateSeriesBytes } from '../shared/storeapi/server/series-packer.js';

/** Estimated frame payload above which a batch is sent early (well under NATS's 1 MiB max_payload). */
export const MAX_FRAME_BYTES = 512 * 1024;

/**
 * Turns a series stream into StoreAPI frames: `responseBatchSize` ≤ 1 → one `series` frame per
 * series; otherwise `batch` frames of at most `responseBatchSize` (and LIMITS.maxFrameSeries) series
 * and about MAX_FRAME_BYTES of labels and chunk bytes. Order is kept; a series is never split.
 */
export class SeriesFrameWriter {
  private pending: Series[] = [];
  private bytes = 0;
  private readonly max: number;

  constructor(batchSize: number) {
    this.max = Math.min(Math.max(1, batchSize), LIMITS.maxFrameSeries);
  }

  /** Adds a series; returns a frame to send now, if one is complete. */
  add(s: Series): SeriesFrame | undefined {
    if (this.max <= 1) return { kind: 'series', series: s };
    let full: SeriesFrame | undefined;
    const size = estimateSeriesBytes(s);
    if (this.pending.length > 0 && this.bytes + size > MAX_FRAME_BYTES) full = this.flush();
    this.pending.push(s);
    this.bytes += size;
    if (this.pending.length >= this.max) return full ?? this.flush();
    return full;
  }

  /** The pending series as one frame, if any. */
  flush(): SeriesFrame | undefined {
    if (this.pending.length === 0) return undefined;
    const frame: SeriesFrame = { kind: 'batch', series: this.pending };
    this.pending = [];
    this.bytes = 0;
    return frame;
  }
}
