import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/**
 * Below this many bytes the table-driven JavaScript CRC is faster than a call into the native one
 * (whose fixed cost per call dominates for chunk-sized inputs of a few hundred bytes).
 */
const NATIVE_FROM_BYTES = 320;

/** Slicing-by-8 tables for the reflected Castagnoli polynomial 0x82F63B78 (8 × 256 entries). */
const TABLE = (() => {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) { const p = t[(s - 1) * 256 + i]!; t[s * 256 + i] = (p >>> 8) ^ t[p & 255]!; }
  }
  return t;
})();

/** CRC-32C of `buf[start..end)` continuing from `previous`, in JavaScript (no view allocated). */
function crc32cTable(buf: Uint8Array, start: number, end: number, previous: number): number {
  const t = TABLE;
  let c = ~previous;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    c = t[1792 + (c & 255)]! ^ t[1536 + ((c >>> 8) & 255)]! ^ t[1280 + ((c >>> 16) & 255)]! ^ t[1024 + (c >>> 24)]!
      ^ t[768 + buf[i + 4]!]! ^ t[512 + buf[i + 5]!]! ^ t[256 + buf[i + 6]!]! ^ t[buf[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32C (Castagnoli), as every TSDB file stores it (big-endian u32). `crc32c(b, crc32c(a))`
 * equals `crc32c(a ++ b)`, so a checksum can be built piecewise. Result is an unsigned 32-bit number.
 */
export function crc32c(bytes: Uint8Array, previous?: number): number {
  if (bytes.length < NATIVE_FROM_BYTES) return crc32cTable(bytes, 0, bytes.length, previous ?? 0);
  return nativeCrc32c(bytes, previous ?? 0) >>> 0;
}

/** CRC-32C of `buf[start..end)` (caller guarantees bounds); small ranges need no subarray view. */
export function crc32cRange(buf: Uint8Array, start: number, end: number): number {
  if (end - start < NATIVE_FROM_BYTES) return crc32cTable(buf, start, end, 0);
  return nativeCrc32c(buf.subarray(start, end), 0) >>> 0;
}

/** Reads the big-endian CRC stored at `buf[at..at+4)` (caller guarantees bounds). */
export function storedCrc(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
