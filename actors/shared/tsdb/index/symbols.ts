import { isUtf8 } from 'node:buffer';
import type { ByteReader } from '../bytes/reader.js';
import { corruptIndex } from './errors.js';

/**
 * Decodes the symbol table content (`count BE32 | count × (uvarint len, UTF-8)`), checking that
 * the count fits the bytes before allocating, that every symbol is valid UTF-8 and that symbols
 * are strictly increasing by UTF-8 bytes. In v2 a symbol ref is the position in the returned list.
 */
export function decodeSymbols(r: ByteReader): string[] {
  const countAt = r.offset;
  const count = r.be32();
  if (count > r.remaining) throw corruptIndex(r.file, countAt, `reading symbols: count ${count} exceeds ${r.remaining} bytes of table`);
  const out = new Array<string>(count);
  const buf = Buffer.from(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
  let prev: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const n = r.uvarint();
    r.need(n, 'symbol');
    const s = r.pos, e = s + n;
    const bytes = buf.subarray(s, e);
    if (!isUtf8(bytes)) throw corruptIndex(r.file, at, `reading symbol ${i}: invalid utf-8`);
    if (prev !== undefined && Buffer.compare(bytes, prev) <= 0) {
      throw corruptIndex(r.file, at, `reading symbol ${i}: symbols not strictly sorted`);
    }
    out[i] = buf.toString('utf8', s, e);
    r.pos = e;
    prev = bytes;
  }
  if (r.remaining !== 0) throw corruptIndex(r.file, r.offset, `reading symbols: ${r.remaining} trailing bytes after ${count} symbols`);
  return out;
}
