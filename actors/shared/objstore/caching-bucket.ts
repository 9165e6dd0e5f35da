import type { Readable } from 'node:stream';
import { Counter, type Registry } from 'prom-client';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from './bucket.js';
import { bytesStream, collect } from './body.js';
import { syncByteCache, type ByteCache } from '../cache/byte-cache.js';
import type { CachingBucketConfig } from './caching-config.js';
import { ObjstoreError, isObjectNotFound, notFound } from './errors.js';
import { InMemoryCache } from './memory-cache.js';
import { checkName, checkRange, isChunkFile, isMetaFile, rangePastEnd } from './names.js';
import { planFetches, subrangesFor, type Subrange } from './subranges.js';

const CHUNKS = 'chunks';
const METAS = 'meta.jsons';
const ITER = 'blocks-iter';
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * A JSON value read back from the cache, or undefined when absent or not of the expected shape
 * (a remote cache is shared: a value of another writer or version is a miss, never trusted).
 */
function cachedJson<T>(b: Uint8Array | undefined, ok: (v: unknown) => v is T): T | undefined {
  if (b === undefined) return undefined;
  try { const v: unknown = JSON.parse(dec.decode(b)); return ok(v) ? v : undefined; } catch { return undefined; }
}
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isAttrs = (v: unknown): v is { size: number; lastModified: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { size?: unknown }).size) && (v as { size: number }).size >= 0 &&
  Number.isFinite((v as { lastModified?: unknown }).lastModified);

function subKey(gen: number, name: string, s: Subrange): string { return `subrange:${gen}:${name}:${s.start}:${s.end}`; }

class CacheMetrics {
  readonly requests: Counter<'operation' | 'config'>;
  readonly hits: Counter<'operation' | 'config'>;
  readonly requested: Counter<'config'>;
  readonly fetched: Counter<'origin' | 'config'>;
  readonly refetched: Counter<'origin' | 'config'>;
  constructor(reg: Registry | undefined) {
    const registers = reg === undefined ? [] : [reg];
    const get = <T>(name: string, make: () => T): T => (reg?.getSingleMetric(name) as T | undefined) ?? make();
    const OC = ['operation', 'config'] as const;
    const GC = ['origin', 'config'] as const;
    this.requests = get('athanor_store_bucket_cache_operation_requests_total', () => new Counter({ name: 'athanor_store_bucket_cache_operation_requests_total', help: 'Number of requested operations matching given config.', labelNames: OC, registers }));
    this.hits = get('athanor_store_bucket_cache_operation_hits_total', () => new Counter({ name: 'athanor_store_bucket_cache_operation_hits_total', help: 'Number of operations served from cache for given config.', labelNames: OC, registers }));
    this.requested = get('athanor_store_bucket_cache_getrange_requested_bytes_total', () => new Counter({ name: 'athanor_store_bucket_cache_getrange_requested_bytes_total', help: 'Total number of bytes requested via GetRange.', labelNames: ['config'] as const, registers }));
    this.fetched = get('athanor_store_bucket_cache_getrange_fetched_bytes_total', () => new Counter({ name: 'athanor_store_bucket_cache_getrange_fetched_bytes_total', help: 'Total number of bytes fetched because of GetRange, by origin (cache or bucket).', labelNames: GC, registers }));
    this.refetched = get('athanor_store_bucket_cache_getrange_refetched_bytes_total', () => new Counter({ name: 'athanor_store_bucket_cache_getrange_refetched_bytes_total', help: 'Total number of bytes re-fetched from the bucket despite being in cache.', labelNames: GC, registers }));
  }
}

export interface CachingBucketOptions {
  readonly registry?: Registry;
  /**
   * The cache to use; required when the config's backend is remote (MEMCACHED/REDIS — open it with
   * `openRemoteCache + remoteByteCache`); for IN-MEMORY an in-process LRU of the config's sizes is made when absent.
   * The bucket closes it on close.
   */
  readonly cache?: ByteCache;
  /** Milliseconds clock for TTLs (tests inject one). */
  readonly now?: () => number;
}

/**
 * Caches what a store gateway reads over and over, as Thanos's caching bucket does:
 * - chunk segment files (`<block>/chunks/<n>`): `getRange` in aligned `chunk_subrange_size` pieces
 *   (at most `max_chunks_get_range_requests` backend GETs per call) and `attributes`;
 * - `meta.json` and `deletion-mark.json`: `exists` (present/absent TTLs) and `get` content up to
 *   `metafile_max_size`;
 * - the root listing `iter('')`.
 * Everything else passes through. Uploads and deletes through this wrapper invalidate what it cached
 * for that object and the root listing; writes by other processes are seen once TTLs expire.
 */
export class CachingBucket implements Bucket {
  readonly name: string;
  readonly provider: Bucket['provider'];
  readonly cache: ByteCache;
  /** The in-process LRU when the backend is IN-MEMORY and no cache was given (sizes for tests and metrics). */
  readonly memory: InMemoryCache | undefined;
  readonly #b: Bucket;
  readonly #c: CachingBucketConfig;
  readonly #m: CacheMetrics;
  readonly #gen = new Map<string, number>();
  #writes = 0;

  constructor(inner: Bucket, cfg: CachingBucketConfig, opts: CachingBucketOptions = {}) {
    this.#b = inner;
    this.#c = cfg;
    this.name = inner.name;
    this.provider = inner.provider;
    const be = cfg.backend;
    if (opts.cache !== undefined) {
      this.cache = opts.cache;
      this.memory = undefined;
    } else if (be.type === 'IN-MEMORY') {
      this.memory = new InMemoryCache({ maxSizeBytes: be.maxSizeBytes, maxItemSizeBytes: be.maxItemSizeBytes, registry: opts.registry, now: opts.now });
      this.cache = syncByteCache(this.memory);
    } else {
      throw new ObjstoreError(`caching bucket: a ${be.type} backend needs an open cache (openRemoteCache + remoteByteCache)`, { retryable: false, data: { op: 'caching_bucket' } });
    }
    this.#m = new CacheMetrics(opts.registry);
    for (const [op, c] of [['get_range', CHUNKS], ['attributes', CHUNKS], ['exists', METAS], ['get', METAS], ['iter', ITER]] as const) {
      this.#m.requests.labels(op, c).inc(0); this.#m.hits.labels(op, c).inc(0);
    }
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    if ((dir !== '' && dir !== '/') || o?.recursive === true) { yield* this.#b.iter(dir, o); return; }
    this.#m.requests.labels('iter', ITER).inc();
    const writes = this.#writes;
    const hit = cachedJson((await this.cache.fetch(['iter:'])).get('iter:'), isStringList);
    if (hit !== undefined) {
      this.#m.hits.labels('iter', ITER).inc();
      yield* hit;
      return;
    }
    const names: string[] = [];
    for await (const n of this.#b.iter(dir, o)) names.push(n);
    if (writes === this.#writes) this.cache.store('iter:', enc.encode(JSON.stringify(names)), this.#c.blocksIterTtlMs);
    yield* names;
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    if (!isMetaFile(name)) return this.#b.get(name, o);
    this.#m.requests.labels('get', METAS).inc();
    // Keys are fixed before any await, so a write racing this read cannot be shadowed by stale data.
    const key = this.#key('content', name);
    const exKey = this.#key('exists', name);
    const cached = await this.cache.fetch([key, exKey]);
    const hit = cached.get(key);
    if (hit !== undefined) { this.#m.hits.labels('get', METAS).inc(); return bytesStream(hit, o?.signal); }
    const ex = cached.get(exKey);
    if (ex !== undefined && ex[0] === 0) { this.#m.hits.labels('get', METAS).inc(); throw notFound('get', name); }
    let data: Uint8Array;
    try { data = await collect(await this.#b.get(name, o), o?.signal); } catch (e) {
      if (isObjectNotFound(e)) this.cache.store(exKey, Uint8Array.of(0), this.#c.metafileDoesntExistTtlMs);
      throw e;
    }
    if (data.byteLength <= this.#c.metafileMaxSize) {
      this.cache.store(key, data.slice(), this.#c.metafileContentTtlMs);
      this.cache.store(exKey, Uint8Array.of(1), this.#c.metafileExistsTtlMs);
    }
    return bytesStream(data, o?.signal);
  }

  async exists(name: string, o?: OpOptions): Promise<boolean> {
    if (!isMetaFile(name)) return this.#b.exists(name, o);
    this.#m.requests.labels('exists', METAS).inc();
    const key = this.#key('exists', name);
    const hit = (await this.cache.fetch([key])).get(key);
    if (hit !== undefined) { this.#m.hits.labels('exists', METAS).inc(); return hit[0] === 1; }
    const ok = await this.#b.exists(name, o);
    this.cache.store(key, Uint8Array.of(ok ? 1 : 0), ok ? this.#c.metafileExistsTtlMs : this.#c.metafileDoesntExistTtlMs);
    return ok;
  }

  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    if (!isChunkFile(name)) return this.#b.attributes(name, o);
    this.#m.requests.labels('attributes', CHUNKS).inc();
    const key = this.#key('attrs', name);
    const v = cachedJson((await this.cache.fetch([key])).get(key), isAttrs);
    if (v !== undefined) {
      this.#m.hits.labels('attributes', CHUNKS).inc();
      return { size: v.size, lastModified: new Date(v.lastModified) };
    }
    const a = await this.#b.attributes(name, o);
    this.cache.store(key, enc.encode(JSON.stringify({ size: a.size, lastModified: a.lastModified.getTime() })), this.#c.chunkObjectAttrsTtlMs);
    return a;
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    if (!isChunkFile(name)) return this.#b.getRange(name, offset, length, o);
    checkName('get_range', name);
    checkRange(name, offset, length);
    const gen = this.#gen.get(name) ?? 0;
    const { size } = await this.attributes(name, o);
    this.#m.requests.labels('get_range', CHUNKS).inc();
    this.#m.requested.labels(CHUNKS).inc(length);
    if (offset >= size) throw rangePastEnd(name, offset, size);
    const end = Math.min(offset + length, size);
    const subs = subrangesFor(offset, end, size, this.#c.chunkSubrangeSize);
    const got = new Map<number, Uint8Array>();
    const missing: Subrange[] = [];
    const keys = subs.map((s) => subKey(gen, name, s));
    const cached = await this.cache.fetch(keys);
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i]!;
      const v = cached.get(keys[i]!);
      if (v !== undefined && v.byteLength === s.end - s.start) got.set(s.start, v); else missing.push(s);
    }
    let cachedBytes = 0;
    for (const v of got.values()) cachedBytes += v.byteLength;
    this.#m.fetched.labels('cache', CHUNKS).inc(cachedBytes);
    this.#m.hits.labels('get_range', CHUNKS).inc(got.size / subs.length);
    await Promise.all(planFetches(missing, this.#c.maxChunksGetRangeRequests).map((run) => this.#fetchRun(name, gen, run, got, o)));
    const out = new Uint8Array(end - offset);
    for (const s of subs) {
      const v = got.get(s.start)!;
      const from = Math.max(offset, s.start);
      const to = Math.min(end, s.end);
      out.set(v.subarray(from - s.start, to - s.start), from - offset);
    }
    return out;
  }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    try { await this.#b.upload(name, body, o); } finally { this.#invalidate(name); }
  }

  async delete(name: string, o?: OpOptions): Promise<void> {
    try { await this.#b.delete(name, o); } finally { this.#invalidate(name); }
  }

  async close(): Promise<void> {
    try { await this.cache.close(); } finally { await this.#b.close(); }
  }

  async #fetchRun(name: string, gen: number, run: Subrange, got: Map<number, Uint8Array>, o?: OpOptions): Promise<void> {
    const data = await this.#b.getRange(name, run.start, run.end - run.start, o);
    if (data.byteLength !== run.end - run.start) {
      throw new ObjstoreError(`get_range ${JSON.stringify(name)}: object is shorter than its cached size (${run.start + data.byteLength} < ${run.end}); was it replaced?`, { retryable: false, data: { op: 'get_range', name } });
    }
    for (let s = run.start; s < run.end; s += this.#c.chunkSubrangeSize) {
      const piece = data.slice(s - run.start, Math.min(s + this.#c.chunkSubrangeSize, run.end) - run.start);
      if (got.has(s)) { this.#m.refetched.labels('cache', CHUNKS).inc(piece.byteLength); continue; }
      this.#m.fetched.labels('bucket', CHUNKS).inc(piece.byteLength);
      got.set(s, piece);
      this.cache.store(subKey(gen, name, { start: s, end: s + piece.byteLength }), piece, this.#c.chunkSubrangeTtlMs);
    }
  }

  #key(verb: string, name: string): string { return `${verb}:${this.#gen.get(name) ?? 0}:${name}`; }

  #invalidate(name: string): void {
    this.#gen.set(name, (this.#gen.get(name) ?? 0) + 1);
    this.#writes++;
    this.cache.delete('iter:');
  }
}
