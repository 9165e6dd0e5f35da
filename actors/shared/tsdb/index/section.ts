import { ByteReader } from '../bytes/reader.js';
import type { ByteSource } from '../bytes/source.js';
import { crc32c, storedCrc } from '../bytes/crc32c.js';
import { corruptIndex } from './errors.js';

function be32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

/**
 * Reads a `len BE32 | content | CRC32C` section at `offset`, checks that it lies inside the source
 * before reading it, verifies the CRC and returns a reader over `content` (absolute offsets).
 * `end`, when known, is where the section must end at the latest (the next section's offset): the
 * section is then fetched in one read, and a length running past `end` is corruption.
 */
export async function readSection(src: ByteSource, offset: number, what: string, end?: number): Promise<ByteReader> {
  const limit = end !== undefined && end <= src.size ? end : src.size;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + 8 > limit) {
    throw corruptIndex(src.name, offset, `reading ${what}: offset outside ${end === undefined ? 'the file' : 'its section'} (size ${src.size})`);
  }
  let buf: Uint8Array | undefined;
  if (end !== undefined) buf = await src.read(offset, limit - offset);
  const len = be32(buf ?? await src.read(offset, 4), 0);
  if (offset + 8 + len > limit) {
    throw corruptIndex(src.name, offset, `reading ${what}: length ${len} runs past end of ${end === undefined ? `file (size ${src.size})` : `section at ${limit}`}`);
  }
  buf ??= await src.read(offset, 8 + len);
  return checkedContent(buf, src.name, offset, len, what);
}

/** Verifies the CRC of a section already in memory (`buf` starts at its length field). */
export function checkedContent(buf: Uint8Array, file: string, offset: number, len: number, what: string): ByteReader {
  return crcChecked(buf, 4, len, file, offset + 4, what);
}

/**
 * Verifies that `buf[start, start+len)` is followed by its CRC32C and returns a reader over it;
 * `absStart` is the absolute file offset of `buf[start]`. Caller guarantees `start+len+4 <= buf.length`.
 */
export function crcChecked(buf: Uint8Array, start: number, len: number, file: string, absStart: number, what: string): ByteReader {
  const content = buf.subarray(start, start + len);
  if (crc32c(content) !== storedCrc(buf, start + len)) {
    throw corruptIndex(file, absStart + len, `reading ${what}: crc32c mismatch`);
  }
  return new ByteReader(content, file, absStart);
}
