import type { RunMember } from '../../runtime/lifecycle/run-group.js';
import { childLogger } from '../../runtime/log/logger.js';
import type { ProcessContext } from '../../runtime/node/boot.js';
import type { Bucket } from '../shared/objstore/bucket.js';
import { remoteByteCache } from '../shared/cache/byte-cache.js';
import { openRemoteCache } from '../shared/cache/backend-config.js';
import { CachingBucket } from '../shared/objstore/caching-bucket.js';
import { cachingBucketConfigFromFlags } from '../shared/objstore/caching-config.js';
import { bucketFromFlags } from '../shared/objstore/factory.js';
import { serveStoreAPI } from '../shared/storeapi/server/serve.js';
import { BucketStore } from './bucket-store.js';
import { storeSettingsFromFlags } from './flags.js';
import { indexCacheConfigFromFlags, openIndexCache } from './index-cache-config.js';

/**
 * Wiring of `athanor store` (no behaviour here): bucket (+ caching bucket, in memory or remote) → index cache (in memory or remote) →
 * BucketStore → sync loop (ready after the first successful sync) → StoreAPI served on the
 * process transport and announced through discovery.
 */
export async function setupStore(ctx: ProcessContext): Promise<{ members: RunMember[]; ready: Promise<void> }> {
  const log = childLogger(ctx.log, { component: 'store' });
  const settings = await storeSettingsFromFlags(ctx.flags);
  const base = await bucketFromFlags(ctx.flags, { registry: ctx.metrics, logger: log });
  const caching = await cachingBucketConfigFromFlags(ctx.flags);
  const cachingLog = childLogger(log, { cache: 'caching-bucket' });
  const bucket: Bucket = caching === undefined ? base : new CachingBucket(base, caching, {
    registry: ctx.metrics,
    cache: caching.backend.type === 'IN-MEMORY' ? undefined : remoteByteCache(openRemoteCache(caching.backend, { name: 'caching-bucket', registry: ctx.metrics, logger: cachingLog })),
  });
  const indexCache = openIndexCache(await indexCacheConfigFromFlags(ctx.flags, settings.indexCacheBytes), { registry: ctx.metrics, logger: childLogger(log, { cache: 'index-cache' }) });
  const store = new BucketStore({
    bucket, dataDir: settings.dataDir, log, registry: ctx.metrics,
    indexCache,
    minTime: settings.minTime, maxTime: settings.maxTime, relabel: settings.relabel,
    consistencyDelayMs: settings.consistencyDelayMs, ignoreDeletionMarksDelayMs: settings.ignoreDeletionMarksDelayMs,
    blockSyncConcurrency: settings.blockSyncConcurrency, limits: settings.limits,
    lazyIndexHeader: settings.lazyIndexHeader, lazyIdleTimeoutMs: settings.lazyIdleTimeoutMs,
    postingOffsetsInMemSampling: settings.postingOffsetsInMemSampling,
  });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  const id = ctx.node;

  const sync: RunMember = {
    name: 'store-sync',
    async execute(signal) {
      try {
        await store.runSyncLoop(settings.syncIntervalMs, signal, (r) => {
          log.info({ loaded: r.loaded.length, failed: r.failed.size, partial: r.partial.size }, 'blocks synced');
          markReady();
        });
      } finally {
        await store.close();
        await indexCache.close();
        await bucket.close();
      }
    },
  };
  const serve: RunMember = {
    name: 'store-api',
    async execute(signal) {
      await Promise.race([ready, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
      if (signal.aborted) return;
      const stop = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      const server = await serveStoreAPI({
        transport: ctx.transport, subjects: ctx.subjects, host: ctx.host, component: 'store', id, impl: store,
        maxConcurrentSeries: settings.seriesMaxConcurrency, metrics: ctx.metrics,
        onError: (err, what) => log.warn({ err }, what),
      });
      await stop;
      await server.close();
    },
  };
  return { members: [sync, serve], ready };
}
