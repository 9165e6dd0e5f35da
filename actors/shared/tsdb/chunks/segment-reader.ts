import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { corrupt } from '../bytes/errors.js';
import { fileSource, type ByteSource } from '../bytes/source.js';
import { refOffset, refSegment, SEGMENT_HEADER_SIZE, type ChunkRef, type StoredChunk } from './format.js';
import { checkSegmentHeader, parseChunkRecord } from './record.js';

/** First read size for a chunk: most XOR chunks (≤ ~300 bytes) then need a single read. */
const FIRST_READ = 512;
/** Needed ranges of one segment closer than this many bytes are fetched by one read (`chunks`). */
export const COALESCE_GAP_BYTES = 32 * 1024;
/** Upper bound on one coalesced read (`chunks`); longer runs are split. */
export const MAX_COALESCED_READ = 8 * 1024 * 1024;

/**
 * Reads chunks by ref from a block's segment files, each a ByteSource (local file or ranged remote
 * reads). Segment index i is `sources[i]` — pass them in sorted file-name order, as Prometheus does.
 *
 * Guarantees: headers are validated on open; every chunk's bounds and CRC32C are checked; any
 * problem is a CorruptError naming the segment and the absolute offset; a corrupt length never causes
 * an allocation beyond the segment's real size. Safe for concurrent `chunk()` calls.
 */
export class ChunkSegmentReader {
  private constructor(private readonly sources: readonly ByteSource[]) {}

  /** Validates every segment header (one 8-byte read each). */
  static async open(sources: readonly ByteSource[]): Promise<ChunkSegmentReader> {
    await Promise.all(sources.map(async (s) => {
      const head = s.size >= SEGMENT_HEADER_SIZE ? await s.read(0, SEGMENT_HEADER_SIZE) : new Uint8Array(0);
      checkSegmentHeader(head, s.name, s.size);
    }));
    return new ChunkSegmentReader(sources);
  }

  /** Opens `<blockDir>/chunks/*` (names of digits only, sorted) as local files. */
  static async openDir(chunksDir: string): Promise<ChunkSegmentReader> {
    const names = (await readdir(chunksDir)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    const sources: ByteSource[] = [];
    try {
      for (const n of names) sources.push(await fileSource(join(chunksDir, n)));
      return await ChunkSegmentReader.open(sources);
    } catch (e) {
      await Promise.all(sources.map((s) => s.close()));
      throw e;
    }
  }

  get segments(): number { return this.sources.length; }

  /** Total bytes of all segments. */
  get size(): number { return this.sources.reduce((a, s) => a + s.size, 0); }

  /** Reads and verifies the chunk at `ref`. The data may be a view of a read buffer. */
  async chunk(ref: ChunkRef): Promise<StoredChunk> {
    const seg = refSegment(ref), off = refOffset(ref);
    const src = this.sources[seg];
    if (src === undefined) throw corrupt(this.sources[0]?.name ?? '<chunks>', off, `chunk ref segment index ${seg} out of range (${this.sources.length} segments)`);
    if (off < SEGMENT_HEADER_SIZE || off >= src.size) throw corrupt(src.name, off, `chunk ref offset outside segment (size ${src.size})`);
    const first = Math.min(FIRST_READ, src.size - off);
    let buf = await src.read(off, first);
    try {
      const r = parseChunkRecord(buf, 0, src.name, off, src.size);
      return { encoding: r.encoding, data: r.data };
    } catch (e) {
      if (first === src.size - off) throw e;
      // The record may be longer than the first read: read exactly what its length field says.
      const len = recordLength(buf);
      if (len === undefined || len <= first) throw e;
      if (off + len > src.size) throw corrupt(src.name, off, `chunk length runs past end of segment (size ${src.size})`);
      buf = await src.read(off, len);
      const r = parseChunkRecord(buf, 0, src.name, off, src.size);
      return { encoding: r.encoding, data: r.data };
    }
  }

  /**
   * Reads and verifies many chunks; `result[i]` is the chunk at `refs[i]` (duplicates allowed). Refs
   * are sorted by (segment, offset) and each segment's needed bytes are fetched in a few large reads:
   * ranges closer than COALESCE_GAP_BYTES are merged, up to MAX_COALESCED_READ per read. A chunk not
   * wholly inside its span's bytes (or an out-of-range ref) goes through `chunk()`, so the errors are
   * exactly `chunk()`'s. Data may be views of a shared read buffer.
   */
  async chunks(refs: readonly ChunkRef[]): Promise<StoredChunk[]> {
    const out = new Array<StoredChunk>(refs.length);
    const order = Array.from(refs.keys()).sort((a, b) => refs[a]! - refs[b]!);
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < order.length;) {
      const ref = refs[order[i]!]!, seg = refSegment(ref), start = refOffset(ref);
      const src = this.sources[seg];
      if (src === undefined || start < SEGMENT_HEADER_SIZE || start >= src.size) {
        const at = order[i++]!;
        jobs.push(this.chunk(ref).then((c) => { out[at] = c; }));
        continue;
      }
      let end = Math.min(start + FIRST_READ, src.size), j = i + 1;
      for (; j < order.length; j++) {
        const r = refs[order[j]!]!, off = refOffset(r);
        if (refSegment(r) !== seg || off > end + COALESCE_GAP_BYTES || off >= src.size) break;
        const e = Math.min(off + FIRST_READ, src.size);
        if (e - start > MAX_COALESCED_READ) break;
        if (e > end) end = e;
      }
      jobs.push(this.readSpan(src, start, end, refs, order.slice(i, j), out));
      i = j;
    }
    await Promise.all(jobs);
    return out;
  }

  private async readSpan(src: ByteSource, start: number, end: number, refs: readonly ChunkRef[], idx: readonly number[], out: StoredChunk[]): Promise<void> {
    const got = await src.read(start, end - start);
    // A plain Uint8Array view: slicing thousands of chunks from a Node Buffer is markedly slower.
    const buf = new Uint8Array(got.buffer, got.byteOffset, got.length);
    const retry: Promise<void>[] = [];
    for (const at of idx) {
      const ref = refs[at]!;
      try {
        const r = parseChunkRecord(buf, refOffset(ref) - start, src.name, start, src.size);
        out[at] = { encoding: r.encoding, data: r.data };
      } catch {
        // Longer than the span's bytes, or corrupt: the single-chunk path reads it exactly or reports.
        retry.push(this.chunk(ref).then((c) => { out[at] = c; }));
      }
    }
    await Promise.all(retry);
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
  }
}

/** Total record length from a buffer starting at a length field, or undefined if unreadable. */
function recordLength(buf: Uint8Array): number | undefined {
  let x = 0, mul = 1;
  for (let i = 0; i < 5 && i < buf.length; i++) {
    const c = buf[i]!;
    x += (c & 0x7f) * mul;
    if (c < 0x80) return i + 1 + 1 + x + 4;
    mul *= 128;
  }
  return undefined;
}
