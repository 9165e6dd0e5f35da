/**
 * Key placement: a stable 64-bit FNV-1a hash of the key's bytes, then Lamping & Veach's jump
 * consistent hash over the (sorted) server list, so every process maps a key to the same server
 * and adding a server moves only about 1/n of the keys.
 */

/** FNV-1a 64 of the key's latin1 bytes (keys are printable ASCII) as a BigInt. Computed in 16-bit limbs. */
export function fnv1a64(key: string): bigint {
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < key.length; i++) {
    h0 ^= key.charCodeAt(i) & 0xff;
    // h *= 0x100000001b3 (= 2^40 + 0x1b3), mod 2^64
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff; h1 = t1 & 0xffff; h2 = t2 & 0xffff; h3 = t3 & 0xffff;
  }
  return (BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0);
}

const MASK64 = (1n << 64n) - 1n;

/** Jump consistent hash: the bucket in [0, buckets) of a 64-bit key. buckets must be ≥ 1. */
export function jumpHash(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key & MASK64;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK64;
    j = Math.floor((b + 1) * (2147483648 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** The index of the server holding `key` among `servers` servers. */
export function serverIndexFor(key: string, servers: number): number {
  return servers <= 1 ? 0 : jumpHash(fnv1a64(key), servers);
}
