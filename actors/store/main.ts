import type { RunMember } from '../../runtime/lifecycle/run-group.js';
import { childLogger } from '../../runtime/log/logger.js';
import type { ProcessContext } from '../../runtime/node/boot.js';
import type { Transport } from '../../runtime/transport/transport.js';
import type { Bucket } from '../shared/objstore/bucket.js';
import { CachingBucket } from '../shared/objstore/caching-bucket.js';
import { cachingBucketConfigFromFlags } from '../shared/objstore/caching-config.js';
import { bucketFromFlags } from '../shared/objstore/factory.js';
import { serveStoreAPI } from '../shared/storeapi/server/serve.js';
import { BucketStore } from './bucket-store.js';
import { storeSettingsFromFlags } from './flags.js';
import { IndexCache } from './index-cache.js';

/**
 * Wiring of `athanor store` (no behaviour here): bucket (+ caching bucket) → index cache →
 * BucketStore → sync loop (ready after the first successful sync) → StoreAPI served on the
 * transport and announced through discovery. When the process context carries no transport
 * (runtime/node/boot.ts does not pass one yet), the store announces its Info without serving
 * subjects, so peers see it but cannot query it — see actors/store/README.md.
 */
export async function setupStore(ctx: ProcessContext): Promise<{ members: RunMember[]; ready: Promise<void> }> {
  const log = childLogger(ctx.log, { component: 'store' });
  const settings = await storeSettingsFromFlags(ctx.flags);
  const base = await bucketFromFlags(ctx.flags, { registry: ctx.metrics, logger: log });
  const caching = await cachingBucketConfigFromFlags(ctx.flags);
  const bucket: Bucket = caching === undefined ? base : new CachingBucket(base, caching, { registry: ctx.metrics });
  const store = new BucketStore({
    bucket, dataDir: settings.dataDir, log, registry: ctx.metrics,
    indexCache: new IndexCache({ maxBytes: settings.indexCacheBytes, registry: ctx.metrics }),
    minTime: settings.minTime, maxTime: settings.maxTime, relabel: settings.relabel,
    consistencyDelayMs: settings.consistencyDelayMs, ignoreDeletionMarksDelayMs: settings.ignoreDeletionMarksDelayMs,
    blockSyncConcurrency: settings.blockSyncConcurrency, limits: settings.limits,
    lazyIndexHeader: settings.lazyIndexHeader, lazyIdleTimeoutMs: settings.lazyIdleTimeoutMs,
  });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  const id = ctx.node;
  const transport = (ctx as ProcessContext & { readonly transport?: Transport }).transport;

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
      if (transport !== undefined) {
        const server = await serveStoreAPI({
          transport, subjects: ctx.subjects, host: ctx.host, component: 'store', id, impl: store,
          maxConcurrentSeries: settings.seriesMaxConcurrency, metrics: ctx.metrics,
          onError: (err, what) => log.warn({ err }, what),
        });
        await stop;
        await server.close();
        return;
      }
      log.warn({}, 'no transport in the process context: announcing Info without StoreAPI subjects');
      const presence = await ctx.host.announce({ component: 'store', id, serves: {}, info: await store.info() });
      const off = store.onInfoChange(() => { void store.info().then((i) => presence.update(i), () => undefined); });
      await stop;
      off();
      await presence.withdraw();
    },
  };
  return { members: [sync, serve], ready };
}
