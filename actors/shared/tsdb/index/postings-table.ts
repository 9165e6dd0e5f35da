import { isUtf8 } from 'node:buffer';
import type { ByteReader } from '../bytes/reader.js';
import { corruptIndex } from './errors.js';

/** The values of one label name and the file offsets of their postings lists (same order). */
export interface NameEntry {
  /** Sorted by UTF-8 bytes, unique. */
  readonly values: string[];
  /** Absolute file offset of each value's postings list (its `len` field). */
  readonly offsets: number[];
}

/** Postings offset table, decoded: label name → values and offsets; name order kept. */
export interface PostingsTable {
  readonly names: Map<string, NameEntry>;
  /** All postings offsets ascending, then the end bound; used to read a list in one request. */
  readonly bounds: Float64Array;
}

/**
 * Decodes the postings offset table content: `count BE32 | count × (uvarint 2, name, value,
 * uvarint64 offset)`. Checks the count against the bytes before allocating, UTF-8 validity,
 * strictly increasing (name, value) byte order, and that each offset leaves room for a list
 * before `limit` (the offset of the table itself).
 */
export function decodePostingsTable(r: ByteReader, limit: number): PostingsTable {
  const countAt = r.offset;
  const count = r.be32();
  if (count > r.remaining / 4) throw corruptIndex(r.file, countAt, `reading postings table: count ${count} too large for ${r.remaining} bytes`);
  const names = new Map<string, NameEntry>();
  const bounds = new Float64Array(count + 1);
  const buf = Buffer.from(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
  let prevName: Buffer | undefined, prevValue: Buffer | undefined;
  let entry: NameEntry | undefined;
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const keys = r.uvarint();
    if (keys !== 2) throw corruptIndex(r.file, at, `reading postings table entry ${i}: ${keys} keys, want 2`);
    const nameLen = r.uvarint(); r.need(nameLen, 'label name');
    const name = buf.subarray(r.pos, r.pos + nameLen); r.pos += nameLen;
    const valueLen = r.uvarint(); r.need(valueLen, 'label value');
    const value = buf.subarray(r.pos, r.pos + valueLen); r.pos += valueLen;
    const offAt = r.offset;
    const off = r.uvarint();
    if (off + 8 > limit) throw corruptIndex(r.file, offAt, `reading postings table entry ${i}: postings offset ${off} past ${limit}`);
    const sameName = prevName !== undefined && Buffer.compare(name, prevName) === 0;
    const order = prevName === undefined ? 1 : sameName ? Buffer.compare(value, prevValue!) : Buffer.compare(name, prevName);
    if (order <= 0) throw corruptIndex(r.file, at, `reading postings table entry ${i}: entries not strictly sorted`);
    if (!sameName) {
      if (!isUtf8(name)) throw corruptIndex(r.file, at, `reading postings table entry ${i}: invalid utf-8 in name`);
      entry = { values: [], offsets: [] };
      names.set(buf.toString('utf8', name.byteOffset - buf.byteOffset, name.byteOffset - buf.byteOffset + nameLen), entry);
    }
    if (!isUtf8(value)) throw corruptIndex(r.file, at, `reading postings table entry ${i}: invalid utf-8 in value`);
    entry!.values.push(buf.toString('utf8', value.byteOffset - buf.byteOffset, value.byteOffset - buf.byteOffset + valueLen));
    entry!.offsets.push(off);
    bounds[i] = off;
    prevName = name; prevValue = value;
  }
  if (r.remaining !== 0) throw corruptIndex(r.file, r.offset, `reading postings table: ${r.remaining} trailing bytes`);
  bounds[count] = limit;
  bounds.sort();
  return { names, bounds };
}

/** The smallest bound above `off` (where the list at `off` must end), or undefined. */
export function nextBound(bounds: Float64Array, off: number): number | undefined {
  let lo = 0, hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! <= off) lo = mid + 1; else hi = mid;
  }
  return lo < bounds.length ? bounds[lo] : undefined;
}
