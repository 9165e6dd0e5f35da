import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../../labels/labels.js';
import type { MatcherSpec } from '../../labels/matcher.js';
import { fileSource, type ByteSource } from '../bytes/source.js';
import { Encoding, encodingName } from '../chunkenc/encoding.js';
import { decodeXor } from '../chunkenc/xor-decoder.js';
import { ChunkSegmentReader } from '../chunks/segment-reader.js';
import { refOffset, refSegment, type ChunkRef, type StoredChunk } from '../chunks/format.js';
import { IndexReader } from '../index/reader.js';
import type { ChunkMeta } from '../index/series.js';
import { readMetaFile } from '../meta/files.js';
import type { BlockMeta } from '../meta/types.js';
import { BlockError } from './errors.js';

/** One chunk of a selected series; `read()` fetches and CRC-checks its stored bytes. */
export interface SelectedChunk extends ChunkMeta {
  read(): Promise<StoredChunk>;
}

/** Samples of one series: parallel arrays, timestamps increasing, values bit-exact (stale NaNs kept). */
export interface SeriesSamples {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

/**
 * A series selected from a block: labels, the chunks overlapping the query's closed interval
 * [mint, maxt] in time order, and `samples()` which decodes them (XOR only) and keeps the samples
 * inside [mint, maxt], as Prometheus's block querier trims them.
 */
export interface SelectedSeries {
  readonly labels: Labels;
  readonly chunks: readonly SelectedChunk[];
  /** The block the series was selected from, when it is a local BlockReader (for batched `readChunks`). */
  readonly block?: BlockReader;
  samples(): Promise<SeriesSamples>;
}

/** The parts of a block as random-access sources, so a block can be read remotely (ranged reads). */
export interface BlockSources {
  readonly meta: BlockMeta;
  readonly index: ByteSource;
  /** Chunk segment files in sorted name order (000001 first). */
  readonly segments: readonly ByteSource[];
}

/**
 * Read access to one block: label names/values and `select(matchers, mint, maxt)` → series sorted
 * by label set (index order) with their chunks. Opening reads meta.json, the index's TOC, symbols and
 * postings offset table, and each segment header; chunks and series are fetched on demand.
 *
 * Errors: a missing index or chunks directory is a BlockError naming the path; a missing or invalid
 * meta.json a MetaError; corrupt index bytes a CorruptIndexError; corrupt chunk bytes a CorruptError
 * (file and offset in `data`).
 */
export class BlockReader {
  private constructor(readonly meta: BlockMeta, readonly index: IndexReader, readonly chunks: ChunkSegmentReader, readonly name: string) {}

  /** Opens a block directory from local disk. */
  static async open(dir: string): Promise<BlockReader> {
    const meta = await readMetaFile(dir);
    const indexPath = join(dir, 'index');
    await mustExist(indexPath, 'file');
    await mustExist(join(dir, 'chunks'), 'directory');
    const index = await fileSource(indexPath);
    try {
      const chunks = await ChunkSegmentReader.openDir(join(dir, 'chunks'));
      return await BlockReader.build(meta, index, chunks, dir);
    } catch (err) {
      await index.close();
      throw err;
    }
  }

  /** Opens a block from sources (e.g. ranged object-storage reads). The sources are closed by close(). */
  static async fromSources(src: BlockSources): Promise<BlockReader> {
    const chunks = await ChunkSegmentReader.open(src.segments);
    return BlockReader.build(src.meta, src.index, chunks, src.meta.ulid);
  }

  private static async build(meta: BlockMeta, index: ByteSource, chunks: ChunkSegmentReader, name: string): Promise<BlockReader> {
    try {
      return new BlockReader(meta, await IndexReader.open(index), chunks, name);
    } catch (err) {
      await chunks.close();
      throw err;
    }
  }

  /** Label names in UTF-8 byte order. */
  labelNames(): string[] { return this.index.labelNames(); }

  /** Values of a label in UTF-8 byte order (empty when the name is unknown). */
  labelValues(name: string): readonly string[] { return this.index.labelValues(name); }

  /** Whether the block's [minTime, maxTime) overlaps the closed interval [mint, maxt]. */
  overlaps(mint: number, maxt: number): boolean { return this.meta.minTime <= maxt && mint < this.meta.maxTime; }

  /**
   * Series matching every matcher (Prometheus postings semantics; no matchers select nothing), sorted
   * by label set, with the chunks overlapping [mint, maxt]; series left without chunks are dropped.
   */
  async select(matchers: readonly MatcherSpec[], mint = -Number.MAX_SAFE_INTEGER, maxt = Number.MAX_SAFE_INTEGER): Promise<SelectedSeries[]> {
    const postings = await this.index.postingsForMatchers(matchers);
    const entries = await this.index.seriesMany(postings);
    const out: SelectedSeries[] = [];
    for (const e of entries) {
      const chunks = e.chunks.filter((c) => c.maxt >= mint && c.mint <= maxt).map((c) => this.selectedChunk(c));
      if (chunks.length === 0) continue;
      out.push({ labels: e.labels, chunks, block: this, samples: () => this.samples(chunks, mint, maxt) });
    }
    return out;
  }

  private selectedChunk(c: ChunkMeta): SelectedChunk {
    return new BlockChunk(c.mint, c.maxt, c.ref, this.chunks);
  }

  /**
   * Reads and CRC-checks the stored bytes of many chunks of this block (e.g. of every series of one
   * select) with coalesced reads; `result[i]` belongs to `chunks[i]`. Errors as `SelectedChunk.read()`.
   */
  readChunks(chunks: readonly Pick<ChunkMeta, 'ref'>[]): Promise<StoredChunk[]> {
    return this.chunks.chunks(chunks.map((c) => c.ref));
  }

  private async samples(chunks: readonly SelectedChunk[], mint: number, maxt: number): Promise<SeriesSamples> {
    const stored = await this.readChunks(chunks);
    const parts = chunks.map((c, i) => {
      const sc = stored[i]!;
      if (sc.encoding !== Encoding.XOR) {
        throw new BlockError(`decoding chunk of block ${this.name}: encoding ${encodingName(sc.encoding)} has no float samples`, {
          data: { block: this.name, segment: refSegment(c.ref), offset: refOffset(c.ref) },
        });
      }
      return decodeXor(sc.data, { file: `${this.name} chunks segment ${refSegment(c.ref)}`, offset: refOffset(c.ref) });
    });
    let n = 0;
    for (const p of parts) for (let i = 0; i < p.ts.length; i++) if (p.ts[i]! >= mint && p.ts[i]! <= maxt) n++;
    const ts = new Float64Array(n), vs = new Float64Array(n);
    let k = 0;
    for (const p of parts) {
      for (let i = 0; i < p.ts.length; i++) {
        const t = p.ts[i]!;
        if (t < mint || t > maxt) continue;
        ts[k] = t; vs[k] = p.vs[i]!; k++;
      }
    }
    return { ts, vs };
  }

  async close(): Promise<void> {
    await Promise.all([this.chunks.close(), this.index.source.close()]);
  }
}

/** A selected chunk of a local block (a class, so selecting thousands of chunks allocates no closures). */
class BlockChunk implements SelectedChunk {
  constructor(readonly mint: number, readonly maxt: number, readonly ref: ChunkRef, private readonly segments: ChunkSegmentReader) {}
  read(): Promise<StoredChunk> { return this.segments.chunk(this.ref); }
}

async function mustExist(path: string, kind: 'file' | 'directory'): Promise<void> {
  try {
    const st = await stat(path);
    if (kind === 'file' ? st.isFile() : st.isDirectory()) return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  throw new BlockError(`opening block: ${path} is missing or not a ${kind}`, { data: { file: path } });
}
