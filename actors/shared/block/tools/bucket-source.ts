import type { BucketReader } from '../../objstore/bucket.js';
import { checkRange, type ByteSource } from '../../tsdb/bytes/source.js';
import { corrupt } from '../../tsdb/bytes/errors.js';

/**
 * A ByteSource over one object of a bucket: every `read` is one `getRange`. `size` is taken once
 * from `attributes` when opened. A range outside `[0, size]` is the standard CorruptError; a short
 * answer from the bucket (the object shrank) is one too. Object-store failures propagate as they are
 * (ObjstoreError, retryable per cause).
 */
export async function bucketSource(bkt: BucketReader, name: string, signal?: AbortSignal): Promise<ByteSource> {
  const size = (await bkt.attributes(name, { signal })).size;
  let closed = false;
  return {
    name, size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (closed) throw new Error(`reading ${name}: source closed`);
      checkRange(name, size, offset, length);
      if (length === 0) return new Uint8Array(0);
      const b = await bkt.getRange(name, offset, length, { signal });
      if (b.length !== length) throw corrupt(name, offset + b.length, `object shorter than its size while reading ${length} bytes`);
      return b;
    },
    async close(): Promise<void> { closed = true; },
  };
}
