import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AsyncWriteQueue } from '../async-writes.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { BackendFailure, ClientReport, runLimited } from '../client-report.js';
import { CacheConfigError } from '../errors.js';
import type { RemoteCacheOp } from '../metrics.js';
import { checkCacheKey, type RemoteCache } from '../remote-cache.js';
import type { RedisClientConfig } from './config.js';
import { RedisConnection } from './connection.js';
import { RedisPool } from './pool.js';
import { encodeCommand, type RespReply } from './resp.js';

export interface RedisClientOptions {
  /** Tells this client's metrics apart (`index-cache`, `caching-bucket`). */
  readonly name: string;
  readonly registry?: Registry;
  readonly logger?: Logger;
}

/** A SET waiting in the queue, already encoded (the one copy of the caller's value). */
type PendingSet = Buffer;

/**
 * A redis client (Thanos's `cacheutil.RedisClient`, single server) implementing RemoteCache over
 * RESP2. Connections (≤ pool_size, pipelined) AUTH and SELECT on connect. getMulti sends MGET in
 * batches of get_multi_batch_size, at most max_get_multi_concurrency at once; each batch is bounded
 * by dial_timeout (when it needs a new connection), write_timeout and read_timeout, and a failed
 * batch counts its keys as misses. Writes go through the async queue: `SET key value PX ttl`
 * commands waiting in the queue are pipelined together (≤ set_multi_batch_size per pipeline, ≤
 * max_set_multi_concurrency pipelines at once); `DEL` for deletes. An error reply fails only its
 * own command (reason `server`). Every key sent is `prefix` + the caller's key (the 250-byte rule
 * applies to the caller's key). With `set_async_circuit_breaker_config` enabled, each SET pipeline and
 * each DEL is one breaker request (a pipeline fails when it could not be sent or any SET in it
 * failed); while the breaker is open they are not sent (skipped, reason `circuit_open`).
 */
export class RedisClient implements RemoteCache {
  readonly backend = 'redis' as const;
  readonly #cfg: RedisClientConfig;
  readonly #r: ClientReport;
  readonly #queue: AsyncWriteQueue;
  readonly #pool: RedisPool;
  readonly #breaker: CircuitBreaker;
  readonly #sets: PendingSet[] = [];
  #setPipelines = 0;
  readonly #setWaiters: Array<() => void> = [];
  #closing: Promise<void> | undefined;

  /** Reads the TLS files now: a missing or unreadable file throws CacheConfigError. */
  constructor(cfg: RedisClientConfig, o: RedisClientOptions) {
    this.#cfg = cfg;
    const tls = cfg.tlsEnabled ? redisTlsOptions(cfg) : undefined;
    this.#r = new ClientReport('redis', o.name, o);
    this.#queue = new AsyncWriteQueue({ maxBuffered: cfg.maxAsyncBufferSize, concurrency: cfg.maxAsyncConcurrency });
    this.#r.queueBound(cfg.maxAsyncBufferSize);
    this.#breaker = this.#r.breaker(cfg.setAsyncCircuitBreaker);
    const dial = { host: cfg.host, port: cfg.port, tls, username: cfg.username, password: cfg.password, db: cfg.db, dialTimeoutMs: cfg.dialTimeoutMs };
    this.#pool = new RedisPool(() => RedisConnection.open(dial), cfg);
  }

  /** Connections open now (for tests and status). */
  get openConnections(): number { return this.#pool.open; }

  getMulti(keys: readonly string[]): Promise<Map<string, Uint8Array>> {
    for (const k of keys) checkCacheKey(k, 'getMulti');
    const out = new Map<string, Uint8Array>();
    if (this.#closing !== undefined || keys.length === 0) return Promise.resolve(out);
    const unique = [...new Set(keys)];
    const size = this.#cfg.getMultiBatchSize;
    const batches: string[][] = [];
    if (size <= 0) batches.push(unique);
    else for (let i = 0; i < unique.length; i += size) batches.push(unique.slice(i, i + size));
    const run = async (batch: string[]): Promise<void> => {
      if (this.#closing !== undefined) return;
      const p = this.#cfg.prefix;
      const replies = await this.#send('getmulti', [encodeCommand(['MGET', ...(p === '' ? batch : batch.map((k) => p + k))])], 1);
      const r = replies?.[0];
      if (r === undefined) return;
      if (r.type === 'error') return this.#r.failed('getmulti', this.#cfg.addr, new BackendFailure('server', `MGET: ${r.message}`));
      if (r.type !== 'array' || r.items === null || r.items.length !== batch.length) {
        return this.#r.failed('getmulti', this.#cfg.addr, new BackendFailure('protocol', `MGET of ${batch.length} keys answered by ${describe(r)}`));
      }
      r.items.forEach((item, i) => {
        if (item.type === 'bulk' && item.value !== null) out.set(batch[i]!, item.value);
      });
    };
    return runLimited(batches, this.#cfg.maxGetMultiConcurrency, run).then(() => out, () => out);
  }

  setAsync(key: string, value: Uint8Array, ttlMs: number): void {
    checkCacheKey(key, 'setAsync');
    if (this.#closing !== undefined) return this.#r.skip('set', 'closed');
    if (!(ttlMs > 0)) return;
    this.#sets.push(encodeCommand(['SET', this.#cfg.prefix + key, value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))]));
    if (!this.#queue.push(() => this.#setPipeline())) {
      this.#sets.pop();
      return this.#r.skip('set', 'queue_full');
    }
    this.#r.queueLength(this.#queue.length);
  }

  deleteAsync(key: string): void {
    checkCacheKey(key, 'deleteAsync');
    if (this.#closing !== undefined) return this.#r.skip('delete', 'closed');
    const job = async (): Promise<void> => {
      this.#r.queueLength(this.#queue.length);
      const permit = this.#breaker.allow();
      if (permit === undefined) return this.#r.refused('delete', 1);
      const r = (await this.#send('delete', [encodeCommand(['DEL', this.#cfg.prefix + key])], 1))?.[0];
      if (r?.type === 'error') this.#r.failed('delete', this.#cfg.addr, new BackendFailure('server', `DEL: ${r.message}`));
      this.#breaker.record(permit, r !== undefined && r.type !== 'error');
    };
    if (!this.#queue.push(job)) return this.#r.skip('delete', 'queue_full');
    this.#r.queueLength(this.#queue.length);
  }

  flush(): Promise<void> { return this.#queue.flush(); }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#queue.close(this.#cfg.dialTimeoutMs + this.#cfg.writeTimeoutMs + this.#cfg.readTimeoutMs);
      this.#sets.length = 0;
      this.#r.queueLength(0);
      this.#pool.close();
    })();
    return this.#closing;
  }

  /**
   * One queued set job: takes the sets waiting now (up to set_multi_batch_size, its own among them
   * unless an earlier job already took it) and pipelines them on one connection.
   */
  async #setPipeline(): Promise<void> {
    const size = this.#cfg.setMultiBatchSize;
    const batch = this.#sets.splice(0, size > 0 ? size : this.#sets.length);
    this.#r.queueLength(this.#queue.length);
    if (batch.length === 0) return;
    const limit = this.#cfg.maxSetMultiConcurrency;
    while (limit > 0 && this.#setPipelines >= limit) await new Promise<void>((r) => this.#setWaiters.push(r));
    this.#setPipelines++;
    try {
      const permit = this.#breaker.allow();
      if (permit === undefined) return this.#r.refused('set', batch.length);
      const replies = await this.#send('set', batch, batch.length);
      let ok = replies !== undefined;
      for (const r of replies ?? []) {
        if (r.type === 'error') this.#r.failed('set', this.#cfg.addr, new BackendFailure('server', `SET: ${r.message}`));
        else if (!(r.type === 'simple' && r.value === 'OK')) this.#r.failed('set', this.#cfg.addr, new BackendFailure('protocol', `SET answered by ${describe(r)}`));
        else continue;
        ok = false;
      }
      this.#breaker.record(permit, ok);
    } finally {
      this.#setPipelines--;
      this.#setWaiters.shift()?.();
    }
  }

  /**
   * Sends `commands` on one pooled connection, counted as `count` operations and timed. Resolves
   * with the replies, or undefined after counting and logging a failure (dial, timeout, broken stream).
   */
  async #send(op: RemoteCacheOp, commands: Buffer[], count: number): Promise<RespReply[] | undefined> {
    const labels = { name: this.#r.name, operation: op };
    this.#r.m.operations.inc(labels, count);
    const end = this.#r.m.duration.startTimer(labels);
    try {
      const conn = await this.#pool.acquire();
      return await conn.send(commands, this.#cfg);
    } catch (e) {
      this.#r.failed(op, this.#cfg.addr, e, count);
      return undefined;
    } finally {
      end();
    }
  }




}

/** node:tls options from `tls_config`, reading the files now (CacheConfigError when one cannot be read). */
export function redisTlsOptions(cfg: RedisClientConfig): TlsOptions {
  const read = (field: string, path: string): Buffer | undefined => {
    if (path === '') return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new CacheConfigError(`redis tls_config.${field} ${JSON.stringify(path)} cannot be read: ${(e as Error).message}`, { data: { field: `tls_config.${field}`, path } });
    }
  };
  const t = cfg.tls;
  const cert = read('cert_file', t.certFile);
  const key = read('key_file', t.keyFile);
  if ((cert === undefined) !== (key === undefined)) {
    throw new CacheConfigError('redis tls_config: cert_file and key_file must be given together', { data: { field: 'tls_config' } });
  }
  return {
    ca: read('ca_file', t.caFile),
    cert,
    key,
    servername: t.serverName !== '' ? t.serverName : /^[\d.:]+$/.test(cfg.host) ? undefined : cfg.host,
    rejectUnauthorized: !t.insecureSkipVerify,
    ...(t.minVersion !== undefined ? { minVersion: t.minVersion } : {}),
  };
}

function describe(r: RespReply): string {
  if (r.type === 'array') return r.items === null ? 'a null array' : `an array of ${r.items.length}`;
  return `a ${r.type} reply`;
}
