import { CacheKeyError } from './errors.js';

/** Which remote backend a client talks to (the `backend` label of cache metrics). */
export type RemoteCacheBackend = 'memcached' | 'redis';

/**
 * A byte cache shared between processes (memcached, redis), as Thanos's `cache.RemoteCacheClient`.
 *
 * Contract:
 * - Keys are 1–250 bytes of printable ASCII without spaces (`isValidCacheKey`); callers hash
 *   anything else. A bad key throws CacheKeyError synchronously (a programming error).
 * - `getMulti` never rejects: a timeout, refused connection, protocol or server error counts the
 *   keys involved as misses (counted and logged, never per key). Keys may be fetched in batches
 *   and on several connections; the map holds only hits. It resolves within the client's timeout.
 * - `setAsync` / `deleteAsync` return at once; the write is queued (bounded by
 *   `max_async_buffer_size`, run with `max_async_concurrency`) and dropped — counted with a reason —
 *   when the queue is full, the item is larger than the client's max item size, or the backend
 *   fails. A ttl ≤ 0 stores nothing. Writes are not ordered with respect to reads.
 * - Values are returned as fresh Uint8Arrays the caller may keep; values passed in are not kept.
 * - `flush` waits until every write queued before the call has finished (tests, shutdown).
 * - `close` stops accepting writes, waits for queued ones (bounded by the client's timeout), closes
 *   every connection. Idempotent; after it, `getMulti` resolves empty and writes are dropped.
 */
export interface RemoteCache {
  readonly backend: RemoteCacheBackend;
  getMulti(keys: readonly string[]): Promise<Map<string, Uint8Array>>;
  setAsync(key: string, value: Uint8Array, ttlMs: number): void;
  deleteAsync(key: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const KEY = /^[\x21-\x7e]{1,250}$/;

/** True when `key` can be carried by the memcached text protocol (and therefore by every backend). */
export function isValidCacheKey(key: string): boolean { return KEY.test(key); }

/** Throws CacheKeyError unless `key` is valid; `op` names the operation in the message. */
export function checkCacheKey(key: string, op: string): void {
  if (!KEY.test(key)) {
    throw new CacheKeyError(`${op}: cache key ${JSON.stringify(key.slice(0, 80))}${key.length > 80 ? '…' : ''} must be 1-250 printable ASCII characters without spaces`, { data: { op, length: key.length } });
  }
}
