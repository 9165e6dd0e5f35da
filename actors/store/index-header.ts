import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32c } from '../shared/tsdb/bytes/crc32c.js';
import { corrupt } from '../shared/tsdb/bytes/errors.js';
import { ByteReader } from '../shared/tsdb/bytes/reader.js';
import type { ByteSource } from '../shared/tsdb/bytes/source.js';
import { ByteWriter } from '../shared/tsdb/bytes/writer.js';

/** Magic of our on-disk index-header file (not Thanos's binary format; never uploaded). */
export const INDEX_HEADER_MAGIC = 0xa7a1de01;
const VERSION = 1;

/** One byte range of the remote index kept locally. */
export interface HeaderRange { readonly offset: number; readonly bytes: Uint8Array }

/**
 * The parts of a remote index that opening an IndexReader reads (header, TOC, symbol table,
 * postings offset table), kept as a file `<data-dir>/<block>/index-header` so a restart opens the
 * block without reading them from the bucket again. Format (big-endian): magic u32 · version u8 ·
 * index size u64 · range count u32 · per range (offset u64 · length u32 · bytes) · CRC32C u32 of
 * everything before. Written to a temp file and renamed into place.
 */
export async function writeIndexHeader(path: string, indexSize: number, ranges: readonly HeaderRange[]): Promise<void> {
  const w = new ByteWriter(64 + ranges.reduce((a, r) => a + r.bytes.length + 12, 0));
  w.be32(INDEX_HEADER_MAGIC);
  w.u8(VERSION);
  w.be64(indexSize);
  w.be32(ranges.length);
  for (const r of ranges) { w.be64(r.offset); w.be32(r.bytes.length); w.bytes(r.bytes); }
  w.be32(crc32c(w.finish()));
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, w.finish());
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Reads an index-header file; undefined when absent; CorruptError when damaged or for another index size. */
export async function readIndexHeader(path: string, indexSize: number): Promise<HeaderRange[] | undefined> {
  let buf: Uint8Array;
  try { buf = await readFile(path); } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
  const r = new ByteReader(buf, path);
  if (buf.length < 21 || r.be32() !== INDEX_HEADER_MAGIC || r.u8() !== VERSION) throw corrupt(path, 0, 'reading index-header: bad magic or version');
  const crcAt = buf.length - 4;
  if (crc32c(buf.subarray(0, crcAt)) !== new ByteReader(buf, path, 0, crcAt).be32()) throw corrupt(path, crcAt, 'reading index-header: crc32c mismatch');
  if (r.be64() !== indexSize) throw corrupt(path, 5, 'reading index-header: written for an index of another size');
  const n = r.be32();
  const out: HeaderRange[] = [];
  for (let i = 0; i < n; i++) {
    const offset = r.be64(), len = r.be32();
    if (r.pos + len > crcAt || offset + len > indexSize) throw corrupt(path, r.pos, 'reading index-header: range past the end');
    out.push({ offset, bytes: buf.subarray(r.pos, r.pos + len) });
    r.skip(len);
  }
  return out;
}

/**
 * A ByteSource over a remote index that answers reads from `local` ranges when a read falls inside
 * one, and records every remote read while `recording` (to build the header). `release()` drops the
 * local ranges and stops recording (after the IndexReader has opened, every later read is remote).
 */
export class HeaderSource implements ByteSource {
  private local: readonly HeaderRange[];
  private recorded: HeaderRange[] | undefined = [];
  remoteReads = 0;

  constructor(private readonly remote: ByteSource, local: readonly HeaderRange[] = []) { this.local = local; }

  get name(): string { return this.remote.name; }
  get size(): number { return this.remote.size; }

  async read(offset: number, length: number): Promise<Uint8Array> {
    for (const r of this.local) {
      if (offset >= r.offset && offset + length <= r.offset + r.bytes.length) return r.bytes.subarray(offset - r.offset, offset - r.offset + length);
    }
    const b = await this.remote.read(offset, length);
    this.remoteReads++;
    this.recorded?.push({ offset, bytes: b });
    return b;
  }

  /** The remote reads made since construction (undefined after release). */
  get reads(): readonly HeaderRange[] | undefined { return this.recorded; }

  release(): void { this.local = []; this.recorded = undefined; }

  close(): Promise<void> { return this.remote.close(); }
}
