import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareLabels, compareUtf8, type Labels } from '../../labels/labels.js';
import type { Matcher } from '../../labels/matcher.js';
import { openBlocks, selectMerged, type MergedSeries } from '../../tsdb/block/dump.js';
import { BlockError } from '../../tsdb/block/errors.js';
import { BlockReader, type SeriesSamples } from '../../tsdb/block/reader.js';
import { memorySource } from '../../tsdb/bytes/source.js';
import type { StoredChunk } from '../../tsdb/chunks/format.js';
import { Encoding } from '../../tsdb/chunkenc/encoding.js';
import { decodeXorInto, xorNumSamples } from '../../tsdb/chunkenc/xor-decoder.js';
import { readMetaFile } from '../../tsdb/meta/files.js';
import type { MetadataQueryable, Queryable, SelectHints, SeriesData } from './queryable.js';

const ULID_RE = /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/;

async function readWhole(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new BlockError(`preloading block: ${path} is missing`, { data: { file: path }, cause: err });
  }
}

/** Reads one block directory into memory and opens a reader over it. */
async function preloadBlock(dir: string): Promise<BlockReader> {
  const meta = await readMetaFile(dir);
  const index = memorySource(await readWhole(join(dir, 'index')), join(dir, 'index'));
  let names: string[];
  try {
    names = (await readdir(join(dir, 'chunks'))).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (err) {
    throw new BlockError(`preloading block: ${join(dir, 'chunks')} is missing or not a directory`, { data: { file: join(dir, 'chunks') }, cause: err });
  }
  const segments = await Promise.all(names.map(async (n) => memorySource(await readWhole(join(dir, 'chunks', n)), join(dir, 'chunks', n))));
  return BlockReader.fromSources({ meta, index, segments });
}

/** Reads every block of `dataDir` into memory (ULID-named sub-directories), sorted by minTime. */
async function preloadBlocks(dataDir: string): Promise<BlockReader[]> {
  const out: BlockReader[] = [];
  try {
    for (const name of (await readdir(dataDir)).filter((n) => ULID_RE.test(n)).sort()) {
      if ((await stat(join(dataDir, name))).isDirectory()) out.push(await preloadBlock(join(dataDir, name)));
    }
  } catch (err) {
    await Promise.all(out.map((b) => b.close()));
    throw err;
  }
  return out.sort((a, b) => a.meta.minTime - b.meta.minTime);
}

/** Series decoded concurrently by one select. */
const READS_IN_FLIGHT = 16;

/**
 * Samples of a series merged over blocks, trimmed to [mint, maxt]. Fast path: every chunk of every
 * part is decoded straight into one pair of arrays (blocks normally do not overlap in time, and
 * chunks within a block never do). Anything unusual — overlapping parts, a non-XOR chunk, an
 * implausible sample count — goes through the block reader's general merge, which also reports
 * the typed errors.
 */
async function mergedSamples(s: MergedSeries, mint: number, maxt: number): Promise<SeriesSamples> {
  const stored = await Promise.all(s.parts.flatMap((p) => p.chunks).map((c) => c.read()));
  const all = decodeInOrder(stored);
  if (all === undefined) return s.samples();
  const { ts, vs } = all;
  let lo = 0, hi = ts.length;
  while (lo < hi && ts[lo]! < mint) lo++;
  while (hi > lo && ts[hi - 1]! > maxt) hi--;
  return { ts: ts.subarray(lo, hi), vs: vs.subarray(lo, hi) };
}

/**
 * Decodes XOR chunks back to back into one pair of arrays; undefined when a chunk is not XOR, its
 * sample count is implausible, its bytes are corrupt (the reader then reports the error with block,
 * file and offset), or the chunks are not in strictly increasing time order.
 */
function decodeInOrder(stored: readonly StoredChunk[]): SeriesSamples | undefined {
  try {
    let n = 0;
    for (const c of stored) {
      if (c.encoding !== Encoding.XOR) return undefined;
      const k = xorNumSamples(c.data);
      if (k > c.data.length * 4 + 2) return undefined;
      n += k;
    }
    const ts = new Float64Array(n), vs = new Float64Array(n);
    let at = 0;
    for (const c of stored) {
      const from = at;
      at += decodeXorInto(c.data, ts, vs, at);
      if (from > 0 && at > from && ts[from]! <= ts[from - 1]!) return undefined;
    }
    return { ts: ts.subarray(0, at), vs: vs.subarray(0, at) };
  } catch {
    return undefined;
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('selecting from blocks: aborted');
}

/**
 * A `Queryable` (and `MetadataQueryable`) over local TSDB blocks, as a Prometheus querier over a
 * data directory sees them: only blocks whose [minTime, maxTime) overlaps the selection are read;
 * a label set present in several blocks is merged into one series (a timestamp in several blocks is
 * kept once, earliest block wins); samples are trimmed to [hints.startMs, hints.endMs]; series left
 * without samples are dropped; output is sorted by labels. Stale markers keep their bits.
 *
 * Errors are the block reader's (BlockError, CorruptIndexError, CorruptError with file/offset). An
 * aborted `signal` throws its reason. Readers passed to `fromReaders` stay owned by the caller;
 * `open` owns its readers and `close()` releases them.
 */
export class BlockQueryable implements Queryable, MetadataQueryable {
  private constructor(private readonly blocks: readonly BlockReader[], private readonly owned: boolean) {}

  /**
   * Opens every block of a data directory (ULID-named sub-directories). With `preload`, each
   * block's index and chunk segments are read into memory first (the analogue of Prometheus's
   * mmap'd files with a warm page cache: no file read per chunk); otherwise chunks are read from
   * the files on demand, one positional read each.
   */
  static async open(dataDir: string, opts: { readonly preload?: boolean } = {}): Promise<BlockQueryable> {
    return new BlockQueryable(opts.preload === true ? await preloadBlocks(dataDir) : await openBlocks(dataDir), true);
  }

  /** Wraps already opened readers (not closed by `close()`). */
  static fromReaders(blocks: readonly BlockReader[]): BlockQueryable {
    return new BlockQueryable([...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime), false);
  }

  /** Number of blocks served. */
  get blockCount(): number { return this.blocks.length; }

  async select(matchers: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): Promise<SeriesData[]> {
    checkAborted(signal);
    const merged = await selectMerged(this.blocks, matchers, hints.startMs, hints.endMs);
    const got = new Array<SeriesData | undefined>(merged.length);
    let next = 0;
    // Several series in flight so chunk reads overlap (each chunk is one positional file read).
    const worker = async (): Promise<void> => {
      while (next < merged.length) {
        const i = next++;
        checkAborted(signal);
        const { ts, vs } = await mergedSamples(merged[i]!, hints.startMs, hints.endMs);
        if (ts.length > 0) got[i] = { labels: merged[i]!.labels, ts, vs };
      }
    };
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, merged.length) }, worker));
    return got.filter((s): s is SeriesData => s !== undefined);
  }

  async series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<Labels[]> {
    const byKey = new Map<string, Labels>();
    for (const ms of matcherSets) {
      checkAborted(signal);
      for (const s of await selectMerged(this.blocks, ms, startMs, endMs)) byKey.set(JSON.stringify(s.labels), s.labels);
    }
    return [...byKey.values()].sort(compareLabels);
  }

  async labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    const names = new Set<string>();
    if (matcherSets.length === 0) {
      for (const b of this.blocks) if (b.overlaps(startMs, endMs)) for (const n of b.labelNames()) names.add(n);
    } else {
      for (const ls of await this.series(matcherSets, startMs, endMs, signal)) for (const l of ls) names.add(l.name);
    }
    return sortUtf8(names);
  }

  async labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    const values = new Set<string>();
    if (matcherSets.length === 0) {
      for (const b of this.blocks) if (b.overlaps(startMs, endMs)) for (const v of b.labelValues(name)) values.add(v);
    } else {
      for (const ls of await this.series(matcherSets, startMs, endMs, signal)) for (const l of ls) if (l.name === name) values.add(l.value);
    }
    values.delete('');
    return sortUtf8(values);
  }

  /** Closes the readers opened by `open` (no-op for `fromReaders`). */
  async close(): Promise<void> {
    if (this.owned) await Promise.all(this.blocks.map((b) => b.close()));
  }
}

function sortUtf8(s: Set<string>): string[] {
  return [...s].sort(compareUtf8);
}
