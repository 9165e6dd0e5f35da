/**
 * Exact float64 bit handling. JS engines may canonicalise NaN payloads when a number passes through
 * arithmetic or a plain Array (V8 quiets signalling NaNs stored in double arrays). Float64Array
 * element stores and loads keep the bits; so does everything in this library, which moves value bits
 * as two uint32 halves. To keep a stale marker exact, keep values in Float64Array or test them with
 * `isStaleNaN` before doing arithmetic.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low / high 32-bit half of a float64 inside a Uint32Array view (platform endianness). */
export const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
export const HI = 1 - LO;

/** Prometheus staleness marker: a signalling NaN with bit pattern 0x7ff0000000000002. */
export const STALE_NAN_HI = 0x7ff0_0000;
export const STALE_NAN_LO = 0x0000_0002;
/** The NaN Go's `math.NaN()` produces: 0x7ff8000000000001. */
export const GO_NAN_HI = 0x7ff8_0000;
export const GO_NAN_LO = 0x0000_0001;

export function bitsToFloat(hi: number, lo: number): number {
  u32[HI] = hi; u32[LO] = lo;
  return f64[0]!;
}

/** Writes the high and low halves of `v`'s bits into `out[0]`, `out[1]` (unsigned). */
export function floatToBits(v: number, out: Uint32Array | number[]): void {
  f64[0] = v;
  out[0] = u32[HI]!; out[1] = u32[LO]!;
}

/** The stale marker as a number. Stays exact only in Float64Array storage (see module note). */
export const STALE_NAN = bitsToFloat(STALE_NAN_HI, STALE_NAN_LO);

/** True when `v` carries exactly the stale-marker bit pattern. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  f64[0] = v;
  return u32[HI] === STALE_NAN_HI && u32[LO] === STALE_NAN_LO;
}

/** A Uint32Array view over a Float64Array's storage, for bit-exact access: hi = 2i+HI, lo = 2i+LO. */
export function bitView(vs: Float64Array): Uint32Array {
  return new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2);
}
