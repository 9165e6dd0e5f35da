import { mkdir } from 'node:fs/promises';
import { labelsKey, labelsToString, type Labels } from '../../labels/labels.js';
import { PROMTOOL_CHUNK_RANGE_MS } from '../chunkenc/chunk-cutter.js';
import { readOpenMetrics } from '../openmetrics/read.js';
import type { BlockMeta } from '../meta/types.js';
import { BlockWriteError } from './errors.js';
import { writeBlock, type BlockSeriesInput } from './writer.js';

/** promtool's backfill block length: 2 h. */
export const BACKFILL_BLOCK_DURATION_MS = 2 * 3600_000;

export interface BackfillOptions {
  /** Block length in ms (default 2 h); blocks start at multiples of it. */
  readonly blockDuration?: number;
  /** Chunk range of the head cut rule (default 2 × blockDuration, as promtool's BlockWriter). */
  readonly chunkRange?: number;
  /** Wall-clock source for ULIDs. */
  readonly now?: () => number;
  /** Read chunk size for the input file (default 1 MiB). */
  readonly highWaterMark?: number;
  /**
   * Samples buffered in the first pass (all windows at once, 16 bytes each plus per-series overhead).
   * Above it, the buffers are dropped and the file is read once more per window, so memory stays at
   * one window's samples. Default 16 Mi samples (~256 MiB).
   */
  readonly maxBufferedSamples?: number;
}

export const DEFAULT_MAX_BUFFERED_SAMPLES = 16 * 1024 * 1024;

/** Growable per-series sample buffer (typed arrays keep NaN bits exact). */
class SeriesBuf {
  ts = new Float64Array(64);
  vs = new Float64Array(64);
  n = 0;
  constructor(readonly labels: Labels) {}

  add(t: number, v: number, file: string): void {
    if (this.n > 0) {
      const last = this.ts[this.n - 1]!;
      if (t < last) throw new BlockWriteError(`backfilling ${file}: out of order sample for ${labelsToString(this.labels)} at ${t} (after ${last})`, { data: { file, t } });
      if (t === last) {
        if (sameBits(v, this.vs[this.n - 1]!)) return; // exact duplicate: ignored, as Prometheus's head does
        throw new BlockWriteError(`backfilling ${file}: duplicate sample for timestamp ${t} of ${labelsToString(this.labels)}`, { data: { file, t } });
      }
    }
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2), vs = new Float64Array(this.n * 2);
      ts.set(this.ts); vs.set(this.vs);
      this.ts = ts; this.vs = vs;
    }
    this.ts[this.n] = t; this.vs[this.n] = v; this.n++;
  }
}

const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);
function sameBits(a: number, b: number): boolean {
  f64[0] = a; f64[1] = b;
  return u32[0] === u32[2] && u32[1] === u32[3];
}

/**
 * `promtool tsdb create-blocks-from openmetrics <file> <outDir>` (2.42 `cmd/promtool/backfill.go`):
 * reads the whole file first (so a parse error anywhere writes nothing), then writes one block per
 * window `[k·2h, (k+1)·2h)` holding that window's samples per series in input order, cut with the head
 * rule at a 4 h chunk range — the same series, chunks and samples promtool writes. Windows without
 * samples produce no block. Returns the metas of the blocks written, in time order.
 *
 * Memory: the first pass buffers every window while the file holds at most `maxBufferedSamples`
 * samples; a larger file is re-read once per window (as promtool does), holding one window's samples.
 * Differences from promtool: a sample older than the previous sample of its series, or a second
 * value for the same timestamp, is a BlockWriteError (promtool may drop such samples silently
 * inside one 5000-sample commit); a block already written stays when a later window fails.
 */
export async function createBlocksFromOpenMetrics(file: string, outDir: string, opts: BackfillOptions = {}): Promise<BlockMeta[]> {
  const duration = opts.blockDuration ?? BACKFILL_BLOCK_DURATION_MS;
  const chunkRange = opts.chunkRange ?? PROMTOOL_CHUNK_RANGE_MS;
  const budget = opts.maxBufferedSamples ?? DEFAULT_MAX_BUFFERED_SAMPLES;
  const hwm = opts.highWaterMark === undefined ? {} : { highWaterMark: opts.highWaterMark };
  const windowOf = (t: number) => Math.floor(t / duration) * duration;
  // Pass 1: validate the whole file and find its time range; buffer every window while within budget.
  let mint = Infinity, maxt = -Infinity, buffered = 0;
  let windows: Map<number, WindowBuf> | undefined = new Map();
  for await (const batch of readOpenMetrics(file, hwm)) {
    for (const s of batch) {
      if (s.t < mint) mint = s.t;
      if (s.t > maxt) maxt = s.t;
    }
    if (windows === undefined) continue;
    buffered += batch.length;
    if (buffered > budget) { windows = undefined; continue; }
    for (const s of batch) {
      const w = windowOf(s.t);
      let wb = windows.get(w);
      if (wb === undefined) windows.set(w, wb = new WindowBuf());
      wb.add(s.labels, s.t, s.v, file);
    }
  }
  if (mint > maxt) return [];
  await mkdir(outDir, { recursive: true });
  const metas: BlockMeta[] = [];
  const write = async (wb: WindowBuf) => {
    const input = wb.series();
    if (input.length > 0) metas.push(await writeBlock(outDir, input, { chunkRange, ...(opts.now ? { now: opts.now } : {}) }));
  };
  for (let from = windowOf(mint); from <= maxt; from += duration) {
    if (windows !== undefined) {
      const wb = windows.get(from);
      windows.delete(from);
      if (wb !== undefined) await write(wb);
      continue;
    }
    // Over budget: one more pass over the file per window, as promtool does.
    const to = from + duration;
    const wb = new WindowBuf();
    for await (const batch of readOpenMetrics(file, hwm)) {
      for (const s of batch) if (s.t >= from && s.t < to) wb.add(s.labels, s.t, s.v, file);
    }
    await write(wb);
  }
  return metas;
}

/** Samples of one block window, per series in first-seen order. */
class WindowBuf {
  private readonly bySeries = new Map<string, SeriesBuf>();
  private lastLabels: Labels | undefined;
  private last: SeriesBuf | undefined;

  add(labels: Labels, t: number, v: number, file: string): void {
    let b = labels === this.lastLabels ? this.last : undefined;
    if (b === undefined) {
      const key = labelsKey(labels);
      b = this.bySeries.get(key);
      if (b === undefined) this.bySeries.set(key, b = new SeriesBuf(labels));
      this.lastLabels = labels; this.last = b;
    }
    b.add(t, v, file);
  }

  series(): BlockSeriesInput[] {
    return [...this.bySeries.values()].map((b) => ({ labels: b.labels, ts: b.ts.subarray(0, b.n), vs: b.vs.subarray(0, b.n) }));
  }
}
