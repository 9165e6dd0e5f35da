import type { SeriesData } from '../shared/promql/storage/queryable.js';
import type { WorkerPool } from '../../runtime/workers/pool.js';
import { decodeAggrChunk, HistogramChunk, type AggrPick } from './chunk-decode.js';
import { unpackSeries } from './dedup/batch.js';
import { fanoutScope } from './fanout.js';
import { EMPTY_SAMPLES, type Samples } from './dedup/samples.js';
import { seriesSamples, type ChunkDecoder, type SeriesSamplesOptions } from './decode-dedup.js';
import type { MergedSeries } from './merge/merge-series.js';
import { packRawBatch, rawBatchTransfer } from './pool/raw-batch.js';
import type { QuerierTasks } from './pool/tasks.js';

export interface ToSeriesDataOptions {
  readonly options: SeriesSamplesOptions;
  /** What to read from chunks without a raw part (downsampled blocks). */
  readonly pick: AggrPick;
  readonly pool?: WorkerPool<QuerierTasks> | undefined;
  /** Chunks per worker batch; with fewer raw chunks in total everything runs inline. */
  readonly batchChunks: number;
  readonly signal?: AbortSignal;
}

function allRawXor(s: MergedSeries): boolean {
  return s.chunks.every((c) => c.raw !== undefined && c.raw.type === 'XOR');
}

/** Inline: decodes (raw, or the picked aggregate) and deduplicates one merged series. */
export function mergedSamples(s: MergedSeries, o: ToSeriesDataOptions): { samples: Samples; histograms: boolean } {
  try {
    const decode: ChunkDecoder = Object.assign((i: number) => decodeAggrChunk(s.chunks[i]!, o.pick), {
      xor: (i: number) => { const raw = s.chunks[i]!.raw; return raw !== undefined && raw.type === 'XOR' ? raw.data : undefined; },
    });
    return { samples: seriesSamples(s.chunks, s.replica, decode, o.options), histograms: false };
  } catch (err) {
    if (err instanceof HistogramChunk) return { samples: EMPTY_SAMPLES, histograms: true };
    throw err;
  }
}

/**
 * Turns merged series into the engine's SeriesData, in the same (label) order, dropping series
 * left without samples in the range. Series whose chunks are all raw XOR go to the worker pool
 * in batches of about `batchChunks` chunks (buffers transferred both ways) when a pool is given
 * and there are at least that many such chunks; everything else is decoded inline.
 */
export async function mergedToSeriesData(merged: readonly MergedSeries[], o: ToSeriesDataOptions): Promise<SeriesData[]> {
  const results: (Samples | 'histogram' | undefined)[] = new Array(merged.length);
  const pooled: number[] = [];
  let rawChunks = 0;
  if (o.pool !== undefined) {
    merged.forEach((s, i) => { if (allRawXor(s)) { pooled.push(i); rawChunks += s.chunks.length; } });
    if (rawChunks < o.batchChunks) pooled.length = 0;
  }
  const pool = o.pool;
  const jobs: Promise<void>[] = [];
  // One child signal for this call's batches (each worker task listens to it; bounded by the pool's
  // capacity), aborted when the call ends so a failed batch cancels the rest.
  const scope = o.signal !== undefined && pool !== undefined && pooled.length > 0 ? fanoutScope(o.signal) : undefined;
  if (pool !== undefined && pooled.length > 0) {
    let batch: number[] = [], chunks = 0;
    const flush = () => {
      const ids = batch;
      batch = []; chunks = 0;
      const packed = packRawBatch(ids.map((i) => ({
        chunks: merged[i]!.chunks.map((c) => ({ minTime: c.minTime, maxTime: c.maxTime, data: c.raw!.data })), group: merged[i]!.replica,
      })), o.options);
      jobs.push(pool.run('querier.decodeDedup', packed, { transfer: rawBatchTransfer(packed), ...(scope ? { signal: scope.signal } : {}) })
        .then((out) => { unpackSeries(out).forEach((smp, k) => { results[ids[k]!] = smp; }); }));
    };
    for (const i of pooled) {
      batch.push(i);
      chunks += merged[i]!.chunks.length;
      if (chunks >= o.batchChunks) flush();
    }
    if (batch.length > 0) flush();
  }
  const inPool = new Set(pooled);
  merged.forEach((s, i) => {
    if (inPool.has(i)) return;
    const r = mergedSamples(s, o);
    results[i] = r.histograms ? 'histogram' : r.samples;
  });
  try { await Promise.all(jobs); } finally { scope?.done(); }
  const out: SeriesData[] = [];
  merged.forEach((s, i) => {
    const r = results[i];
    if (r === 'histogram') out.push({ labels: s.labels, ts: new Float64Array(0), vs: new Float64Array(0), hasNativeHistograms: true });
    else if (r !== undefined && r.ts.length > 0) out.push({ labels: s.labels, ts: r.ts, vs: r.vs });
  });
  return out;
}
