import type { Chunk, AggrChunk } from '../../../../actors/shared/storeapi/types.js';
import type { ChunkDecoder } from '../../../../actors/querier/dedup/decode.js';
import type { Samples } from '../../../../actors/querier/dedup/samples.js';

/** Prometheus's stale marker: a signalling NaN with payload 2. */
export const STALE_BITS = 0x7ff0000000000002n;
export const STALE_NAN = new Float64Array(new BigUint64Array([STALE_BITS]).buffer)[0]!;

export function bitsOf(x: number): bigint {
  return new BigUint64Array(new Float64Array([x]).buffer)[0]!;
}

export function bitsAt(a: Float64Array, i: number): bigint {
  return new BigUint64Array(a.buffer, a.byteOffset + i * 8, 1)[0]!;
}

/**
 * Float64Array from plain numbers where every NaN becomes the stale marker. (JS arrays of doubles
 * canonicalise NaNs, so a stale marker cannot travel through `number[]`; typed arrays keep bits.)
 */
export function valuesWithStale(vs: readonly number[]): Float64Array {
  const f = Float64Array.from(vs);
  const bits = new BigUint64Array(f.buffer);
  vs.forEach((v, i) => { if (v !== v) bits[i] = STALE_BITS; });
  return f;
}

export function staleSamples(ts: readonly number[], vs: readonly number[]): Samples {
  return { ts: Float64Array.from(ts), vs: valuesWithStale(vs) };
}

/** [t, v] pairs of a result (for readable deep equality; NaN compares equal in tap's same()). */
export function pairs(s: Samples): [number, number][] {
  return Array.from(s.ts, (t, i) => [t, s.vs[i]!]);
}

/** Test chunk encoding: raw little-endian float64 pairs t0,v0,t1,v1,… (bit-exact for NaNs). */
export function testChunk(ts: readonly number[], vs: readonly number[]): AggrChunk {
  const f = new Float64Array(ts.length * 2);
  const vals = valuesWithStale(vs);
  ts.forEach((t, i) => { f[2 * i] = t; f[2 * i + 1] = vals[i]!; });
  return { minTime: ts[0]!, maxTime: ts[ts.length - 1]!, raw: { type: 'XOR', data: new Uint8Array(f.buffer) } };
}

export const testDecoder: ChunkDecoder = {
  decode(c: Chunk): Samples {
    const f = new Float64Array(c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.data.byteLength));
    const n = f.length / 2;
    const ts = new Float64Array(n), vs = new Float64Array(n);
    for (let i = 0; i < n; i++) { ts[i] = f[2 * i]!; vs[i] = f[2 * i + 1]!; }
    return { ts, vs };
  },
};

/** Counter increase the way PromQL counts it, without extrapolation: a decrease is a reset. */
export function resetAwareIncrease(vs: Float64Array): number {
  let inc = 0;
  let prev = Number.NaN;
  for (const v of vs) {
    if (v !== v) continue;
    if (prev === prev) inc += v >= prev ? v - prev : v;
    prev = v;
  }
  return inc;
}

export function decreases(vs: Float64Array): number {
  let n = 0, prev = Number.NaN;
  for (const v of vs) { if (v !== v) continue; if (prev === prev && v < prev) n++; prev = v; }
  return n;
}

/** Seconds → ms timestamps. */
export const sec = (xs: readonly number[]): number[] => xs.map((x) => x * 1000);
