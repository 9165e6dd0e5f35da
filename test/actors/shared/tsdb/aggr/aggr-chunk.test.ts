import t from 'tap';
import { AggrType, aggrNumSamples, decodeAggrChunk, encodeAggrChunk, getAggr } from '../../../../../actors/shared/tsdb/aggr/index.js';
import { decodeXor, encodeXor, Encoding } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { CorruptError } from '../../../../../actors/shared/tsdb/bytes/index.js';

const ts = [299_999, 599_999, 899_999];
const xor = (vals: number[]) => ({ encoding: Encoding.XOR, data: encodeXor(ts, new Float64Array(vals)) });

t.test('five parts round-trip with the exact Thanos layout', async (t) => {
  const parts = [xor([20, 20, 19]), xor([100, 220, 300]), xor([1, 2, 3]), xor([9, 10, 11]), xor([5, 6, 7])] as const;
  const b = encodeAggrChunk(parts);
  // Layout: uvarint len | enc | data, five times.
  let at = 0;
  for (const p of parts) {
    t.equal(b[at], p.data.length); t.equal(b[at + 1], Encoding.XOR);
    t.same(Buffer.from(b.subarray(at + 2, at + 2 + p.data.length)), Buffer.from(p.data));
    at += 2 + p.data.length;
  }
  t.equal(at, b.length);
  const d = decodeAggrChunk(b);
  for (let i = 0; i < 5; i++) t.same(Buffer.from(d[i]!.data), Buffer.from(parts[i]!.data));
  t.same([...decodeXor(getAggr(b, AggrType.MAX)!.data).vs], [9, 10, 11]);
  t.equal(aggrNumSamples(b), 3);
});

t.test('absent aggregates are a zero length without encoding byte', async (t) => {
  const b = encodeAggrChunk([xor([1, 1, 1]), xor([1, 2, 3]), undefined, undefined, xor([1, 2, 3])]);
  t.equal(getAggr(b, AggrType.MIN), undefined);
  t.equal(getAggr(b, AggrType.MAX), undefined);
  t.ok(getAggr(b, AggrType.COUNTER));
  const gauge = encodeAggrChunk([xor([1, 1, 1]), xor([1, 2, 3]), xor([1, 2, 3]), xor([1, 2, 3]), undefined]);
  t.equal(gauge[gauge.length - 1], 0);
  t.equal(getAggr(gauge, AggrType.COUNTER), undefined, 'absent final aggregate accepted');
  t.equal(aggrNumSamples(encodeAggrChunk([undefined, undefined, undefined, undefined, undefined])), 0);
});

t.test('corrupt lengths are CorruptErrors with offsets', async (t) => {
  const b = encodeAggrChunk([xor([1, 1, 1]), xor([1, 2, 3]), xor([1, 2, 3]), xor([1, 2, 3]), xor([1, 2, 3])]);
  const cut = b.subarray(0, b.length - 4);
  t.throws(() => decodeAggrChunk(cut, { file: 'chunks/000001', offset: 1000 }), { code: 'TSDB_CORRUPT', data: { file: 'chunks/000001' } });
  t.throws(() => getAggr(new Uint8Array([0x80]), AggrType.COUNT), CorruptError);
  t.throws(() => getAggr(b, 7 as AggrType), RangeError);
  t.throws(() => encodeAggrChunk([undefined]), RangeError);
});
