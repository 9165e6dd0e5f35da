import { ByteReader } from '../bytes/reader.js';
import type { ByteWriter } from '../bytes/writer.js';
import { corrupt } from '../bytes/errors.js';
import { crc32c, crc32cRange, storedCrc } from '../bytes/crc32c.js';
import { MAX_LEN_FIELD, SEGMENT_HEADER_SIZE, SEGMENT_MAGIC, SEGMENT_VERSION, type StoredChunk } from './format.js';

/** Appends one chunk record (`len | enc | data | crc`) to `w`; returns the record's start offset in `w`. */
export function writeChunkRecord(w: ByteWriter, encoding: number, data: Uint8Array): number {
  const start = w.length;
  w.uvarint(data.length);
  const encAt = w.length;
  w.u8(encoding);
  w.bytes(data);
  w.be32(crc32c(w.view(encAt, w.length)));
  return start;
}

/** Writes the 8-byte segment header. */
export function writeSegmentHeader(w: ByteWriter): void {
  w.be32(SEGMENT_MAGIC); w.u8(SEGMENT_VERSION); w.u8(0); w.u8(0); w.u8(0);
}

/** Validates a segment header in `head` (≥ 8 bytes of the file start) or throws CorruptError. */
export function checkSegmentHeader(head: Uint8Array, file: string, fileSize: number): void {
  if (fileSize < SEGMENT_HEADER_SIZE || head.length < SEGMENT_HEADER_SIZE) throw corrupt(file, 0, `chunk segment shorter than its ${SEGMENT_HEADER_SIZE}-byte header (${fileSize} bytes)`);
  const r = new ByteReader(head, file);
  const magic = r.be32();
  if (magic !== SEGMENT_MAGIC) throw corrupt(file, 0, `invalid chunk segment magic 0x${magic.toString(16)}`);
  const version = r.u8();
  if (version !== SEGMENT_VERSION) throw corrupt(file, 4, `invalid chunk segment version ${version}`);
}

/** A parsed record: the chunk, where its record starts and where the next begins (offsets in `buf`). */
export interface ChunkRecord extends StoredChunk { readonly start: number; readonly end: number }

/**
 * Parses the record starting at `at` in `buf`, whose first byte is at file offset `base`, checking
 * bounds and CRC. `fileSize` is the segment size, for Prometheus's rule that 5 bytes must follow a
 * chunk start. Throws CorruptError with the file and absolute offset; never allocates for a length.
 */
export function parseChunkRecord(buf: Uint8Array, at: number, file: string, base = 0, fileSize = base + buf.length): ChunkRecord {
  const abs = base + at;
  if (abs + MAX_LEN_FIELD > fileSize) throw corrupt(file, abs, `chunk starts too close to end of segment (size ${fileSize})`);
  // The length uvarint inline when it ends within 4 bytes (records under 256 MiB, i.e. all real
  // ones); anything else goes through ByteReader for its exact errors.
  let len = 0, encAt = at, ended = false;
  for (let i = 0, mul = 1; i < 4 && encAt < buf.length; i++, mul *= 128) {
    const c = buf[encAt++]!;
    len += (c & 0x7f) * mul;
    if (c < 0x80) { ended = true; break; }
  }
  if (!ended) {
    const r = new ByteReader(buf, file, base, at);
    len = r.uvarint32();
    encAt = r.pos;
  }
  if (buf.length - encAt < len + 5) throw corrupt(file, abs, `chunk length ${len} runs past end of segment`);
  const encoding = buf[encAt]!;
  const data = buf.subarray(encAt + 1, encAt + 1 + len);
  const crcAt = encAt + 1 + len;
  const want = storedCrc(buf, crcAt);
  const got = crc32cRange(buf, encAt, crcAt);
  if (want !== got) {
    throw corrupt(file, abs, `chunk crc32c mismatch: stored 0x${want.toString(16)}, computed 0x${got.toString(16)}`);
  }
  return { encoding, data, start: at, end: crcAt + 4 };
}

/**
 * Scans every chunk record of a whole segment file (header checked) in file order; for tools and
 * tests. Yields records with `start` = the chunk's offset in the file (its ref offset).
 */
export function* scanSegment(bytes: Uint8Array, file: string): Generator<ChunkRecord> {
  checkSegmentHeader(bytes, file, bytes.length);
  let at = SEGMENT_HEADER_SIZE;
  while (at < bytes.length) {
    const rec = parseChunkRecord(bytes, at, file, 0, bytes.length);
    yield rec;
    at = rec.end;
  }
}
