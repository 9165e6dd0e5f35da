import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseTimeFlag } from '../../../actors/shared/block/time-flag.js';
import { labelsToString } from '../../../actors/shared/labels/labels.js';
import { parseRelabelConfigs } from '../../../actors/shared/labels/relabel.js';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { makeSeries } from './data.js';
import { collectSeries } from './series-decode.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const H = 3600_000, D = 24 * H;
const ALL = seriesRequest({ matchers: [{ type: '=~', name: '__name__', value: '.+' }] });

t.test('time partitioning and hashmod sharding split the bucket without loss', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-partition-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new MemoryBucket();
  const starts = [NOW - 10 * H, NOW - 3 * D, NOW - 40 * D, NOW - 45 * D, NOW - 70 * D, NOW - 80 * D];
  const ids: string[] = [];
  for (const [k, s] of starts.entries()) {
    // Fixed ULIDs, so the hashmod split below is deterministic (3 blocks per shard for these ids).
    const meta = await writeChunkBlock(dir, makeSeries('m', 3, s, 240, { block: String(k) }), { labels: { cluster: 'eu' }, ulid: `01JD00000000000000000000${String(k).padStart(2, '0')}` });
    await putBlockDir(bkt, join(dir, meta.ulid), meta.ulid);
    ids.push(meta.ulid);
  }
  const now = () => NOW;
  const whole = new BucketStore({ bucket: bkt, now });
  await whole.sync();
  t.same(whole.loadedBlocks, [...ids].sort(), 'an unrestricted store loads every block');
  const everything = (await collectSeries(whole, ALL)).series.map((s) => labelsToString(s.labels)).sort();
  t.equal(everything.length, 18);

  // Three stores like a real deployment: now-30d…now, now-60d…now-30d, now-90d…now-60d.
  const windows: [string, string][] = [['-30d', '0s'], ['-60d', '-30d'], ['-90d', '-60d']];
  const union: string[] = [];
  const seen: string[][] = [];
  for (const [min, max] of windows) {
    const s = new BucketStore({ bucket: bkt, now, minTime: parseTimeFlag(min, 'min-time'), maxTime: parseTimeFlag(max, 'max-time') });
    await s.sync();
    seen.push(s.loadedBlocks);
    const info = await s.info();
    t.ok(info.store!.minTime >= NOW + (Number.parseInt(min, 10) * D) && info.store!.maxTime <= NOW + Number.parseInt(max, 10) * D, `${min}…${max}: advertised range inside the window`);
    union.push(...(await collectSeries(s, ALL)).series.map((x) => labelsToString(x.labels)));
  }
  t.same(seen, [[ids[0], ids[1]].sort(), [ids[2], ids[3]].sort(), [ids[4], ids[5]].sort()], 'each store sees only its window\'s blocks');
  t.same(union.sort(), everything, 'the union of the three answers is the whole');

  // Two hashmod shards over __block_id partition the blocks.
  const shard = (n: number) => parseRelabelConfigs(`
- source_labels: [__block_id]
  modulus: 2
  target_label: shard
  action: hashmod
- source_labels: [shard]
  regex: "${n}"
  action: keep
`);
  const shards: string[][] = [];
  const shardSeries: string[] = [];
  for (const n of [0, 1]) {
    const s = new BucketStore({ bucket: bkt, now, relabel: shard(n) });
    await s.sync();
    shards.push(s.loadedBlocks);
    shardSeries.push(...(await collectSeries(s, ALL)).series.map((x) => labelsToString(x.labels)));
  }
  t.equal(shards[0]!.filter((id) => shards[1]!.includes(id)).length, 0, 'shards are disjoint');
  t.same([...shards[0]!, ...shards[1]!].sort(), [...ids].sort(), 'shards cover every block');
  t.ok(shards[0]!.length > 0 && shards[1]!.length > 0, `both shards hold blocks (${shards[0]!.length}/${shards[1]!.length})`);
  t.same(shardSeries.sort(), everything, 'the union of the shard answers is the whole');
});
