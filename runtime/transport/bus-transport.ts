import { setMaxListeners } from 'node:events';
import { decode, encode } from '../codec/codec.js';
import { CancelledError, ClosedError, ConfigError, PayloadTooLargeError } from '../errors/runtime-errors.js';
import { decodeReply, decodeRequest, encodeReplyErr, encodeReplyOk, encodeRequest, parseStreamOpen } from './envelope.js';
import { StreamConsumer } from './stream-consumer.js';
import { StreamProducer } from './stream-producer.js';
import { inboxToken, type StreamWire } from './stream-wire.js';
import { Subjects } from './subject.js';
import { TransportStats } from './stats.js';
import type {
  CallOptions, Incoming, RequestContext, RequestHandler, StreamCallOptions, StreamHandler, Subject, SubscribeOptions, Subscription, Transport,
} from './transport.js';
import type { RawMessage, RawSubscription, Wire } from './wire.js';

/** Bytes kept free below the server's max_payload for headers and envelopes. */
export const PAYLOAD_HEADROOM_BYTES = 4096;
export const DEFAULT_STREAM_FRAME_BYTES = 256 * 1024;
export const DEFAULT_MAX_STREAM_VALUE_BYTES = 256 * 1024 * 1024;

export interface BusTransportOptions {
  /** Subject prefix (default `athanor`); inboxes live under `<prefix>.inbox.`. */
  readonly prefix?: string;
  /** Largest stream frame, header included (default 256 KiB, capped at maxPayloadBytes). */
  readonly streamFrameBytes?: number;
  /** Largest encoded value a stream may carry after splitting (default 256 MiB). */
  readonly maxStreamValueBytes?: number;
}

/**
 * Transport semantics shared by every implementation, on top of a byte-level Wire: envelopes
 * with deadlines, error mapping, handler tracking for drain, and credit-based streams.
 */
export abstract class BusTransport implements Transport, StreamWire {
  readonly stats = new TransportStats();
  readonly subjects: Subjects;
  readonly maxPayloadBytes: number;
  readonly frameBytes: number;
  readonly maxValueBytes: number;
  readonly #wire: Wire;
  /** Every open stream and pending request listens to it (bounded by their own limits), hence no listener cap. */
  readonly #closeCtl = (() => { const c = new AbortController(); setMaxListeners(0, c.signal); return c; })();
  readonly #serving = new Set<RawSubscription>();
  readonly #inflight = new Set<Promise<void>>();
  /** This transport's inbox group: `newInbox` subjects live under it, routed from one wildcard subscription. */
  readonly #inboxGroup = inboxToken();
  /** `<prefix>.inbox.<group>.*`, and the same without its `*`: what every inbox of the group starts with. */
  readonly #inboxWildcard: Subject;
  readonly #inboxHead: string;
  /** Open stream inboxes → their callbacks (bounded by the open streams). */
  readonly #inboxes = new Map<string, (data: Uint8Array) => void>();
  #inboxSub: RawSubscription | undefined;
  #closed = false;
  #draining: Promise<void> | undefined;

  protected constructor(wire: Wire, opts: BusTransportOptions = {}) {
    this.#wire = wire;
    this.subjects = new Subjects(opts.prefix ?? 'athanor');
    this.#inboxWildcard = this.subjects.inboxGroup(this.#inboxGroup);
    this.#inboxHead = this.#inboxWildcard.slice(0, -1);
    this.maxPayloadBytes = wire.serverMaxPayload - PAYLOAD_HEADROOM_BYTES;
    if (this.maxPayloadBytes < 1024) throw new ConfigError(`server max_payload of ${wire.serverMaxPayload} bytes is too small for athanor`);
    this.frameBytes = Math.min(this.maxPayloadBytes, Math.max(1024, opts.streamFrameBytes ?? DEFAULT_STREAM_FRAME_BYTES));
    // Part frames carry the total as u32.
    this.maxValueBytes = Math.min(2 ** 32 - 1, opts.maxStreamValueBytes ?? DEFAULT_MAX_STREAM_VALUE_BYTES);
    wire.onClosed(() => this.#markClosed());
  }

  /** Aborted when the transport closes; handler and stream signals follow it. */
  get closeSignal(): AbortSignal { return this.#closeCtl.signal; }

  get closed(): boolean { return this.#closed; }

  publish(subject: Subject, value: unknown): void {
    this.#publishEncoded(subject, encode(value), `publishing to ${subject}`);
  }

  subscribe(subject: Subject, handler: (msg: Incoming) => void, opts: SubscribeOptions = {}): Subscription {
    return this.#serve(subject, opts.queue, (m) => {
      let data: unknown;
      try { data = decode(m.data, `message on ${m.subject}`); } catch { this.stats.decodeErrors++; return; }
      this.stats.messagesReceived++;
      try { handler({ subject: m.subject, data }); } catch { this.stats.handlerErrors++; }
    });
  }

  async request(subject: Subject, value: unknown, opts: CallOptions): Promise<unknown> {
    this.#assertOpen(`requesting on ${subject}`);
    if (opts.signal?.aborted) throw new CancelledError(`requesting on ${subject}: cancelled by caller`);
    const bytes = encodeRequest(value, Date.now() + opts.timeoutMs);
    this.#checkSize(bytes, `requesting on ${subject}`);
    this.stats.requests++;
    this.stats.messagesSent++;
    try {
      const reply = await withAbort(this.#wire.request(subject, bytes, opts.timeoutMs), opts.signal,
        () => new CancelledError(`requesting on ${subject}: cancelled by caller`));
      const r = decodeReply(reply, subject);
      if (!r.ok) throw r.error;
      return r.body;
    } catch (err) {
      this.stats.requestErrors++;
      throw err;
    }
  }

  handle(subject: Subject, handler: RequestHandler, opts: SubscribeOptions = {}): Subscription {
    return this.#serve(subject, opts.queue, (m) => { this.#track(this.#answer(m, handler)); });
  }

  requestStream(subject: Subject, value: unknown, opts: StreamCallOptions): AsyncIterable<unknown> {
    return { [Symbol.asyncIterator]: () => new StreamConsumer(this, subject, value, opts) };
  }

  handleStream(subject: Subject, handler: StreamHandler, opts: SubscribeOptions = {}): Subscription {
    return this.handle(subject, async (request, ctx) => {
      const open = parseStreamOpen(request, subject);
      if (!this.subjects.isInbox(open.inbox)) {
        throw new ConfigError(`opening stream on ${subject}: reply inbox "${open.inbox}" is not a private inbox of prefix ${this.subjects.prefix}`);
      }
      const producer = new StreamProducer(this, subject, open);
      const streamCtx: RequestContext = { subject: ctx.subject, deadlineMs: ctx.deadlineMs, signal: producer.signal };
      this.#track(producer.run(handler, open.body, streamCtx));
      return producer.reply;
    }, opts);
  }

  publishBytes(subject: string, data: Uint8Array): void {
    this.#assertOpen(`publishing to ${subject}`);
    this.#wire.publish(subject, data);
  }

  newInbox(): Subject {
    return this.subjects.inboxIn(this.#inboxGroup, inboxToken());
  }

  /**
   * Inboxes from `newInbox` share one wildcard subscription (created on first use; no SUB/UNSUB per
   * stream on the connection or the server); what arrives for an inbox no longer listened to is
   * dropped and counted (`inboxDropped`). Any other subject gets a subscription of its own.
   */
  subscribeBytes(subject: string, onData: (data: Uint8Array) => void): RawSubscription {
    this.#assertOpen(`subscribing to ${subject}`);
    if (!subject.startsWith(this.#inboxHead)) return this.#wire.subscribe(subject, (m) => onData(m.data));
    this.#inboxSub ??= this.#wire.subscribe(this.#inboxWildcard, (m) => {
      const route = this.#inboxes.get(m.subject);
      if (route === undefined) { this.stats.inboxDropped++; return; }
      try { route(m.data); } catch { this.stats.handlerErrors++; }
    });
    this.#inboxes.set(subject, onData);
    return { unsubscribe: () => { if (this.#inboxes.get(subject) === onData) this.#inboxes.delete(subject); } };
  }

  async flush(): Promise<void> {
    this.#assertOpen('flushing');
    await this.#wire.flush();
  }

  drain(): Promise<void> {
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  /** Closes at once: in-flight handlers see their signal aborted, streams fail with ClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#markClosed();
    await this.#wire.close(false);
  }

  async #drain(): Promise<void> {
    if (this.#closed) return;
    for (const s of this.#serving) s.unsubscribe();
    this.#serving.clear();
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    this.#markClosed();
    await this.#wire.close(true);
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeCtl.abort(new ClosedError('transport closed'));
  }

  #serve(subject: string, queue: string | undefined, onMessage: (m: RawMessage) => void): Subscription {
    this.#assertOpen(`subscribing to ${subject}`);
    if (this.#draining !== undefined) throw new ClosedError(`subscribing to ${subject}: transport is draining`);
    const raw = this.#wire.subscribe(subject, onMessage, queue);
    this.#serving.add(raw);
    return {
      unsubscribe: async () => {
        if (this.#serving.delete(raw)) raw.unsubscribe();
      },
    };
  }

  async #answer(m: RawMessage, handler: RequestHandler): Promise<void> {
    const reply = m.reply;
    if (reply === undefined) { this.stats.decodeErrors++; return; }
    this.stats.messagesReceived++;
    let out: Uint8Array;
    let deadlineMs = Date.now();
    const signal = new LazyDeadlineSignal(m.subject, this.closeSignal);
    try {
      const req = decodeRequest(m.data, m.subject);
      deadlineMs = req.deadlineMs;
      signal.deadlineMs = deadlineMs;
      const ctx: RequestContext = { subject: m.subject, deadlineMs, get signal() { return signal.get(); } };
      out = encodeReplyOk(await handler(req.body, ctx));
      if (out.length > this.maxPayloadBytes) {
        out = encodeReplyErr(new PayloadTooLargeError(`replying on ${m.subject}: reply of ${out.length} bytes exceeds max payload ${this.maxPayloadBytes}; use a stream`,
          { data: { subject: m.subject, bytes: out.length, limit: this.maxPayloadBytes } }));
      }
    } catch (err) {
      out = encodeReplyErr(err);
    } finally {
      signal.dispose();
    }
    // At or past the deadline the caller has given up (its timer fires at the deadline), and a
    // handler that saw its signal abort (deadline, close) may have cut its work short: no reply.
    if (this.#closed || signal.aborted || Date.now() >= deadlineMs) return;
    try { this.#wire.publish(reply, out); this.stats.messagesSent++; } catch { /* requester gone or closed */ }
  }

  #track(p: Promise<void>): void {
    const q = p.catch(() => undefined).finally(() => this.#inflight.delete(q));
    this.#inflight.add(q);
  }

  #publishEncoded(subject: string, bytes: Uint8Array, what: string): void {
    this.#assertOpen(what);
    this.#checkSize(bytes, what);
    this.#wire.publish(subject, bytes);
    this.stats.messagesSent++;
  }

  #checkSize(bytes: Uint8Array, what: string): void {
    if (bytes.length > this.maxPayloadBytes) {
      throw new PayloadTooLargeError(`${what}: message of ${bytes.length} bytes exceeds max payload ${this.maxPayloadBytes}`,
        { data: { bytes: bytes.length, limit: this.maxPayloadBytes } });
    }
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new ClosedError(`${what}: transport closed`);
  }
}

/**
 * A request handler's signal, created only when the handler reads it (most never do): aborts at
 * the request's deadline or when the transport closes.
 */
class LazyDeadlineSignal {
  deadlineMs = 0;
  readonly #subject: string;
  readonly #closeSignal: AbortSignal;
  #ctl: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onClose = () => this.#ctl?.abort(this.#closeSignal.reason);

  constructor(subject: string, closeSignal: AbortSignal) {
    this.#subject = subject;
    this.#closeSignal = closeSignal;
  }

  get(): AbortSignal {
    if (this.#ctl !== undefined) return this.#ctl.signal;
    const ctl = new AbortController();
    this.#ctl = ctl;
    if (this.#closeSignal.aborted) ctl.abort(this.#closeSignal.reason);
    else this.#closeSignal.addEventListener('abort', this.#onClose, { once: true });
    const ms = Math.min(2 ** 31 - 1, Math.max(0, this.deadlineMs - Date.now()));
    this.#timer = setTimeout(() => ctl.abort(new CancelledError(`handling request on ${this.#subject}: deadline passed`)), ms);
    return ctl.signal;
  }

  /** Whether the handler's signal (if it asked for one) has aborted. */
  get aborted(): boolean { return this.#ctl?.signal.aborted ?? false; }

  dispose(): void {
    if (this.#ctl === undefined) return;
    clearTimeout(this.#timer);
    this.#closeSignal.removeEventListener('abort', this.#onClose);
  }
}

/** Races `p` against `signal`; the abort wins with `make()`'s error. */
export function withAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, make: () => Error): Promise<T> {
  if (signal === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(make());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}
