import { corrupt } from '../shared/tsdb/bytes/errors.js';
import type { ByteSource } from '../shared/tsdb/bytes/source.js';
import { refOffset, refSegment, SEGMENT_HEADER_SIZE, type StoredChunk } from '../shared/tsdb/chunks/format.js';
import { parseChunkRecord } from '../shared/tsdb/chunks/record.js';
import { DEFAULT_MAX_GAP, partitionRanges } from './partitioner.js';

/** Thanos's default estimate of a chunk record's size when meta.json has no `chunk_max_size`. */
export const DEFAULT_CHUNK_SIZE_ESTIMATE = 16_000;

export interface ChunkFetchOptions {
  /** Bytes read per chunk before its length is known (record size estimate). */
  readonly sizeEstimate?: number;
  readonly maxGap?: number;
  /** Called once per chunk whose record was longer than the estimate and had to be read again. */
  readonly onRefetch?: () => void;
}

/**
 * Reads many chunks of one block by ref with as few ranged reads as the gap partitioner allows:
 * per segment, each chunk becomes the range [offset, offset + size) (clipped to the segment), the
 * size being its exact record size when known (`sizeHints[i]` > 0 for `refs[i]`: the distance to the
 * series' next chunk in the same segment) and the estimate otherwise;
 * ranges closer than `maxGap` are merged into one read, reads run concurrently, and every record is
 * parsed in place (length, encoding, data, CRC32C checked). A record longer than the estimate that
 * runs past its part is re-read exactly. Returns the chunks in the order of `refs` (a ref listed
 * twice is read once per listing); data are views of read buffers.
 * Corrupt bytes → CorruptError naming the segment object and the absolute offset.
 */
export async function fetchChunks(segments: readonly ByteSource[], refs: readonly number[], o: ChunkFetchOptions = {},
  sizeHints?: ArrayLike<number>): Promise<StoredChunk[]> {
  const est = Math.max(16, o.sizeEstimate ?? DEFAULT_CHUNK_SIZE_ESTIMATE);
  // Positions in `refs` per segment (almost always one segment).
  const bySeg = new Map<number, number[]>();
  for (let i = 0; i < refs.length; i++) {
    const s = refSegment(refs[i]!);
    let l = bySeg.get(s);
    if (l === undefined) bySeg.set(s, (l = []));
    l.push(i);
  }
  const out: StoredChunk[] = new Array(refs.length);
  await Promise.all([...bySeg].map(async ([seg, at]) => {
    const src = segments[seg];
    if (src === undefined) throw corrupt(segments[0]?.name ?? '<chunks>', refOffset(refs[at[0]!]!), `chunk ref segment index ${seg} out of range (${segments.length} segments)`);
    const ranges = at.map((i) => {
      const off = refOffset(refs[i]!);
      if (off < SEGMENT_HEADER_SIZE || off >= src.size) throw corrupt(src.name, off, `chunk ref offset outside segment (size ${src.size})`);
      const hint = sizeHints?.[i] ?? 0;
      return { start: off, end: Math.min(src.size, off + (hint > 0 ? hint : est)) };
    });
    await Promise.all(partitionRanges(ranges, o.maxGap ?? DEFAULT_MAX_GAP).map(async (part) => {
      const buf = await src.read(part.start, part.end - part.start);
      for (const k of part.elems) {
        const rel = ranges[k]!.start - part.start;
        // In the buffer (the common case): parsed synchronously; else re-read exactly.
        out[at[k]!] = parseInBuffer(src, buf, rel, part.start) ?? await parseAt(src, buf, rel, part.start, o);
      }
    }));
  }));
  return out;
}

/** The record at `buf[rel]` when it lies wholly in `buf`; undefined when it must be re-read. */
function parseInBuffer(src: ByteSource, buf: Uint8Array, rel: number, base: number): StoredChunk | undefined {
  const total = recordLength(buf, rel);
  if (total === undefined || rel + total > buf.length) return undefined;
  return parseChunkRecord(buf, rel, src.name, base, src.size);
}

async function parseAt(src: ByteSource, buf: Uint8Array, rel: number, base: number, o: ChunkFetchOptions): Promise<StoredChunk> {
  const total = recordLength(buf, rel);
  if (total === undefined || rel + total > buf.length) {
    if (base + buf.length < src.size) {
      // Longer than the estimate: read exactly what the length field says (or enough to learn it).
      const off = base + rel;
      const want = total ?? 16;
      if (off + want > src.size) throw corrupt(src.name, off, `chunk length runs past end of segment (size ${src.size})`);
      o.onRefetch?.();
      const again = await src.read(off, want);
      if (total === undefined) return parseAt(src, again, 0, off, o);
      return parseChunkRecord(again, 0, src.name, off, src.size);
    }
  }
  return parseChunkRecord(buf, rel, src.name, base, src.size);
}

/** Record length (len field + encoding + data + CRC) from the uvarint at `buf[at]`, if readable. */
function recordLength(buf: Uint8Array, at: number): number | undefined {
  let x = 0, mul = 1;
  for (let i = 0; i < 5 && at + i < buf.length; i++) {
    const c = buf[at + i]!;
    x += (c & 0x7f) * mul;
    if (c < 0x80) return i + 1 + 1 + x + 4;
    mul *= 128;
  }
  return undefined;
}
