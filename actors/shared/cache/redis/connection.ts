import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsOptions } from 'node:tls';
import { encodeCommand, RespParser, type RespReply } from './resp.js';
import { BackendFailure } from '../client-report.js';

/** How to reach and set up one connection. */
export interface DialOptions {
  readonly host: string;
  readonly port: number;
  /** node:tls options (ca, cert, key, servername, rejectUnauthorized); undefined = plain TCP. */
  readonly tls?: TlsOptions;
  readonly username: string;
  /** Non-empty → `AUTH [username] password` right after connecting. */
  readonly password: string;
  /** Non-zero → `SELECT db` right after connecting (and AUTH). */
  readonly db: number;
  /** Bounds the TCP/TLS connect and the AUTH/SELECT handshake together. */
  readonly dialTimeoutMs: number;
}

/** Per-request time bounds: writing the request, then receiving all of its replies. */
export interface RequestTimeouts { readonly writeTimeoutMs: number; readonly readTimeoutMs: number }

interface Pending {
  readonly want: number;
  readonly replies: RespReply[];
  readonly done: (f?: BackendFailure) => void;
}

/**
 * One connection to a redis server. Requests are pipelined: several may be in flight, and replies
 * are matched to them in order (RESP replies come in command order). An error reply (`-ERR …`) is
 * handed to its request like any reply and leaves the connection usable. A timeout, a broken
 * stream, a closed socket or an unsolicited reply destroys the connection (its stream state is
 * unknown) and fails every request in flight on it.
 */
export class RedisConnection {
  readonly #socket: Socket;
  readonly #parser = new RespParser();
  readonly #pending: Pending[] = [];
  #alive = true;
  /** Epoch ms when the connection was established. */
  readonly createdAt = Date.now();
  /** Epoch ms when the last request finished (or the connection was made). */
  lastUsed = Date.now();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#fail(new BackendFailure('connect', 'connection closed by the server')));
  }

  /**
   * Connects and runs the AUTH/SELECT handshake, all within `dialTimeoutMs`. Fails with reason
   * `connect` (refused, reset, TLS), `timeout`, or `server` (AUTH/SELECT refused, e.g. WRONGPASS).
   */
  static async open(o: DialOptions): Promise<RedisConnection> {
    const deadline = Date.now() + o.dialTimeoutMs;
    const where = `${o.host}:${o.port}`;
    const conn = await new Promise<RedisConnection>((resolve, reject) => {
      const socket = o.tls === undefined
        ? netConnect({ host: o.host, port: o.port, noDelay: true })
        : tlsConnect({ host: o.host, port: o.port, ...o.tls });
      const timer = setTimeout(() => { socket.destroy(); reject(new BackendFailure('timeout', `connect to ${where} timed out`)); }, o.dialTimeoutMs);
      socket.once('error', (e) => { clearTimeout(timer); socket.destroy(); reject(new BackendFailure('connect', `connect to ${where}: ${e.message}`)); });
      socket.once(o.tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (o.tls !== undefined) socket.setNoDelay(true);
        resolve(new RedisConnection(socket));
      });
    });
    const hello: Buffer[] = [];
    const names: string[] = [];
    if (o.password !== '') {
      hello.push(encodeCommand(o.username === '' ? ['AUTH', o.password] : ['AUTH', o.username, o.password]));
      names.push('AUTH');
    }
    if (o.db !== 0) { hello.push(encodeCommand(['SELECT', String(o.db)])); names.push('SELECT'); }
    if (hello.length === 0) return conn;
    const left = Math.max(1, deadline - Date.now());
    const replies = await conn.send(hello, { writeTimeoutMs: left, readTimeoutMs: left });
    for (let i = 0; i < replies.length; i++) {
      const r = replies[i]!;
      if (r.type === 'simple' && r.value === 'OK') continue;
      conn.destroy();
      const what = r.type === 'error' ? r.message : `unexpected ${r.type} reply`;
      throw new BackendFailure(r.type === 'error' ? 'server' : 'protocol', `${names[i]} on ${where}: ${what}`);
    }
    return conn;
  }

  get alive(): boolean { return this.#alive; }

  /** Requests sent whose replies have not all arrived. */
  get inFlight(): number { return this.#pending.length; }

  /**
   * Writes `commands` (encoded RESP commands) back to back and resolves with their replies, one per
   * command, in order — error replies included. Rejects with a BackendFailure (and destroys the
   * connection) when the write takes longer than writeTimeoutMs, the replies do not all arrive
   * within readTimeoutMs after it, or the stream breaks.
   */
  send(commands: readonly Buffer[], t: RequestTimeouts): Promise<RespReply[]> {
    if (!this.#alive) return Promise.reject(new BackendFailure('connect', 'connection is closed'));
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise<RespReply[]>((resolve, reject) => {
      const replies: RespReply[] = [];
      let timer = setTimeout(() => this.#fail(new BackendFailure('timeout', 'request not written before write_timeout')), t.writeTimeoutMs);
      const entry: Pending = {
        want: commands.length,
        replies,
        done: (f) => {
          clearTimeout(timer);
          this.lastUsed = Date.now();
          if (f === undefined) resolve(replies); else reject(f);
        },
      };
      this.#pending.push(entry);
      // Corked: the pipeline leaves in as few packets as possible without copying large values again.
      this.#socket.cork();
      for (let i = 0; i < commands.length - 1; i++) this.#socket.write(commands[i]!);
      this.#socket.write(commands[commands.length - 1]!, () => {
        if (!this.#alive || replies.length === entry.want) return;
        clearTimeout(timer);
        timer = setTimeout(() => this.#fail(new BackendFailure('timeout', 'no complete reply before read_timeout')), t.readTimeoutMs);
      });
      this.#socket.uncork();
    });
  }

  /** Closes the connection; requests in flight fail with reason `connect`. Idempotent. */
  destroy(): void { this.#fail(new BackendFailure('connect', 'connection closed')); }

  #onData(chunk: Buffer): void {
    this.#parser.push(chunk);
    for (let r = this.#parser.next(); r !== undefined && this.#alive; r = this.#parser.next()) {
      if (r.type === 'protocol_error') return this.#fail(new BackendFailure('protocol', r.message));
      const p = this.#pending[0];
      if (p === undefined) return this.#fail(new BackendFailure('protocol', `unsolicited ${r.type} reply`));
      p.replies.push(r);
      if (p.replies.length === p.want) {
        this.#pending.shift();
        p.done();
      }
    }
  }

  #fail(f: BackendFailure): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#socket.destroy();
    for (const p of this.#pending.splice(0)) p.done(f);
  }
}
