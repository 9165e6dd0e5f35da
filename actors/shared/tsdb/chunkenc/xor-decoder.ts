import { corrupt, type CorruptError } from '../bytes/errors.js';
import { bitView, HI as HI_, LO as LO_ } from './float-bits.js';

// Local copies: imported bindings can compile to getter calls under some loaders (tsx/CJS).
const HI = HI_, LO = LO_;

/** Where a chunk lives, for error messages: the file and the absolute offset of the chunk's data. */
export interface ChunkLocation {
  readonly file: string;
  readonly offset: number;
}

const PAD = 48;
const TWO32 = 0x1_0000_0000;
const MAX = Number.MAX_SAFE_INTEGER;

let words = new Int32Array(256);

/** Reads 32 bits starting at bit `p` from the big-endian word copy (padded, so no bounds checks). */
function peek32(w: Int32Array, p: number): number {
  const i = p >>> 5, o = p & 31;
  return o === 0 ? w[i]! >>> 0 : ((w[i]! << o) | (w[i + 1]! >>> (32 - o))) >>> 0;
}

/** Number of samples in an XOR chunk (its BE16 header); throws on a chunk shorter than 2 bytes. */
export function xorNumSamples(chunk: Uint8Array, where?: ChunkLocation): number {
  if (chunk.length < 2) throw fail(where, 0, 'reading xor chunk header: shorter than 2 bytes');
  return (chunk[0]! << 8) | chunk[1]!;
}

function fail(where: ChunkLocation | undefined, byteInChunk: number, what: string): CorruptError {
  return corrupt(where?.file ?? '<chunk>', (where?.offset ?? 0) + byteInChunk, what);
}

/** Result of the low-level decode: samples written, and the error that stopped it early (if any). */
export interface PartialDecode { readonly n: number; readonly err: CorruptError | undefined }

/**
 * Decodes every sample of an XOR chunk into `ts[at…]` (ms) and `vs[at…]` (bit-exact values) and
 * returns the sample count; throws CorruptError (file/offset from `where`) on malformed data. Work and
 * memory are bounded by the chunk length: a header claiming more samples than the bits could hold is
 * rejected before decoding. Trailing bytes after the last sample are ignored (2.x writers leave one).
 * The caller provides arrays with room for `xorNumSamples(chunk)` samples from `at` (else RangeError).
 */
export function decodeXorInto(chunk: Uint8Array, ts: Float64Array, vs: Float64Array, at = 0, where?: ChunkLocation): number {
  const r = decodeXorPartial(chunk, ts, vs, at, where);
  if (r.err !== undefined) throw r.err;
  return r.n;
}

/** Decodes a chunk into fresh arrays. */
export function decodeXor(chunk: Uint8Array, where?: ChunkLocation): { ts: Float64Array; vs: Float64Array } {
  const n = xorNumSamples(chunk, where);
  checkBound(chunk, n, where);
  const ts = new Float64Array(n), vs = new Float64Array(n);
  decodeXorInto(chunk, ts, vs, 0, where);
  return { ts, vs };
}

/** Throws CorruptError when a chunk's header claims more samples than its bytes can hold (before allocating for them). */
export function checkBound(chunk: Uint8Array, n: number, where?: ChunkLocation): void {
  if (n === 0) return;
  const avail = (chunk.length - 2) * 8;
  // Sample 0 needs ≥ 1 varint byte + 64 value bits; every later sample ≥ 2 bits.
  if (avail < 72 || (n - 1) * 2 > avail - 72) {
    throw fail(where, 0, `xor chunk header claims ${n} samples but only ${chunk.length} bytes follow`);
  }
}

/** Like decodeXorInto but returns the samples decoded before an error instead of throwing. */
export function decodeXorPartial(chunk: Uint8Array, ts: Float64Array, vs: Float64Array, at = 0, where?: ChunkLocation): PartialDecode {
  let n: number;
  try {
    n = xorNumSamples(chunk, where);
    checkBound(chunk, n, where);
  } catch (e) { return { n: 0, err: e as CorruptError }; }
  if (n === 0) return { n: 0, err: undefined };
  if (at < 0 || ts.length - at < n || vs.length - at < n) throw new RangeError(`decode target too small for ${n} samples`);
  const len = chunk.length;
  const b = chunk;
  // Big-endian 32-bit words of the chunk, zero padded, so bit reads need no bounds checks.
  const full = len >>> 2, nw = full + (PAD >>> 2);
  if (words.length < nw) words = new Int32Array(nw * 2);
  const W = words;
  let j = 0;
  for (let i = 0; i < full; i++, j += 4) W[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  let tail = 0;
  for (let sh = 24; j < len; j++, sh -= 8) tail |= b[j]! << sh;
  W[full] = tail;
  W.fill(0, full + 1, nw);
  const bits = bitView(vs);
  const availBits = len * 8;

  // Sample 0: varint timestamp, raw 64-bit value.
  let p = 2, u = 0, mul = 1, c = 0x80, k = 0;
  for (; k < 7 && p < len; k++) {
    c = b[p++]!;
    u += (c & 0x7f) * mul;
    mul *= 128;
    if (c < 0x80) break;
  }
  let t: number;
  if (c < 0x80) t = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  else {
    const r = bigVarint(b, 2, len, true);
    if (r === undefined) return { n: 0, err: fail(where, 2, 'xor first timestamp: bad or out-of-range varint') };
    t = r.v; p = r.p;
  }
  let pos = p * 8;
  let vHi = peek32(W, pos), vLo = peek32(W, pos + 32);
  pos += 64;
  if (pos > availBits) return { n: 0, err: fail(where, len, 'xor chunk truncated in sample 0') };
  ts[at] = t; bits[2 * at + HI] = vHi; bits[2 * at + LO] = vLo;
  if (n === 1) return { n: 1, err: undefined };

  // Sample 1: uvarint delta (byte aligned), then value.
  p = pos >>> 3;
  let tDelta: number;
  u = 0; mul = 1; c = 0x80;
  for (k = 0; k < 7 && p < len; k++) {
    c = b[p++]!;
    u += (c & 0x7f) * mul;
    mul *= 128;
    if (c < 0x80) break;
  }
  if (c < 0x80) tDelta = u;
  else {
    const r = bigVarint(b, pos >>> 3, len, false);
    if (r === undefined) return { n: 1, err: fail(where, pos >>> 3, 'xor first delta: bad or out-of-range uvarint') };
    tDelta = r.v; p = r.p;
  }
  pos = p * 8;
  let leading = 0, trailing = 0;

  for (let i = 1; i < n; i++) {
    if (i > 1) {
      const w = peek32(W, pos);
      let dod: number;
      if (w < 0x8000_0000) { dod = 0; pos += 1; }
      else if (w < 0xc000_0000) { const x = (w >>> 16) & 0x3fff; dod = x > 8192 ? x - 16384 : x; pos += 16; }
      else if (w < 0xe000_0000) { const x = (w >>> 12) & 0x1ffff; dod = x > 65536 ? x - 131072 : x; pos += 20; }
      else if (w < 0xf000_0000) { const x = (w >>> 8) & 0xfffff; dod = x > 524288 ? x - 1048576 : x; pos += 24; }
      else {
        const hi = peek32(W, pos + 4), lo = peek32(W, pos + 36);
        pos += 68;
        dod = (hi | 0) * TWO32 + lo;
      }
      tDelta += dod;
    }
    t += tDelta;
    if (t > MAX || t < -MAX) return { n: i, err: fail(where, pos >>> 3, `xor sample ${i}: timestamp out of range`) };

    const w = peek32(W, pos);
    if (w >= 0x8000_0000) {
      if (w < 0xc000_0000) pos += 2;
      else {
        leading = (w >>> 25) & 0x1f;
        let m = (w >>> 19) & 0x3f;
        if (m === 0) m = 64;
        trailing = 64 - leading - m;
        pos += 13;
        if (trailing < 0) return { n: i, err: fail(where, pos >>> 3, `xor sample ${i}: leading ${leading} + significant ${m} bits exceed 64`) };
      }
      const m = 64 - leading - trailing;
      let dHi: number, dLo: number;
      if (m <= 32) {
        const x = peek32(W, pos) >>> (32 - m);
        if (trailing >= 32) { dHi = x << (trailing - 32); dLo = 0; }
        else if (trailing === 0) { dHi = 0; dLo = x; }
        else { dHi = x >>> (32 - trailing); dLo = x << trailing; }
      } else {
        const hiPart = peek32(W, pos) >>> (64 - m), loPart = peek32(W, pos + m - 32);
        if (trailing === 0) { dHi = hiPart; dLo = loPart; }
        else { dHi = (hiPart << trailing) | (loPart >>> (32 - trailing)); dLo = loPart << trailing; }
      }
      pos += m;
      vHi = (vHi ^ dHi) >>> 0; vLo = (vLo ^ dLo) >>> 0;
    } else pos += 1;
    if (pos > availBits) return { n: i, err: fail(where, len, `xor chunk truncated in sample ${i} of ${n}`) };
    const j = at + i;
    ts[j] = t; bits[2 * j + HI] = vHi; bits[2 * j + LO] = vLo;
  }
  return { n, err: undefined };
}

/** Slow path for long varints: full 64-bit decode, rejected if outside ±(2^53−1). */
function bigVarint(b: Uint8Array, p: number, len: number, signed: boolean): { v: number; p: number } | undefined {
  let x = 0n, shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (p >= len) return undefined;
    const c = b[p++]!;
    if (c < 0x80) {
      if (i === 9 && c > 1) return undefined;
      x |= BigInt(c) << shift;
      // uvarint deltas are uint64 in Go, reinterpreted as int64 when added to t.
      const v = signed ? ((x & 1n) === 0n ? x >> 1n : -(x >> 1n) - 1n) : BigInt.asIntN(64, x);
      if (v > BigInt(MAX) || v < -BigInt(MAX)) return undefined;
      return { v: Number(v), p };
    }
    x |= BigInt(c & 0x7f) << shift;
    shift += 7n;
  }
  return undefined;
}
