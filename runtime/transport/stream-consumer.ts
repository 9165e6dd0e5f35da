import { decode, decodeMultiple } from '../codec/codec.js';
import { fromWire, isWireError } from '../errors/coded-error.js';
import { CancelledError, ClosedError, DecodeError, PayloadTooLargeError, StreamBrokenError, TimeoutError } from '../errors/runtime-errors.js';
import { parseStreamReply, streamOpenMessage } from './envelope.js';
import { decodeFrame, encodeCancel, encodeCredit, type Frame } from './frame.js';
import type { StreamWire } from './stream-wire.js';
import type { StreamCallOptions, Subject } from './transport.js';

export const DEFAULT_WINDOW = 16;
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

type Item =
  | { readonly kind: 'value'; readonly value: unknown; readonly frames: number; readonly bytes: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: unknown };

/** A FIFO with O(1) shift (a batch frame can queue thousands of values at once). */
class Fifo<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  push(x: T): void { this.#items.push(x); }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const x = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) this.clear();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) { this.#items = this.#items.slice(this.#head); this.#head = 0; }
    return x;
  }

  clear(): void { this.#items = []; this.#head = 0; }
}

interface Assembly { readonly count: number; readonly total: number; readonly buf: Uint8Array; next: number; offset: number }

/**
 * The consumer side of one streamed reply, as an async iterator. It subscribes a private inbox,
 * opens the stream with a request (so "no responders" and the deadline apply), buffers at most
 * `window` frames, and grants credit back in batches of a quarter window as values are consumed.
 * Parts of a split value are credited on arrival and reassembled into one value (bounded by the
 * transport's maxValueBytes). `return()` (a `break`) or aborting the signal cancels the producer.
 */
export class StreamConsumer implements AsyncIterator<unknown> {
  readonly #wire: StreamWire;
  readonly #subject: Subject;
  readonly #value: unknown;
  readonly #opts: StreamCallOptions;
  readonly #window: number;
  readonly #stallMs: number;
  readonly #grantAt: number;
  #state: 'idle' | 'open' | 'done' = 'idle';
  #inbox: Subject | undefined;
  #sub: { unsubscribe(): void } | undefined;
  #control: string | undefined;
  #cancelOnAccept = false;
  #queue = new Fifo<Item>();
  #waiter: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #deadline = 0;
  #seq = 0;
  #gotFrame = false;
  #received = 0;
  #granted = 0;
  #pendingFrames = 0;
  #pendingBytes = 0;
  #assembly: Assembly | undefined;
  readonly #onAbort = () => {
    if (this.#state === 'open') this.#wire.stats.cancels++;
    this.#fail(new CancelledError(`reading stream from ${this.#subject}: cancelled by caller`), true, true);
  };
  readonly #onClose = () => this.#fail(new ClosedError(`reading stream from ${this.#subject}: transport closed`), false, true);

  constructor(wire: StreamWire, subject: Subject, value: unknown, opts: StreamCallOptions) {
    this.#wire = wire;
    this.#subject = subject;
    this.#value = value;
    this.#opts = opts;
    this.#window = Math.max(1, Math.floor(opts.window ?? DEFAULT_WINDOW));
    this.#stallMs = opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    // Quarter-window grants: a waiting producer resumes sooner than with half-window grants, for
    // 13-byte credit messages (measured in test/bench/transport.bench.ts).
    this.#grantAt = Math.max(1, Math.floor(this.#window / 4));
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#state === 'idle') this.#start();
    const item = this.#queue.shift();
    if (item !== undefined) return this.#deliver(item);
    if (this.#state === 'done') return Promise.resolve({ done: true, value: undefined });
    if (this.#waiter !== undefined) return Promise.reject(new Error('stream iterator: next() called while a previous next() is pending'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#armTimer();
    });
  }

  return(): Promise<IteratorResult<unknown>> {
    if (this.#state === 'open') {
      this.#wire.stats.cancels++;
      this.#terminate(true);
    }
    this.#state = 'done';
    this.#queue.clear();
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.resolve({ done: true, value: undefined });
    return Promise.resolve({ done: true, value: undefined });
  }

  #start(): void {
    this.#state = 'open';
    this.#wire.stats.streamsOpened++;
    this.#deadline = Date.now() + this.#opts.timeoutMs;
    const signal = this.#opts.signal;
    if (signal?.aborted) { this.#onAbort(); return; }
    if (this.#wire.closeSignal.aborted) { this.#onClose(); return; }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#wire.closeSignal.addEventListener('abort', this.#onClose, { once: true });
    const inbox = this.#wire.newInbox();
    this.#inbox = inbox;
    this.#sub = this.#wire.subscribeBytes(inbox, (data) => this.#onFrame(data));
    const open = streamOpenMessage({ inbox, window: this.#window, stallTimeoutMs: this.#stallMs, body: this.#value, inline: this.#opts.inline ?? true });
    // Not tied to the caller's signal: a reply that arrives after an abort must still be read, so
    // the producer gets its cancel (cancelOnAccept); the deadline bounds the wait.
    this.#wire.request(this.#subject, open, { timeoutMs: this.#opts.timeoutMs }).then((reply) => {
      const r = parseStreamReply(reply, this.#subject);
      if (r.kind === 'inline') {
        // The whole stream in one reply: the same frames, checked the same way, as if they had arrived on the inbox.
        for (const f of r.frames) this.#onFrame(f);
        if (this.#state === 'open') this.#fail(this.#broken('the inline answer has no end or error frame'), false, false);
        return;
      }
      this.#control = r.control;
      if (this.#cancelOnAccept) this.#wire.publishBytes(r.control, encodeCancel());
      else this.#maybeGrant();
    }).catch((err: unknown) => {
      if (this.#state === 'open') this.#fail(err, false, true);
    });
  }

  #deliver(item: Item): Promise<IteratorResult<unknown>> {
    if (item.kind === 'value') {
      this.#pendingFrames += item.frames;
      this.#pendingBytes += item.bytes;
      this.#maybeGrant();
      return Promise.resolve({ done: false, value: item.value });
    }
    this.#state = 'done';
    this.#queue.clear();
    if (item.kind === 'end') return Promise.resolve({ done: true, value: undefined });
    return Promise.reject(item.error);
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    const ms = this.#gotFrame ? this.#stallMs : Math.max(0, this.#deadline - Date.now());
    this.#timer = setTimeout(() => {
      this.#wire.stats.consumerTimeouts++;
      const what = this.#gotFrame ? `next frame within the stall timeout of ${ms}ms` : `first frame within ${this.#opts.timeoutMs}ms`;
      this.#fail(new TimeoutError(`reading stream from ${this.#subject}: no ${what}`, { data: { subject: this.#subject, seq: this.#seq } }), true, true);
    }, ms);
  }

  #push(item: Item): void {
    const w = this.#waiter;
    if (w !== undefined) {
      this.#waiter = undefined;
      clearTimeout(this.#timer);
      this.#deliver(item).then(w.resolve, w.reject);
    } else {
      this.#queue.push(item);
    }
  }

  #onFrame(data: Uint8Array): void {
    if (this.#state !== 'open') return;
    this.#wire.stats.framesReceived++;
    this.#gotFrame = true;
    let frame: Frame;
    try {
      frame = decodeFrame(data, `stream frame from ${this.#subject}`);
      if (frame.seq !== (this.#seq >>> 0)) {
        throw new StreamBrokenError(`reading stream from ${this.#subject}: frame ${frame.seq} arrived, expected ${this.#seq >>> 0}`,
          { data: { subject: this.#subject, seq: frame.seq, expected: this.#seq } });
      }
      this.#seq++;
      if (frame.kind === 'data' || frame.kind === 'part') {
        this.#received++;
        if (this.#received - this.#granted > this.#window) {
          throw new StreamBrokenError(`reading stream from ${this.#subject}: producer exceeded the credit window of ${this.#window}`, { data: { subject: this.#subject } });
        }
      }
      this.#onValidFrame(frame, data.length);
    } catch (err) {
      if (err instanceof StreamBrokenError) this.#wire.stats.broken++;
      this.#fail(err, true, false);
    }
  }

  #onValidFrame(frame: Frame, size: number): void {
    switch (frame.kind) {
      case 'data': {
        if (this.#assembly !== undefined) throw this.#broken(`data frame ${frame.seq} inside a split value`);
        const values = decodeMultiple(frame.body, `stream values from ${this.#subject}`);
        if (values.length === 0) throw this.#broken(`data frame ${frame.seq} carries no value`);
        // The frame is credited when its last value is consumed.
        const last = values.length - 1;
        for (let i = 0; i < values.length; i++) {
          this.#push({ kind: 'value', value: values[i], frames: i === last ? 1 : 0, bytes: i === last ? size : 0 });
        }
        return;
      }
      case 'part': return this.#onPart(frame, size);
      case 'end':
        if (this.#assembly !== undefined) throw this.#broken('end frame inside a split value');
        this.#terminate(false);
        this.#push({ kind: 'end' });
        return;
      case 'error': {
        const wire: unknown = decode(frame.body, `stream error from ${this.#subject}`);
        if (!isWireError(wire)) throw new DecodeError(`decoding stream error from ${this.#subject}: not a wire error`);
        this.#terminate(false);
        this.#push({ kind: 'error', error: fromWire(wire) });
      }
    }
  }

  #onPart(f: Extract<Frame, { kind: 'part' }>, size: number): void {
    let a = this.#assembly;
    if (f.index === 0) {
      if (a !== undefined) throw this.#broken(`a new split value began at frame ${f.seq} before the previous one ended`);
      if (f.total > this.#wire.maxValueBytes) {
        throw new PayloadTooLargeError(`reading stream from ${this.#subject}: split value of ${f.total} bytes exceeds the limit of ${this.#wire.maxValueBytes}`,
          { data: { subject: this.#subject, bytes: f.total, limit: this.#wire.maxValueBytes } });
      }
      a = { count: f.count, total: f.total, buf: Buffer.allocUnsafe(f.total), next: 0, offset: 0 };
      this.#assembly = a;
    }
    if (a === undefined || f.index !== a.next || f.count !== a.count || f.total !== a.total) {
      throw this.#broken(`part ${f.index}/${f.count} of a ${f.total}-byte value at frame ${f.seq} does not continue the split value`);
    }
    if (a.offset + f.body.length > a.total) throw this.#broken(`parts exceed the declared ${a.total} bytes at frame ${f.seq}`);
    a.buf.set(f.body, a.offset);
    a.offset += f.body.length;
    a.next++;
    if (a.next < a.count) {
      // Parts are credited on arrival: a value larger than the window must still get through.
      this.#pendingFrames++;
      this.#pendingBytes += size;
      this.#maybeGrant();
      return;
    }
    this.#assembly = undefined;
    if (a.offset !== a.total) throw this.#broken(`split value ended with ${a.offset} of ${a.total} bytes`);
    this.#push({ kind: 'value', value: decode(a.buf, `split stream value from ${this.#subject}`), frames: 1, bytes: size });
  }

  #broken(detail: string): Error {
    return new StreamBrokenError(`reading stream from ${this.#subject}: ${detail}`, { data: { subject: this.#subject } });
  }

  #maybeGrant(): void {
    if (this.#state !== 'open' || this.#control === undefined || this.#pendingFrames < this.#grantAt) return;
    const frames = this.#pendingFrames;
    try { this.#wire.publishBytes(this.#control, encodeCredit(frames, this.#pendingBytes)); } catch { return; }
    this.#granted += frames;
    this.#pendingFrames = 0;
    this.#pendingBytes = 0;
    this.#wire.stats.creditGrants++;
  }

  /**
   * Ends the stream with `err`. `cancel` tells the producer; `now` rejects a pending next() and
   * drops buffered values, otherwise the error is queued behind them.
   */
  #fail(err: unknown, cancel: boolean, now: boolean): void {
    if (this.#state !== 'open') return;
    this.#terminate(cancel);
    if (now) {
      this.#queue.clear();
      this.#queue.push({ kind: 'error', error: err });
      const w = this.#waiter;
      if (w !== undefined) { this.#waiter = undefined; this.#deliver({ kind: 'error', error: err }).then(w.resolve, w.reject); }
    } else {
      this.#push({ kind: 'error', error: err });
    }
  }

  /** Frees the inbox, timers and listeners; the state stays 'open' until the queue is drained. */
  #terminate(cancel: boolean): void {
    clearTimeout(this.#timer);
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    this.#opts.signal?.removeEventListener('abort', this.#onAbort);
    this.#wire.closeSignal.removeEventListener('abort', this.#onClose);
    const before = this.#state;
    this.#state = 'done';
    if (cancel && before === 'open') {
      if (this.#control !== undefined) { try { this.#wire.publishBytes(this.#control, encodeCancel()); } catch { /* closed */ } }
      else this.#cancelOnAccept = true;
    }
  }
}
