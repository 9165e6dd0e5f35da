import type { BucketReader } from '../shared/objstore/bucket.js';
import { checkRange, type ByteSource } from '../shared/tsdb/bytes/source.js';
import { corrupt } from '../shared/tsdb/bytes/errors.js';

/** Called after every ranged read with the bytes actually fetched (for per-request accounting). */
export type FetchObserver = (object: string, bytes: number) => void;

/**
 * `src` with every read reported to `observe` (after it completed): how a request accounts the bytes
 * it makes shared readers fetch, passed down explicitly (no async context tracking, whose promise
 * hooks cost every promise in the process). An observer may throw (a limit): the read then rejects
 * with that error.
 */
export function countingSource(src: ByteSource, observe: FetchObserver): ByteSource {
  return {
    name: src.name,
    size: src.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = await src.read(offset, length);
      observe(src.name, out.length);
      return out;
    },
    close: () => src.close(),
  };
}

/**
 * A ByteSource over one bucket object: every `read` is one `getRange` on the object, so an
 * IndexReader or ChunkSegmentReader over it reads a remote block by range and never downloads the
 * whole file. `size` comes from meta.json (`thanos.files`) or `attributes`. A short answer from the
 * bucket (the object is smaller than `size` says) is a CorruptError naming the object and offset.
 * `close` only marks the source closed (a bucket has no per-object handle).
 */
export function bucketSource(bucket: BucketReader, name: string, size: number, observe?: FetchObserver): ByteSource {
  let closed = false;
  return {
    name,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (closed) throw new Error(`reading ${name}: source closed`);
      checkRange(name, size, offset, length);
      if (length === 0) return new Uint8Array(0);
      const out = await bucket.getRange(name, offset, length);
      observe?.(name, out.length);
      if (out.length !== length) throw corrupt(name, offset + out.length, `object shorter than its recorded size ${size} while reading ${length} bytes`);
      return out;
    },
    async close(): Promise<void> { closed = true; },
  };
}
