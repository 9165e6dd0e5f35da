import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { fileOrContentFlag, yamlConfigFlags, type FlagSpec, type FlagValues } from '../../runtime/cli/command.js';
import { cacheBackendFrom, openRemoteCache, type CacheBackendConfig } from '../shared/cache/backend-config.js';
import { cacheConfigError } from '../shared/cache/errors.js';
import { ConfigReader } from '../shared/objstore/config-reader.js';
import { decodeConfigYaml } from '../shared/objstore/config.js';
import { ALL_INDEX_CACHE_ITEMS, DEFAULT_INDEX_CACHE_BYTES, IndexCache, type IndexCacheItem, type IndexCacheStore } from './index-cache.js';
import { DEFAULT_REMOTE_INDEX_CACHE_TTL_MS, RemoteIndexCache } from './remote-index-cache.js';

/** Thanos's index-cache config (`--index-cache.config`): backend, item types, ttl (remote backends). */
export interface IndexCacheConfig {
  readonly backend: CacheBackendConfig;
  readonly enabledItems: ReadonlySet<IndexCacheItem>;
  readonly ttlMs: number;
}

/** Item names Thanos accepts in `enabled_items`; athanor keeps no expanded-postings item, so that one caches nothing. */
const ITEM_NAMES = ['Postings', 'Series', 'ExpandedPostings'] as const;

/** Validates a decoded index-cache config document (unknown fields, types and items are refused). */
export function indexCacheConfigFrom(doc: unknown, source: string): IndexCacheConfig {
  const r = new ConfigReader(source, doc, ['type', 'config', 'enabled_items', 'ttl'], cacheConfigError);
  const backend = cacheBackendFrom(r, { maxSizeBytes: DEFAULT_INDEX_CACHE_BYTES, maxItemSizeBytes: DEFAULT_INDEX_CACHE_BYTES / 2 });
  const items = r.stringList('enabled_items');
  for (const it of items) {
    if (!(ITEM_NAMES as readonly string[]).includes(it)) throw r.bad('enabled_items', `a list of ${ITEM_NAMES.join(', ')}`, items);
  }
  const enabledItems = items.length === 0 ? ALL_INDEX_CACHE_ITEMS : new Set(items.filter((i): i is IndexCacheItem => i === 'Postings' || i === 'Series'));
  const ttlMs = r.durationMs('ttl', DEFAULT_REMOTE_INDEX_CACHE_TTL_MS);
  if (ttlMs <= 0) throw r.bad('ttl', 'a positive duration', r.raw('ttl'));
  return { backend, enabledItems, ttlMs };
}

/** Parses index-cache YAML text; `source` names it in errors. */
export function parseIndexCacheYaml(text: string, source: string): IndexCacheConfig {
  return indexCacheConfigFrom(decodeConfigYaml(text, source, cacheConfigError), source);
}

/** The store's index-cache config flags, named as Thanos's. */
export const indexCacheFlags: Readonly<Record<string, FlagSpec>> = yamlConfigFlags('index-cache.config', 'index cache',
  '(Thanos format; type IN-MEMORY, MEMCACHED or REDIS). Overrides --index-cache-size.');

/** The index-cache config named by the flags; without them, an IN-MEMORY cache of `fallbackBytes` (`--index-cache-size`). */
export async function indexCacheConfigFromFlags(values: FlagValues, fallbackBytes: number): Promise<IndexCacheConfig> {
  const given = await fileOrContentFlag(values, 'index-cache.config-file', 'index-cache.config', 'index cache config',
    cacheConfigError);
  if (given !== undefined) return parseIndexCacheYaml(given.text, given.source);
  return {
    backend: { type: 'IN-MEMORY', maxSizeBytes: fallbackBytes, maxItemSizeBytes: Math.floor(fallbackBytes / 2) },
    enabledItems: ALL_INDEX_CACHE_ITEMS, ttlMs: DEFAULT_REMOTE_INDEX_CACHE_TTL_MS,
  };
}

/** An index cache for `cfg`; `close` releases a remote backend's connections (no-op in memory). */
export function openIndexCache(cfg: IndexCacheConfig, o: { readonly registry?: Registry; readonly logger?: Logger }): IndexCacheStore & { close(): Promise<void> } {
  const be = cfg.backend;
  if (be.type === 'IN-MEMORY') {
    const c = new IndexCache({ maxBytes: be.maxSizeBytes, maxItemBytes: be.maxItemSizeBytes, enabledItems: cfg.enabledItems, registry: o.registry });
    return Object.assign(c, { close: () => Promise.resolve() });
  }
  const cache = openRemoteCache(be, { name: 'index-cache', registry: o.registry, logger: o.logger });
  return new RemoteIndexCache({ cache, ttlMs: cfg.ttlMs, enabledItems: cfg.enabledItems, registry: o.registry, logger: o.logger });
}
