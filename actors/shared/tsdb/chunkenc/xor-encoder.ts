import { BitWriter } from './bit-writer.js';
import { bitView, HI as HI_, LO as LO_ } from './float-bits.js';

const HI = HI_, LO = LO_;

/** Maximum samples in one chunk: the header count is a uint16. */
export const MAX_SAMPLES_PER_CHUNK = 0xffff;

const scratch = new Float64Array(1);
const scratchBits = bitView(scratch);

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
function ctz32(x: number): number { return 31 - Math.clz32(x & -x); }
function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/**
 * Gorilla/XOR chunk encoder producing exactly the bytes Prometheus 2.42 `XORChunk` produces for the
 * same appends (including the 2.x trailing zero byte, see BitWriter). Timestamps are integer ms
 * within ±(2^53−1); they should increase (Prometheus's head never appends out of order), but any order
 * encodes as Go would (negative first delta becomes a 10-byte uvarint, as Go's uint64 cast does).
 * Values are taken bit-exactly: `appendBits` from raw halves, `append` from a number (exact unless the
 * caller's number already lost a NaN payload), `appendFrom` from a Float64Array.
 */
export class XorEncoder {
  private readonly w: BitWriter;
  private n = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0xff;
  private trailing = 0;

  constructor(capacityBytes = 128) { this.w = new BitWriter(capacityBytes); this.w.bitPos = 16; }

  /** Starts a new, empty chunk, reusing the buffer. */
  reset(): void {
    this.w.reset();
    this.w.bitPos = 16;
    this.n = 0; this.t = 0; this.tDelta = 0; this.vHi = 0; this.vLo = 0;
    this.leading = 0xff; this.trailing = 0;
  }

  get numSamples(): number { return this.n; }
  /** Timestamp of the last appended sample (undefined before the first). */
  get lastT(): number | undefined { return this.n === 0 ? undefined : this.t; }
  /** Current encoded size in bytes (what `bytes().length` would return). */
  get byteLength(): number { return this.w.byteLength; }

  append(t: number, v: number): void {
    scratch[0] = v;
    this.appendBits(t, scratchBits[HI]!, scratchBits[LO]!);
  }

  /** Appends sample `i` of (ts, vs), taking the value bits from the Float64Array's storage. */
  appendFrom(ts: ArrayLike<number>, vs: Float64Array, i: number, bits = bitView(vs)): void {
    this.appendBits(ts[i]!, bits[2 * i + HI]!, bits[2 * i + LO]!);
  }

  appendBits(t: number, hi: number, lo: number): void {
    if (this.n >= MAX_SAMPLES_PER_CHUNK) throw new RangeError(`xor chunk full: ${MAX_SAMPLES_PER_CHUNK} samples`);
    if (!Number.isSafeInteger(t)) throw new RangeError(`xor timestamp must be a safe integer: ${t}`);
    const w = this.w;
    w.ensure(160);
    hi >>>= 0; lo >>>= 0;
    if (this.n === 0) {
      writeVarint(w, t);
      w.bits64(hi, lo, 64);
    } else if (this.n === 1) {
      const d = t - this.t;
      if (!Number.isSafeInteger(d)) throw new RangeError(`xor timestamp delta out of range: ${d}`);
      writeUvarint64(w, d);
      this.tDelta = d;
      this.writeValue(hi, lo);
    } else {
      const d = t - this.t;
      const dod = d - this.tDelta;
      if (!Number.isSafeInteger(dod)) throw new RangeError(`xor delta-of-delta out of range: ${dod}`);
      if (dod === 0) w.bit(0);
      else if (dod >= -8191 && dod <= 8192) { w.bits(0b10, 2); w.bits(dod & 0x3fff, 14); }
      else if (dod >= -65535 && dod <= 65536) { w.bits(0b110, 3); w.bits(dod & 0x1ffff, 17); }
      else if (dod >= -524287 && dod <= 524288) { w.bits(0b1110, 4); w.bits(dod & 0xfffff, 20); }
      else { w.bits(0b1111, 4); w.bits64(Math.floor(dod / 0x1_0000_0000) >>> 0, dod >>> 0, 64); }
      this.tDelta = d;
      this.writeValue(hi, lo);
    }
    this.t = t;
    this.vHi = hi; this.vLo = lo;
    this.n++;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const dHi = (hi ^ this.vHi) >>> 0, dLo = (lo ^ this.vLo) >>> 0;
    if (dHi === 0 && dLo === 0) { w.bit(0); return; }
    w.bit(1);
    let leading = clz64(dHi, dLo);
    const trailing = ctz64(dHi, dLo);
    if (leading >= 32) leading = 31;
    let tr: number, nbits: number;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.bit(0);
      tr = this.trailing;
      nbits = 64 - this.leading - tr;
    } else {
      this.leading = leading; this.trailing = trailing;
      w.bit(1);
      w.bits(leading, 5);
      nbits = 64 - leading - trailing;
      w.bits(nbits & 0x3f, 6);
      tr = trailing;
    }
    let sHi: number, sLo: number;
    if (tr === 0) { sHi = dHi; sLo = dLo; }
    else if (tr < 32) { sLo = ((dLo >>> tr) | (dHi << (32 - tr))) >>> 0; sHi = dHi >>> tr; }
    else { sLo = dHi >>> (tr - 32); sHi = 0; }
    w.bits64(sHi, sLo, nbits);
  }

  /** The chunk bytes (a copy): BE16 sample count, then the bit stream. */
  bytes(): Uint8Array {
    const out = this.w.bytes();
    out[0] = this.n >>> 8; out[1] = this.n & 0xff;
    return out;
  }
}

function writeUvarint64(w: BitWriter, v: number): void {
  if (v < 0) {
    // Negative deltas are written as their uint64 two's complement, as Go's uint64(t - prev) does.
    writeUvarint64Big(w, BigInt.asUintN(64, BigInt(v)));
    return;
  }
  writeUvarintNumber(w, v);
}

/** uvarint of a non-negative safe integer without BigInt. */
function writeUvarintNumber(w: BitWriter, v: number): void {
  while (v >= 0x80) {
    w.byte((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  w.byte(v);
}

function writeVarint(w: BitWriter, v: number): void {
  // Zig-zag fits a safe integer for |v| < 2^52; beyond that use BigInt.
  if (v > -(2 ** 52) && v < 2 ** 52) { writeUvarintNumber(w, v >= 0 ? v * 2 : -v * 2 - 1); return; }
  const s = BigInt(v);
  writeUvarint64Big(w, s >= 0n ? s << 1n : ((-s) << 1n) - 1n);
}

function writeUvarint64Big(w: BitWriter, u: bigint): void {
  while (u >= 0x80n) { w.byte(Number(u & 0x7fn) | 0x80); u >>= 7n; }
  w.byte(Number(u));
}

/** Encodes samples `[from, to)` of (ts, vs) into one XOR chunk; values bit-exact from `vs`. */
export function encodeXor(ts: ArrayLike<number>, vs: Float64Array, from = 0, to = ts.length): Uint8Array {
  const enc = shared;
  enc.reset();
  const bits = lastVs === vs && lastBits.length === vs.length * 2 ? lastBits : (lastVs = vs, lastBits = bitView(vs));
  for (let i = from; i < to; i++) enc.appendFrom(ts, vs, i, bits);
  return enc.bytes();
}

// encodeXor is synchronous, so one shared encoder (and the last bit view) can be reused safely.
const shared = new XorEncoder(4096);
let lastVs: Float64Array | undefined;
let lastBits: Uint32Array = new Uint32Array(0);
