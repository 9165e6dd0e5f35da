/**
 * A bounded FIFO mailbox: the only queue in front of an actor. It never grows past `capacity`;
 * what happens on overflow is an explicit policy:
 * - `reject`: `push` throws MailboxFullError (retryable) and the message is not queued;
 * - `drop-oldest`: the oldest queued message is discarded (counted) to make room.
 * One consumer takes messages in order with `take()`. After `close()` pushes throw ClosedError
 * and `take()` rejects with ClosedError; queued messages are handed back by `close()`.
 */
import { ClosedError, MailboxFullError } from '../errors/runtime-errors.js';

export type OverflowPolicy = 'reject' | 'drop-oldest';

export interface MailboxOptions {
  /** Maximum queued messages (≥ 1). */
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
}

/** Receives mailbox events for metrics; every method is optional. */
export interface MailboxObserver {
  depth?(n: number): void;
  dropped?(): void;
  rejected?(): void;
}

export class BoundedMailbox<M> {
  readonly name: string;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  #ring: Array<M | undefined>;
  #head = 0;
  #size = 0;
  #closed = false;
  #dropped = 0;
  #rejected = 0;
  #waiter: { resolve: (m: M) => void; reject: (e: unknown) => void } | undefined;
  readonly #observer: MailboxObserver;

  constructor(name: string, opts: MailboxOptions, observer: MailboxObserver = {}) {
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1) throw new RangeError(`mailbox ${name}: capacity must be an integer ≥ 1, got ${opts.capacity}`);
    this.name = name;
    this.capacity = opts.capacity;
    this.overflow = opts.overflow;
    this.#ring = new Array<M | undefined>(opts.capacity);
    this.#observer = observer;
  }

  get size(): number { return this.#size; }
  get closed(): boolean { return this.#closed; }
  /** Messages discarded by `drop-oldest` so far. */
  get droppedCount(): number { return this.#dropped; }
  /** Pushes refused by `reject` so far. */
  get rejectedCount(): number { return this.#rejected; }

  /**
   * Enqueues `msg` synchronously. Returns the message it displaced under `drop-oldest`, else
   * undefined. Throws MailboxFullError (policy `reject`) or ClosedError (closed mailbox).
   */
  push(msg: M): M | undefined {
    if (this.#closed) throw new ClosedError(`enqueueing to mailbox ${this.name}: closed`, { data: { mailbox: this.name } });
    if (this.#waiter !== undefined) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w.resolve(msg);
      return undefined;
    }
    let displaced: M | undefined;
    if (this.#size === this.capacity) {
      if (this.overflow === 'reject') {
        this.#rejected++;
        this.#observer.rejected?.();
        throw new MailboxFullError(`enqueueing to mailbox ${this.name}: full at capacity ${this.capacity}`, { data: { mailbox: this.name, capacity: this.capacity } });
      }
      displaced = this.#shift();
      this.#dropped++;
      this.#observer.dropped?.();
    }
    this.#ring[(this.#head + this.#size) % this.capacity] = msg;
    this.#size++;
    this.#observer.depth?.(this.#size);
    return displaced;
  }

  /** Next message without waiting, or undefined when empty. */
  tryTake(): M | undefined {
    if (this.#size === 0) return undefined;
    const m = this.#shift();
    this.#observer.depth?.(this.#size);
    return m;
  }

  /** Waits for the next message. Only one `take()` may be pending at a time. */
  take(): Promise<M> {
    if (this.#closed) return Promise.reject(new ClosedError(`taking from mailbox ${this.name}: closed`));
    if (this.#size > 0) return Promise.resolve(this.tryTake() as M);
    if (this.#waiter !== undefined) return Promise.reject(new Error(`taking from mailbox ${this.name}: another take is pending`));
    return new Promise<M>((resolve, reject) => { this.#waiter = { resolve, reject }; });
  }

  /** Closes the mailbox (idempotent), wakes a pending `take()` with ClosedError and returns what was still queued. */
  close(): M[] {
    if (this.#closed) return [];
    this.#closed = true;
    const rest: M[] = [];
    while (this.#size > 0) rest.push(this.#shift());
    this.#observer.depth?.(0);
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(new ClosedError(`taking from mailbox ${this.name}: closed`));
    return rest;
  }

  #shift(): M {
    const m = this.#ring[this.#head] as M;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return m;
  }
}
