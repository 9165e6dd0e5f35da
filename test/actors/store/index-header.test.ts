import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { deleteBlock } from '../../../actors/shared/block/upload.js';
import { CachingBucket } from '../../../actors/shared/objstore/caching-bucket.js';
import { DEFAULT_CACHING_BUCKET_CONFIG } from '../../../actors/shared/objstore/caching-config.js';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { readIndexHeader } from '../../../actors/store/index-header.js';
import { countingBucket, putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { makeSeries } from './data.js';
import { collectSeries } from './series-decode.js';

const ALL = seriesRequest({ matchers: [{ type: '=~', name: '__name__', value: '.+' }] });

t.test('index-headers persist under --data-dir: a restart opens blocks without reading index headers remotely', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-ih-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const raw = new MemoryBucket();
  const ids: string[] = [];
  for (const k of [0, 1]) {
    const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 20, Date.UTC(2026, 0, 1) + k * 7200_000, 240), { labels: { cluster: 'eu' } });
    await putBlockDir(raw, join(dir, 'local', meta.ulid), meta.ulid);
    ids.push(meta.ulid);
  }
  const bkt = countingBucket(raw);
  const dataDir = join(dir, 'data');
  const first = new BucketStore({ bucket: bkt, dataDir });
  await first.sync();
  const indexReads = () => bkt.stats.objects.filter((o) => o.endsWith('/index')).length;
  t.ok(indexReads() >= 3 * ids.length, `first start read the index headers remotely (${indexReads()} GETs)`);
  const want = (await collectSeries(first, ALL)).series;
  await first.close();
  for (const id of ids) {
    const h = await readIndexHeader(join(dataDir, id, 'index-header'), (await raw.attributes(`${id}/index`)).size);
    t.ok(h !== undefined && h.length >= 3, `${id}: index-header written with ${h?.length} ranges`);
  }

  bkt.stats.reset();
  const second = new BucketStore({ bucket: bkt, dataDir });
  t.same((await second.sync()).loaded, [...ids].sort());
  t.equal(indexReads(), 0, 'restart: no index range read to open the blocks');
  t.same((await collectSeries(second, ALL)).series, want, 'same answers');
  await second.close();

  // A damaged header is ignored and rewritten; the block still loads.
  const hp = join(dataDir, ids[0]!, 'index-header');
  const bytes = await readFile(hp);
  bytes[bytes.length - 10] ^= 0xff;
  await writeFile(hp, bytes);
  bkt.stats.reset();
  const third = new BucketStore({ bucket: bkt, dataDir });
  t.same((await third.sync()).loaded, [...ids].sort(), 'a damaged index-header does not stop the block');
  t.ok(indexReads() > 0, 'the damaged header was rebuilt from the bucket');
  t.ok((await readIndexHeader(hp, (await raw.attributes(`${ids[0]}/index`)).size)) !== undefined, 'and rewritten valid');

  // A block gone from the bucket loses its local files at the next sync.
  await deleteBlock(raw, ids[1]!);
  t.same((await third.sync()).loaded, [ids[0]]);
  await t.rejects(stat(join(dataDir, ids[1]!)), { code: 'ENOENT' }, 'its index-header directory is removed');
  await third.close();
});

t.test('lazy index-header reader: opened on first use, dropped when idle, reopened on demand', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-lazy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const raw = new MemoryBucket();
  const ids: string[] = [];
  for (const k of [0, 1]) {
    const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 5, Date.UTC(2026, 0, 1) + k * 7200_000, 240), { labels: { cluster: 'eu' } });
    await putBlockDir(raw, join(dir, 'local', meta.ulid), meta.ulid);
    ids.push(meta.ulid);
  }
  const bkt = countingBucket(raw);
  let now = Date.UTC(2026, 5, 1);
  const store = new BucketStore({ bucket: bkt, lazyIndexHeader: true, lazyIdleTimeoutMs: 60_000, now: () => now });
  t.teardown(() => store.close());
  t.same((await store.sync()).loaded, [...ids].sort());
  t.equal(bkt.stats.objects.filter((o) => o.endsWith('/index')).length, 0, 'sync reads no index');
  t.equal(store.indexHeadersLoaded, 0);
  const one = seriesRequest({ matchers: [{ type: '=', name: 'i', value: '1' }], minTime: Date.UTC(2026, 0, 1), maxTime: Date.UTC(2026, 0, 1) + 3600_000 });
  const first = await collectSeries(store, one);
  t.equal(first.series.length, 1);
  t.equal(store.indexHeadersLoaded, 1, 'only the block the query touched was opened');
  now += 30_000;
  t.equal(store.unloadIdle(), 0, 'not idle long enough');
  now += 31_000;
  t.equal(store.unloadIdle(), 1, 'dropped after the idle timeout');
  t.equal(store.indexHeadersLoaded, 0);
  t.same((await collectSeries(store, one)).series, first.series, 'reopened on demand with the same answer');
  t.same((await collectSeries(store, ALL)).series.length, 5);
  t.equal(store.indexHeadersLoaded, 2);
});

t.test('through the caching bucket, a repeated query reads no chunk bytes from the bucket', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-cb-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const raw = new MemoryBucket();
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 30, Date.UTC(2026, 0, 1), 480), { labels: { cluster: 'eu' } });
  await putBlockDir(raw, join(dir, 'local', meta.ulid), meta.ulid);
  const counted = countingBucket(raw);
  const store = new BucketStore({ bucket: new CachingBucket(counted, DEFAULT_CACHING_BUCKET_CONFIG) });
  t.teardown(() => store.close());
  await store.sync();
  const chunkReads = () => counted.stats.objects.filter((o) => o.includes('/chunks/')).length;
  counted.stats.reset();
  const a = await collectSeries(store, ALL);
  t.ok(chunkReads() > 0, `first query read chunks (${chunkReads()} GETs)`);
  counted.stats.reset();
  const b = await collectSeries(store, ALL);
  t.equal(chunkReads(), 0, 'second query: chunk sub-ranges served from the caching bucket');
  t.same(b.series, a.series, 'same answer');
});
