import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { metricsFor } from '../../runtime/metrics/registry.js';
import type { RemoteCache } from '../shared/cache/remote-cache.js';
import type { Postings } from '../shared/tsdb/index/postings.js';
import type { SeriesEntry } from '../shared/tsdb/index/series.js';
import { decodePostings, decodeSeries, encodePostings, encodeSeries, postingsKey, seriesKey } from './index-cache-codec.js';
import { ALL_INDEX_CACHE_ITEMS, indexCacheMetrics, type IndexCacheItem, type IndexCacheMetrics, type IndexCacheStore } from './index-cache.js';

/** Thanos's default ttl of index-cache items in memcached/redis. */
export const DEFAULT_REMOTE_INDEX_CACHE_TTL_MS = 24 * 3_600_000;

export interface RemoteIndexCacheOptions {
  readonly cache: RemoteCache;
  /** Lifetime of stored items (Thanos `ttl`, default 24h). */
  readonly ttlMs?: number;
  /** Item types cached (default all). */
  readonly enabledItems?: ReadonlySet<IndexCacheItem>;
  readonly registry?: Registry;
  readonly logger?: Logger;
}

/**
 * The index cache in memcached or redis, shared by every store gateway of a bucket: postings and
 * series entries in the versioned byte forms of `index-cache-codec.ts`, keyed by block ULID (block
 * contents never change, so items never go stale; ttl bounds their life). A value that does not
 * decode (another writer, an older format, cut short) is a miss, counted in
 * `athanor_store_index_cache_corrupt_items_total`. Fetches never fail (the backend client counts
 * its failures as misses); stores are queued by the client and may be dropped.
 */
export class RemoteIndexCache implements IndexCacheStore {
  readonly #c: RemoteCache;
  readonly #ttl: number;
  readonly #enabled: ReadonlySet<IndexCacheItem>;
  readonly #m: IndexCacheMetrics | undefined;
  readonly #corrupt: ReturnType<typeof corruptCounter> | undefined;
  readonly #log: Logger | undefined;

  constructor(o: RemoteIndexCacheOptions) {
    this.#c = o.cache;
    this.#ttl = o.ttlMs ?? DEFAULT_REMOTE_INDEX_CACHE_TTL_MS;
    this.#enabled = o.enabledItems ?? ALL_INDEX_CACHE_ITEMS;
    this.#m = o.registry === undefined ? undefined : indexCacheMetrics(o.registry);
    this.#corrupt = o.registry === undefined ? undefined : corruptCounter(o.registry);
    this.#log = o.logger;
  }

  fetchPostings(block: string, name: string, values: readonly string[]): Promise<Map<string, Postings>> {
    return this.#fetch('Postings', values, (v) => postingsKey(block, name, v), decodePostings);
  }

  storePostings(block: string, name: string, value: string, p: Postings): void {
    this.#store('Postings', postingsKey(block, name, value), () => encodePostings(p));
  }

  fetchSeries(block: string, refs: ArrayLike<number>): Promise<Map<number, SeriesEntry>> {
    return this.#fetch('Series', Array.from(refs), (r) => seriesKey(block, r), decodeSeries);
  }

  storeSeries(block: string, ref: number, e: SeriesEntry): void {
    this.#store('Series', seriesKey(block, ref), () => encodeSeries(e));
  }

  /** Closes the backend client (waits for queued writes, bounded by its timeout). */
  close(): Promise<void> { return this.#c.close(); }

  async #fetch<K, V>(type: IndexCacheItem, ids: readonly K[], keyOf: (id: K) => string, decode: (b: Uint8Array, what: string) => V): Promise<Map<K, V>> {
    const out = new Map<K, V>();
    if (!this.#enabled.has(type) || ids.length === 0) return out;
    this.#m?.requests.inc({ item_type: type }, ids.length);
    const keys = ids.map(keyOf);
    const got = await this.#c.getMulti(keys);
    let bad = 0;
    for (let i = 0; i < ids.length; i++) {
      const b = got.get(keys[i]!);
      if (b === undefined) continue;
      try { out.set(ids[i]!, decode(b, keys[i]!)); } catch (err) {
        if (bad++ === 0) this.#log?.warn({ err, key: keys[i], backend: this.#c.backend }, 'index cache item does not decode; treated as a miss');
      }
    }
    if (bad > 0) this.#corrupt?.inc({ item_type: type }, bad);
    this.#m?.hits.inc({ item_type: type }, out.size);
    return out;
  }

  #store(type: IndexCacheItem, key: string, encode: () => Uint8Array): void {
    if (!this.#enabled.has(type)) return;
    this.#c.setAsync(key, encode(), this.#ttl);
    this.#m?.added.inc({ item_type: type });
  }
}

function corruptCounter(reg: Registry) {
  return metricsFor(reg).counter({
    name: 'athanor_store_index_cache_corrupt_items_total', help: 'Items read from a remote index cache that did not decode (counted as misses).', labelNames: ['item_type'] as const,
  });
}
