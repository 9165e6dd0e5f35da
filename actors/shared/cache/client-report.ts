import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CircuitBreaker, type CircuitBreakerConfig } from './circuit-breaker.js';
import { CacheBackendError } from './errors.js';
import { remoteCacheMetrics, type RemoteCacheMetrics, type RemoteCacheOp } from './metrics.js';
import type { RemoteCacheBackend } from './remote-cache.js';

/** Why an operation against a cache server failed (the `reason` label of failure metrics). */
export type FailureReason = 'timeout' | 'connect' | 'server' | 'protocol';

/** Why an operation was not sent (the `reason` label of skipped metrics). */
export type SkipReason = 'closed' | 'queue_full' | 'max_item_size' | 'circuit_open';

/**
 * A failed exchange or dial with a cache server. Internal to the clients: it is counted and logged,
 * never thrown to a caller (lookups become misses, writes are dropped).
 */
export class BackendFailure extends Error {
  constructor(readonly reason: FailureReason, message: string) { super(message); }
}

/**
 * Counting and logging shared by the remote cache clients of one backend and `name`: failures
 * (metric + CacheBackendError in the log), skips, breaker refusals, and warn logs limited to one a
 * second per client — never one per key.
 */
export class ClientReport {
  readonly m: RemoteCacheMetrics;
  readonly log: Logger | undefined;
  #lastWarn = 0;

  constructor(readonly backend: RemoteCacheBackend, readonly name: string, o: { readonly registry?: Registry; readonly logger?: Logger }) {
    this.m = remoteCacheMetrics(o.registry, backend);
    this.log = o.logger?.child({ component: backend, cache: name });
  }

  /** The async write queue's bound and (initial) length, as gauges. */
  queueBound(max: number): void {
    this.m.queueMax.set({ name: this.name }, max);
    this.m.queueLength.set({ name: this.name }, 0);
  }

  queueLength(n: number): void { this.m.queueLength.set({ name: this.name }, n); }

  /** The async-write circuit breaker, its state changes logged. */
  breaker(cfg: CircuitBreakerConfig): CircuitBreaker {
    return new CircuitBreaker(cfg, {
      onStateChange: (from, to) => this.log?.info({ from, to }, `${this.backend} async write circuit breaker changed state`),
    });
  }

  /** `count` operations `op` on `address` failed with `e` (a BackendFailure, or anything else as `connect`). */
  failed(op: RemoteCacheOp, address: string, e: unknown, count = 1): void {
    const f = e instanceof BackendFailure ? e : new BackendFailure('connect', e instanceof Error ? e.message : String(e));
    this.m.failures.inc({ name: this.name, operation: op, reason: f.reason }, count);
    const err = new CacheBackendError(`${this.backend} ${op} on ${address} failed (${f.reason}): ${f.message}`, { data: { backend: this.backend, op, address } });
    this.warn({ err, reason: f.reason }, `${this.backend} operation failed; treated as a miss / dropped write`);
  }

  skip(op: RemoteCacheOp, reason: SkipReason, count = 1): void {
    this.m.skipped.inc({ name: this.name, operation: op, reason }, count);
  }

  /** Writes the open circuit breaker refused: counted skipped, logged (rate-limited). */
  refused(op: RemoteCacheOp, count = 1): void {
    this.skip(op, 'circuit_open', count);
    this.warn({ operation: op, reason: 'circuit_open', count }, `${this.backend} async write not sent: circuit breaker open`);
  }

  /** Logs at warn at most once per second per client. */
  warn(fields: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (this.log === undefined || now - this.#lastWarn < 1000) return;
    this.#lastWarn = now;
    this.log.warn(fields, msg);
  }
}

/** Runs `fn` over `items` with at most `limit` at once (0 = all at once). */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  const n = limit <= 0 ? items.length : Math.min(limit, items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}
