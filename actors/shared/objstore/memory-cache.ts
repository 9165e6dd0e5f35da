import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface InMemoryCacheOptions {
  /** Bound on keys + values held, in bytes (Thanos `max_size`). */
  readonly maxSizeBytes: number;
  /** Larger items are not stored (Thanos `max_item_size`). */
  readonly maxItemSizeBytes: number;
  /** `name` label of the metrics (Thanos uses `caching-bucket`). */
  readonly name?: string;
  readonly registry?: Registry;
  /** Milliseconds clock for TTLs (default performance.now); tests inject one. */
  readonly now?: () => number;
}

function metric<T>(reg: Registry | undefined, name: string, make: (registers: Registry[]) => T): T {
  const existing = reg?.getSingleMetric(name) as T | undefined;
  return existing ?? make(reg === undefined ? [] : [reg]);
}

/**
 * A byte-bounded LRU of byte values with a TTL per item, named and measured like Thanos's in-memory
 * cache (`athanor_cache_inmemory_*`). An item's size is its key length plus its value length.
 */
export class InMemoryCache {
  readonly #lru: LRUCache<string, Uint8Array>;
  readonly #maxItem: number;
  readonly #m: { requests: Counter; hits: Counter; added: Counter; evicted: Counter; overflowed: Counter };
  readonly #name: string;

  constructor(o: InMemoryCacheOptions) {
    this.#maxItem = o.maxItemSizeBytes;
    this.#name = o.name ?? 'caching-bucket';
    const now = o.now ?? ((): number => performance.now());
    this.#lru = new LRUCache<string, Uint8Array>({
      maxSize: Math.max(1, o.maxSizeBytes),
      sizeCalculation: (v, k) => Math.max(1, v.byteLength + k.length),
      ttlResolution: 0, ttlAutopurge: false, allowStale: false, updateAgeOnGet: false,
      perf: { now: () => now() + 1 }, // lru-cache reads a start time of 0 as "no TTL"
      dispose: (_v, _k, reason) => { if (reason === 'evict') this.#m.evicted.labels(this.#name).inc(); },
    });
    const reg = o.registry;
    const L = ['name'] as const;
    const counter = (name: string, help: string): Counter => metric(reg, name, (registers) => new Counter({ name, help, labelNames: L, registers })) as Counter;
    this.#m = {
      requests: counter('athanor_cache_inmemory_requests_total', 'Total number of requests to the cache.'),
      hits: counter('athanor_cache_inmemory_hits_total', 'Total number of requests to the cache that were a hit.'),
      added: counter('athanor_cache_inmemory_items_added_total', 'Total number of items that were added to the cache.'),
      evicted: counter('athanor_cache_inmemory_items_evicted_total', 'Total number of items that were evicted from the cache.'),
      overflowed: counter('athanor_cache_inmemory_items_overflowed_total', 'Total number of items that could not be added to the cache due to being too big.'),
    };
    const self = this;
    const gauge = (name: string, help: string, value: () => number): void => {
      const g = metric(reg, name, (registers) => new Gauge({ name, help, labelNames: L, registers }));
      g.labels(this.#name).set(value());
      // Refresh on scrape: the last registered cache of a name wins, which is the one alive.
      (g as unknown as { collect?: () => void }).collect = function () { g.labels(self.#name).set(value()); };
    };
    gauge('athanor_cache_inmemory_items', 'Current number of items in the cache.', () => this.#lru.size);
    gauge('athanor_cache_inmemory_total_size_bytes', 'Current number of bytes held by the cache (keys and values).', () => this.#lru.calculatedSize);
    gauge('athanor_cache_inmemory_max_size_bytes', 'Maximum number of bytes the cache can hold.', () => o.maxSizeBytes);
    gauge('athanor_cache_inmemory_max_item_size_bytes', 'Maximum number of bytes of one item.', () => o.maxItemSizeBytes);
  }

  /** The live value of `key`, or undefined (absent or expired). */
  get(key: string): Uint8Array | undefined {
    this.#m.requests.labels(this.#name).inc();
    const v = this.#lru.get(key);
    if (v !== undefined) this.#m.hits.labels(this.#name).inc();
    return v;
  }

  /** Stores `value` for `ttlMs`; values above max_item_size are counted as overflowed and dropped. */
  set(key: string, value: Uint8Array, ttlMs: number): void {
    if (ttlMs <= 0) return;
    if (value.byteLength + key.length > this.#maxItem) { this.#m.overflowed.labels(this.#name).inc(); return; }
    this.#lru.set(key, value, { ttl: ttlMs });
    if (this.#lru.has(key)) this.#m.added.labels(this.#name).inc();
  }

  delete(key: string): void { this.#lru.delete(key); }

  /** Bytes held (keys + values). */
  get sizeBytes(): number { return this.#lru.calculatedSize; }

  get items(): number { return this.#lru.size; }
}
