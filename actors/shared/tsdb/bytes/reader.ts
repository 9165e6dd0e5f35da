import { corrupt, type CorruptError } from './errors.js';

const TWO32 = 0x1_0000_0000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A cursor over a byte array with bounds checks. Every read past the end, every malformed varint and
 * every value that cannot be represented throws a CorruptError naming `file` and the absolute offset
 * (`base + position`), so a reader over a slice of a file (e.g. a ranged read at offset 4096) still
 * reports file offsets.
 *
 * Number contract: methods returning `number` reject values above 2^53-1 (or below -(2^53-1)) with a
 * CorruptError instead of rounding; use the `…Big` variants for the full 64-bit range. Varints follow
 * Go `encoding/binary`: at most 10 bytes, the 10th byte may only be 0 or 1; non-minimal encodings are
 * accepted as Go accepts them.
 */
export class ByteReader {
  /** Current position within `buf`. */
  pos: number;

  constructor(readonly buf: Uint8Array, readonly file: string, readonly base = 0, start = 0) {
    this.pos = start;
  }

  get length(): number { return this.buf.length; }
  get remaining(): number { return this.buf.length - this.pos; }
  /** Absolute file offset of the cursor. */
  get offset(): number { return this.base + this.pos; }

  /** A CorruptError at the current position (or at `pos`). */
  error(what: string, pos = this.pos): CorruptError { return corrupt(this.file, this.base + pos, what); }

  /** Throws unless `n` more bytes are available; `what` names the thing being read. */
  need(n: number, what = 'data'): void {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw this.error(`reading ${what}: need ${n} bytes, ${this.buf.length - this.pos} left`);
    }
  }

  seek(pos: number): void {
    if (pos < 0 || pos > this.buf.length) throw this.error(`seeking to ${pos} past end ${this.buf.length}`);
    this.pos = pos;
  }

  skip(n: number): void { this.need(n, 'skipped bytes'); this.pos += n; }

  u8(): number { this.need(1, 'u8'); return this.buf[this.pos++]!; }

  be16(): number {
    this.need(2, 'be16');
    const b = this.buf, p = this.pos; this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  be32(): number {
    this.need(4, 'be32');
    const b = this.buf, p = this.pos; this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** Big-endian u64 as a number; values above 2^53-1 are a CorruptError. */
  be64(): number {
    const at = this.pos;
    const hi = this.be32(), lo = this.be32();
    if (hi > 0x1f_ffff) throw this.error('be64 above 2^53-1', at);
    return hi * TWO32 + lo;
  }

  be64Big(): bigint {
    const hi = this.be32(), lo = this.be32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Unsigned LEB128 (Go uvarint) as a number; values above 2^53-1 are a CorruptError. */
  uvarint(): number {
    const b = this.buf, end = b.length, start = this.pos;
    let p = start, x = 0, mul = 1;
    for (let i = 0; i < 8; i++) {
      if (p >= end) throw this.error('reading uvarint: truncated', start);
      const c = b[p++]!;
      if (c < 0x80) {
        x += c * mul;
        if (x > Number.MAX_SAFE_INTEGER) throw this.error('uvarint above 2^53-1', start);
        this.pos = p;
        return x;
      }
      x += (c & 0x7f) * mul;
      mul *= 128;
    }
    // 8 continuation bytes already mean ≥ 2^56.
    const big = this.uvarintBigFrom(start);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error('uvarint above 2^53-1', start);
    return Number(big);
  }

  /** uvarint that must fit in 32 bits (symbol refs, counts). */
  uvarint32(): number {
    const start = this.pos;
    const v = this.uvarint();
    if (v > 0xffff_ffff) throw this.error('uvarint32 above 2^32-1', start);
    return v;
  }

  /** Full 64-bit uvarint. */
  uvarintBig(): bigint { return this.uvarintBigFrom(this.pos); }

  private uvarintBigFrom(start: number): bigint {
    const b = this.buf, end = b.length;
    let p = start, x = 0n, shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (p >= end) throw this.error('reading uvarint: truncated', start);
      const c = b[p++]!;
      if (c < 0x80) {
        if (i === 9 && c > 1) throw this.error('uvarint overflows 64 bits', start);
        this.pos = p;
        return x | (BigInt(c) << shift);
      }
      x |= BigInt(c & 0x7f) << shift;
      shift += 7n;
    }
    throw this.error('uvarint overflows 64 bits', start);
  }

  /** Zig-zag varint (Go varint) as a number; magnitudes above 2^53-1 are a CorruptError. */
  varint(): number {
    const start = this.pos;
    const b = this.buf;
    // Fast path: up to 7 bytes (49 bits) are exact in a double.
    let p = start, u = 0, mul = 1;
    for (let i = 0; i < 7 && p < b.length; i++) {
      const c = b[p++]!;
      if (c < 0x80) {
        u += c * mul;
        this.pos = p;
        return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
      u += (c & 0x7f) * mul;
      mul *= 128;
    }
    const v = this.varintBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.error('varint magnitude above 2^53-1', start);
    }
    return Number(v);
  }

  varintBig(): bigint {
    const u = this.uvarintBig();
    return (u & 1n) === 0n ? u >> 1n : -(u >> 1n) - 1n;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Next `n` bytes decoded as strict UTF-8 (invalid UTF-8 is a CorruptError). */
  utf8(n: number): string {
    const at = this.pos;
    const v = this.bytes(n, 'string');
    try { return utf8.decode(v); } catch { throw this.error('invalid utf-8', at); }
  }

  /** `uvarint length | UTF-8 bytes`, as the index stores names, values and symbols. */
  uvarintString(): string { return this.utf8(this.uvarint()); }
}
