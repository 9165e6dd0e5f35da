import { createHash } from 'node:crypto';
import { isValidCacheKey, type RemoteCache } from './remote-cache.js';

/**
 * The cache behind a caching bucket: byte values by string key, in memory or remote.
 * `fetch` never rejects (a backend failure is a miss) and returns only hits; `store` and `delete`
 * return at once and may be dropped (too large, queue full, backend down); a ttl ≤ 0 stores
 * nothing. Values returned may be kept by the caller and must not be mutated.
 */
export interface ByteCache {
  fetch(keys: readonly string[]): Promise<Map<string, Uint8Array>>;
  store(key: string, value: Uint8Array, ttlMs: number): void;
  delete(key: string): void;
  /** Releases connections (remote) — idempotent. */
  close(): Promise<void>;
}

/** What an in-memory LRU offers (objstore's InMemoryCache). */
export interface SyncByteCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array, ttlMs: number): void;
  delete(key: string): void;
}

/** A ByteCache over an in-process LRU (hits answered without I/O). */
export function syncByteCache(c: SyncByteCache): ByteCache {
  return {
    fetch(keys) {
      const out = new Map<string, Uint8Array>();
      for (const k of keys) { const v = c.get(k); if (v !== undefined) out.set(k, v); }
      return Promise.resolve(out);
    },
    store: (k, v, ttl) => c.set(k, v, ttl),
    delete: (k) => c.delete(k),
    close: () => Promise.resolve(),
  };
}

/**
 * A ByteCache over a remote cache. Keys a remote protocol cannot carry (spaces, control characters,
 * longer than 250 bytes) are replaced by `H1:` + their SHA-256, so any object name can be cached.
 */
export function remoteByteCache(c: RemoteCache): ByteCache {
  const wire = (k: string): string => (isValidCacheKey(k) ? k : `H1:${createHash('sha256').update(k).digest('base64url')}`);
  return {
    async fetch(keys) {
      const names = keys.map(wire);
      const got = await c.getMulti(names);
      const out = new Map<string, Uint8Array>();
      for (let i = 0; i < keys.length; i++) { const v = got.get(names[i]!); if (v !== undefined) out.set(keys[i]!, v); }
      return out;
    },
    store: (k, v, ttl) => c.setAsync(wire(k), v, ttl),
    delete: (k) => c.deleteAsync(wire(k)),
    close: () => c.close(),
  };
}
