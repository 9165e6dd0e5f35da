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
}

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
 * reads the file once to find the time range (so a parse error anywhere writes nothing), then once
 * per block window `[k·2h, (k+1)·2h)` collecting that window's samples per series in input order and
 * writing them as one block with the head cut rule at a 4 h chunk range — the same series, chunks
 * and samples promtool writes. Windows without samples produce no block. Returns the metas of the
 * blocks written, in time order.
 *
 * Memory: one window's samples (16 bytes each plus per-series overhead), not the whole file.
 * Differences from promtool: a sample older than the previous sample of its series, or a second
 * value for the same timestamp, is a BlockWriteError (promtool may drop such samples silently
 * inside one 5000-sample commit); a block already written stays when a later window fails.
 */
export async function createBlocksFromOpenMetrics(file: string, outDir: string, opts: BackfillOptions = {}): Promise<BlockMeta[]> {
  const duration = opts.blockDuration ?? BACKFILL_BLOCK_DURATION_MS;
  const chunkRange = opts.chunkRange ?? PROMTOOL_CHUNK_RANGE_MS;
  const hwm = opts.highWaterMark === undefined ? {} : { highWaterMark: opts.highWaterMark };
  let mint = Infinity, maxt = -Infinity;
  for await (const batch of readOpenMetrics(file, hwm)) {
    for (const s of batch) { if (s.t < mint) mint = s.t; if (s.t > maxt) maxt = s.t; }
  }
  if (mint > maxt) return [];
  await mkdir(outDir, { recursive: true });
  const metas: BlockMeta[] = [];
  for (let from = Math.floor(mint / duration) * duration; from <= maxt; from += duration) {
    const to = from + duration;
    const bySeries = new Map<string, SeriesBuf>();
    for await (const batch of readOpenMetrics(file, hwm)) {
      for (const s of batch) {
        if (s.t < from || s.t >= to) continue;
        const key = labelsKey(s.labels);
        let b = bySeries.get(key);
        if (b === undefined) bySeries.set(key, b = new SeriesBuf(s.labels));
        b.add(s.t, s.v, file);
      }
    }
    if (bySeries.size === 0) continue;
    const input: BlockSeriesInput[] = [...bySeries.values()].map((b) => ({ labels: b.labels, ts: b.ts.subarray(0, b.n), vs: b.vs.subarray(0, b.n) }));
    bySeries.clear();
    metas.push(await writeBlock(outDir, input, { chunkRange, ...(opts.now ? { now: opts.now } : {}) }));
  }
  return metas;
}
