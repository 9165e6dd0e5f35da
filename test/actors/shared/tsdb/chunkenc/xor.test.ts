import t, { type Test } from 'tap';
import {
  XorEncoder, XorIterator, decodeXor, decodeXorInto, encodeXor, bitView, HI, LO, STALE_NAN, STALE_NAN_HI, STALE_NAN_LO,
  GO_NAN_HI, GO_NAN_LO, bitsToFloat, isStaleNaN, xorNumSamples, MAX_SAMPLES_PER_CHUNK, chunkStarts, HeadChunkCutter, encodeSeriesChunks,
} from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { CorruptError } from '../../../../../actors/shared/tsdb/bytes/index.js';

function roundTrip(t: Test, ts: number[], vals: Float64Array, name: string): Uint8Array {
  const bytes = encodeXor(ts, vals);
  t.equal(xorNumSamples(bytes), ts.length, `${name}: header count`);
  const d = decodeXor(bytes);
  t.same([...d.ts], ts, `${name}: timestamps`);
  const a = bitView(vals), b = bitView(d.vs);
  t.ok(a.every((x, i) => x === b[i]), `${name}: value bits exact`);
  return bytes;
}

t.test('edge cases round-trip bit-exactly', async (t) => {
  const one = roundTrip(t, [1700000000000], new Float64Array([42.5]), 'one sample');
  // 2.x quirk: 2 header + 6-byte varint(t0) + 8 value bytes + 1 trailing zero byte.
  t.equal(one.length, 2 + 6 + 8 + 1);
  t.equal(one[one.length - 1], 0);
  t.equal(encodeXor([], new Float64Array(0)).length, 2, 'empty chunk is just the header');

  const n120 = Array.from({ length: 120 }, (_, i) => 1_600_000_000_000 + i * 15_000);
  roundTrip(t, n120, new Float64Array(n120.map((_, i) => Math.sin(i) * 1e6)), '120 samples');
  roundTrip(t, n120, new Float64Array(120).fill(3.25), 'equal values');

  const neg = [1000, 500, 400, -100_000, -(2 ** 40), 5, 2 ** 45, 2 ** 45 + 1];
  roundTrip(t, neg, new Float64Array(neg.length).map((_, i) => -i), 'negative and huge deltas');
  const huge = [0, 1, 2, 2 + 2 ** 33, 3 + 2 ** 33, 2 ** 52, -(2 ** 52), Number.MAX_SAFE_INTEGER - 1];
  roundTrip(t, [...huge.slice(0, 5), 2 ** 34], new Float64Array(6), 'dod in every bucket');
  const dods = [0, 8192, -8191, 8193, -8192, 65536, -65535, 65537, 524288, -524287, 524289, -524288, 2 ** 40];
  const tsD = [0, 100_000];
  for (const d of dods) tsD.push(tsD[tsD.length - 1]! + (tsD[tsD.length - 1]! - tsD[tsD.length - 2]!) + d);
  roundTrip(t, tsD, new Float64Array(tsD.length).map((_, i) => i * 0.1), 'dod bucket boundaries');

  const specials = new Float64Array([NaN, Infinity, -Infinity, -0, 0, Number.MAX_VALUE, Number.MIN_VALUE, 1, NaN, 1]);
  const bits = bitView(specials);
  bits[2 * 0 + HI] = STALE_NAN_HI; bits[2 * 0 + LO] = STALE_NAN_LO;
  bits[2 * 8 + HI] = GO_NAN_HI; bits[2 * 8 + LO] = GO_NAN_LO;
  const ts = Array.from({ length: specials.length }, (_, i) => i * 1000);
  roundTrip(t, ts, specials, 'NaN / stale / inf / -0');

  // Values whose XOR has ≥ 32 leading zeros (clamped to 31) and 64 significant bits.
  const tricky = new Float64Array(6);
  const tb = bitView(tricky);
  tb[HI] = 0; tb[LO] = 1; tb[2 + HI] = 0; tb[2 + LO] = 3; tb[4 + HI] = 0x80000000; tb[4 + LO] = 1;
  tb[6 + HI] = 0x7fffffff; tb[6 + LO] = 0xffffffff; tb[8 + HI] = 0x7fffffff; tb[8 + LO] = 0xfffffffe; tb[10 + HI] = 1; tb[10 + LO] = 0;
  roundTrip(t, [0, 1, 2, 3, 4, 5], tricky, 'leading-zero clamp and 64 significant bits');
});

t.test('stale marker stays exact through the number API', async (t) => {
  t.ok(isStaleNaN(STALE_NAN));
  t.notOk(isStaleNaN(NaN));
  t.notOk(isStaleNaN(bitsToFloat(GO_NAN_HI, GO_NAN_LO)));
  const e = new XorEncoder();
  e.append(1, 1); e.append(2, STALE_NAN); e.append(3, 2);
  const it = new XorIterator(e.bytes());
  t.ok(it.next()); t.notOk(it.isStale());
  t.ok(it.next()); t.ok(it.isStale()); t.same(it.atBits(), [STALE_NAN_HI, STALE_NAN_LO]);
  t.ok(isStaleNaN(it.v));
});

t.test('iterator: next/at/seek/err shape', async (t) => {
  const ts = [10, 20, 30, 40, 50];
  const it = new XorIterator(encodeXor(ts, new Float64Array([1, 2, 3, 4, 5])));
  t.ok(it.seek(25)); t.same(it.at(), { t: 30, v: 3 });
  t.ok(it.seek(5), 'seek never goes backwards'); t.equal(it.t, 30);
  t.ok(it.next()); t.equal(it.t, 40);
  t.ok(it.seek(50)); t.equal(it.v, 5);
  t.notOk(it.next()); t.notOk(it.seek(0)); t.equal(it.err(), undefined);
  it.reset(encodeXor(ts, new Float64Array(5)));
  t.notOk(it.seek(51), 'seek past the end');
  t.equal(new XorIterator(new Uint8Array([0, 0])).next(), false);
});

t.test('truncated chunk: samples before the break, then a CorruptError', async (t) => {
  const ts = Array.from({ length: 50 }, (_, i) => i * 1000 + (i % 7) * 3);
  const full = encodeXor(ts, new Float64Array(50).map((_, i) => Math.cos(i)));
  const cut = full.subarray(0, full.length - 30);
  const it = new XorIterator(cut, { file: 'seg', offset: 100 });
  let n = 0;
  while (it.next()) n++;
  t.ok(n > 0 && n < 50, `yielded ${n} samples`);
  const err = it.err();
  t.ok(err instanceof CorruptError);
  t.equal((err!.data as { file: string }).file, 'seg');
  t.throws(() => decodeXor(cut), CorruptError);
  // Header claims more samples than the bytes can hold: rejected before decoding or allocating.
  const lie = new Uint8Array(full); lie[0] = 0xff; lie[1] = 0xff;
  t.throws(() => decodeXor(lie), { code: 'TSDB_CORRUPT', message: /claims 65535 samples/ });
  t.throws(() => decodeXor(new Uint8Array([1])), CorruptError);
  t.throws(() => decodeXorInto(full, new Float64Array(3), new Float64Array(3)), RangeError);
});

t.test('encoder limits', async (t) => {
  const e = new XorEncoder();
  t.throws(() => e.append(1.5, 0), RangeError);
  for (let i = 0; i < MAX_SAMPLES_PER_CHUNK; i++) e.append(i, i);
  t.throws(() => e.append(MAX_SAMPLES_PER_CHUNK, 0), RangeError);
  t.equal(decodeXor(e.bytes()).ts.length, MAX_SAMPLES_PER_CHUNK);
});

t.test('chunk cutter follows the 2.42 head rule', async (t) => {
  const step15 = Array.from({ length: 480 }, (_, i) => 7200_000 * 1000 + i * 15_000);
  t.same(chunkStarts(step15), [0, 120, 240, 360], '15 s over 2 h: 4 × 120');
  const fast = Array.from({ length: 120 }, (_, i) => i);
  t.same(chunkStarts(fast, 7200_000), [0], '1 ms samples: 120 predicted from the first 30');
  const burst = [...Array.from({ length: 30 }, (_, i) => i * 60_000), ...Array.from({ length: 500 }, (_, i) => 1_800_000 + i)];
  t.equal(chunkStarts(burst, 7200_000)[1], 240, 'rate jump after the prediction: cut at 240 samples');
  const c = new HeadChunkCutter(1000);
  t.ok(c.add(0)); t.notOk(c.add(999)); t.ok(c.add(1000), 'range boundary cuts');
  t.throws(() => new HeadChunkCutter(0), RangeError);
});

t.test('encodeSeriesChunks cuts and encodes one series', async (t) => {
  const ts = Array.from({ length: 500 }, (_, i) => i * 15_000);
  const vs = new Float64Array(500).map((_, i) => i);
  const chunks = encodeSeriesChunks(ts, vs);
  t.same(chunks.map((c) => [c.mint, c.maxt, xorNumSamples(c.data)]), [[0, 1785000, 120], [1800000, 3585000, 120], [3600000, 5385000, 120], [5400000, 7185000, 120], [7200000, 7485000, 20]]);
  t.same([...decodeXor(chunks[1]!.data).vs].slice(0, 2), [120, 121]);
  t.same(encodeSeriesChunks(ts, vs, { from: 10, to: 10 }), []);
  t.throws(() => encodeSeriesChunks([1, 1], new Float64Array(2)), RangeError);
});
