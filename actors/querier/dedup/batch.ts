import { dedupChain } from './chain.js';
import { dedupPenalty } from './penalty.js';
import { clipSamples, type Samples } from './samples.js';
import type { DedupFunc } from './series-dedup.js';

/**
 * Many series' replicas packed into two Float64Arrays, so a batch crosses to a worker thread as a
 * handful of transferred buffers instead of thousands of small arrays. Replica k's samples are
 * `ts/vs[offsets[k] .. offsets[k+1])`; series s owns replicas `[seriesStart[s], seriesStart[s+1])`.
 */
export interface PackedReplicas {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly offsets: Uint32Array;
  readonly seriesStart: Uint32Array;
}

export interface DedupBatchIn {
  readonly func: DedupFunc;
  readonly counter: boolean;
  readonly minTime?: number;
  readonly maxTime?: number;
  readonly input: PackedReplicas;
}

/** One deduplicated series per input series: `ts/vs[offsets[s] .. offsets[s+1])`. */
export interface PackedSeries {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly offsets: Uint32Array;
}

export function packReplicas(series: readonly (readonly Samples[])[]): PackedReplicas {
  let samples = 0, replicas = 0;
  for (const s of series) for (const r of s) { samples += r.ts.length; replicas++; }
  const ts = new Float64Array(samples), vs = new Float64Array(samples);
  const offsets = new Uint32Array(replicas + 1), seriesStart = new Uint32Array(series.length + 1);
  let n = 0, k = 0;
  series.forEach((s, i) => {
    seriesStart[i] = k;
    for (const r of s) { offsets[k++] = n; ts.set(r.ts, n); vs.set(r.vs, n); n += r.ts.length; }
  });
  offsets[k] = n;
  seriesStart[series.length] = k;
  return { ts, vs, offsets, seriesStart };
}

/** Views of each packed series (no copies). */
export function unpackSeries(p: PackedSeries): Samples[] {
  const out: Samples[] = new Array(p.offsets.length - 1);
  for (let s = 0; s + 1 < p.offsets.length; s++) {
    out[s] = { ts: p.ts.subarray(p.offsets[s]!, p.offsets[s + 1]!), vs: p.vs.subarray(p.offsets[s]!, p.offsets[s + 1]!) };
  }
  return out;
}

/** Deduplicates every series of a packed batch (pure; what the worker task runs). */
export function dedupBatch(b: DedupBatchIn): PackedSeries {
  const { ts, vs, offsets, seriesStart } = b.input;
  const nSeries = seriesStart.length - 1;
  const results: Samples[] = new Array(Math.max(0, nSeries));
  let total = 0;
  for (let s = 0; s < nSeries; s++) {
    const reps: Samples[] = [];
    for (let k = seriesStart[s]!; k < seriesStart[s + 1]!; k++) {
      reps.push({ ts: ts.subarray(offsets[k]!, offsets[k + 1]!), vs: vs.subarray(offsets[k]!, offsets[k + 1]!) });
    }
    let r = b.func === 'chain' ? dedupChain(reps) : dedupPenalty(reps, { counter: b.counter });
    if (b.minTime !== undefined || b.maxTime !== undefined) {
      r = clipSamples(r, b.minTime ?? Number.MIN_SAFE_INTEGER, b.maxTime ?? Number.MAX_SAFE_INTEGER);
    }
    results[s] = r;
    total += r.ts.length;
  }
  const out = { ts: new Float64Array(total), vs: new Float64Array(total), offsets: new Uint32Array(Math.max(0, nSeries) + 1) };
  let n = 0;
  for (let s = 0; s < nSeries; s++) {
    out.offsets[s] = n;
    out.ts.set(results[s]!.ts, n);
    out.vs.set(results[s]!.vs, n);
    n += results[s]!.ts.length;
  }
  out.offsets[Math.max(0, nSeries)] = n;
  return out;
}
