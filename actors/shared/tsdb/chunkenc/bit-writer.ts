/**
 * A bit stream writer reproducing Prometheus 2.x `bstream` byte for byte, including its quirk:
 * whenever a write of whole bytes (a varint byte, or `writeBits` of a multiple of 8 bits ≥ 8) starts
 * on a byte boundary, the Go writer appends the following, still empty byte right away. If nothing
 * follows, that zero byte stays in the chunk (e.g. a 1-sample XOR chunk ends in one 0x00). Prometheus
 * 3.0 dropped this; 2.42 (the version we match) writes it, so `bytes()` includes it.
 */
export class BitWriter {
  buf: Uint8Array;
  /** Number of bits written. */
  bitPos = 0;
  /** Whether the Go writer would have appended an empty trailing byte at this point. */
  private tailEmpty = false;

  constructor(capacityBytes = 128) { this.buf = new Uint8Array(Math.max(16, capacityBytes)); }

  /** Ensures room for `nbits` more bits (plus slack); new bytes are zero. */
  ensure(nbits: number): void {
    const needBytes = ((this.bitPos + nbits) >>> 3) + 2;
    if (needBytes <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < needBytes) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, (this.bitPos + 7) >>> 3));
    this.buf = next;
  }

  /** Writes one bit (0 or 1). Caller must have `ensure`d room. */
  bit(b: number): void {
    if (b !== 0) this.buf[this.bitPos >>> 3]! |= 0x80 >>> (this.bitPos & 7);
    this.bitPos++;
    this.tailEmpty = false;
  }

  /** Writes the low `n` (0..32) bits of `v`, most significant first: one Go `writeBits` call. */
  bits(v: number, n: number): void {
    if (n === 0) return;
    const aligned = (this.bitPos & 7) === 0;
    this.raw(v, n);
    this.tailEmpty = aligned && n >= 8 && (n & 7) === 0;
  }

  /** Writes the low `n` (0..64) bits of the 64-bit value hi:lo: one Go `writeBits` call. */
  bits64(hi: number, lo: number, n: number): void {
    if (n === 0) return;
    const aligned = (this.bitPos & 7) === 0;
    if (n > 32) { this.raw(hi, n - 32); this.raw(lo, 32); } else this.raw(lo, n);
    this.tailEmpty = aligned && n >= 8 && (n & 7) === 0;
  }

  /** Writes one whole byte: Go `writeByte`. */
  byte(b: number): void {
    const aligned = (this.bitPos & 7) === 0;
    this.raw(b & 0xff, 8);
    this.tailEmpty = aligned;
  }

  private raw(v: number, n: number): void {
    const buf = this.buf;
    let pos = this.bitPos;
    while (n > 0) {
      const free = 8 - (pos & 7);
      const i = pos >>> 3;
      if (n >= free) {
        n -= free;
        buf[i]! |= (n >= 32 ? 0 : v >>> n) & ((1 << free) - 1);
        pos += free;
      } else {
        buf[i]! |= (v & ((1 << n) - 1)) << (free - n);
        pos += n;
        n = 0;
      }
    }
    this.bitPos = pos;
  }

  /** Empties the stream (keeps the capacity). */
  reset(): void {
    this.buf.fill(0, 0, ((this.bitPos + 7) >>> 3) + 1);
    this.bitPos = 0;
    this.tailEmpty = false;
  }

  /** Length in bytes the Go writer's stream would have now. */
  get byteLength(): number { return ((this.bitPos + 7) >>> 3) + (this.tailEmpty ? 1 : 0); }

  /** A copy of the stream bytes (Go `bstream.bytes()`). */
  bytes(): Uint8Array { return this.buf.slice(0, this.byteLength); }

  /** A view of the stream bytes; invalidated by the next write. */
  view(): Uint8Array { return this.buf.subarray(0, this.byteLength); }
}
