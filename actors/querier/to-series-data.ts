import type { Labels } from '../shared/labels/labels.js';
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

type Decoded = Samples | 'histogram' | undefined;

/**
 * Turns merged series into the engine's SeriesData as they arrive, in arrival (label) order,
 * dropping series left without samples in the range. Series whose chunks are all raw XOR collect
 * into batches of about `batchChunks` chunks; when a pool is given each full batch goes to it at
 * once (buffers transferred both ways), so workers decode while the stores still stream the rest.
 * Everything else, and without a pool everything, is decoded inline on `add`; series left in a
 * batch that never filled are decoded inline by `finish` (a select with fewer raw chunks than one
 * batch never touches the pool).
 *
 * Only labels and decoded samples are kept: a series' chunks (views of received messages) are
 * released once decoded or packed for the pool.
 *
 * Errors: a decode error inline throws from `add`; a failed pool batch cancels the other batches
 * and is thrown by the next `add` (the caller stops fetching) or by `finish`. Cancellation: the
 * batches listen to one child signal of `o.signal`, ended by `close()` — call it in a `finally`,
 * after `finish` or on an early exit.
 */
export class SeriesDataBuilder {
  readonly #o: ToSeriesDataOptions;
  readonly #labels: Labels[] = [];
  readonly #results: Decoded[] = [];
  /** Series waiting for a full batch, with their index. */
  #batch: { i: number; s: MergedSeries }[] = [];
  #batchChunks = 0;
  readonly #jobs: Promise<void>[] = [];
  #failed: { error: unknown } | undefined;
  #scope: { signal: AbortSignal; done: () => void } | undefined;

  constructor(o: ToSeriesDataOptions) { this.#o = o; }

  /** Takes the next series; throws a failed batch's error (so the fetch stops early), or an inline decode error. */
  add(s: MergedSeries): void {
    if (this.#failed !== undefined) throw this.#failed.error;
    const i = this.#labels.push(s.labels) - 1;
    if (this.#o.pool !== undefined && allRawXor(s)) {
      this.#batch.push({ i, s });
      this.#batchChunks += s.chunks.length;
      if (this.#batchChunks >= this.#o.batchChunks) this.#submit(this.#o.pool);
      return;
    }
    this.#decodeInline(i, s);
  }

  /** Waits for the pool batches and returns the SeriesData of every series added, in order. */
  async finish(): Promise<SeriesData[]> {
    for (const { i, s } of this.#batch) this.#decodeInline(i, s);
    this.#batch = [];
    await Promise.all(this.#jobs);
    if (this.#failed !== undefined) throw this.#failed.error;
    const out: SeriesData[] = [];
    this.#labels.forEach((labels, i) => {
      const r = this.#results[i];
      if (r === 'histogram') out.push({ labels, ts: new Float64Array(0), vs: new Float64Array(0), hasNativeHistograms: true });
      else if (r !== undefined && r.ts.length > 0) out.push({ labels, ts: r.ts, vs: r.vs });
    });
    return out;
  }

  /** Ends the batches' signal (cancels batches still running after an early exit). */
  close(): void { this.#scope?.done(); }

  #decodeInline(i: number, s: MergedSeries): void {
    const r = mergedSamples(s, this.#o);
    this.#results[i] = r.histograms ? 'histogram' : r.samples;
  }

  #submit(pool: WorkerPool<QuerierTasks>): void {
    const batch = this.#batch;
    this.#batch = [];
    this.#batchChunks = 0;
    // One child signal for this select's batches (each worker task listens to it; bounded by the
    // pool's capacity), so a failed batch or an early end cancels the rest.
    this.#scope ??= this.#o.signal === undefined ? undefined : fanoutScope(this.#o.signal);
    const packed = packRawBatch(batch.map(({ s }) => ({
      chunks: s.chunks.map((c) => ({ minTime: c.minTime, maxTime: c.maxTime, data: c.raw!.data })), group: s.replica,
    })), this.#o.options);
    const ids = batch.map(({ i }) => i);
    const scope = this.#scope;
    this.#jobs.push(pool.run('querier.decodeDedup', packed, { transfer: rawBatchTransfer(packed), ...(scope ? { signal: scope.signal } : {}) })
      .then((out) => { unpackSeries(out).forEach((smp, k) => { this.#results[ids[k]!] = smp; }); }, (error: unknown) => {
        // Observed at once (no unhandled rejection while the stream goes on); `finish` rethrows the first.
        this.#failed ??= { error };
        scope?.done();
      }));
  }
}

/** Every merged series at once (e.g. after replica grouping) through a SeriesDataBuilder. */
export async function mergedToSeriesData(merged: readonly MergedSeries[], o: ToSeriesDataOptions): Promise<SeriesData[]> {
  const b = new SeriesDataBuilder(o);
  try {
    for (const s of merged) b.add(s);
    return await b.finish();
  } finally {
    b.close();
  }
}
