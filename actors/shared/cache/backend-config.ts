import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConfigReader } from '../objstore/config-reader.js';
import { MemcachedClient } from './memcached/client.js';
import { memcachedClientConfigFrom, type MemcachedClientConfig } from './memcached/config.js';
import { RedisClient } from './redis/client.js';
import { redisClientConfigFrom, type RedisClientConfig } from './redis/config.js';
import type { RemoteCache } from './remote-cache.js';

/** A cache backend of Thanos's cache configs (`type` + `config`), validated. */
export type CacheBackendConfig =
  | { readonly type: 'IN-MEMORY'; readonly maxSizeBytes: number; readonly maxItemSizeBytes: number }
  | { readonly type: 'MEMCACHED'; readonly memcached: MemcachedClientConfig }
  | { readonly type: 'REDIS'; readonly redis: RedisClientConfig };

export type RemoteBackendConfig = Exclude<CacheBackendConfig, { type: 'IN-MEMORY' }>;

/**
 * Reads `type` (case-insensitive, as Thanos) and `config` of a cache config mapping. IN-MEMORY reads
 * `max_size` / `max_item_size` with `inMemory`'s defaults (the item bound may not exceed the total);
 * MEMCACHED and REDIS read Thanos's client configs. GROUPCACHE and unknown types are refused.
 */
export function cacheBackendFrom(r: ConfigReader, inMemory: { readonly maxSizeBytes: number; readonly maxItemSizeBytes: number }): CacheBackendConfig {
  const raw = r.string('type');
  const type = raw.toUpperCase();
  const where = `${r.where}.config`;
  switch (type) {
    case 'IN-MEMORY': {
      const be = r.sub('config', ['max_size', 'max_item_size']);
      const maxSizeBytes = be.bytes('max_size', inMemory.maxSizeBytes);
      const maxItemSizeBytes = be.bytes('max_item_size', Math.min(inMemory.maxItemSizeBytes, maxSizeBytes));
      if (maxItemSizeBytes > maxSizeBytes) throw be.error(`max_item_size (${maxItemSizeBytes}) must not exceed max_size (${maxSizeBytes})`);
      return { type, maxSizeBytes, maxItemSizeBytes };
    }
    case 'MEMCACHED': return { type, memcached: memcachedClientConfigFrom(r.raw('config'), where) };
    case 'REDIS': return { type, redis: redisClientConfigFrom(r.raw('config'), where) };
    default: {
      const why = type === 'GROUPCACHE' ? 'is a Thanos backend athanor does not implement' : 'is not a known cache type';
      throw r.error(`cache type ${JSON.stringify(raw)} ${why} (supported: IN-MEMORY, MEMCACHED, REDIS)`, { field: 'type' });
    }
  }
}

export interface OpenCacheOptions {
  /** Tells this client's metrics apart (`index-cache`, `caching-bucket`). */
  readonly name: string;
  readonly registry?: Registry;
  readonly logger?: Logger;
}

/** A client for a remote backend; connections are made on first use. Close it when done. */
export function openRemoteCache(be: RemoteBackendConfig, o: OpenCacheOptions): RemoteCache {
  return be.type === 'MEMCACHED' ? new MemcachedClient(be.memcached, o) : new RedisClient(be.redis, o);
}
