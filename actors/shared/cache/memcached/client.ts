import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AsyncWriteQueue } from '../async-writes.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { BackendFailure, ClientReport, runLimited } from '../client-report.js';
import type { RemoteCacheOp } from '../metrics.js';
import { checkCacheKey, type RemoteCache } from '../remote-cache.js';
import type { MemcachedClientConfig } from './config.js';
import { ServerPool, type ReplyHandler } from './connection.js';
import { serverIndexFor } from './hash.js';
import { encodeDelete, encodeGet, encodeSet, exptimeFor, type MemcachedReply } from './protocol.js';
import { allStatic, nodeDns, resolveServers, type DnsLookups, type ServerAddress } from './resolver.js';

export interface MemcachedClientOptions {
  /** Tells this client's metrics apart (`index-cache`, `caching-bucket`). */
  readonly name: string;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** DNS functions for `dns+`/`dnssrv+` addresses (default node:dns). */
  readonly dns?: DnsLookups;
}

/**
 * A memcached client (Thanos's `cacheutil.memcachedClient`) implementing RemoteCache over the text
 * protocol. Keys go to one server by jump hash of FNV-1a 64 over the sorted server list. Per server
 * a pool of at most max(max_idle_connections, 1) connections (idle ones kept ≤ max_idle_connections),
 * one request in flight per connection. Every operation — including waiting for a connection —
 * ends by `timeout` after it starts; a server that fails is not asked again within that operation.
 * DNS SD addresses are re-resolved every `dns_provider_update_interval` (a failed lookup keeps the
 * previous servers). Connections are made on first use; a server that comes back is used again.
 * Async writes (set, delete) pass the `set_async_circuit_breaker_config` breaker when it is enabled:
 * while it is open they are not sent (skipped, reason `circuit_open`); reads never consult it.
 */
export class MemcachedClient implements RemoteCache {
  readonly backend = 'memcached' as const;
  readonly #cfg: MemcachedClientConfig;
  readonly #r: ClientReport;
  readonly #dns: DnsLookups;
  readonly #queue: AsyncWriteQueue;
  readonly #breaker: CircuitBreaker;
  #pools = new Map<string, ServerPool>();
  #servers: ServerPool[] = [];
  readonly #ready: Promise<void>;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(cfg: MemcachedClientConfig, o: MemcachedClientOptions) {
    this.#cfg = cfg;
    this.#r = new ClientReport('memcached', o.name, o);
    this.#dns = o.dns ?? nodeDns;
    this.#queue = new AsyncWriteQueue({ maxBuffered: cfg.maxAsyncBufferSize, concurrency: cfg.maxAsyncConcurrency });
    this.#breaker = this.#r.breaker(cfg.setAsyncCircuitBreaker);
    this.#r.queueBound(cfg.maxAsyncBufferSize);
    this.#ready = this.#refresh();
    if (!allStatic(cfg.addresses)) {
      this.#timer = setInterval(() => void this.#refresh(), cfg.dnsProviderUpdateIntervalMs);
      this.#timer.unref();
    }
  }

  /** The servers in placement order, as `host:port` (after DNS resolution). */
  async servers(): Promise<string[]> {
    await this.#ready;
    return this.#servers.map((p) => p.address);
  }

  getMulti(keys: readonly string[]): Promise<Map<string, Uint8Array>> {
    for (const k of keys) checkCacheKey(k, 'getMulti');
    if (this.#closing !== undefined || keys.length === 0) return Promise.resolve(new Map());
    const out = new Map<string, Uint8Array>();
    return this.#getMulti([...new Set(keys)], out).then(() => out, () => out);
  }

  setAsync(key: string, value: Uint8Array, ttlMs: number): void {
    checkCacheKey(key, 'setAsync');
    if (this.#closing !== undefined) return this.#r.skip('set', 'closed');
    if (!(ttlMs > 0)) return;
    if (this.#cfg.maxItemSize > 0 && value.byteLength > this.#cfg.maxItemSize) return this.#r.skip('set', 'max_item_size');
    const copy = Buffer.from(value);
    const done: ReplyHandler = (r) => (r.kind === 'stored' || r.kind === 'not_stored' ? true : failureOf(r));
    this.#enqueue('set', key, () => encodeSet(key, copy, exptimeFor(ttlMs, Date.now())), done);
  }

  deleteAsync(key: string): void {
    checkCacheKey(key, 'deleteAsync');
    if (this.#closing !== undefined) return this.#r.skip('delete', 'closed');
    const done: ReplyHandler = (r) => (r.kind === 'deleted' || r.kind === 'not_found' ? true : failureOf(r));
    this.#enqueue('delete', key, () => encodeDelete(key), done);
  }

  flush(): Promise<void> { return this.#queue.flush(); }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.#queue.close(this.#cfg.timeoutMs);
      this.#r.queueLength(0);
      for (const p of this.#pools.values()) p.close();
    })();
    return this.#closing;
  }

  async #getMulti(keys: string[], out: Map<string, Uint8Array>): Promise<void> {
    const deadline = Date.now() + this.#cfg.timeoutMs;
    const servers = await this.#serversBy(deadline, 'getmulti');
    if (servers.length === 0) return;
    const byServer = new Map<ServerPool, string[]>();
    for (const k of keys) {
      const p = servers[serverIndexFor(k, servers.length)]!;
      const list = byServer.get(p);
      if (list === undefined) byServer.set(p, [k]); else list.push(k);
    }
    const size = this.#cfg.maxGetMultiBatchSize;
    const batches: Array<{ pool: ServerPool; keys: string[] }> = [];
    for (const [pool, ks] of byServer) {
      if (size <= 0) batches.push({ pool, keys: ks });
      else for (let i = 0; i < ks.length; i += size) batches.push({ pool, keys: ks.slice(i, i + size) });
    }
    const failed = new Set<ServerPool>();
    const run = async (b: { pool: ServerPool; keys: string[] }): Promise<void> => {
      if (failed.has(b.pool) || this.#closing !== undefined) return;
      const wanted = new Set(b.keys);
      const onReply: ReplyHandler = (r) => {
        if (r.kind === 'end') return true;
        if (r.kind !== 'value') return failureOf(r);
        if (!wanted.has(r.key)) return new BackendFailure('protocol', `value for a key not asked for: ${r.key}`);
        out.set(r.key, r.value);
        return false;
      };
      try {
        await this.#exchange(b.pool, 'getmulti', encodeGet(b.keys), onReply, deadline);
      } catch {
        failed.add(b.pool);
      }
    };
    await runLimited(batches, this.#cfg.maxGetMultiConcurrency, run);
  }

  #enqueue(op: RemoteCacheOp, key: string, request: () => Uint8Array, onReply: ReplyHandler): void {
    const job = async (): Promise<void> => {
      this.#r.queueLength(this.#queue.length);
      const permit = this.#breaker.allow();
      if (permit === undefined) return this.#r.refused(op);
      const deadline = Date.now() + this.#cfg.timeoutMs;
      const servers = await this.#serversBy(deadline, op);
      if (servers.length === 0) return this.#breaker.record(permit, false);
      let ok = true;
      await this.#exchange(servers[serverIndexFor(key, servers.length)]!, op, request(), onReply, deadline).catch(() => { ok = false; });
      this.#breaker.record(permit, ok);
    };
    if (!this.#queue.push(job)) return this.#r.skip(op, 'queue_full');
    this.#r.queueLength(this.#queue.length);
  }

  /** One request on one server, counted and timed; failures are counted, logged and rethrown. */
  async #exchange(pool: ServerPool, op: RemoteCacheOp, request: Uint8Array, onReply: ReplyHandler, deadline: number): Promise<void> {
    const labels = { name: this.#r.name, operation: op };
    this.#r.m.operations.inc(labels);
    const end = this.#r.m.duration.startTimer(labels);
    let conn;
    try {
      conn = await pool.acquire(deadline);
      await conn.exchange(request, onReply, deadline);
    } catch (e) {
      this.#r.failed(op, pool.address, e);
      throw e;
    } finally {
      if (conn !== undefined) pool.release(conn);
      end();
    }
  }

  /** The current servers, waiting for the first resolution until `deadline`; none → a counted failure. */
  async #serversBy(deadline: number, op: RemoteCacheOp): Promise<ServerPool[]> {
    if (this.#servers.length > 0) return this.#servers;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#ready, new Promise<void>((r) => { timer = setTimeout(r, Math.max(0, deadline - Date.now())); })]);
    clearTimeout(timer);
    if (this.#servers.length === 0) this.#r.failed(op, '(none)', new BackendFailure('connect', 'no memcached server resolved'));
    return this.#servers;
  }

  async #refresh(): Promise<void> {
    let list: ServerAddress[];
    try {
      list = await resolveServers(this.#cfg.addresses, this.#dns);
    } catch (e) {
      this.#r.warn({ addresses: this.#cfg.addresses, err: String(e) }, 'memcached address resolution failed; keeping the previous servers');
      return;
    }
    if (this.#closing !== undefined) return;
    const next = new Map<string, ServerPool>();
    const maxIdle = this.#cfg.maxIdleConnections;
    for (const s of list) {
      const id = `${s.host}:${s.port}`;
      next.set(id, this.#pools.get(id) ?? new ServerPool(s.host, s.port, Math.max(1, maxIdle), maxIdle));
    }
    for (const [id, p] of this.#pools) if (!next.has(id)) p.close();
    this.#pools = next;
    this.#servers = [...next.values()];
  }




}

/** The failure a non-success reply stands for. */
function failureOf(r: MemcachedReply): BackendFailure {
  if (r.kind === 'error' || r.kind === 'client_error' || r.kind === 'server_error') {
    return new BackendFailure('server', 'message' in r ? `${r.kind}: ${r.message}` : r.kind);
  }
  return new BackendFailure('protocol', `unexpected reply ${r.kind}`);
}
