// Auto-downsampling: what the querier asks of stores and how it reads aggregate chunks.
import t from 'tap';
import { aggregatesFor, decodeAggrChunk } from '../../../actors/querier/chunk-decode.js';
import { StoreQueryable } from '../../../actors/querier/store-queryable.js';
import { Matcher } from '../../../actors/shared/labels/matcher.js';
import { encodeXor } from '../../../actors/shared/tsdb/chunkenc/index.js';
import type { SeriesFrame, SeriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { anyInfo } from './helpers.js';

t.test('aggregates per function (Thanos aggrsFromFunc)', async (t) => {
  t.same(aggregatesFor('min_over_time'), { aggregates: ['MIN'], pick: 'min' });
  t.same(aggregatesFor('max'), { aggregates: ['MAX'], pick: 'max' });
  t.same(aggregatesFor('count_over_time'), { aggregates: ['COUNT'], pick: 'count' });
  t.same(aggregatesFor('sum_over_time'), { aggregates: ['SUM'], pick: 'sum' });
  t.same(aggregatesFor('rate'), { aggregates: ['COUNTER'], pick: 'counter' });
  t.same(aggregatesFor('sum'), { aggregates: ['COUNT', 'SUM'], pick: 'avg' });
  t.same(aggregatesFor(undefined), { aggregates: ['COUNT', 'SUM'], pick: 'avg' });
});

t.test('aggregate chunks: raw wins, else the picked aggregate, avg = sum/count', async (t) => {
  const ts = [0, 300_000, 600_000];
  const enc = (vs: number[]) => ({ type: 'XOR' as const, data: encodeXor(ts, Float64Array.from(vs)) });
  const c = { minTime: 0, maxTime: 600_000, count: enc([2, 4, 5]), sum: enc([10, 20, 40]), max: enc([7, 8, 9]) };
  t.same(Array.from(decodeAggrChunk(c, 'avg').vs), [5, 5, 8]);
  t.same(Array.from(decodeAggrChunk(c, 'max').vs), [7, 8, 9]);
  t.same(Array.from(decodeAggrChunk(c, 'min').vs), [], 'missing aggregate → no samples');
  t.same(Array.from(decodeAggrChunk({ ...c, raw: enc([1, 2, 3]) }, 'max').vs), [1, 2, 3]);
});

t.test('max_source_resolution and aggregates reach the stores; rate caps it to range/2', async (t) => {
  const seen: SeriesRequest[] = [];
  const spy = {
    info: async () => anyInfo(),
    series: (req: SeriesRequest) => { seen.push(req); return (async function* (): AsyncGenerator<SeriesFrame> { /* nothing */ })(); },
    labelNames: async () => { throw new Error('unused'); }, labelValues: async () => { throw new Error('unused'); },
  };
  const q = new StoreQueryable({ stores: () => [{ name: 's', info: anyInfo(), client: spy }], maxSourceResolutionMs: 3600_000 });
  const sel = [new Matcher('=', '__name__', 'x')];
  await q.select(sel, { startMs: 0, endMs: 1, func: 'max_over_time', rangeMs: 600_000 });
  await q.select(sel, { startMs: 0, endMs: 1, func: 'rate', rangeMs: 600_000, stepMs: 60_000 });
  t.equal(seen[0]!.maxResolutionWindow, 3600_000);
  t.same(seen[0]!.aggregates, ['MAX']);
  t.equal(seen[1]!.maxResolutionWindow, 300_000, 'rate over 10m: at most 5m resolution');
  t.same(seen[1]!.aggregates, ['COUNTER']);
  t.same(seen[1]!.queryHints, { stepMillis: 60_000, func: { name: 'rate' }, rangeMillis: 600_000 });
});
