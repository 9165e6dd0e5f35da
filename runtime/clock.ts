/**
 * Time as a dependency. Logic that waits or measures takes a `Clock` so tests drive time with
 * `FakeClock` instead of sleeping. `systemClock` is the real one.
 */
import { CancelledError } from './errors/runtime-errors.js';

/** A scheduled callback; `cancel()` is idempotent and a no-op once the timer fired. */
export interface Timer {
  cancel(): void;
}

/**
 * Contract: `now()` is milliseconds since the epoch and never goes backwards within one clock.
 * `setTimer(ms, fn)` calls `fn` once, no earlier than `ms` later (negative counts as 0); timers
 * due at the same instant fire in the order they were set. `sleep(ms, signal)` resolves after
 * `ms`, or rejects with CancelledError as soon as `signal` aborts (at once if already aborted)
 * and frees its timer.
 */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): Timer;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) { reject(new CancelledError('sleeping: aborted', { cause: signal.reason })); return; }
    const onAbort = (): void => {
      timer.cancel();
      reject(new CancelledError('sleeping: aborted', { cause: signal?.reason }));
    };
    const timer = clock.setTimer(ms, () => { signal?.removeEventListener('abort', onAbort); resolve(); });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock and Node's timers (a pending timer keeps the process alive, like setTimeout). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const h = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(h) };
  },
  sleep(ms, signal) { return sleepWith(systemClock, ms, signal); },
};

interface FakeTimer { readonly due: number; readonly seq: number; readonly fn: () => void; cancelled: boolean }

/**
 * A manual clock for tests. Time moves only through `advance()`/`tick()`; timers fire in due
 * order (ties in the order they were set), with `now()` set to each timer's due time as it fires.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(startMs = 1_700_000_000_000) { this.#now = startMs; }

  now(): number { return this.#now; }

  setTimer(ms: number, fn: () => void): Timer {
    const t: FakeTimer = { due: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(t);
    this.#timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    this.#notify();
    return { cancel: () => { t.cancelled = true; this.#timers = this.#timers.filter((x) => x !== t); } };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> { return sleepWith(this, ms, signal); }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number { return this.#timers.length; }

  /** Due time of the earliest pending timer, or undefined. */
  nextDue(): number | undefined { return this.#timers[0]?.due; }

  /** Resolves once at least `count` timers are pending (use to await "the code is now waiting"). */
  whenPending(count = 1): Promise<void> {
    if (this.#timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Moves time forward by `ms` synchronously, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#now + Math.max(0, ms);
    for (;;) {
      const t = this.#timers[0];
      if (t === undefined || t.due > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, t.due);
      if (!t.cancelled) t.fn();
    }
    this.#now = target;
  }

  /**
   * Like `advance`, but lets promise callbacks run after each fired timer, so a timer set by code
   * woken by an earlier timer still fires if it falls inside the window.
   */
  async tick(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    for (;;) {
      await flushMicrotasks();
      const t = this.#timers[0];
      if (t === undefined || t.due > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, t.due);
      if (!t.cancelled) t.fn();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  #notify(): void {
    const ready = this.#waiters.filter((w) => this.#timers.length >= w.count);
    this.#waiters = this.#waiters.filter((w) => this.#timers.length < w.count);
    for (const w of ready) w.resolve();
  }
}

/** Lets queued promise callbacks (and one macrotask turn) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
