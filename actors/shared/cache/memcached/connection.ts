import { connect, type Socket } from 'node:net';
import { ReplyParser, type MemcachedReply } from './protocol.js';
import { BackendFailure } from '../client-report.js';

/**
 * Consumes the replies of one request: returns true when the request is complete, false for more,
 * or a BackendFailure for a reply that ends it badly.
 */
export type ReplyHandler = (r: MemcachedReply) => boolean | BackendFailure;

/**
 * One TCP connection to a memcached server with at most one request in flight. Any failure,
 * timeout or unexpected byte destroys it (its stream state is unknown afterwards); `alive` is
 * false from then on.
 */
export class MemcachedConnection {
  readonly #socket: Socket;
  readonly #parser = new ReplyParser();
  #pending: { handler: ReplyHandler; done: (f?: BackendFailure) => void } | undefined;
  #alive = true;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#fail(new BackendFailure('connect', 'connection closed by the server')));
  }

  /** Connects to host:port, failing with reason `connect` (refused, reset) or `timeout` by `deadline` (epoch ms). */
  static open(host: string, port: number, deadline: number): Promise<MemcachedConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => { socket.destroy(); reject(new BackendFailure('timeout', `connect to ${host}:${port} timed out`)); }, Math.max(0, deadline - Date.now()));
      socket.once('error', (e) => { clearTimeout(timer); socket.destroy(); reject(new BackendFailure('connect', `connect to ${host}:${port}: ${e.message}`)); });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new MemcachedConnection(socket));
      });
    });
  }

  get alive(): boolean { return this.#alive; }

  /**
   * Writes `request` and feeds the replies to `handler` until it reports completion. Rejects with
   * a BackendFailure (and destroys the connection) on a failure reply, a broken stream, a closed
   * socket, or when `deadline` (epoch ms) passes first.
   */
  exchange(request: Uint8Array, handler: ReplyHandler, deadline: number): Promise<void> {
    if (!this.#alive) return Promise.reject(new BackendFailure('connect', 'connection is closed'));
    if (this.#pending !== undefined) return Promise.reject(new Error('memcached connection already has a request in flight'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new BackendFailure('timeout', 'no complete reply before the timeout')), Math.max(0, deadline - Date.now()));
      this.#pending = {
        handler,
        done: (f) => { clearTimeout(timer); this.#pending = undefined; if (f === undefined) resolve(); else reject(f); },
      };
      this.#socket.write(request);
    });
  }

  /** Closes the connection (a pending request fails with reason `connect`). Idempotent. */
  destroy(): void { this.#fail(new BackendFailure('connect', 'connection closed')); }

  #onData(chunk: Buffer): void {
    this.#parser.push(chunk);
    for (let r = this.#parser.next(); r !== undefined && this.#alive; r = this.#parser.next()) {
      const p = this.#pending;
      if (r.kind === 'protocol_error') return this.#fail(new BackendFailure('protocol', r.message));
      if (p === undefined) return this.#fail(new BackendFailure('protocol', `unsolicited reply ${r.kind}`));
      const outcome = p.handler(r);
      if (outcome instanceof BackendFailure) return this.#fail(outcome);
      if (outcome) p.done();
    }
  }

  #fail(f: BackendFailure): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#socket.destroy();
    this.#pending?.done(f);
  }
}

/**
 * The connections to one server: at most `maxOpen` open, at most `maxIdle` kept idle between
 * requests; a caller waits for a connection until its deadline (then fails with reason `timeout`).
 */
export class ServerPool {
  readonly #idle: MemcachedConnection[] = [];
  readonly #waiters: Array<{ give: (c: MemcachedConnection | undefined) => void }> = [];
  #open = 0;
  #closed = false;

  constructor(readonly host: string, readonly port: number, readonly maxOpen: number, readonly maxIdle: number) {}

  get address(): string { return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`; }

  /** Connections open now (idle or busy). */
  get open(): number { return this.#open; }

  /** An idle, a new, or (when maxOpen are busy) the next released connection, by `deadline`. */
  async acquire(deadline: number): Promise<MemcachedConnection> {
    if (this.#closed) throw new BackendFailure('connect', 'server removed or client closed');
    for (let c = this.#idle.pop(); c !== undefined; c = this.#idle.pop()) {
      if (c.alive) return c;
      this.#open--;
    }
    if (this.#open < this.maxOpen) {
      this.#open++;
      try {
        return await MemcachedConnection.open(this.host, this.port, deadline);
      } catch (e) {
        this.#open--;
        this.#wakeOne();
        throw e;
      }
    }
    return new Promise((resolve, reject) => {
      const w = {
        give: (c: MemcachedConnection | undefined) => {
          clearTimeout(timer);
          if (c !== undefined) resolve(c);
          else this.acquire(deadline).then(resolve, reject);
        },
      };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(w);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new BackendFailure('timeout', `no free connection to ${this.address} before the timeout`));
      }, Math.max(0, deadline - Date.now()));
      this.#waiters.push(w);
    });
  }

  /** Returns a connection after a request; a dead one only frees its slot. */
  release(c: MemcachedConnection): void {
    if (!c.alive || this.#closed) {
      c.destroy();
      this.#open--;
      this.#wakeOne();
      return;
    }
    const w = this.#waiters.shift();
    if (w !== undefined) return w.give(c);
    if (this.#idle.length < this.maxIdle) { this.#idle.push(c); return; }
    c.destroy();
    this.#open--;
  }

  /** Closes idle connections and refuses new requests; busy ones close on release. */
  close(): void {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) { c.destroy(); this.#open--; }
    for (const w of this.#waiters.splice(0)) w.give(undefined);
  }

  /** A slot freed: a waiter may open a connection of its own. */
  #wakeOne(): void {
    const w = this.#waiters.shift();
    if (w !== undefined) w.give(undefined);
  }
}
