import { decodeXor } from '../../shared/tsdb/chunkenc/index.js';
import type { PackedSeries } from '../dedup/batch.js';
import type { Samples } from '../dedup/samples.js';
import { seriesSamples, type SeriesSamplesOptions } from '../decode-dedup.js';

/**
 * Many merged series with raw XOR chunks packed into flat buffers, so a batch crosses to a worker
 * as a few transferred ArrayBuffers. Chunk c's bytes are `bytes[chunkOff[c] .. chunkOff[c+1])`,
 * its range `chunkMin[c]..chunkMax[c]`, its replica group `group[c]`; series s owns chunks
 * `[seriesStart[s], seriesStart[s+1])`.
 */
export interface RawBatch {
  readonly options: SeriesSamplesOptions;
  readonly bytes: Uint8Array;
  readonly chunkOff: Uint32Array;
  readonly chunkMin: Float64Array;
  readonly chunkMax: Float64Array;
  readonly group: Int32Array;
  readonly seriesStart: Uint32Array;
}

/** Packs series (each: chunks with raw XOR bytes and their replica groups) into a RawBatch. */
export function packRawBatch(series: readonly { chunks: readonly { minTime: number; maxTime: number; data: Uint8Array }[]; group: ArrayLike<number> }[], options: SeriesSamplesOptions): RawBatch {
  let nChunks = 0, nBytes = 0;
  for (const s of series) for (const c of s.chunks) { nChunks++; nBytes += c.data.length; }
  const bytes = new Uint8Array(nBytes), chunkOff = new Uint32Array(nChunks + 1);
  const chunkMin = new Float64Array(nChunks), chunkMax = new Float64Array(nChunks), group = new Int32Array(nChunks);
  const seriesStart = new Uint32Array(series.length + 1);
  let c = 0, b = 0;
  series.forEach((s, i) => {
    seriesStart[i] = c;
    s.chunks.forEach((ch, j) => {
      chunkOff[c] = b; bytes.set(ch.data, b); b += ch.data.length;
      chunkMin[c] = ch.minTime; chunkMax[c] = ch.maxTime; group[c] = s.group[j] ?? 0; c++;
    });
  });
  chunkOff[c] = b;
  seriesStart[series.length] = c;
  return { options, bytes, chunkOff, chunkMin, chunkMax, group, seriesStart };
}

/** Buffers of a RawBatch to transfer to the worker. */
export function rawBatchTransfer(b: RawBatch): ArrayBuffer[] {
  return [b.bytes, b.chunkOff, b.chunkMin, b.chunkMax, b.group, b.seriesStart].map((a) => a.buffer as ArrayBuffer);
}

/** Decodes and deduplicates every series of a batch (pure; what the worker task runs). */
export function decodeDedupRaw(b: RawBatch): PackedSeries {
  const nSeries = b.seriesStart.length - 1;
  const results: Samples[] = [];
  let total = 0;
  for (let s = 0; s < nSeries; s++) {
    const from = b.seriesStart[s]!, to = b.seriesStart[s + 1]!;
    const chunks: { minTime: number; maxTime: number }[] = [];
    for (let c = from; c < to; c++) chunks.push({ minTime: b.chunkMin[c]!, maxTime: b.chunkMax[c]! });
    const bytes = (i: number) => b.bytes.subarray(b.chunkOff[from + i]!, b.chunkOff[from + i + 1]!);
    const r = seriesSamples(chunks, b.group.subarray(from, to), Object.assign((i: number) => decodeXor(bytes(i)), { xor: bytes }), b.options);
    results.push(r);
    total += r.ts.length;
  }
  const out = { ts: new Float64Array(total), vs: new Float64Array(total), offsets: new Uint32Array(nSeries + 1) };
  let n = 0;
  results.forEach((r, s) => { out.offsets[s] = n; out.ts.set(r.ts, n); out.vs.set(r.vs, n); n += r.ts.length; });
  out.offsets[nSeries] = n;
  return out;
}
