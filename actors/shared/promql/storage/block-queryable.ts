import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareLabels, compareUtf8, type Labels } from '../../labels/labels.js';
import type { Matcher } from '../../labels/matcher.js';
import { openBlocks, selectMerged, type MergedSeries } from '../../tsdb/block/dump.js';
import { BlockError } from '../../tsdb/block/errors.js';
import { BlockReader, type SelectedChunk, type SeriesSamples } from '../../tsdb/block/reader.js';
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

/**
 * Stored bytes of every chunk of the selected series, fetched per block with coalesced reads (a few
 * large reads per segment instead of one per chunk). Chunks of parts that do not name their block
 * are read one by one.
 */
async function fetchChunks(merged: readonly MergedSeries[]): Promise<Map<SelectedChunk, StoredChunk>> {
  const byBlock = new Map<BlockReader, SelectedChunk[]>();
  const loose: SelectedChunk[] = [];
  for (const s of merged) {
    for (const p of s.parts) {
      if (p.block === undefined) { loose.push(...p.chunks); continue; }
      let l = byBlock.get(p.block);
      if (l === undefined) byBlock.set(p.block, l = []);
      for (const c of p.chunks) l.push(c);
    }
  }
  const got = new Map<SelectedChunk, StoredChunk>();
  await Promise.all([
    ...[...byBlock].map(async ([b, cs]) => {
      const stored = await b.readChunks(cs);
      for (let i = 0; i < cs.length; i++) got.set(cs[i]!, stored[i]!);
    }),
    ...loose.map(async (c) => { got.set(c, await c.read()); }),
  ]);
  return got;
}

/**
 * Samples of a series merged over blocks, trimmed to [mint, maxt], from already fetched chunk
 * bytes. Fast path: every chunk of every part is decoded straight into one pair of arrays (blocks
 * normally do not overlap in time, and chunks within a block never do); undefined means the fast
 * path does not apply — overlapping parts, a non-XOR chunk, an implausible sample count — and the
 * block reader's general merge must be used (it also reports the typed errors).
 */
function mergedSamples(s: MergedSeries, got: ReadonlyMap<SelectedChunk, StoredChunk>, mint: number, maxt: number): SeriesSamples | undefined {
  const stored: StoredChunk[] = [];
  for (const p of s.parts) for (const c of p.chunks) stored.push(got.get(c)!);
  const all = decodeInOrder(stored);
  if (all === undefined) return undefined;
  const { ts, vs } = all;
  const lo = lowerBound(ts, mint), hi = upperBound(ts, maxt, lo);
  return { ts: ts.subarray(lo, hi), vs: vs.subarray(lo, hi) };
}

/** First index with ts[i] >= t. */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) { const m = (lo + hi) >>> 1; if (ts[m]! < t) lo = m + 1; else hi = m; }
  return lo;
}

/** First index ≥ from with ts[i] > t. */
function upperBound(ts: Float64Array, t: number, from: number): number {
  let lo = from, hi = ts.length;
  while (lo < hi) { const m = (lo + hi) >>> 1; if (ts[m]! <= t) lo = m + 1; else hi = m; }
  return lo;
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
   * the files on demand, each select's chunks in a few coalesced positional reads per segment.
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
    checkAborted(signal);
    const got = await fetchChunks(merged);
    const out: SeriesData[] = [];
    for (let i = 0; i < merged.length; i++) {
      if ((i & 255) === 0) checkAborted(signal);
      const m = merged[i]!;
      const { ts, vs } = mergedSamples(m, got, hints.startMs, hints.endMs) ?? await m.samples();
      if (ts.length > 0) out.push({ labels: m.labels, ts, vs });
    }
    return out;
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
