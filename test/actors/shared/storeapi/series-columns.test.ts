import fc from 'fast-check';
import t from 'tap';
import { decode, encode } from '../../../../runtime/codec/codec.js';
import { packSeriesColumns } from '../../../../actors/shared/storeapi/series-columns.js';
import { parseSeriesFrame } from '../../../../actors/shared/storeapi/validate-response.js';
import type { AggrChunk, Series } from '../../../../actors/shared/storeapi/types.js';

const raw = (n: number) => ({ type: 'XOR' as const, data: Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff) });
const series: Series[] = [
  { labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'x' }], chunks: [{ minTime: 0, maxTime: 10, raw: raw(3) }, { minTime: 11, maxTime: 20, count: raw(0), sum: raw(5) }] },
  { labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'y' }], chunks: [] },
  { labels: [], chunks: [{ minTime: -5, maxTime: -5, min: { type: 'HISTOGRAM', data: raw(2).data }, counter: { type: 'FLOAT_HISTOGRAM', data: raw(1).data } }] },
];

/** Through the real codec, as the transport sends it. */
const wire = (s: readonly Series[]) => decode(encode(packSeriesColumns(s)), 'test frame');

t.test('columns round-trip to the same series, as a batch frame', async (t) => {
  t.same(parseSeriesFrame(wire(series)), { kind: 'batch', series });
});

t.test('chunk bytes arrive as views of the received message, not copies', async (t) => {
  const received = new Uint8Array(encode(packSeriesColumns(series))); // a message buffer of its own
  const f = parseSeriesFrame(decode(received, 'test frame'));
  if (f.kind !== 'batch') throw new Error('expected a batch');
  const data = f.series[0]!.chunks[0]!.raw!.data;
  t.equal(data.buffer, received.buffer, 'same memory as the message');
  t.same([...data], [...series[0]!.chunks[0]!.raw!.data]);
});

const chunkArb: fc.Arbitrary<AggrChunk> = fc.record({
  minTime: fc.integer({ min: -1e12, max: 1e12 }), span: fc.integer({ min: 0, max: 1e6 }),
  parts: fc.subarray(['raw', 'count', 'sum', 'min', 'max', 'counter'] as const, { minLength: 1 }),
  type: fc.constantFrom('XOR' as const, 'HISTOGRAM' as const, 'FLOAT_HISTOGRAM' as const),
  data: fc.uint8Array({ maxLength: 40 }),
}).map(({ minTime, span, parts, type, data }) => {
  const c: Record<string, unknown> = { minTime, maxTime: minTime + span };
  for (const p of parts) c[p] = { type, data };
  return c as unknown as AggrChunk;
});
const seriesArb: fc.Arbitrary<Series> = fc.record({
  names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 5 }),
  values: fc.array(fc.string({ maxLength: 6 }), { minLength: 5, maxLength: 5 }),
  chunks: fc.array(chunkArb, { maxLength: 4 }),
}).map(({ names, values, chunks }) => ({
  labels: [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)).map((name, i) => ({ name, value: values[i]! })),
  chunks,
}));

t.test('property: any valid batch survives the columnar wire form unchanged', async (t) => {
  fc.assert(fc.property(fc.array(seriesArb, { minLength: 1, maxLength: 8 }), (batch) => {
    const got = parseSeriesFrame(wire(batch));
    t.same(got, { kind: 'batch', series: batch });
    return got.kind === 'batch' && got.series.length === batch.length;
  }), { numRuns: 200 });
});

/** The `data.field` of the StoreAPI error `fn` throws; fails the test when it throws anything else or nothing. */
function fieldOf(fn: () => unknown): unknown {
  try { fn(); } catch (err) {
    const e = err as { code?: string; data?: Record<string, unknown> };
    return e.code === 'STOREAPI_BAD_RESPONSE' ? e.data?.field : err;
  }
  return 'no error';
}

t.test('columns - every inconsistency is a typed error naming the field', async (t) => {
  const good = packSeriesColumns(series) as unknown as Record<string, unknown>;
  const mutate = (k: string, v: unknown) => ({ ...good, [k]: v });
  const labels = good.labels as Uint32Array, times = good.times as Float64Array;
  const cases: [string, Record<string, unknown>, string][] = [
    ['no series', mutate('chunkCounts', new Uint32Array(0)), 'chunkCounts'],
    ['chunkCounts not typed', mutate('chunkCounts', [2, 0, 1]), 'chunkCounts'],
    ['times too short', mutate('times', times.subarray(1)), 'times'],
    ['parts with no bit', mutate('parts', Uint8Array.of(1, 0, 1 << 3 | 1 << 5)), 'parts[1]'],
    ['parts with an unknown bit', mutate('parts', Uint8Array.of(1, 64 | 6, 1 << 3 | 1 << 5)), 'parts[1]'],
    ['string index out of range', mutate('labels', Uint32Array.from(labels, (v, i) => (i === 1 ? 999 : v))), 'series[0].labels[0].name'],
    ['labels unsorted', mutate('labels', Uint32Array.from(labels, (v, i) => (i === 1 ? labels[3]! : i === 3 ? labels[1]! : v))), 'series[0].labels[1].name'],
    ['labels trailing', mutate('labels', Uint32Array.from([...labels, 0])), 'labels'],
    ['labels truncated', mutate('labels', labels.subarray(0, 4)), 'labels'],
    ['chunk range reversed', mutate('times', Float64Array.from(times, (v, i) => (i === 0 ? 50 : v))), 'series[0].chunks[0].maxTime'],
    ['chunk time not an integer', mutate('times', Float64Array.from(times, (v, i) => (i === 1 ? 1.5 : v))), 'series[0].chunks[0].maxTime'],
    ['chunk time NaN', mutate('times', Float64Array.from(times, (v, i) => (i === 0 ? NaN : v))), 'series[0].chunks[0].minTime'],
    ['encoding unknown', mutate('types', Uint8Array.of(9, 0, 0, 0, 0)), 'series[0].chunks[0].raw.type'],
    ['data end past the buffer', mutate('ends', Uint32Array.of(3, 3, 8, 10, 99)), 'series[2].chunks[0].counter.data'],
    ['data ends going back', mutate('ends', Uint32Array.of(3, 2, 8, 10, 11)), 'series[0].chunks[1].count.data'],
    ['ends length wrong', mutate('ends', Uint32Array.of(3)), 'ends'],
    ['data not bytes', mutate('data', [1, 2]), 'data'],
    ['strings not strings', mutate('strings', [1]), 'strings[0]'],
  ];
  for (const [what, frame, field] of cases) t.equal(fieldOf(() => parseSeriesFrame(frame)), field, what);
});

t.test('fuzz: random bytes and mutated frames never throw anything but a typed error', async (t) => {
  const bytes = encode(packSeriesColumns(series));
  let typed = 0;
  fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, v) => {
    const b = Uint8Array.from(bytes);
    b[at] = v;
    try { parseSeriesFrame(decode(b, 'fuzz')); } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'STOREAPI_BAD_RESPONSE' && code !== 'RT_DECODE') throw err;
      typed++;
    }
  }), { numRuns: 2000 });
  t.ok(typed > 0, `${typed} mutated frames rejected with a typed error`);
});
