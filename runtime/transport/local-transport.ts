import { ClosedError, NoRespondersError, PayloadTooLargeError, TimeoutError } from '../errors/runtime-errors.js';
import { BusTransport, type BusTransportOptions } from './bus-transport.js';
import { hasWildcard, subjectMatches } from './wildcard.js';
import type { RawMessage, RawSubscription, Wire } from './wire.js';

export const DEFAULT_LOCAL_MAX_PAYLOAD = 1024 * 1024;

interface LocalSub {
  readonly pattern: string;
  readonly queue: string | undefined;
  readonly onMessage: (m: RawMessage) => void;
  active: boolean;
}

/**
 * An in-process message server with NATS semantics: subjects with `*`/`>` wildcards, queue groups
 * (one member per group gets each message, round-robin), plain subscribers all get a copy,
 * per-publisher order is kept, delivery is always asynchronous (never inside publish), and
 * messages above `maxPayload` are rejected like NATS's MAX_PAYLOAD_EXCEEDED.
 * Several LocalTransports ("connections") may share one bus.
 */
export class LocalBus {
  readonly maxPayload: number;
  readonly #exact = new Map<string, Set<LocalSub>>();
  readonly #wild = new Set<LocalSub>();
  #pending: Array<[LocalSub, RawMessage]> = [];
  #scheduled = false;
  #rr = 0;

  constructor(opts: { maxPayload?: number } = {}) {
    this.maxPayload = opts.maxPayload ?? DEFAULT_LOCAL_MAX_PAYLOAD;
  }

  subscribe(pattern: string, onMessage: (m: RawMessage) => void, queue?: string): LocalSub {
    const sub: LocalSub = { pattern, queue, onMessage, active: true };
    if (hasWildcard(pattern)) this.#wild.add(sub);
    else {
      let set = this.#exact.get(pattern);
      if (set === undefined) this.#exact.set(pattern, (set = new Set()));
      set.add(sub);
    }
    return sub;
  }

  unsubscribe(sub: LocalSub): void {
    sub.active = false;
    if (this.#wild.delete(sub)) return;
    const set = this.#exact.get(sub.pattern);
    if (set !== undefined && set.delete(sub) && set.size === 0) this.#exact.delete(sub.pattern);
  }

  /** Subscriptions that would receive a message on `subject` (before queue-group selection). */
  matching(subject: string): LocalSub[] {
    const out = [...(this.#exact.get(subject) ?? [])];
    for (const s of this.#wild) if (subjectMatches(s.pattern, subject)) out.push(s);
    return out;
  }

  /** Returns how many subscriptions were chosen to receive the message. */
  publish(msg: RawMessage): number {
    if (msg.data.length > this.maxPayload) {
      throw new PayloadTooLargeError(`publishing to ${msg.subject}: message of ${msg.data.length} bytes exceeds max_payload ${this.maxPayload}`,
        { data: { subject: msg.subject, bytes: msg.data.length, limit: this.maxPayload } });
    }
    const groups = new Map<string, LocalSub[]>();
    let n = 0;
    for (const s of this.matching(msg.subject)) {
      if (s.queue === undefined) { this.#pending.push([s, msg]); n++; continue; }
      const g = groups.get(s.queue);
      if (g === undefined) groups.set(s.queue, [s]); else g.push(s);
    }
    for (const members of groups.values()) { this.#pending.push([members[this.#rr++ % members.length]!, msg]); n++; }
    if (n > 0 && !this.#scheduled) { this.#scheduled = true; setImmediate(() => this.#flush()); }
    return n;
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    for (const [sub, msg] of batch) if (sub.active) sub.onMessage(msg);
  }
}

class LocalWire implements Wire {
  readonly serverMaxPayload: number;
  readonly #bus: LocalBus;
  readonly #subs = new Set<LocalSub>();
  readonly #requests = new Set<(err: Error) => void>();
  readonly #closedCbs: Array<(err?: Error) => void> = [];
  #closed = false;
  #nextInbox = 0;
  readonly #id = Math.random().toString(36).slice(2);

  constructor(bus: LocalBus) {
    this.#bus = bus;
    this.serverMaxPayload = bus.maxPayload;
  }

  publish(subject: string, data: Uint8Array, reply?: string): void {
    if (this.#closed) throw new ClosedError(`publishing to ${subject}: connection closed`);
    this.#bus.publish(reply === undefined ? { subject, data } : { subject, data, reply });
  }

  subscribe(subject: string, onMessage: (msg: RawMessage) => void, queue?: string): RawSubscription {
    if (this.#closed) throw new ClosedError(`subscribing to ${subject}: connection closed`);
    const sub = this.#bus.subscribe(subject, onMessage, queue);
    this.#subs.add(sub);
    return { unsubscribe: () => { this.#subs.delete(sub); this.#bus.unsubscribe(sub); } };
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new ClosedError(`requesting on ${subject}: connection closed`));
    return new Promise<Uint8Array>((resolve, reject) => {
      const inbox = `_INBOX.${this.#id}.${this.#nextInbox++}`;
      let sub: RawSubscription | undefined;
      const done = (err: Error | undefined, reply?: Uint8Array) => {
        clearTimeout(timer);
        sub?.unsubscribe();
        this.#requests.delete(onClose);
        if (err !== undefined) reject(err); else resolve(reply!);
      };
      const onClose = (err: Error) => done(err);
      const timer = setTimeout(() => done(new TimeoutError(`requesting on ${subject}: no reply within ${timeoutMs}ms`, { data: { subject, timeoutMs } })), timeoutMs);
      this.#requests.add(onClose);
      sub = this.subscribe(inbox, (m) => done(undefined, m.data));
      try {
        if (this.#bus.publish({ subject, data, reply: inbox }) === 0) {
          // Like NATS's 503 status: answered at once, asynchronously.
          setImmediate(() => done(new NoRespondersError(`requesting on ${subject}: no responders`, { data: { subject } })));
        }
      } catch (err) {
        done(err as Error);
      }
    });
  }

  flush(): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError('flushing: connection closed'));
    // Subscriptions are registered synchronously; wait one delivery round for symmetry with NATS.
    return new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#subs) this.#bus.unsubscribe(s);
    this.#subs.clear();
    const err = new ClosedError('request aborted: connection closed');
    for (const r of [...this.#requests]) r(err);
    for (const cb of this.#closedCbs) cb();
  }

  onClosed(cb: (err?: Error) => void): void {
    this.#closedCbs.push(cb);
  }
}

export interface LocalTransportOptions extends BusTransportOptions {
  /** The in-process server to join; a private one when omitted. */
  readonly bus?: LocalBus;
}

/**
 * The in-process transport: the embedded default and the fast path for single-process tests.
 * Same contract as NatsTransport (test/runtime/transport/transport.contract.ts); every message
 * is encoded, so size limits, copies and typed arrays behave as over NATS.
 */
export class LocalTransport extends BusTransport {
  readonly bus: LocalBus;

  constructor(opts: LocalTransportOptions = {}) {
    const bus = opts.bus ?? new LocalBus();
    super(new LocalWire(bus), opts);
    this.bus = bus;
  }
}
