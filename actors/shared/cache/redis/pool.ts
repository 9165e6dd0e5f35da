import { BackendFailure } from '../client-report.js';
import type { RedisConnection } from './connection.js';

/** Pool bounds (from the client config). */
export interface PoolOptions {
  /** At most this many connections open or being dialled. */
  readonly poolSize: number;
  /** Idle connections kept open past idleTimeoutMs. */
  readonly minIdleConns: number;
  /** An idle connection unused this long is closed (beyond minIdleConns); 0 = never. */
  readonly idleTimeoutMs: number;
  /** A connection older than this is not handed out again and closed once idle; 0 = forever. */
  readonly maxConnAgeMs: number;
}

/**
 * The connections of a client to its server: at most `poolSize` open or dialling. `acquire` hands
 * out a connection with nothing in flight when there is one, else dials a new one while under the
 * bound, else pipelines onto the least busy open connection; when every slot is still dialling it
 * waits for a dial (each bounded by dial_timeout by `dial`). Dead connections are dropped as they
 * are met; idle and old ones are closed by a reaper (and as they are met). Connections are dialled
 * on demand, so a server that comes back is used again by the next request.
 */
export class RedisPool {
  readonly #dial: () => Promise<RedisConnection>;
  readonly #o: PoolOptions;
  readonly #conns = new Set<RedisConnection>();
  readonly #dialing = new Set<Promise<RedisConnection | undefined>>();
  readonly #reaper: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(dial: () => Promise<RedisConnection>, o: PoolOptions) {
    this.#dial = dial;
    this.#o = o;
    const every = Math.min(...[o.idleTimeoutMs, o.maxConnAgeMs].filter((x) => x > 0), 60_000);
    this.#reaper = setInterval(() => this.reap(Date.now()), Math.max(1000, every / 2));
    this.#reaper.unref();
  }

  /** Connections open now (busy or idle), not counting dials in progress. */
  get open(): number {
    let n = 0;
    for (const c of this.#conns) if (c.alive) n++;
    return n;
  }

  /** A connection to send on; rejects with a BackendFailure when dialling fails or the pool is closed. */
  async acquire(): Promise<RedisConnection> {
    for (;;) {
      if (this.#closed) throw new BackendFailure('connect', 'client closed');
      const now = Date.now();
      let best: RedisConnection | undefined;
      for (const c of this.#conns) {
        if (!c.alive) { this.#conns.delete(c); continue; }
        if (this.#tooOld(c, now)) {
          if (c.inFlight === 0) { c.destroy(); this.#conns.delete(c); }
          continue;
        }
        if (c.inFlight === 0) return c;
        if (best === undefined || c.inFlight < best.inFlight) best = c;
      }
      if (this.#conns.size + this.#dialing.size < this.#o.poolSize) return this.#dialNew();
      if (best !== undefined) return best;
      if (this.#dialing.size === 0) throw new BackendFailure('connect', 'no usable connection (every slot holds an expired connection still in use)');
      await Promise.race(this.#dialing);
    }
  }

  /** Closes idle connections past idle_timeout (keeping min_idle_conns) or max_conn_age, and dead ones. */
  reap(now: number): void {
    let idle = 0;
    for (const c of this.#conns) if (c.alive && c.inFlight === 0) idle++;
    for (const c of this.#conns) {
      if (!c.alive) { this.#conns.delete(c); continue; }
      if (c.inFlight !== 0) continue;
      const expired = this.#o.idleTimeoutMs > 0 && now - c.lastUsed >= this.#o.idleTimeoutMs && idle > this.#o.minIdleConns;
      if (expired || this.#tooOld(c, now)) { c.destroy(); this.#conns.delete(c); idle--; }
    }
  }

  /** Closes every connection (requests in flight fail) and refuses new ones. Idempotent. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const c of this.#conns) c.destroy();
    this.#conns.clear();
  }

  #tooOld(c: RedisConnection, now: number): boolean {
    return this.#o.maxConnAgeMs > 0 && now - c.createdAt >= this.#o.maxConnAgeMs;
  }

  async #dialNew(): Promise<RedisConnection> {
    let failure: unknown;
    // The slot moves from #dialing to #conns (or is freed) in the same tick the dial settles.
    const p: Promise<RedisConnection | undefined> = this.#dial().then((c) => {
      this.#dialing.delete(p);
      if (this.#closed) { c.destroy(); failure = new BackendFailure('connect', 'client closed'); return undefined; }
      this.#conns.add(c);
      return c;
    }, (e: unknown) => { this.#dialing.delete(p); failure = e; return undefined; });
    this.#dialing.add(p);
    const c = await p;
    if (c === undefined) throw failure;
    return c;
  }
}
