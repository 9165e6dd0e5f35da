import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/**
 * CRC-32C (Castagnoli), as every TSDB file stores it (big-endian u32). `crc32c(b, crc32c(a))`
 * equals `crc32c(a ++ b)`, so a checksum can be built piecewise. Result is an unsigned 32-bit number.
 */
export function crc32c(bytes: Uint8Array, previous?: number): number {
  return nativeCrc32c(bytes, previous ?? 0) >>> 0;
}

/** Reads the big-endian CRC stored at `buf[at..at+4)` (caller guarantees bounds). */
export function storedCrc(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
