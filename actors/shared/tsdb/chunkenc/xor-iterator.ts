import type { CorruptError } from '../bytes/errors.js';
import { bitView, HI as HI_, LO as LO_, STALE_NAN_HI, STALE_NAN_LO } from './float-bits.js';

const HI = HI_, LO = LO_;
import { decodeXorPartial, xorNumSamples, type ChunkLocation } from './xor-decoder.js';

/**
 * Sample iterator over one XOR chunk with Prometheus's `chunkenc.Iterator` shape:
 * `next()` advances and returns false at the end or on error, `at()` / `t` / `v` give the current
 * sample, `seek(t)` advances to the first sample with timestamp ≥ t (never backwards; returns false
 * when exhausted), `err()` returns the CorruptError that stopped iteration (undefined if none).
 * Samples before a corruption point are still yielded, as Prometheus does. The chunk is decoded in
 * one pass on `reset` (fast, ≤ 65535 samples); `reset` reuses the internal buffers.
 */
export class XorIterator {
  private ts = new Float64Array(128);
  private vs = new Float64Array(128);
  private bits = bitView(this.vs);
  private n = 0;
  private i = -1;
  private error: CorruptError | undefined;

  constructor(chunk?: Uint8Array, where?: ChunkLocation) { if (chunk) this.reset(chunk, where); }

  reset(chunk: Uint8Array, where?: ChunkLocation): this {
    this.i = -1; this.n = 0; this.error = undefined;
    let want = 0;
    try { want = xorNumSamples(chunk, where); } catch (e) { this.error = e as CorruptError; return this; }
    // Never allocate more than the bytes could encode (≥ 2 bits per sample after the first).
    want = Math.min(want, 1 + Math.max(0, (chunk.length - 2) * 4));
    if (this.ts.length < want) {
      this.ts = new Float64Array(want);
      this.vs = new Float64Array(want);
      this.bits = bitView(this.vs);
    }
    const r = decodeXorPartial(chunk, this.ts, this.vs, 0, where);
    this.n = r.n; this.error = r.err;
    return this;
  }

  next(): boolean {
    if (this.i + 1 >= this.n) { this.i = this.n; return false; }
    this.i++;
    return true;
  }

  seek(t: number): boolean {
    if (this.i >= this.n) return false;
    if (this.i < 0 && !this.next()) return false;
    while (this.ts[this.i]! < t) if (!this.next()) return false;
    return true;
  }

  /** Current timestamp (ms). Valid after next()/seek() returned true. */
  get t(): number { return this.ts[this.i]!; }
  /** Current value (a number; NaN payloads are exact only as long as no arithmetic touches it). */
  get v(): number { return this.vs[this.i]!; }
  at(): { t: number; v: number } { return { t: this.ts[this.i]!, v: this.vs[this.i]! }; }
  /** True when the current value is exactly the stale marker. */
  isStale(): boolean {
    return this.bits[2 * this.i + HI] === STALE_NAN_HI && this.bits[2 * this.i + LO] === STALE_NAN_LO;
  }
  /** Raw bits of the current value: [hi, lo] (unsigned). */
  atBits(): [number, number] { return [this.bits[2 * this.i + HI]!, this.bits[2 * this.i + LO]!]; }

  err(): CorruptError | undefined { return this.i >= this.n ? this.error : undefined; }

  /** Number of samples decoded (the header count unless the chunk is corrupt). */
  get length(): number { return this.n; }
}
