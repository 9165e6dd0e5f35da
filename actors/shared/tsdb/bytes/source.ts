import { open, type FileHandle } from 'node:fs/promises';
import { corrupt } from './errors.js';
import { ByteReader } from './reader.js';

/**
 * Random access to the bytes of one file, local or remote. Implementations: `fileSource` (a local
 * file through one FileHandle), `memorySource` (a Uint8Array) and, in the store gateway, ranged
 * object-storage reads.
 *
 * Contract:
 * - `size` is the total length in bytes, fixed for the lifetime of the source.
 * - `read(offset, length)` resolves to exactly `length` bytes starting at `offset`. A range outside
 *   `[0, size]` rejects with CorruptError `TSDB_CORRUPT` (`data.file`, `data.offset`) — a length field
 *   pointing past the end of a file is corruption — and never allocates for it. The returned bytes
 *   may be a view of a shared buffer: callers must not write to them.
 * - `name` identifies the file in errors (a path or an object key).
 * - `close()` releases resources; reads after close reject. Idempotent.
 */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Throws the standard CorruptError when `[offset, offset+length)` is not inside `[0, size)`. */
export function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw corrupt(name, offset, `reading ${length} bytes past end of file (size ${size})`);
  }
}

/** A ByteSource over bytes already in memory; reads are zero-copy views. */
export function memorySource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      checkRange(name, bytes.length, offset, length);
      return bytes.subarray(offset, offset + length);
    },
    async close(): Promise<void> {},
  };
}

class FileSource implements ByteSource {
  private closed = false;
  constructor(readonly name: string, readonly size: number, private readonly fh: FileHandle) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) throw new Error(`reading ${this.name}: source closed`);
    checkRange(this.name, this.size, offset, length);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(out, done, length - done, offset + done);
      if (bytesRead === 0) throw corrupt(this.name, offset + done, 'file shorter than its size while reading');
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

/** Opens a local file as a ByteSource (one FileHandle, positional reads; safe for concurrent reads). */
export async function fileSource(path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    return new FileSource(path, st.size, fh);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Reads `[offset, offset+length)` and wraps it in a ByteReader whose errors report absolute offsets. */
export async function readerAt(src: ByteSource, offset: number, length: number): Promise<ByteReader> {
  const buf = await src.read(offset, length);
  return new ByteReader(buf, src.name, offset);
}

/** Reads the whole source (for small files and tools). */
export async function readAll(src: ByteSource): Promise<Uint8Array> {
  return src.read(0, src.size);
}
