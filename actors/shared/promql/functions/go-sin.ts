/**
 * Go 1.19 `math.Sin`, `math.Cos`, `math.Tan` (pure Go on amd64, Cephes polynomials), replayed
 * operation by operation. Arguments ≥ 2^29 use Go's Payne–Hanek reduction (`trigReduce`), replayed
 * with bigint on the same 192-bit window of 4/π (computed here, not tabulated).
 */

const PI4A = 7.85398125648498535156e-1;
const PI4B = 3.77489470793079817668e-8;
const PI4C = 2.69515142907905952645e-15;
const FOUR_OVER_PI = 4 / Math.PI;
const REDUCE_THRESHOLD = 2 ** 29;

const SIN = [1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
  -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1];
const COS = [-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
  2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2];
const TANP = [-1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7];
const TANQ = [1.00000000000000000000e0, 1.36812963470692954678e4, -1.32089234440210967447e6,
  2.50083801823357915839e7, -5.38695755929454629881e7];

const M64 = (1n << 64n) - 1n;
let piWords: bigint[] | undefined;

/** 20 64-bit words of 4/π (word 0 = integer part), from Machin's formula in bigint fixed point. */
function fourOverPiWords(): bigint[] {
  if (piWords !== undefined) return piWords;
  const bitsNeeded = 64n * 20n + 64n;
  const one = 1n << (bitsNeeded + 16n);
  const atanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k / 2n) % 2n === 0n ? 1n : -1n) * (term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n); // π · 2^(bitsNeeded+16)
  const scaled = (4n * one * (1n << (64n * 19n))) / pi; // 4/π · 2^(64·19)
  const words: bigint[] = [];
  for (let i = 19n; i >= 0n; i--) words.push((scaled >> (64n * i)) & M64);
  piWords = words;
  return words;
}

const view = new DataView(new ArrayBuffer(8));

/** Go trigReduce: j (octant) in {@link reducedJ}, returns z (reduced argument). */
let reducedJ = 0;
function trigReduce(x: number): number {
  if (x < Math.PI / 4) { reducedJ = 0; return x; }
  const w = fourOverPiWords();
  view.setFloat64(0, x);
  let ix = view.getBigUint64(0);
  const exp = Number((ix >> 52n) & 0x7ffn) - 1023 - 52;
  ix = (ix & ((1n << 52n) - 1n)) | (1n << 52n);
  const digit = Math.trunc((exp + 61) / 64);
  const bitshift = BigInt((exp + 61) % 64);
  const word = (i: number): bigint => w[i]!;
  const shiftPair = (a: bigint, b: bigint): bigint => ((a << bitshift) & M64) | (b >> (64n - bitshift));
  const z0 = shiftPair(word(digit), word(digit + 1));
  const z1 = shiftPair(word(digit + 1), word(digit + 2));
  const z2 = shiftPair(word(digit + 2), word(digit + 3));
  const z2hi = (z2 * ix) >> 64n;
  const p1 = z1 * ix;
  const z1hi = p1 >> 64n;
  const z1lo = p1 & M64;
  const z0lo = (z0 * ix) & M64;
  const loSum = z1lo + z2hi;
  const lo = loSum & M64;
  const carry = loSum >> 64n;
  let hi = (z0lo + z1hi + carry) & M64;
  let j = hi >> 61n;
  hi = ((hi << 3n) & M64) | (lo >> 61n);
  let lz = 0n;
  while (lz < 64n && ((hi >> (63n - lz)) & 1n) === 0n) lz++;
  const e = BigInt(1023) - (lz + 1n);
  hi = ((hi << (lz + 1n)) & M64) | (lz + 1n > 64n ? 0n : lo >> (64n - (lz + 1n)));
  hi >>= 64n - 52n;
  hi |= (e & 0x7ffn) << 52n;
  view.setBigUint64(0, hi & M64);
  let z = view.getFloat64(0);
  if ((j & 1n) === 1n) { j = (j + 1n) & 7n; z--; }
  reducedJ = Number(j);
  return z * (Math.PI / 4);
}

/** Octant and reduced argument for |x| (finite); octant in {@link reducedJ}. */
function reduce(x: number, mask8: boolean): number {
  if (x >= REDUCE_THRESHOLD) return trigReduce(x);
  let j = Math.trunc(x * FOUR_OVER_PI);
  let y = j;
  if (j % 2 === 1) { j++; y++; }
  if (mask8) j %= 8;
  reducedJ = j;
  return ((x - y * PI4A) - y * PI4B) - y * PI4C;
}

function sinPoly(z: number, zz: number): number {
  return z + z * zz * (((((SIN[0]! * zz + SIN[1]!) * zz + SIN[2]!) * zz + SIN[3]!) * zz + SIN[4]!) * zz + SIN[5]!);
}
function cosPoly(zz: number): number {
  return 1.0 - 0.5 * zz + zz * zz * (((((COS[0]! * zz + COS[1]!) * zz + COS[2]!) * zz + COS[3]!) * zz + COS[4]!) * zz + COS[5]!);
}

/** Go `math.Sin`. */
export function goSin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = x < 0;
  const z = reduce(Math.abs(x), true);
  let j = reducedJ;
  if (j > 3) { sign = !sign; j -= 4; }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

/** Go `math.Cos`. */
export function goCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  const z = reduce(Math.abs(x), true);
  let j = reducedJ;
  if (j > 3) { j -= 4; sign = !sign; }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

/** Go `math.Tan`. */
export function goTan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  const sign = x < 0;
  const z = reduce(Math.abs(x), false);
  const j = reducedJ;
  const zz = z * z;
  let y = zz > 1e-14
    ? z + z * (zz * ((TANP[0]! * zz + TANP[1]!) * zz + TANP[2]!) / ((((zz + TANQ[1]!) * zz + TANQ[2]!) * zz + TANQ[3]!) * zz + TANQ[4]!))
    : z;
  if ((j & 2) === 2) y = -1 / y;
  return sign ? -y : y;
}

/** Exposed for tests: the computed 4/π words. */
export function fourOverPiTable(): readonly bigint[] { return fourOverPiWords(); }
