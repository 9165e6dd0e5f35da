/**
 * ActorSystem: spawns actors, delivers `tell`/`ask`, stops them, and reports lifecycle events.
 *
 * Guarantees (local delivery): at-most-once; per sender→receiver order is kept; each actor handles
 * one message at a time; every mailbox is bounded (see BoundedMailbox). `tell` never waits: it
 * enqueues or throws. `ask` always has a deadline. Messages are delivered as the same object
 * (no copy), so senders must not mutate a message after sending it.
 */
import { systemClock, type Clock } from '../clock.js';
import { CancelledError, ClosedError, ConfigError, TimeoutError } from '../errors/runtime-errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { createRegistry, type Registry } from '../metrics/registry.js';
import type { ActorFactory, ActorRef, AskOptions, StopReason } from './actor.js';
import { Cell, type ActorEvent, type CellHost } from './cell.js';
import { BoundedMailbox, type MailboxOptions } from './mailbox.js';
import { ActorMetrics } from './metrics.js';
import { defaultStrategy, type SupervisorStrategy } from './supervision.js';

export type { ActorEvent } from './cell.js';

export interface ActorSystemOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Where actor metrics go; a private registry when omitted. */
  readonly registry?: Registry;
  /** Jitter source for restart backoff, values in [0, 1). */
  readonly random?: () => number;
}

export interface SpawnOptions {
  /** Default: capacity 1000, overflow `reject`. */
  readonly mailbox?: MailboxOptions;
  readonly strategy?: SupervisorStrategy;
  /**
   * When a critical actor stops because it failed (stop directive or restart budget exceeded),
   * `run()` rejects with that error so the process run group shuts down (default true).
   */
  readonly critical?: boolean;
}

const defaultMailbox: MailboxOptions = { capacity: 1000, overflow: 'reject' };

export class ActorSystem {
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: ActorMetrics;
  readonly #host: CellHost;
  readonly #cells = new Map<string, Cell<{ readonly kind: string }>>();
  readonly #critical = new Set<string>();
  readonly #replies = new Map<string, (msg: unknown) => void>();
  readonly #listeners = new Set<(e: ActorEvent) => void>();
  #askSeq = 0;
  #closed = false;
  #fail: ((err: unknown) => void) | undefined;
  #failure: { error: unknown } | undefined;

  constructor(opts: ActorSystemOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger();
    this.metrics = new ActorMetrics(opts.registry ?? createRegistry({ defaultMetrics: false }));
    this.#host = {
      clock: this.clock, metrics: this.metrics, random: opts.random ?? Math.random,
      tell: (to, msg) => this.tell(to, msg),
      ask: (to, make, o) => this.ask(to, make, o),
      requestStop: (path) => { void this.#cells.get(path)?.stop(); },
      emit: (e) => this.#emit(e),
    };
  }

  /** Starts an actor at `path` (unique among live actors; ConfigError otherwise). */
  spawn<M extends { readonly kind: string }>(path: string, factory: ActorFactory<M>, opts: SpawnOptions = {}): ActorRef<M> {
    if (this.#closed) throw new ClosedError(`spawning actor ${path}: actor system is stopped`);
    if (this.#cells.has(path)) throw new ConfigError(`spawning actor ${path}: path already in use`);
    const mailbox = new BoundedMailbox<M>(path, opts.mailbox ?? defaultMailbox, this.metrics.observer(path));
    const cell = new Cell<M>(path, factory, mailbox, opts.strategy ?? defaultStrategy, this.#host, this.log.child({ actor: path }));
    this.#cells.set(path, cell as unknown as Cell<{ readonly kind: string }>);
    if (opts.critical ?? true) this.#critical.add(path);
    cell.start();
    return cell.ref;
  }

  /**
   * Enqueues `msg` for `to` synchronously. Throws MailboxFullError (retryable) when the mailbox
   * is full under the `reject` policy, and ClosedError when no live actor has that path.
   * A reply to an `ask` that already settled (timed out, cancelled) is dropped silently.
   */
  tell<M>(to: ActorRef<M>, msg: M): void {
    const reply = this.#replies.get(to.path);
    if (reply !== undefined) { reply(msg); return; }
    const cell = this.#cells.get(to.path);
    if (cell === undefined || cell.stopping) {
      if (to.path.includes('/$ask-')) return;
      throw new ClosedError(`telling actor ${to.path}: no such live actor`, { data: { actor: to.path } });
    }
    (cell.mailbox as unknown as BoundedMailbox<M>).push(msg);
  }

  /**
   * Sends `make(replyTo)` to `to` and resolves with the first message told to `replyTo`.
   * Rejects with TimeoutError after `timeoutMs`, CancelledError when `signal` aborts, or whatever
   * `tell` throws. Later replies are dropped.
   */
  ask<Req, Res>(to: ActorRef<Req>, make: (replyTo: ActorRef<Res>) => Req, o: AskOptions): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      if (o.signal?.aborted) { reject(new CancelledError(`asking actor ${to.path}: aborted`, { cause: o.signal.reason })); return; }
      const path = `${to.path}/$ask-${++this.#askSeq}`;
      const cleanup = (): void => {
        this.#replies.delete(path);
        timer.cancel();
        o.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => { cleanup(); reject(new CancelledError(`asking actor ${to.path}: aborted`, { cause: o.signal?.reason })); };
      const timer = this.clock.setTimer(o.timeoutMs, () => {
        cleanup();
        reject(new TimeoutError(`asking actor ${to.path}: no reply within ${o.timeoutMs}ms`, { data: { actor: to.path, timeoutMs: o.timeoutMs } }));
      });
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.#replies.set(path, (msg) => { cleanup(); resolve(msg as Res); });
      try {
        this.tell(to, make({ path }));
      } catch (err) {
        cleanup();
        reject(err);
      }
    });
  }

  /** Live actor paths in spawn order. */
  actors(): string[] { return [...this.#cells.keys()]; }

  /** Resolves with the reason once the actor at `ref` has stopped (at once if unknown). */
  whenStopped(ref: ActorRef<never>): Promise<StopReason> {
    return this.#cells.get(ref.path)?.done ?? Promise.resolve({ kind: 'stopped' });
  }

  /** Stops one actor after its current message; queued messages are dropped. */
  async stop(ref: ActorRef<never>): Promise<void> {
    await this.#cells.get(ref.path)?.stop();
  }

  /** Stops every actor, in reverse spawn order, each after its current message. Idempotent. */
  async stopAll(): Promise<void> {
    this.#closed = true;
    for (const path of [...this.#cells.keys()].reverse()) await this.#cells.get(path)?.stop();
  }

  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  on(listener: (e: ActorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Run-group member body: resolves after `signal` aborts and every actor stopped; rejects (after
   * stopping every actor) when a critical actor stopped because it failed.
   */
  async run(signal: AbortSignal): Promise<void> {
    const failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
      if (this.#failure !== undefined) reject(this.#failure.error);
    });
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    failed.catch(() => { /* observed through the race below */ });
    try {
      await Promise.race([aborted, failed]);
    } finally {
      this.#fail = undefined;
      await this.stopAll();
    }
  }

  #emit(e: ActorEvent): void {
    if (e.type === 'stopped') {
      this.#cells.delete(e.path);
      const critical = this.#critical.delete(e.path);
      if (critical && e.reason.kind === 'failed' && this.#failure === undefined) {
        this.#failure = { error: e.reason.error };
        this.#fail?.(e.reason.error);
      }
    }
    for (const l of this.#listeners) {
      try { l(e); } catch (err) { this.log.warn({ err }, 'actor event listener threw; ignoring'); }
    }
  }
}
