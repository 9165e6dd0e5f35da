import { encode } from '../codec/codec.js';
import { toWire } from '../errors/coded-error.js';
import { CancelledError, ClosedError, PayloadTooLargeError, StreamStalledError } from '../errors/runtime-errors.js';
import { streamAcceptMessage, streamInlineMessage, type StreamOpen } from './envelope.js';
import {
  DATA_HEADER_BYTES, PART_HEADER_BYTES, decodeControl, encodeDataFrame, encodeEndFrame, encodeErrorFrame, encodePartFrame,
} from './frame.js';
import type { StreamWire } from './stream-wire.js';
import type { RequestContext, StreamHandler, StreamWriter, Subject } from './transport.js';

/** Most values one data frame carries (bounds per-frame work for tiny values). */
export const MAX_BATCH_VALUES = 1024;

/**
 * A stream's first pending batch this large is sent at once instead of at the next turn of the
 * event loop, and each later one at twice the size of the last (up to a full frame): a producer
 * that writes many large values in one burst (a store reading a block) streams them as it goes, so
 * the consumer starts on the first ones early, while a long stream soon travels in full frames
 * (fewer messages and credits); small values still share frames.
 */
export const EAGER_FLUSH_BYTES = 32 * 1024;

/** Largest stream (all frames) answered inline, as the open request's reply. */
export const INLINE_MAX_BYTES = 64 * 1024;
/** How long a producer holds frames hoping to answer inline before it starts streaming. */
export const INLINE_HOLD_MS = 10;

/**
 * The producer side of one streamed reply. It owns a private control subject (credit and cancel
 * arrive there), sends numbered frames to the consumer's inbox, spends one credit per frame and
 * waits when credit is exhausted. No credit within `stallTimeoutMs` → StreamStalledError; a
 * cancel → CancelledError; either aborts `signal` and frees the subscription.
 *
 * Inline answers: when the consumer allows it (`open.inline`), frames are first held; if the
 * handler ends while they total at most INLINE_MAX_BYTES, within the credit window and within
 * INLINE_HOLD_MS, `reply` resolves to the whole stream (stream-inline) and no control subject or
 * frame message is ever made — a small answer costs one request/reply like a plain request.
 * Otherwise the producer switches to streaming: it subscribes its control subject, `reply` resolves
 * to stream-accept and the held frames are sent in order. Frames, credit and errors are the same
 * either way; while holding, a cancel cannot arrive (bounded by INLINE_HOLD_MS).
 */
export class StreamProducer implements StreamWriter {
  control: Subject | undefined;
  /** The open request's reply: stream-accept, or the whole stream inline. */
  readonly reply: Promise<Record<string, unknown>>;
  #resolveReply!: (r: Record<string, unknown>) => void;
  #rejectReply!: (e: unknown) => void;
  #held: Uint8Array[] | undefined;
  #heldBytes = 0;
  #holdTimer: NodeJS.Timeout | undefined;
  readonly #wire: StreamWire;
  readonly #open: StreamOpen;
  readonly #subject: string;
  readonly #abort = new AbortController();
  #controlSub: { unsubscribe(): void } | undefined;
  #credit: number;
  #seq = 0;
  #sentBytes = 0;
  #creditedBytes = 0;
  #pendingBytes = 0;
  #waiter: { resolve: () => void; reject: (e: unknown) => void; timer: NodeJS.Timeout } | undefined;
  #tail: Promise<void> = Promise.resolve();
  #batch: Uint8Array[] = [];
  #batchBytes = 0;
  #flushScheduled = false;
  #eagerBytes = EAGER_FLUSH_BYTES;
  #finished = false;
  readonly #onClose = () => this.#stop(new ClosedError(`serving stream on ${this.#subject}: transport closed`));

  constructor(wire: StreamWire, subject: string, open: StreamOpen) {
    this.#wire = wire;
    this.#open = open;
    this.#subject = subject;
    this.#credit = open.window;
    this.reply = new Promise((resolve, reject) => { this.#resolveReply = resolve; this.#rejectReply = reject; });
    this.reply.catch(() => undefined);
    wire.closeSignal.addEventListener('abort', this.#onClose, { once: true });
    if (open.inline === true) {
      this.#held = [];
      this.#holdTimer = setTimeout(() => this.#startStreaming(), INLINE_HOLD_MS);
    } else this.#startStreaming();
  }

  /** Ends holding: subscribes the control subject, answers stream-accept, sends the held frames. */
  #startStreaming(): void {
    if (this.control !== undefined || this.#abort.signal.aborted) return;
    const held = this.#endHold() ?? [];
    this.control = this.#wire.newInbox();
    try {
      this.#controlSub = this.#wire.subscribeBytes(this.control, (data) => this.#onControl(data));
    } catch (err) {
      this.#rejectReply(err);
      this.#stop(err instanceof Error ? err : new ClosedError(String(err)));
      return;
    }
    this.#resolveReply(streamAcceptMessage(this.control));
    for (const f of held) this.#wire.publishBytes(this.#open.inbox, f);
  }

  /** Stops holding (if it was) and hands over the held frames. */
  #endHold(): Uint8Array[] | undefined {
    const held = this.#held;
    if (held !== undefined) { this.#held = undefined; clearTimeout(this.#holdTimer); }
    return held;
  }

  get signal(): AbortSignal { return this.#abort.signal; }

  get bufferedBytes(): number { return this.#sentBytes - this.#creditedBytes + this.#pendingBytes + this.#batchBytes; }

  write(value: unknown): Promise<void> {
    return this.#enqueue(() => this.#write(value));
  }

  /** Runs `handler` to completion, then sends end (or an error frame) unless the stream was stopped. */
  async run(handler: StreamHandler, body: unknown, ctx: RequestContext): Promise<void> {
    this.#wire.stats.streamsServed++;
    try {
      await handler(body, this, ctx);
      await this.#enqueue(() => this.#flush());
      if (!this.#abort.signal.aborted) this.#send(encodeEndFrame(this.#seq++), false);
    } catch (err) {
      // Values written before the error go first.
      if (!this.#abort.signal.aborted) await this.#enqueue(() => this.#flush()).catch(() => undefined);
      if (!this.#abort.signal.aborted) this.#sendError(err);
    } finally {
      this.#finish();
    }
  }

  /** Serialises writes and flushes, so frames keep the order of `write` calls. */
  #enqueue(fn: () => Promise<void>): Promise<void> {
    const p = this.#tail.then(fn);
    this.#tail = p.catch(() => undefined);
    return p;
  }

  async #write(value: unknown): Promise<void> {
    this.#throwIfStopped();
    const bytes = encode(value);
    if (bytes.length > this.#wire.maxValueBytes) {
      throw new PayloadTooLargeError(`writing to stream on ${this.#subject}: value of ${bytes.length} bytes exceeds the stream limit of ${this.#wire.maxValueBytes}`,
        { data: { subject: this.#subject, bytes: bytes.length, limit: this.#wire.maxValueBytes } });
    }
    if (bytes.length + DATA_HEADER_BYTES <= this.#wire.frameBytes) {
      // Small values are batched: one data frame carries as many as fit, sent when full, when it
      // reaches the eager size (EAGER_FLUSH_BYTES, doubling) or on the next turn of the event
      // loop, so small values cost neither a message nor a credit each.
      if (DATA_HEADER_BYTES + this.#batchBytes + bytes.length > this.#wire.frameBytes || this.#batch.length >= MAX_BATCH_VALUES) await this.#flush();
      this.#batch.push(bytes);
      this.#batchBytes += bytes.length;
      if (this.#batchBytes >= this.#eagerBytes) {
        this.#eagerBytes = Math.min(2 * this.#eagerBytes, this.#wire.frameBytes);
        await this.#flush();
        return;
      }
      this.#scheduleFlush();
      return;
    }
    await this.#flush();
    const partBytes = this.#wire.frameBytes - PART_HEADER_BYTES;
    const count = Math.ceil(bytes.length / partBytes);
    this.#pendingBytes = bytes.length;
    try {
      for (let i = 0; i < count; i++) {
        await this.#awaitCredit();
        const chunk = bytes.subarray(i * partBytes, Math.min(bytes.length, (i + 1) * partBytes));
        this.#pendingBytes -= chunk.length;
        this.#send(encodePartFrame(this.#seq++, i, count, bytes.length, chunk));
      }
    } finally {
      this.#pendingBytes = 0;
    }
  }

  /** Sends the pending batch as one data frame, waiting for credit first. */
  async #flush(): Promise<void> {
    if (this.#batch.length === 0) return;
    await this.#awaitCredit();
    const frame = encodeDataFrame(this.#seq++, this.#batch);
    this.#batch = [];
    this.#batchBytes = 0;
    this.#send(frame);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#batch.length > 0) this.#enqueue(() => this.#flush()).catch(() => undefined);
    });
  }

  /** Publishes (or, while holding, keeps) one frame; data and part frames spend credit, end and error frames do not. */
  #send(frame: Uint8Array, spendsCredit = true): void {
    if (this.#held !== undefined) this.#held.push(frame); else this.#wire.publishBytes(this.#open.inbox, frame);
    if (spendsCredit) {
      this.#credit--;
      this.#sentBytes += frame.length;
    }
    this.#wire.stats.framesSent++;
    if (this.#held !== undefined) {
      this.#heldBytes += frame.length;
      // Too big to answer inline, or out of credit (credit can only come over the control subject).
      if (this.#heldBytes > INLINE_MAX_BYTES || this.#credit <= 0) this.#startStreaming();
    }
  }

  #sendError(err: unknown): void {
    let body = encode(toWire(err));
    if (body.length + DATA_HEADER_BYTES > this.#wire.frameBytes) {
      const w = toWire(err);
      body = encode({ name: w.name, code: w.code, message: w.message.slice(0, 1000), retryable: w.retryable });
    }
    try { this.#send(encodeErrorFrame(this.#seq++, body), false); } catch { /* transport gone: nothing to tell */ }
  }

  #awaitCredit(): Promise<void> {
    this.#throwIfStopped();
    if (this.#credit > 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wire.stats.stalls++;
        const err = new StreamStalledError(
          `serving stream on ${this.#subject}: no credit from the consumer within ${this.#open.stallTimeoutMs}ms`,
          { data: { subject: this.#subject, stallTimeoutMs: this.#open.stallTimeoutMs, seq: this.#seq } });
        this.#sendError(err);
        this.#stop(err);
      }, this.#open.stallTimeoutMs);
      this.#waiter = { resolve, reject, timer };
    });
  }

  #onControl(data: Uint8Array): void {
    let msg;
    try { msg = decodeControl(data, `control message on ${this.control}`); } catch { this.#wire.stats.decodeErrors++; return; }
    if (msg.kind === 'cancel') {
      this.#wire.stats.cancels++;
      this.#stop(new CancelledError(`serving stream on ${this.#subject}: consumer cancelled`, { data: { subject: this.#subject } }));
      return;
    }
    // A consumer can release at most what was sent; anything beyond is ignored.
    const outstanding = this.#open.window - this.#credit;
    this.#credit += Math.min(msg.frames, outstanding);
    this.#creditedBytes = Math.min(this.#sentBytes, this.#creditedBytes + msg.bytes);
    const w = this.#waiter;
    if (w !== undefined && this.#credit > 0) {
      this.#waiter = undefined;
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  #throwIfStopped(): void {
    if (this.#abort.signal.aborted) throw this.#abort.signal.reason;
    if (this.#finished) throw new ClosedError(`writing to stream on ${this.#subject}: the stream has ended`);
  }

  #stop(reason: Error): void {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort(reason);
    if (this.#endHold() !== undefined) this.#rejectReply(reason);
    const w = this.#waiter;
    this.#waiter = undefined;
    if (w !== undefined) { clearTimeout(w.timer); w.reject(reason); }
    this.#release();
  }

  #finish(): void {
    this.#finished = true;
    const held = this.#endHold();
    if (held !== undefined) {
      this.#wire.stats.streamsInline++;
      this.#resolveReply(streamInlineMessage(held));
    }
    this.#release();
  }

  #released = false;
  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#controlSub?.unsubscribe();
    this.#wire.closeSignal.removeEventListener('abort', this.#onClose);
  }
}
