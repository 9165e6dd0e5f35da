import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid as newUlid } from 'ulid';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { encodeMeta } from '../../../../actors/shared/tsdb/meta/encode.js';
import type { BlockMeta } from '../../../../actors/shared/tsdb/meta/types.js';
import { MetaFetcher } from '../../../../actors/shared/block/fetcher.js';
import {
  consistencyDelayFilter, deduplicateFilter, ignoreDeletionMarkFilter, labelShardFilter, timePartitionFilter,
} from '../../../../actors/shared/block/filters.js';
import { markBlock } from '../../../../actors/shared/block/markers.js';
import { parseTimeFlag } from '../../../../actors/shared/block/time-flag.js';
import { parseRelabelConfigs } from '../../../../actors/shared/labels/relabel.js';
import { createRegistry } from '../../../../runtime/metrics/registry.js';

const H = 3600_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const nextId = (time?: number) => newUlid(time);

function meta(minTime: number, maxTime: number, o: { labels?: Record<string, string>; sources?: string[]; source?: string; ulidTime?: number } = {}): BlockMeta {
  const ulid = nextId(o.ulidTime ?? NOW - 48 * H);
  return {
    ulid, minTime, maxTime, version: 1, stats: { numSamples: 1, numSeries: 1, numChunks: 1 },
    compaction: { level: o.sources && o.sources.length > 1 ? 2 : 1, sources: o.sources ?? [ulid] },
    thanos: { labels: o.labels ?? { cluster: 'eu' }, downsample: { resolution: 0 }, source: o.source ?? 'sidecar' },
  };
}

async function put(bkt: MemoryBucket, m: BlockMeta): Promise<string> {
  await bkt.upload(`${m.ulid}/index`, new Uint8Array([1]));
  await bkt.upload(`${m.ulid}/meta.json`, new TextEncoder().encode(encodeMeta(m)));
  return m.ulid;
}

t.test('partial, corrupt and non-block entries: only complete blocks are visible', async (t) => {
  const bkt = new MemoryBucket();
  const ok = await put(bkt, meta(0, 2 * H));
  const partial = nextId();
  await bkt.upload(`${partial}/chunks/000001`, new Uint8Array([1]));
  const corrupt = nextId();
  await bkt.upload(`${corrupt}/meta.json`, new TextEncoder().encode('{"ulid":'));
  await bkt.upload('debug/metas/x.json', new Uint8Array([1]));
  const registry = createRegistry();
  const res = await new MetaFetcher({ bucket: bkt, registry }).fetch();
  t.same([...res.metas.keys()], [ok]);
  t.same([...res.partial], [partial]);
  t.same([...res.failed.keys()], [corrupt]);
  t.equal(res.states['no-meta-json'], 1);
  t.equal(res.states['corrupted-meta-json'], 1);
  t.match(await registry.metrics(), /athanor_blocks_meta_synced\{state="loaded"\} 1/);
});

t.test('time partition with relative and absolute bounds', async (t) => {
  const bkt = new MemoryBucket();
  const old = await put(bkt, meta(NOW - 60 * 24 * H, NOW - 59 * 24 * H));
  const mid = await put(bkt, meta(NOW - 10 * 24 * H, NOW - 9 * 24 * H));
  const recent = await put(bkt, meta(NOW - 2 * H, NOW));
  const f = (min: string, max: string) => new MetaFetcher({ bucket: bkt, now: () => NOW, filters: [timePartitionFilter(parseTimeFlag(min, 'min-time'), parseTimeFlag(max, 'max-time'))] }).fetch();
  t.same([...(await f('-30d', '0s')).metas.keys()].sort(), [mid, recent].sort());
  t.same([...(await f('-90d', '-30d')).metas.keys()], [old]);
  const r = await f('2026-11-14T00:00:00Z', '2026-11-16T00:00:00Z');
  t.same([...r.metas.keys()], [mid]);
  t.equal(r.states['time-excluded'], 2);
});

t.test('consistency delay drops fresh blocks except compactor output', async (t) => {
  const bkt = new MemoryBucket();
  const fresh = await put(bkt, meta(0, H, { ulidTime: NOW - 60_000 }));
  const freshCompacted = await put(bkt, meta(0, H, { ulidTime: NOW - 60_000, source: 'compactor', labels: { x: 'y' } }));
  const settled = await put(bkt, meta(0, H, { ulidTime: NOW - H, labels: { z: 'w' } }));
  const res = await new MetaFetcher({ bucket: bkt, now: () => NOW, filters: [consistencyDelayFilter(30 * 60_000)] }).fetch();
  t.notOk(res.metas.has(fresh));
  t.ok(res.metas.has(freshCompacted));
  t.ok(res.metas.has(settled));
  t.equal(res.states['too-fresh'], 1);
});

t.test('deletion marks older than the delay hide the block', async (t) => {
  const bkt = new MemoryBucket();
  const a = await put(bkt, meta(0, H));
  const b = await put(bkt, meta(H, 2 * H));
  await markBlock(bkt, { kind: 'deletion', id: a, version: 1, timeSec: (NOW - 25 * H) / 1000 });
  await markBlock(bkt, { kind: 'deletion', id: b, version: 1, timeSec: (NOW - H) / 1000 });
  const marks = new Map<string, number>();
  const res = await new MetaFetcher({ bucket: bkt, now: () => NOW, filters: [ignoreDeletionMarkFilter(24 * H, marks)] }).fetch();
  t.same([...res.metas.keys()], [b]);
  t.equal(marks.size, 2);
});

t.test('duplicates: a block whose sources are covered by a compacted block is dropped', async (t) => {
  const bkt = new MemoryBucket();
  const s1 = meta(0, 2 * H);
  const s2 = meta(2 * H, 4 * H);
  await put(bkt, s1); await put(bkt, s2);
  const compacted = await put(bkt, meta(0, 4 * H, { sources: [s1.ulid, s2.ulid] }));
  const other = await put(bkt, meta(0, 2 * H, { labels: { cluster: 'us' } }));
  const res = await new MetaFetcher({ bucket: bkt, filters: [deduplicateFilter()] }).fetch();
  t.same([...res.metas.keys()].sort(), [compacted, other].sort());
  t.equal(res.states.duplicate, 2);
});

t.test('hashmod label sharding splits blocks across shards exactly once', async (t) => {
  const bkt = new MemoryBucket();
  const all: string[] = [];
  for (let i = 0; i < 20; i++) all.push(await put(bkt, meta(i * H, (i + 1) * H)));
  const shard = (n: number) => parseRelabelConfigs(`
- action: hashmod
  source_labels: [__block_id]
  target_label: shard
  modulus: 2
- action: keep
  source_labels: [shard]
  regex: "${n}"
`);
  const dir = await mkdtemp(join(tmpdir(), 'athanor-metacache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const got = await Promise.all([0, 1].map(async (n) =>
    [...(await new MetaFetcher({ bucket: bkt, cacheDir: dir, filters: [labelShardFilter(shard(n))] }).fetch()).metas.keys()]));
  t.ok(got[0]!.length > 0 && got[1]!.length > 0, 'both shards get blocks');
  t.same([...got[0]!, ...got[1]!].sort(), all.sort(), 'every block in exactly one shard');
  t.throws(() => parseRelabelConfigs('- action: explode'), { code: 'LABELS_BAD_RELABEL' });
  t.throws(() => parseRelabelConfigs('- action: keep\n  bogus: 1'), { code: 'LABELS_BAD_RELABEL', message: /bogus/ });
});

t.test('cached metas are reused, but a block whose meta.json was deleted turns partial at once', async (t) => {
  const bkt = new MemoryBucket();
  const a = await put(bkt, meta(0, H));
  const b = await put(bkt, meta(H, 2 * H));
  const dir = await mkdtemp(join(tmpdir(), 'athanor-metacache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const f = new MetaFetcher({ bucket: bkt, cacheDir: dir });
  t.equal((await f.fetch()).metas.size, 2);
  await bkt.delete(`${a}/meta.json`);
  const again = await f.fetch();
  t.same([...again.metas.keys()], [b]);
  t.same([...again.partial], [a]);
  // A new fetcher on the same disk cache loads b without reading its meta.json from the bucket.
  let gets = 0;
  const counting = new Proxy(bkt, {
    get(target, prop) {
      if (prop === 'get') return (name: string) => { gets++; return target.get(name); };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const fresh = await new MetaFetcher({ bucket: counting, cacheDir: dir }).fetch();
  t.same([...fresh.metas.keys()], [b]);
  t.equal(gets, 0, 'served from the disk cache');
});
