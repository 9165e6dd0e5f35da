/**
 * A growable big-endian/varint byte buffer. Writes append at `length`; `finish()` returns a view of
 * the bytes written so far (valid until the next write), `copy()` a fresh copy. Varint encodings
 * match Go `encoding/binary`. Number inputs must be integers within ±(2^53-1); use the `…Big`
 * variants for full 64-bit values (they take the value modulo 2^64, two's complement).
 */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1024) { this.buf = new Uint8Array(Math.max(16, initialCapacity)); }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void { this.reserve(1); this.buf[this.length++] = v & 0xff; }

  be16(v: number): void {
    this.reserve(2);
    const b = this.buf, p = this.length;
    b[p] = (v >>> 8) & 0xff; b[p + 1] = v & 0xff;
    this.length = p + 2;
  }

  be32(v: number): void { this.reserve(4); this.putBe32(this.length, v); this.length += 4; }

  /** Overwrites 4 bytes at `pos` (< length) with big-endian `v` — for back-patching lengths/CRCs. */
  putBe32(pos: number, v: number): void {
    const b = this.buf;
    b[pos] = (v >>> 24) & 0xff; b[pos + 1] = (v >>> 16) & 0xff; b[pos + 2] = (v >>> 8) & 0xff; b[pos + 3] = v & 0xff;
  }

  be64(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`be64 value out of range: ${v}`);
    this.be32(Math.floor(v / 0x1_0000_0000));
    this.be32(v >>> 0);
  }

  be64Big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.be32(Number(u >> 32n));
    this.be32(Number(u & 0xffff_ffffn));
  }

  uvarint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`uvarint value out of range: ${v}`);
    this.reserve(8);
    const b = this.buf;
    let p = this.length;
    while (v >= 0x80) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.length = p;
  }

  uvarintBig(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.reserve(10);
    while (u >= 0x80n) { this.buf[this.length++] = Number(u & 0x7fn) | 0x80; u >>= 7n; }
    this.buf[this.length++] = Number(u);
  }

  /** Zig-zag varint. */
  varint(v: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`varint value out of range: ${v}`);
    if (v >= -(2 ** 52) && v < 2 ** 52) this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
    else this.varintBig(BigInt(v));
  }

  varintBig(v: bigint): void {
    const s = BigInt.asIntN(64, v);
    this.uvarintBig(s >= 0n ? s << 1n : ((-s) << 1n) - 1n);
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** `uvarint byteLength | UTF-8 bytes`. */
  uvarintString(s: string): void {
    const enc = Buffer.from(s, 'utf8');
    this.uvarint(enc.length);
    this.bytes(enc);
  }

  /** Appends zero bytes until `length` is a multiple of `n`. */
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  /** View of bytes `[from, to)` written so far. */
  view(from = 0, to = this.length): Uint8Array { return this.buf.subarray(from, to); }

  /** View of everything written; invalidated by the next write. */
  finish(): Uint8Array { return this.buf.subarray(0, this.length); }

  /** A copy of everything written. */
  copy(): Uint8Array { return this.buf.slice(0, this.length); }

  /** Forgets the content, keeps the capacity. */
  reset(): void { this.length = 0; }
}
