import type { MetricsFactory } from '../../runtime/metrics/registry.js';

/** The store gateway's own metrics (Thanos's `thanos_bucket_store_*`, prefixed `athanor_`). */
export function storeMetrics(f: MetricsFactory) {
  return {
    loaded: f.gauge({ name: 'athanor_bucket_store_blocks_loaded', help: 'Number of currently loaded blocks.' }),
    loads: f.counter({ name: 'athanor_bucket_store_block_loads_total', help: 'Total number of remote block loading attempts that succeeded.' }),
    loadFailures: f.counter({ name: 'athanor_bucket_store_block_load_failures_total', help: 'Total number of failed remote block loading attempts (block skipped).' }),
    drops: f.counter({ name: 'athanor_bucket_store_block_drops_total', help: 'Total number of local blocks that were dropped.' }),
    queryFailures: f.counter({ name: 'athanor_bucket_store_block_query_failures_total', help: 'Blocks that failed while answering a query (answered without them, with a warning).' }),
    syncFailures: f.counter({ name: 'athanor_bucket_store_sync_failures_total', help: 'Sync passes that failed (bucket not listable).' }),
    chunkRefetches: f.counter({ name: 'athanor_bucket_store_chunk_refetches_total', help: 'Chunks longer than the size estimate that had to be re-read.' }),
    lazyUnloads: f.counter({ name: 'athanor_bucket_store_indexheader_lazy_unload_total', help: 'Index-headers dropped from memory after being idle (lazy reader).' }),
    queriesDropped: f.counter({ name: 'athanor_bucket_store_queries_dropped_total', help: 'Queries refused by a per-request limit.', labelNames: ['reason'] as const }),
  };
}

export type StoreMetrics = ReturnType<typeof storeMetrics>;
