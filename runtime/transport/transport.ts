/**
 * The transport seam. Two implementations pass one contract suite
 * (test/runtime/transport/transport.contract.ts): NatsTransport (real nats-server) and
 * LocalTransport (in-process, same semantics, the embedded default).
 *
 * Payloads are plain data (objects, arrays, strings, numbers, typed arrays) encoded with the
 * runtime codec; receivers get `unknown` and must validate (decode boundary).
 */
import type { Subject } from './subject.js';

export type { Subject } from './subject.js';

/** Options for calls that wait for an answer. */
export interface CallOptions {
  /** Deadline for the whole call; it also travels to the responder. */
  readonly timeoutMs: number;
  /** Cancels the call; rejects with CancelledError. */
  readonly signal?: AbortSignal;
}

export interface StreamCallOptions extends CallOptions {
  /** Frames the responder may send before waiting for a credit grant (default 16). */
  readonly window?: number;
  /**
   * How long the producer waits for credit before giving up with StreamStalledError, and how long
   * the consumer waits for the next frame before failing with TimeoutError (default 30s).
   * `timeoutMs` still bounds the time to the first frame.
   */
  readonly stallTimeoutMs?: number;
  /**
   * Let the producer answer a small stream whole in the open request's reply (default true): one
   * request/reply instead of a stream's messages; frames, order and errors are the same.
   */
  readonly inline?: boolean;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to exactly one member of the group. */
  readonly queue?: string;
}

/** A message delivered to a subscriber. */
export interface Incoming {
  readonly subject: string;
  readonly data: unknown;
}

/** What a request handler is given besides the request body. */
export interface RequestContext {
  readonly subject: string;
  /** Aborted when the requester's deadline passes or the transport closes. */
  readonly signal: AbortSignal;
  /** Absolute deadline (ms since epoch) sent by the requester. */
  readonly deadlineMs: number;
}

/**
 * The producer side of a streamed reply. `write` resolves once the value is handed to the
 * transport (small values are batched into one frame, sent when full or on the next event-loop
 * turn), waiting for credit first whenever the window is used up; it rejects with StreamStalledError when no credit came within
 * the stall timeout, or CancelledError when the consumer cancelled. Values larger than the
 * transport's max payload are split and reassembled transparently.
 */
export interface StreamWriter {
  write(value: unknown): Promise<void>;
  /** Aborted when the consumer cancels, stalls, or vanishes; stop producing then. */
  readonly signal: AbortSignal;
  /** Bytes encoded but not yet acknowledged by credit (for bounds and metrics). */
  readonly bufferedBytes: number;
}

export type RequestHandler = (request: unknown, ctx: RequestContext) => Promise<unknown>;
/**
 * Produces a streamed reply. Returning ends the stream (end-of-stream frame); throwing sends an
 * error frame carrying the error's wire form to the consumer.
 */
export type StreamHandler = (request: unknown, out: StreamWriter, ctx: RequestContext) => Promise<void>;

export interface Subscription {
  /** Stops delivery; in-flight handlers finish. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface Transport {
  /** Maximum encoded size of one frame/message (NATS max_payload minus headroom). */
  readonly maxPayloadBytes: number;

  /** Fire-and-forget; throws ClosedError after close, PayloadTooLargeError when oversized. */
  publish(subject: Subject, value: unknown): void;

  /** Delivers every message on `subject` (wildcards `*`, `>` allowed) to `handler`, in order. */
  subscribe(subject: Subject, handler: (msg: Incoming) => void, opts?: SubscribeOptions): Subscription;

  /**
   * Sends one request and waits for one reply. Rejects with NoRespondersError at once when
   * nobody listens, TimeoutError after `timeoutMs`, CancelledError on abort, or the responder's
   * error rebuilt from its wire form.
   */
  request(subject: Subject, value: unknown, opts: CallOptions): Promise<unknown>;

  /** Answers requests on `subject`; thrown errors travel back as wire errors. */
  handle(subject: Subject, handler: RequestHandler, opts?: SubscribeOptions): Subscription;

  /**
   * Opens a streamed reply with credit-based flow control; each iteration of the returned
   * iterable opens one call, on its first `next()`. The iterator yields each value in order; breaking out of it (or aborting `signal`) cancels the producer. Errors: as `request`,
   * plus StreamBrokenError (lost/out-of-order frames), TimeoutError when no frame arrives within
   * the stall timeout, and the producer's error.
   */
  requestStream(subject: Subject, value: unknown, opts: StreamCallOptions): AsyncIterable<unknown>;

  /** Serves streamed replies on `subject`. */
  handleStream(subject: Subject, handler: StreamHandler, opts?: SubscribeOptions): Subscription;

  /**
   * Resolves once everything this connection sent before the call (publishes, subscriptions)
   * has reached the server, so a subscription made before `flush` sees every message published
   * afterwards from any connection. Same-connection ordering needs no flush.
   */
  flush(): Promise<void>;

  /** Stops taking new work, lets in-flight handlers finish, flushes, then closes. */
  drain(): Promise<void>;
}
