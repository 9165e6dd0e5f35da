import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Registry } from 'prom-client';
import { uploadBlock } from '../../../actors/shared/block/upload.js';
import { openRemoteCache, type RemoteBackendConfig } from '../../../actors/shared/cache/backend-config.js';
import { remoteByteCache } from '../../../actors/shared/cache/byte-cache.js';
import type { RemoteCache } from '../../../actors/shared/cache/remote-cache.js';
import type { Bucket } from '../../../actors/shared/objstore/bucket.js';
import { CachingBucket } from '../../../actors/shared/objstore/caching-bucket.js';
import { parseCachingBucketYaml } from '../../../actors/shared/objstore/caching-config.js';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { parseIndexCacheYaml } from '../../../actors/store/index-cache-config.js';
import { RemoteIndexCache } from '../../../actors/store/remote-index-cache.js';
import { startMemcached } from '../../harness/memcached.js';
import { openMetricsText } from '../../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../../harness/promtool.js';
import { startRedis } from '../../harness/redis.js';
import { answers } from './answers.js';
import { countingBucket } from './block-fixtures.js';

// Store gateways whose index cache and caching bucket live in a real memcached / redis answer exactly
// like a store with in-memory caches, share what they cache, and keep answering when the cache dies.
const dir = await mkdtemp(join(tmpdir(), 'store-remote-cache-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await writeFile(join(dir, 'in.om'), openMetricsText({ hours: 6, series: 30, families: 1, seed: 5, stepSec: 300 }));
const ids = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'blocks'));
const raw: Bucket = new FilesystemBucket({ directory: join(dir, 'bucket') });
for (const id of ids) await uploadBlock(raw, join(dir, 'blocks', id), { labels: { cluster: 'eu' } });
const reference = new BucketStore({ bucket: raw });
await reference.sync();
const want = await answers(reference);
await reference.close();
const memcached = await startMemcached();
const redis = await startRedis();
t.teardown(async () => { await memcached.stop(); await redis.stop(); });

const backends: Record<'MEMCACHED' | 'REDIS', string> = {
  MEMCACHED: `type: MEMCACHED\nconfig:\n  addresses: ["${memcached.address}"]\n  timeout: 2s\n`,
  REDIS: `type: REDIS\nconfig:\n  addr: ${redis.address}\n  read_timeout: 2s\n`,
};

/** A store gateway over `raw` whose index cache and caching bucket use the named backends. */
function gateway(index: 'MEMCACHED' | 'REDIS', chunks: 'MEMCACHED' | 'REDIS', name: string) {
  const registry = new Registry();
  const ic = parseIndexCacheYaml(backends[index], 'index cache');
  const cb = parseCachingBucketYaml(backends[chunks], 'caching bucket');
  const icClient = openRemoteCache(ic.backend as RemoteBackendConfig, { name: 'index-cache', registry });
  const cbClient = openRemoteCache(cb.backend as RemoteBackendConfig, { name: 'caching-bucket', registry });
  const counted = countingBucket(raw);
  const bucket = new CachingBucket(counted, cb, { registry, cache: remoteByteCache(cbClient) });
  const indexCache = new RemoteIndexCache({ cache: icClient, ttlMs: ic.ttlMs, registry });
  const store = new BucketStore({ bucket, indexCache, registry, dataDir: join(dir, `data-${name}`) });
  const metric = async (n: string, labels: Record<string, string> = {}): Promise<number> =>
    (await registry.getSingleMetric(n)?.get())?.values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
      .reduce((a, v) => a + v.value, 0) ?? 0;
  const flush = async (): Promise<void> => { await icClient.flush(); await cbClient.flush(); };
  const close = async (): Promise<void> => { await store.close(); await indexCache.close(); await bucket.close(); };
  return { store, counted, metric, flush, close, clients: [icClient, cbClient] as RemoteCache[] };
}

for (const [index, chunks] of [['MEMCACHED', 'REDIS'], ['REDIS', 'MEMCACHED']] as const) {
  t.test(`index cache in ${index}, chunks in ${chunks}: same answers, cached, shared between gateways`, async (t) => {
    const a = gateway(index, chunks, `${index}-a`);
    t.teardown(a.close);
    await a.store.sync();
    t.same(await answers(a.store), want, 'cold: every answer equals the in-memory store\'s');
    await a.flush();
    const coldBytes = a.counted.stats.bytes;
    a.counted.stats.reset();
    t.same(await answers(a.store), want, 'warm: the same answers');
    t.ok(await a.metric('athanor_store_index_cache_hits_total', { item_type: 'Postings' }) > 0, 'postings served from the remote index cache');
    t.ok(await a.metric('athanor_store_index_cache_hits_total', { item_type: 'Series' }) > 0, 'series served from the remote index cache');
    t.ok(await a.metric('athanor_store_bucket_cache_operation_hits_total', { operation: 'get_range' }) > 0, 'chunk subranges served from the remote caching bucket');
    t.ok(a.counted.stats.bytes < coldBytes / 4, `warm run read ${a.counted.stats.bytes} bytes from the bucket, cold ${coldBytes}`);
    const be = index.toLowerCase();
    t.ok(await a.metric(`athanor_${be}_operations_total`, { name: 'index-cache', operation: 'getmulti' }) > 0, `${be} client metrics`);

    const b = gateway(index, chunks, `${index}-b`);
    t.teardown(b.close);
    await b.store.sync();
    t.same(await answers(b.store), want, 'a second gateway answers the same');
    t.ok(await b.metric('athanor_store_index_cache_hits_total', { item_type: 'Series' }) > 0, 'its first queries already hit what the first gateway cached');
  });
}

t.test('a dead cache server costs hits, not answers', async (t) => {
  const g = gateway('MEMCACHED', 'REDIS', 'down');
  t.teardown(g.close);
  await g.store.sync();
  await memcached.stop();
  await redis.stop();
  t.same(await answers(g.store), want, 'answers unchanged with both cache servers down');
  t.ok(await g.metric('athanor_memcached_operation_failures_total') > 0, 'memcached failures counted');
  t.ok(await g.metric('athanor_redis_operation_failures_total') > 0, 'redis failures counted');
  await memcached.restart();
  await redis.restart();
});
