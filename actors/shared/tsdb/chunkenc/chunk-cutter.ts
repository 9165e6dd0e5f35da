/**
 * When Prometheus 2.42 starts a new XOR chunk for a series (`memSeries.appendPreprocessor` in
 * tsdb/head_append.go). Writers that must produce the same chunks as Prometheus/promtool use it:
 *
 * - A chunk is started at the first sample; its hard end `nextAt` is the end of the aligned
 *   chunk-range window containing that sample: `trunc(t / range) * range + range` (Go integer
 *   division, truncating toward zero).
 * - When the chunk holds exactly 30 samples (samplesPerChunk/4 with samplesPerChunk = 120), `nextAt`
 *   is re-predicted so the rest of the window splits into equal chunks:
 *   `k = trunc((nextAt − min) / ((last − min + 1) · 4))`; if k > 1, `nextAt = min + trunc((nextAt − min) / k)`,
 *   where `min`/`last` are the chunk's first and latest sample times.
 * - A new chunk is cut before appending t when `t ≥ nextAt` or the chunk already holds 240 samples.
 *
 * So chunks hold ~120 samples for a steady scrape interval, but not exactly: e.g. a 7 s interval in
 * a 4 h range gives 129-sample chunks, and a rate change can give up to 240. There is no byte cap in
 * 2.42 (the 1024-byte `MaxBytesPerXORChunk` came later).
 *
 * Chunk range: a Prometheus server uses its min block duration (2 h). `promtool tsdb
 * create-blocks-from` (2.42 cmd/promtool/backfill.go) opens its BlockWriter with TWICE the block
 * duration, so its chunk range is 4 h (14 400 000 ms) while blocks stay 2 h; samples of one 2 h block
 * window are appended per series in input order. Use `PROMTOOL_CHUNK_RANGE_MS` to match promtool.
 */
export const SAMPLES_PER_CHUNK = 120;
export const DEFAULT_CHUNK_RANGE_MS = 2 * 3600_000;
export const PROMTOOL_CHUNK_RANGE_MS = 2 * DEFAULT_CHUNK_RANGE_MS;

export class HeadChunkCutter {
  private count = 0;
  private minT = 0;
  private lastT = 0;
  private nextAt = 0;

  constructor(readonly chunkRange = DEFAULT_CHUNK_RANGE_MS) {
    if (!Number.isSafeInteger(chunkRange) || chunkRange <= 0) throw new RangeError(`chunk range must be a positive integer: ${chunkRange}`);
  }

  /**
   * Call once per sample, in order. Returns true when this sample must start a new chunk (always
   * true for the first sample). The caller then appends the sample to the (new) chunk.
   */
  add(t: number): boolean {
    let cut = this.count === 0;
    if (!cut) {
      if (this.count === SAMPLES_PER_CHUNK / 4) this.nextAt = computeChunkEndTime(this.minT, this.lastT, this.nextAt);
      cut = t >= this.nextAt || this.count >= SAMPLES_PER_CHUNK * 2;
    }
    if (cut) {
      this.count = 0;
      this.minT = t;
      this.nextAt = rangeEnd(t, this.chunkRange);
    }
    this.count++;
    this.lastT = t;
    return cut;
  }

  /** Forgets the current chunk (next sample starts a new one). */
  reset(): void { this.count = 0; }
}

function rangeEnd(t: number, width: number): number {
  return Math.trunc(t / width) * width + width;
}

function computeChunkEndTime(start: number, cur: number, max: number): number {
  const n = Math.trunc((max - start) / ((cur - start + 1) * 4));
  if (n <= 1) return max;
  return start + Math.trunc((max - start) / n);
}

/**
 * Splits one series' sorted timestamps into chunks as Prometheus's head would; returns the start
 * index of every chunk (first is 0).
 */
export function chunkStarts(ts: ArrayLike<number>, chunkRange = DEFAULT_CHUNK_RANGE_MS): number[] {
  const c = new HeadChunkCutter(chunkRange);
  const out: number[] = [];
  for (let i = 0; i < ts.length; i++) if (c.add(ts[i]!)) out.push(i);
  return out;
}
