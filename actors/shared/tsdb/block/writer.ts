import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { compareLabels, labelsToString, type Labels } from '../../labels/labels.js';
import { Encoding } from '../chunkenc/encoding.js';
import { DEFAULT_CHUNK_RANGE_MS } from '../chunkenc/chunk-cutter.js';
import { encodeSeriesChunks } from '../chunkenc/series-chunks.js';
import { ChunkSegmentWriter } from '../chunks/segment-writer.js';
import { IndexWriter, symbolsOf } from '../index/writer.js';
import type { ChunkMeta } from '../index/series.js';
import { writeMetaFile } from '../meta/files.js';
import type { BlockMeta } from '../meta/types.js';
import { BlockWriteError } from './errors.js';
import { emptyTombstones, TOMBSTONES_FILENAME } from './tombstones.js';

/**
 * One series to write: labels (sorted by name, `__name__` included) and its samples in strictly
 * increasing time order (`ts[i]` integer ms, `vs[i]` taken bit-exactly, so stale NaNs survive).
 */
export interface BlockSeriesInput {
  readonly labels: Labels;
  readonly ts: ArrayLike<number>;
  readonly vs: Float64Array;
}

export interface WriteBlockOptions {
  /**
   * Chunk range used by the head cut rule (default 2 h, a Prometheus server's head). promtool's
   * backfill uses `PROMTOOL_CHUNK_RANGE_MS` (4 h).
   */
  readonly chunkRange?: number;
  /** Chunk segment size limit in bytes (default 512 MiB). */
  readonly segmentSize?: number;
  /** Wall-clock source for the ULID (default Date.now). */
  readonly now?: () => number;
  /** Use this ULID instead of a fresh one (tests). */
  readonly ulid?: string;
}

/** Suffix of the directory a block is built in before the final rename (Prometheus's own). */
export const TMP_BLOCK_SUFFIX = '.tmp-for-creation';

const nextUlid = monotonicFactory();

/**
 * Writes one level-1 block into `<parentDir>/<ulid>/` the way Prometheus 2.42's compactor writes a
 * head block: series sorted by label set, each cut into XOR chunks by the head rule
 * (`HeadChunkCutter`, ~120 samples), `chunks/000001…` (segment size limit), `index`, an empty
 * `tombstones` file and `meta.json` (minTime = first sample, maxTime = last sample + 1, stats
 * numSamples/numSeries/numChunks, compaction level 1 with sources [self], version 1). Everything is
 * written into `<ulid>.tmp-for-creation` and renamed into place at the end, so a crash never leaves
 * a partial block under a ULID name. Series without samples are skipped.
 *
 * Memory: the caller holds the block's samples; the writer adds the encoded chunks of one series at
 * a time, the chunk metas of all series and the index (about the index file's size).
 *
 * Throws BlockWriteError when no series has samples, two series have the same labels, or a series'
 * timestamps do not strictly increase (nothing is left on disk then).
 */
export async function writeBlock(parentDir: string, input: Iterable<BlockSeriesInput>, opts: WriteBlockOptions = {}): Promise<BlockMeta> {
  const series = [...input].filter((s) => s.ts.length > 0).sort((a, b) => compareLabels(a.labels, b.labels));
  if (series.length === 0) throw new BlockWriteError('writing block: no series with samples', { data: { dir: parentDir } });
  for (let i = 1; i < series.length; i++) {
    if (compareLabels(series[i - 1]!.labels, series[i]!.labels) === 0) {
      throw new BlockWriteError(`writing block: duplicate series ${labelsToString(series[i]!.labels)}`, { data: { dir: parentDir } });
    }
  }
  const ulid = opts.ulid ?? nextUlid((opts.now ?? Date.now)());
  const tmp = join(parentDir, ulid + TMP_BLOCK_SUFFIX);
  const final = join(parentDir, ulid);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'chunks'), { recursive: true });
  try {
    const chunkRange = opts.chunkRange ?? DEFAULT_CHUNK_RANGE_MS;
    const cw = new ChunkSegmentWriter(join(tmp, 'chunks'), opts.segmentSize === undefined ? {} : { segmentSize: opts.segmentSize });
    const metas: ChunkMeta[][] = [];
    let numSamples = 0, numChunks = 0, minTime = Infinity, maxTime = -Infinity;
    for (const s of series) {
      let chunks;
      try { chunks = encodeSeriesChunks(s.ts, s.vs, { chunkRange }); } catch (err) {
        throw new BlockWriteError(`writing block: series ${labelsToString(s.labels)}: ${(err as Error).message}`, { cause: err, data: { dir: parentDir } });
      }
      const refs = await cw.writeChunks(chunks.map((c) => ({ encoding: Encoding.XOR, data: c.data })));
      metas.push(chunks.map((c, i) => ({ mint: c.mint, maxt: c.maxt, ref: refs[i]! })));
      numSamples += s.ts.length;
      numChunks += chunks.length;
      minTime = Math.min(minTime, s.ts[0]!);
      maxTime = Math.max(maxTime, s.ts[s.ts.length - 1]!);
    }
    await cw.close();

    const iw = new IndexWriter();
    // Prometheus's head counts the all-postings key ("", "") among its symbols, so "" always comes first.
    iw.addSymbol('');
    for (const sym of symbolsOf(series.map((s) => ({ labels: s.labels, chunks: [] })))) if (sym !== '') iw.addSymbol(sym);
    series.forEach((s, i) => iw.addSeries(s.labels, metas[i]!));
    await writeSynced(join(tmp, 'index'), iw.finish());
    await writeSynced(join(tmp, TOMBSTONES_FILENAME), emptyTombstones());

    const meta: BlockMeta = {
      ulid, minTime, maxTime: maxTime + 1,
      stats: { numSamples, numSeries: series.length, numChunks },
      compaction: { level: 1, sources: [ulid] },
      version: 1,
    };
    await writeMetaFile(tmp, meta);
    await syncDir(tmp);
    await rename(tmp, final);
    await syncDir(parentDir);
    return meta;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally { await fh.close(); }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}
