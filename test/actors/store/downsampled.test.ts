import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import type { AggrChunk, Chunk } from '../../../actors/shared/storeapi/types.js';
import { decodeXor } from '../../../actors/shared/tsdb/chunkenc/xor-decoder.js';
import { encodeSeriesChunks } from '../../../actors/shared/tsdb/chunkenc/series-chunks.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { xorChunks } from './data.js';
import { collectSeries } from './series-decode.js';

const H = 3600_000, M5 = 300_000;
const labels = labelsFromObject({ __name__: 'm', i: '0' });

/** One AggrChunk over [0, 2h) at 5m: count=20 per point, sum=point index, min/max/counter too. */
function aggrChunk(): AggrChunk {
  const ts = Array.from({ length: 24 }, (_, k) => k * M5);
  const part = (f: (k: number) => number): Chunk => ({ type: 'XOR', data: encodeSeriesChunks(ts, Float64Array.from(ts, (_, k) => f(k)))[0]!.data });
  return { minTime: 0, maxTime: ts[23]!, count: part(() => 20), sum: part((k) => k), min: part(() => 0), max: part(() => 1), counter: part((k) => k * 2) };
}

t.test('downsampled blocks: resolution chosen by maxResolutionWindow, gaps filled from raw, requested aggregates only', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-ds-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new MemoryBucket();
  const raw = await writeChunkBlock(dir, [{ labels, chunks: xorChunks(0, 960) }], { labels: { cluster: 'eu' } }); // 4h at 15s
  const ds = await writeChunkBlock(dir, [{ labels, chunks: [aggrChunk()] }], { labels: { cluster: 'eu' }, resolution: M5 });
  for (const m of [raw, ds]) await putBlockDir(bkt, join(dir, m.ulid), m.ulid);
  const store = new BucketStore({ bucket: bkt });
  t.teardown(() => store.close());
  t.same((await store.sync()).loaded.length, 2);

  const q = (o: Partial<Parameters<typeof seriesRequest>[0]>) => collectSeries(store, seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'm' }], ...o }));
  const rawOnly = await q({ maxResolutionWindow: 0 });
  t.equal(rawOnly.series.length, 1);
  t.ok(rawOnly.series[0]!.chunks.every((c) => c.raw !== undefined && c.count === undefined), 'window 0: raw chunks only');
  t.equal(rawOnly.series[0]!.chunks.reduce((a, c) => a + decodeXor(c.raw!.data).ts.length, 0), 960, 'all raw samples');

  const down = await q({ maxResolutionWindow: M5, aggregates: ['COUNT', 'SUM'] });
  const chunks = down.series[0]!.chunks;
  const aggr = chunks.filter((c) => c.count !== undefined);
  t.equal(aggr.length, 1, 'the 5m block answers its 2h');
  t.ok(aggr[0]!.sum !== undefined && aggr[0]!.min === undefined && aggr[0]!.max === undefined && aggr[0]!.raw === undefined, 'only COUNT and SUM returned');
  t.same(Array.from(decodeXor(aggr[0]!.count!.data).vs).slice(0, 3), [20, 20, 20], 'the count aggregate is the stored one');
  const rawFill = chunks.filter((c) => c.raw !== undefined);
  t.ok(rawFill.length > 0 && rawFill.every((c) => c.maxTime >= 2 * H - M5), 'raw chunks only where the 5m block leaves a gap');
  for (let i = 1; i < chunks.length; i++) t.ok(chunks[i - 1]!.minTime <= chunks[i]!.minTime, 'chunks sorted by minTime');

  const all = await q({ maxResolutionWindow: H, aggregates: [] });
  t.ok(all.series[0]!.chunks.some((c) => c.count && c.sum && c.min && c.max && c.counter), 'no aggregates requested: every stored aggregate');
});
