import { LRUCache } from 'lru-cache';
import type { Registry } from 'prom-client';
import { metricsFor } from '../../runtime/metrics/registry.js';
import type { Postings } from '../shared/tsdb/index/postings.js';
import type { SeriesEntry } from '../shared/tsdb/index/series.js';

/** Item types, named as Thanos's `item_type` label. */
export type IndexCacheItem = 'Postings' | 'Series';

/** Every item type (Thanos's default `enabled_items: []` means all). */
export const ALL_INDEX_CACHE_ITEMS: ReadonlySet<IndexCacheItem> = new Set(['Postings', 'Series']);

/** Thanos's default `--index-cache-size` (250MB, base-2). */
export const DEFAULT_INDEX_CACHE_BYTES = 250 * 1024 * 1024;

type Value = { readonly type: 'Postings'; readonly v: Postings } | { readonly type: 'Series'; readonly v: SeriesEntry };

export interface IndexCacheOptions {
  /** Total bytes (keys + values, estimated); 0 disables the cache. */
  readonly maxBytes?: number;
  /** Largest single item (default: maxBytes / 2, like Thanos's max_item_size default). */
  readonly maxItemBytes?: number;
  /** Item types cached (default all); others are neither looked up nor stored. */
  readonly enabledItems?: ReadonlySet<IndexCacheItem>;
  readonly registry?: Registry;
}

/**
 * What the store gateway asks of an index cache (Thanos's IndexCache: FetchMultiPostings /
 * StorePostings / FetchMultiSeries / StoreSeries). Fetches never throw: a backend failure counts
 * as misses (the index is read instead). Stores are fire-and-forget: they may be dropped (too
 * large, backend down, queue full) and never block the query. Values handed to `store*` and
 * returned by `fetch*` must not be mutated.
 */
export interface IndexCacheStore {
  /** The cached postings of `name=v` for each of `values`; misses are absent from the map. */
  fetchPostings(block: string, name: string, values: readonly string[]): Promise<Map<string, Postings>>;
  storePostings(block: string, name: string, value: string, p: Postings): void;
  /** The cached series entries of `refs`; misses are absent from the map. */
  fetchSeries(block: string, refs: ArrayLike<number>): Promise<Map<number, SeriesEntry>>;
  storeSeries(block: string, ref: number, e: SeriesEntry): void;
}

/**
 * The store gateway's in-memory index cache: postings lists (per block, label name and value) and
 * decoded series entries (per block and series ref), in one LRU bounded by bytes. Values are kept
 * decoded (postings as Uint32Array, 4 B per ref; series entries estimated from their labels and chunk
 * metas) rather than in Thanos's compressed form, trading memory for no decode on a hit. Items larger
 * than `maxItemBytes` are not stored (counted as overflowed). Metrics (`item_type` label):
 * `athanor_store_index_cache_{requests,hits,items_added,items_evicted,items_overflowed}_total`,
 * `athanor_store_index_cache_{items,items_size_bytes,max_size_bytes}`.
 */
export class IndexCache implements IndexCacheStore {
  private readonly lru: LRUCache<string, Value> | undefined;
  private readonly maxItem: number;
  private readonly m: IndexCacheMetrics | undefined;
  private readonly enabled: ReadonlySet<IndexCacheItem>;

  constructor(o: IndexCacheOptions = {}) {
    const max = o.maxBytes ?? DEFAULT_INDEX_CACHE_BYTES;
    this.maxItem = o.maxItemBytes ?? Math.floor(max / 2);
    this.enabled = o.enabledItems ?? ALL_INDEX_CACHE_ITEMS;
    this.m = o.registry === undefined ? undefined : indexCacheMetrics(o.registry);
    this.m?.maxSize.set(max);
    if (max <= 0) return;
    this.lru = new LRUCache<string, Value>({
      maxSize: max,
      sizeCalculation: (v, k) => Math.max(1, valueBytes(v) + k.length * 2),
      dispose: (v, k, reason) => {
        this.m?.items.dec({ item_type: v.type });
        this.m?.size.dec({ item_type: v.type }, valueBytes(v) + k.length * 2);
        if (reason === 'evict') this.m?.evicted.inc({ item_type: v.type });
      },
    });
  }

  getPostings(block: string, name: string, value: string): Postings | undefined {
    return this.get('Postings', lruPostingsKey(block, name, value)) as Postings | undefined;
  }

  setPostings(block: string, name: string, value: string, p: Postings): void {
    this.set(lruPostingsKey(block, name, value), { type: 'Postings', v: p });
  }

  fetchPostings(block: string, name: string, values: readonly string[]): Promise<Map<string, Postings>> {
    const out = new Map<string, Postings>();
    if (!this.enabled.has('Postings')) return Promise.resolve(out);
    for (const v of values) {
      const hit = this.lookup(lruPostingsKey(block, name, v)) as Postings | undefined;
      if (hit !== undefined) out.set(v, hit);
    }
    this.count('Postings', values.length, out.size);
    return Promise.resolve(out);
  }

  storePostings(block: string, name: string, value: string, p: Postings): void { this.setPostings(block, name, value, p); }

  fetchSeries(block: string, refs: ArrayLike<number>): Promise<Map<number, SeriesEntry>> {
    const out = new Map<number, SeriesEntry>();
    if (!this.enabled.has('Series')) return Promise.resolve(out);
    for (let i = 0; i < refs.length; i++) {
      const hit = this.lookup(lruSeriesKey(block, refs[i]!)) as SeriesEntry | undefined;
      if (hit !== undefined) out.set(refs[i]!, hit);
    }
    // Counted once per batch: a labelled counter increment per lookup cost as much as the lookup.
    this.count('Series', refs.length, out.size);
    return Promise.resolve(out);
  }

  storeSeries(block: string, ref: number, e: SeriesEntry): void { this.setSeries(block, ref, e); }

  getSeries(block: string, ref: number): SeriesEntry | undefined {
    return this.get('Series', lruSeriesKey(block, ref)) as SeriesEntry | undefined;
  }

  setSeries(block: string, ref: number, e: SeriesEntry): void {
    this.set(lruSeriesKey(block, ref), { type: 'Series', v: e });
  }

  /** Bytes currently held (estimated). */
  get sizeBytes(): number { return this.lru?.calculatedSize ?? 0; }

  private get(type: IndexCacheItem, key: string): Postings | SeriesEntry | undefined {
    if (!this.enabled.has(type)) return undefined;
    const v = this.lookup(key);
    this.count(type, 1, v === undefined ? 0 : 1);
    return v;
  }

  private lookup(key: string): Postings | SeriesEntry | undefined {
    return this.lru?.get(key)?.v;
  }

  private count(type: IndexCacheItem, requests: number, hits: number): void {
    if (this.m === undefined || requests === 0) return;
    this.m.requests.inc({ item_type: type }, requests);
    if (hits > 0) this.m.hits.inc({ item_type: type }, hits);
  }

  private set(key: string, v: Value): void {
    if (this.lru === undefined || !this.enabled.has(v.type) || this.lru.has(key)) return;
    const size = valueBytes(v) + key.length * 2;
    if (size > this.maxItem) { this.m?.overflowed.inc({ item_type: v.type }); return; }
    this.lru.set(key, v);
    this.m?.added.inc({ item_type: v.type });
    this.m?.items.inc({ item_type: v.type });
    this.m?.size.inc({ item_type: v.type }, size);
  }
}

/** The in-memory LRU key of a postings list (remote caches use index-cache-codec.ts keys; the name's length keeps `a:b` + `c` apart from `a` + `b:c`). */
function lruPostingsKey(block: string, name: string, value: string): string { return `P:${block}:${name.length}:${name}:${value}`; }

/** The in-memory LRU key of a series entry. */
function lruSeriesKey(block: string, ref: number): string { return `S:${block}:${ref}`; }

function valueBytes(v: Value): number {
  if (v.type === 'Postings') return v.v.byteLength + 64;
  let n = 64 + v.v.chunks.length * 40;
  for (const l of v.v.labels) n += 48 + 2 * (l.name.length + l.value.length);
  return n;
}

export type IndexCacheMetrics = ReturnType<typeof indexCacheMetrics>;

/** The index cache's metrics (`item_type` label), shared by the in-memory and remote index caches. */
export function indexCacheMetrics(reg: Registry) {
  const f = metricsFor(reg);
  const l = { labelNames: ['item_type'] as const };
  return {
    requests: f.counter({ name: 'athanor_store_index_cache_requests_total', help: 'Index cache lookups.', ...l }),
    hits: f.counter({ name: 'athanor_store_index_cache_hits_total', help: 'Index cache lookups that found the item.', ...l }),
    added: f.counter({ name: 'athanor_store_index_cache_items_added_total', help: 'Items added to the index cache.', ...l }),
    evicted: f.counter({ name: 'athanor_store_index_cache_items_evicted_total', help: 'Items evicted from the index cache.', ...l }),
    overflowed: f.counter({ name: 'athanor_store_index_cache_items_overflowed_total', help: 'Items too large for the index cache.', ...l }),
    items: f.gauge({ name: 'athanor_store_index_cache_items', help: 'Items in the index cache.', ...l }),
    size: f.gauge({ name: 'athanor_store_index_cache_items_size_bytes', help: 'Estimated bytes of the items in the index cache.', ...l }),
    maxSize: f.gauge({ name: 'athanor_store_index_cache_max_size_bytes', help: 'Maximum bytes of the index cache.' }),
  };
}
